//! What `codegen` prints: diagnostics and counts.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Severity};

/// A failure that is not the spec's fault, shown like a diagnostic.
pub(super) fn internal(api: &str, error: &crate::Error) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        rule: "internal",
        file: api.to_owned(),
        pointer: String::new(),
        message: error.to_string(),
    }
}

/// Prints diagnostics, then a count of repairs by rule.
pub(super) fn diagnostics(api: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
    {
        *by_rule.entry(d.rule).or_default() += 1;
    }
    if !by_rule.is_empty() {
        let summary: Vec<String> = by_rule
            .iter()
            .map(|(rule, n)| format!("{rule}: {n}"))
            .collect();
        eprintln!(
            "{api}: repaired or skipped {} ({})",
            by_rule.values().sum::<usize>(),
            summary.join(", ")
        );
    }
}
