//! Named repair rules on the raw JSON tree, run before the tree is parsed as OpenAPI.
//!
//! Real specs break the letter of the OpenAPI schema in habitual ways. Each rule repairs one
//! habit where the intent is clear, and records a warning at the place it changed, so the user
//! can fix the spec upstream. A rule never removes information silently.

mod constraints;
mod openapi31;
pub(crate) mod openapi32;
mod polymorphism;
mod schemas;
mod string_booleans;
mod structure;
pub(crate) mod walk;

use serde_json::Value;

use crate::diagnostics::{Diagnostics, Loss};

pub(crate) use walk::each_object;

/// A repair rule: its name (shown in diagnostics and summaries) and the function applying it
/// to one document.
pub struct Rule {
    pub name: &'static str,
    pub apply: fn(&mut Value, &mut Context<'_>),
}

/// What a rule gets besides the tree: the file it is repairing and where to report.
pub struct Context<'a> {
    pub file: &'a str,
    pub rule: &'static str,
    pub diags: &'a mut Diagnostics,
}

impl Context<'_> {
    pub fn repaired(&mut self, pointer: &str, message: String) {
        self.diags.warn(self.rule, self.file, pointer, message);
    }

    /// Where a rule cannot keep what the spec declares: a loss, not a repair.
    pub fn lost(&mut self, loss: Loss, pointer: &str, message: String) {
        self.diags
            .lose(loss, self.rule, self.file, pointer, message);
    }
}

/// Every rule, in the order they run: structure first, then the 3.1 dialect, then schema
/// repairs (which see 3.0 shapes only).
pub const RULES: &[Rule] = &[
    Rule {
        name: "string-booleans",
        apply: string_booleans::apply,
    },
    Rule {
        name: "null-sections",
        apply: structure::null_sections,
    },
    Rule {
        name: "info-fields",
        apply: structure::info_fields,
    },
    Rule {
        name: "missing-paths",
        apply: structure::missing_paths,
    },
    Rule {
        name: "path-leading-slash",
        apply: structure::path_leading_slash,
    },
    Rule {
        name: "path-key-notes",
        apply: structure::path_key_notes,
    },
    Rule {
        name: "security-scopes",
        apply: structure::security_scopes,
    },
    Rule {
        name: "missing-responses",
        apply: structure::missing_responses,
    },
    Rule {
        name: "colon-path-params",
        apply: structure::colon_path_params,
    },
    Rule {
        name: "item-schema",
        apply: openapi32::item_schema,
    },
    Rule {
        name: "not-generated-yet",
        apply: openapi32::operations_not_generated,
    },
    Rule {
        name: "default-mapping",
        apply: openapi32::default_mapping,
    },
    Rule {
        name: "device-authorization",
        apply: openapi32::device_flow,
    },
    Rule {
        name: "parameter-styles",
        apply: structure::parameter_styles,
    },
    Rule {
        name: "type-arrays",
        apply: openapi31::type_arrays,
    },
    Rule {
        name: "const-values",
        apply: openapi31::const_values,
    },
    Rule {
        name: "null-alternatives",
        apply: openapi31::null_alternatives,
    },
    Rule {
        name: "schema-examples",
        apply: openapi31::schema_examples,
    },
    Rule {
        name: "exclusive-bounds",
        apply: openapi31::exclusive_bounds,
    },
    Rule {
        name: "ref-siblings",
        apply: openapi31::ref_siblings,
    },
    Rule {
        name: "boolean-schemas",
        apply: schemas::boolean_schemas,
    },
    Rule {
        name: "keyword-typos",
        apply: schemas::keyword_typos,
    },
    Rule {
        name: "unknown-types",
        apply: schemas::unknown_types,
    },
    Rule {
        name: "keyword-values",
        apply: schemas::keyword_values,
    },
    Rule {
        name: "required-unknown",
        apply: schemas::required_unknown,
    },
    Rule {
        name: "items-without-array",
        apply: schemas::items_without_array,
    },
    Rule {
        name: "exclusive-without-bound",
        apply: constraints::exclusive_without_bound,
    },
    Rule {
        name: "multiple-of",
        apply: constraints::multiple_of,
    },
    Rule {
        name: "contradictory-bounds",
        apply: constraints::contradictory_bounds,
    },
    Rule {
        name: "discriminated-base",
        apply: polymorphism::discriminated_bases,
    },
];

/// Runs every rule over one document.
pub fn normalize_document(value: &mut Value, file: &str, diags: &mut Diagnostics) {
    for rule in RULES {
        let mut cx = Context {
            file,
            rule: rule.name,
            diags,
        };
        (rule.apply)(value, &mut cx);
    }
}

/// Keys whose values are data from the API's domain (examples, defaults, enum values) or
/// vendor extensions: rules repair the spec's own keywords and never touch these.
pub(crate) fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}
