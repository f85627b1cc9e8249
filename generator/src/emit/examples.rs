//! The crate's `tests/examples.rs` and its cases: every example of the spec that matches its schema, read
//! into its type and written back. An integration test, so the crate itself is compiled once
//! for `cargo test`, not a second time with its tests inside.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, type_tokens, Needs};
use crate::model::Api;

/// `tests/examples.rs`, the test's root: the crate's types under the path the generated code
/// names them by, and the cases in a module rustfmt leaves as prettyplease wrote it.
pub fn emit_examples_root(api: &Api) -> TokenStream {
    let krate = ident(&api.crate_name.replace('-', "_"));
    quote! {
        //! Every example of the spec that matches its schema reads into its type and writes
        //! back the same JSON.

        /// The crate's types, as `crate::types` for the cases (whose examples may all be of
        /// plain types, such as strings, that name none of them).
        #[allow(unused_imports)]
        mod types {
            pub use #krate::types::*;
        }

        #[rustfmt::skip]
        #[path = "examples/cases.rs"]
        mod cases;
    }
}

/// About how many bytes of examples a file of cases holds, under half of the 1 MB GitHub
/// shows.
const FILE_BUDGET: usize = 400_000;

/// The files of cases beside `cases.rs` when the examples are more than one file should
/// hold: each a run of examples (in order) that fits, named after its first test. None when
/// they fit in `cases.rs`.
pub fn parts(api: &Api) -> Vec<(String, std::ops::Range<usize>)> {
    let weight = |i: usize| 300 + api.examples[i].json.len() + api.examples[i].pointer.len();
    if (0..api.examples.len()).map(weight).sum::<usize>() <= FILE_BUDGET {
        return Vec::new();
    }
    let mut parts: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut load = FILE_BUDGET;
    for i in 0..api.examples.len() {
        if load + weight(i) > FILE_BUDGET {
            parts.push((api.examples[i].name.clone(), i..i));
            load = 0;
        }
        load += weight(i);
        if let Some((_, range)) = parts.last_mut() {
            range.end = i + 1;
        }
    }
    parts
}

/// `tests/examples/cases/<part>.rs`: the tests of the examples in `range`.
pub fn emit_part(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    let tests = emit_tests(api, range);
    // A build of some groups' features may leave out every test of the part.
    let narrowed = super::gates::allow_when_narrowed(api, quote!(unused_imports));
    quote! {
        //! One test per example of the spec, a part of them.
        #narrowed
        use super::round_trip;

        #(#tests)*
    }
}

/// One test per example in `range`.
fn emit_tests(api: &Api, range: std::ops::Range<usize>) -> impl Iterator<Item = TokenStream> + '_ {
    api.examples[range].iter().map(|example| {
        let name = ident(&example.name);
        let ty = type_tokens(&api.types, &example.ty);
        let json = &example.json;
        let doc = format!(" `{}`", example.pointer);
        // A test of a type is compiled with the features that compile the type.
        let gate = super::gates::type_ref(api, &example.ty);
        quote! {
            #[doc = #doc]
            #gate
            #[test]
            fn #name() {
                round_trip::<#ty>(#json);
            }
        }
    })
}

/// `tests/examples/cases.rs`: one test per example, or the modules of `parts` holding them.
pub fn emit_examples(
    api: &Api,
    needs: &Needs,
    parts: &[(String, std::ops::Range<usize>)],
) -> TokenStream {
    let tests: Vec<TokenStream> = match parts {
        [] => emit_tests(api, 0..api.examples.len()).collect(),
        // `cases.rs` is a `#[path]` module of the test's root: its modules' files are
        // beside it unless they say where.
        parts => parts
            .iter()
            .map(|(name, _)| {
                let path = format!("cases/{name}.rs");
                let name = ident(name);
                quote!(#[path = #path] mod #name;)
            })
            .collect(),
    };
    // Date-times are written in one form (`Z`, fractions only when there are some), so an
    // example with another form of the same instant must compare as the instant.
    let same_text = if needs.chrono {
        quote! {
            a == b || matches!(
                (a.parse::<chrono::DateTime<chrono::Utc>>(), b.parse::<chrono::DateTime<chrono::Utc>>()),
                (Ok(x), Ok(y)) if x == y
            )
        }
    } else {
        quote!(a == b)
    };
    // A build of some groups' features may leave out every test.
    let narrowed = super::gates::allow_when_narrowed(api, quote!(dead_code));
    quote! {
        //! One test per example of the spec.

        use serde_json::Value;

        #narrowed
        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) {
            let example: Value = serde_json::from_str(json).expect("the example is JSON");
            let value: T = serde_json::from_value(example.clone()).expect("the example reads into its type");
            let written = serde_json::to_value(&value).expect("the value writes as JSON");
            if let Err(at) = keeps(&example, &written, "") {
                panic!("writing the example back changed {at}:\nexample: {example}\nwritten: {written}");
            }
        }

        /// Whether `written` keeps every value of `example`: fields the type adds (filled by
        /// defaults) are allowed, numbers compare by value (`1` and `1.0`).
        #narrowed
        fn keeps(example: &Value, written: &Value, at: &str) -> Result<(), String> {
            let same = match (example, written) {
                (Value::Object(a), Value::Object(b)) => {
                    for (key, value) in a {
                        let at = format!("{at}.{key}");
                        match b.get(key) {
                            Some(w) => keeps(value, w, &at)?,
                            None => return Err(at),
                        }
                    }
                    true
                }
                (Value::Array(a), Value::Array(b)) => {
                    if a.len() != b.len() {
                        return Err(at.to_owned());
                    }
                    for (i, (x, y)) in a.iter().zip(b).enumerate() {
                        keeps(x, y, &format!("{at}[{i}]"))?;
                    }
                    true
                }
                (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
                (Value::String(a), Value::String(b)) => #same_text,
                (a, b) => a == b,
            };
            if same { Ok(()) } else { Err(at.to_owned()) }
        }

        #(#tests)*
    }
}
