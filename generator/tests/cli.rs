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

/// The account of a run: operations generated of those declared, schemas that declare a type
/// and are read as any JSON value, and each loss with its rule and location, in the table
/// and in JSON.
#[test]
fn the_account_counts_what_was_kept_and_lists_the_losses() {
    let out = temp_dir("account");
    let text = generate("account-losses.yaml", &out, &[]);
    assert!(text.status.success(), "{}", stderr(&text));
    let table = stdout(&text);
    let header = table.lines().next().unwrap();
    let row = table.lines().nth(1).unwrap();
    let cell = |name: &str| {
        let at = header.split_whitespace().position(|c| c == name).unwrap();
        row.split_whitespace().nth(at).unwrap().to_owned()
    };
    assert_eq!(
        (cell("operations"), cell("webhooks"), cell("loosened")),
        ("2/3".to_owned(), "0/0".to_owned(), "1/4".to_owned()),
        "{table}"
    );
    assert!(row.contains("all-of: 1, parse: 1"), "{table}");
    assert!(
        stderr(&text)
            .contains("account-losses: 2 losses of what the spec declares (all-of: 1, parse: 1)"),
        "{}",
        stderr(&text)
    );

    let json = generate("account-losses.yaml", &out, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let api = &report["apis"][0];
    assert_eq!(
        api["account"],
        serde_json::json!({
            "operations": {"declared": 3, "generated": 2},
            "webhooks": {"declared": 0, "generated": 0},
            "schemas": {"all": 4, "any_value": 1, "loosened": 1},
        })
    );
    let losses: Vec<(&str, &str, &str)> = api["losses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["rule"].as_str().unwrap(),
                l["loss"].as_str().unwrap(),
                l["pointer"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        losses,
        [
            ("parse", "operation", "/paths/~1files~1{name}/get"),
            ("all-of", "any-value", "/components/schemas/Mixed/allOf/0"),
        ]
    );
    assert_eq!(
        api["losses_by_rule"],
        serde_json::json!({"all-of": 1, "parse": 1})
    );
    std::fs::remove_dir_all(&out).unwrap();
}

/// `--deny-losses` (or `deny-losses = true` in the settings) fails an API with losses, naming
/// each as an error, and writes nothing; an API without losses passes.
#[test]
fn deny_losses_fails_an_api_with_losses_and_passes_a_clean_one() {
    let out = temp_dir("deny-losses");
    let denied = generate("account-losses.yaml", &out, &["--deny-losses"]);
    assert!(!denied.status.success());
    let text = stderr(&denied);
    assert!(
        text.contains("error[parse]: ") && text.contains("error[all-of]: "),
        "{text}"
    );
    assert!(
        text.contains("#/paths/~1files~1{name}/get: not valid OpenAPI"),
        "{text}"
    );
    assert!(!out.exists(), "nothing written");

    let settings = out.with_extension("toml");
    std::fs::write(&settings, "deny-losses = true\n").unwrap();
    let by_settings = generate(
        "account-losses.yaml",
        &out,
        &["--settings", settings.to_str().unwrap()],
    );
    assert!(!by_settings.status.success());
    assert!(stderr(&by_settings).contains("error[parse]: "));
    std::fs::remove_file(&settings).unwrap();

    let clean = generate("../../../specs/petstore.yaml", &out, &["--deny-losses"]);
    assert!(clean.status.success(), "{}", stderr(&clean));
    assert!(stdout(&clean).lines().nth(1).unwrap().contains(" 3/3 "));
    std::fs::remove_dir_all(&out).unwrap();
}
