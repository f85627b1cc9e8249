//! [`Found`], an input looked up, `.required()` or `.optional()`; [`Segment`] and [`Keys`],
//! where a path parameter and an object's properties are; the parsers behind the lookups.

use std::fmt::Display;
use std::str::FromStr;

use serde::de::DeserializeOwned;

use crate::problem::Problem;
use crate::style::Parts;

/// An input looked up by name: absent, present and parsed, or present and malformed.
pub struct Found<T> {
    pub(crate) location: &'static str,
    pub(crate) name: String,
    pub(crate) value: Result<Option<T>, Problem>,
}

impl<T> Found<T> {
    pub(crate) fn new(
        location: &'static str,
        name: &str,
        value: Result<Option<T>, String>,
    ) -> Self {
        Found {
            location,
            name: name.to_owned(),
            value: value.map_err(|detail| {
                Problem::bad_input(
                    location,
                    name,
                    format!("{location} parameter {name}: {detail}"),
                )
            }),
        }
    }

    /// A body, already checked.
    pub fn body(value: Result<Option<T>, Problem>) -> Self {
        Found {
            location: "body",
            name: String::new(),
            value,
        }
    }

    /// The value, when there is one, made another (a body read another way).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Found<U> {
        Found {
            location: self.location,
            name: self.name,
            value: self.value.map(|value| value.map(f)),
        }
    }

    /// Holds the value, when there is one, to the constraints its schema puts on it: 400
    /// naming the input and each broken constraint (`query.limit: 500 is above maximum 100`).
    pub fn checked(self, rules: &crate::validate::Rules) -> Self
    where
        T: crate::validate::Constrained,
    {
        self.held(|value, location, name, problems| {
            crate::validate::check(value, location, name, rules, problems)
        })
    }

    /// Holds each item of the value (a list), when there is one, to the constraints of its
    /// `items` schema: 400 naming the input, the item and each broken constraint.
    pub fn checked_each(self, rules: &crate::validate::Rules) -> Self
    where
        T: crate::validate::Each,
    {
        self.held(|value, location, name, problems| {
            crate::validate::check_each(value, location, name, rules, problems)
        })
    }

    /// Checks the value, when there is one, by its type's own `Validate` (enum values the
    /// spec does not list, the fields of an object).
    pub fn validated(self) -> Self
    where
        T: crate::validate::Validate,
    {
        self.held(crate::validate::nested)
    }

    /// The value kept when `check` finds no problem with it, else 400 naming them.
    pub(crate) fn held(self, check: impl FnOnce(&T, &str, &str, &mut Vec<String>)) -> Self {
        let Found {
            location,
            name,
            value,
        } = self;
        let value = match value {
            Ok(Some(value)) => {
                let mut problems = Vec::new();
                check(&value, location, &name, &mut problems);
                if problems.is_empty() {
                    Ok(Some(value))
                } else {
                    Err(Problem::bad_input(
                        location,
                        &name,
                        crate::validate::described(&problems),
                    ))
                }
            }
            other => other,
        };
        Found {
            location,
            name,
            value,
        }
    }

    /// An object parameter that sent no pairs, read as the empty object where its type
    /// allows one: exploded (`form` or `deepObject`), an empty object is no pairs at all, so
    /// a required one that is empty is not missing.
    pub fn or_empty(self) -> Self
    where
        T: DeserializeOwned,
    {
        match self.value {
            Ok(None) => Found {
                value: Ok(read_pairs(&[]).ok()),
                ..self
            },
            _ => self,
        }
    }

    /// The value, or 400 when it is missing or malformed.
    pub fn required(self) -> Result<T, Problem> {
        match self.value? {
            Some(value) => Ok(value),
            None if self.location == "body" => Err(Problem::bad_input(
                "body",
                "",
                "the request body is required".to_owned(),
            )),
            None => Err(Problem::bad_input(
                self.location,
                &self.name,
                format!(
                    "required {} parameter {} is missing",
                    self.location, self.name
                ),
            )),
        }
    }

    /// The value if present, or 400 when it is malformed.
    pub fn optional(self) -> Result<Option<T>, Problem> {
        self.value
    }
}

/// Where a path parameter `name` is: its segment counted from the path's end (`back`, 0
/// for the last), and the literal text around it in that segment (encoded as the route has
/// it).
#[derive(Clone, Copy)]
pub struct Segment<'a> {
    pub(crate) back: usize,
    pub(crate) name: &'a str,
    pub(crate) prefix: &'a str,
    pub(crate) suffix: &'a str,
}

impl<'a> Segment<'a> {
    /// The parameter `name`, the whole segment `back` segments from the path's end.
    pub fn at(back: usize, name: &'a str) -> Self {
        Segment {
            back,
            name,
            prefix: "",
            suffix: "",
        }
    }

    /// The parameter between `prefix` and `suffix` in its segment (`item-{id}.json`).
    pub fn within(self, prefix: &'a str, suffix: &'a str) -> Self {
        Segment {
            prefix,
            suffix,
            ..self
        }
    }
}

/// Which query pairs (or cookies) are an exploded object's properties.
#[derive(Clone, Copy)]
pub enum Keys<'a> {
    /// Those of the properties its schema names.
    Only(&'a [&'a str]),
    /// Any but these, the operation's other query parameters: the object takes properties
    /// its schema does not name (`additionalProperties`, or an object with no properties).
    AllBut(&'a [&'a str]),
}

impl Keys<'_> {
    pub(crate) fn has(&self, key: &str) -> bool {
        match self {
            Keys::Only(keys) => keys.contains(&key),
            // A `deepObject` parameter among them has `other[property]` pairs.
            Keys::AllBut(others) => !others.iter().any(|other| {
                key.strip_prefix(other)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
            }),
        }
    }
}

pub(crate) fn parse_text<T: FromStr>(text: &str) -> Result<T, String>
where
    T::Err: Display,
{
    text.parse().map_err(|e| format!("{e} (got {text:?})"))
}

pub(crate) fn parse_list<T: FromStr>(items: &[&str]) -> Result<Vec<T>, String>
where
    T::Err: Display,
{
    items.iter().map(|item| parse_text(item)).collect()
}

/// An object read from its properties' pairs, each value the text of a scalar.
pub(crate) fn read_pairs<T: DeserializeOwned>(pairs: &[(&str, &str)]) -> Result<T, String> {
    serde_urlencoded::to_string(pairs)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_urlencoded::from_str(&text).map_err(|e| e.to_string()))
}

/// The array [`style::read_text`] or [`style::read_delimited`] read, each item parsed.
pub(crate) fn list_of<T: FromStr>(parts: Result<Parts, String>) -> Result<Vec<T>, String>
where
    T::Err: Display,
{
    match parts? {
        Parts::List(items) => items.iter().map(|item| parse_text(item)).collect(),
        Parts::Object(_) => Err("expected an array".to_owned()),
    }
}

/// The object [`style::read_text`] or [`style::read_delimited`] read.
pub(crate) fn object_of<T: DeserializeOwned>(parts: Result<Parts, String>) -> Result<T, String> {
    match parts? {
        Parts::Object(properties) => {
            let pairs: Vec<(&str, &str)> = properties
                .iter()
                .map(|(p, v)| (p.as_str(), v.as_str()))
                .collect();
            read_pairs(&pairs)
        }
        Parts::List(_) => Err("expected an object".to_owned()),
    }
}

pub(crate) fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("not the expected JSON: {e}"))
}
