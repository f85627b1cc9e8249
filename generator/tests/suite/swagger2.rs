//! Swagger 2.0 documents as they are written in the wild: each fixture holds one construct
//! met in real documents (go-swagger's, grpc-gateway's, Azure's), and the test asserts what
//! it lowers to and what is reported.

use crate::support::fixture_model as model_of;
use generator::model::{Api, FieldStep, NextPage, Status, TypeKind, TypeRef};

/// The model of one fixture (under `tests/fixtures/`) with every diagnostic as text.
fn model(file: &str) -> (Api, Vec<String>) {
    model_of(&[file])
}

fn fields<'a>(api: &'a Api, name: &str) -> Vec<(&'a str, &'a TypeRef)> {
    let def = api.types.defs.iter().find(|d| d.name == name);
    match def.map(|d| &d.kind) {
        Some(TypeKind::Struct(fields)) => fields
            .iter()
            .map(|f| (f.api_name.as_str(), &f.ty))
            .collect(),
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

/// An inline allOf that holds itself through its `$ref` part's properties was merged anew at
/// each turn until the stack overflowed (an abort, not a panic); the inner one is read as
/// any JSON value, with a located loss, and the rest stays typed.
#[test]
fn an_inline_all_of_holding_itself_ends() {
    let (api, diags) = model("allof-holds-itself.yaml");
    assert_eq!(
        diags,
        ["warning[all-of]: fixtures/allof-holds-itself.yaml:23:19#/definitions/Cat/properties/siblings/items/allOf/1/properties/siblings/items: \
          this inline allOf holds itself through one of its parts' properties; read as any JSON value"]
    );
    let TypeRef::List(item) = fields(&api, "Cat")[0].1 else {
        panic!("siblings is a list")
    };
    let TypeRef::Named(item) = &**item else {
        panic!("of a struct")
    };
    let sibling = &api.types.defs[item.0].name;
    assert_eq!(
        fields(&api, sibling),
        [
            ("rank", &TypeRef::I64),
            ("siblings", &TypeRef::List(Box::new(TypeRef::Any)))
        ]
    );
}

/// Azure's `x-ms-pageable` is the pagination it says: the list in `itemName`, the next
/// page's URL in `nextLinkName` (a wire name with a dot is one field), on a `POST` too; a
/// `nextLinkName` of null is one page, though the body has a field named like a next link.
#[test]
fn azure_pageable_is_the_pagination_it_says() {
    let (api, diags) = model("azure-pageable.yaml");
    assert_eq!(diags, Vec::<String>::new());
    let op = |name: &str| api.operations.iter().find(|op| op.name == name).unwrap();
    let pages = op("list_things").pagination.as_ref().expect("paginated");
    let field = |steps: &[FieldStep]| match &api.types.defs[steps[0].owner.0].kind {
        TypeKind::Struct(fields) => fields[steps[0].field].api_name.clone(),
        _ => panic!("a struct"),
    };
    assert_eq!(field(&pages.items), "things");
    let NextPage::Url { field: next } = &pages.next else {
        panic!("the next page is a URL: {:?}", pages.next)
    };
    assert_eq!(field(next), "@odata.nextLink");
    assert_eq!(op("list_others").pagination, None);
}

/// `swagger: 2.0` unquoted is a YAML number: it was refused as "a Swagger 2.0 document";
/// it is read as the version it says, with a located repair.
#[test]
fn a_version_written_as_a_number_is_read_as_its_text() {
    let (api, diags) = model("swagger-version-number.yaml");
    assert_eq!(
        diags,
        [
            "warning[version-number]: fixtures/swagger-version-number.yaml:2:1#/swagger: \
          the version is the number 2.0, not a string (read as \"2.0\")"
        ]
    );
    assert_eq!(api.operations.len(), 1);
}

/// `info` without `title`, its `version` a number, its `license` without a `name`: the
/// document was refused; the first two are read (as empty, as the number's text), the
/// license as none, each a located repair.
#[test]
fn info_without_its_strings_is_read() {
    let (api, diags) = model("info-fields.yaml");
    assert_eq!(
        diags,
        [
            "warning[info-fields]: fixtures/info-fields.yaml:4:1#/info/title: `info` has no title string (read as empty)",
            "warning[info-fields]: fixtures/info-fields.yaml:5:3#/info/version: expected a string, found the number 1.0 (read as \"1.0\")",
            "warning[info-fields]: fixtures/info-fields.yaml:6:3#/info/license: a license without a `name` string names no license (read as none)",
        ]
    );
    assert_eq!(api.version, "1.0");
}

/// A ref into another full 2.0 document (`common.yaml#/definitions/Thing`) names the place as
/// that file is written; the file was looked up after it had been read as 3.0 (its
/// definitions moved), so every such ref was a loss. The parameter, schema and response
/// arrive.
#[test]
fn refs_into_another_2_0_document_name_it_as_written() {
    let (api, diags) = model_of(&["swagger2-common/api.yaml", "swagger2-common/common.yaml"]);
    assert_eq!(diags, Vec::<String>::new());
    let op = api
        .operations
        .iter()
        .find(|op| op.name == "get_thing")
        .unwrap();
    assert_eq!(op.params.len(), 1, "the parameter arrives");
    assert_eq!(op.responses.len(), 2, "both responses arrive");
    assert_eq!(fields(&api, "Thing"), [("name", &TypeRef::String)]);
    assert_eq!(fields(&api, "ErrorModel"), [("message", &TypeRef::String)]);
}

/// `$ref: Pet` was read as a file named `Pet`, not read (a loss); it is the definition it
/// names, with a located repair.
#[test]
fn a_bare_definition_name_is_a_ref_to_it() {
    let (api, diags) = model("swagger2-bare-name-ref.yaml");
    assert_eq!(
        diags,
        ["warning[bare-name-refs]: fixtures/swagger2-bare-name-ref.yaml:11:41#/paths/~1pets/get/responses/200/schema/items/$ref: \
          $ref \"Pet\" is the bare name of a definition (read as \"#/definitions/Pet\")"]
    );
    assert_eq!(fields(&api, "Pet"), [("name", &TypeRef::String)]);
}

/// A document starting with a byte order mark (Azure DevOps' 2.0 documents all do) was
/// refused as not JSON; the mark is not part of the text.
#[test]
fn a_byte_order_mark_is_not_part_of_the_document() {
    let (api, diags) = model("byte-order-mark.json");
    assert_eq!(diags, Vec::<String>::new());
    assert_eq!(api.operations.len(), 1);
}

/// Azure's `x-ms-enum` `name` is the enum type's name: the property's enum, written twice,
/// is one type `Color` (it was `ThingPrimary` and `ThingSecondary`), a parameter's is `Shade`.
#[test]
fn azure_enum_names_name_the_enum_types() {
    let (api, diags) = model("azure-enum-name.yaml");
    assert_eq!(diags, Vec::<String>::new());
    let enums: Vec<&str> = api
        .types
        .defs
        .iter()
        .filter(|d| matches!(d.kind, TypeKind::Enum(_)))
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(enums, ["Color", "Shade"]);
    let color = fields(&api, "Thing");
    assert_eq!(color[0].1, color[1].1, "one type for both properties");
}

/// Azure's `x-ms-client-name` names a property's field (beside a `$ref` too) and a
/// parameter's argument; the wire names stay.
#[test]
fn azure_client_names_name_fields_and_parameters() {
    let (api, diags) = model("azure-client-name.yaml");
    assert_eq!(diags, Vec::<String>::new());
    let TypeKind::Struct(thing) = &api
        .types
        .defs
        .iter()
        .find(|d| d.name == "Thing")
        .unwrap()
        .kind
    else {
        panic!("a struct")
    };
    let names: Vec<(&str, &str)> = thing
        .iter()
        .map(|f| (f.name.as_str(), f.api_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [("label", "properties.displayName"), ("owner", "ownedBy")]
    );
    assert!(matches!(&thing[1].ty, TypeRef::Named(id) if api.types.defs[id.0].name == "Owner"));
    let param = &api.operations[0].params[0];
    assert_eq!(
        (param.name.as_str(), param.api_name.as_str()),
        ("where_", "$filter")
    );
}

/// When every operation reads a multipart form (2.0's `formData` with a `file`), the shared
/// handler is not emitted, and neither are its imports: they were unused-import warnings in
/// the generated server.
#[test]
fn an_api_of_uploads_only_imports_nothing_it_does_not_use() {
    let (api, _) = model("swagger2-uploads-only.yaml");
    let files = generator::emit::emit_crate(&api, "fixture", "").unwrap();
    let server = &generator::module_text(&files, "src/server.rs");
    let handlers = server.split("mod handlers {").nth(1).unwrap();
    let handlers = handlers.split("mod operations {").next().unwrap();
    assert!(!handlers.contains("Incoming"), "{handlers}");
    assert!(!handlers.contains("extract::Request"), "{handlers}");
}

/// An operation whose every response is left out (each a located loss) answers with any
/// status, as one declaring none does; it had no response, so the generated client matched
/// nothing (an unreachable-code warning) and the server imported what it did not use.
#[test]
fn an_operation_whose_responses_are_all_left_out_takes_any_answer() {
    let (api, diags) = model("swagger2-responses-left-out.yaml");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].starts_with("warning[parse]: fixtures/swagger2-responses-left-out.yaml:10:9#/paths/~1thing/get/responses/200"), "{diags:?}");
    let responses: Vec<(&Status, bool)> = api.operations[0]
        .responses
        .iter()
        .map(|r| (&r.status, r.body.is_none()))
        .collect();
    assert_eq!(responses, [(&Status::Default, true)]);
}

/// A path key without its leading `/` (`v1/pets`) is read with it, a located repair; its
/// operation was not generated, and no diagnostic said why.
#[test]
fn a_path_without_its_leading_slash_is_read_with_it() {
    let (api, diags) = model("path-leading-slash.yaml");
    assert_eq!(
        diags,
        [
            "warning[path-leading-slash]: fixtures/path-leading-slash.yaml:6:3#/paths/v1~1pets: \
          a path starts with `/`; the key is read as \"/v1/pets\""
        ]
    );
    let paths: Vec<&str> = api
        .operations
        .iter()
        .map(|op| op.path.raw.as_str())
        .collect();
    assert_eq!(paths, ["/v1/pets", "/v1/pets/{id}"]);
}

/// A path item bundled from another file is in 2.0's forms too: its `body` parameter is the
/// request body and its response's `schema` the content (the parameter was left out as not
/// OpenAPI, the response had no body); a `body` parameter of another file referred to by an
/// operation of the root is its request body (it was left out).
#[test]
fn parts_bundled_from_other_2_0_files_are_read_as_3_0() {
    let (api, diags) = model_of(&["swagger2-split/api.yaml", "swagger2-split/paths.yaml"]);
    assert_eq!(diags, Vec::<String>::new());
    let op = |name: &str| api.operations.iter().find(|op| op.name == name).unwrap();
    let json =
        |payload: Option<&generator::model::Payload>| match payload.map(|p| &p.contents[0].media) {
            Some(generator::model::Media::Json(TypeRef::Named(id))) => {
                api.types.defs[id.0].name.clone()
            }
            other => panic!("not a named JSON type: {other:?}"),
        };
    let login = op("login");
    assert!(login.params.is_empty());
    assert_eq!(json(login.body.as_ref().map(|b| &b.payload)), "Credentials");
    assert_eq!(json(login.responses[0].body.as_ref()), "Session");
    let note = op("add_note");
    assert!(note.params.is_empty());
    assert!(note.body.as_ref().is_some_and(|b| b.required));
}

/// `{DefinitionId}` with a parameter `definitionId`: the variable is that parameter, of its
/// declared type, with a located repair; the parameter was dropped as unused (a loss) and the
/// variable read as a string.
#[test]
fn a_path_variable_is_its_parameter_spelled_with_other_case() {
    let (api, diags) = model("path-param-case.yaml");
    assert_eq!(
        diags,
        ["warning[path-param]: fixtures/path-param-case.yaml:7:5#/paths/~1definitions~1{DefinitionId}~1tags/get: \
          path variable {DefinitionId} is the parameter \"definitionId\" but for case; read as that parameter"]
    );
    let params: Vec<(&str, &str, &TypeRef)> = api.operations[0]
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.api_name.as_str(), &p.ty))
        .collect();
    assert_eq!(params, [("definition_id", "DefinitionId", &TypeRef::I32)]);
}

/// A response without a description (2.0 requires one, writers leave it out) is read with
/// an empty one, with or without headers to move.
#[test]
fn a_response_without_a_description_is_kept() {
    let (api, diags) = model("swagger2-response-no-description.yaml");
    assert_eq!(diags, Vec::<String>::new());
    let statuses: Vec<&Status> = api.operations[0]
        .responses
        .iter()
        .map(|r| &r.status)
        .collect();
    assert_eq!(statuses, [&Status::Code(204), &Status::Code(404)]);
    assert_eq!(api.operations[0].responses[1].headers.len(), 1);
}

/// In a folder API of 2.0 documents, a diagnostic about a part of the second document names
/// its place in that document as written (`#/definitions/...`): merging the documents kept
/// only which file a part came from, not where each part of it was before the upgrade.
#[test]
fn diagnostics_of_a_folder_of_2_0_documents_name_their_places() {
    let (_, diags) = model_of(&["swagger2-folder/a.yaml", "swagger2-folder/b.yaml"]);
    assert_eq!(
        diags,
        ["warning[ref]: fixtures/swagger2-folder/b.yaml:16:14#/definitions/Thing/properties/part/$ref: \
          $ref \"#/components/schemas/Missing\" does not point to a schema in components/schemas; read as any value"]
    );
}
