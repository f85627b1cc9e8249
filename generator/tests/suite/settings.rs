//! Settings files: each kind of setting, checked on the model and the emitted text of real
//! specs (nothing here compiles a generated crate).

use std::path::{Path, PathBuf};

use generator::diagnostics::Diagnostics;
use generator::files::api_input;
use generator::load::load_document;
use generator::model::{Api, TypeKind, TypeRef};
use generator::{ApiInput, GeneratedFile};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/settings")
        .join(name)
}

fn input(spec: &str, settings: Option<&str>) -> ApiInput {
    let settings = settings.map(fixture);
    api_input(
        &[root().join("specs").join(spec)],
        None,
        settings.as_deref(),
        &root(),
    )
    .unwrap()
}

fn file(files: &[GeneratedFile], path: &str) -> String {
    generator::module_text(files, path)
}

/// Every type used anywhere in the model: fields, variants, aliases, parameters and bodies.
fn uses(api: &Api) -> Vec<TypeRef> {
    let mut found = Vec::new();
    for def in &api.types.defs {
        match &def.kind {
            TypeKind::Struct(fields) => found.extend(fields.iter().map(|f| f.ty.clone())),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => found.push(ty.clone()),
            TypeKind::Untagged(variants) => found.extend(variants.iter().map(|v| v.ty.clone())),
            TypeKind::Tagged { variants, .. } => {
                found.extend(variants.iter().map(|v| v.ty.clone()))
            }
            _ => {}
        }
    }
    for op in &api.operations {
        found.extend(op.params.iter().map(|p| p.ty.clone()));
    }
    let mut all = Vec::new();
    while let Some(ty) = found.pop() {
        if let TypeRef::List(inner) | TypeRef::Map(inner) = &ty {
            found.push((**inner).clone());
        }
        all.push(ty);
    }
    all
}

/// The operationIds of the Rocket.Chat spec tagged `Livechat` (any case), read from the
/// documents themselves.
fn livechat_ids(input: &ApiInput) -> Vec<String> {
    let mut ids = Vec::new();
    for source in &input.sources {
        let doc = load_document(source, &mut Diagnostics::default()).unwrap();
        let Some(paths) = doc.value.get("paths").and_then(|p| p.as_object()) else {
            continue;
        };
        for operation in paths
            .values()
            .filter_map(|item| item.as_object())
            .flat_map(|item| item.values())
        {
            let tagged = operation["tags"].as_array().is_some_and(|tags| {
                tags.iter().any(|t| {
                    t.as_str()
                        .is_some_and(|t| t.eq_ignore_ascii_case("livechat"))
                })
            });
            if tagged {
                ids.push(operation["operationId"].as_str().unwrap().to_owned());
            }
        }
    }
    ids
}

/// The example: the Rocket.Chat trait renamed, the `livechat` tag left out, and
/// `format: date-time` mapped to `String`.
#[test]
fn rocketchat_trait_renamed_livechat_excluded_date_times_as_strings() {
    let plain = input("rocketchat", None);
    let (plain_api, _) = generator::build_model(&plain).unwrap();
    assert!(
        uses(&plain_api).contains(&TypeRef::DateTime),
        "the spec has date-times"
    );
    let livechat = livechat_ids(&plain);
    assert!(livechat.len() >= 5, "{livechat:?}");

    let configured = input("rocketchat", Some("rocketchat.toml"));
    let output = generator::generate(&configured).unwrap();
    let (api, diagnostics) = generator::build_model(&configured).unwrap();
    assert!(
        !diagnostics.iter().any(|d| d.rule == "settings"),
        "every setting applies: {diagnostics:?}"
    );

    assert_eq!(api.trait_name, "RocketChat");
    assert!(file(&output.files, "src/server.rs").contains("pub trait RocketChat:"));
    assert!(
        file(&output.files, "src/lib.rs").contains("pub use client::Client as RocketChatClient;")
    );

    for id in &livechat {
        assert!(
            !api.operations.iter().any(|op| op.api_name == *id),
            "{id} is left out"
        );
    }
    assert_eq!(
        api.operations.len(),
        plain_api.operations.len() - livechat.len()
    );

    assert!(!uses(&api).contains(&TypeRef::DateTime));
    // The runtime's copy is the same in every crate (its `chrono` feature is off here).
    assert!(
        !output
            .files
            .iter()
            .filter(|f| !f.path.starts_with("runtime/"))
            .any(|f| f.contents.contains("chrono")),
        "no chrono left"
    );
}

#[test]
fn every_kind_of_setting_on_petstore() {
    let input = input("petstore.yaml", Some("petstore.toml"));
    assert_eq!(input.name, "pet-shop");
    let output = generator::generate(&input).unwrap();
    let diagnostics: Vec<String> = output.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        ["warning[settings]: generator/tests/fixtures/settings/petstore.toml#/operations/exclude/tags/0: \"no such tag\" matches no operation"]
    );
    let (api, _) = generator::build_model(&input).unwrap();

    // Included by id, minus the excluded path; listPets renamed, its docs keep the id.
    let names: Vec<(&str, &str)> = api
        .operations
        .iter()
        .map(|op| (op.name.as_str(), op.api_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [("all_pets", "listPets"), ("create_pets", "createPets")]
    );
    let client = file(&output.files, "src/client.rs");
    assert!(client.contains("pub fn all_pets("), "{client}");
    assert!(client.contains("(`listPets`)"), "{client}");
    assert!(!client.contains("show_pet_by_id"));

    // The overlay removed `limit` and required `tag`, and described Pet.
    assert!(api.operations[0].params.is_empty());
    let types = file(&output.files, "src/types.rs");
    assert!(types.contains("/// An animal in the shop."), "{types}");
    assert!(types.contains("pub tag: String,"), "{types}");

    // Types: Pet renamed, Error and int64 are the user's types, extra derives.
    assert!(
        types.contains(
            "#[derive(Eq, Hash)]\n#[derive(Debug, Clone, PartialEq)]\npub struct Animal {"
        ),
        "{types}"
    );
    assert!(types.contains("pub id: rust_decimal::Decimal,"), "{types}");
    assert!(
        types.contains("pub type ErrorModel = my_errors::ApiError;"),
        "{types}"
    );
    assert!(!types.contains("struct Pet "));

    let manifest = file(&output.files, "Cargo.toml");
    assert!(manifest.contains("name = \"pet-shop\""));
    assert!(manifest.contains("rust_decimal = { version = \"1.36\", features = [\"serde-str\"] }\nmy_errors = { path = \"../my-errors\" }\n"), "{manifest}");
}

#[test]
fn settings_beside_the_spec_are_found() {
    let dir = std::env::temp_dir().join(format!("settings-beside-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(root().join("specs/petstore.yaml"), dir.join("zoo.yaml")).unwrap();
    std::fs::write(dir.join("zoo.toml"), "trait-name = \"Zoo\"\n").unwrap();
    let input = api_input(&[dir.join("zoo.yaml")], None, None, &dir).unwrap();
    assert_eq!(input.settings.trait_name.as_deref(), Some("Zoo"));
    assert_eq!(input.settings.file, "zoo.toml");

    std::fs::write(dir.join("zoo.toml"), "trait-name = \"Zoo\"\ntrait = 1\n").unwrap();
    let Err(generator::Error::InvalidSpec { diagnostics, .. }) =
        api_input(&[dir.join("zoo.yaml")], None, None, &dir)
    else {
        panic!("an unknown key is an error");
    };
    assert!(
        diagnostics[0]
            .to_string()
            .starts_with("error[settings]: zoo.toml#: line 2, column 1: unknown field `trait`"),
        "{}",
        diagnostics[0]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pagination_said_by_settings_or_turned_off() {
    let input = input("http-features.yaml", Some("pages.toml"));
    let (api, diagnostics) = generator::build_model(&input).unwrap();
    let diagnostics: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        diagnostics.iter().any(|d| d.starts_with("warning[settings]: generator/tests/fixtures/settings/pages.toml#/pagination/noSuchOperation: no operation")),
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics.iter().any(|d| d.starts_with("warning[pagination]: specs/http-features.yaml")
            && d.contains("#/paths/~1notes~1by-cursor/get/x-pagination: the pages this says are not in the operation")),
        "{diagnostics:#?}"
    );
    let pages = |id: &str| {
        api.operations
            .iter()
            .find(|op| op.api_name == id)
            .unwrap()
            .pagination
            .clone()
            .map(|p| p.next)
    };
    assert_eq!(pages("notesByOffset"), None);
    assert_eq!(pages("notesByCursor"), None);
    assert_eq!(
        pages("notesLinked"),
        Some(generator::model::NextPage::Page { param: 0, first: 1 })
    );
    // Untouched: the rules' reading.
    assert!(matches!(
        pages("notesNextLink"),
        Some(generator::model::NextPage::Url { .. })
    ));
}

/// A type override is emitted as code, so it may only be a type path: an array length that
/// is a block (here holding a macro call) is refused with its place, as are macros, trait
/// objects and qualified paths; paths with type arguments, tuples and arrays of literal
/// length pass.
#[test]
fn a_type_override_is_a_type_path_and_no_code() {
    let dir = std::env::temp_dir().join(format!("settings-types-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(root().join("specs/petstore.yaml"), dir.join("zoo.yaml")).unwrap();
    let read = |toml: &str| {
        std::fs::write(dir.join("zoo.toml"), toml).unwrap();
        api_input(&[dir.join("zoo.yaml")], None, None, &dir)
    };
    let refused = [
        (
            "Pet",
            "[u8; { compile_error!(\\\"x\\\"); 1 }]",
            "an expression",
        ),
        ("Error", "include!(\\\"/etc/passwd\\\")", "a macro"),
        ("Pets", "Vec<Box<dyn Fn()>>", "a trait"),
    ];
    let toml: String = refused
        .iter()
        .map(|(schema, ty, _)| format!("{schema} = \"{ty}\"\n"))
        .collect();
    let Err(generator::Error::InvalidSpec { diagnostics, .. }) =
        read(&format!("[types.schemas]\n{toml}"))
    else {
        panic!("code in a type override is refused");
    };
    let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), refused.len(), "{messages:#?}");
    for (schema, _, why) in refused {
        assert!(
            messages.iter().any(|m| m.starts_with(&format!(
                "error[settings]: zoo.toml#/types/schemas/{schema}: "
            )) && m.contains(why)),
            "{schema}: {messages:#?}"
        );
    }

    let input =
        read("[types.schemas]\nPet = \"std::collections::BTreeMap<String, (u8, [i32; 4])>\"\n")
            .unwrap();
    let output = generator::generate(&input).unwrap();
    assert!(file(&output.files, "src/types.rs")
        .contains("pub type Pet = std::collections::BTreeMap<String, (u8, [i32; 4])>;"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A spec is data: its own `x-rust-type` is not a way to put code (or a type that does not
/// compile) into the crate. It is dropped with a located warning; the settings' `[types]`
/// still apply.
#[test]
fn a_spec_cannot_choose_a_rust_type() {
    let text = std::fs::read_to_string(root().join("specs/petstore.yaml"))
        .unwrap()
        .replace(
            "    Pet:\n      type: object\n",
            "    Pet:\n      x-rust-type: \"[u8; { compile_error!(\\\"x\\\"); 1 }]\"\n      type: object\n",
        )
        .replace(
            "    Error:\n      type: object\n",
            "    Error:\n      x-rust-type: my::Error\n      type: object\n",
        );
    assert_eq!(text.matches("x-rust-type").count(), 2, "the spec changed");
    let input = ApiInput {
        name: "zoo".to_owned(),
        origin: "zoo.yaml".to_owned(),
        sources: vec![generator::load::Source {
            path: "zoo.yaml".to_owned(),
            text,
        }],
        settings: generator::settings::Settings {
            file: "zoo.toml".to_owned(),
            types: generator::settings::TypeOverrides {
                schemas: [("Error".to_owned(), "your::Error".to_owned())].into(),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    };
    let output = generator::generate(&input).unwrap();
    let types = file(&output.files, "src/types.rs");
    assert!(!types.contains("compile_error"), "{types}");
    assert!(types.contains("pub struct Pet {"), "{types}");
    assert!(
        types.contains("pub type ErrorModel = your::Error;"),
        "{types}"
    );
    let warnings: Vec<String> = output
        .diagnostics
        .iter()
        .filter(|d| d.rule == "spec-rust-type")
        .map(ToString::to_string)
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    for schema in ["Pet", "Error"] {
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("warning[spec-rust-type]: zoo.yaml:")
                    && w.contains(&format!("#/components/schemas/{schema}/x-rust-type: "))),
            "{warnings:#?}"
        );
    }
}

/// The overlay a settings file names is read from the settings file's folder or below: a
/// path climbing out, an absolute path, or a symbolic link leading out is an error at
/// `#/overlay`, and nothing is read.
#[test]
fn the_overlay_stays_in_the_settings_folder() {
    let dir = std::env::temp_dir().join(format!("settings-overlay-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    std::fs::copy(
        root().join("specs/petstore.yaml"),
        dir.join("spec/zoo.yaml"),
    )
    .unwrap();
    let overlay = "overlay: 1.0.0\ninfo: {title: o, version: '1'}\nactions: []\n";
    std::fs::write(dir.join("outside.overlay.yaml"), overlay).unwrap();
    std::fs::write(dir.join("spec/inside.overlay.yaml"), overlay).unwrap();
    let mut paths = vec![
        "../outside.overlay.yaml".to_owned(),
        dir.join("outside.overlay.yaml").display().to_string(),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            "../outside.overlay.yaml",
            dir.join("spec/link.overlay.yaml"),
        )
        .unwrap();
        paths.push("link.overlay.yaml".to_owned());
    }
    let read = |overlay: &str| {
        std::fs::write(
            dir.join("spec/zoo.toml"),
            format!("overlay = {overlay:?}\n"),
        )
        .unwrap();
        api_input(&[dir.join("spec/zoo.yaml")], None, None, &dir)
    };
    for overlay in &paths {
        let Err(generator::Error::InvalidSpec { diagnostics, .. }) = read(overlay) else {
            panic!("{overlay} is refused");
        };
        let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [format!(
                "error[settings]: spec/zoo.toml#/overlay: {overlay:?} leads outside spec/, the \
                 settings file's folder: an overlay is read from there or below"
            )]
        );
    }
    let input = read("inside.overlay.yaml").unwrap();
    assert_eq!(input.overlay.unwrap().path, "spec/inside.overlay.yaml");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A selection reaches 3.2's `query` and `additionalOperations` too.
#[test]
fn a_selection_takes_query_and_additional_operations() {
    let input = input("openapi32-methods.yaml", Some("openapi32-methods.toml"));
    let (api, diagnostics) = generator::build_model(&input).unwrap();
    let names: Vec<&str> = api.operations.iter().map(|op| op.name.as_str()).collect();
    assert_eq!(names, ["list_notes"]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
}
