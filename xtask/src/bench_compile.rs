//! `cargo xtask bench-compile SPEC...`: what a generated crate costs its users to build.
//!
//! Each spec is generated into a scratch workspace under `target/bench-compile/`, beside the
//! baseline: progenitor's client-only crate for the same spec (`cargo progenitor`, installed
//! into `target/tools/` on first use). Dependencies are built first; then each crate's
//! sources are touched and `cargo check` timed (`CARGO_INCREMENTAL=0`, best of two rounds,
//! run alternately so both see the same machine). Peak memory comes from `/usr/bin/time`
//! where the machine has it. The figure to read is the ratio against the baseline.
//!
//! A generated crate's runtime is a crate of its own in its folder, built with the
//! dependencies as progenitor's runtime crate is; it is checked again only when the
//! generator changes. Its cost is reported on its own line, touched with the crate.
//!
//! `--features LIST` adds a row per generated crate checked with `--no-default-features
//! --features LIST` (`client,repos`: the client and one group of operations), as a user who
//! narrows the build to the groups they call does.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// One crate to check, and what it came from.
struct Subject {
    package: String,
    /// `--no-default-features --features` these instead of the default features.
    features: Option<String>,
    /// Whether a runtime crate is in its folder.
    has_runtime: bool,
    /// Operations of the API, for lines per operation.
    operations: Option<usize>,
    lines: usize,
}

/// A timing of one `cargo check`.
#[derive(Clone, Copy)]
struct Cost {
    time: Duration,
    peak_kb: Option<u64>,
}

pub fn bench_compile(root: &Path, specs: &[PathBuf], features: Option<&str>) -> Result<()> {
    if specs.is_empty() {
        bail!("name the specs: cargo xtask bench-compile SPEC...");
    }
    let scratch = root.join("target/bench-compile");
    let progenitor = crate::tools::PROGENITOR.installed(root)?;
    let mut members = Vec::new();
    let mut subjects = Vec::new();
    for spec in specs {
        let input = generator::files::api_input(std::slice::from_ref(spec), None, None, root)?;
        let output = generator::generate(&input).map_err(|e| anyhow::anyhow!("{e}"))?;
        let (api, _) = generator::build_model(&input).map_err(|e| anyhow::anyhow!("{e}"))?;
        let dir = scratch.join(&input.name);
        generator::files::write_crate(&dir, &output.files)?;
        let lines = count_lines(&dir.join("src"))?;
        members.push(input.name.clone());
        let has_runtime = dir.join("runtime").is_dir();
        subjects.push(Subject {
            package: input.name.clone(),
            features: None,
            has_runtime,
            operations: Some(api.operations.len()),
            lines,
        });
        if let Some(features) = features {
            subjects.push(Subject {
                package: input.name.clone(),
                features: Some(features.to_owned()),
                has_runtime: false,
                operations: None,
                lines,
            });
        }
        // progenitor reads one JSON document; a folder or YAML spec has no baseline.
        if spec.extension().is_some_and(|e| e == "json") {
            let name = format!("{}-progenitor", input.name);
            let dir = scratch.join(&name);
            let status = Command::new(&progenitor)
                .args(["progenitor", "-i"])
                .arg(spec)
                .args(["-o"])
                .arg(&dir)
                .args(["-n", &name, "-v", "0.1.0"])
                // It prints its whole type space; the table below is what matters.
                .stdout(std::process::Stdio::null())
                .status()
                .context("running cargo-progenitor")?;
            if status.success() {
                subjects.push(Subject {
                    package: name.clone(),
                    features: None,
                    has_runtime: false,
                    operations: None,
                    lines: count_lines(&dir.join("src"))?,
                });
                members.push(name);
            } else {
                eprintln!(
                    "progenitor could not generate {}: no baseline",
                    spec.display()
                );
            }
        }
    }
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )?;
    eprintln!("building dependencies...");
    let status = cargo(&scratch)
        .args(["check", "--workspace", "--quiet"])
        .status()?;
    if !status.success() {
        bail!("cargo check of the scratch workspace failed");
    }
    let mut best: Vec<Option<Cost>> = vec![None; subjects.len()];
    for round in 1..=2 {
        for (subject, best) in subjects.iter().zip(&mut best) {
            eprintln!("round {round}: cargo check -p {}", subject.label());
            let features = subject.features.as_deref();
            let cost = check(&scratch, &subject.package, &[&subject.package], features)?;
            if best.is_none_or(|b| cost.time < b.time) {
                *best = Some(cost);
            }
        }
    }
    println!("cargo check, dependencies built, sources touched, CARGO_INCREMENTAL=0, best of 2:");
    println!(
        "  {:<32} {:>9} {:>10} {:>8} {:>9}",
        "crate", "time", "peak", "lines", "lines/op"
    );
    for (subject, cost) in subjects.iter().zip(&best) {
        let cost = cost.expect("every subject was measured");
        let peak = cost
            .peak_kb
            .map_or("-".to_owned(), |kb| format!("{} MB", kb / 1024));
        let per_op = subject
            .operations
            .filter(|n| *n > 0)
            .map_or("-".to_owned(), |n| (subject.lines / n).to_string());
        println!(
            "  {:<32} {:>7.1} s {:>10} {:>8} {:>9}",
            subject.label(),
            cost.time.as_secs_f64(),
            peak,
            subject.lines,
            per_op
        );
    }
    for subject in &subjects {
        if subject.has_runtime {
            let dir = format!("{}/runtime", subject.package);
            let cost = check(&scratch, &subject.package, &[&subject.package, &dir], None)?;
            println!(
                "  {} with its runtime crate touched too (one round): {:.1} s",
                subject.package,
                cost.time.as_secs_f64()
            );
        }
    }
    for (i, subject) in subjects.iter().enumerate() {
        let baseline = format!("{}-progenitor", subject.package);
        if subject.features.is_some() {
            continue;
        }
        if let Some(j) = subjects.iter().position(|s| s.package == baseline) {
            let (ours, theirs) = (best[i].unwrap(), best[j].unwrap());
            println!(
                "  {}: {:.2} x progenitor's client-only crate",
                subject.package,
                ours.time.as_secs_f64() / theirs.time.as_secs_f64()
            );
        }
    }
    Ok(())
}

impl Subject {
    /// The crate's name, and the features it is checked with where they are not the default.
    fn label(&self) -> String {
        match &self.features {
            Some(features) => format!("{} [{features}]", self.package),
            None => self.package.clone(),
        }
    }
}

fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(dir)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TARGET_DIR", dir.join("target"));
    command
}

/// Touches the sources of the crates in `touched` (folders in the scratch workspace) and
/// times `cargo check` of `package`, with `features` alone where given.
fn check(scratch: &Path, package: &str, touched: &[&str], features: Option<&str>) -> Result<Cost> {
    for dir in touched {
        let lib = scratch.join(dir).join("src/lib.rs");
        let text = fs::read(&lib)?;
        fs::write(&lib, text)?;
    }
    let time_tool = Path::new("/usr/bin/time");
    let mut command = if time_tool.exists() {
        let mut command = Command::new(time_tool);
        command.args(["-f", "%M"]).arg(env!("CARGO"));
        command
    } else {
        Command::new(env!("CARGO"))
    };
    command
        .current_dir(scratch)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .args(["check", "--quiet", "-p", package]);
    if let Some(features) = features {
        command.args(["--no-default-features", "--features", features]);
    }
    let start = Instant::now();
    let output = command.output()?;
    let time = start.elapsed();
    if !output.status.success() {
        bail!(
            "cargo check -p {package} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let peak_kb = String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()
        .and_then(|line| line.trim().parse().ok());
    Ok(Cost { time, peak_kb })
}

fn count_lines(dir: &Path) -> Result<usize> {
    let mut lines = 0;
    for path in crate::rust_files(dir)? {
        lines += fs::read_to_string(&path)?.lines().count();
    }
    Ok(lines)
}
