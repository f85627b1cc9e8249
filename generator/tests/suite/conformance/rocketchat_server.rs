//! schemathesis against the Rocket.Chat server stub over all twelve documents, valid and
//! invalid data: no server error but 501, and no valid request refused.

use std::path::Path;
use std::process::{Command, Stdio};

use super::{serve_in_background, spec, tools};

/// Implements nothing: a request the stub reads and finds valid is answered 501.
struct Unimplemented;

impl rocketchat::server::Rocketchat for Unimplemented {}

/// The documents of `specs/rocketchat/`, one API.
const DOCUMENTS: [&str; 12] = [
    "authentication",
    "content-management",
    "integrations",
    "marketplace-apps",
    "messaging",
    "miscellaneous",
    "notifications",
    "omnichannel",
    "rooms",
    "settings",
    "statistics",
    "user-management",
];

/// What each check allows. Invalid data may get any answer but a server error; 501 is what
/// an operation the stub does not implement answers. Valid data must reach the
/// implementation (501): any 4xx is the stub refusing a request the spec allows, as the
/// stub checks no credentials and stores nothing that could be missing.
const CONFIG: &str = r#"
[checks]
not_a_server_error.expected-statuses = ["2xx", "3xx", "4xx", "501"]
positive_data_acceptance.expected-statuses = ["2xx", "501"]
"#;

/// Cases per operation and phase. With the coverage phase's own cases, about 27,000 over
/// the 587 operations, in two to three minutes on two cores.
const EXAMPLES: &str = "10";

#[test]
#[ignore = "needs schemathesis: run `cargo xtask conformance`"]
fn schemathesis_finds_no_server_error_and_no_refused_valid_request_in_rocketchat() {
    let router = rocketchat::server::router(Unimplemented);
    let (url, _runtime) = serve_in_background(router);
    let config = tools().join("rocketchat-server.toml");
    std::fs::write(&config, CONFIG).unwrap();
    // The cases left out, and why, are in the hooks file.
    let hooks =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite/conformance/rocketchat_hooks.py");
    let (mut failed, mut cases) = (Vec::new(), 0);
    for document in DOCUMENTS {
        let spec = spec(&format!("rocketchat/{document}.yaml"));
        let report = tools().join(format!("rocketchat-{document}.json"));
        let output = Command::new(tools().join("venv/bin/schemathesis"))
            // Its caches go beside the tools, not into the source tree.
            .current_dir(tools())
            .arg("--config-file")
            .arg(&config)
            .args(["--no-color", "run", spec.to_str().unwrap()])
            .args(["--url", &url, "--mode", "all", "--seed", "1"])
            .args(["--checks", "not_a_server_error,positive_data_acceptance"])
            .args(["--phases", "examples,coverage,fuzzing"])
            .args(["--max-examples", EXAMPLES, "--workers", "2"])
            // Keys such as `/api/v1/login - with Facebook`: the text after the path is a
            // note (normalize's path-key-notes), not part of any URL the server can have.
            .args(["--exclude-path-regex", " "])
            .args(["--report", "json", "--report-json-path"])
            .arg(&report)
            .env("SCHEMATHESIS_HOOKS", &hooks)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        println!(
            "==> {document}\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        // The exit status also counts schemathesis's errors, which are about the documents
        // (a path variable no parameter declares) or itself, not the server: the report
        // tells the server's failures apart.
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
        let generated = report["test_cases"]["generated"].as_u64().unwrap_or(0);
        let failures = report["failures"].as_array().map_or(0, Vec::len);
        if failures > 0 || generated == 0 || report["complete"] != true {
            failed.push(document);
        }
        cases += generated;
    }
    println!(
        "schemathesis: {cases} cases over {} documents",
        DOCUMENTS.len()
    );
    assert!(
        failed.is_empty(),
        "schemathesis reported failures in {failed:?} (above)"
    );
}
