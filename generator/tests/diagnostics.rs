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

#[test]
fn dangling_refs_are_all_reported_with_their_location() {
    assert_eq!(
        errors_of("dangling-ref.yaml"),
        [
            "error[ref]: fixtures/dangling-ref.yaml:24:11#/components/schemas/Other/properties/thing/$ref: \
             $ref \"#/components/schemas/Thing\" does not point to a schema in components/schemas",
            "error[ref]: fixtures/dangling-ref.yaml:10:15#/paths/~1things~1{id}/get/parameters/0: \
             $ref \"#/components/parameters/Missing\" does not point to anything in components/parameters",
            "error[ref]: fixtures/dangling-ref.yaml:17:17#/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/$ref: \
             $ref \"#/components/schemas/Thing\" does not point to a schema in components/schemas",
        ]
    );
}

#[test]
fn swagger_2_is_refused_by_name() {
    assert_eq!(
        errors_of("swagger2.yaml"),
        ["error[version]: fixtures/swagger2.yaml:1:1#/swagger: this is a Swagger 2.0 document; only \
          OpenAPI 3.0 and 3.1 are supported (convert it first, e.g. with swagger2openapi)"]
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
    let types = output
        .files
        .iter()
        .find(|f| f.path == "src/types.rs")
        .unwrap();
    // Only the consistent pair is left to check.
    assert!(types.contents.contains("MINIMUM_1_MAXIMUM_1"));
    assert!(!types.contents.contains("MINIMUM_5"));
}
