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

/// `tests/examples/cases.rs`: one test per example.
pub fn emit_examples(api: &Api, needs: &Needs) -> TokenStream {
    let tests = api.examples.iter().map(|example| {
        let name = ident(&example.name);
        let ty = type_tokens(&api.types, &example.ty);
        let json = &example.json;
        let doc = format!(" `{}`", example.pointer);
        quote! {
            #[doc = #doc]
            #[test]
            fn #name() {
                round_trip::<#ty>(#json);
            }
        }
    });
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
    quote! {
        //! One test per example of the spec.

        use serde_json::Value;

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
