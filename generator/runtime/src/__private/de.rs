//! What every struct's `Deserialize` needs, once per crate: a struct reads a JSON object
//! through one visitor, into tuples of slots (one per field, see [`Fields`]) whose reading
//! is written here once, rather than with serde's derive, whose code per struct (a field
//! enum, its visitor, a visitor for arrays) is most of what the compiler spends on a
//! generated crate. A struct names its slots' types in an [`Object`] impl, which makes
//! the struct of the values read; its `Deserialize` is one call to [`object`].

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Visitor};

/// A struct read from an object by [`object`]: its fields' slots and what it keeps of the
/// keys it does not name. Nothing here is generic over the input's lifetime or its
/// deserializer, so the compiler checks it once per struct, not within each `deserialize`
/// (the slots' types and their values' types, proved and normalized with the lifetimes
/// and the deserializer of a generic function, were most of a struct's cost).
pub trait Object: Sized {
    /// A slot per field, in the tuples' shape [`Fields`] reads.
    type Fields: Fields;
    /// What the struct does with the keys it does not name.
    type Rest: Rest;

    /// The struct of the values read (its fields' values in [`Object::Fields`]' shape,
    /// the type written out, and the rest).
    fn build(fields: <Self::Fields as Fields>::Values, rest: Self::Rest) -> Self;
}

/// Reads a struct `T` from an object: the fields named by `names` (in the order of its
/// slots) and the keys `names` does not list (see [`Rest`]). `expecting` says what the
/// struct is, for an error when the input is not an object.
pub fn object<'de, T: Object, D: de::Deserializer<'de>>(
    deserializer: D,
    expecting: &'static str,
    names: &'static [&'static str],
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor::<T> {
        expecting,
        names,
        read: PhantomData,
    })
}

struct ObjectVisitor<T> {
    expecting: &'static str,
    names: &'static [&'static str],
    read: PhantomData<T>,
}

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut fields = T::Fields::default();
        let mut rest = T::Rest::default();
        while let Some(key) = map.next_key::<Key>()? {
            match self.names.iter().position(|name| *name == key.0) {
                Some(index) => fields.read(index, &mut map)?,
                None => rest.insert(key, &mut map)?,
            }
        }
        Ok(T::build(fields.finish(self.names)?, rest))
    }
}

/// The fields of a struct as they are read: a slot ([`Required`], [`Optional`],
/// [`OrNull`], [`NotNull`], [`Loose`]) per field, in tuples of up to six (a tuple of such tuples for a
/// larger struct), so that a struct of any size is one type; `()` for none. The values
/// are owned (`DeserializeOwned`), so a slot's type has no lifetime of the input.
pub trait Fields: Default {
    /// How many fields.
    const LEN: usize;
    /// What the fields read to, in the tuples' shape.
    type Values;

    /// Reads the value of the field at `index` (in the tuples' order).
    fn read<'de, A: de::MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;

    /// The values read, or the error of a required field the object did not have; `names`
    /// are the fields' keys.
    fn finish<E: de::Error>(self, names: &[&'static str]) -> Result<Self::Values, E>;
}

impl Fields for () {
    const LEN: usize = 0;
    type Values = ();

    fn read<'de, A: de::MapAccess<'de>>(&mut self, _: usize, _: &mut A) -> Result<(), A::Error> {
        Ok(())
    }

    fn finish<E: de::Error>(self, _: &[&'static str]) -> Result<(), E> {
        Ok(())
    }
}

/// A tuple of fields: each part reads the indices after those of the parts before it.
macro_rules! tuple {
    ($($part:ident . $index:tt),+) => {
        impl<$($part: Fields),+> Fields for ($($part,)+) {
            const LEN: usize = 0 $(+ $part::LEN)+;
            type Values = ($($part::Values,)+);

            #[allow(unused_assignments)]
            fn read<'de, A: de::MapAccess<'de>>(&mut self, mut index: usize, map: &mut A) -> Result<(), A::Error> {
                $(
                    if index < $part::LEN {
                        return self.$index.read(index, map);
                    }
                    index -= $part::LEN;
                )+
                Ok(())
            }

            #[allow(unused_assignments)]
            fn finish<E: de::Error>(self, mut names: &[&'static str]) -> Result<Self::Values, E> {
                Ok(($({
                    let (part, rest) = names.split_at($part::LEN);
                    names = rest;
                    self.$index.finish(part)?
                },)+))
            }
        }
    };
}

tuple!(P0.0, P1.1);
tuple!(P0.0, P1.1, P2.2);
tuple!(P0.0, P1.1, P2.2, P3.3);
tuple!(P0.0, P1.1, P2.2, P3.3, P4.4);
tuple!(P0.0, P1.1, P2.2, P3.3, P4.4, P5.5);

/// A slot: one field, [`Fields`] of length one.
macro_rules! slot {
    ($(#[$doc:meta])* $slot:ident, $value:ty, |$map:ident| $read:expr, |$held:ident, $name:ident| $finish:expr) => {
        $(#[$doc])*
        pub struct $slot<T>(Option<T>);

        impl<T> Default for $slot<T> {
            fn default() -> Self {
                $slot(None)
            }
        }

        impl<T: DeserializeOwned> Fields for $slot<T> {
            const LEN: usize = 1;
            type Values = $value;

            fn read<'de, A: de::MapAccess<'de>>(&mut self, _: usize, $map: &mut A) -> Result<(), A::Error> {
                // Of a key given twice, the last value counts.
                self.0 = $read;
                Ok(())
            }

            fn finish<E: de::Error>(self, names: &[&'static str]) -> Result<$value, E> {
                let ($held, $name) = (self.0, names[0]);
                $finish
            }
        }
    };
}

slot!(
    /// A required field: an object without it is an error.
    Required, T,
    |map| Some(map.next_value()?),
    |held, name| held.ok_or_else(|| de::Error::missing_field(name))
);

slot!(
    /// A field that may be absent, `None` then (the struct fills in its default; for an
    /// `Option<Option<T>>`, null is `Some(None)`).
    Optional, Option<T>,
    |map| Some(map.next_value()?),
    |held, _name| Ok(held)
);

slot!(
    /// An optional field that may be null: null or absent, it is `None`.
    OrNull, Option<T>,
    |map| map.next_value()?,
    |held, _name| Ok(held)
);

slot!(
    /// An optional field the schema does not let be null. A null reads as absent, as a
    /// client should take what servers in the wild send, except inside [`strict`].
    NotNull, Option<T>,
    |map| map.next_value::<NullRefused<T>>()?.0,
    |held, _name| Ok(held)
);

slot!(
    /// An optional field of a struct merged from a union's alternatives that only some of
    /// them declare: an alternative without it takes any value under its name, so a value
    /// that does not read as the field's type (null included) reads as absent.
    Loose, Option<T>,
    |map| T::deserialize(map.next_value::<serde_json::Value>()?).ok(),
    |held, _name| Ok(held)
);

/// What a struct does with the keys it does not name.
pub trait Rest: Default {
    /// Takes the value of `key`.
    fn insert<'de, A: de::MapAccess<'de>>(
        &mut self,
        key: Key<'de>,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// Skips them.
impl Rest for () {
    fn insert<'de, A: de::MapAccess<'de>>(
        &mut self,
        _: Key<'de>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        map.next_value::<de::IgnoredAny>().map(drop)
    }
}

/// Keeps them: the flattened map of `additionalProperties`.
impl<V: DeserializeOwned> Rest for BTreeMap<String, V> {
    fn insert<'de, A: de::MapAccess<'de>>(
        &mut self,
        key: Key<'de>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let value = map.next_value()?;
        BTreeMap::insert(self, key.0.into_owned(), value);
        Ok(())
    }
}

/// A key of an object, borrowed from the input where it can be.
pub struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(String::from_utf8_lossy(key).into_owned())))
    }
}

/// Reads the value of a union whose alternatives nothing tells apart (a `oneOf` or `anyOf`
/// without a discriminator), once, for each alternative to be tried on ([`Alternatives`]).
pub fn buffered<'de, D: de::Deserializer<'de>>(
    deserializer: D,
) -> Result<serde_json::Value, D::Error> {
    de::Deserialize::deserialize(deserializer)
}

/// The alternatives of a union tried in turn on its value, read once by [`buffered`]: first
/// those the value's keys claim ([`Alternatives::has`], [`Alternatives::declares`]), then
/// each in order. The first that fits is the value; the server (inside [`strict`]) also holds each to its
/// schema's constraints, so a later alternative is tried where an earlier one reads the
/// value but breaks a constraint. When none fits, the error is the nearest miss's.
pub struct Alternatives<'v> {
    value: &'v serde_json::Value,
    nearest: Option<Miss>,
    /// The alternatives read so far: one a claim chose is not read again in order.
    tried: Vec<&'static str>,
}

/// How far an alternative got before it failed: a miss that read the value and broke only
/// a constraint is nearer than any that could not read it, and of two that could not, the
/// one that failed deeper in the value read more of it. Without a discriminator the spec
/// says nothing more about which alternative a value was meant to be.
struct Miss {
    alternative: &'static str,
    nearness: (bool, usize),
    error: String,
}

impl<'v> Alternatives<'v> {
    pub fn new(value: &'v serde_json::Value) -> Self {
        Alternatives {
            value,
            nearest: None,
            tried: Vec::new(),
        }
    }

    /// Whether the value is an object with `property`, holding the string `value` if given:
    /// what claims the value for one alternative before any is read.
    pub fn has(&self, property: &str, value: Option<&str>) -> bool {
        match (self.value.get(property), value) {
            (Some(found), Some(value)) => found.as_str() == Some(value),
            (found, None) => found.is_some(),
            (None, Some(_)) => false,
        }
    }

    /// Whether the value is an object whose keys are all among `keys` (those an object
    /// alternative declares).
    pub fn declares(&self, keys: &[&str]) -> bool {
        self.value
            .as_object()
            .is_some_and(|object| object.keys().all(|k| keys.contains(&k.as_str())))
    }

    /// The union made by `make` of the alternative `T` (named `name`), when the value fits it.
    pub fn read<T: de::DeserializeOwned + crate::validate::Validate, U>(
        &mut self,
        name: &'static str,
        make: fn(T) -> U,
    ) -> Option<U> {
        if self.tried.contains(&name) {
            return None;
        }
        self.tried.push(name);
        let miss = match serde_path_to_error::deserialize::<_, T>(self.value) {
            Ok(value) if !STRICT.get() => return Some(make(value)),
            Ok(value) => {
                let problems = crate::validate::problems(&value, "");
                if problems.is_empty() {
                    return Some(make(value));
                }
                let problems: Vec<&str> = problems
                    .iter()
                    .map(|p| p.strip_prefix('.').unwrap_or(p))
                    .collect();
                ((true, 0), problems.join("; "))
            }
            Err(e) => {
                let depth = e.path().iter().count();
                let error = match e.path().to_string() {
                    path if path == "." => e.into_inner().to_string(),
                    path => format!("{path}: {}", e.into_inner()),
                };
                ((false, depth), error)
            }
        };
        let (nearness, error) = miss;
        if self.nearest.as_ref().is_none_or(|n| nearness > n.nearness) {
            self.nearest = Some(Miss {
                alternative: name,
                nearness,
                error,
            });
        }
        None
    }

    /// The error for a value that fits none of the union `union`'s alternatives: the nearest
    /// miss's, with the alternative it was.
    pub fn none_fits<E: de::Error>(self, union: &str) -> E {
        match self.nearest {
            Some(miss) => E::custom(format_args!(
                "fits none of the alternatives of {union}; the nearest, {}, fails with: {}",
                miss.alternative, miss.error
            )),
            None => E::custom(format_args!("{union} has no alternatives")),
        }
    }
}

thread_local! {
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// A value that may be absent but not null. Refused while the value is read, so that the
/// error passes where the reader keeps the path to it.
struct NullRefused<T>(Option<T>);

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for NullRefused<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Option::<T>::deserialize(deserializer)?;
        if value.is_none() && STRICT.get() {
            return Err(de::Error::custom("null is not allowed here"));
        }
        Ok(NullRefused(value))
    }
}

/// Runs `read` (a deserialization, which never waits) the way the server reads a request:
/// a null refused wherever the schema lets a field be absent but not null, and each
/// alternative of a union held to its constraints before it is taken.
#[cfg(feature = "server")]
pub fn strict<T>(read: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            STRICT.set(self.0);
        }
    }
    let _restore = Restore(STRICT.replace(true));
    read()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct as the generated code reads one: `id` required, `tag` optional but never
    /// null, `note` optional or null.
    #[derive(Debug, PartialEq)]
    struct Pet {
        id: i64,
        tag: Option<String>,
        note: Option<String>,
    }

    impl Object for Pet {
        type Fields = (Required<i64>, NotNull<String>, OrNull<String>);
        type Rest = ();

        fn build((id, tag, note): (i64, Option<String>, Option<String>), _: ()) -> Self {
            Pet { id, tag, note }
        }
    }

    impl<'de> de::Deserialize<'de> for Pet {
        fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            object(deserializer, "an object (Pet)", &["id", "tag", "note"])
        }
    }

    fn read(json: &str) -> Result<Pet, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn an_object_is_read_into_its_slots_by_name_in_any_order() {
        assert_eq!(
            read(r#"{"note": null, "other": [1], "tag": "dog", "id": 7}"#),
            Ok(Pet {
                id: 7,
                tag: Some("dog".to_owned()),
                note: None,
            })
        );
        assert_eq!(
            read(r#"{"id": 7}"#),
            Ok(Pet {
                id: 7,
                tag: None,
                note: None,
            })
        );
    }

    #[test]
    fn a_missing_required_field_and_an_array_are_errors() {
        let missing = read(r#"{"tag": "dog"}"#).unwrap_err();
        assert!(missing.contains("id"), "{missing}");
        let not_object = read("[1]").unwrap_err();
        assert!(not_object.contains("an object (Pet)"), "{not_object}");
    }

    /// A client takes a null where the schema allows none as absent; the server, reading
    /// strictly, refuses it.
    #[test]
    fn a_null_where_none_is_allowed_is_absent_except_when_strict() {
        assert_eq!(
            read(r#"{"id": 1, "tag": null}"#).map(|pet| pet.tag),
            Ok(None)
        );
        #[cfg(feature = "server")]
        assert!(strict(|| read(r#"{"id": 1, "tag": null}"#)).is_err());
    }
}
