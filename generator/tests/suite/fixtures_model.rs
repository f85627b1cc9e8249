//! Fixture specs with one quirk each: the model they lower to, and the repair reported.

use crate::support::fixture_model as model;
use generator::load::Source;
use generator::model::{
    Api, Framing, Location, Media, Method, Origin, ParamEncoding, Payload, Style, TypeKind,
    TypeRef, UrlPart,
};
use generator::ApiInput;

/// The type of a JSON body.
fn json_type(payload: Option<&Payload>) -> &TypeRef {
    match payload.map(|p| &p.contents[0].media) {
        Some(Media::Json(ty)) => ty,
        other => panic!("not a JSON body: {other:?}"),
    }
}

/// The text of the crate's file at `path`.
fn emitted(api: &Api, path: &str) -> String {
    let files = generator::emit::emit_crate(api, "fixture", "").unwrap();
    generator::module_text(&files, path)
}

fn operation_names(api: &Api) -> Vec<&str> {
    api.operations.iter().map(|op| op.name.as_str()).collect()
}

fn type_named<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
    &api.types
        .defs
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
        .kind
}

#[test]
fn path_key_notes_are_cut_at_whitespace() {
    let (api, diags) = model(&["path-key-notes.yaml"]);
    // The noted `/login` is the same request as `/login`: a client method of its own, which
    // the server answers with `login`.
    assert_eq!(operation_names(&api), ["login", "login_facebook", "logout"]);
    assert_eq!(api.operations[1].path.raw, "/login");
    assert_eq!(api.operations[1].answered_by.as_deref(), Some("login"));
    assert_eq!(api.operations[2].path.raw, "/logout");
    assert_eq!(
        diags,
        [
            "warning[path-key-notes]: fixtures/path-key-notes.yaml:8:3#/paths/~1login - with Facebook: \
             a path holds no whitespace; the key is read as \"/login\"",
            "warning[path-key-notes]: fixtures/path-key-notes.yaml:8:3#/paths/~1login - with Facebook: \
             \"/login\" is a path of the document already; this path item is read as \"/login#with Facebook\", the same URL",
            "warning[path-key-notes]: fixtures/path-key-notes.yaml:12:3#/paths/~1logout - the only one: \
             a path holds no whitespace; the key is read as \"/logout\"",
            "warning[route-conflict]: fixtures/path-key-notes.yaml:3:1#/paths/~1login#with Facebook/post: \
             POST /login#with Facebook is the same request on the wire as POST /login (`login`), which comes \
             first: the server answers it with `login` and leaves `login_facebook` out of its trait; the client has both",
        ]
    );
}

#[test]
fn colon_path_variables_become_template_variables() {
    let (api, diags) = model(&["colon-path-params.yaml"]);
    let op = &api.operations[0];
    assert_eq!(op.path.raw, "/rooms/{rid}/attributes/{key}");
    let params: Vec<_> = op
        .params
        .iter()
        .map(|p| (p.api_name.as_str(), p.location))
        .collect();
    assert_eq!(params, [("rid", Location::Path), ("key", Location::Path)]);
    assert!(diags[0].starts_with("warning[colon-path-params]: fixtures/colon-path-params.yaml:4:3#/paths/~1rooms~1:rid~1attributes~1:key:"));
}

#[test]
fn null_sections_are_read_as_absent() {
    let (api, diags) = model(&["null-sections.yaml"]);
    assert_eq!(operation_names(&api), ["ping"]);
    assert_eq!(
        diags,
        ["warning[null-sections]: fixtures/null-sections.yaml:9:3#/components/schemas: null where a map is expected; read as absent"]
    );
}

#[test]
fn unknown_required_names_are_trimmed_or_dropped_outside_combinations() {
    let (api, diags) = model(&["required-unknown.yaml"]);
    let TypeKind::Struct(fields) = type_named(&api, "CreateThingBody") else {
        panic!("not a struct")
    };
    let required: Vec<_> = fields
        .iter()
        .map(|f| (f.api_name.as_str(), f.required))
        .collect();
    assert_eq!(required, [("_id", true), ("name", true)]);
    let pointer = "#/paths/~1things/post/requestBody/content/application~1json/schema/required";
    let file = "fixtures/required-unknown.yaml";
    assert_eq!(
        diags,
        [
            format!("warning[required-unknown]: {file}:12:26{pointer}/0: required name \" _id\" has stray whitespace; read as \"_id\""),
            format!("warning[required-unknown]: {file}:12:40{pointer}/2: required name \"gone\" is not a property of this schema; it is dropped"),
        ]
    );
}

#[test]
fn items_on_a_non_array_are_dropped() {
    let (_, diags) = model(&["items-without-array.yaml"]);
    assert_eq!(
        diags,
        ["warning[items-without-array]: fixtures/items-without-array.yaml:9:31#/components/schemas/Tag/properties/value/items: `items` on a schema of type \"string\"; it is dropped"]
    );
}

#[test]
fn openapi_31_shapes_are_read_as_their_30_forms() {
    let (api, diags) = model(&["openapi31.yaml"]);
    let TypeKind::Struct(fields) = type_named(&api, "Pet") else {
        panic!("not a struct")
    };
    let name = &fields[0];
    assert_eq!((name.ty.clone(), name.nullable), (TypeRef::String, true));
    let TypeRef::Named(kind) = &fields[1].ty else {
        panic!("const is not an enum")
    };
    let TypeKind::Enum(values) = &api.types.get(*kind).kind else {
        panic!("const is not an enum")
    };
    assert_eq!(values[0].value, "dog");
    assert_eq!(fields[2].ty, TypeRef::I64);
    assert!(fields[3].nullable, "a $ref beside nullable keeps nullable");
    assert_eq!(
        diags,
        ["warning[ref-siblings]: fixtures/openapi31.yaml:22:9#/components/schemas/Pet/properties/owner: \
          a $ref with schema keywords beside it is read as allOf: [$ref] with those keywords"]
    );
}

#[test]
fn a_webhooks_only_document_gives_a_receiver_and_a_sender() {
    let (api, diags) = model(&["webhooks-only.yaml"]);
    assert!(api.operations.is_empty());
    assert_eq!(api.webhooks().count(), 1);
    assert_eq!(diags, Vec::<String>::new());
    // A router without routes is not mutated (`let mut` would be a warning).
    let server = &emitted(&api, "src/server.rs");
    assert!(server.contains("let router = axum::Router"), "{server}");
    let receiver = &emitted(&api, "src/webhooks/receiver.rs");
    assert!(receiver.contains("pub trait Webhooks"), "{receiver}");
    assert!(receiver.contains("fn new_pet("), "{receiver}");
    assert!(receiver.contains("\"/newPet\","), "{receiver}");
    let sender = &emitted(&api, "src/webhooks/sender.rs");
    assert!(sender.contains("pub fn new_pet("), "{sender}");
    assert!(
        sender.contains("client.request_at_base(reqwest::Method::POST)"),
        "{sender}"
    );
    let lib = &emitted(&api, "src/lib.rs");
    assert!(lib.contains("pub mod webhooks;"), "{lib}");
}

#[test]
fn headers_most_operations_require_are_client_level() {
    let (api, _) = model(&["client-headers.yaml"]);
    // Mount segments spelled out after the method are left out of names.
    assert_eq!(
        operation_names(&api),
        [
            "post_api_v1_login",
            "get_me",
            "get_rooms_info",
            "send_message"
        ]
    );
    let headers: Vec<_> = api
        .client_headers
        .iter()
        .map(|h| (h.api_name.as_str(), h.setter.as_str(), h.clearer.as_str()))
        .collect();
    assert_eq!(
        headers,
        [("X-Auth-Token", "set_x_auth_token", "clear_x_auth_token")]
    );
    let me: Vec<_> = api.operations[1]
        .params
        .iter()
        .map(|p| (p.api_name.as_str(), p.client_level))
        .collect();
    assert_eq!(me, [("X-Auth-Token", true), ("X-Trace", false)]);
    assert!(
        api.operations[2].params[0].client_level,
        "header names compare case-insensitively"
    );
}

#[test]
fn merging_renames_conflicting_components_and_folds_equal_operations() {
    let (api, diags) = model(&["merge/a.yaml", "merge/b.yaml"]);
    assert_eq!(
        operation_names(&api),
        ["list_users", "shared", "list_rooms"]
    );
    let schema_of = |i: usize| {
        let body = api.operations[i].responses[0].body.as_ref();
        match body.map(|p| &p.contents[0].media) {
            Some(generator::model::Media::Json(TypeRef::Named(id))) => {
                api.types.get(*id).name.clone()
            }
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(schema_of(0), "Item");
    assert_eq!(schema_of(2), "ItemB", "b's refs follow its renamed Item");
    assert_eq!(
        diags,
        ["warning[merge-rename]: fixtures/merge/b.yaml:23:5#/components/schemas/Item: an earlier document \
          defines \"Item\" differently; this one is renamed \"Item_b\" and this document's refs follow"]
    );
}

#[test]
fn a_folder_api_has_the_webhooks_of_every_document() {
    let (api, diags) = model(&["merge-webhooks/a.yaml", "merge-webhooks/b.yaml"]);
    let webhooks: Vec<&str> = api.webhooks().map(|w| w.name.as_str()).collect();
    assert_eq!(webhooks, ["pet_added", "pet_sold"]);
    // Located in the document that declares it.
    assert_eq!(
        diags,
        [
            "warning[path-param]: fixtures/merge-webhooks/b.yaml:5:5#/webhooks/petSold/post: \
          path parameter \"id\" does not occur in the path; it is ignored"
        ]
    );
}

#[test]
fn external_refs_are_bundled_into_one_tree() {
    let files = [
        "bundle/root.yaml",
        "bundle/description.yml",
        "bundle/paths/pets.yml",
        "bundle/models/pet.yml",
        "bundle/models/owner.yml",
        "bundle/models/params.yml",
        "bundle/models/error.yml",
    ];
    let (api, diags) = model(&files);
    // A repair in a bundled part names the file it came from and the place in that file.
    assert_eq!(
        diags,
        ["warning[required-unknown]: fixtures/bundle/models/owner.yml:2:12#/required/0: required name \"ghost\" is not a property of this schema; it is dropped"]
    );
    assert_eq!(api.description.as_deref(), Some("Pets, in several files."));
    assert_eq!(operation_names(&api), ["list_pets", "get_pet"]);
    let TypeKind::Struct(pet) = type_named(&api, "Pet") else {
        panic!("not a struct")
    };
    let fields: Vec<_> = pet.iter().map(|f| (f.api_name.as_str(), f.boxed)).collect();
    assert_eq!(
        fields,
        [("name", false), ("parent", true), ("owner", false)]
    );
    assert!(matches!(type_named(&api, "Owner"), TypeKind::Struct(_)));
    assert_eq!(api.operations[1].params[0].api_name, "id");
    let statuses: Vec<_> = api.operations[1]
        .responses
        .iter()
        .map(|r| r.variant.as_str())
        .collect();
    assert_eq!(
        statuses,
        ["Ok", "Default"],
        "a `default` response is a response, not data"
    );
}

#[test]
fn a_pattern_checked_on_a_parameter_alone_puts_regex_in_the_manifest() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/pattern-parameter.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let input = ApiInput {
        name: "pattern-parameter".to_owned(),
        origin: "pattern-parameter.yaml".to_owned(),
        sources: vec![Source {
            path: "fixtures/pattern-parameter.yaml".to_owned(),
            text,
        }],
        ..Default::default()
    };
    let output = generator::generate(&input).unwrap();
    let file = |path: &str| generator::module_text(&output.files, path);
    // The pattern is compiled in one function of the crate, which the parameter's rule set
    // names, and the parameter is held to that rule set.
    assert!(file("src/types.rs").contains("regex::Regex::new"));
    assert!(file("src/types.rs").contains("matches: crate::types::patterns::p0"));
    assert!(file("src/server.rs").contains(".checked(&rules::PATTERN_0)"));
    // Rule sets are written once, in types.rs, never at a use.
    assert!(!file("src/server.rs").contains("Rules {"));
    assert!(
        file("Cargo.toml").contains("\nregex = "),
        "{}",
        file("Cargo.toml")
    );
}

#[test]
fn misspelled_keywords_and_unknown_types_are_read_as_meant_and_reported() {
    let (api, diagnostics) = model(&["typos.yaml"]);
    let TypeKind::Struct(fields) = type_named(&api, "Thing") else {
        panic!("Thing is not a struct");
    };
    let field = |name: &str| fields.iter().find(|f| f.name == name).unwrap();
    assert!(field("name").required, "`requried` read as `required`");
    assert_eq!(field("name").constraints.min_length, Some(2));
    assert_eq!(field("count").ty, TypeRef::I64);
    assert_eq!(field("flag").ty, TypeRef::Bool);
    assert_eq!(field("odd").ty, TypeRef::Any);
    for expected in [
        "warning[keyword-typos]: fixtures/typos.yaml:31:7#/components/schemas/Thing/requried: unknown keyword `requried` is read as `required`",
        "warning[keyword-typos]: fixtures/typos.yaml:35:11#/components/schemas/Thing/properties/name/minLenght: unknown keyword `minLenght` is read as `minLength`",
        "warning[unknown-types]: fixtures/typos.yaml:37:11#/components/schemas/Thing/properties/count/type: unknown type \"int\" is read as \"integer\"",
        "warning[unknown-types]: fixtures/typos.yaml:41:11#/components/schemas/Thing/properties/odd/type: unknown type \"whatever\"; it is dropped, so any value is allowed",
    ] {
        assert!(diagnostics.iter().any(|d| d == expected), "{expected}\nin {diagnostics:#?}");
    }
    // `schema: {}` on a parameter: any string, as it arrives.
    let filter = &api.operations[0].params[0];
    assert_eq!(
        (&filter.ty, filter.encoding),
        (&TypeRef::String, ParamEncoding::Text)
    );
    // A security scheme's `type` and `scheme` are its own, not a schema's.
    assert!(
        !diagnostics.iter().any(|d| d.contains("securitySchemes")),
        "{diagnostics:#?}"
    );
}

#[test]
fn refs_into_any_part_of_the_document_are_followed() {
    let (api, diags) = model(&["refs-anywhere.yaml"]);
    assert_eq!(
        operation_names(&api),
        ["get_volume", "get_snapshot", "set_size"]
    );
    // Into another operation's parameter and responses, percent-encoded or not.
    let snapshot = &api.operations[1];
    assert_eq!(snapshot.params[0].api_name, "id");
    assert_eq!(
        snapshot
            .responses
            .iter()
            .map(|r| r.variant.as_str())
            .collect::<Vec<_>>(),
        ["Ok", "Default"]
    );
    let body = |op: usize, response: usize| {
        json_type(api.operations[op].responses[response].body.as_ref())
    };
    assert_eq!(body(1, 0), body(0, 0));
    // Into a property of another schema: the property's schema, named after it.
    let TypeKind::Struct(volume) = type_named(&api, "Volume") else {
        panic!("Volume is not a struct")
    };
    let field = |name: &str| &volume.iter().find(|f| f.api_name == name).unwrap().ty;
    let TypeRef::Named(tags) = field("tags") else {
        panic!("{:?}", field("tags"))
    };
    assert_eq!(api.types.defs[tags.0].name, "Labels");
    assert_eq!(
        api.types.defs[tags.0].kind,
        TypeKind::Alias(field("labels").clone())
    );
    let TypeRef::Named(size) = json_type(api.operations[2].body.as_ref().map(|b| &b.payload))
    else {
        panic!("the body is not the named property schema")
    };
    assert_eq!(api.types.defs[size.0].kind, TypeKind::Alias(TypeRef::I32));
    // `true` is any value; a property that is `false` is never present.
    assert_eq!(field("metadata"), &TypeRef::Any);
    assert!(volume.iter().all(|f| f.api_name != "legacy"));
    // An example contradicting its schema is reported, never fatal.
    assert_eq!(
        diags,
        [
            "warning[boolean-schemas]: fixtures/refs-anywhere.yaml:57:9#/components/schemas/Volume/properties/legacy: a property whose schema is `false` can never be present; it is dropped",
            "warning[example]: fixtures/refs-anywhere.yaml:53:46#/components/schemas/Volume/properties/size/example: the example does not match its schema (the value is \"not an integer\", not a 32-bit integer); it is not used as a test",
        ]
    );
}

#[test]
fn a_duplicate_operation_id_is_reported_and_named_apart() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/refs-anywhere.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace("operationId: getSnapshot", "operationId: getVolume");
    let input = ApiInput {
        name: "fixture".to_owned(),
        origin: "dup.yaml".to_owned(),
        sources: vec![Source {
            path: "dup.yaml".to_owned(),
            text,
        }],
        ..Default::default()
    };
    let (api, diags) = generator::build_model(&input).unwrap();
    assert_eq!(
        operation_names(&api),
        ["get_volume", "get_volume2", "set_size"]
    );
    assert!(
        diags.iter().any(|d| d.to_string()
            == "warning[duplicate-operation-id]: dup.yaml:22:7#/paths/~1snapshots~1{id}/get/operationId: \
                operationId \"getVolume\" is also the id of GET /volumes/{id}; this operation is named `get_volume2`"),
        "{diags:?}"
    );
}

#[test]
fn a_one_of_whose_alternatives_differ_in_optional_properties_is_told_apart_by_them() {
    let (api, diags) = model(&["indistinct-oneof.yaml"]);
    let body = json_type(api.operations[0].body.as_ref().map(|b| &b.payload));
    let TypeRef::Named(id) = body else {
        panic!("{body:?}")
    };
    let TypeKind::Untagged(variants) = &api.types.defs[id.0].kind else {
        panic!("not an enum: {:?}", api.types.defs[id.0].kind)
    };
    // Each alternative is preferred for a value whose keys it declares.
    let told: Vec<_> = variants
        .iter()
        .map(|v| (v.name.as_str(), v.keys.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        told,
        [
            (
                "Username",
                vec!["username".to_owned(), "excludeSelf".to_owned()]
            ),
            (
                "Usernames",
                vec!["usernames".to_owned(), "excludeSelf".to_owned()]
            ),
        ]
    );
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn operations_named_like_the_runtimes_methods_are_renamed_and_unused_machinery_is_left_out() {
    let (api, _) = model(&["runtime-names.yaml"]);
    // `Client::send` and `Client::call` are the client's own.
    assert_eq!(operation_names(&api), ["send2", "call2"]);
    let server = &emitted(&api, "src/server.rs");
    // Multipart handlers are async of their own: the shared `handle` would be unused, and
    // anonymous access names no scheme.
    assert!(!server.contains("fn handle<"), "{server}");
    assert!(!server.contains("Scheme"), "{server}");
    assert!(server.contains("async fn send2("), "{server}");
}

#[test]
fn security_scopes_written_as_anything_but_a_list_are_repaired_where_they_are() {
    let (api, diags) = model(&["security-scopes-not-lists.yaml"]);
    let scheme = |i: usize| api.security_schemes[i].name.as_str();
    let security: Vec<(&str, Vec<Vec<&str>>)> = api
        .operations
        .iter()
        .map(|op| {
            let sets = op
                .security
                .iter()
                .map(|set| set.iter().map(|&i| scheme(i)).collect());
            (op.name.as_str(), sets.collect())
        })
        .collect();
    assert_eq!(
        security,
        [
            ("get_a", vec![vec!["oauth2"]]),
            ("get_b", vec![vec!["oauth2"], vec!["api_key"]]),
            ("get_c", vec![vec!["api_key"]]),
        ]
    );
    let file = "fixtures/security-scopes-not-lists.yaml";
    assert_eq!(
        diags,
        [
            format!("warning[security-scopes]: {file}:4:5#/security/0/api_key: null where a list of scopes is expected; read as no scopes"),
            format!("warning[security-scopes]: {file}:18:19#/paths/~1a/get/security/0/oauth2: null where a list of scopes is expected; read as no scopes"),
            format!("warning[security-scopes]: {file}:23:19#/paths/~1b/get/security/0/oauth2: a string where a list of scopes is expected; read as [\"read\"]"),
            format!("warning[security-scopes]: {file}:23:35#/paths/~1b/get/security/1/api_key: not a list of scopes; read as no scopes"),
        ]
    );
}

/// Shapes no normalize rule knows cost the part holding them, each with a located warning:
/// a parameter, a response, a property; the operations and the other parts stay.
#[test]
fn parts_that_are_not_openapi_cost_only_themselves() {
    let (api, diags) = model(&["parts-not-openapi.yaml"]);
    assert_eq!(operation_names(&api), ["list_pets", "add_pet"]);
    let list = &api.operations[0];
    let params: Vec<&str> = list.params.iter().map(|p| p.api_name.as_str()).collect();
    assert_eq!(params, ["limit"]);
    let TypeKind::Struct(pet) = type_named(&api, "Pet") else {
        panic!("Pet is a struct")
    };
    let fields: Vec<(&str, bool)> = pet
        .iter()
        .map(|f| (f.api_name.as_str(), matches!(f.ty, TypeRef::Any)))
        .collect();
    assert_eq!(fields, [("name", false), ("tags", true)]);
    let file = "fixtures/parts-not-openapi.yaml";
    let parse: Vec<&String> = diags.iter().filter(|d| d.contains("[parse]")).collect();
    assert_eq!(
        parse,
        [
            &format!("warning[parse]: {file}:14:15#/paths/~1pets/get/parameters/1: not valid OpenAPI at /in: unknown variant `body`, expected one of `query`, `header`, `path`, `cookie`; left out"),
            &format!("warning[parse]: {file}:26:9#/paths/~1pets/get/responses/404: not valid OpenAPI: invalid type: sequence, expected struct Response; left out"),
            &format!("warning[parse]: {file}:44:9#/components/schemas/Pet/properties/tags: not valid OpenAPI: invalid type: sequence, expected a map; read as any value"),
        ]
    );
}

/// A Swagger 2.0 document is read as the OpenAPI 3.0 it says: servers from host, basePath and
/// schemes; body and formData parameters as bodies; collectionFormat as style; file as binary;
/// every security scheme kind; global parameters and responses as components.
#[test]
fn swagger_2_is_read_as_the_openapi_3_it_says() {
    let (api, diags) = model(&["../../../specs/swagger2-features.yaml"]);
    assert_eq!(diags, Vec::<String>::new());
    assert_eq!(
        api.servers.first().map(|s| s.template.as_str()),
        Some("https://pets.example.com/v2")
    );
    assert_eq!(
        operation_names(&api),
        [
            "list_pets",
            "add_pet",
            "get_pet",
            "rename_pet",
            "download_photo",
            "upload_photo",
            "feed_pet"
        ]
    );
    let op = |name: &str| api.operations.iter().find(|op| op.name == name).unwrap();
    let params: Vec<(&str, Location, &ParamEncoding)> = op("list_pets")
        .params
        .iter()
        .map(|p| (p.api_name.as_str(), p.location, &p.encoding))
        .collect();
    use generator::model::Style;
    let list = |style, explode| ParamEncoding::List { style, explode };
    assert_eq!(
        params,
        [
            ("limit", Location::Query, &ParamEncoding::Text),
            ("tags", Location::Query, &list(Style::Form, false)),
            ("ids", Location::Query, &list(Style::Form, true)),
            (
                "colors",
                Location::Query,
                &list(Style::PipeDelimited, false)
            ),
            ("X-Trace", Location::Header, &list(Style::Simple, false)),
        ]
    );
    let body = |name: &str| {
        let body = op(name).body.as_ref().unwrap();
        (body.required, &body.payload.contents[0].media)
    };
    assert!(matches!(body("add_pet"), (true, Media::Json(_))));
    assert!(matches!(body("rename_pet"), (true, Media::Form(_))));
    assert!(matches!(body("upload_photo"), (true, Media::Multipart(_))));
    let photo = &op("download_photo").responses[0];
    assert_eq!(
        photo
            .body
            .as_ref()
            .map(|b| (b.contents[0].content_type.as_str(), &b.contents[0].media)),
        Some(("image/png", &Media::Binary))
    );
    let not_found = &op("get_pet").responses[1];
    let TypeRef::Named(error) = json_type(not_found.body.as_ref()) else {
        panic!("a named type")
    };
    assert_eq!(api.types.defs[error.0].name, "ErrorModel");
    let schemes: Vec<&str> = api
        .security_schemes
        .iter()
        .map(|s| s.api_name.as_str())
        .collect();
    assert_eq!(
        schemes,
        [
            "basic",
            "key",
            "implicit",
            "password",
            "application",
            "accessCode"
        ]
    );
}

/// OpenAPI 3.2 is read: `itemSchema` of an event stream types its events, a media type from
/// `components/mediaTypes` is that media type; what is not generated yet (QUERY,
/// additionalOperations' callbacks, sequential JSON items, `defaultMapping`) is a
/// located warning; what means nothing to generated code is read quietly.
#[test]
fn openapi_32_is_read_and_what_is_not_generated_is_reported() {
    let (api, diags) = model(&["openapi32.yaml"]);
    assert_eq!(
        operation_names(&api),
        [
            "list_notes",
            "search_notes",
            "copy_notes",
            "purge_notes",
            "note_events",
            "note_lines",
            "add_note_lines"
        ]
    );
    // The QUERY method and an additionalOperations entry are operations of their path,
    // with the method spelled as sent; QUERY's body is read as any method's.
    let (search, copy) = (&api.operations[1], &api.operations[2]);
    assert_eq!(
        (&search.method, search.path.raw.as_str()),
        (&Method::Extension("QUERY".to_owned()), "/notes")
    );
    assert_eq!(copy.method, Method::Extension("COPY".to_owned()));
    // A form-urlencoded object as the whole query string is that object in the query,
    // each property a pair.
    let filter = &api.operations[0].params[0];
    assert_eq!(
        (filter.api_name.as_str(), filter.location, filter.encoding),
        (
            "filter",
            Location::Query,
            ParamEncoding::Object {
                style: Style::Form,
                explode: true
            }
        )
    );
    // JSON text as the whole query string.
    let since = &api.operations[5].params[0];
    assert_eq!(
        (since.api_name.as_str(), since.location, since.encoding),
        ("since", Location::QueryString, ParamEncoding::Json)
    );
    let body = search.body.as_ref().expect("QUERY's body");
    let Media::Json(TypeRef::Named(note)) = &body.payload.contents[0].media else {
        panic!("a JSON body: {:?}", body.payload.contents)
    };
    assert_eq!(api.types.defs[note.0].name, "Note");
    let response = |i: usize| {
        let body = api.operations[i].responses[0].body.as_ref().unwrap();
        &body.contents[0].media
    };
    let Media::Json(TypeRef::List(item)) = response(0) else {
        panic!("a JSON list: {:?}", response(0))
    };
    let TypeRef::Named(note) = item.as_ref() else {
        panic!("notes")
    };
    assert_eq!(api.types.defs[note.0].name, "Note");
    let Media::EventStream(TypeRef::Named(data)) = response(4) else {
        panic!("typed events: {:?}", response(4))
    };
    assert_eq!(api.types.defs[data.0].name, "Note");
    // Sequential JSON in a response: typed items, one a line.
    let Media::Items(TypeRef::Named(item), Framing::Lines) = response(5) else {
        panic!("typed items: {:?}", response(5))
    };
    assert_eq!(api.types.defs[item.0].name, "Note");
    // In a request body too.
    let body = api.operations[6].body.as_ref().unwrap();
    assert_eq!(
        body.payload.contents[0].media,
        Media::Items(TypeRef::Named(*item), Framing::Lines)
    );
    let file = "fixtures/openapi32.yaml";
    assert_eq!(
        diags,
        [
            format!("warning[missing-responses]: {file}:50:7#/paths/~1notes/additionalOperations/PURGE: the operation declares no responses; read as a default response without content"),
            format!("warning[item-schema]: {file}:97:19#/paths/~1notes~1lines/post/responses/204/headers/X-Added/content/application~1jsonl/itemSchema: application/jsonl items of a parameter or header are not generated as a typed stream; the value is read as bytes"),
            format!("warning[default-mapping]: {file}:118:9#/components/schemas/Shape/discriminator/defaultMapping: defaultMapping is not used: a value the mapping does not name is refused"),
            format!("warning[additional-operations]: {file}:47:15#/paths/~1notes/additionalOperations/COPY/callbacks/copied/{{$request.query.to}}/post: a callback of a QUERY or additionalOperations operation is not generated yet; it is left out"),
            format!("warning[additional-operations]: {file}:52:7#/paths/~1notes/additionalOperations/NOT A TOKEN: \"NOT A TOKEN\" is not an HTTP method name (a token); this operation is left out"),
        ]
    );
}

/// `itemSchema` in a 3.1 document (utoipa 6 writes one unless told 3.2) is read as 3.2
/// reads it, typed events and typed items, each with a located warning.
#[test]
fn item_schema_in_a_31_document_is_read_with_a_warning() {
    let (api, diags) = model(&["item-schema-in-31.yaml"]);
    let response = |i: usize| {
        let body = api.operations[i].responses[0].body.as_ref().unwrap();
        &body.contents[0].media
    };
    let Media::EventStream(TypeRef::Named(data)) = response(0) else {
        panic!("typed events: {:?}", response(0))
    };
    assert_eq!(api.types.defs[data.0].name, "Note");
    assert_eq!(
        response(1),
        &Media::Items(TypeRef::Named(*data), Framing::Lines)
    );
    let file = "fixtures/item-schema-in-31.yaml";
    assert_eq!(
        diags,
        [
            format!("warning[item-schema]: {file}:13:15#/paths/~1events/get/responses/200/content/text~1event-stream/itemSchema: itemSchema is OpenAPI 3.2's, in a 3.1.0 document; read as in 3.2"),
            format!("warning[item-schema]: {file}:22:15#/paths/~1notes.jsonl/get/responses/200/content/application~1jsonl/itemSchema: itemSchema is OpenAPI 3.2's, in a 3.1.0 document; read as in 3.2"),
        ]
    );
}

/// An event whose data is a string of JSON (`contentMediaType: application/json` with a
/// `contentSchema`, as OpenAPI 3.2's own example writes it) is typed by the `contentSchema`;
/// text data stays text.
#[test]
fn event_data_of_json_text_is_typed_by_its_content_schema() {
    let (api, diags) = model(&["event-content-schema.yaml"]);
    let response = |i: usize| {
        let body = api.operations[i].responses[0].body.as_ref().unwrap();
        &body.contents[0].media
    };
    let Media::EventStream(TypeRef::Named(data)) = response(0) else {
        panic!("typed events: {:?}", response(0))
    };
    assert_eq!(api.types.defs[data.0].name, "Note");
    assert_eq!(response(1), &Media::EventStream(TypeRef::String));
    assert!(diags.is_empty(), "{diags:?}");
}

/// The library gives the account too (for build scripts): the summary counts what was kept,
/// each loss is a diagnostic marked with what it lost, and `deny_losses` in the settings
/// makes them errors.
#[test]
fn the_library_gives_the_account_and_denies_losses_when_asked() {
    use generator::diagnostics::{Loss, Severity};
    let file = "account-losses.yaml";
    let mut input = ApiInput {
        name: "account".to_owned(),
        origin: file.to_owned(),
        sources: vec![Source {
            path: format!("fixtures/{file}"),
            text: std::fs::read_to_string(format!(
                "{}/tests/fixtures/{file}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        }],
        ..Default::default()
    };
    let output = generator::generate(&input).unwrap();
    let account = &output.summary.account;
    assert_eq!(
        (
            account.operations_generated,
            account.operations_declared,
            account.schemas_loosened
        ),
        (2, 3, 1)
    );
    assert!(!account.is_complete());
    let losses: Vec<(&str, Option<Loss>)> = output
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.loss))
        .collect();
    assert_eq!(
        losses,
        [
            ("parse", Some(Loss::Operation)),
            ("all-of", Some(Loss::AnyValue))
        ]
    );

    input.settings.deny_losses = true;
    match generator::generate(&input) {
        Err(generator::Error::InvalidSpec { diagnostics, .. }) => {
            assert!(diagnostics
                .iter()
                .all(|d| d.severity == Severity::Error && d.loss.is_some()));
            assert_eq!(diagnostics.len(), 2);
        }
        other => panic!("{other:?}"),
    }
}

/// Routes, names and origins of the events.
fn events(api: &Api) -> Vec<(&str, &str, &str, &Origin)> {
    api.events
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                e.method.as_str(),
                e.path.raw.as_str(),
                &e.origin,
            )
        })
        .collect()
}

#[test]
fn webhooks_and_callbacks_are_lowered_beside_the_operations() {
    let (api, diags) = model(&["webhooks-and-callbacks.yaml"]);
    assert_eq!(operation_names(&api), ["subscribe"]);
    let webhook = |name: &str| Origin::Webhook {
        name: name.to_owned(),
    };
    let callback = |expression: &str, url: UrlPart| Origin::Callback {
        operation: "subscribe".to_owned(),
        name: "onEvent".to_owned(),
        expression: expression.to_owned(),
        url: Some(vec![url]),
    };
    assert_eq!(
        events(&api),
        [
            ("replace_pet", "PUT", "/newPet", &webhook("newPet")),
            ("new_pet_post", "POST", "/newPet", &webhook("newPet")),
            ("pet_gone", "POST", "/pet_gone", &webhook("pet gone")),
            // A malformed part (`parameters: 7`) costs that part, not the webhook.
            ("broken", "POST", "/broken", &webhook("broken")),
            // A $ref to `components/pathItems` is copied in place by the bundler.
            ("shared", "POST", "/shared", &webhook("shared")),
            (
                "subscribe_on_event",
                "POST",
                "/subscribe/onEvent",
                &callback(
                    "{$request.body#/callbackUrl}",
                    UrlPart::Body("/callbackUrl".to_owned())
                )
            ),
            (
                "subscribe_on_event2",
                "PUT",
                "/subscribe/onEvent2",
                &callback(
                    "{$request.query.backup}",
                    UrlPart::Param(Location::Query, "backup".to_owned())
                )
            ),
        ]
    );
    assert_eq!((api.webhooks().count(), api.callbacks().count()), (5, 2));
    // The document's security is the API's; an event has only its own.
    assert_eq!(api.operations[0].security, [[0]]);
    let security: Vec<_> = api.events.iter().map(|e| e.security.len()).collect();
    assert_eq!(security, [0, 0, 1, 0, 0, 0, 0]);
    // Typed as operations are: the webhook's body is a struct of its own.
    let body = json_type(api.events[1].body.as_ref().map(|b| &b.payload));
    let TypeRef::Named(id) = body else {
        panic!("{body:?}")
    };
    assert_eq!(api.types.get(*id).name, "NewPetPostBody");
    // A callback's URL is read from the request where it holds what the expression names
    // (subscribe has a body with `callbackUrl`, no query parameter `backup`).
    let webhooks = &emitted(&api, "src/webhooks.rs");
    assert!(
        webhooks.contains("pub fn subscribe_on_event_url(&self)"),
        "{webhooks}"
    );
    assert!(!webhooks.contains("subscribe_on_event2_url"), "{webhooks}");
    // What cannot be generated is reported where it is in the file.
    assert_eq!(
        diags,
        [
            "warning[bundle]: fixtures/webhooks-and-callbacks.yaml:46:3#/webhooks/elsewhere: $ref \"#/components/pathItems/Elsewhere\" points to nothing (\"fixtures/webhooks-and-callbacks.yaml\" has no \"/components/pathItems/Elsewhere\")",
            "warning[missing-responses]: fixtures/webhooks-and-callbacks.yaml:29:5#/webhooks/newPet/post: the operation declares no responses; read as a default response without content",
            "warning[missing-responses]: fixtures/webhooks-and-callbacks.yaml:44:5#/webhooks/broken/post: the operation declares no responses; read as a default response without content",
            "warning[missing-responses]: fixtures/webhooks-and-callbacks.yaml:55:7#/components/pathItems/Shared/post: the operation declares no responses; read as a default response without content",
            "warning[parse]: fixtures/webhooks-and-callbacks.yaml:45:7#/webhooks/broken/post/parameters: not valid OpenAPI: invalid type: integer `7`, expected a sequence; left out",
            "warning[webhook]: fixtures/webhooks-and-callbacks.yaml:46:3#/webhooks/elsewhere: the webhook is a $ref to \"#/components/pathItems/Elsewhere\", which leads to no path item; it is not generated",
            "warning[path-param]: fixtures/webhooks-and-callbacks.yaml:38:5#/webhooks/pet gone/post: path parameter \"id\" does not occur in the path; it is ignored",
            "warning[webhook]: fixtures/webhooks-and-callbacks.yaml:48:3#/webhooks/empty: the path item declares no operation; nothing is generated for it",
        ]
    );
}

#[test]
fn styles_not_allowed_where_they_are_get_the_location_default() {
    use generator::model::Style;
    let (api, diags) = model(&["misplaced-styles.yaml"]);
    let encodings: Vec<(&str, ParamEncoding)> = api.operations[0]
        .params
        .iter()
        .map(|p| (p.api_name.as_str(), p.encoding))
        .collect();
    let list = |style, explode| ParamEncoding::List { style, explode };
    assert_eq!(
        encodings,
        [
            // A path array is read in the path's default style, not as a string.
            ("ids", list(Style::Simple, false)),
            (
                "X-Color",
                ParamEncoding::Object {
                    style: Style::Simple,
                    explode: false
                }
            ),
            // `form` is the query's default, so `explode` defaults to true.
            ("at", list(Style::Form, true)),
            // deepObject describes objects only: an array is written as `form` exploded.
            ("tags", list(Style::Form, true)),
        ]
    );
    let file = "fixtures/misplaced-styles.yaml";
    let at = "#/paths/~1things~1{ids}/get/parameters";
    assert_eq!(
        diags,
        [
            format!("warning[parameter-styles]: {file}:12:11{at}/0/style: style \"form\" is not allowed for a path parameter (allowed: simple, label, matrix); read as \"simple\""),
            format!("warning[parameter-styles]: {file}:19:11{at}/1/style: style \"deepObject\" is not allowed for a header parameter (allowed: simple); read as \"simple\""),
            format!("warning[parameter-styles]: {file}:27:11{at}/2/style: style \"matrix\" is not allowed for a query parameter (allowed: form, spaceDelimited, pipeDelimited, deepObject); read as \"form\""),
            format!("warning[param-style]: {file}:32:15{at}/3: parameter \"tags\" is an array, which the deepObject style does not describe; it is written in the form style, exploded (name=a&name=b)"),
        ]
    );
}

/// The parts of multipart struct `id`: name, required, and whether a file.
fn parts(api: &Api, ty: &TypeRef) -> Vec<(String, bool, bool)> {
    let TypeRef::Named(id) = ty else {
        panic!("{ty:?}")
    };
    let TypeKind::Multipart(parts) = &api.types.defs[id.0].kind else {
        panic!("not multipart: {:?}", api.types.defs[id.0].kind)
    };
    parts
        .iter()
        .map(|p| {
            let file = matches!(p.kind, generator::model::PartKind::File);
            (p.api_name.clone(), p.required, file)
        })
        .collect()
}

#[test]
fn multipart_bodies_composed_of_objects_are_their_forms() {
    let (api, diags) = model(&["multipart-forms.yaml"]);
    assert!(diags.is_empty(), "{diags:?}");
    let multipart = |i: usize| match api.operations[i]
        .body
        .as_ref()
        .map(|b| &b.payload.contents[0].media)
    {
        Some(Media::Multipart(id)) => *id,
        other => panic!("not multipart: {other:?}"),
    };
    let s = |v: &str| v.to_owned();
    // The oneOf: an enum of two forms, each with the property beside the oneOf.
    let TypeKind::Untagged(forms) = &api.types.defs[multipart(0).0].kind else {
        panic!("not forms")
    };
    let forms: Vec<_> = forms
        .iter()
        .map(|f| (f.name.clone(), parts(&api, &f.ty)))
        .collect();
    assert_eq!(
        forms,
        [
            (
                s("Image"),
                vec![(s("userId"), true, false), (s("image"), true, true)]
            ),
            (
                s("AvatarUrl"),
                vec![(s("userId"), true, false), (s("avatarUrl"), true, false)]
            ),
        ]
    );
    // The allOf over an anyOf: one form, a part required where every alternative requires it.
    assert_eq!(
        parts(&api, &TypeRef::Named(multipart(1))),
        [
            (s("owner"), true, false),
            (s("file"), true, true),
            (s("notes"), false, false)
        ]
    );
}

/// The OpenAPI Initiative's example documents, 2.0 (one of them split over files) to 3.2:
/// each arrives whole, every operation and webhook declared generated, nothing lost.
#[test]
fn the_openapi_initiatives_examples_arrive_whole() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oai-examples");
    let mut apis: Vec<std::path::PathBuf> = Vec::new();
    for version in ["v2.0", "v3.0", "v3.1", "v3.2"] {
        for entry in std::fs::read_dir(root.join(version)).unwrap() {
            apis.push(entry.unwrap().path());
        }
    }
    apis.sort();
    assert_eq!(apis.len(), 18);
    for path in apis {
        let input = generator::files::api_input(std::slice::from_ref(&path), None, None, &root)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (api, diagnostics) =
            generator::build_model(&input).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let lost: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.loss.is_some())
            .map(ToString::to_string)
            .collect();
        assert_eq!(lost, Vec::<String>::new(), "{}", path.display());
        assert_eq!(
            (api.operations.len(), api.events.len()),
            (api.kept.operations_declared, api.kept.webhooks_declared),
            "{}",
            path.display()
        );
        assert!(
            !api.operations.is_empty() || !api.events.is_empty(),
            "{}",
            path.display()
        );
        generator::emit::emit_crate(&api, "example", "").unwrap();
    }
}

/// A parameter that is a value or a list of such values is the list, in its style: one
/// value is written as the list of it, so nothing on the wire is lost.
#[test]
fn a_parameter_of_one_value_or_a_list_is_the_list() {
    let (api, diags) = model(&["one-or-list-params.yaml"]);
    assert_eq!(diags, Vec::<String>::new());
    let params: Vec<(&str, &TypeRef, ParamEncoding)> = api.operations[0]
        .params
        .iter()
        .map(|p| (p.api_name.as_str(), &p.ty, p.encoding))
        .collect();
    let list = |style, explode| ParamEncoding::List { style, explode };
    let strings = TypeRef::List(Box::new(TypeRef::String));
    assert_eq!(params[1], ("fields", &strings, list(Style::Form, true)));
    let (name, ty, encoding) = params[0];
    assert_eq!((name, encoding), ("index", list(Style::Simple, false)));
    let TypeRef::List(item) = ty else {
        panic!("a list: {ty:?}")
    };
    assert_eq!(api.types.resolve_alias(item), &TypeRef::String);
}

#[test]
fn an_operation_goes_to_its_own_server_or_its_paths() {
    let (api, diags) = model(&["operation-servers.yaml"]);
    let server = |name: &str| {
        let op = api.operations.iter().find(|op| op.name == name).unwrap();
        op.server.as_deref()
    };
    assert_eq!(server("upload"), Some("https://upload.example.com/api/2.0"));
    assert_eq!(
        server("authorize"),
        Some("https://account.example.com/api/oauth2")
    );
    assert_eq!(server("authorize_once"), Some("https://once.example.com"));
    assert_eq!(server("list_files"), None, "the document's own server");
    assert_eq!(server("relative"), None);
    let warned: Vec<&String> = diags
        .iter()
        .filter(|d| d.contains("operation-server"))
        .collect();
    assert_eq!(warned.len(), 1, "{diags:?}");
    assert!(
        warned[0].contains("#/paths/~1relative/get/servers/0") && warned[0].contains("/elsewhere"),
        "{warned:?}"
    );
    let client = emitted(&api, "src/client/files.rs");
    assert!(client.contains("request_on"), "{client}");
}
