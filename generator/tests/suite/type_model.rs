//! Small fixture specs, one construct each (tests/fixtures/types/): the model they lower to
//! and the warnings they give. The JSON behaviour of the same constructs is tested through a
//! generated crate in types.rs.

use generator::diagnostics::Diagnostic;
use generator::load::Source;
use generator::model::{Api, Claim, TypeKind, TypeRef};
use generator::ApiInput;

fn input(file: &str) -> ApiInput {
    let path = format!("{}/tests/fixtures/types/{file}", env!("CARGO_MANIFEST_DIR"));
    ApiInput {
        name: "fixture".to_owned(),
        origin: file.to_owned(),
        sources: vec![Source {
            path: file.to_owned(),
            text: std::fs::read_to_string(path).unwrap(),
        }],
        ..Default::default()
    }
}

/// The model and the warnings, after checking the whole crate emits.
fn lower(file: &str) -> (Api, Vec<String>) {
    generator::generate(&input(file)).unwrap();
    let (api, diagnostics) = generator::build_model(&input(file)).unwrap();
    (api, diagnostics.iter().map(Diagnostic::to_string).collect())
}

fn kind<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
    &api.types
        .defs
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
        .kind
}

fn field_names(api: &Api, name: &str) -> Vec<(String, String)> {
    match kind(api, name) {
        TypeKind::Struct(fields) => fields
            .iter()
            .map(|f| (f.name.clone(), f.api_name.clone()))
            .collect(),
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn all_of_conflicts_and_non_objects_are_reported_not_panicked_on() {
    let (api, warnings) = lower("all-of.yaml");
    assert_eq!(
        warnings,
        [
            "warning[all-of]: all-of.yaml:16:13#/components/schemas/Conflict/allOf/1/properties/id: \
             allOf parts give property \"id\" different types; the first part's type is kept",
            "warning[all-of]: all-of.yaml:21:15#/components/schemas/WithScalar/allOf/1: allOf part is not \
             an object schema, nor of the type of the other parts; read as any JSON value",
        ]
    );
    let names: Vec<_> = field_names(&api, "Conflict")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["id", "extra"]);
    assert_eq!(*kind(&api, "WithScalar"), TypeKind::Alias(TypeRef::Any));
    // A part that only describes is no part: the allOf is Base itself.
    assert!(matches!(
        kind(&api, "OnlyDescribed"),
        TypeKind::Alias(TypeRef::Named(_))
    ));
    // A part that only lists `required` makes the other part's property required, default
    // and all: a required property never takes its default.
    let TypeKind::Struct(fields) = kind(&api, "Labeled") else {
        panic!("Labeled is not a struct");
    };
    let required: Vec<_> = fields
        .iter()
        .map(|f| (f.api_name.as_str(), f.required, f.default.is_some()))
        .collect();
    assert_eq!(required, [("label", true, false), ("note", false, false)]);
}

#[test]
fn patterns_rust_cannot_check_and_defaults_that_do_not_fit_are_reported() {
    let (api, warnings) = lower("constraints.yaml");
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings[0].starts_with(
        "warning[pattern]: constraints.yaml:11:11#/components/schemas/Account/properties/code/pattern: \
         pattern \"^(?!admin).*$\" is not a regex Rust can check"
    ));
    assert_eq!(
        warnings[1],
        "warning[default]: constraints.yaml:18:11#/components/schemas/Account/properties/color/default: \
         default 12 does not fit the property's type; it is documented only"
    );
    let TypeKind::Struct(fields) = kind(&api, "Account") else {
        panic!()
    };
    assert_eq!(fields[0].constraints.pattern, None);
    assert_eq!(fields[1].constraints.pattern.as_deref(), Some("^[a-z]+$"));
    assert_eq!(fields[1].constraints.min_length, Some(2));
    assert_eq!(fields[2].default, None);
}

#[test]
fn examples_that_contradict_their_schema_are_reported_and_left_out() {
    let (api, warnings) = lower("examples.yaml");
    let examples: Vec<_> = api.examples.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(examples, ["get_things_200_good"]);
    assert_eq!(
        warnings,
        [
            "warning[example]: examples.yaml:30:7#/components/schemas/Thing/example: the example does not \
             match its schema (required property .id is missing); it is not used as a test",
            "warning[example]: examples.yaml:17:19#/paths/~1things/get/responses/200/content/application~1json/examples/nullName/value: \
             the example does not match its schema (.name is null, but not nullable); it is not used as a test",
            "warning[example]: examples.yaml:19:19#/paths/~1things/get/responses/200/content/application~1json/examples/wrongType/value: \
             the example does not match its schema (.id is \"one\", not an integer); it is not used as a test",
            "warning[example]: examples.yaml:21:19#/paths/~1things/get/responses/200/content/application~1json/examples/unknownProperty/value: \
             the example does not match its schema (property .color is not in the schema); it is not used as a test",
        ]
    );
}

#[test]
fn names_are_valid_unique_and_deterministic() {
    let (api, warnings) = lower("names.yaml");
    assert!(warnings.is_empty(), "{warnings:#?}");
    let types: Vec<_> = api.types.defs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        types,
        [
            "Pet",
            "Pet2",
            "Pet3",
            "V2fa",
            "NaU00efVe",
            "Fields",
            "Values",
            // A prelude name gets a word, declared after the others so it takes none of theirs.
            "ResultModel"
        ]
    );
    assert_eq!(
        field_names(&api, "Fields"),
        [
            ("user_id", "user_id"),
            ("user_id2", "userId"),
            ("user_id3", "UserID"),
            ("type_", "type"),
            ("field", ""),
            ("field2", "$$"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    let TypeKind::Enum(variants) = kind(&api, "Values") else {
        panic!()
    };
    let variants: Vec<_> = variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        variants,
        [
            "AB",
            "AB2",
            "AB3",
            "V1_0",
            "V10",
            "Empty",
            "Plus1",
            "Minus1",
            "Other2",
            "SelfValue"
        ]
    );
    // The same spec gives the same names every time.
    assert_eq!(lower("names.yaml").0, api);
}

#[test]
fn cycles_of_refs_and_recursive_types_are_finite() {
    let (api, warnings) = lower("cycles.yaml");
    assert_eq!(
        warnings,
        [
            "warning[ref]: cycles.yaml:6:5#/components/schemas/A: a cycle of $refs that never reaches \
          a schema; it is read as any JSON value"
        ]
    );
    // B names A, which is now any JSON value.
    assert!(matches!(
        kind(&api, "B"),
        TypeKind::Alias(TypeRef::Named(_))
    ));
    assert!(matches!(
        kind(&api, "Tree"),
        TypeKind::Newtype(TypeRef::List(_))
    ));
    let TypeKind::Struct(fields) = kind(&api, "Pair") else {
        panic!()
    };
    // One box breaks the cycle Node → Pair → Node: the first type met boxes its way in.
    assert!(fields.iter().all(|f| !f.boxed));
    let TypeKind::Untagged(variants) = kind(&api, "Node") else {
        panic!()
    };
    assert_eq!(
        variants
            .iter()
            .map(|v| (v.name.as_str(), v.boxed))
            .collect::<Vec<_>>(),
        [("String", false), ("Pair", true)]
    );
    assert_eq!(*kind(&api, "Nothing"), TypeKind::Alias(TypeRef::Any));
    assert_eq!(api.types.fallbacks.get("not"), Some(&1));
    assert_eq!(api.types.fallbacks.get("$ref cycle"), Some(&1));
}

/// Integer enums and bounds beyond `i64` (openapiv3 reads none of them as an integer
/// schema): `u64` where every value fits it, with a warning where no 64-bit type does (enums
/// became `f64`, bounded integers `i64`, without a word).
#[test]
fn integer_enums_beyond_i64_are_u64_or_reported() {
    let (api, warnings) = lower("wide-integers.yaml");
    assert_eq!(
        warnings,
        [
            "warning[integer-range]: wide-integers.yaml:11:7#/components/schemas/Mixed/enum: the \
          enum's integers do not fit one 64-bit integer type (some are negative, some beyond \
          i64); read as f64, not checked as an enum",
            "warning[integer-range]: wide-integers.yaml:22:46#/components/schemas/Counters/properties/signed/maximum: \
             the bounds do not fit a 64-bit integer type; read as i64, values beyond it are refused",
        ]
    );
    match kind(&api, "Counters") {
        TypeKind::Struct(fields) => assert_eq!(
            fields.iter().map(|f| f.ty.clone()).collect::<Vec<_>>(),
            [TypeRef::U64, TypeRef::I64, TypeRef::I64]
        ),
        other => panic!("Counters is {other:?}"),
    }
    match kind(&api, "Flags") {
        TypeKind::IntEnum(variants) => assert_eq!(
            variants.iter().map(|v| v.value).collect::<Vec<_>>(),
            [0, 1 << 63, i128::from(u64::MAX)]
        ),
        other => panic!("Flags is {other:?}"),
    }
    let output = generator::generate(&input("wide-integers.yaml")).unwrap();
    let types = &generator::module_text(&output.files, "src/types.rs");
    assert!(types.contains("Other(u64)"), "{types}");
    assert!(types.contains("serializer.serialize_u64(self.value())"));
    assert!(types.contains("18446744073709551615 => Self::V18446744073709551615"));
}

/// The fields of struct `name`, each with its type written out through the graph.
fn field_types(api: &Api, name: &str) -> Vec<(String, String, bool, bool)> {
    let TypeKind::Struct(fields) = kind(api, name) else {
        panic!("{name} is not a struct");
    };
    fields
        .iter()
        .map(|f| {
            (
                f.api_name.clone(),
                type_name(api, &f.ty),
                f.required,
                f.nullable,
            )
        })
        .collect()
}

fn type_name(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => api.types.get(*id).name.clone(),
        TypeRef::List(item) => format!("Vec<{}>", type_name(api, item)),
        other => format!("{other:?}"),
    }
}

/// The variants of untagged enum `name`: each name and its type.
fn variants(api: &Api, name: &str) -> Vec<(String, String)> {
    let TypeKind::Untagged(variants) = kind(api, name) else {
        panic!("{name} is {:?}", kind(api, name));
    };
    variants
        .iter()
        .map(|v| (v.name.clone(), type_name(api, &v.ty)))
        .collect()
}

#[test]
fn an_all_of_of_a_primitive_and_annotations_is_that_primitive() {
    let (api, warnings) = lower("all-of-primitives.yaml");
    let s = |v: &str| v.to_owned();
    assert_eq!(
        field_types(&api, "Uses"),
        [
            (s("described"), s("Code"), true, false),
            // Required and nullable: an Option.
            (s("nullable"), s("Code"), true, true),
            (s("merged"), s("String"), false, false),
            (s("tighter"), s("Code"), false, false),
            (s("level"), s("Level"), false, false),
            (s("clash"), s("Any"), false, false),
        ]
    );
    let TypeKind::Struct(fields) = kind(&api, "Uses") else {
        unreachable!()
    };
    let field = |name: &str| fields.iter().find(|f| f.api_name == name).unwrap();
    // The annotations of the parts are the field's; the constraints of every part hold.
    assert_eq!(
        field("described").docs.description.as_deref(),
        Some("The code, as issued.\n\nConstraints: maxLength 8.")
    );
    assert_eq!(
        field("merged").constraints.describe(),
        "minLength 2, maxLength 4, pattern `^[a-z]+$`"
    );
    assert_eq!(field("tighter").constraints.max_length, Some(4));
    assert_eq!(field("tighter").access, generator::model::Access::ReadOnly);
    // Only parts of different types are still any value, and say so.
    assert_eq!(
        warnings,
        ["warning[all-of]: all-of-primitives.yaml:45:19#/components/schemas/Uses/properties/clash/allOf/0: \
          allOf part is not an object schema, nor of the type of the other parts; read as any JSON value"]
    );
}

#[test]
fn a_type_array_is_the_union_it_describes() {
    let (api, warnings) = lower("type-arrays.yaml");
    assert!(warnings.is_empty(), "{warnings:?}");
    let s = |v: &str| v.to_owned();
    assert_eq!(
        field_types(&api, "Mixed"),
        [
            (s("id"), s("MixedId"), true, false),
            (s("tags"), s("MixedTags"), false, true),
            (s("amount"), s("MixedAmount"), false, false),
            (s("level"), s("MixedLevel"), false, false),
            (s("owner"), s("MixedOwner"), false, true),
            (s("anything"), s("Any"), false, true),
            (s("tag"), s("Tag"), false, true),
            (s("label"), s("MixedLabel"), false, true),
        ]
    );
    assert_eq!(
        variants(&api, "MixedLabel"),
        [(s("String"), s("String")), (s("Boolean"), s("Bool"))]
    );
    assert_eq!(
        variants(&api, "MixedId"),
        [(s("String"), s("String")), (s("Integer"), s("I64"))]
    );
    assert_eq!(
        variants(&api, "MixedTags"),
        [(s("Array"), s("Vec<String>")), (s("String"), s("String"))]
    );
    // The integer is tried before the number whatever the order written.
    assert_eq!(
        variants(&api, "MixedAmount"),
        [(s("Integer"), s("I64")), (s("Number"), s("F64"))]
    );
    assert_eq!(
        variants(&api, "MixedLevel"),
        [
            (s("String"), s("MixedLevelString")),
            (s("Integer"), s("MixedLevelInteger"))
        ]
    );
    assert!(matches!(kind(&api, "MixedOwner"), TypeKind::Struct(_)));
}

#[test]
fn a_type_array_in_a_3_0_document_is_read_as_3_1_reads_it_and_reported() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/types/type-arrays.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace("openapi: 3.1.0", "openapi: 3.0.3");
    let input = ApiInput {
        name: "fixture".to_owned(),
        origin: "t.yaml".to_owned(),
        sources: vec![Source {
            path: "t.yaml".to_owned(),
            text,
        }],
        ..Default::default()
    };
    let (api, diagnostics) = generator::build_model(&input).unwrap();
    assert!(matches!(kind(&api, "MixedId"), TypeKind::Untagged(_)));
    assert_eq!(diagnostics.len(), 6, "{diagnostics:?}");
    assert_eq!(
        diagnostics[0].to_string(),
        "warning[type-arrays]: t.yaml:11:14#/components/schemas/Mixed/properties/id/type: \
         a list of types is OpenAPI 3.1; read as 3.1 reads it"
    );
}

/// The alternatives of untagged enum `name` in the order they are tried, each with its
/// claim and the keys it is preferred by.
fn told_apart(api: &Api, name: &str) -> Vec<(String, Option<Claim>, Option<Vec<String>>)> {
    let TypeKind::Untagged(variants) = kind(api, name) else {
        panic!("{name} is {:?}", kind(api, name));
    };
    variants
        .iter()
        .map(|v| (v.name.clone(), v.claim.clone(), v.keys.clone()))
        .collect()
}

#[test]
fn one_of_alternatives_are_told_apart_by_what_a_value_has() {
    let (api, warnings) = lower("one-of-told-apart.yaml");
    let s = |v: &str| v.to_owned();
    let keys = |k: &[&str]| Some(k.iter().map(|k| s(k)).collect::<Vec<_>>());
    // The alternative that requires more is tried first; a required property no other
    // declares claims a value.
    assert_eq!(
        told_apart(&api, "ByRequired"),
        [
            (s("Locker"), Some(Claim::Key(s("locker"))), None),
            (s("Note"), None, keys(&["address", "note"])),
        ]
    );
    assert_eq!(
        told_apart(&api, "ByConst"),
        [
            (
                s("Card"),
                Some(Claim::Value {
                    property: s("kind"),
                    value: s("card")
                }),
                None
            ),
            (
                s("Bank"),
                Some(Claim::Value {
                    property: s("kind"),
                    value: s("bank")
                }),
                None
            ),
        ]
    );
    assert_eq!(
        told_apart(&api, "ByKeys"),
        [
            (s("Username"), None, keys(&["username", "excludeSelf"])),
            (s("Usernames"), None, keys(&["usernames", "excludeSelf"])),
        ]
    );
    // A uuid or an instant before any string.
    assert_eq!(
        variants(&api, "ByFormat"),
        [
            (s("Uuid"), s("Uuid")),
            (s("DateTime"), s("DateTime")),
            (s("String"), s("String"))
        ]
    );
    // Only what nothing tells apart is reported, saying why.
    assert!(matches!(kind(&api, "Same"), TypeKind::Struct(_)));
    assert_eq!(
        warnings,
        ["warning[one-of-ambiguous]: one-of-told-apart.yaml:53:7#/components/schemas/Same/oneOf: \
          alternatives 0 and 1 require the same properties, one declares every property the other \
          does, with the same schemas, and no constant sets them apart: a value of one is a value \
          of the other; read as one struct holding the properties of all alternatives"]
    );
}

#[test]
fn an_all_of_of_an_object_and_a_union_is_the_union_of_the_merged_objects() {
    let (api, _) = lower("all-of.yaml");
    let s = |v: &str| v.to_owned();
    assert_eq!(
        told_apart(&api, "Payment"),
        [
            (s("Card"), Some(Claim::Key(s("number"))), None),
            (s("Bank"), Some(Claim::Key(s("iban"))), None),
        ]
    );
    let names = |ty: &str| -> Vec<String> {
        field_names(&api, ty)
            .into_iter()
            .map(|(_, wire)| wire)
            .collect()
    };
    assert_eq!(names("PaymentCard"), ["id", "number"]);
    assert_eq!(names("PaymentBank"), ["id", "iban"]);
}

#[test]
fn an_all_of_part_that_narrows_a_property_gives_it_the_narrower_type() {
    let (api, warnings) = lower("all-of.yaml");
    let s = |v: &str| v.to_owned();
    assert_eq!(
        field_types(&api, "Document"),
        [
            (s("type"), s("DocumentType"), true, false),
            (s("size"), s("I64"), false, false),
            // The base's copy of the property took the first name.
            (s("state"), s("DocumentState2"), false, false)
        ]
    );
    let TypeKind::Enum(states) = kind(&api, "DocumentState2") else {
        panic!("not an enum")
    };
    assert_eq!(states.len(), 2);
    assert!(
        !warnings.iter().any(|w| w.contains("Document")),
        "{warnings:?}"
    );
}

/// A base schema with a discriminator that others extend through `allOf` (the inheritance
/// way of writing polymorphism): its uses are one of its kinds, tagged by the property,
/// so a `Cat` read where a `Pet` is declared keeps its own fields.
#[test]
fn a_discriminated_base_is_one_of_the_schemas_extending_it() {
    let (api, warnings) = lower("discriminated-base.yaml");
    assert_eq!(
        warnings,
        [
            "warning[discriminated-base]: discriminated-base.yaml:17:5#/components/schemas/Pet: \
          `Pet` has a discriminator and 2 schemas extend it (Cat, Dog): its uses are one of \
          them, chosen by `petType`, and its own fields are `PetBase`"
        ]
    );
    let TypeKind::Tagged { property, variants } = kind(&api, "Pet") else {
        panic!("Pet is {:?}", kind(&api, "Pet"));
    };
    assert_eq!(property, "petType");
    let tags: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(tags, [("Cat", "cat"), ("Dog", "doggo"), ("PetBase", "Pet")]);
    let cat: Vec<String> = field_names(&api, "Cat")
        .into_iter()
        .map(|(_, wire)| wire)
        .collect();
    assert_eq!(cat, ["name", "huntingSkill"]);
}

#[test]
fn the_items_of_lists_and_the_values_of_maps_keep_their_constraints() {
    let (api, warnings) = lower("item-constraints.yaml");
    let TypeKind::Struct(fields) = kind(&api, "Lists") else {
        panic!()
    };
    let each = |name: &str| {
        let field = fields.iter().find(|f| f.api_name == name).unwrap();
        field
            .constraints
            .each
            .as_deref()
            .map(|each| each.constraints.clone())
    };
    // Through a `$ref`, as a field's own constraints are.
    let slug = each("slugs").unwrap();
    assert_eq!(
        (slug.max_length, slug.pattern.as_deref()),
        (Some(8), Some("^[a-z]+$"))
    );
    // Lists of lists keep each level's; an array whose items are itself ends.
    let grid = each("grid").unwrap();
    assert_eq!(grid.max_items, Some(2));
    assert_eq!(grid.each.unwrap().constraints.minimum, Some(0.0));
    assert_eq!(each("nested").unwrap().max_items, Some(3));
    assert_eq!(each("scores").unwrap().maximum, Some(1.0));
    let docs = |name: &str| {
        let field = fields.iter().find(|f| f.api_name == name).unwrap();
        field.docs.description.clone().unwrap_or_default()
    };
    assert_eq!(docs("scores"), "Constraints: each value: maximum 1.");
    assert_eq!(
        docs("grid"),
        "Constraints: each item: (maxItems 2; each item: minimum 0)."
    );
    // An item's pattern Rust cannot check is reported where it is, and not checked.
    assert_eq!(each("bad"), None);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].starts_with(
            "warning[pattern]: item-constraints.yaml:30:33#/components/schemas/Lists/properties/bad/items/pattern: "
        ),
        "{warnings:#?}"
    );
}
