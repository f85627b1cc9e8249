//! What every struct's `Serialize` needs, once per crate: a struct writes a JSON object
//! through [`object`], naming its fields' values in tuples (see [`Fields`]) whose writing is
//! written here once, rather than with serde's derive, which checks the result of every
//! field and sums the object's length in each struct.

use serde::ser::{self, SerializeStruct};

/// Writes a struct `name` as an object: its fields `fields` under the keys `names`, in the
/// order of `fields`.
pub fn object<S: ser::Serializer, F: Fields>(
    serializer: S,
    name: &'static str,
    names: &'static [&'static str],
    fields: F,
) -> Result<S::Ok, S::Error> {
    let mut state = serializer.serialize_struct(name, fields.count())?;
    fields.write(names, &mut state)?;
    state.end()
}

/// The fields of a struct as they are written: a reference to each field's value (an
/// [`Optional`] for one left out when `None`), in tuples of up to six (a tuple of such
/// tuples for a larger struct); `()` for none.
pub trait Fields {
    /// How many fields.
    const LEN: usize;

    /// How many fields are written (optional ones that are `None` are not).
    fn count(&self) -> usize;

    /// Writes the fields under the keys `names`.
    fn write<M: SerializeStruct>(
        &self,
        names: &[&'static str],
        state: &mut M,
    ) -> Result<(), M::Error>;
}

impl Fields for () {
    const LEN: usize = 0;

    fn count(&self) -> usize {
        0
    }

    fn write<M: SerializeStruct>(&self, _: &[&'static str], _: &mut M) -> Result<(), M::Error> {
        Ok(())
    }
}

/// A field always written.
impl<T: ?Sized + ser::Serialize> Fields for &T {
    const LEN: usize = 1;

    fn count(&self) -> usize {
        1
    }

    fn write<M: SerializeStruct>(
        &self,
        names: &[&'static str],
        state: &mut M,
    ) -> Result<(), M::Error> {
        state.serialize_field(names[0], *self)
    }
}

/// An optional field, left out when `None`.
pub struct Optional<'a, T>(pub &'a Option<T>);

impl<T: ser::Serialize> Fields for Optional<'_, T> {
    const LEN: usize = 1;

    fn count(&self) -> usize {
        usize::from(self.0.is_some())
    }

    fn write<M: SerializeStruct>(
        &self,
        names: &[&'static str],
        state: &mut M,
    ) -> Result<(), M::Error> {
        match self.0 {
            Some(value) => state.serialize_field(names[0], value),
            None => Ok(()),
        }
    }
}

/// A tuple of fields: each part writes the keys after those of the parts before it.
macro_rules! tuple {
    ($($part:ident . $index:tt),+) => {
        impl<$($part: Fields),+> Fields for ($($part,)+) {
            const LEN: usize = 0 $(+ $part::LEN)+;

            fn count(&self) -> usize {
                0 $(+ self.$index.count())+
            }

            #[allow(unused_assignments)]
            fn write<M: SerializeStruct>(
                &self,
                mut names: &[&'static str],
                state: &mut M,
            ) -> Result<(), M::Error> {
                $(
                    let (part, rest) = names.split_at($part::LEN);
                    self.$index.write(part, state)?;
                    names = rest;
                )+
                Ok(())
            }
        }
    };
}

tuple!(P0.0, P1.1);
tuple!(P0.0, P1.1, P2.2);
tuple!(P0.0, P1.1, P2.2, P3.3);
tuple!(P0.0, P1.1, P2.2, P3.3, P4.4);
tuple!(P0.0, P1.1, P2.2, P3.3, P4.4, P5.5);

#[cfg(test)]
mod tests {
    use super::*;

    struct Pet {
        id: i64,
        tag: Option<String>,
        note: Option<String>,
    }

    impl ser::Serialize for Pet {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            object(
                serializer,
                "Pet",
                &["id", "tag", "note"],
                (&self.id, Optional(&self.tag), &self.note),
            )
        }
    }

    #[test]
    fn fields_are_written_in_order_and_an_optional_none_is_left_out() {
        let pet = Pet {
            id: 7,
            tag: None,
            note: None,
        };
        assert_eq!(
            serde_json::to_string(&pet).unwrap(),
            r#"{"id":7,"note":null}"#
        );
        let tagged = Pet {
            tag: Some("dog".to_owned()),
            ..pet
        };
        assert_eq!(
            serde_json::to_string(&tagged).unwrap(),
            r#"{"id":7,"tag":"dog","note":null}"#
        );
    }
}
