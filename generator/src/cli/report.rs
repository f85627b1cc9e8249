//! What `codegen` prints. In text: a progress line per API on stderr as its stages end,
//! its diagnostics (errors in full, warnings grouped by rule), and a summary table on
//! stdout. In JSON: one document on stdout at the end, nothing else.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{json, Value};

use super::{ApiRun, CodegenArgs, Format, Outcome};
use crate::diagnostics::{Diagnostic, Severity};
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
        for (rule, warnings) in by_rule(&run.diagnostics) {
            if let [only] = warnings.as_slice() {
                eprintln!("{only}");
                continue;
            }
            eprintln!("warning[{rule}]: {} in {}", warnings.len(), run.name);
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

    /// One row per API: its size, what was written (or is stale), its time and its
    /// warnings by rule.
    fn table(&self, check: bool) -> String {
        let changed = if check { "stale" } else { "written" };
        let mut rows = vec![[
            "api".to_owned(),
            "operations".to_owned(),
            "types".to_owned(),
            "files".to_owned(),
            changed.to_owned(),
            "time".to_owned(),
            "warnings".to_owned(),
        ]];
        for run in &self.runs {
            let rules: Vec<String> = by_rule(&run.diagnostics)
                .iter()
                .map(|(rule, ds)| format!("{rule}: {}", ds.len()))
                .collect();
            let warnings = if rules.is_empty() {
                "-".to_owned()
            } else {
                rules.join(", ")
            };
            let row = match &run.outcome {
                Outcome::Generated {
                    summary,
                    files,
                    written,
                    stale,
                } => [
                    summary.operations.to_string(),
                    summary.types.to_string(),
                    files.to_string(),
                    if check { stale.len() } else { *written }.to_string(),
                ],
                Outcome::Failed => {
                    let errors = run
                        .diagnostics
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                        .count();
                    [
                        format!("failed: {errors} error(s)"),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]
                }
            };
            let [operations, types, files, changed] = row;
            rows.push([
                run.name.clone(),
                operations,
                types,
                files,
                changed,
                seconds(run.elapsed),
                warnings,
            ]);
        }
        let widths: Vec<usize> = (0..7)
            .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
            .collect();
        let mut out = String::new();
        for row in &rows {
            let mut line = format!("{:<w$}", row[0], w = widths[0]);
            for i in 1..6 {
                let _ = write!(line, "  {:>w$}", row[i], w = widths[i]);
            }
            let _ = writeln!(line, "  {}", row[6]);
            out.push_str(&line);
        }
        out
    }

    fn json(&self, check: bool) -> Value {
        let apis: Vec<Value> = self
            .runs
            .iter()
            .map(|run| {
                let diagnostics: Vec<Value> = run
                    .diagnostics
                    .iter()
                    .map(|d| {
                        json!({
                            "severity": match d.severity {
                                Severity::Warning => "warning",
                                Severity::Error => "error",
                            },
                            "rule": d.rule,
                            "file": d.file,
                            "pointer": d.pointer,
                            "line": d.position.map(|(line, _)| line),
                            "column": d.position.map(|(_, column)| column),
                            "message": d.message,
                        })
                    })
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
                });
                let extra = match &run.outcome {
                    Outcome::Generated {
                        summary,
                        files,
                        written,
                        stale,
                    } => json!({
                        "status": "generated",
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

/// The warnings of one API by rule, in rule order, each rule's in the order found.
fn by_rule(diagnostics: &[Diagnostic]) -> BTreeMap<&'static str, Vec<&Diagnostic>> {
    let mut rules: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
    {
        rules.entry(d.rule).or_default().push(d);
    }
    rules
}
