//! What several test binaries share: checking a generated crate the way a user who vendored
//! it would, outside the workspace.

use std::path::{Path, PathBuf};

use generator::GeneratedFile;

/// The workspace's root folder.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Writes `files` into `dir`, outside the workspace as a vendored crate is (with the
/// workspace's `Cargo.lock`, so the dependency versions are the ones tested), and runs
/// `cargo check` there with each feature list of `runs` (`cargo check` arguments, such as
/// `["--all-features"]`), beside the other out-of-workspace checks in `target/vendored`.
/// Returns, per failing run, its arguments and what cargo printed; a warning is a failure.
pub fn check_outside(files: Vec<GeneratedFile>, dir: &Path, runs: &[&[&str]]) -> Vec<String> {
    for file in files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.contents).unwrap();
    }
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let mut failures = Vec::new();
    for args in runs {
        let output = std::process::Command::new(env!("CARGO"))
            .current_dir(dir)
            .args(["check", "--quiet"])
            .args(*args)
            .env("CARGO_TARGET_DIR", workspace().join("target/vendored"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() || stderr.contains("warning") {
            failures.push(format!("{args:?}:\n{stderr}"));
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    failures
}
