//! Reading a document, JSON or YAML, straight into the JSON tree the pipeline uses, noting
//! on the way what the tree cannot say: a key given twice in one mapping (the last value is
//! kept, as both readers do, but no longer without a word), and YAML's numbers JSON has no
//! form for.
//!
//! YAML allows more than JSON: keys that are numbers or booleans (an unquoted `200:` status
//! code is an integer), tags, integers beyond 64 bits (a `maximum: 18446744073709552000`
//! copied from a database's limits) and non-finite floats. Keys become their text, tags are
//! dropped with their value kept, wide integers become the nearest float, and a non-finite
//! float is null.

use std::cell::RefCell;
use std::fmt::{self, Write};

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess};
use serde::de::{VariantAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use crate::diagnostics::push_token;

/// What the tree does not show: each a JSON pointer into it.
#[derive(Debug, Default)]
pub(super) struct Notes {
    /// A key given again in its mapping (the pointer names the key), with the last value.
    pub duplicates: Vec<String>,
    /// A YAML number with no JSON form, read as null.
    pub non_finite: Vec<(String, f64)>,
}

/// Reads one value with `deserializer`, the pointer of each part kept as it goes.
pub(super) fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(Value, Notes), D::Error> {
    let state = RefCell::new(State::default());
    let value = Node(&state).deserialize(deserializer)?;
    Ok((value, state.into_inner().notes))
}

#[derive(Default)]
struct State {
    /// The pointer of the value being read: a token pushed on the way down, cut on the way
    /// up.
    pointer: String,
    notes: Notes,
}

/// A value at the state's pointer.
#[derive(Clone, Copy)]
struct Node<'s>(&'s RefCell<State>);

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Node<'_> {
    /// Reads a child value, whose pointer is the state's with a token `push` adds.
    fn child<T, E>(
        self,
        push: impl FnOnce(&mut String),
        read: impl FnOnce(Self) -> Result<T, E>,
    ) -> Result<T, E> {
        let len = self.0.borrow().pointer.len();
        push(&mut self.0.borrow_mut().pointer);
        let result = read(self);
        self.0.borrow_mut().pointer.truncate(len);
        result
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or_else(
            || {
                let mut state = self.0.borrow_mut();
                let pointer = state.pointer.clone();
                state.notes.non_finite.push((pointer, v));
                Value::Null
            },
            Value::Number,
        ))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            let index = items.len();
            let push = |pointer: &mut String| {
                let _ = write!(pointer, "/{index}");
            };
            let item = self.child(push, |node| seq.next_element_seed(node))?;
            match item {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(Key(self.0))? {
            let value = self.child(|p| push_token(p, &key), |node| map.next_value_seed(node))?;
            match object.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                Entry::Occupied(mut slot) => {
                    let mut state = self.0.borrow_mut();
                    let mut pointer = state.pointer.clone();
                    push_token(&mut pointer, slot.key());
                    state.notes.duplicates.push(pointer);
                    slot.insert(value);
                }
            }
        }
        Ok(Value::Object(object))
    }
    /// A tagged YAML value (`!custom x`): the tag is dropped and the value kept.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

/// A mapping's key, as text: YAML's numbers, booleans and null as JSON writes them, a
/// collection (YAML allows them as keys) as its JSON text.
struct Key<'s>(&'s RefCell<State>);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        Ok(match Node(self.0).deserialize(deserializer)? {
            Value::String(s) => s,
            other => other.to_string(),
        })
    }
}
