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
    /// The line and column (from 1) the pointer names in the file, where the file's text is
    /// known: the key of a map member, the start of a list item.
    pub position: Option<(usize, usize)>,
    pub message: String,
    /// What this warning left out of the crate, if it left something out: a warning either
    /// repairs the spec (what arrives is what was meant) or is a loss (something the spec
    /// declares does not arrive as declared). `--deny-losses` makes losses errors.
    pub loss: Option<Loss>,
}

/// What a loss left out of the crate, for the account of a run and the list of losses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loss {
    /// An operation is not generated.
    Operation,
    /// A webhook or callback is not generated.
    Webhook,
    /// A parameter is left out, or read looser than declared (a string).
    Parameter,
    /// A body's media type is left out.
    Body,
    /// A credential the spec requires is not sent.
    Security,
    /// A schema that declares a type (or properties, items, an enum, composition) is read
    /// as any JSON value.
    AnyValue,
    /// A type is read otherwise than declared: a distinction between alternatives dropped, a
    /// property's type taken from one part only, a range narrowed.
    Type,
    /// A declared check or default is not applied (a pattern, a default, a bound).
    Check,
    /// A definition is dropped for another one (merging documents).
    Definition,
}

impl Loss {
    pub fn as_str(self) -> &'static str {
        match self {
            Loss::Operation => "operation",
            Loss::Webhook => "webhook",
            Loss::Parameter => "parameter",
            Loss::Body => "body",
            Loss::Security => "security",
            Loss::AnyValue => "any-value",
            Loss::Type => "type",
            Loss::Check => "check",
            Loss::Definition => "definition",
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        // `file:line:col` first, the form editors and terminals link.
        write!(f, "{level}[{}]: {}", self.rule, self.location())?;
        write!(f, ": {}", self.message)
    }
}

impl Diagnostic {
    /// Where the problem is: `file:line:col#pointer` (`file#pointer` where no position is
    /// known).
    pub fn location(&self) -> String {
        match self.position {
            Some((line, column)) => format!("{}:{line}:{column}#{}", self.file, self.pointer),
            None => format!("{}#{}", self.file, self.pointer),
        }
    }
}

/// Collects diagnostics for one API.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// The losses reported, so that a place lowered twice (a property met again through an
    /// allOf) is listed once.
    losses: std::collections::HashSet<(&'static str, String, String, String)>,
}

impl Diagnostics {
    /// A warning that repairs: what arrives in the crate is what the spec meant.
    pub fn warn(&mut self, rule: &'static str, file: &str, pointer: &str, message: String) {
        self.push(Severity::Warning, rule, file, pointer, message);
    }

    /// A warning that loses: something the spec declares does not arrive as declared.
    pub fn lose(
        &mut self,
        loss: Loss,
        rule: &'static str,
        file: &str,
        pointer: &str,
        message: String,
    ) {
        let key = (rule, file.to_owned(), pointer.to_owned(), message);
        if self.losses.contains(&key) {
            return;
        }
        self.push(Severity::Warning, rule, file, pointer, key.3.clone());
        if let Some(last) = self.items.last_mut() {
            last.loss = Some(loss);
        }
        self.losses.insert(key);
    }

    /// Makes every loss an error (`--deny-losses`): the API then fails with its losses
    /// listed.
    pub fn deny_losses(&mut self) {
        for d in self.items.iter_mut().filter(|d| d.loss.is_some()) {
            d.severity = Severity::Error;
        }
    }

    pub fn error(&mut self, rule: &'static str, file: &str, pointer: &str, message: String) {
        self.push(Severity::Error, rule, file, pointer, message);
    }

    /// An error whose position is known already (a syntax error, found while parsing).
    pub fn error_at(
        &mut self,
        rule: &'static str,
        file: &str,
        position: Option<(usize, usize)>,
        message: String,
    ) {
        self.push(Severity::Error, rule, file, "", message);
        if let Some(last) = self.items.last_mut() {
            last.position = position;
        }
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
            position: None,
            message,
            loss: None,
        });
    }

    /// Adds diagnostics found before the pipeline ran (by the reading of files).
    pub fn extend(&mut self, found: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(found);
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

    /// The pointers of the diagnostics about `file`, to look up in its text.
    pub fn pointers_in(&self, file: &str) -> std::collections::BTreeSet<String> {
        self.items
            .iter()
            .filter(|d| d.file == file)
            .map(|d| d.pointer.clone())
            .collect()
    }

    /// Gives each diagnostic about `file` without a position the one `found` has for its
    /// pointer (line and column).
    pub fn place(
        &mut self,
        file: &str,
        found: &std::collections::BTreeMap<String, (usize, usize)>,
    ) {
        for d in self.items.iter_mut().filter(|d| d.file == file) {
            d.position = d.position.or_else(|| found.get(&d.pointer).copied());
        }
    }

    /// How many losses of one kind were reported.
    pub fn losses_of(&self, loss: Loss) -> usize {
        self.items.iter().filter(|d| d.loss == Some(loss)).count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

/// The reference tokens of a JSON pointer, with `~1` and `~0` undone (RFC 6901).
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The JSON pointer of `tokens`, each escaped: the inverse of [`pointer_tokens`].
pub fn pointer_of(tokens: &[String]) -> String {
    let mut pointer = String::new();
    for token in tokens {
        push_token(&mut pointer, token);
    }
    pointer
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 says.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    push_token(&mut out, token);
    out
}

/// [`pointer_push`] onto the pointer itself: a walk keeps one pointer, pushing a token on
/// the way down and truncating it on the way up.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    if token.contains(['~', '/']) {
        for c in token.chars() {
            match c {
                '~' => pointer.push_str("~0"),
                '/' => pointer.push_str("~1"),
                c => pointer.push(c),
            }
        }
    } else {
        pointer.push_str(token);
    }
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
            position: None,
            message: "expected a boolean, found the string \"true\" (read as true)".into(),
            loss: None,
        };
        assert_eq!(
            d.to_string(),
            "warning[string-booleans]: specs/a.json#/paths/~1x/get/parameters/0/required: \
             expected a boolean, found the string \"true\" (read as true)"
        );
        let d = Diagnostic {
            position: Some((12, 7)),
            ..d
        };
        assert_eq!(
            d.to_string(),
            "warning[string-booleans]: specs/a.json:12:7#/paths/~1x/get/parameters/0/required: \
             expected a boolean, found the string \"true\" (read as true)"
        );
    }
}
