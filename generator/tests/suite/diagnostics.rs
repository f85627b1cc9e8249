//! Fixture specs for repairs and errors: each problem is reported with file and location.

use generator::diagnostics::{Diagnostic, Severity};
use generator::load::Source;
use generator::model::Location;
use generator::ApiInput;

fn input(file: &str) -> ApiInput {
    let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
    ApiInput {
        name: "fixture".to_owned(),
        origin: file.to_owned(),
        sources: vec![Source {
            path: format!("fixtures/{file}"),
            text: std::fs::read_to_string(path).unwrap(),
        }],
        ..Default::default()
    }
}

fn errors_of(file: &str) -> Vec<String> {
    match generator::generate(&input(file)) {
        Ok(_) => panic!("{file} generated"),
        Err(generator::Error::InvalidSpec { diagnostics, .. }) => diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(Diagnostic::to_string)
            .collect(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn a_syntax_error_names_file_line_and_column() {
    assert_eq!(
        errors_of("broken.json"),
        ["error[load]: fixtures/broken.json:7:1#: not valid JSON: trailing comma"]
    );
}

/// A `$ref` to nothing costs what it names, never the document: a schema is read as any
/// value, a parameter or response is left out, each with a located warning.
#[test]
fn dangling_refs_degrade_what_they_name_with_a_located_warning() {
    let (api, diagnostics) = generator::build_model(&input("dangling-ref.yaml")).unwrap();
    let refs: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.rule == "ref")
        .map(Diagnostic::to_string)
        .collect();
    assert_eq!(
        refs,
        [
            "warning[ref]: fixtures/dangling-ref.yaml:24:11#/components/schemas/Other/properties/thing/$ref: \
             $ref \"#/components/schemas/Thing\" does not point to a schema in components/schemas; read as any value",
            "warning[ref]: fixtures/dangling-ref.yaml:10:15#/paths/~1things~1{id}/get/parameters/0: \
             $ref \"#/components/parameters/Missing\" does not point to anything in components/parameters; left out",
            "warning[ref]: fixtures/dangling-ref.yaml:17:17#/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/$ref: \
             $ref \"#/components/schemas/Thing\" does not point to a schema in components/schemas; read as any value",
        ]
    );
    assert_eq!(api.operations.len(), 1, "the operation stays");
    assert!(
        api.types.defs.iter().any(|d| d.name == "Other"),
        "the schema holding the dangling ref stays"
    );
}

/// Diagnostics about a Swagger 2.0 document name places in the 2.0 file, even for parts that
/// moved when it was read as OpenAPI 3.0 (`definitions` became `components/schemas`).
#[test]
fn swagger_2_diagnostics_name_places_in_the_2_0_file() {
    let (api, diagnostics) = generator::build_model(&input("swagger2-defects.yaml")).unwrap();
    assert_eq!(api.operations.len(), 1);
    let found: Vec<String> = diagnostics.iter().map(Diagnostic::to_string).collect();
    assert_eq!(
        found,
        [
            "warning[swagger2]: fixtures/swagger2-defects.yaml:12:11#/paths/~1things/get/parameters/0/collectionFormat: \
             collectionFormat \"tsv\" has no OpenAPI 3 form in a query parameter; read as csv",
            "warning[parse]: fixtures/swagger2-defects.yaml:23:7#/definitions/Thing/properties/parts: \
             not valid OpenAPI: invalid type: sequence, expected a map; read as any value",
        ]
    );
}

/// A folder API is written in one version: Swagger 2.0 and OpenAPI 3 documents together are
/// refused, naming both.
#[test]
fn a_folder_mixing_swagger_2_and_openapi_3_is_refused() {
    let mut mixed = input("swagger2-defects.yaml");
    mixed
        .sources
        .extend(input("required-as-string.json").sources);
    let Err(generator::Error::InvalidSpec { diagnostics, .. }) = generator::build_model(&mixed)
    else {
        panic!("a mixed folder generated")
    };
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(Diagnostic::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "error[version]: fixtures/required-as-string.json:2:3#/openapi: this folder mixes \
          Swagger 2.0 (fixtures/swagger2-defects.yaml) and OpenAPI 3 documents; an API is \
          written in one version"
        ]
    );
}

#[test]
fn quoted_booleans_are_repaired_with_a_located_warning() {
    let (api, diagnostics) = generator::build_model(&input("required-as-string.json")).unwrap();
    let warnings: Vec<String> = diagnostics.iter().map(Diagnostic::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning[string-booleans]: fixtures/required-as-string.json:9:48#/paths/~1items/get/parameters/0/required: \
             expected a boolean, found the string \"true\" (read as true)",
            "warning[string-booleans]: fixtures/required-as-string.json:10:44#/paths/~1items/get/parameters/1/required: \
             expected a boolean, found the string \"FALSE\" (read as false)",
        ]
    );
    let params = &api.operations[0].params;
    assert_eq!(
        params
            .iter()
            .map(|p| (p.api_name.as_str(), p.location, p.required))
            .collect::<Vec<_>>(),
        [
            ("X-Token", Location::Header, true),
            ("page", Location::Query, false)
        ]
    );
}

/// Validation keywords that bound nothing or admit no value: each is dropped with a located
/// warning, and the crate generates (`exclusiveMinimum: true` alone made an empty rule name,
/// a panic in emit).
#[test]
fn meaningless_and_contradictory_constraints_are_dropped_with_a_warning() {
    let output = generator::generate(&input("constraint-keywords.yaml")).unwrap();
    let warnings: Vec<String> = output
        .diagnostics
        .iter()
        .map(Diagnostic::to_string)
        .collect();
    let at = "fixtures/constraint-keywords.yaml";
    assert_eq!(
        warnings,
        [
            format!("warning[exclusive-without-bound]: {at}:9:35#/paths/~1things/get/parameters/0/schema/exclusiveMinimum: \
                     `exclusiveMinimum: true` without `minimum` bounds nothing; it is dropped"),
            format!("warning[exclusive-without-bound]: {at}:21:31#/components/schemas/Thing/properties/below/exclusiveMaximum: \
                     `exclusiveMaximum: true` without `maximum` bounds nothing; it is dropped"),
            format!("warning[multiple-of]: {at}:22:30#/components/schemas/Thing/properties/step/multipleOf: \
                     `multipleOf: 0` is not greater than 0, so it divides nothing; it is dropped"),
            format!("warning[contradictory-bounds]: {at}:23:32#/components/schemas/Thing/properties/count/minimum: \
                     `minimum: 5` and `maximum: 1` admit no value; neither is checked"),
            format!("warning[contradictory-bounds]: {at}:24:30#/components/schemas/Thing/properties/open/minimum: \
                     `minimum: 2` and `maximum: 2` admit no value; neither is checked"),
            format!("warning[contradictory-bounds]: {at}:25:30#/components/schemas/Thing/properties/name/minLength: \
                     `minLength: 10` and `maxLength: 2` admit no value; neither is checked"),
            format!("warning[contradictory-bounds]: {at}:26:52#/components/schemas/Thing/properties/tags/minItems: \
                     `minItems: 3` and `maxItems: 1` admit no value; neither is checked"),
        ]
    );
    let types = generator::module_text(&output.files, "src/types.rs");
    // Only the consistent pair is left to check.
    assert!(types.contains("MINIMUM_1_MAXIMUM_1"));
    assert!(!types.contains("MINIMUM_5"));
}

fn errors_of_text(path: &str, text: String) -> Vec<String> {
    let input = ApiInput {
        name: "fixture".to_owned(),
        origin: path.to_owned(),
        sources: vec![Source {
            path: path.to_owned(),
            text,
        }],
        ..Default::default()
    };
    match generator::generate(&input) {
        Ok(_) => panic!("{path} generated"),
        Err(generator::Error::InvalidSpec { diagnostics, .. }) => {
            diagnostics.iter().map(Diagnostic::to_string).collect()
        }
        Err(e) => panic!("{e}"),
    }
}

/// 100 KB of nested brackets, in JSON, in YAML's flow and block styles: one located error
/// each, found in linear time (YAML flow collections took libyaml's scanner time quadratic
/// in their depth), and no stack overflow where the error is located.
#[test]
fn documents_nested_too_deep_are_refused_where_the_limit_is_passed() {
    let depth = 100_000;
    let head = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let json = format!(
        "{{\"openapi\": \"3.0.0\", \"x-deep\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert_eq!(
        errors_of_text("deep.json", json),
        ["error[load]: deep.json:1:158#: not valid JSON: nested deeper than 128 levels, the limit"]
    );
    let flow = format!("{head}x-deep: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(
        errors_of_text("flow.yaml", flow),
        ["error[load]: flow.yaml:4:137#: not valid YAML: nested deeper than 128 levels, the limit"]
    );
    let maps = format!("{head}x-deep: {}1\n", "{a: ".repeat(depth));
    assert_eq!(
        errors_of_text("maps.yaml", maps),
        ["error[load]: maps.yaml:4:521#: not valid YAML: nested deeper than 128 levels, the limit"]
    );
    let block = format!("{head}x-deep:\n  {}x\n", "- ".repeat(depth));
    let errors = errors_of_text("block.yaml", block);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("error[load]: block.yaml:5:")
            && errors[0].ends_with("not valid YAML: nested deeper than 128 levels, the limit"),
        "{errors:?}"
    );
}

/// Schemas nested as deep as a document may be, in each keyword that nests them: the
/// stages after load (normalize's walks, lower, emit) recurse once per level, within a test
/// thread's stack in a debug build.
#[test]
fn schemas_nested_to_the_depth_limit_generate() {
    // Each level of a schema takes two levels of JSON under `properties` and `allOf`, one
    // under `items`; the schema starts at depth 4 (components/schemas/Deep).
    for (open, close, levels) in [
        ("{\"type\": \"array\", \"items\": ", "}", 122),
        ("{\"type\": \"object\", \"properties\": {\"a\": ", "}}", 61),
        ("{\"allOf\": [", "]}", 61),
        ("{\"oneOf\": [{\"type\": \"string\"}, ", "]}", 61),
    ] {
        let schema = format!(
            "{}{{\"type\": \"string\"}}{}",
            open.repeat(levels),
            close.repeat(levels)
        );
        let text = format!(
            "{{\"openapi\": \"3.0.0\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \
             \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}"
        );
        let input = ApiInput {
            name: "deep".to_owned(),
            origin: "deep.json".to_owned(),
            sources: vec![Source {
                path: "deep.json".to_owned(),
                text,
            }],
            ..Default::default()
        };
        if let Err(e) = generator::generate(&input) {
            panic!("{open}: {e}");
        }
    }
}

/// Refs copied in place whose targets hold refs copied in place (two a level: 22 levels took
/// 88 s and 7 GB, 40 would take all the memory there is) are refused once their copies
/// outgrow the document: 14 levels, 16,384 copies, are refused.
#[test]
fn refs_copied_in_place_cannot_multiply_without_end() {
    let levels = 14;
    let mut get = serde_json::Map::new();
    get.insert(
        "responses".to_owned(),
        serde_json::json!({"200": {"description": "ok"}}),
    );
    get.insert(format!("x-{levels}"), serde_json::json!("leaf"));
    for i in 0..levels {
        let next = serde_json::json!({"$ref": format!("#/paths/~1a/get/x-{}", i + 1)});
        get.insert(format!("x-{i}"), serde_json::json!({"a": next, "b": next}));
    }
    let spec = serde_json::json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": get}},
    });
    let errors = errors_of_text("laughs.json", spec.to_string());
    assert_eq!(errors.len(), 1, "{}", errors.len());
    assert!(
        errors[0].starts_with("error[bundle]: laughs.json:1:")
            && errors[0].contains(
                "and the refs after it are not copied: the copies refs make in place would hold \
                 more than 16 times the values of the documents themselves"
            ),
        "{errors:?}"
    );
}

/// A key given twice in one mapping keeps its last value, as JSON and YAML readers do, and
/// says so where the value kept is.
#[test]
fn duplicate_keys_are_reported_where_the_kept_value_is() {
    let yaml =
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
                A: {type: string}\n    B: {type: integer}\n    A: {type: boolean}\n";
    let json = r#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1", "title": "u"}, "paths": {}}"#;
    for (file, text, at) in [
        ("dup.yaml", yaml, "8:5#/components/schemas/A"),
        ("dup.json", json, "1:61#/info/title"),
    ] {
        let input = ApiInput {
            name: "dup".to_owned(),
            origin: file.to_owned(),
            sources: vec![Source {
                path: file.to_owned(),
                text: text.to_owned(),
            }],
            ..Default::default()
        };
        let (_, diagnostics) = generator::build_model(&input).unwrap();
        let warnings: Vec<String> = diagnostics.iter().map(Diagnostic::to_string).collect();
        assert_eq!(
            warnings,
            [format!(
                "warning[duplicate-key]: {file}:{at}: this key is given again in its mapping; its \
                 last value is kept, the earlier one dropped"
            )]
        );
    }
}

/// 20,000 `$ref`s in a row, as aliases and as objects holding the next: each chain was
/// followed anew from every link (cubic: minutes), recursing once per link (a stack
/// overflow on a test thread).
#[test]
fn long_chains_of_refs_generate() {
    let links = 20_000;
    for link in [
        serde_json::json!({"$ref": "#/components/schemas/S{next}"}),
        serde_json::json!({"type": "object", "properties": {"next": {"$ref": "#/components/schemas/S{next}"}}}),
    ] {
        let mut schemas = serde_json::Map::new();
        for i in 0..links {
            let text = link.to_string().replace("{next}", &(i + 1).to_string());
            schemas.insert(format!("S{i}"), serde_json::from_str(&text).unwrap());
        }
        schemas.insert(format!("S{links}"), serde_json::json!({"type": "string"}));
        let spec = serde_json::json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas},
        });
        let input = ApiInput {
            name: "chain".to_owned(),
            origin: "chain.json".to_owned(),
            sources: vec![Source {
                path: "chain.json".to_owned(),
                text: spec.to_string(),
            }],
            ..Default::default()
        };
        let (api, _) = generator::build_model(&input).unwrap();
        assert_eq!(api.types.defs.len(), links + 1);
    }
}

/// Every rule a warning is reported under is in the README's list of losses and repairs
/// ("Diagnostics"), so a new rule is classified when it is added.
#[test]
fn every_warning_rule_is_classified_in_the_readme() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../README.md")).unwrap();
    let section = readme
        .split("\n## Diagnostics\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap();
    let mut rules = std::collections::BTreeSet::new();
    let mut files = vec![root.join("src")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // The first string after each `warn(`, `lose(` or `lost(` (past a `Loss::` kind and,
        // for a collector's call, nothing else), and named rules.
        for call in ["warn(", "lose(", "lost("] {
            for rest in text.split(call).skip(1) {
                let rest = rest.trim_start();
                let rest = match rest.strip_prefix("Loss::") {
                    Some(r) => r.split_once(',').map_or("", |(_, r)| r).trim_start(),
                    None => rest,
                };
                if let Some(literal) = rest.strip_prefix('"') {
                    let rule = literal.split('"').next().unwrap();
                    if !rule.is_empty() && !rule.contains(' ') {
                        rules.insert(rule.to_owned());
                    }
                }
            }
        }
        // Normalize's rules by name; warnings built whole (`rule: "files"`).
        let normalize = path.ends_with("normalize/mod.rs");
        for marker in ["const RULE: &str = \"", "name: \"", "rule: \""] {
            if marker.starts_with("name") && !normalize {
                continue;
            }
            for rest in text.split(marker).skip(1) {
                rules.insert(rest.split('"').next().unwrap().to_owned());
            }
        }
    }
    assert!(rules.len() > 40, "{rules:?}");
    let missing: Vec<&String> = rules
        .iter()
        .filter(|rule| !section.contains(&format!("`{rule}`")))
        .collect();
    assert!(missing.is_empty(), "not classified in README: {missing:?}");
}

/// Each path item is dropped once its operations are lowered; what the steps after read of
/// it (a response's examples, inline and by `$ref`, an `x-pagination` mark, a callback) is
/// kept, and their diagnostics still name the file, line and pointer in the path item.
#[test]
fn what_is_read_of_a_path_item_after_it_is_lowered_stays_located() {
    let (api, diagnostics) = generator::build_model(&input("path-items-dropped.yaml")).unwrap();
    let found: Vec<String> = diagnostics.iter().map(Diagnostic::to_string).collect();
    assert_eq!(
        found,
        [
            "warning[example]: fixtures/path-items-dropped.yaml:22:19#/paths/~1things/get/responses/200/content/application~1json/examples/wrong/value: \
             the example does not match its schema (.id is \"seven\", not an integer); it is not used as a test",
            "warning[pagination]: fixtures/path-items-dropped.yaml:9:7#/paths/~1things/get/x-pagination: \
             the pages this says are not in the operation (no such list, parameter or field); it is read without pages",
        ]
    );
    let examples: Vec<(&str, &str)> = api
        .examples
        .iter()
        .map(|e| (e.pointer.as_str(), e.json.as_str()))
        .collect();
    assert_eq!(
        examples,
        [(
            "/paths/~1things/get/responses/200/content/application~1json/examples/right/value",
            r#"{"id":7}"#
        )]
    );
    let list = &api.operations[0];
    assert_eq!(list.name, "list_things");
    assert_eq!(
        list.responses[0].example,
        Some((0, r#"{"id":7}"#.to_owned())),
        "the mock answers with the example that fits"
    );
    let callbacks: Vec<_> = api.callbacks().map(|e| e.api_name.as_str()).collect();
    assert_eq!(callbacks, ["subscribe onEvent"]);
}
