//! `cargo xtask bench [SPEC]`: how long generating a whole API takes, client and server,
//! as a ratio against reading the same document as JSON, measured in the same run so the
//! figure does not depend on the machine. The default spec is GitHub's REST API from the
//! shared corpus, the size the project's speed goal is stated for.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// The best of `runs` timings of `work`: the least disturbed by the rest of the machine.
fn best_of(runs: usize, mut work: impl FnMut() -> Result<()>) -> Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        work()?;
        best = best.min(start.elapsed());
    }
    Ok(best)
}

pub fn bench(root: &Path, spec: Option<PathBuf>) -> Result<()> {
    let spec = spec.unwrap_or_else(|| {
        root.join("../shared/specs-corpus/public/github-rest/api.github.com.json")
    });
    if !spec.exists() {
        bail!(
            "{} does not exist; name a spec: cargo xtask bench SPEC",
            spec.display()
        );
    }
    let input = generator::files::api_input(std::slice::from_ref(&spec), None, None, root)?;
    let runs = 5;
    // The baseline is the load stage alone: parsing the documents into JSON trees.
    let parse = best_of(runs, || {
        for source in &input.sources {
            let mut diags = generator::diagnostics::Diagnostics::default();
            generator::load::load_document(source, &mut diags)
                .with_context(|| format!("{} does not parse", source.path))?;
        }
        Ok(())
    })?;
    let mut files = 0;
    let generate = best_of(runs, || {
        let output = generator::generate(&input).map_err(|e| anyhow::anyhow!("{e}"))?;
        files = output.files.len();
        Ok(())
    })?;
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("{} ({profile} build, best of {runs}):", spec.display());
    println!(
        "  load (parse the documents): {:>8.1} ms (baseline)",
        parse.as_secs_f64() * 1e3
    );
    println!(
        "  generate client + server ({files} files): {:>8.1} ms = {:.1} x baseline",
        generate.as_secs_f64() * 1e3,
        generate.as_secs_f64() / parse.as_secs_f64()
    );
    Ok(())
}
