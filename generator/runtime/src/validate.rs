//! Checking values against the constraints of their schemas (lengths, ranges, patterns,
//! item counts, formats, values an enum does not list). The server stub checks every request
//! before an implementation sees it; a client may check what it sends. The same in every
//! generated crate.

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
            if problems.len() >= MAX_PROBLEMS {
                return;
            }
            item.validate(&format!("{path}[{i}]"), problems);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, path: &str, problems: &mut Vec<String>) {
        for (key, value) in self {
            if problems.len() >= MAX_PROBLEMS {
                return;
            }
            value.validate(&format!("{path}.{key}"), problems);
        }
    }
}

/// How many problems a value is checked for before the items of its lists and maps are
/// no longer looked at: a list of a million bad items costs what a hundred do, and the
/// answer naming them stays short.
pub const MAX_PROBLEMS: usize = 100;

/// The problems found, as one text; with [`MAX_PROBLEMS`] or more, a note that checking
/// stops there, so there may be more.
pub fn described(problems: &[String]) -> String {
    let mut text = problems.join("; ");
    if problems.len() >= MAX_PROBLEMS {
        text.push_str(&format!("; (checking stops at {MAX_PROBLEMS} problems)"));
    }
    text
}

/// Checks every constraint of `value`, then the value's own: the list of problems, empty
/// when it is valid (the items of its lists and maps are looked at until there are
/// [`MAX_PROBLEMS`]).
pub fn problems<T: Validate>(value: &T, path: &str) -> Vec<String> {
    let mut problems = Vec::new();
    value.validate(path, &mut problems);
    problems
}

/// The constraints a schema puts on a value, as data: the generated code names a value's
/// rules, and [`check`] applies them, so a constrained field costs one call.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<Pattern>,
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    /// Greater than 0.
    pub multiple_of: Option<f64>,
    pub format: Option<Format>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
}

impl Rules {
    /// No constraint: the rest of a value's rules, `Rules { max_length: Some(63), ..Rules::NONE }`.
    pub const NONE: Rules = Rules {
        min_length: None,
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
        multiple_of: None,
        format: None,
        min_items: None,
        max_items: None,
        unique_items: false,
    };
}

/// A `pattern`: its source, and the generated function running it (one per pattern in the
/// crate, compiling the regex when first used), so crates without patterns need no regex
/// engine.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    pub source: &'static str,
    pub matches: fn(&str) -> bool,
}

/// A value's place, `parent.name` (`body.name`), written out only for a problem.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub parent: &'a str,
    pub name: &'a str,
}

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.name {
            // The value at `parent` itself.
            "" => f.write_str(self.parent),
            name => write!(f, "{}.{name}", self.parent),
        }
    }
}

/// A value that can be held to [`Rules`]: the rules that apply to its kind (lengths to
/// strings, ranges to numbers, counts to arrays); an absent value to none.
pub trait Constrained {
    fn constrained(&self, rules: &Rules, place: Place<'_>, problems: &mut Vec<String>);
}

impl Constrained for String {
    fn constrained(&self, rules: &Rules, place: Place<'_>, problems: &mut Vec<String>) {
        if rules.min_length.is_some() || rules.max_length.is_some() {
            length(place, self, rules.min_length, rules.max_length, problems);
        }
        if let Some(Pattern { source, matches }) = rules.pattern {
            pattern(place, self, matches(self), source, problems);
        }
        if let Some(kind) = rules.format {
            format(place, self, kind, problems);
        }
    }
}

/// Numbers are held to `minimum` and `maximum` as `f64`, as JSON compares them.
macro_rules! numbers {
    ($($ty:ty),*) => {
        $(impl Constrained for $ty {
            fn constrained(&self, rules: &Rules, place: Place<'_>, problems: &mut Vec<String>) {
                range(place, *self as f64, rules.minimum, rules.maximum, problems);
                if let Some(factor) = rules.multiple_of {
                    multiple(place, *self as f64, factor, problems);
                }
            }
        })*
    };
}

numbers!(i32, i64, u32, u64, f32, f64);

impl<T: PartialEq> Constrained for Vec<T> {
    fn constrained(&self, rules: &Rules, place: Place<'_>, problems: &mut Vec<String>) {
        items(
            place,
            self,
            rules.min_items,
            rules.max_items,
            rules.unique_items,
            problems,
        );
    }
}

impl<T: Constrained> Constrained for Option<T> {
    fn constrained(&self, rules: &Rules, place: Place<'_>, problems: &mut Vec<String>) {
        if let Some(value) = self {
            value.constrained(rules, place, problems);
        }
    }
}

/// Holds the field `name` of the value at `parent` to `rules`.
pub fn check<T: Constrained>(
    value: &T,
    parent: &str,
    name: &str,
    rules: &Rules,
    problems: &mut Vec<String>,
) {
    value.constrained(rules, Place { parent, name }, problems);
}

/// A list or a map whose items (its values) are held to [`Rules`] one by one, each at a
/// place of its own (`tags[2]`, `labels.color`); an absent one has none.
pub trait Each {
    fn each_constrained(&self, rules: &Rules, place: Place<'_>, problems: &mut Vec<String>);
}

impl<T: Constrained> Each for Vec<T> {
    fn each_constrained(&self, rules: &Rules, place: Place<'_>, problems: &mut Vec<String>) {
        use std::fmt::Write;
        // One place, rewritten for each item.
        let mut parent = place.to_string();
        let base = parent.len();
        for (i, item) in self.iter().enumerate() {
            if problems.len() >= MAX_PROBLEMS {
                return;
            }
            parent.truncate(base);
            let _ = write!(parent, "[{i}]");
            item.constrained(
                rules,
                Place {
                    parent: &parent,
                    name: "",
                },
                problems,
            );
        }
    }
}

impl<T: Constrained> Each for BTreeMap<String, T> {
    fn each_constrained(&self, rules: &Rules, place: Place<'_>, problems: &mut Vec<String>) {
        let parent = place.to_string();
        for (key, value) in self {
            if problems.len() >= MAX_PROBLEMS {
                return;
            }
            value.constrained(
                rules,
                Place {
                    parent: &parent,
                    name: key,
                },
                problems,
            );
        }
    }
}

impl<T: Each> Each for Box<T> {
    fn each_constrained(&self, rules: &Rules, place: Place<'_>, problems: &mut Vec<String>) {
        (**self).each_constrained(rules, place, problems);
    }
}

impl<T: Each> Each for Option<T> {
    fn each_constrained(&self, rules: &Rules, place: Place<'_>, problems: &mut Vec<String>) {
        if let Some(value) = self {
            value.each_constrained(rules, place, problems);
        }
    }
}

/// Holds each item (or each value) of the field `name` of the value at `parent` to
/// `rules`, the constraints of its `items` (or `additionalProperties`) schema.
pub fn check_each<T: Each>(
    value: &T,
    parent: &str,
    name: &str,
    rules: &Rules,
    problems: &mut Vec<String>,
) {
    value.each_constrained(rules, Place { parent, name }, problems);
}

/// Holds the value at `path` itself (an alternative of a union) to `rules`.
pub fn check_here<T: Constrained>(
    value: &T,
    path: &str,
    rules: &Rules,
    problems: &mut Vec<String>,
) {
    value.constrained(
        rules,
        Place {
            parent: path,
            name: "",
        },
        problems,
    );
}

/// Checks the field `name` of the value at `parent` by its own type's [`Validate`].
pub fn nested<T: Validate>(value: &T, parent: &str, name: &str, problems: &mut Vec<String>) {
    value.validate(&Place { parent, name }.to_string(), problems);
}

/// `minLength` / `maxLength`, counted in characters as JSON Schema does.
pub fn length(
    path: impl std::fmt::Display,
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
pub fn pattern(
    path: impl std::fmt::Display,
    text: &str,
    matched: bool,
    source: &str,
    problems: &mut Vec<String>,
) {
    if !matched {
        problems.push(format!(
            "{path}: {text:?} does not match pattern {source:?}"
        ));
    }
}

/// `minimum` / `maximum`, each inclusive unless its `exclusive` flag is set.
pub fn range(
    path: impl std::fmt::Display,
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

/// `multipleOf`: the quotient is whole, within the rounding of `f64` (`0.3` is a multiple of
/// `0.1`, though `0.3 / 0.1` is `2.9999999999999996`).
pub fn multiple(path: impl std::fmt::Display, value: f64, factor: f64, problems: &mut Vec<String>) {
    let quotient = value / factor;
    if (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
        problems.push(format!("{path}: {value} is not a multiple of {factor}"));
    }
}

/// `minItems` / `maxItems` / `uniqueItems`.
pub fn items<T: PartialEq>(
    path: impl std::fmt::Display,
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

/// A value outside a closed list (an enum's values, a union's tags): forward-compatible
/// reading keeps it, and the server refuses it here, naming what the spec allows.
pub fn not_listed(path: &str, value: &str, allowed: &[&str], problems: &mut Vec<String>) {
    let allowed: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
    problems.push(format!(
        "{path}: {value:?} is not one of the allowed values {}",
        allowed.join(", ")
    ));
}

/// An object of a discriminated union whose tag (the value of `property`) the spec does
/// not list.
pub fn unknown_tag(
    path: &str,
    property: &str,
    value: &serde_json::Value,
    allowed: &[&str],
    problems: &mut Vec<String>,
) {
    let tag = match value.get(property) {
        Some(serde_json::Value::String(tag)) => tag.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    not_listed(&format!("{path}.{property}"), &tag, allowed, problems);
}

/// The string formats checked as text; `date-time`, `date` and `uuid` are read into types
/// of their own, which refuse malformed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Email,
    Uri,
    Ipv4,
    Ipv6,
}

/// `format`: `email` by the HTML standard's rule for a valid e-mail address (what browsers
/// accept: RFC 5322's full grammar admits quoted forms nobody sends), `uri` by RFC 3986's
/// grammar for an absolute URI, `ipv4` and `ipv6` by the standard library's address parsers.
pub fn format(
    path: impl std::fmt::Display,
    text: &str,
    format: Format,
    problems: &mut Vec<String>,
) {
    let (valid, name) = match format {
        Format::Email => (is_email(text), "email"),
        Format::Uri => (is_uri(text), "uri"),
        Format::Ipv4 => (text.parse::<std::net::Ipv4Addr>().is_ok(), "ipv4"),
        Format::Ipv6 => (text.parse::<std::net::Ipv6Addr>().is_ok(), "ipv6"),
    };
    if !valid {
        problems.push(format!("{path}: {text:?} is not a valid {name}"));
    }
}

/// <https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address>: a local part of
/// letters, digits and ``.!#$%&'*+/=?^_`{|}~-``, `@`, then dot-separated labels of up to 63
/// letters, digits and inner hyphens.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    local_ok
        && domain.split('.').all(|label| {
            let bytes = label.as_bytes();
            (1..=63).contains(&bytes.len())
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
                && bytes[0] != b'-'
                && bytes[bytes.len() - 1] != b'-'
        })
}

/// RFC 3986 `absolute-URI`: a scheme (a letter, then letters, digits, `+`, `-`, `.`), a
/// colon, and the rest made of the characters a URI may hold, `%` only before two hex digits.
fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b)) {
            return false;
        }
        i += 1;
    }
    scheme_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems_of<T: Constrained>(value: T, rules: Rules) -> Vec<String> {
        let mut problems = Vec::new();
        check(&value, "body", "field", &rules, &mut problems);
        problems
    }

    #[test]
    fn a_hostile_list_is_checked_to_a_bounded_number_of_problems() {
        let rules = Rules {
            minimum: Some((3.0, false)),
            ..Rules::NONE
        };
        let bad = vec![1_i64; 1_000_000];
        let mut problems = Vec::new();
        check_each(&bad, "body", "", &rules, &mut problems);
        assert_eq!(problems.len(), MAX_PROBLEMS);
        assert_eq!(problems[1], "body[1]: 1 is below minimum 3");
        let text = described(&problems);
        assert!(
            text.ends_with("; (checking stops at 100 problems)"),
            "{text}"
        );
        assert!(text.len() < 5_000, "{}", text.len());
        // Nested lists stop as soon, through `Validate`.
        let nested: Vec<Vec<Unchecked>> = vec![vec![Unchecked(1); 1000]; 1000];
        let problems = super::problems(&nested, "body");
        assert_eq!(problems.len(), MAX_PROBLEMS);
        assert!(described(&problems[..2]).ends_with("body[0][1]: bad 1"));
    }

    /// A value whose own check always finds one problem.
    #[derive(Clone)]
    struct Unchecked(u8);

    impl Validate for Unchecked {
        fn validate(&self, path: &str, problems: &mut Vec<String>) {
            problems.push(format!("{path}: bad {}", self.0));
        }
    }

    #[test]
    fn lengths_count_characters_as_json_schema_does() {
        let rules = Rules {
            min_length: Some(2),
            max_length: Some(3),
            ..Rules::NONE
        };
        assert!(problems_of("\u{e9}\u{e9}\u{e9}".to_owned(), rules).is_empty());
        let short = problems_of("a".to_owned(), rules);
        assert_eq!(short.len(), 1);
        assert!(short[0].starts_with("body.field: "), "{short:?}");
        assert_eq!(problems_of("abcd".to_owned(), rules).len(), 1);
        assert!(problems_of(None::<String>, rules).is_empty(), "absent");
    }

    #[test]
    fn ranges_are_inclusive_or_exclusive_and_multiples_checked() {
        let rules = Rules {
            minimum: Some((1.0, false)),
            maximum: Some((10.0, true)),
            multiple_of: Some(0.5),
            ..Rules::NONE
        };
        assert!(problems_of(1.0f64, rules).is_empty());
        assert!(problems_of(9.5f64, rules).is_empty());
        assert_eq!(problems_of(10.0f64, rules).len(), 1, "exclusive maximum");
        assert_eq!(problems_of(0i64, rules).len(), 1);
        assert_eq!(problems_of(2.25f64, rules).len(), 1, "not a multiple");
    }

    #[test]
    fn arrays_are_held_to_counts_and_uniqueness() {
        let rules = Rules {
            min_items: Some(1),
            max_items: Some(3),
            unique_items: true,
            ..Rules::NONE
        };
        assert!(problems_of(vec![1, 2, 3], rules).is_empty());
        assert_eq!(problems_of(Vec::<i64>::new(), rules).len(), 1);
        assert_eq!(problems_of(vec![1, 2, 3, 4], rules).len(), 1);
        assert_eq!(problems_of(vec![1, 1], rules).len(), 1);
    }

    #[test]
    fn patterns_run_the_generated_function_and_name_their_source() {
        let rules = Rules {
            pattern: Some(Pattern {
                source: "^[a-z]+$",
                matches: |text| text.chars().all(|c| c.is_ascii_lowercase()),
            }),
            ..Rules::NONE
        };
        assert!(problems_of("abc".to_owned(), rules).is_empty());
        let problems = problems_of("aBc".to_owned(), rules);
        assert!(problems[0].contains("^[a-z]+$"), "{problems:?}");
    }

    #[test]
    fn formats_follow_their_standards() {
        let rules = |format| Rules {
            format: Some(format),
            ..Rules::NONE
        };
        for (text, format, valid) in [
            ("a.b+c@example.com", Format::Email, true),
            ("a@-example.com", Format::Email, false),
            ("\"quoted\"@example.com", Format::Email, false),
            ("no-at-sign", Format::Email, false),
            ("https://example.com/a?b=c#d", Format::Uri, true),
            ("urn:isbn:0451450523", Format::Uri, true),
            ("/relative/path", Format::Uri, false),
            ("http://bad%zz", Format::Uri, false),
            ("192.168.0.1", Format::Ipv4, true),
            ("256.0.0.1", Format::Ipv4, false),
            ("::1", Format::Ipv6, true),
            ("1::2::3", Format::Ipv6, false),
        ] {
            let problems = problems_of(text.to_owned(), rules(format));
            assert_eq!(
                problems.is_empty(),
                valid,
                "{text} {format:?}: {problems:?}"
            );
        }
    }

    #[test]
    fn a_value_an_enum_does_not_list_is_named_with_the_allowed_ones() {
        let mut problems = Vec::new();
        not_listed("body.kind", "bird", &["cat", "dog"], &mut problems);
        assert_eq!(
            problems,
            ["body.kind: \"bird\" is not one of the allowed values \"cat\", \"dog\""]
        );
    }
}
