//! Checking values against the constraints of their schemas (lengths, ranges, patterns,
//! item counts). The server stub checks every request body before an implementation sees
//! it; a client may check what it sends. The same in every generated crate.

use std::collections::BTreeMap;

/// A value that can be checked against its schema's constraints.
pub trait Validate {
    /// Whether the value's JSON form is an object (a struct). Serde's derive also reads a
    /// struct from an array of its fields, which a server must refuse.
    const JSON_OBJECT: bool = false;

    /// Adds a message for each constraint the value breaks, each naming the value's place
    /// under `path` (`body.name`, `body.tags[2]`).
    fn validate(&self, path: &str, problems: &mut Vec<String>) {
        let _ = (path, problems);
    }
}

/// Types whose schemas carry no constraints of their own: those on a field are checked by
/// the struct holding it.
macro_rules! unconstrained {
    ($($ty:ty),*) => {
        $(impl Validate for $ty {})*
    };
}

unconstrained!(
    String,
    bool,
    i32,
    i64,
    u32,
    u64,
    f32,
    f64,
    serde_json::Value
);

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, path: &str, problems: &mut Vec<String>) {
        if let Some(value) = self {
            value.validate(path, problems);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, path: &str, problems: &mut Vec<String>) {
        (**self).validate(path, problems);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, path: &str, problems: &mut Vec<String>) {
        for (i, item) in self.iter().enumerate() {
            item.validate(&format!("{path}[{i}]"), problems);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, path: &str, problems: &mut Vec<String>) {
        for (key, value) in self {
            value.validate(&format!("{path}.{key}"), problems);
        }
    }
}

/// Checks every constraint of `value`, then the value's own: the whole list of problems,
/// empty when it is valid.
pub fn problems<T: Validate>(value: &T, path: &str) -> Vec<String> {
    let mut problems = Vec::new();
    value.validate(path, &mut problems);
    problems
}

/// `minLength` / `maxLength`, counted in characters as JSON Schema does.
pub fn length(
    path: &str,
    text: &str,
    min: Option<usize>,
    max: Option<usize>,
    problems: &mut Vec<String>,
) {
    let length = text.chars().count();
    if let Some(min) = min.filter(|min| length < *min) {
        problems.push(format!("{path}: length {length} is below minLength {min}"));
    }
    if let Some(max) = max.filter(|max| length > *max) {
        problems.push(format!("{path}: length {length} is above maxLength {max}"));
    }
}

/// `pattern`, unanchored as in JSON Schema; the generated code runs the regex, so crates
/// without patterns need no regex engine.
pub fn pattern(path: &str, text: &str, matched: bool, source: &str, problems: &mut Vec<String>) {
    if !matched {
        problems.push(format!(
            "{path}: {text:?} does not match pattern {source:?}"
        ));
    }
}

/// `minimum` / `maximum`, each inclusive unless its `exclusive` flag is set.
pub fn range(
    path: &str,
    value: f64,
    min: Option<(f64, bool)>,
    max: Option<(f64, bool)>,
    problems: &mut Vec<String>,
) {
    if let Some((min, exclusive)) = min {
        if value < min || (exclusive && value == min) {
            let name = if exclusive {
                "exclusiveMinimum"
            } else {
                "minimum"
            };
            problems.push(format!("{path}: {value} is below {name} {min}"));
        }
    }
    if let Some((max, exclusive)) = max {
        if value > max || (exclusive && value == max) {
            let name = if exclusive {
                "exclusiveMaximum"
            } else {
                "maximum"
            };
            problems.push(format!("{path}: {value} is above {name} {max}"));
        }
    }
}

/// `minItems` / `maxItems` / `uniqueItems`.
pub fn items<T: PartialEq>(
    path: &str,
    items: &[T],
    min: Option<usize>,
    max: Option<usize>,
    unique: bool,
    problems: &mut Vec<String>,
) {
    let count = items.len();
    if let Some(min) = min.filter(|min| count < *min) {
        problems.push(format!("{path}: {count} items is below minItems {min}"));
    }
    if let Some(max) = max.filter(|max| count > *max) {
        problems.push(format!("{path}: {count} items is above maxItems {max}"));
    }
    if unique {
        let repeated = (1..count).find(|&i| items[..i].contains(&items[i]));
        if let Some(i) = repeated {
            problems.push(format!(
                "{path}: item {i} repeats an earlier item, but uniqueItems is set"
            ));
        }
    }
}
