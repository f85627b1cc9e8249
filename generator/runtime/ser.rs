//! What every struct's `Serialize` needs, once per crate: the structs of `types` write a
//! JSON object with one call per field, rather than with serde's derive, which checks the
//! result of every field and sums the object's length in each struct.

use serde::ser::{self, SerializeStruct};

/// An object being written. The first error is kept and the fields after it are skipped,
/// so a struct's `serialize` calls [`field`](Object::field) once per field and looks at the
/// result once, in [`end`](Object::end).
pub(crate) struct Object<S: ser::Serializer> {
    state: S::SerializeStruct,
    error: Option<S::Error>,
}

impl<S: ser::Serializer> Object<S> {
    /// Starts the object `name` of `fields` fields, less each optional one that `absent`
    /// says is `None` (left out).
    pub(crate) fn new(
        serializer: S,
        name: &'static str,
        fields: usize,
        absent: &[bool],
    ) -> Result<Self, S::Error> {
        let len = fields - absent.iter().filter(|absent| **absent).count();
        Ok(Object {
            state: serializer.serialize_struct(name, len)?,
            error: None,
        })
    }

    /// Writes a field.
    pub(crate) fn field<T: ?Sized + ser::Serialize>(&mut self, key: &'static str, value: &T) {
        if self.error.is_none() {
            self.error = self.state.serialize_field(key, value).err();
        }
    }

    /// Writes an optional field when it is set; `None` is left out.
    pub(crate) fn optional<T: ser::Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if value.is_some() {
            self.field(key, value);
        }
    }

    /// Ends the object, or gives the first error.
    pub(crate) fn end(self) -> Result<S::Ok, S::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.state.end(),
        }
    }
}
