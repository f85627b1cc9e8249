//! `cargo xtask fuzz`: coverage-guided fuzzing of the generator for a bounded time.
//!
//! Installs cargo-fuzz (pinned) into `target/tools/` if it is missing, builds a target of
//! the fuzz crate (`generator/fuzz/`, outside the workspace: it needs a nightly toolchain)
//! and runs it with libFuzzer on one core, from a corpus kept in `target/fuzz/corpus/`
//! and seeded each time from `specs/` and `generator/tests/fixtures/`, with a dictionary of
//! OpenAPI keywords. libFuzzer runs in fork mode so that one run collects every crash and
//! timeout in its time instead of stopping at the first. Each one found is minimised and
//! written to `generator/tests/fixtures/crashers/`, which the mutation test runs: a new
//! crasher is a failing regression test until the generator is fixed.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::run;

/// Where crashers go: the mutation test's regression inputs.
const CRASHERS: &str = "generator/tests/fixtures/crashers";

#[derive(Debug, clap::Args)]
pub struct FuzzArgs {
    /// The fuzz target: `generate` (the whole pipeline) or `load` (reading JSON and YAML
    /// and locating nodes in the text, many more runs a second)
    #[arg(long, default_value = "generate")]
    target: String,
    /// How long to fuzz
    #[arg(long, default_value_t = 300)]
    seconds: u64,
    /// Seconds one input may take before it counts as a hang
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// The largest input tried, in bytes (seeds larger than this are left out)
    #[arg(long, default_value_t = 64 * 1024)]
    max_len: u64,
}

/// Copies every file under `from` no larger than `max_len` into `to`, named by its path.
fn seed(root: &Path, from: &Path, to: &Path, max_len: u64) -> Result<usize> {
    let mut copied = 0;
    let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            copied += seed(root, &path, to, max_len)?;
        } else if entry.metadata()?.len() <= max_len {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let name = relative.to_string_lossy().replace('/', "_");
            std::fs::copy(&path, to.join(name))?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// The file a crasher is kept in: its kind and libFuzzer's name for it, and the extension
/// the pipeline reads it by (as the fuzz target does: JSON when it starts with `{`).
fn crasher_name(artifact: &str, text: &[u8]) -> String {
    let (kind, hash) = artifact.split_once('-').unwrap_or(("crash", artifact));
    let hash = &hash[..hash.len().min(12)];
    let json = text
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{');
    format!("{kind}-{hash}.{}", if json { "json" } else { "yaml" })
}

pub fn fuzz(root: &Path, args: &FuzzArgs) -> Result<bool> {
    let cargo_fuzz = crate::tools::CARGO_FUZZ.installed(root)?;
    let work = root.join("target/fuzz");
    let build = work.join("build");
    // cargo-fuzz runs `cargo` from PATH (rustup's, so the toolchain below applies), not the
    // stable cargo that runs this command.
    let nightly = |command: &mut Command| {
        command
            .current_dir(root)
            .env("RUSTUP_TOOLCHAIN", "nightly")
            .env_remove("CARGO")
            .env_remove("RUSTC");
    };
    let mut command = Command::new(&cargo_fuzz);
    nightly(&mut command);
    // No sanitizer: the generator is safe Rust, and without one it runs about twice as fast.
    // Debug assertions on, so that arithmetic overflow is a finding too.
    command
        .args([
            "fuzz",
            "build",
            "--fuzz-dir",
            "generator/fuzz",
            "--sanitizer",
            "none",
        ])
        .args(["--debug-assertions", "--target-dir"])
        .arg(&build)
        .arg(&args.target);
    run(&mut command).context("building the fuzz target (is a nightly toolchain installed?)")?;
    let binary = std::fs::read_dir(&build)?
        .filter_map(Result::ok)
        .map(|triple| triple.path().join("release").join(&args.target))
        .find(|path| path.is_file())
        .with_context(|| format!("no {} binary under {}", args.target, build.display()))?;

    let corpus = work.join("corpus").join(&args.target);
    let seeds = work.join("seeds");
    let artifacts = work.join("artifacts").join(&args.target);
    let _ = std::fs::remove_dir_all(&seeds);
    let _ = std::fs::remove_dir_all(&artifacts);
    for dir in [&corpus, &seeds, &artifacts] {
        std::fs::create_dir_all(dir)?;
    }
    let mut seeded = 0;
    for from in ["specs", "generator/tests/fixtures"] {
        seeded += seed(root, &root.join(from), &seeds, args.max_len)?;
    }
    eprintln!(
        "fuzzing {} for {} s from {seeded} seeds and {}",
        args.target,
        args.seconds,
        corpus.display()
    );
    // libFuzzer exits with an error when it found something; what it found is in the
    // artifacts folder, read below.
    let _ = Command::new(&binary)
        .current_dir(&work)
        .arg(&corpus)
        .arg(&seeds)
        .arg(format!(
            "-dict={}",
            root.join("generator/fuzz/openapi.dict").display()
        ))
        .arg(format!("-max_total_time={}", args.seconds))
        .arg(format!("-timeout={}", args.timeout))
        .arg(format!("-max_len={}", args.max_len))
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .args([
            "-fork=1",
            "-ignore_crashes=1",
            "-ignore_timeouts=1",
            "-ignore_ooms=1",
        ])
        .args(["-rss_limit_mb=4096", "-print_final_stats=1"])
        .status()
        .context("running the fuzz target")?;

    let mut found: Vec<_> = std::fs::read_dir(&artifacts)?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            ["crash-", "timeout-", "oom-"]
                .iter()
                .any(|k| name.starts_with(k))
        })
        .collect();
    found.sort();
    let crashers = root.join(CRASHERS);
    std::fs::create_dir_all(&crashers)?;
    for artifact in &found {
        let path = artifacts.join(artifact);
        let minimised = artifacts.join(format!("minimised-{artifact}"));
        // A crash is minimised for a minute; a hang is kept as found, since each try of a
        // smaller input would take the whole time limit.
        if artifact.starts_with("crash-") {
            let _ = Command::new(&binary)
                .current_dir(&work)
                .args(["-minimize_crash=1", "-max_total_time=60"])
                .arg(format!("-timeout={}", args.timeout))
                .arg(format!("-exact_artifact_path={}", minimised.display()))
                .arg(&path)
                .status();
        }
        let text = std::fs::read(if minimised.exists() {
            &minimised
        } else {
            &path
        })?;
        let kept = crashers.join(crasher_name(artifact, &text));
        std::fs::write(&kept, &text)?;
        eprintln!(
            "{artifact}: {} bytes, kept as {}",
            text.len(),
            kept.display()
        );
    }
    if found.is_empty() {
        eprintln!("no crash, abort or hang in {} s", args.seconds);
    }
    Ok(found.is_empty())
}
