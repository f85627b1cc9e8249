//! The OpenAPI → Rust generator: spec text in, crate files out, with diagnostics.
//!
//! The pipeline runs one stage per module: [`load`] (JSON/YAML, merging the documents of a
//! folder API), [`normalize`] (named repair rules), [`parse`] (openapiv3), [`lower`] (the
//! [`model`]), [`emit`] (token streams, formatted with prettyplease). The library touches no
//! files: [`files`] reads the specs and writes what [`generate`] returns, for the `openapi-gen`
//! command, `cargo xtask codegen` and build scripts alike.

#[cfg(feature = "cli")]
pub mod cli;
pub mod diagnostics;
pub mod emit;
pub mod files;
pub mod load;
pub mod lower;
pub mod model;
pub mod normalize;
pub mod parse;

use diagnostics::{Diagnostic, Diagnostics};
use load::Source;

/// One API to generate: a crate name and the documents it is made of.
#[derive(Debug, Clone)]
pub struct ApiInput {
    /// Cargo package name of the generated crate.
    pub name: String,
    /// How the stamp names the spec (`petstore.yaml`, `rocketchat/`): stable wherever the
    /// spec lives, so output does not depend on the machine.
    pub origin: String,
    pub sources: Vec<Source>,
}

/// A generated file, with its path relative to the crate folder (`src/lib.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// What generation produced: the crate's files and the warnings met on the way.
#[derive(Debug)]
pub struct Output {
    pub files: Vec<GeneratedFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Counts of types and of fallbacks to any JSON value (see `TypeGraph::summary`).
    pub types_summary: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec has errors; nothing was generated. Every diagnostic found is here.
    #[error("{api}: {} error(s) in the spec, nothing generated", count_errors(.diagnostics))]
    InvalidSpec {
        api: String,
        diagnostics: Vec<Diagnostic>,
    },
    /// The generator built code that does not parse: a bug in the generator, reported
    /// instead of writing a broken crate.
    #[error("{api}: internal error while emitting {file}: {message}")]
    Emit {
        api: String,
        file: String,
        message: String,
    },
    /// A file or folder could not be read or written (only [`files`] touches them).
    #[error("{}: {source}", .path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("no spec given")]
    NoSpec,
}

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == diagnostics::Severity::Error)
        .count()
}

/// Runs load, normalize, parse and lower: the model of the API and the warnings met.
pub fn build_model(input: &ApiInput) -> Result<(model::Api, Vec<Diagnostic>), Error> {
    let mut diags = Diagnostics::default();
    let loaded: Vec<_> = input
        .sources
        .iter()
        .filter_map(|source| load::load_document(source, &mut diags))
        .collect();
    let mut documents = load::bundle_roots(loaded, &mut diags);
    // Repairs are for the versions read; a document of another version is refused by parse,
    // by name, without repairs reported first.
    for (doc, provenance) in &mut documents {
        let version = doc.value.get("openapi").and_then(serde_json::Value::as_str);
        if version.is_some_and(|v| v.starts_with("3.0") || v.starts_with("3.1")) {
            let mark = diags.len();
            normalize::normalize_document(&mut doc.value, &doc.file, &mut diags);
            diags.relocate_since(mark, |pointer| {
                let (file, pointer) = provenance.locate(pointer);
                (file.to_owned(), pointer)
            });
        }
    }
    let merged = if diags.has_errors() {
        None
    } else if let [_] = documents.as_slice() {
        documents
            .pop()
            .map(|(doc, provenance)| (doc.value, provenance))
    } else {
        let documents = documents.into_iter().map(|(doc, _)| doc).collect();
        load::merge_documents(documents, &mut diags)
    };
    let invalid = |diags: Diagnostics| Error::InvalidSpec {
        api: input.name.clone(),
        diagnostics: diags.into_vec(),
    };
    let Some((tree, provenance)) = merged else {
        if !diags.has_errors() {
            diags.error(
                "load",
                &input.origin,
                "",
                "no spec documents found".to_owned(),
            );
        }
        return Err(invalid(diags));
    };
    let first_file = provenance.file_of("").to_owned();
    let Some(spec) = parse::parse_document(tree, &first_file, &mut diags) else {
        return Err(invalid(diags));
    };
    let api = lower::lower_api(&spec, &input.name, &provenance, &mut diags);
    if diags.has_errors() {
        return Err(invalid(diags));
    }
    Ok((api, diags.into_vec()))
}

/// Generates the crate for one API.
pub fn generate(input: &ApiInput) -> Result<Output, Error> {
    let (api, diagnostics) = build_model(input)?;
    let files = emit::emit_crate(&api, &input.origin).map_err(|e| Error::Emit {
        api: input.name.clone(),
        file: e.file,
        message: e.message,
    })?;
    Ok(Output {
        files,
        diagnostics,
        types_summary: api.types.summary(),
    })
}
