//! The `openapi-gen` command as a user meets it: help, version, and the same generation as
//! `cargo xtask codegen`.

use std::process::{Command, Output};

use clap::CommandFactory;
use generator::cli::Cli;

fn openapi_gen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every flag the parser knows is listed by `--help`, which succeeds.
#[test]
fn help_exits_zero_and_lists_every_flag() {
    let cli = Cli::command();
    let codegen = cli.find_subcommand("codegen").unwrap();
    let flags: Vec<String> = codegen
        .get_arguments()
        .filter_map(|a| a.get_long())
        .map(|long| format!("--{long}"))
        .collect();
    assert!(flags.len() >= 5, "{flags:?}");
    let output = openapi_gen(&["codegen", "--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    for flag in &flags {
        assert!(help.contains(flag.as_str()), "{flag} missing from:\n{help}");
    }
    let top = openapi_gen(&["--help"]);
    assert!(top.status.success());
    assert!(stdout(&top).contains("codegen"));
}

#[test]
fn version_names_the_package_version() {
    let output = openapi_gen(&["--version"]);
    assert!(output.status.success());
    assert_eq!(
        stdout(&output).trim(),
        format!("openapi-gen {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn an_unknown_flag_fails_with_usage() {
    let output = openapi_gen(&["codegen", "--frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Usage: openapi-gen codegen"));
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-gen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn generate(spec: &str, out: &std::path::Path, flags: &[&str]) -> Output {
    let spec = format!("{}/tests/fixtures/{spec}", env!("CARGO_MANIFEST_DIR"));
    let mut args = vec!["codegen", "--spec", &spec, "--out", out.to_str().unwrap()];
    args.extend_from_slice(flags);
    openapi_gen(&args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Warnings of one rule come under one heading with their count, the first three in full;
/// --verbose shows them all, --quiet none.
#[test]
fn warnings_are_grouped_by_rule() {
    let out = temp_dir("grouped");
    let normal = generate("many-string-booleans.yaml", &out, &[]);
    assert!(normal.status.success());
    let text = stderr(&normal);
    assert!(
        text.contains("warning[string-booleans]: 5 in many-string-booleans\n"),
        "{text}"
    );
    assert_eq!(text.matches("expected a boolean").count(), 3, "{text}");
    assert!(text.contains("... 2 more (--verbose shows all)"), "{text}");
    assert!(
        text.contains("many-string-booleans (1 document): load "),
        "{text}"
    );
    let table = stdout(&normal);
    assert!(table.starts_with("api  "), "{table}");
    assert!(table.contains("string-booleans: 5"), "{table}");

    let verbose = generate("many-string-booleans.yaml", &out, &["--verbose"]);
    assert_eq!(stderr(&verbose).matches("expected a boolean").count(), 5);

    let quiet = generate("many-string-booleans.yaml", &out, &["--quiet"]);
    assert!(quiet.status.success());
    assert_eq!(
        (stdout(&quiet), stderr(&quiet)),
        (String::new(), String::new())
    );
    std::fs::remove_dir_all(&out).unwrap();
}

/// --format json is one document on stdout, and nothing on stderr.
#[test]
fn json_report_for_tools() {
    let out = temp_dir("json");
    let output = generate("broken.json", &out, &["--format", "json"]);
    assert!(!output.status.success());
    assert_eq!(stderr(&output), "");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let api = &report["apis"][0];
    assert_eq!(api["name"], "broken");
    assert_eq!(api["status"], "failed");
    let errors: Vec<&serde_json::Value> = api["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors[0]["rule"], "load");
    assert!(!out.exists(), "nothing written");

    let output = generate("many-string-booleans.yaml", &out, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let api = &report["apis"][0];
    assert_eq!(
        (api["status"].as_str(), api["operations"].as_u64()),
        (Some("generated"), Some(1))
    );
    assert_eq!(api["written"], api["files"]);
    for stage in ["load", "normalize", "parse", "lower", "emit"] {
        assert!(api["stages"][stage].is_f64(), "{stage}");
    }
    let again = generate(
        "many-string-booleans.yaml",
        &out,
        &["--format", "json", "--check"],
    );
    assert!(again.status.success());
    std::fs::remove_dir_all(&out).unwrap();
}
