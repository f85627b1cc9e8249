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
