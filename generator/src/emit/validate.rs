//! `Validate` impls for the types: code only where a constraint can be reached, an empty
//! impl elsewhere, so per-type code stays small.

use heck::ToShoutySnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{ident, Needs};
use crate::model::{Constraints, Field, Param, TypeGraph, TypeKind, TypeRef};

/// The `Validate` impl of definition `id` (an alias has its target's). `checked` is
/// [`checked_types`] of the graph, worked out once per crate.
pub fn emit_validate_impl(
    graph: &TypeGraph,
    checked: &[bool],
    patterns: &[String],
    id: usize,
) -> Option<TokenStream> {
    let def = &graph.defs[id];
    if matches!(def.kind, TypeKind::Alias(_)) {
        return None;
    }
    let name = ident(&def.name);
    let body = if checked[id] {
        def_checks(graph, checked, patterns, &def.kind)
    } else {
        None
    };
    let object = matches!(def.kind, TypeKind::Struct(_)).then(|| {
        quote!(
            const JSON_OBJECT: bool = true;
        )
    });
    let body = body.map(|body| {
        quote! {
            fn validate(&self, path: &str, problems: &mut Vec<String>) {
                #body
            }
        }
    });
    Some(quote! {
        impl crate::validate::Validate for #name {
            #object
            #body
        }
    })
}

/// What the types' root module holds for checking values: `Validate` for `Base64`, the
/// patterns and the rule sets.
pub fn emit_validate_root(needs: &Needs, narrowed: &TokenStream) -> TokenStream {
    // The foreign types (chrono's, uuid's) have theirs in the runtime crate.
    let base64 = needs
        .base64
        .then(|| quote!(impl crate::validate::Validate for Base64 {}));
    let patterns = (!needs.patterns.is_empty()).then(|| {
        let functions = needs.patterns.iter().enumerate().map(|(i, source)| {
            let name = format_ident!("p{i}");
            let doc = format!(" Whether a text matches `{}`.", source.replace('`', "'"));
            quote! {
                #[doc = #doc]
                pub(crate) fn #name(text: &str) -> bool {
                    static REGEX: std::sync::LazyLock<Option<regex::Regex>> =
                        std::sync::LazyLock::new(|| regex::Regex::new(#source).ok());
                    REGEX.as_ref().is_none_or(|regex| regex.is_match(text))
                }
            }
        });
        quote! {
            /// The patterns the spec holds strings to, one function each, compiling its regex
            /// when first used (a pattern the regex engine cannot compile is not checked).
            #narrowed
            pub(crate) mod patterns {
                #(#functions)*
            }
        }
    });
    let rule_sets = emit_rule_sets(needs, !narrowed.is_empty());
    quote! {
        #base64
        #patterns
        #rule_sets
    }
}

/// Which definitions have something to check: a constrained field, or a field or variant
/// whose type has something to check. Computed to a fixed point, so recursion is fine.
pub fn checked_types(graph: &TypeGraph) -> Vec<bool> {
    let mut checked = vec![false; graph.defs.len()];
    loop {
        let mut changed = false;
        for (id, def) in graph.defs.iter().enumerate() {
            if checked[id] {
                continue;
            }
            let needs = match &def.kind {
                TypeKind::Struct(fields) => fields
                    .iter()
                    .any(|f| constrained(graph, &f.ty, &f.constraints) || reaches(&checked, &f.ty)),
                TypeKind::Untagged(variants) => variants
                    .iter()
                    .any(|v| constrained(graph, &v.ty, &v.constraints) || reaches(&checked, &v.ty)),
                // A value the spec does not list is refused.
                TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::Tagged { .. } => true,
                TypeKind::Newtype(ty) | TypeKind::Alias(ty) => reaches(&checked, ty),
                TypeKind::Multipart(_) => false,
            };
            if needs {
                checked[id] = true;
                changed = true;
            }
        }
        if !changed {
            return checked;
        }
    }
}

fn reaches(checked: &[bool], ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => checked[id.0],
        TypeRef::List(inner) | TypeRef::Map(inner) => reaches(checked, inner),
        _ => false,
    }
}

/// The constraints of a field that apply to its type (a length on a string, not on a
/// number).
fn applicable(graph: &TypeGraph, ty: &TypeRef, c: &Constraints) -> Constraints {
    match graph.resolve_alias(ty) {
        TypeRef::String => Constraints {
            min_length: c.min_length,
            max_length: c.max_length,
            pattern: c.pattern.clone(),
            format: c.format,
            ..Constraints::default()
        },
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 | TypeRef::F32 | TypeRef::F64 => {
            Constraints {
                minimum: c.minimum,
                maximum: c.maximum,
                exclusive_minimum: c.exclusive_minimum,
                exclusive_maximum: c.exclusive_maximum,
                multiple_of: c.multiple_of,
                ..Constraints::default()
            }
        }
        TypeRef::List(_) => Constraints {
            min_items: c.min_items,
            max_items: c.max_items,
            unique_items: c.unique_items,
            ..Constraints::default()
        },
        _ => Constraints::default(),
    }
}

/// Whether some of `c` apply to a value of `ty`, or to each of its items.
fn constrained(graph: &TypeGraph, ty: &TypeRef, c: &Constraints) -> bool {
    !applicable(graph, ty, c).is_empty() || each_of(graph, ty, c).is_some()
}

/// The type of each item of a list (or value of a map) of `ty` and the constraints it is
/// held to under `c`, when some apply to it.
pub fn each_of<'a>(
    graph: &'a TypeGraph,
    ty: &'a TypeRef,
    c: &'a Constraints,
) -> Option<(&'a TypeRef, &'a Constraints)> {
    let (TypeRef::List(inner) | TypeRef::Map(inner)) = graph.resolve_alias(ty) else {
        return None;
    };
    let each = &c.each.as_deref()?.constraints;
    (!applicable(graph, inner, each).is_empty()).then_some((&**inner, each))
}

/// The match arm of an enum's `validate` for one variant: it checks the value inside when
/// its type has something to check.
fn variant_arm(checked: &[bool], name: &str, ty: &TypeRef) -> TokenStream {
    let variant = ident(name);
    if reaches(checked, ty) {
        quote!(Self::#variant(value) => crate::validate::Validate::validate(value, path, problems),)
    } else {
        quote!(Self::#variant(_) => {})
    }
}

fn def_checks(
    graph: &TypeGraph,
    checked: &[bool],
    patterns: &[String],
    kind: &TypeKind,
) -> Option<TokenStream> {
    match kind {
        TypeKind::Struct(fields) => {
            let checks = fields
                .iter()
                .map(|f| field_checks(graph, checked, patterns, f));
            Some(quote!(#(#checks)*))
        }
        TypeKind::Untagged(variants) => {
            let arms = variants.iter().map(|v| {
                let (rules, each) = rule_sets(graph, &v.ty, &v.constraints, patterns);
                if rules.is_none() && each.is_none() {
                    return variant_arm(checked, &v.name, &v.ty);
                }
                // The alternative's own constraints (and its items'), at the union's place.
                let variant = ident(&v.name);
                let rules = rules.map(
                    |rules| quote!(crate::validate::check_here(value, path, #rules, problems);),
                );
                let each = each.map(
                    |rules| quote!(crate::validate::check_each(value, path, "", #rules, problems);),
                );
                let nested = reaches(checked, &v.ty)
                    .then(|| quote!(crate::validate::Validate::validate(value, path, problems);));
                quote!(Self::#variant(value) => {
                    #rules
                    #each
                    #nested
                })
            });
            Some(quote!(match self { #(#arms)* }))
        }
        TypeKind::Tagged { property, variants } => {
            let arms = variants
                .iter()
                .map(|v| variant_arm(checked, &v.name, &v.ty));
            let values = variants.iter().map(|v| v.value.as_str());
            Some(quote! {
                match self {
                    #(#arms)*
                    Self::Other(value) => crate::validate::unknown_tag(path, #property, value, &[#(#values),*], problems),
                }
            })
        }
        TypeKind::Enum(variants) => {
            let values = variants.iter().map(|v| v.value.as_str());
            Some(quote! {
                if let Self::Other(value) = self {
                    crate::validate::not_listed(path, value, &[#(#values),*], problems);
                }
            })
        }
        TypeKind::IntEnum(variants) => {
            let values = variants.iter().map(|v| v.value.to_string());
            Some(quote! {
                if let Self::Other(value) = self {
                    crate::validate::not_listed(path, &value.to_string(), &[#(#values),*], problems);
                }
            })
        }
        TypeKind::Newtype(_) => {
            Some(quote!(crate::validate::Validate::validate(&self.0, path, problems);))
        }
        _ => None,
    }
}

/// A field's checks: one call holding it to the rules its schema sets, one checking it by
/// its type's own `Validate`, as they apply. An absent field is not checked.
fn field_checks(
    graph: &TypeGraph,
    checked: &[bool],
    patterns: &[String],
    field: &Field,
) -> TokenStream {
    let name = ident(&field.name);
    let wire = &field.api_name;
    let (rules, each) = rule_sets(graph, &field.ty, &field.constraints, patterns);
    let rules = rules
        .map(|rules| quote!(crate::validate::check(&self.#name, path, #wire, #rules, problems);));
    let each = each.map(
        |rules| quote!(crate::validate::check_each(&self.#name, path, #wire, #rules, problems);),
    );
    let nested = reaches(checked, &field.ty).then(|| {
        if field.flatten {
            quote!(crate::validate::Validate::validate(&self.#name, path, problems);)
        } else {
            quote!(crate::validate::nested(&self.#name, path, #wire, problems);)
        }
    });
    quote!(#rules #each #nested)
}

/// The pattern a value of `ty` is held to under `constraints`: the one rule for both the
/// check and the crate's dependency on `regex`.
pub fn pattern_of<'a>(
    graph: &TypeGraph,
    ty: &TypeRef,
    constraints: &'a Constraints,
) -> Option<&'a str> {
    let applies = matches!(graph.resolve_alias(ty), TypeRef::String);
    constraints.pattern.as_deref().filter(|_| applies)
}

/// The rule set of `constraints` that applies to a value of `ty` (a length to a string, not
/// to a number): its name in the crate's `types::rules` and the constraints; `None` when
/// none applies. `patterns` are the crate's, in the order of `crate::types::patterns`.
pub fn rule_set(
    graph: &TypeGraph,
    ty: &TypeRef,
    constraints: &Constraints,
    patterns: &[String],
) -> Option<(String, Constraints)> {
    let applies = applicable(graph, ty, constraints);
    if applies.is_empty() {
        return None;
    }
    let parts: Vec<String> = applies
        .keywords()
        .into_iter()
        .map(|(keyword, value)| {
            let mut part = keyword.to_shouty_snake_case();
            match value {
                Some(source) if keyword == "pattern" => {
                    let index = pattern_index(patterns, &source);
                    part.push_str(&format!("_{index}"));
                }
                Some(value) => {
                    part.push('_');
                    for c in value.chars() {
                        match c {
                            '-' => part.push_str("MINUS_"),
                            '.' => part.push_str("_POINT_"),
                            c => part.push(c.to_ascii_uppercase()),
                        }
                    }
                }
                None => {}
            }
            part
        })
        .collect();
    Some((parts.join("_"), applies))
}

fn pattern_index(patterns: &[String], source: &str) -> usize {
    patterns
        .iter()
        .position(|p| p == source)
        .expect("every pattern is listed in `Needs`")
}

/// A value of `ty` held to `constraints` as the server and `Validate` check it: a
/// `&crate::types::rules::..` naming its rule set; `None` when no constraint applies.
fn rules_named(
    graph: &TypeGraph,
    ty: &TypeRef,
    constraints: &Constraints,
    patterns: &[String],
) -> Option<TokenStream> {
    let (name, _) = rule_set(graph, ty, constraints, patterns)?;
    let name = format_ident!("{name}");
    Some(quote!(&crate::types::rules::#name))
}

/// The rule sets (as [`rules_named`] names them) a value of `ty` is held to under
/// `constraints`, and each of its items (or values) to: either may be `None`.
fn rule_sets(
    graph: &TypeGraph,
    ty: &TypeRef,
    constraints: &Constraints,
    patterns: &[String],
) -> (Option<TokenStream>, Option<TokenStream>) {
    let own = rules_named(graph, ty, constraints, patterns);
    let each = each_of(graph, ty, constraints)
        .and_then(|(item, each)| rules_named(graph, item, each, patterns));
    (own, each)
}

/// The crate's rule sets (`types::rules`), each a `crate::validate::Rules` constant named
/// by what it holds a value to, so the constraints of a type used in many places are
/// written once.
/// With `narrowed`, a build of some groups' features may leave a set unused too.
fn emit_rule_sets(needs: &Needs, narrowed: bool) -> Option<TokenStream> {
    if needs.rules.is_empty() {
        return None;
    }
    let sets = needs.rules.iter().map(|(name, c)| {
        let name = format_ident!("{name}");
        let doc = format!(" {}.", c.describe().replace('`', "'"));
        let literal = rules_literal(c, &needs.patterns);
        quote! {
            #[doc = #doc]
            pub(crate) const #name: crate::validate::Rules = #literal;
        }
    });
    let all = crate::model::ALL_OPERATIONS;
    let unused = match narrowed {
        true => {
            quote!(#[cfg_attr(any(not(feature = "server"), not(feature = #all)), allow(dead_code))])
        }
        false => quote!(#[cfg_attr(not(feature = "server"), allow(dead_code))]),
    };
    Some(quote! {
        /// The constraints the spec holds values to, each set once, named by what it holds
        /// them to.
        // A set only parameters are held to is the server's alone.
        #unused
        pub(crate) mod rules {
            #(#sets)*
        }
    })
}

/// A `crate::validate::Rules` literal of constraints `c`, already narrowed to those that
/// apply to the value's type.
fn rules_literal(c: &Constraints, patterns: &[String]) -> TokenStream {
    let mut rules = Vec::new();
    let mut count = |name: &str, value: Option<usize>| {
        if let Some(value) = value {
            let name = format_ident!("{name}");
            let value = Literal::usize_unsuffixed(value);
            rules.push(quote!(#name: Some(#value)));
        }
    };
    count("min_length", c.min_length);
    count("max_length", c.max_length);
    count("min_items", c.min_items);
    count("max_items", c.max_items);
    if let Some(source) = &c.pattern {
        let function = format_ident!("p{}", pattern_index(patterns, source));
        rules.push(quote! {
            pattern: Some(crate::validate::Pattern {
                source: #source,
                matches: crate::types::patterns::#function,
            })
        });
    }
    let mut bound = |name: &str, limit: Option<f64>, exclusive: bool| {
        if let Some(limit) = limit {
            let name = format_ident!("{name}");
            let limit = Literal::f64_suffixed(limit);
            rules.push(quote!(#name: Some((#limit, #exclusive))));
        }
    };
    bound("minimum", c.minimum, c.exclusive_minimum);
    bound("maximum", c.maximum, c.exclusive_maximum);
    if let Some(factor) = c.multiple_of {
        let factor = Literal::f64_suffixed(factor);
        rules.push(quote!(multiple_of: Some(#factor)));
    }
    if let Some(format) = c.format {
        let format = format_ident!("{}", format!("{format:?}"));
        rules.push(quote!(format: Some(crate::validate::Format::#format)));
    }
    if c.unique_items {
        rules.push(quote!(unique_items: true));
    }
    quote!(crate::validate::Rules { #(#rules,)* ..crate::validate::Rules::NONE })
}

/// Whether values of `ty` hold a generated definition, which may have checks of its own.
fn holds_definition(graph: &TypeGraph, ty: &TypeRef) -> bool {
    match graph.resolve_alias(ty) {
        TypeRef::Named(_) => true,
        TypeRef::List(inner) | TypeRef::Map(inner) => holds_definition(graph, inner),
        _ => false,
    }
}

/// How the server checks a parameter beyond reading it: the rules its schema sets, and
/// whether its type has checks of its own.
pub struct ParamCheck {
    /// `.checked(&rules::..)`, `.checked_each(&rules::..)` on the value found, as they apply.
    pub rules: TokenStream,
    pub by_type: bool,
}

/// `checked` is [`checked_types`] of `graph`, worked out once per crate.
pub fn param_check(
    graph: &TypeGraph,
    checked: &[bool],
    patterns: &[String],
    param: &Param,
) -> ParamCheck {
    ParamCheck {
        rules: held_to(graph, patterns, &param.ty, &param.constraints),
        // Enum values the spec does not list, the fields of an object parameter.
        by_type: holds_definition(graph, &param.ty) && reaches(checked, &param.ty),
    }
}

/// The calls holding an input the server found (a parameter, a body) to `constraints`:
/// `.checked(&rules::..)` with those that apply to `ty`, `.checked_each(&rules::..)` with
/// those of each item; nothing where none apply.
pub fn held_to(
    graph: &TypeGraph,
    patterns: &[String],
    ty: &TypeRef,
    constraints: &Constraints,
) -> TokenStream {
    let (rules, each) = rule_sets(graph, ty, constraints, patterns);
    let rules = rules.map(|rules| quote!(.checked(#rules)));
    let each = each.map(|rules| quote!(.checked_each(#rules)));
    quote!(#rules #each)
}

#[cfg(test)]
mod tests {
    use super::rule_set;
    use crate::model::{Constraints, TextFormat, TypeGraph, TypeRef};

    fn name(ty: TypeRef, constraints: Constraints) -> Option<String> {
        let patterns = ["^a".to_owned(), "^[a-z]+$".to_owned()];
        rule_set(&TypeGraph::default(), &ty, &constraints, &patterns).map(|(name, _)| name)
    }

    #[test]
    fn rule_sets_are_named_by_what_applies_to_the_type() {
        let text = Constraints {
            min_length: Some(1),
            max_length: Some(63),
            pattern: Some("^[a-z]+$".to_owned()),
            format: Some(TextFormat::Email),
            minimum: Some(3.0),
            ..Constraints::default()
        };
        assert_eq!(
            name(TypeRef::String, text.clone()).as_deref(),
            Some("MIN_LENGTH_1_MAX_LENGTH_63_PATTERN_1_FORMAT_EMAIL")
        );
        // A length and a pattern say nothing of a number.
        assert_eq!(name(TypeRef::I64, text).as_deref(), Some("MINIMUM_3"));
        let bounds = Constraints {
            minimum: Some(-1.5),
            exclusive_minimum: true,
            maximum: Some(100.0),
            ..Constraints::default()
        };
        assert_eq!(
            name(TypeRef::F64, bounds).as_deref(),
            Some("EXCLUSIVE_MINIMUM_MINUS_1_POINT_5_MAXIMUM_100")
        );
        let items = Constraints {
            max_items: Some(10),
            unique_items: true,
            ..Constraints::default()
        };
        assert_eq!(
            name(TypeRef::List(Box::new(TypeRef::String)), items.clone()).as_deref(),
            Some("MAX_ITEMS_10_UNIQUE_ITEMS")
        );
        assert_eq!(name(TypeRef::String, items), None);
    }
}
