//! The `codegen` command, shared by the installed `openapi-gen` binary and `cargo xtask
//! codegen`: the same arguments, the same behaviour. Only the default root differs (the
//! current folder for `openapi-gen`, the repository for xtask).

mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostics::Diagnostic;
use crate::{files, ApiInput, Stage, Summary};

use report::Reporter;

/// Generate Rust crates (a reqwest client and an axum server) from OpenAPI 3.0, 3.1 and 3.2
/// and Swagger 2.0 documents.
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
    /// Crate name for --spec [default: the settings' crate-name, else the first path's file
    /// stem or folder name]
    #[arg(long, requires = "spec")]
    pub name: Option<String>,
    /// Settings file for --spec [default: <stem>.toml beside the first path, if there]
    #[arg(long, value_name = "FILE", requires = "spec")]
    pub settings: Option<PathBuf>,
    /// Ignore any settings file beside a spec (<stem>.toml) and generate from the spec
    /// alone: a settings file is code (its types, derives and dependencies enter the crate),
    /// so review one from a third party as you would a build script
    #[arg(long, conflicts_with = "settings")]
    pub no_settings: bool,
    /// The folder holding specs/ and generated/ [default: the current folder; for
    /// `cargo xtask`, the repository]
    #[arg(long, value_name = "DIR", conflicts_with = "spec")]
    pub root: Option<PathBuf>,
    /// Print only errors
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every warning in full (by default, the first 3 of each rule)
    #[arg(short, long)]
    pub verbose: bool,
    /// Make every loss an error (an operation, webhook, parameter or body left out, a
    /// schema's type read looser): the API is not generated and its losses are listed. The
    /// settings' `deny-losses = true` does the same for one API
    #[arg(long)]
    pub deny_losses: bool,
    /// Where each crate's runtime comes from: `vendored` (a copy inside the crate, the
    /// default), `path=DIR` (the runtime crate at DIR, relative to the generated crate's
    /// folder) or `version=REQ` (from the registry); overrides the settings' `runtime`.
    /// Crates sharing one runtime in a workspace build it once
    #[arg(long, value_name = "SOURCE")]
    pub runtime: Option<crate::model::RuntimeSource>,
    /// How to report: text for people (stderr, with a table on stdout), json for tools (one
    /// document on stdout)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// The allocator of the commands (`openapi-gen`, `cargo xtask`), each of which declares
/// `#[global_allocator] static ALLOCATOR: MiMalloc = MiMalloc;`. A library user (a build
/// script) keeps its own.
pub use mimalloc::MiMalloc;

/// The `openapi-gen` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen(args) => codegen(&args, Path::new("."), "openapi-gen codegen"),
    }
}

/// What happened to one API.
pub(crate) struct ApiRun {
    pub name: String,
    /// The settings file it was generated with, as messages name it.
    pub settings: Option<String>,
    /// Where its crate goes, as messages name it.
    pub shown_dir: String,
    pub outcome: Outcome,
    pub diagnostics: Vec<Diagnostic>,
    pub stages: Vec<(Stage, Duration)>,
    pub elapsed: Duration,
}

pub(crate) enum Outcome {
    /// Generated: `written` files written, or with --check, what is stale on disk.
    Generated {
        summary: Summary,
        files: usize,
        written: usize,
        stale: Vec<String>,
    },
    /// The spec or its settings have errors: nothing written.
    Failed,
}

/// Runs `codegen`; `default_root` is used when `--root` is not given, and `command` is how
/// the stamp of every file written names the command (`cargo xtask codegen`).
pub fn codegen(args: &CodegenArgs, default_root: &Path, command: &str) -> ExitCode {
    let mut reporter = Reporter::new(args);
    match run(args, default_root, command, &mut reporter) {
        Ok(ok) => {
            reporter.finish(args.check);
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            reporter.fatal(&e);
            ExitCode::FAILURE
        }
    }
}

/// One API to generate: its paths, and where its crate goes.
struct Job {
    paths: Vec<PathBuf>,
    destination: Destination,
}

enum Destination {
    /// `--out DIR`.
    Folder(PathBuf),
    /// `ROOT/generated/<crate name>`.
    Generated(PathBuf),
}

impl Destination {
    /// The crate's folder, and how messages name it.
    fn folder(&self, name: &str) -> (PathBuf, String) {
        match self {
            Destination::Folder(dir) => (dir.clone(), dir.display().to_string()),
            Destination::Generated(root) => (
                root.join("generated").join(name),
                format!("generated/{name}"),
            ),
        }
    }
}

fn run(
    args: &CodegenArgs,
    default_root: &Path,
    command: &str,
    reporter: &mut Reporter,
) -> Result<bool, crate::Error> {
    let (jobs, root, display_base) = if args.spec.is_empty() {
        let root = args.root.as_deref().unwrap_or(default_root);
        let jobs = files::api_paths(&root.join("specs"))?
            .into_iter()
            .map(|path| Job {
                paths: vec![path],
                destination: Destination::Generated(root.to_path_buf()),
            })
            .collect();
        (jobs, Some(root), root.to_path_buf())
    } else {
        let job = Job {
            paths: args.spec.clone(),
            destination: Destination::Folder(args.out.clone().unwrap_or_default()),
        };
        (vec![job], None, std::env::current_dir().unwrap_or_default())
    };
    let mut ok = true;
    let mut names = Vec::new();
    for job in jobs {
        let started = Instant::now();
        let settings = match &args.settings {
            _ if args.no_settings => files::SettingsFile::Ignored,
            Some(file) => files::SettingsFile::Given(file),
            None => files::SettingsFile::Beside,
        };
        let input =
            files::api_input_with(&job.paths, args.name.as_deref(), settings, &display_base);
        let mut input = match input {
            Ok(input) => input,
            Err(crate::Error::InvalidSpec { api, diagnostics }) => {
                names.push(api.clone());
                ok = false;
                reporter.api(ApiRun {
                    settings: None,
                    shown_dir: api.clone(),
                    name: api,
                    outcome: Outcome::Failed,
                    diagnostics,
                    stages: Vec::new(),
                    elapsed: started.elapsed(),
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        input.settings.deny_losses |= args.deny_losses;
        if let Some(runtime) = &args.runtime {
            input.settings.runtime = Some(runtime.clone());
        }
        input.command = command.to_owned();
        let (dir, shown_dir) = job.destination.folder(&input.name);
        names.push(input.name.clone());
        let run = generate_one(&input, &dir, shown_dir, args.check, reporter, started)?;
        ok &= matches!(&run.outcome, Outcome::Generated { stale, .. } if stale.is_empty());
        reporter.api(run);
    }
    if let (Some(root), true) = (root, args.check) {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let orphans = files::other_folders(&root.join("generated"), &names);
        ok &= orphans.is_empty();
        reporter.orphans(&orphans);
    }
    Ok(ok)
}

fn generate_one(
    input: &ApiInput,
    dir: &Path,
    shown_dir: String,
    check: bool,
    reporter: &mut Reporter,
    started: Instant,
) -> Result<ApiRun, crate::Error> {
    let mut stages = Vec::new();
    reporter.started(input);
    // Each file is written (or checked) as it is finished, not held until the last is.
    let crate_files = if check {
        files::CrateFiles::checking(dir, &shown_dir)
    } else {
        files::CrateFiles::writing(dir)
    };
    let result = crate::generate_each(
        input,
        &mut |stage, took| {
            reporter.stage(stage, took);
            stages.push((stage, took));
        },
        &|i, file| crate_files.file(i, file),
    );
    let (outcome, diagnostics) = match result {
        Ok(generated) => {
            let (written, stale) = crate_files.finish()?;
            let outcome = Outcome::Generated {
                summary: generated.summary,
                files: generated.files,
                written,
                stale,
            };
            (outcome, generated.diagnostics)
        }
        Err(crate::Error::InvalidSpec { diagnostics, .. }) => (Outcome::Failed, diagnostics),
        Err(e) => (Outcome::Failed, vec![report::internal(&input.name, &e)]),
    };
    Ok(ApiRun {
        name: input.name.clone(),
        settings: Some(input.settings.file.clone()).filter(|file| !file.is_empty()),
        shown_dir,
        outcome,
        diagnostics,
        stages,
        elapsed: started.elapsed(),
    })
}
