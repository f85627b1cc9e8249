//! `cargo xtask`: the project's commands, thin over the `generator` library.

mod bench;
mod bench_compile;
mod codegen;
mod conformance;
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};

const USAGE: &str = "\
usage:
  cargo xtask codegen            regenerate generated/ from every spec in specs/
  cargo xtask codegen --check    write nothing; fail naming each stale or missing file
  cargo xtask codegen --spec PATH... --out DIR [--name NAME]
                                 generate one API from the given documents (files or
                                 folders) into DIR; NAME defaults to the first file's name
  cargo xtask conformance        install schemathesis and Prism (pinned) into .conformance/
                                 and run the conformance tests against them
  cargo xtask bench [SPEC]       time generating SPEC (default: GitHub's REST API) against
                                 parsing it, in the same run (use --release for real figures)
  cargo xtask bench compile SPEC...
                                 time `cargo check` of the crate generated from each SPEC
                                 against progenitor's client-only crate of it, same run
  cargo xtask corpus DIR...      generate and `cargo check` every API found under DIR (see
                                 xtask/src/corpus.rs for how APIs are found); print a table";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode> {
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return Ok(ExitCode::FAILURE);
    };
    match command.as_str() {
        "codegen" => codegen_command(rest),
        "conformance" if rest.is_empty() => {
            conformance::conformance(&codegen::workspace_root())?;
            Ok(ExitCode::SUCCESS)
        }
        "bench" if rest.first().is_some_and(|r| r == "compile") => {
            let specs: Vec<PathBuf> = rest[1..].iter().map(PathBuf::from).collect();
            bench_compile::bench_compile(&codegen::workspace_root(), &specs)?;
            Ok(ExitCode::SUCCESS)
        }
        "bench" if rest.len() <= 1 => {
            bench::bench(&codegen::workspace_root(), rest.first().map(PathBuf::from))?;
            Ok(ExitCode::SUCCESS)
        }
        "corpus" if !rest.is_empty() => {
            let dirs: Vec<PathBuf> = rest.iter().map(PathBuf::from).collect();
            Ok(if corpus::run(&dirs)? {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command {other:?}\n{USAGE}"),
    }
}

fn codegen_command(args: &[String]) -> Result<ExitCode> {
    let mut check = false;
    let mut specs: Vec<PathBuf> = Vec::new();
    let mut out: Option<PathBuf> = None;
    let mut name: Option<String> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--out" => out = Some(PathBuf::from(value_of(&mut args, "--out")?)),
            "--name" => name = Some(value_of(&mut args, "--name")?.clone()),
            "--spec" => specs.push(PathBuf::from(value_of(&mut args, "--spec")?)),
            // Further paths after `--spec PATH` belong to it: `--spec a.yaml b.yaml`.
            path if !path.starts_with("--") && !specs.is_empty() => specs.push(PathBuf::from(path)),
            other => bail!("unexpected argument {other:?}\n{USAGE}"),
        }
    }
    if !specs.is_empty() {
        let Some(out) = out else {
            bail!("--spec needs --out DIR\n{USAGE}");
        };
        if check {
            bail!("--check compares generated/ with specs/; it does not take --spec");
        }
        let input = codegen::api_input(&specs, name.as_deref(), &std::env::current_dir()?)?;
        return generate_into(&input, &out);
    }
    if out.is_some() || name.is_some() {
        bail!("--out and --name go with --spec PATH\n{USAGE}");
    }
    let root = codegen::workspace_root();
    let inputs = codegen::workspace_inputs(&root)?;
    let generated_dir = root.join("generated");
    let (generated, failed) = codegen::generate_all(&inputs);
    for api in &generated {
        codegen::report(&api.name, &api.diagnostics);
    }
    for (api, diagnostics) in &failed {
        codegen::report(api, diagnostics);
        eprintln!("{api}: not generated: the spec has errors");
    }
    if check {
        let failed_names: Vec<&str> = failed.iter().map(|(name, _)| name.as_str()).collect();
        let stale = codegen::stale_files(&generated_dir, &generated, &failed_names);
        for line in &stale {
            eprintln!("{line}");
        }
        if !stale.is_empty() {
            eprintln!("generated/ is stale: run `cargo xtask codegen`");
            return Ok(ExitCode::FAILURE);
        }
    } else {
        for api in &generated {
            codegen::write_crate(&generated_dir.join(&api.name), &api.files)?;
            println!("generated/{}: {} files", api.name, api.files.len());
        }
    }
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `--spec ... --out DIR`: one API into a folder of the user's choice.
fn generate_into(input: &generator::ApiInput, out: &std::path::Path) -> Result<ExitCode> {
    let (generated, failed) = codegen::generate_all(std::slice::from_ref(input));
    for (api, diagnostics) in &failed {
        codegen::report(api, diagnostics);
        eprintln!("{api}: not generated: the spec has errors");
    }
    let Some(api) = generated.first() else {
        return Ok(ExitCode::FAILURE);
    };
    codegen::report(&api.name, &api.diagnostics);
    codegen::write_crate(out, &api.files)?;
    println!("{}: {} files", out.display(), api.files.len());
    println!("{}: {}", api.name, api.types_summary);
    Ok(ExitCode::SUCCESS)
}

fn value_of<'a>(args: &mut std::slice::Iter<'a, String>, flag: &str) -> Result<&'a String> {
    match args.next() {
        Some(value) => Ok(value),
        None => bail!("{flag} needs a value"),
    }
}
