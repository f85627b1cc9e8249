//! The `codegen` command, shared by the installed `openapi-gen` binary and `cargo xtask
//! codegen`: the same arguments, the same behaviour. Only the default root differs (the
//! current folder for `openapi-gen`, the repository for xtask).

mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::diagnostics::Diagnostic;
use crate::{files, ApiInput, GeneratedFile};

/// Generate Rust crates (a reqwest client and an axum server) from OpenAPI 3.0/3.1 documents.
#[derive(Debug, Parser)]
#[command(name = "openapi-gen", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate crates: every API in ROOT/specs/ into ROOT/generated/, or one API with
    /// --spec into --out
    Codegen(CodegenArgs),
}

/// The arguments of `codegen`.
#[derive(Debug, Args)]
pub struct CodegenArgs {
    /// Write nothing; exit non-zero naming each generated file that is stale, missing or
    /// not produced by any spec
    #[arg(long)]
    pub check: bool,
    /// Generate one API from these documents (files, or folders of them) instead of every
    /// entry of ROOT/specs/
    #[arg(long, value_name = "PATH", num_args = 1.., requires = "out")]
    pub spec: Vec<PathBuf>,
    /// The folder to write the crate of --spec into
    #[arg(long, value_name = "DIR", requires = "spec")]
    pub out: Option<PathBuf>,
    /// Crate name for --spec [default: the first path's file stem or folder name]
    #[arg(long, requires = "spec")]
    pub name: Option<String>,
    /// The folder holding specs/ and generated/ [default: the current folder; for
    /// `cargo xtask`, the repository]
    #[arg(long, value_name = "DIR", conflicts_with = "spec")]
    pub root: Option<PathBuf>,
}

/// The `openapi-gen` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen(args) => codegen(&args, Path::new(".")),
    }
}

/// The result of generating one API.
struct Generated {
    name: String,
    files: Vec<GeneratedFile>,
    diagnostics: Vec<Diagnostic>,
    types_summary: String,
}

/// Runs `codegen`; `default_root` is used when `--root` is not given.
pub fn codegen(args: &CodegenArgs, default_root: &Path) -> ExitCode {
    match run(args, default_root) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &CodegenArgs, default_root: &Path) -> Result<ExitCode, crate::Error> {
    let cwd = std::env::current_dir().unwrap_or_default();
    if let Some(out) = &args.out {
        let input = files::api_input(&args.spec, args.name.as_deref(), None, &cwd)?;
        return generate_into(&input, out, args.check);
    }
    let root = args.root.as_deref().unwrap_or(default_root);
    let inputs = files::find_apis(&root.join("specs"), root)?;
    let generated_dir = root.join("generated");
    let (generated, failed) = generate_all(&inputs);
    for api in &generated {
        report::diagnostics(&api.name, &api.diagnostics);
    }
    for (api, diagnostics) in &failed {
        report::diagnostics(api, diagnostics);
        eprintln!("{api}: not generated: the spec has errors");
    }
    if args.check {
        let mut stale = Vec::new();
        for api in &generated {
            stale.extend(files::crate_differences(
                &generated_dir.join(&api.name),
                &format!("generated/{}", api.name),
                &api.files,
            ));
        }
        let names: Vec<&str> = generated
            .iter()
            .map(|g| g.name.as_str())
            .chain(failed.iter().map(|(name, _)| name.as_str()))
            .collect();
        stale.extend(
            files::other_folders(&generated_dir, &names)
                .into_iter()
                .map(|o| format!("generated/{o}/ has no spec in specs/")),
        );
        for line in &stale {
            eprintln!("{line}");
        }
        if !stale.is_empty() {
            eprintln!("generated/ is stale: run `cargo xtask codegen`");
            return Ok(ExitCode::FAILURE);
        }
    } else {
        for api in &generated {
            files::write_crate(&generated_dir.join(&api.name), &api.files)?;
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
fn generate_into(input: &ApiInput, out: &Path, check: bool) -> Result<ExitCode, crate::Error> {
    let (generated, failed) = generate_all(std::slice::from_ref(input));
    for (api, diagnostics) in &failed {
        report::diagnostics(api, diagnostics);
        eprintln!("{api}: not generated: the spec has errors");
    }
    let Some(api) = generated.first() else {
        return Ok(ExitCode::FAILURE);
    };
    report::diagnostics(&api.name, &api.diagnostics);
    if check {
        let stale = files::crate_differences(out, &out.display().to_string(), &api.files);
        for line in &stale {
            eprintln!("{line}");
        }
        return Ok(if stale.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    files::write_crate(out, &api.files)?;
    println!("{}: {} files", out.display(), api.files.len());
    println!("{}: {}", api.name, api.types_summary);
    Ok(ExitCode::SUCCESS)
}

/// Generates every input; APIs with errors are reported, and the others still generated.
fn generate_all(inputs: &[ApiInput]) -> (Vec<Generated>, Vec<(String, Vec<Diagnostic>)>) {
    let mut generated = Vec::new();
    let mut failed = Vec::new();
    for input in inputs {
        match crate::generate(input) {
            Ok(output) => generated.push(Generated {
                name: input.name.clone(),
                files: output.files,
                diagnostics: output.diagnostics,
                types_summary: output.summary.types_summary,
            }),
            Err(crate::Error::InvalidSpec { api, diagnostics }) => failed.push((api, diagnostics)),
            Err(e) => failed.push((input.name.clone(), vec![report::internal(&input.name, &e)])),
        }
    }
    (generated, failed)
}
