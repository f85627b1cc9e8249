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
