//! A cargo feature per group of operations (`fixtures/group-features.yaml`: the tags `pets`,
//! `store`, `client` and six more, a type two use, a type nine use, a
//! type each uses alone, a component none uses, a route two share): each feature compiles its group, a type shared by groups compiles
//! with any of them, and every combination a user can name compiles without a warning.

use generator::GeneratedFile;

use crate::support::check_outside;

fn generate() -> Vec<GeneratedFile> {
    let file = "group-features.yaml";
    let input = generator::ApiInput {
        name: "group-features".to_owned(),
        origin: file.to_owned(),
        sources: vec![generator::load::Source {
            path: file.to_owned(),
            text: std::fs::read_to_string(format!(
                "{}/tests/fixtures/{file}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        }],
        ..Default::default()
    };
    generator::generate(&input).unwrap().files
}

fn file<'f>(files: &'f [GeneratedFile], path: &str) -> &'f str {
    let file = files.iter().find(|f| f.path == path);
    &file
        .unwrap_or_else(|| panic!("{path} is generated"))
        .contents
}

/// The text of `text` from `item` on, without line breaks: the attributes before it.
fn before<'t>(text: &'t str, item: &str) -> &'t str {
    let at = text.find(item).unwrap_or_else(|| panic!("{item}"));
    let start = text[..at].rfind("\n\n").unwrap_or(0);
    &text[start..at]
}

#[test]
fn each_group_has_a_feature_and_the_default_build_turns_on_all() {
    let files = generate();
    let manifest = file(&files, "Cargo.toml");
    assert!(
        manifest.contains(r#"default = ["client", "server", "rustls", "all-operations"]"#),
        "{manifest}"
    );
    // The tag `client` is a feature every crate has: its group's is another.
    for feature in [
        "all-operations = [\n    \"birds\",\n    \"client-operations\",\n    \"cows\",\n    \"fish\",\n    \"horses\",\n    \"insects\",\n    \"pets\",\n    \"reptiles\",\n    \"sheep\",\n    \"store\",\n]",
        "\nclient-operations = []\n",
        "\npets = []\n",
        "\nstore = []\n",
    ] {
        assert!(manifest.contains(feature), "{feature} in {manifest}");
    }
    // A group's modules are gated whole; `shared`'s types one by one.
    let types = file(&files, "src/types.rs");
    assert!(
        types.contains("#[cfg(feature = \"pets\")]\nmod pets;"),
        "{types}"
    );
    assert!(types.contains("#[cfg(feature = \"pets\")]\npub use pets::*;"));
    let client = file(&files, "src/client.rs");
    assert!(
        client.contains("#[cfg(feature = \"store\")]\nmod store;"),
        "{client}"
    );
    // A type of `shared` that a few groups reach is gated on its own, among the others; so is
    // a component no operation uses, compiled with every group.
    let part_with = |item: &str| {
        let part = files
            .iter()
            .find(|f| f.path.starts_with("src/types/shared/") && f.contents.contains(item));
        before(&part.unwrap_or_else(|| panic!("{item}")).contents, item)
    };
    assert!(
        part_with("pub enum Kind").contains("#[cfg(any(feature = \"pets\", feature = \"store\"))]")
    );
    assert!(part_with("pub struct Unused").contains("#[cfg(feature = \"all-operations\")]"));
    let shared = file(&files, "src/types/shared.rs");
    // The types more groups reach (`Label`, nine, and `Color` through it) have a part of
    // their own, gated once where `shared.rs` declares it, and no gate on their items.
    let nine = [
        "birds", "cows", "fish", "horses", "insects", "pets", "reptiles", "sheep", "store",
    ]
    .map(|f| format!("feature = \"{f}\""))
    .join(", ");
    let flat: Vec<&str> = before(shared, "mod label;").split_whitespace().collect();
    assert!(
        flat.concat()
            .ends_with(&format!("#[cfg(any({nine}))]").replace(' ', "")),
        "{shared}"
    );
    let part = file(&files, "src/types/shared/label.rs");
    for item in ["pub struct Label ", "pub enum Color "] {
        assert!(!before(part, item).contains("cfg"), "{part}");
    }
    assert!(!shared.contains("pub struct Label"), "{shared}");
    assert!(file(&files, "src/types/pets.rs").contains("pub struct Pet "));
    // The trait's methods, the mock's, and the shared route's dispatch, each by its group.
    let server = file(&files, "src/server.rs");
    assert!(before(server, "fn list_pets(").contains("#[cfg(feature = \"pets\")]"));
    assert!(before(server, "fn get_order(").contains("#[cfg(feature = \"store\")]"));
    let mock = file(&files, "src/mock.rs");
    assert!(before(mock, "async fn get_order(").contains("#[cfg(feature = \"store\")]"));
}

#[test]
fn an_api_of_one_group_has_no_group_features() {
    let (api, _) = crate::support::fixture_model(&["path-key-query.yaml"]);
    assert_eq!(api.groups.len(), 1);
    assert_eq!(api.groups[0].feature, None);
}

/// The fixture's crate checks, outside the workspace, with every group and with each alone
/// (client, server, mock and the trait's defaults), with none, and with `--all-features`;
/// a program naming `Pet` compiles with `pets` and fails without it. Slow (a crate with its
/// dependencies, checked seven times), so ignored by default; CI runs it with `--ignored`.
#[test]
#[ignore = "cargo check of a generated crate with seven feature sets; minutes"]
fn every_combination_of_groups_compiles_and_leaves_out_the_others() {
    let mut files = generate();
    files.push(GeneratedFile {
        path: "examples/names_pet.rs".to_owned(),
        contents: "fn main() {\n    let _: Option<group_features::types::Pet> = None;\n}\n"
            .to_owned(),
    });
    let dir = std::env::temp_dir().join(format!("group-features-{}", std::process::id()));
    let with = |features: &str| {
        [
            "--tests",
            "--examples",
            "--no-default-features",
            "--features",
            features,
        ]
        .map(str::to_owned)
    };
    let runs = [
        with("client,server,mock,server-defaults,all-operations"),
        with("client,pets"),
        with("server,mock,pets"),
        with("server,server-defaults,store"),
        with("client,server,client-operations"),
        with("client,server,mock"),
        ["--all-features", "--tests", "--examples", "", ""].map(str::to_owned),
    ];
    let runs: Vec<Vec<&str>> = runs
        .iter()
        .map(|run| {
            run.iter()
                .map(String::as_str)
                .filter(|a| !a.is_empty())
                .collect()
        })
        .collect();
    let runs: Vec<&[&str]> = runs.iter().map(Vec::as_slice).collect();
    let failures = check_outside(files, &dir, &runs);
    // Only the builds without `pets` fail, and only for naming `Pet`.
    let (expected, unexpected): (Vec<&String>, Vec<&String>) = failures
        .iter()
        .partition(|f| f.contains("names_pet") && f.contains("`Pet`") && !f.contains("warning"));
    assert!(unexpected.is_empty(), "{}", failures.join("\n"));
    let failed: Vec<&str> = expected
        .iter()
        .map(|f| f.lines().next().unwrap_or_default())
        .collect();
    assert_eq!(failed.len(), 3, "{failed:?}");
    for features in [
        "server,server-defaults,store",
        "client,server,client-operations",
        "client,server,mock",
    ] {
        assert!(
            failed.iter().any(|f| f.contains(features)),
            "{features}: {failed:?}"
        );
    }
}

/// A `shared` in parts gates each part by what its types need together: Kubernetes' (its
/// settings select a few operations, so its shared types are components none of them uses)
/// are behind `all-operations`, and a build of one group does not read them.
#[test]
fn the_parts_of_shared_are_gated_by_what_their_types_need() {
    let shared = crate::support::workspace().join("generated/kubernetes/src/types/shared.rs");
    let shared = std::fs::read_to_string(shared).unwrap();
    let declarations: Vec<&str> = shared.lines().filter(|l| l.starts_with("mod ")).collect();
    assert!(!declarations.is_empty(), "{shared}");
    for declaration in declarations {
        assert!(
            shared.contains(&format!(
                "#[cfg(feature = \"all-operations\")]\n{declaration}"
            )),
            "{declaration} in {shared}"
        );
    }
}
