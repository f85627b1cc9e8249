//! The whole pipeline (load, normalize, parse, lower, emit) on one document. The text picks
//! its format as a file without a `.json` or `.yaml` name does: JSON when it starts with
//! `{`, YAML otherwise. Refusing the document with diagnostics is a correct answer; a panic,
//! an abort, a stack overflow or a run past libFuzzer's `-timeout` is a finding.

#![no_main]

use generator::load::Source;
use generator::ApiInput;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The command reads a spec as UTF-8 and refuses any other text before the pipeline.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let input = ApiInput {
        name: "fuzzed".to_owned(),
        origin: "input".to_owned(),
        sources: vec![Source {
            path: "input".to_owned(),
            text: text.to_owned(),
        }],
        ..Default::default()
    };
    if let Ok(output) = generator::generate(&input) {
        // A crate that came out has its root module.
        assert!(output.files.iter().any(|f| f.path == "src/lib.rs"));
    }
});
