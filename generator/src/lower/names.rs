//! Turning names from a spec into valid, unique Rust identifiers.
//!
//! Every identifier in the generated code is made here, so the rules are in one place:
//! words are split on anything that is not an ASCII letter or digit, then cased; a name that
//! would start with a digit gets a letter in front; keywords get a trailing underscore; and a
//! [`Namespace`] makes names unique by numbering the later ones.

use std::collections::{HashMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be plain identifiers (strict and reserved keywords of every edition).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Splits on everything but ASCII letters and digits, so punctuation in wire names
/// (`:smile:`, `roles[]`, `zip-code`) never reaches an identifier. Other letters are
/// hex-escaped as words of their own (`ü` → `u00fc`): deterministic, and distinct names stay
/// distinct where dropping them would merge `über` into `ber`.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:04x} ", u32::from(c)));
        } else {
            out.push(' ');
        }
    }
    out
}

/// `snake_case`, or `fallback` when the name has no letters or digits at all.
/// The name Azure's `x-ms-client-name` gives a property or parameter in code (its wire
/// name stays): `{name: $filter, x-ms-client-name: Filter}`. The name to make an identifier
/// of is that, when it has a letter, else `wire`.
pub fn client_name<'a>(
    extensions: &'a indexmap::IndexMap<String, serde_json::Value>,
    wire: &'a str,
) -> &'a str {
    extensions
        .get("x-ms-client-name")
        .and_then(serde_json::Value::as_str)
        .filter(|n| n.chars().any(|c| c.is_ascii_alphabetic()))
        .unwrap_or(wire)
}

pub fn snake(raw: &str, fallback: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
        name.insert(1, '_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `UpperCamelCase`, or `fallback` when the name has no letters or digits at all.
pub fn pascal(raw: &str, fallback: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    name
}

/// A variant name for an enum value: like [`pascal`], but a sign in front is spelled
/// (`+1` → `Plus1`, `-1` → `Minus1`) and digits on both sides of punctuation keep an
/// underscore between them (`1.0` → `V1_0`, unlike `10` → `V10`), so values that differ
/// only there get different names, not numbered ones.
pub fn variant_name(value: &str) -> String {
    let trimmed = value.trim_start();
    let (sign, rest) = if let Some(rest) = trimmed.strip_prefix('+') {
        ("Plus", rest)
    } else if let Some(rest) = trimmed.strip_prefix('-') {
        ("Minus", rest)
    } else {
        ("", trimmed)
    };
    let mut name = sign.to_owned();
    for word in words(rest).split(' ').filter(|w| !w.is_empty()) {
        let word = word.to_upper_camel_case();
        let digits_meet = name.ends_with(|c: char| c.is_ascii_digit())
            && word.starts_with(|c: char| c.is_ascii_digit());
        if digits_meet {
            name.push('_');
        }
        name.push_str(&word);
    }
    if name.is_empty() {
        return if value.is_empty() { "Empty" } else { "Blank" }.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        // `Self` is the one Pascal-case keyword.
        name.push_str("Value");
    }
    name
}

/// What the type of each component is named after: the component's name, or for a
/// qualified name (`io.k8s.api.core.v1.ConfigMap`, `_types.Id`, `api.v2010.account`) the
/// fewest of its last dot-separated segments that no other component's name shares once
/// cased: `ConfigMap`, `Id`, `Account`; `CoreV1Event` beside `EventsV1Event`. A version
/// (`v1`, `v2beta1`) or a number is never a name alone (`pet.v2` is `PetV2`), nor is a
/// `reserved` name (`_types.Result` is `TypesResult`). Names that stay the same however many
/// segments they keep are left to [`Namespace`] to number.
pub fn component_hints(names: &[&str], reserved: impl Fn(&str) -> bool) -> Vec<String> {
    let segments: Vec<Vec<&str>> = names
        .iter()
        .map(|name| {
            let parts: Vec<&str> = name.split('.').filter(|s| !s.is_empty()).collect();
            if parts.len() > 1 {
                parts
            } else {
                vec![*name]
            }
        })
        .collect();
    let alone = |segment: &str| {
        let rest = segment.strip_prefix('v').unwrap_or(segment);
        !rest.starts_with(|c: char| c.is_ascii_digit())
            && !segment.starts_with(|c: char| c.is_ascii_digit())
    };
    let mut kept: Vec<usize> = segments
        .iter()
        .map(|parts| match parts.last() {
            Some(last) if !alone(last) => parts.len().min(2),
            _ => 1,
        })
        .collect();
    let hint = |i: usize, kept: &[usize]| segments[i][segments[i].len() - kept[i]..].join(".");
    loop {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for i in 0..names.len() {
            by_name
                .entry(pascal(&hint(i, &kept), "Type"))
                .or_default()
                .push(i);
        }
        let mut grew = false;
        let clashing = by_name
            .iter()
            .filter(|(name, shared)| shared.len() > 1 || reserved(name));
        for (_, shared) in clashing {
            for &i in shared {
                if kept[i] < segments[i].len() {
                    kept[i] += 1;
                    grew = true;
                }
            }
        }
        if !grew {
            return (0..names.len()).map(|i| hint(i, &kept)).collect();
        }
    }
}

/// A set of names in one scope; claiming a taken name gives the next free numbered form.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: HashSet<String>,
    /// For a base claimed more than once, the number its next claim tries first: the numbers
    /// below it are taken, and names are never given back. Trying from 2 each time made
    /// n claims of one base (enum values differing only in punctuation) take n² tries.
    next: HashMap<String, usize>,
    /// Numbered forms tried, for the test that they grow linearly.
    #[cfg(test)]
    tries: usize,
}

impl Namespace {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
            ..Namespace::default()
        }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    pub fn claim(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        // A trailing digit would run into the number (`v1` + 2 = `v12`): separate them.
        let separator = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let next = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}{separator}{next}");
            *next += 1;
            #[cfg(test)]
            {
                self.tries += 1;
            }
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_component_names_keep_the_segments_that_tell_them_apart() {
        let names = [
            "io.k8s.api.core.v1.ConfigMap",
            "io.k8s.api.core.v1.Event",
            "io.k8s.api.events.v1.Event",
            "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
            "Time",
            "pet.v2",
            "_types.Id",
            "Plain",
            "a..b",
            "_types.Result",
        ];
        assert_eq!(
            component_hints(&names, |name| name == "Result"),
            [
                "ConfigMap",
                "core.v1.Event",
                "events.v1.Event",
                "v1.Time",
                "Time",
                "pet.v2",
                "Id",
                "Plain",
                "b",
                "_types.Result",
            ]
        );
    }

    #[test]
    fn names_are_valid_identifiers() {
        assert_eq!(snake("X-Auth-Token", "p"), "x_auth_token");
        assert_eq!(
            snake("post-api-v1-chat.postMessage", "op"),
            "post_api_v1_chat_post_message"
        );
        assert_eq!(snake("type", "f"), "type_");
        assert_eq!(snake("self", "f"), "self_");
        assert_eq!(snake("roles[]", "f"), "roles");
        assert_eq!(snake(":smile:", "f"), "smile");
        assert_eq!(snake("2fa", "f"), "n_2fa");
        assert_eq!(snake("ünïcode", "f"), "u00fc_n_u00ef_code");
        assert_eq!(pascal("名前", "T"), "U540dU524d");
        assert_eq!(snake("$$", "field"), "field");
        assert_eq!(pascal("petId", "T"), "PetId");
        assert_eq!(pascal("1.0", "T"), "V10");
        assert_eq!(pascal("", "Empty"), "Empty");
    }

    #[test]
    fn enum_values_give_distinct_variant_names() {
        assert_eq!(variant_name("in-progress"), "InProgress");
        assert_eq!(variant_name("1.0"), "V1_0");
        assert_eq!(variant_name("10"), "V10");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name(" "), "Blank");
        assert_eq!(variant_name("v1.2.3"), "V1_2_3");
        assert_eq!(variant_name("self"), "SelfValue");
    }

    #[test]
    fn namespace_numbers_collisions() {
        let mut ns = Namespace::with_reserved(&["Self"]);
        assert_eq!(ns.claim("Self".into()), "Self2");
        assert_eq!(ns.claim("id".into()), "id");
        assert_eq!(ns.claim("id".into()), "id2");
        assert_eq!(ns.claim("v1".into()), "v1");
        assert_eq!(ns.claim("v1".into()), "v1_2");
        // A numbered form taken by a name of its own is passed over.
        assert_eq!(ns.claim("id3".into()), "id3");
        assert_eq!(ns.claim("id".into()), "id4");
    }

    #[test]
    fn claiming_one_base_again_and_again_tries_each_number_once() {
        let mut ns = Namespace::default();
        let claims = 10_000;
        for _ in 0..claims {
            ns.claim("x".into());
        }
        assert_eq!(ns.claim("x".into()), format!("x{}", claims + 1));
        assert_eq!(ns.tries, claims);
    }
}
