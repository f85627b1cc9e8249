//! The public specs of the shared corpus that parse today (OpenAPI 3.0, one file each):
//! each is generated into a scratch crate whose tests, run here, read every example of the
//! spec into its type and write it back. Slow (it builds each crate), so it is ignored by
//! default: `cargo test -p xtask --test corpus_examples -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

const SPECS: &[&str] = &[
    "petstore/petstore.yaml",
    "petstore-expanded/petstore-expanded.yaml",
    "oai-examples-3.0/api-with-examples.yaml",
    "oai-examples-3.0/callback-example.yaml",
    "oai-examples-3.0/link-example.yaml",
    "oai-examples-3.0/uspto.yaml",
    "github-rest/api.github.com.json",
    "stripe/spec3.json",
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs-corpus/public")
}

#[test]
#[ignore = "builds and tests one crate per corpus spec; minutes"]
fn corpus_examples_round_trip_through_the_generated_types() {
    let scratch = std::env::temp_dir().join(format!("corpus-examples-{}", std::process::id()));
    let mut failures = Vec::new();
    for spec in SPECS {
        let path = corpus().join(spec);
        if !path.exists() {
            eprintln!("{spec}: not in this checkout, skipped");
            continue;
        }
        let out = scratch.join(spec.replace(['/', '.'], "-"));
        let generated = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["codegen", "--spec"])
            .arg(&path)
            .arg("--out")
            .arg(&out)
            .status()
            .unwrap();
        if !generated.success() {
            failures.push(format!("{spec}: not generated"));
            continue;
        }
        // Standalone: the scratch crate must not join the workspace it lies under.
        let tested = Command::new(env!("CARGO"))
            .args(["test", "--lib", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            .status()
            .unwrap();
        if !tested.success() {
            failures.push(format!("{spec}: examples failed"));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failures.is_empty(), "{failures:#?}");
}
