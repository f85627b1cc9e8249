//! Problems found in a spec, each with the place it was found.
//!
//! Every stage reports into a [`Diagnostics`] collector instead of returning at the first
//! problem, so a user sees everything wrong with a spec in one run.

use std::fmt;

/// How bad a problem is: a warning means the generator repaired or skipped something and
/// went on; an error means nothing is written for the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, located by file and JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The normalize rule or stage that found it (`string-booleans`, `parse`, `ref` ...).
    pub rule: &'static str,
    /// The file as the user named it.
    pub file: String,
    /// A JSON pointer (RFC 6901) into that file; empty for the whole document.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{level}[{}]: {}#{}: {}",
            self.rule, self.file, self.pointer, self.message
        )
    }
}

/// Collects diagnostics for one API.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn warn(&mut self, rule: &'static str, file: &str, pointer: &str, message: String) {
        self.push(Severity::Warning, rule, file, pointer, message);
    }

    pub fn error(&mut self, rule: &'static str, file: &str, pointer: &str, message: String) {
        self.push(Severity::Error, rule, file, pointer, message);
    }

    fn push(
        &mut self,
        severity: Severity,
        rule: &'static str,
        file: &str,
        pointer: &str,
        message: String,
    ) {
        self.items.push(Diagnostic {
            severity,
            rule,
            file: file.to_owned(),
            pointer: pointer.to_owned(),
            message,
        });
    }

    /// How many diagnostics there are: a mark for [`Diagnostics::relocate_since`].
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Locates each diagnostic from `mark` on in the file its pointer lies in: a stage that
    /// reports against a bundled tree knows the tree's pointer, not the file a part came from.
    pub fn relocate_since(&mut self, mark: usize, locate: impl Fn(&str) -> (String, String)) {
        for d in self.items.iter_mut().skip(mark) {
            (d.file, d.pointer) = locate(&d.pointer);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 says.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(
            pointer_push("/paths", "/api/v1/logout"),
            "/paths/~1api~1v1~1logout"
        );
        assert_eq!(pointer_push("", "a~b"), "/a~0b");
    }

    #[test]
    fn display_names_location_first() {
        let d = Diagnostic {
            severity: Severity::Warning,
            rule: "string-booleans",
            file: "specs/a.json".into(),
            pointer: "/paths/~1x/get/parameters/0/required".into(),
            message: "expected a boolean, found the string \"true\" (read as true)".into(),
        };
        assert_eq!(
            d.to_string(),
            "warning[string-booleans]: specs/a.json#/paths/~1x/get/parameters/0/required: \
             expected a boolean, found the string \"true\" (read as true)"
        );
    }
}
