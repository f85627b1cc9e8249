//! What every struct's `Deserialize` needs, once per crate: the structs of `types` read a
//! JSON object field by field with these, through one visitor, rather than with serde's
//! derive, whose code per struct (a field enum, its visitor, a visitor for arrays) is most
//! of what the compiler spends on a generated crate.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Visitor};

/// A struct read from a JSON object: its `Deserialize` is [`object`], and this reads its
/// fields, so the one visitor of the crate serves every struct.
pub(crate) trait Object<'de>: Sized {
    /// What the struct is, for an error when the input is not an object.
    const EXPECTING: &'static str;

    /// Reads the struct's fields from the object's entries.
    fn read<A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads a struct from an object.
pub(crate) fn object<'de, D: de::Deserializer<'de>, T: Object<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// A key of an object, borrowed from the input where it can be.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

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

/// Reads a field's value into its slot; of a key given twice, the last value counts.
pub(crate) fn set<'de, A: de::MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads an optional field that may be null: null or absent, it is `None`.
pub(crate) fn read<'de, A: de::MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

thread_local! {
    static REFUSING_NULLS: Cell<bool> = const { Cell::new(false) };
}

/// Reads an optional field the schema does not let be null. A null reads as absent, as a
/// client should take what servers in the wild send, except inside [`refusing_nulls`].
pub(crate) fn optional<'de, A: de::MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = map.next_value::<NotNull<T>>()?.0;
    Ok(())
}

/// A value that may be absent but not null. Refused while the value is read, so that the
/// error passes where the reader keeps the path to it.
struct NotNull<T>(Option<T>);

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for NotNull<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Option::<T>::deserialize(deserializer)?;
        if value.is_none() && REFUSING_NULLS.get() {
            return Err(de::Error::custom("null is not allowed here"));
        }
        Ok(NotNull(value))
    }
}

/// Runs `read` (a deserialization, which never waits) with a null refused wherever the
/// schema lets a field be absent but not null: how the server reads a request.
#[cfg(feature = "server")]
pub(crate) fn refusing_nulls<T>(read: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            REFUSING_NULLS.set(self.0);
        }
    }
    let _restore = Restore(REFUSING_NULLS.replace(true));
    read()
}

/// Skips the value of a key the struct does not know.
pub(crate) fn skip<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}
