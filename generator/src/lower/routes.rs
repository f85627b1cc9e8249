//! Path keys as URLs, and which operation the server answers each request shape with.
//!
//! A path key is more than a path in real specs: `/files/{file_id}#get_shared_link` names an
//! operation beside `/files/{file_id}` by a fragment, `/responses/{id}?beta=true` adds a
//! query. Neither is part of the path the client sends. And two templates that differ only
//! in their variables' names (`/Contacts/{ContactID}`, `/Contacts/{ContactNumber}`) are one
//! request on the wire. The client keeps every operation; the server routes each request
//! shape once, to the first operation of that shape in the document.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;

use super::Lowerer;
use crate::model::{Location, Method, Operation, Param};

/// A path key taken apart: the path the URL has, and the constant query it carries.
pub(super) struct PathKey<'k> {
    pub path: &'k str,
    /// The query's pairs, decoded; a name without `=` has the empty value.
    pub query: Vec<(String, String)>,
}

impl<'k> PathKey<'k> {
    /// `/responses/{id}?beta=true#v2` → `/responses/{id}` and `beta=true`. A fragment is
    /// never sent; it only names the operation where there is no operationId.
    pub fn split(key: &'k str) -> Self {
        let key = key.split_once('#').map_or(key, |(path, _)| path);
        let (path, query) = key.split_once('?').unwrap_or((key, ""));
        let decode = |text: &str| {
            percent_decode_str(&text.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        };
        let query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(name), decode(value))
            })
            .collect();
        PathKey { path, query }
    }
}

impl Lowerer<'_> {
    /// The constant query of a path key, less a pair whose name a declared query parameter
    /// of the operation has (the parameter's value is sent instead).
    pub(super) fn query_constants(
        &mut self,
        query: Vec<(String, String)>,
        params: &[Param],
        pointer: &str,
    ) -> Vec<(String, String)> {
        let (declared, constants): (Vec<_>, Vec<_>) = query.into_iter().partition(|(name, _)| {
            params
                .iter()
                .any(|p| p.location == Location::Query && p.api_name == *name)
        });
        for (name, value) in declared {
            self.warn(
                "path-query",
                pointer,
                format!("the path's query sets {name:?} to {value:?}, which is also a declared query parameter; the parameter is sent instead"),
            );
        }
        constants
    }
}

/// What tells a request apart on the wire: the method, the path's literal text with its
/// variables erased, and the constant query.
type WireKey = (Method, Vec<Vec<Option<String>>>, Vec<(String, String)>);

/// The operations seen so far, by what their requests look like on the wire.
#[derive(Default)]
pub(super) struct Routes {
    first: BTreeMap<WireKey, (String, String)>,
}

impl Routes {
    /// Records `op`, seen at `label` (`GET /Contacts/{ContactNumber}`). When an earlier
    /// operation is the same request on the wire, `op` is answered by it: its `answered_by`
    /// is set and the message saying so, naming both, is returned.
    pub fn admit(&mut self, op: &mut Operation, label: String) -> Option<String> {
        let shape = op.path.shape();
        let shape = shape
            .iter()
            .map(|segment| segment.iter().map(|part| part.map(str::to_owned)).collect())
            .collect();
        let mut query = op.query_constants.clone();
        query.sort();
        let key = (op.method.clone(), shape, query);
        match self.first.get(&key) {
            Some((name, earlier)) => {
                op.answered_by = Some(name.clone());
                Some(format!(
                    "{label} is the same request on the wire as {earlier} (`{name}`), which comes \
                     first: the server answers it with `{name}` and leaves `{}` out of its trait; \
                     the client has both",
                    op.name
                ))
            }
            None => {
                self.first.insert(key, (op.name.clone(), label));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PathKey;

    #[test]
    fn a_path_key_loses_its_fragment_and_gives_its_query() {
        let key = PathKey::split("/files/{file_id}#get_shared_link");
        assert_eq!((key.path, key.query.len()), ("/files/{file_id}", 0));
        let key = PathKey::split("/responses/{id}?beta=true&mode=a%20b&flag#x");
        assert_eq!(key.path, "/responses/{id}");
        let pairs = [("beta", "true"), ("mode", "a b"), ("flag", "")];
        let expected: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(key.query, expected);
    }
}
