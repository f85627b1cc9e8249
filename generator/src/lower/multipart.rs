//! `multipart/form-data` request bodies: each property of the body's object schema is one
//! part. A schema composed of objects is read as the forms it allows: an allOf is one form
//! holding every part's properties, an anyOf one form whose properties are required where
//! every alternative requires them, and a oneOf one form per alternative, the body then
//! being an enum of the forms (an untagged enum of multipart structs, read as the first form
//! the parts fit, the form with more required parts first).

use openapiv3::{ArrayType, ReferenceOr, Schema, SchemaKind, Type};

use super::bodies::is_binary;
use super::{component_name, pascal, snake, Lowerer, Namespace};
use crate::diagnostics::{pointer_push, Loss};
use crate::model::{
    Docs, PartField, PartKind, TypeDef, TypeId, TypeKind, TypeRef, UntaggedVariant,
};

/// More forms than this (a oneOf in an allOf beside another) are merged into one.
const MAX_FORMS: usize = 16;

/// One way to fill a multipart body: the properties, each with the pointer of the property
/// (first declaration wins), and the names required.
#[derive(Clone, Default)]
struct Form<'a> {
    properties: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>, String)>,
    required: Vec<&'a str>,
}

impl<'a> Form<'a> {
    /// Adds `other`'s properties and requirements (allOf).
    fn merge(&mut self, other: &Form<'a>) {
        for property in &other.properties {
            if !self.properties.iter().any(|(name, ..)| *name == property.0) {
                self.properties.push(property.clone());
            }
        }
        self.required.extend(other.required.iter().copied());
    }

    /// One form holding every property of `forms`, each required when all require it (anyOf,
    /// or forms too many to keep apart).
    fn union(forms: &[Form<'a>]) -> Form<'a> {
        let mut union = Form::default();
        for form in forms {
            union.merge(&Form {
                properties: form.properties.clone(),
                required: Vec::new(),
            });
        }
        union.required = union
            .properties
            .iter()
            .map(|(name, ..)| name.as_str())
            .filter(|name| forms.iter().all(|f| f.required.contains(name)))
            .collect();
        union
    }

    fn is_required(&self, name: &str) -> bool {
        self.required.contains(&name)
    }
}

impl<'a> Lowerer<'a> {
    /// The type of a multipart body: one multipart struct, or an enum of them when the
    /// schema is a oneOf of forms. `None` (with a warning) when the schema is missing or
    /// describes no object.
    pub(super) fn lower_multipart(
        &mut self,
        schema: Option<&'a ReferenceOr<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> Option<TypeId> {
        let Some(schema) = schema else {
            self.lose(
                Loss::Body,
                "multipart-schema",
                pointer,
                "multipart body has no schema; its parts are unknown, so the media type is skipped"
                    .to_owned(),
            );
            return None;
        };
        let Some(mut forms) = self.forms(schema, pointer, 0) else {
            self.lose(
                Loss::Body,
                "multipart-schema",
                pointer,
                "multipart body schema is not an object, or a composition of objects; the media \
                 type is skipped"
                    .to_owned(),
            );
            return None;
        };
        let name = format!("{hint}Multipart");
        if let [form] = forms.as_slice() {
            let fields = self.part_fields(form, hint);
            return Some(self.define_multipart(&name, fields));
        }
        // The form that requires more parts first: one that requires fewer would read it.
        forms.sort_by_key(|f| usize::MAX - f.required.len());
        let names = form_names(&forms);
        let mut variants = Vec::new();
        for (form, variant) in forms.iter().zip(names) {
            let form_hint = format!("{hint}{variant}");
            let fields = self.part_fields(form, &form_hint);
            let id = self.define_multipart(&format!("{name}{variant}"), fields);
            variants.push(UntaggedVariant {
                name: variant,
                ty: TypeRef::Named(id),
                boxed: false,
                claim: None,
                keys: None,
                constraints: Default::default(),
            });
        }
        Some(self.define(
            &name,
            TypeDef {
                name: String::new(),
                docs: Docs::description(Some("One of the forms the body may take.")),
                kind: TypeKind::Untagged(variants),
            },
        ))
    }

    fn define_multipart(&mut self, name: &str, fields: Vec<PartField>) -> TypeId {
        self.define(
            name,
            TypeDef {
                name: String::new(),
                docs: Docs::default(),
                kind: TypeKind::Multipart(fields),
            },
        )
    }

    /// The forms a schema allows; `None` when a part is not an object. The depth bound
    /// stops a schema that includes itself.
    fn forms(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
        depth: usize,
    ) -> Option<Vec<Form<'a>>> {
        if depth > 16 {
            return None;
        }
        let schema = self.resolve(schema, "schemas", |c| &c.schemas, pointer)?;
        let (properties, required, all_of, one_of, any_of) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (
                Some(&o.properties),
                &o.required[..],
                &[][..],
                &[][..],
                &[][..],
            ),
            SchemaKind::Any(a) => (
                Some(&a.properties),
                &a.required[..],
                &a.all_of[..],
                &a.one_of[..],
                &a.any_of[..],
            ),
            SchemaKind::AllOf { all_of } => (None, &[][..], &all_of[..], &[][..], &[][..]),
            SchemaKind::OneOf { one_of } => (None, &[][..], &[][..], &one_of[..], &[][..]),
            SchemaKind::AnyOf { any_of } => (None, &[][..], &[][..], &[][..], &any_of[..]),
            _ => return None,
        };
        let mut base = Form::default();
        if let Some(properties) = properties {
            let at = pointer_push(pointer, "properties");
            for (name, property) in properties {
                base.properties
                    .push((name, property, pointer_push(&at, name)));
            }
        }
        base.required.extend(required.iter().map(String::as_str));
        let mut forms = vec![base];
        for (i, part) in all_of.iter().enumerate() {
            let at = pointer_push(&pointer_push(pointer, "allOf"), &i.to_string());
            let mut parts = self.forms(part, &at, depth + 1)?;
            if forms.len() * parts.len() > MAX_FORMS {
                parts = vec![Form::union(&parts)];
            }
            forms = merged_each(&forms, &parts);
        }
        for (keyword, alternatives) in [("oneOf", one_of), ("anyOf", any_of)] {
            if alternatives.is_empty() {
                continue;
            }
            let mut each = Vec::new();
            for (i, alternative) in alternatives.iter().enumerate() {
                let at = pointer_push(&pointer_push(pointer, keyword), &i.to_string());
                each.extend(self.forms(alternative, &at, depth + 1)?);
            }
            if keyword == "anyOf" || forms.len() * each.len() > MAX_FORMS {
                each = vec![Form::union(&each)];
            }
            forms = merged_each(&forms, &each);
        }
        Some(forms)
    }

    /// The parts of a form: binary strings are files, scalars are text, anything else is
    /// JSON text.
    fn part_fields(&mut self, form: &Form<'a>, hint: &str) -> Vec<PartField> {
        let mut names = Namespace::default();
        let mut fields = Vec::new();
        for (api_name, property, property_pointer) in &form.properties {
            let field_hint = format!("{hint} {}", pascal(api_name, "Part"));
            let resolved = match property {
                ReferenceOr::Item(item) => Some(&**item),
                ReferenceOr::Reference { reference } => component_name(reference, "schemas")
                    .and_then(|name| self.spec.components.as_ref()?.schemas.get(&name))
                    .and_then(ReferenceOr::as_item),
            };
            let kind = match resolved {
                Some(s) if is_binary(s) => PartKind::File,
                Some(Schema {
                    schema_kind:
                        SchemaKind::Type(Type::Array(ArrayType {
                            items: Some(items), ..
                        })),
                    ..
                }) if items.as_item().is_some_and(|i| is_binary(i)) => PartKind::Files,
                _ => {
                    let ty = self.lower_boxed(property, &field_hint, property_pointer);
                    if self.is_text(&ty) {
                        PartKind::Text(ty)
                    } else {
                        PartKind::Json(ty)
                    }
                }
            };
            fields.push(PartField {
                name: names.claim(snake(api_name, "part")),
                api_name: (*api_name).clone(),
                kind,
                required: form.is_required(api_name),
                docs: Docs::description(
                    resolved.and_then(|s| s.schema_data.description.as_deref()),
                ),
            });
        }
        fields
    }
}

/// Each form's variant name: a part it requires that no other form has, else one only it
/// has, else its place.
fn form_names(forms: &[Form<'_>]) -> Vec<String> {
    let mut names = Namespace::default();
    forms
        .iter()
        .enumerate()
        .map(|(i, form)| {
            let only_here = |name: &str| {
                forms
                    .iter()
                    .enumerate()
                    .all(|(j, other)| j == i || !other.properties.iter().any(|(n, ..)| *n == name))
            };
            let name = form
                .required
                .iter()
                .copied()
                .find(|r| only_here(r))
                .or_else(|| {
                    form.properties
                        .iter()
                        .map(|(n, ..)| n.as_str())
                        .find(|n| only_here(n))
                })
                .map_or_else(|| format!("Form{}", i + 1), |n| pascal(n, "Form"));
            names.claim(name)
        })
        .collect()
}

/// Each of `forms` merged with each of `parts`: the forms a value of both may take.
fn merged_each<'a>(forms: &[Form<'a>], parts: &[Form<'a>]) -> Vec<Form<'a>> {
    forms
        .iter()
        .flat_map(|form| {
            parts.iter().map(move |part| {
                let mut form = form.clone();
                form.merge(part);
                form
            })
        })
        .collect()
}
