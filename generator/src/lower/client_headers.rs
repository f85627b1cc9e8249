//! Client-level headers: the session headers of APIs that pass authentication as plain
//! header parameters.
//!
//! Rocket.Chat and many internal APIs declare `X-Auth-Token` and `X-User-Id` as required
//! header parameters on nearly every operation instead of a security scheme. Passing them
//! on every call buries the real arguments, so the rule is: a string header parameter that
//! is required on at least half of the API's operations, and on at least two, is stored on
//! the client once; each operation's argument for it becomes an optional override. Headers
//! compare case-insensitively, as HTTP does. The server side is unchanged.

use std::collections::{BTreeMap, BTreeSet};

use super::operations::CLIENT_METHODS;
use super::snake;
use crate::model::{ClientHeader, Location, Operation, ParamEncoding, TypeRef};

pub(super) fn mark_client_headers(operations: &mut [Operation]) -> Vec<ClientHeader> {
    // Lower-case name → spellings with their counts, counting each operation once.
    let mut uses: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for op in operations.iter() {
        let mut seen = BTreeSet::new();
        for param in op.params.iter().filter(|p| qualifies(p)) {
            let key = param.api_name.to_ascii_lowercase();
            if seen.insert(key.clone()) {
                *uses
                    .entry(key)
                    .or_default()
                    .entry(param.api_name.clone())
                    .or_default() += 1;
            }
        }
    }
    let mut taken: BTreeSet<String> = operations.iter().map(|op| op.name.clone()).collect();
    taken.extend(CLIENT_METHODS.iter().map(|name| (*name).to_owned()));
    let mut headers = Vec::new();
    for spellings in uses.values() {
        let count: usize = spellings.values().sum();
        if count < 2 || count * 2 < operations.len() {
            continue;
        }
        // The most used spelling names the header (ties: the first in order).
        let Some(api_name) = spellings
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(name, _)| name.clone())
        else {
            continue;
        };
        let base = snake(&api_name, "header");
        let mut suffix = String::new();
        while taken.contains(&format!("set_{base}{suffix}"))
            || taken.contains(&format!("clear_{base}{suffix}"))
        {
            suffix.push_str("_header");
        }
        let header = ClientHeader {
            setter: format!("set_{base}{suffix}"),
            clearer: format!("clear_{base}{suffix}"),
            api_name,
        };
        taken.insert(header.setter.clone());
        taken.insert(header.clearer.clone());
        headers.push(header);
    }
    for op in operations.iter_mut() {
        for param in op.params.iter_mut() {
            param.client_level = qualifies(param)
                && headers
                    .iter()
                    .any(|h| h.api_name.eq_ignore_ascii_case(&param.api_name));
        }
    }
    headers
}

fn qualifies(param: &crate::model::Param) -> bool {
    param.location == Location::Header
        && param.required
        && param.encoding == ParamEncoding::Text
        && param.ty == TypeRef::String
}
