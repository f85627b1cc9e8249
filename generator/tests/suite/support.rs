//! What several test modules share: the model of fixture specs, a guard against a hanging
//! stream, and checking a generated crate the way a user who vendored it would, outside the
//! workspace.

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

/// Builds the model of the fixture files of one API (paths under `tests/fixtures/`, the first
/// its root), returning it with every diagnostic as text.
pub fn fixture_model(files: &[&str]) -> (generator::model::Api, Vec<String>) {
    let sources = files
        .iter()
        .map(|file| generator::load::Source {
            path: format!("fixtures/{file}"),
            text: std::fs::read_to_string(format!(
                "{}/tests/fixtures/{file}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        })
        .collect();
    let input = generator::ApiInput {
        name: "fixture".to_owned(),
        origin: files.join(", "),
        sources,
        ..Default::default()
    };
    match generator::build_model(&input) {
        Ok((api, diagnostics)) => (api, diagnostics.iter().map(|d| d.to_string()).collect()),
        Err(e) => panic!("{files:?}: {e}: {e:?}"),
    }
}

/// A guard against a hanging test, not a measure.
pub async fn within<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(10), future)
        .await
        .expect("the stream went quiet")
}
