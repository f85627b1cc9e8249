//! `generator::files`: `generate_into`, the function for build scripts and xtasks, and
//! `CrateFiles`, which writes or checks a crate a file at a time as `generate_each` hands
//! them on.

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generate-into-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_spec_with_errors_writes_nothing_and_returns_every_diagnostic() {
    let out = temp_dir("broken");
    let Err(generator::Error::InvalidSpec { diagnostics, .. }) =
        generator::files::generate_into(&[fixture("broken.json")], &out)
    else {
        panic!("broken.json has errors");
    };
    assert!(
        diagnostics.iter().any(|d| d.rule == "load"),
        "{diagnostics:?}"
    );
    assert!(!out.exists());
}

#[test]
fn a_good_spec_is_written_with_its_warnings_returned() {
    let out = temp_dir("good");
    let warnings =
        generator::files::generate_into(&[fixture("required-as-string.json")], &out).unwrap();
    assert_eq!(
        warnings.iter().map(|d| d.rule).collect::<Vec<_>>(),
        ["string-booleans", "string-booleans"]
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("name = \"required-as-string\""),
        "{manifest}"
    );
    assert!(out.join("src/client.rs").is_file());
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn for_include_lib_rs_has_no_inner_attributes() {
    let out = temp_dir("include");
    generator::files::generate_for_include(&[fixture("required-as-string.json")], &out).unwrap();
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(!lib.contains("#!["), "{lib}");
    assert!(!lib.contains("//!"), "{lib}");
    assert!(lib.contains("#[allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]\n#[rustfmt::skip]\npub mod types;"), "{lib}");
    std::fs::remove_dir_all(&out).unwrap();
}

/// The build-script example includes generated code in a crate of its own, so its manifest
/// must declare every feature and dependency the generated code uses: those of the
/// generated petstore crate and those of its runtime crate that petstore turns on (the
/// runtime's features of the same names, and the optional ones its dependency names),
/// whose modules become the including crate's own.
#[test]
fn the_build_script_example_declares_what_generated_code_uses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| -> toml::Table {
        toml::from_str(&std::fs::read_to_string(root.join(path)).unwrap()).unwrap()
    };
    let generated = read("../generated/petstore/Cargo.toml");
    let runtime = read("../generated/petstore/runtime/Cargo.toml");
    let example = read("examples/build-script/Cargo.toml");
    let table = |manifest: &toml::Table, name: &str| manifest[name].as_table().unwrap().clone();
    let enabled = |value: &toml::Value| -> std::collections::BTreeSet<String> {
        let items = value.as_array().unwrap().iter();
        let names = items.map(|v| v.as_str().unwrap().to_owned());
        names.filter(|v| !v.starts_with("runtime/")).collect()
    };
    let (features, example_features) = (table(&generated, "features"), table(&example, "features"));
    let runtime_features = table(&runtime, "features");
    let mut runtime_used = std::collections::BTreeSet::new();
    for (name, value) in &features {
        if name == "default" {
            continue;
        }
        let mut expected = enabled(value);
        if let Some(more) = runtime_features.get(name) {
            expected.extend(enabled(more));
            runtime_used.extend(enabled(more));
        }
        let declared = example_features.get(name).map(enabled);
        assert_eq!(declared, Some(expected), "[features] {name}");
    }
    let dependencies = table(&generated, "dependencies");
    for name in dependencies["runtime"]
        .get("features")
        .and_then(|f| f.as_array())
        .into_iter()
        .flatten()
    {
        runtime_used.extend(enabled(&runtime_features[name.as_str().unwrap()]));
    }
    let example_dependencies = table(&example, "dependencies");
    let mut expected = table(&runtime, "dependencies");
    expected.retain(|name, value| {
        let optional = value.get("optional").and_then(|o| o.as_bool()) == Some(true);
        !optional || runtime_used.contains(&format!("dep:{name}"))
    });
    expected.extend(dependencies);
    expected.remove("runtime");
    for (name, value) in &expected {
        assert_eq!(
            example_dependencies.get(name),
            Some(value),
            "[dependencies] {name}"
        );
    }
}

/// For `include!`, a vendored runtime crate's modules become the crate's own: every
/// generated file is under `src/`, `lib.rs` declares the runtime's modules (public where
/// the crate re-exported them) and imports what only generated code uses from the crate's
/// own `__private`; the runtime's optional features are decided as its manifest turns them
/// on (this spec uses none: no `multipart` module).
#[test]
fn for_include_the_runtime_is_modules_of_the_crate() {
    let out = temp_dir("include-runtime");
    generator::files::generate_for_include(&[fixture("required-as-string.json")], &out).unwrap();
    assert!(!out.join("runtime").exists());
    assert!(out.join("src/__private/client_support.rs").is_file());
    assert!(out
        .join("src/__private/client_support/request.rs")
        .is_file());
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(!lib.contains("runtime"), "{lib}");
    for declared in [
        "pub mod validate;",
        "\nmod media;",
        "\nmod __private;",
        "#[cfg(feature = \"client\")]\nuse crate::__private::client_support;",
        "use crate::__private::de;",
    ] {
        assert!(lib.contains(declared), "{declared} in {lib}");
    }
    for left_out in ["mod multipart", "pub mod client {", "pub mod server {"] {
        assert!(!lib.contains(left_out), "{left_out} in {lib}");
    }
    std::fs::remove_dir_all(&out).unwrap();

    // A spec with multipart bodies turns the runtime's `multipart` on: its module is there,
    // public, with no `cfg` the including crate would have to declare a feature for.
    generator::files::generate_for_include(&[fixture("multipart-forms.yaml")], &out).unwrap();
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(
        lib.contains("#[allow(dead_code, unused_imports)]\npub mod multipart;"),
        "{lib}"
    );
    assert!(!lib.contains("feature = \"multipart\""), "{lib}");
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn a_root_file_brings_the_files_its_refs_reach_and_nothing_outside_its_folder() {
    let root = fixture("bundle/root.yaml");
    let input = generator::files::api_input(&[root], None, None, Path::new("/")).unwrap();
    let mut read: Vec<_> = input
        .sources
        .iter()
        .map(|s| s.path.rsplit("bundle/").next().unwrap().to_owned())
        .collect();
    read.sort();
    assert_eq!(
        read,
        [
            "description.yml",
            "models/error.yml",
            "models/owner.yml",
            "models/params.yml",
            "models/pet.yml",
            "paths/pets.yml",
            "root.yaml"
        ],
        "every file a ref reaches, refs of refs included"
    );
    let (api, _) = generator::build_model(&input).unwrap();
    assert_eq!(api.operations.len(), 2);

    // A ref climbing out of the root's folder is not followed, and says so.
    let dir = temp_dir("outside");
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    std::fs::write(dir.join("secret.yaml"), "Secret: {type: string}\n").unwrap();
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /s:\n    get:\n      \
                responses:\n        '200':\n          description: ok\n          content:\n            \
                application/json:\n              schema: {$ref: '../secret.yaml#/Secret'}\n";
    std::fs::write(dir.join("spec/root.yaml"), spec).unwrap();
    let input =
        generator::files::api_input(&[dir.join("spec/root.yaml")], None, None, &dir).unwrap();
    assert_eq!(input.sources.len(), 1);
    // The ref left dangling costs that schema only: it is read as any value.
    let (_, diagnostics) = generator::build_model(&input).unwrap();
    assert!(
        diagnostics
            .iter()
            .any(|d| d.rule == "bundle" && d.message.contains("which is not read")),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics
            .iter()
            .any(|d| d.rule == "ref" && d.message.ends_with("read as any value")),
        "{diagnostics:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A spec that names a secret's schema, with a description that must not reach the crate.
#[cfg(unix)]
const SECRET: &str = "Secret: {type: string, description: TOP SECRET}\n";

#[cfg(unix)]
fn spec_with_ref(reference: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /s:\n    get:\n      \
         responses:\n        '200':\n          description: ok\n          content:\n            \
         application/json:\n              schema: {{$ref: '{reference}'}}\n"
    )
}

/// A symbolic link in the spec's folder that leads out of it is refused as a `..` ref is:
/// not read, with a warning naming the link, and the ref to it dangling (a warning at the
/// ref, which is read as any value). A link that stays inside the folder is read.
#[cfg(unix)]
#[test]
fn a_ref_through_a_symbolic_link_out_of_the_folder_is_refused() {
    use std::os::unix::fs::symlink;
    let dir = temp_dir("ref-link");
    std::fs::create_dir_all(dir.join("spec/models")).unwrap();
    std::fs::create_dir_all(dir.join("outside")).unwrap();
    std::fs::write(dir.join("outside/secret.yaml"), SECRET).unwrap();
    std::fs::write(dir.join("spec/models/inside.yaml"), SECRET).unwrap();
    symlink("../outside/secret.yaml", dir.join("spec/secret.yaml")).unwrap();
    symlink("models/inside.yaml", dir.join("spec/inside.yaml")).unwrap();

    let root = dir.join("spec/root.yaml");
    std::fs::write(&root, spec_with_ref("secret.yaml#/Secret")).unwrap();
    let input = generator::files::api_input(std::slice::from_ref(&root), None, None, &dir).unwrap();
    assert_eq!(input.sources.len(), 1, "the link is not read");
    let refused: Vec<String> = input.refused.iter().map(ToString::to_string).collect();
    assert_eq!(
        refused,
        [
            "warning[files]: spec/secret.yaml#: a symbolic link leading outside spec/, not read: \
          a spec reads only files in its folder, as with `..` in a $ref"
        ]
    );
    let (_, diagnostics) = generator::build_model(&input).unwrap();
    assert!(
        diagnostics.iter().any(|d| d.rule == "files"),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics.iter().any(|d| d.rule == "bundle"
            && d.file == "spec/root.yaml"
            && d.message.contains("which is not read")),
        "{diagnostics:?}"
    );

    std::fs::write(&root, spec_with_ref("inside.yaml#/Secret")).unwrap();
    let input = generator::files::api_input(&[root], None, None, &dir).unwrap();
    assert_eq!((input.sources.len(), input.refused.len()), (2, 0));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// In a folder API, a spec file or a folder that is a link leading out of the folder is not
/// read (nothing of it reaches the crate); a link to a folder inside, even one making a
/// cycle, is read once.
#[cfg(unix)]
#[test]
fn a_folder_api_reads_no_symbolic_link_out_of_its_folder() {
    use std::os::unix::fs::symlink;
    let dir = temp_dir("folder-link");
    std::fs::create_dir_all(dir.join("api/parts")).unwrap();
    std::fs::create_dir_all(dir.join("outside")).unwrap();
    let secret = spec_with_ref("#/components/schemas/Secret").replace("/s:", "/secret:")
        + "components:\n  schemas:\n    "
        + SECRET;
    std::fs::write(dir.join("outside/other.yaml"), &secret).unwrap();
    std::fs::write(dir.join("api/parts/main.yaml"), spec_with_ref("#/x")).unwrap();
    symlink("../outside/other.yaml", dir.join("api/other.yaml")).unwrap();
    symlink("../outside", dir.join("api/shared")).unwrap();
    symlink("..", dir.join("api/parts/up")).unwrap();

    let input = generator::files::api_input(&[dir.join("api")], None, None, &dir).unwrap();
    let read: Vec<&str> = input.sources.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(read, ["api/parts/main.yaml"]);
    let refused: Vec<(&str, &str)> = input
        .refused
        .iter()
        .map(|d| (d.rule, d.file.as_str()))
        .collect();
    assert_eq!(
        refused,
        [("files", "api/other.yaml"), ("files", "api/shared")]
    );
    assert!(input.sources.iter().all(|s| !s.text.contains("TOP SECRET")));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A crate's `recursion_limit` is an attribute of its root, which `include!` output cannot
/// carry: the build script's author is told the figure instead.
#[test]
fn for_include_the_recursion_limit_becomes_a_warning() {
    let out = temp_dir("deep");
    let spec = fixture("../../../specs/hostile.yaml");
    generator::files::generate_into(&[&spec], &out).unwrap();
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    let attribute = lib
        .lines()
        .find(|line| line.starts_with("#![recursion_limit"))
        .unwrap_or_else(|| panic!("{lib}"))
        .to_owned();
    std::fs::remove_dir_all(&out).unwrap();

    let warnings = generator::files::generate_for_include(&[&spec], &out).unwrap();
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(!lib.contains("recursion_limit"), "{lib}");
    let warning = warnings
        .iter()
        .find(|d| d.rule == "recursion-limit")
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(warning.message.contains(&attribute), "{warning}");
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn files_written_as_they_come_make_the_crate_generate_returns() {
    let input = generator::files::api_input(
        &[fixture("required-as-string.json")],
        None,
        None,
        Path::new(env!("CARGO_MANIFEST_DIR")),
    )
    .unwrap();
    let whole = generator::generate(&input).unwrap().files;
    let out = temp_dir("each");
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("src/old.rs"), "// no longer generated").unwrap();
    let writing = generator::files::CrateFiles::writing(&out);
    let arrived = std::sync::Mutex::new(Vec::new());
    let generated = generator::generate_each(&input, &mut |_, _| {}, &|i, file| {
        arrived.lock().unwrap().push(i);
        writing.file(i, file);
    })
    .unwrap();
    assert_eq!(writing.finish().unwrap().0, whole.len());
    let mut arrived = arrived.into_inner().unwrap();
    arrived.sort_unstable();
    assert_eq!(arrived, (0..whole.len()).collect::<Vec<_>>());
    assert_eq!(generated.files, whole.len());
    for file in &whole {
        assert_eq!(
            std::fs::read_to_string(out.join(&file.path)).unwrap(),
            file.contents
        );
    }
    assert!(!out.join("src/old.rs").exists());
    // Checked as they come, the stale and the missing are named in the crate's order.
    std::fs::write(out.join(&whole[3].path), "stale").unwrap();
    std::fs::remove_file(out.join(&whole[1].path)).unwrap();
    let checking = generator::files::CrateFiles::checking(&out, "each");
    for (i, file) in whole.iter().enumerate().rev() {
        checking.file(i, file.clone());
    }
    let (_, stale) = checking.finish().unwrap();
    assert_eq!(
        stale,
        [
            format!("each/{} is missing", whole[1].path),
            format!("each/{} is stale", whole[3].path),
        ]
    );
    std::fs::remove_dir_all(&out).unwrap();
}

/// GitHub does not show a file over 1 MB, and editors slow down on one: every file of the
/// generated crates (Rocket.Chat's 590 operations and 2,475 types among them) stays under
/// that, split into a module per group of operations.
#[test]
fn no_file_of_a_generated_crate_passes_a_megabyte() {
    const LIMIT: u64 = 1_000_000;
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated");
    let mut folders = vec![generated];
    let mut files = 0;
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                folders.push(entry.path());
                continue;
            }
            files += 1;
            assert!(
                meta.len() <= LIMIT,
                "{} is {} bytes",
                entry.path().display(),
                meta.len()
            );
        }
    }
    assert!(files > 100, "{files} files");
}
