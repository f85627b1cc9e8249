//! Names in the generated crate that cannot clash or mislead: fixture specs of
//! tests/fixtures/names/, one construct each, checked on the model and on the emitted source.

use generator::load::Source;
use generator::model::{Api, Media, TypeId, TypeKind, TypeRef};
use generator::{ApiInput, GeneratedFile};

/// The fixture at `file`, under tests/fixtures/.
fn input(file: &str) -> ApiInput {
    let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
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

/// The model and the files of the crate.
fn generate(file: &str) -> (Api, Vec<GeneratedFile>) {
    let files = generator::generate(&input(file)).unwrap().files;
    let (api, _) = generator::build_model(&input(file)).unwrap();
    (api, files)
}

/// The text of the crate's module at `path`, its groups' files too.
fn text(files: &[GeneratedFile], path: &str) -> String {
    generator::module_text(files, path)
}

/// The doc comment lines right above the line holding `item`.
fn docs_above(source: &str, item: &str) -> Vec<String> {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(item))
        .unwrap_or_else(|| panic!("no {item}"));
    let mut docs: Vec<String> = lines[..at]
        .iter()
        .rev()
        .take_while(|l| l.trim_start().starts_with("///"))
        .map(|l| l.trim().to_owned())
        .collect();
    docs.reverse();
    docs
}

#[test]
fn an_operation_without_a_summary_opens_its_docs_with_its_call() {
    let (_, files) = generate("names/no-summary.yaml");
    let docs = docs_above(&text(&files, "src/client.rs"), "pub fn ping(");
    assert_eq!(docs, ["/// `GET /ping` (`ping`)"]);
}

#[test]
fn the_base_urls_are_a_module_named_apart_from_the_server() {
    let (_, files) = generate("names/no-summary.yaml");
    assert!(files.iter().all(|f| f.path != "src/servers.rs"));
    let base_urls = text(&files, "src/base_urls.rs");
    assert!(base_urls.contains("pub const DEFAULT: &str = \"https://eu.example.com/v1\";"));
    assert!(base_urls.contains("pub fn default_with("));
    assert!(text(&files, "src/lib.rs").contains("pub mod base_urls;"));
}

#[test]
fn a_client_level_header_is_none_until_set_and_its_docs_say_where_it_comes_from() {
    let (_, files) = generate("client-headers.yaml");
    let requests = text(&files, "src/requests.rs");
    let field = "pub x_auth_token: Option<String>,";
    let docs = docs_above(&requests, field).join("\n");
    assert!(
        docs.contains("Required: `None` sends the client's own (`Client::set_x_auth_token`)"),
        "{docs}"
    );
    assert!(!docs.contains("empty"), "{docs}");
    let client = text(&files, "src/client.rs");
    let docs = docs_above(&client, "pub fn get_me(").join("\n");
    assert!(
        docs.contains("Headers the client fills in unless set on the [`Call`]: `x_auth_token`."),
        "{docs}"
    );
    assert!(!docs.contains("Optional inputs"), "{docs}");
    assert!(client.contains("client.client_header(\"X-Auth-Token\", self.x_auth_token.as_deref())"));
}

#[test]
fn an_inline_schema_is_named_by_its_title_where_the_title_is_unambiguous() {
    let (api, _) = generate("names/titles.yaml");
    let mut names: Vec<&str> = api.types.defs.iter().map(|d| d.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            // `Error` is a name `client` exports: the title gives `ErrorModel`.
            "ErrorModel",
            "Pet",
            // Two schemas have the title `Item`, and `Pet` is a component's: by place.
            "PingBadRequest",
            "PingNotFound",
            "PingResult",
            "PingResultData",
            "PongOk",
        ]
    );
}

/// The type named `name`.
fn type_id(api: &Api, name: &str) -> TypeRef {
    let id = api.types.defs.iter().position(|d| d.name == name);
    TypeRef::Named(TypeId(id.unwrap_or_else(|| panic!("no type {name}"))))
}

/// The JSON body of `operation`'s answer `variant`.
fn answer<'a>(api: &'a Api, operation: &str, variant: &str) -> &'a TypeRef {
    let op = api
        .operations
        .iter()
        .find(|op| op.name == operation)
        .unwrap();
    let response = op.responses.iter().find(|r| r.variant == variant).unwrap();
    match &response.body.as_ref().unwrap().contents[0].media {
        Media::Json(ty) => ty,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_response_or_body_of_the_components_is_one_type_named_by_its_key() {
    let (api, _) = generate("names/shared.yaml");
    let unauthorized = type_id(&api, "AuthorizationError");
    assert_eq!(answer(&api, "rooms_kick", "Unauthorized"), &unauthorized);
    assert_eq!(answer(&api, "me", "Unauthorized"), &unauthorized);
    // The same shape written out in place folds into the response's type, which keeps the
    // name its author gave; the operation meets its own name as an alias of it.
    let success = type_id(&api, "TrueSuccess");
    assert_eq!(answer(&api, "rooms_kick", "Ok"), &success);
    let TypeRef::Named(me_ok) = answer(&api, "me", "Ok") else {
        panic!("not a named type");
    };
    let me_ok = &api.types.defs[me_ok.0];
    assert_eq!(me_ok.name, "MeOk");
    assert_eq!(me_ok.kind, TypeKind::Alias(success));
    // So is a body of the components.
    let room_user = type_id(&api, "RoomUser");
    for operation in ["rooms_invite", "rooms_mute"] {
        let op = api
            .operations
            .iter()
            .find(|op| op.name == operation)
            .unwrap();
        let body = &op.body.as_ref().unwrap().payload.contents[0].media;
        assert_eq!(body, &Media::Json(room_user.clone()), "{operation}");
    }
}

/// What the type named `name` is an alias of, by name.
fn alias_of<'a>(api: &'a Api, name: &str) -> &'a str {
    let TypeRef::Named(id) = type_id(api, name) else {
        unreachable!()
    };
    match &api.types.defs[id.0].kind {
        TypeKind::Alias(TypeRef::Named(of)) => &api.types.defs[of.0].name,
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn a_folded_type_is_named_by_what_its_copies_share_not_by_one_copy_s_place() {
    let (api, files) = generate("names/folded.yaml");
    // Bodies of unrelated operations: named by their fields; each operation still meets
    // its own name, the first-met one too.
    assert_eq!(alias_of(&api, "ChannelsKickBody"), "RoomIdUserIdBody");
    assert_eq!(alias_of(&api, "GroupsAddOwnerBody"), "RoomIdUserIdBody");
    // Copies at properties of one name: named by it.
    let types = text(&files, "src/types.rs");
    assert!(types.contains("pub owner: Option<Owner>,"), "{types}");
    assert!(!types.contains("GetRoomOkOwner"), "{types}");
}

#[test]
fn the_server_module_comes_first_so_the_compiler_suggests_server_problem() {
    // rustc's help for a missing trait method names `Problem` by the first public path to
    // it in declaration order (checked by hand: `petstore::server::Problem` with this order,
    // `petstore::client::Problem` with the other).
    let (_, files) = generate("names/no-summary.yaml");
    let lib = text(&files, "src/lib.rs");
    let server = lib.find("pub mod server;").unwrap();
    let client = lib.find("pub mod client;").unwrap();
    assert!(server < client, "{lib}");
}

/// A shared response or body of several media types is one enum, written once however many
/// operations use it (it was written once per operation: a crate that did not compile).
#[test]
fn a_shared_payload_of_several_media_types_is_written_once() {
    let (_, files) = generate("names/shared-media.yaml");
    let types = text(&files, "src/types.rs");
    let enums: Vec<&str> = types
        .lines()
        .filter(|l| l.starts_with("pub enum "))
        .collect();
    let mut unique = enums.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(enums.len(), unique.len(), "{enums:?}");
    assert_eq!(enums.len(), 2, "{enums:?}");
}

/// Enum values named by the spec (`x-enum-varnames`, `x-enumNames`, `x-ms-enum`'s values)
/// take those names; a value the spec names not, or twice, stays unique.
#[test]
fn enum_values_take_the_names_the_spec_gives_them() {
    let (api, _) = generate("names/enum-varnames.yaml");
    let variants = |name: &str| -> Vec<String> {
        let def = api.types.defs.iter().find(|d| d.name == name).unwrap();
        match &def.kind {
            TypeKind::Enum(variants) => variants.iter().map(|v| v.name.clone()).collect(),
            TypeKind::IntEnum(variants) => variants.iter().map(|v| v.name.clone()).collect(),
            other => panic!("{name} is not an enum: {other:?}"),
        }
    };
    assert_eq!(variants("Status"), ["Pending", "Active", "Closed"]);
    assert_eq!(variants("Level"), ["Low", "High"]);
    assert_eq!(variants("Size"), ["Small", "M", "ExtraLarge"]);
    assert_eq!(variants("Clash"), ["Same", "Same2"]);
}

/// Each operation's group (its first tag, else the path segment after the prefix every
/// path shares) is a module of its own in each of the crate's modules; a type goes in the
/// module of the one group that reaches it, else in `shared`.
#[test]
fn operations_are_grouped_into_modules_and_each_type_goes_where_it_is_used() {
    let (api, files) = generate("names/groups.yaml");
    let names: Vec<&str> = api.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["animals", "owners"]);
    assert_eq!(
        api.groups[0].docs.description.as_deref(),
        Some("Everything about pets.")
    );
    let reach = |name: &str| {
        let TypeRef::Named(id) = type_id(&api, name) else {
            unreachable!()
        };
        api.type_reach[id.0]
            .groups
            .iter()
            .copied()
            .collect::<Vec<_>>()
    };
    assert_eq!(reach("Pet"), [0]);
    assert_eq!(reach("Owner"), [0, 1]);
    assert_eq!(reach("Unused"), [0usize; 0]);
    let file = |path: &str| text(&files, path);
    assert!(file("src/types/animals.rs").contains("pub struct Pet {"));
    assert!(file("src/types/shared.rs").contains("pub struct Owner {"));
    assert!(file("src/types/shared.rs").contains("pub type Unused = String;"));
    assert!(file("src/types.rs").contains("mod animals;"));
    assert!(file("src/types.rs").contains("pub use animals::*;"));
    assert!(file("src/client/animals.rs").contains("pub fn list_pets("));
    assert!(file("src/client/owners.rs").contains("pub fn get_owner("));
    assert!(file("src/requests/owners.rs").contains("pub struct GetOwnerRequest {"));
    assert!(file("src/responses/owners.rs").contains("pub enum GetOwnerResponse {"));
    assert!(file("src/server/owners.rs").contains("fn get_owner("));
    // The one trait stays whole, in `server.rs` itself.
    let server = &files
        .iter()
        .find(|f| f.path == "src/server.rs")
        .unwrap()
        .contents;
    let the_trait = server.split("pub trait Groups").nth(1).unwrap();
    assert!(the_trait.contains("fn list_pets("), "{server}");
    assert!(the_trait.contains("fn get_owner("), "{server}");

    // By path, the tag is not read.
    let mut input = input("names/groups.yaml");
    input.settings.group_by = generator::settings::Grouping::Path;
    let (api, _) = generator::build_model(&input).unwrap();
    let names: Vec<&str> = api.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["owners", "pets"]);
}

/// A group's file names the types it uses bare, imported once at its top, not by their
/// `crate::` paths at every use.
#[test]
fn a_group_file_imports_the_types_it_names() {
    let (_, files) = generate("names/groups.yaml");
    let client = text(&files, "src/client/animals.rs");
    assert!(
        client.contains("use crate::requests::{ListPetsRequest, PetOwnerRequest};"),
        "{client}"
    );
    assert!(
        client.contains("impl Operation for PetOwnerRequest {"),
        "{client}"
    );
    let types = text(&files, "src/types/animals.rs");
    assert!(types.contains("use crate::{de, ser, validate};"), "{types}");
    for (path, text) in [("client", &client), ("types", &types)] {
        let spelled = text
            .lines()
            .filter(|l| !l.starts_with("use ") && l.contains("crate::"))
            .count();
        assert_eq!(spelled, 0, "{path}: {text}");
    }
}
