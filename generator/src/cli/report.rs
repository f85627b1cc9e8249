//! What `codegen` prints. In text: a progress line per API on stderr as its stages end,
//! its diagnostics (errors in full, warnings grouped by rule), and a summary table on
//! stdout. In JSON: one document on stdout at the end, nothing else.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{json, Value};

use super::{ApiRun, CodegenArgs, Format, Outcome};
use crate::account::Account;
use crate::diagnostics::{Diagnostic, Loss, Severity};
use crate::{ApiInput, Stage};

/// How many warnings of one rule are shown in full without --verbose.
const SHOWN_PER_RULE: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Detail {
    Quiet,
    Normal,
    Verbose,
}

pub(super) struct Reporter {
    format: Format,
    detail: Detail,
    /// A progress line is open on stderr.
    line_open: bool,
    runs: Vec<ApiRun>,
    orphans: Vec<String>,
}

/// A failure that is not the spec's fault, shown like a diagnostic.
pub(super) fn internal(api: &str, error: &crate::Error) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        rule: "internal",
        file: api.to_owned(),
        pointer: String::new(),
        position: None,
        message: error.to_string(),
        loss: None,
    }
}

/// Writes to stdout; a reader that went away (`| head`) is not an error of ours.
fn stdout(text: &str) {
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
}

fn seconds(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

impl Reporter {
    pub(super) fn new(args: &CodegenArgs) -> Self {
        let detail = if args.quiet {
            Detail::Quiet
        } else if args.verbose {
            Detail::Verbose
        } else {
            Detail::Normal
        };
        Reporter {
            format: args.format,
            detail,
            line_open: false,
            runs: Vec::new(),
            orphans: Vec::new(),
        }
    }

    fn text(&self, at_least: Detail) -> bool {
        self.format == Format::Text && self.detail >= at_least
    }

    pub(super) fn started(&mut self, input: &ApiInput) {
        if self.text(Detail::Normal) {
            let documents = input.sources.len();
            let plural = if documents == 1 { "" } else { "s" };
            // A settings file is code: say which one went into the crate.
            let settings = match input.settings.file.as_str() {
                "" => String::new(),
                file => format!(", settings {file}"),
            };
            eprint!("{} ({documents} document{plural}{settings}):", input.name);
            self.line_open = true;
        }
    }

    pub(super) fn stage(&mut self, stage: Stage, took: Duration) {
        if self.line_open {
            eprint!(" {} {}", stage.as_str(), seconds(took));
        }
    }

    pub(super) fn api(&mut self, run: ApiRun) {
        if self.line_open {
            let end = match &run.outcome {
                Outcome::Generated { .. } => "done".to_owned(),
                Outcome::Failed => "not generated: the spec or its settings have errors".into(),
            };
            eprintln!(" - {end}");
            self.line_open = false;
        }
        if self.format == Format::Text {
            self.print_diagnostics(&run);
            if let Outcome::Generated { stale, .. } = &run.outcome {
                stale.iter().for_each(|line| eprintln!("{line}"));
            }
        }
        self.runs.push(run);
    }

    pub(super) fn orphans(&mut self, orphans: &[String]) {
        if self.format == Format::Text {
            for o in orphans {
                eprintln!("generated/{o}/ has no spec in specs/");
            }
        }
        self.orphans = orphans.to_vec();
    }

    /// Errors each in full; warnings grouped by rule, the first few in full.
    fn print_diagnostics(&self, run: &ApiRun) {
        for d in run
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            eprintln!("{d}");
        }
        if !self.text(Detail::Normal) {
            return;
        }
        for ((rule, loss), warnings) in by_rule(&run.diagnostics) {
            if let [only] = warnings.as_slice() {
                eprintln!("{only}");
                continue;
            }
            let lost = if loss { " (losses)" } else { "" };
            eprintln!("warning[{rule}]: {} in {}{lost}", warnings.len(), run.name);
            let shown = if self.detail == Detail::Verbose {
                warnings.len()
            } else {
                SHOWN_PER_RULE
            };
            for d in warnings.iter().take(shown) {
                eprintln!("    {}: {}", d.location(), d.message);
            }
            if warnings.len() > shown {
                eprintln!(
                    "    ... {} more (--verbose shows all)",
                    warnings.len() - shown
                );
            }
        }
        let losses = crate::account::losses_by_rule(&run.diagnostics);
        let warned = run
            .diagnostics
            .iter()
            .any(|d| d.loss.is_some() && d.severity == Severity::Warning);
        if warned {
            let rules: Vec<String> = losses
                .iter()
                .map(|(rule, n)| format!("{rule}: {n}"))
                .collect();
            let count = losses.values().sum::<usize>();
            let plural = if count == 1 { "loss" } else { "losses" };
            eprintln!(
                "{}: {count} {plural} of what the spec declares ({}); --deny-losses makes them \
                 errors",
                run.name,
                rules.join(", ")
            );
        }
    }

    pub(super) fn fatal(&mut self, error: &crate::Error) {
        match self.format {
            Format::Text => {
                if self.line_open {
                    eprintln!();
                }
                eprintln!("error: {error}");
            }
            Format::Json => stdout(&format!(
                "{}\n",
                json!({ "ok": false, "error": error.to_string() })
            )),
        }
    }

    pub(super) fn finish(&self, check: bool) {
        match self.format {
            Format::Json => stdout(&format!("{:#}\n", self.json(check))),
            Format::Text if self.detail >= Detail::Normal => {
                stdout(&self.table(check));
                let stale = self.orphans.len()
                    + self
                        .runs
                        .iter()
                        .map(|r| match &r.outcome {
                            Outcome::Generated { stale, .. } => stale.len(),
                            Outcome::Failed => 0,
                        })
                        .sum::<usize>();
                if check && stale > 0 {
                    eprintln!("{stale} generated file(s) are stale: run codegen without --check");
                }
            }
            Format::Text => {}
        }
    }

    /// One row per API: what it declares against what was generated (operations and
    /// webhooks as generated/declared, schemas that declare a type and are read as any JSON
    /// value out of all schemas), what was written (or is stale), its time, its losses and
    /// its other warnings by rule.
    fn table(&self, check: bool) -> String {
        const COLUMNS: usize = 10;
        let changed = if check { "stale" } else { "written" };
        let mut rows = vec![[
            "api",
            "operations",
            "webhooks",
            "types",
            "loosened",
            "files",
            changed,
            "time",
            "losses",
            "warnings",
        ]
        .map(str::to_owned)];
        for run in &self.runs {
            let listed = |rules: Vec<String>| {
                if rules.is_empty() {
                    "-".to_owned()
                } else {
                    rules.join(", ")
                }
            };
            // Losses whether warnings or (denied) errors; the other warnings by rule.
            let losses = crate::account::losses_by_rule(&run.diagnostics)
                .iter()
                .map(|(rule, n)| format!("{rule}: {n}"))
                .collect();
            let warnings = by_rule(&run.diagnostics)
                .iter()
                .filter(|((_, loss), _)| !loss)
                .map(|((rule, _), ds)| format!("{rule}: {}", ds.len()))
                .collect();
            let row = match &run.outcome {
                Outcome::Generated {
                    summary,
                    files,
                    written,
                    stale,
                } => {
                    let a = &summary.account;
                    [
                        format!("{}/{}", a.operations_generated, a.operations_declared),
                        format!("{}/{}", a.webhooks_generated, a.webhooks_declared),
                        summary.types.to_string(),
                        format!("{}/{}", a.schemas_loosened, a.schemas),
                        files.to_string(),
                        if check { stale.len() } else { *written }.to_string(),
                    ]
                }
                Outcome::Failed => {
                    let errors = run
                        .diagnostics
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                        .count();
                    let mut row = [(); 6].map(|()| String::new());
                    row[0] = format!("failed: {errors} error(s)");
                    row
                }
            };
            let [operations, webhooks, types, loosened, files, changed] = row;
            rows.push([
                run.name.clone(),
                operations,
                webhooks,
                types,
                loosened,
                files,
                changed,
                seconds(run.elapsed),
                listed(losses),
                listed(warnings),
            ]);
        }
        let widths: Vec<usize> = (0..COLUMNS)
            .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
            .collect();
        let mut out = String::new();
        for row in &rows {
            let mut line = format!("{:<w$}", row[0], w = widths[0]);
            for i in 1..COLUMNS - 2 {
                let _ = write!(line, "  {:>w$}", row[i], w = widths[i]);
            }
            let _ = write!(line, "  {:<w$}", row[COLUMNS - 2], w = widths[COLUMNS - 2]);
            let _ = writeln!(line, "  {}", row[COLUMNS - 1]);
            out.push_str(&line);
        }
        out
    }

    fn json(&self, check: bool) -> Value {
        let apis: Vec<Value> = self
            .runs
            .iter()
            .map(|run| {
                let diagnostics: Vec<Value> = run.diagnostics.iter().map(diagnostic_json).collect();
                let losses: Vec<Value> = run
                    .diagnostics
                    .iter()
                    .filter(|d| d.loss.is_some())
                    .map(diagnostic_json)
                    .collect();
                let stages: serde_json::Map<String, Value> = run
                    .stages
                    .iter()
                    .map(|(stage, took)| (stage.as_str().to_owned(), json!(took.as_secs_f64())))
                    .collect();
                let mut api = json!({
                    "name": run.name,
                    "dir": run.shown_dir,
                    "settings": run.settings,
                    "seconds": run.elapsed.as_secs_f64(),
                    "stages": stages,
                    "diagnostics": diagnostics,
                    "losses": losses,
                    "losses_by_rule": crate::account::losses_by_rule(&run.diagnostics),
                });
                let extra = match &run.outcome {
                    Outcome::Generated {
                        summary,
                        files,
                        written,
                        stale,
                    } => json!({
                        "status": "generated",
                        "account": account_json(&summary.account),
                        "operations": summary.operations,
                        "types": summary.types,
                        "files": files,
                        "written": written,
                        "stale": stale,
                    }),
                    Outcome::Failed => json!({ "status": "failed" }),
                };
                if let (Value::Object(api), Value::Object(extra)) = (&mut api, extra) {
                    api.extend(extra);
                }
                api
            })
            .collect();
        let ok = self.orphans.is_empty()
            && self.runs.iter().all(
                |r| matches!(&r.outcome, Outcome::Generated { stale, .. } if stale.is_empty()),
            );
        json!({
            "ok": ok,
            "check": check,
            "apis": apis,
            "orphans": self.orphans,
        })
    }
}

/// The warnings of one API by rule and whether they are losses, in rule order (a rule's
/// repairs before its losses), each group's in the order found.
fn by_rule(diagnostics: &[Diagnostic]) -> BTreeMap<(&'static str, bool), Vec<&Diagnostic>> {
    let mut rules: BTreeMap<(&str, bool), Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
    {
        rules.entry((d.rule, d.loss.is_some())).or_default().push(d);
    }
    rules
}

/// One diagnostic for tools.
fn diagnostic_json(d: &Diagnostic) -> Value {
    json!({
        "severity": match d.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        },
        "rule": d.rule,
        "loss": d.loss.map(Loss::as_str),
        "file": d.file,
        "pointer": d.pointer,
        "line": d.position.map(|(line, _)| line),
        "column": d.position.map(|(_, column)| column),
        "message": d.message,
    })
}

/// What an API declares against what was generated, for tools.
fn account_json(a: &Account) -> Value {
    json!({
        "operations": { "declared": a.operations_declared, "generated": a.operations_generated },
        "webhooks": { "declared": a.webhooks_declared, "generated": a.webhooks_generated },
        "schemas": { "all": a.schemas, "any_value": a.schemas_any, "loosened": a.schemas_loosened },
    })
}
