//! `cargo xtask codegen --spec ... --out ...` as a user runs it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn xtask(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap()
}

/// Every file under `dir`, relative, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                found.push((relative, fs::read(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn out_from_another_directory_matches_the_checked_in_crates() {
    let cwd = temp_dir("abs");
    for (spec, name) in [
        ("petstore.yaml", "petstore"),
        ("rocketchat-logout.json", "rocketchat-logout"),
    ] {
        let spec = root().join("specs").join(spec);
        let out = cwd.join("out").join(name);
        let output = xtask(
            &cwd,
            &[
                "codegen",
                "--spec",
                spec.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            files(&out),
            files(&root().join("generated").join(name)),
            "{name}"
        );
    }
    fs::remove_dir_all(&cwd).unwrap();
}

#[test]
fn relative_paths_and_a_chosen_name() {
    let out = temp_dir("rel");
    let output = xtask(
        &root().join("generator"),
        &[
            "codegen",
            "--spec",
            "../specs/petstore.yaml",
            "--out",
            out.to_str().unwrap(),
            "--name",
            "My Pets",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-pets\""), "{manifest}");
    // The crate takes the chosen name; the server trait, the API's title.
    assert!(fs::read_to_string(out.join("src/server.rs"))
        .unwrap()
        .contains("pub trait SwaggerPetstore"));
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn a_broken_spec_fails_naming_file_and_place_and_writes_nothing() {
    let out = temp_dir("broken").join("crate");
    let output = xtask(
        &root().join("generator/tests"),
        &[
            "codegen",
            "--spec",
            "fixtures/broken.json",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[load]: fixtures/broken.json:7:1#: not valid JSON: trailing comma"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written for a spec with errors");
}

/// A generated crate copied out of the workspace builds on its own (its own Cargo.toml, no
/// workspace inheritance), with its vendored runtime (a copy of the runtime crate named
/// after it; `openapi32-streams` turns on its optional `sse` and `jsonl`). Slow (a full
/// dependency build), so CI runs it with `--ignored`.
#[test]
#[ignore]
fn a_generated_crate_builds_outside_the_workspace() {
    let dir = temp_dir("vendor");
    for name in ["petstore", "rocketchat-logout", "openapi32-streams"] {
        let source = root().join("generated").join(name);
        let runtime = fs::read_to_string(source.join("runtime/Cargo.toml")).unwrap();
        assert!(
            runtime.contains(&format!("name = \"{name}-runtime\"")),
            "{runtime}"
        );
        for (relative, bytes) in files(&source) {
            let target = dir.join(name).join(relative);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, bytes).unwrap();
        }
        let output = Command::new(env!("CARGO"))
            .current_dir(dir.join(name))
            .args(["check", "--all-features"])
            .env("CARGO_TARGET_DIR", root().join("target/vendored"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}

/// A server that implements one of petstore's three operations, as an `async fn`. `Problem`
/// is not imported: where it is, the compiler's help writes it as imported.
const PARTIAL_SERVER: &str = r#"
use petstore::requests::ListPetsRequest;
use petstore::responses::ListPetsResponse;
use petstore::server::SwaggerPetstore;

struct Shop;

impl SwaggerPetstore for Shop {
    async fn list_pets(
        self: std::sync::Arc<Self>,
        _: ListPetsRequest,
    ) -> Result<ListPetsResponse, petstore::server::Problem> {
        Ok(ListPetsResponse::Ok { body: Vec::new(), x_next: None })
    }
}

#[test]
fn serves() {
    let _ = petstore::server::router(Shop);
}
"#;

/// Without `server-defaults` every method of the server trait is required: the compiler
/// names each one missing, with a signature to copy that spells `server::Problem`. With it,
/// the same implementation builds. Slow (`cargo check` of a crate copied out of the
/// workspace, beside the vendoring test's dependencies), so CI runs it with `--ignored`.
#[test]
#[ignore]
fn a_partial_server_builds_only_with_server_defaults() {
    let dir = temp_dir("partial");
    let source = root().join("generated/petstore");
    for (relative, bytes) in files(&source) {
        let target = dir.join(relative);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, bytes).unwrap();
    }
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::write(dir.join("tests/partial.rs"), PARTIAL_SERVER).unwrap();
    fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let check = |features: &str| {
        let output = Command::new(env!("CARGO"))
            .current_dir(&dir)
            .args(["check", "--test", "partial", "--no-default-features"])
            .args(["--features", features])
            .env("CARGO_TARGET_DIR", root().join("target/vendored"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.success(), stderr)
    };
    // With the client, whose `Error::Problem` makes the name ambiguous, rustc writes a path.
    let (built, stderr) = check("server,client");
    assert!(!built, "{stderr}");
    assert!(
        stderr.contains("missing `create_pets`, `show_pet_by_id` in implementation"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "fn create_pets(self: Arc<Self>, _: CreatePetsRequest) -> impl Future<Output = \
             Result<CreatePetsResponse, petstore::server::Problem>> + Send"
        ),
        "{stderr}"
    );
    let (built, stderr) = check("server-defaults,client");
    assert!(built, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn codegen_help_succeeds() {
    let output = xtask(&root(), &["codegen", "--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("Usage: cargo xtask codegen"), "{help}");
    assert!(help.contains("--check"), "{help}");
    assert!(help.contains("--no-settings"), "{help}");
}

/// A settings file beside a spec is used, and the report says so; `--no-settings` ignores
/// it, so a third-party bundle's `.toml` (code: types, derives, dependencies) is not run.
#[test]
fn a_settings_file_beside_the_spec_is_announced_or_ignored() {
    let dir = temp_dir("no-settings");
    fs::copy(root().join("specs/petstore.yaml"), dir.join("zoo.yaml")).unwrap();
    fs::write(
        dir.join("zoo.toml"),
        "trait-name = \"Zoo\"\n[dependencies]\nevil = { path = \"/tmp/evil\" }\n",
    )
    .unwrap();
    let run = |flags: &[&str]| {
        let mut args = vec!["codegen", "--spec", "zoo.yaml", "--out", "out"];
        args.extend_from_slice(flags);
        let output = xtask(&dir, &args);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{stderr}");
        let server = fs::read_to_string(dir.join("out/src/server.rs")).unwrap();
        let manifest = fs::read_to_string(dir.join("out/Cargo.toml")).unwrap();
        (stderr, server, manifest)
    };
    let (stderr, server, manifest) = run(&[]);
    assert!(
        stderr.contains("zoo (1 document, settings zoo.toml): load "),
        "{stderr}"
    );
    assert!(server.contains("pub trait Zoo"));
    assert!(
        manifest.contains("evil = { path = \"/tmp/evil\" }"),
        "{manifest}"
    );

    let (stderr, server, manifest) = run(&["--no-settings"]);
    assert!(stderr.contains("zoo (1 document): load "), "{stderr}");
    assert!(server.contains("pub trait SwaggerPetstore"));
    assert!(!manifest.contains("evil"), "{manifest}");
    fs::remove_dir_all(&dir).unwrap();
}
