//! Reading a document alone (JSON or YAML, chosen as the `generate` target chooses it),
//! then finding the line and column of each of its nodes as diagnostics do: many more runs a
//! second than the whole pipeline, for the readers' depth and time limits. A run past
//! libFuzzer's `-timeout` is a finding like a panic: time must stay linear in the input.

#![no_main]

use std::collections::BTreeSet;

use generator::diagnostics::{push_token, Diagnostics};
use generator::load::{load_document, positions::positions, Source};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// At most this many pointers are located, as a spec's diagnostics name a few hundred.
const POINTERS: usize = 512;

/// The pointer of each node of `value` (and of one absent member per map, located at its
/// nearest present parent), up to [`POINTERS`].
fn pointers(value: &Value, at: &mut String, out: &mut BTreeSet<String>) {
    if out.len() >= POINTERS {
        return;
    }
    out.insert(at.clone());
    let len = at.len();
    match value {
        Value::Object(map) => {
            push_token(at, "absent");
            out.insert(at.clone());
            at.truncate(len);
            for (key, member) in map {
                push_token(at, key);
                pointers(member, at, out);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                push_token(at, &i.to_string());
                pointers(item, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source {
        path: "input".to_owned(),
        text: text.to_owned(),
    };
    let mut diags = Diagnostics::default();
    let mut found = BTreeSet::new();
    match load_document(&source, &mut diags) {
        Some(document) => pointers(&document.value, &mut String::new(), &mut found),
        // A refused document is still scanned, as its error is located: the whole text,
        // at the document's root.
        None => {
            found.insert(String::new());
        }
    }
    positions(text, generator::load::is_json(&source), &found);
});
