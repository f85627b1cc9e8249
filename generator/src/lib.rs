//! The OpenAPI → Rust generator: spec text in, crate files out, with diagnostics.
//!
//! The pipeline runs one stage per module: [`load`] (JSON/YAML, merging the documents of a
//! folder API), [`normalize`] (named repair rules), [`parse`] (openapiv3), [`lower`] (the
//! [`model`]), [`emit`] (token streams, formatted with prettyplease). The library touches no
//! files: [`files`] reads the specs and writes what [`generate`] returns, for the `openapi-gen`
//! command, `cargo xtask codegen` and build scripts alike.

pub mod account;
#[cfg(feature = "cli")]
pub mod cli;
pub mod diagnostics;
pub mod emit;
pub mod files;
#[cfg(test)]
mod house;
pub mod load;
pub mod lower;
mod media;
pub mod model;
pub mod normalize;
pub mod overlay;
pub mod parse;
pub mod settings;
pub mod swagger2;

use std::collections::BTreeMap;

use diagnostics::{Diagnostic, Diagnostics};
use load::Source;

/// One API to generate: a crate name, the documents it is made of, and its settings.
#[derive(Debug, Clone, Default)]
pub struct ApiInput {
    /// Cargo package name of the generated crate.
    pub name: String,
    /// How the stamp names the spec (`petstore.yaml`, `rocketchat/`): stable wherever the
    /// spec lives, so output does not depend on the machine.
    pub origin: String,
    pub sources: Vec<Source>,
    pub settings: settings::Settings,
    /// The overlay the settings name, read.
    pub overlay: Option<Source>,
    /// What reading the files left out (a symbolic link leading out of the spec's folder),
    /// reported with the diagnostics of generation.
    pub refused: Vec<Diagnostic>,
    /// The command every file's stamp says generated it (`cargo xtask codegen`); empty is
    /// the generator's library, called from a build script or a program.
    pub command: String,
}

/// A generated file, with its path relative to the crate folder (`src/lib.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// The text of the module whose file is `root` (`src/types.rs`) and of its modules' files
/// (`src/types/*.rs`, each a group of operations), one after the other: what a module of a
/// generated crate holds, wherever in its files.
pub fn module_text(files: &[GeneratedFile], root: &str) -> String {
    let folder = format!("{}/", root.trim_end_matches(".rs"));
    files
        .iter()
        .filter(|f| f.path == root || f.path.starts_with(&folder))
        .map(|f| f.contents.as_str())
        .collect()
}

/// What generation produced: the crate's files and the warnings met on the way.
#[derive(Debug)]
pub struct Output {
    pub files: Vec<GeneratedFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
}

/// How big the generated API is.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub operations: usize,
    /// Named type definitions.
    pub types: usize,
    /// Counts of types and of fallbacks to any JSON value (see `TypeGraph::summary`).
    pub types_summary: String,
    /// What the spec declares against what arrived; the losses themselves are the
    /// diagnostics whose `loss` is set.
    pub account: account::Account,
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

/// A stage of the pipeline, as [`generate_observed`] reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the documents and bundling their external refs.
    Load,
    /// The overlay and the repair rules.
    Normalize,
    /// Merging a folder's documents, the settings that act on the spec, and openapiv3.
    Parse,
    /// openapiv3 to the model, and the settings that act on names.
    Lower,
    /// The model to formatted files.
    Emit,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Normalize => "normalize",
            Stage::Parse => "parse",
            Stage::Lower => "lower",
            Stage::Emit => "emit",
        }
    }
}

/// Tells an observer how long each stage took, as each one ends.
struct Clock<'a> {
    started: std::time::Instant,
    observer: &'a mut dyn FnMut(Stage, std::time::Duration),
}

impl Clock<'_> {
    fn done(&mut self, stage: Stage) {
        (self.observer)(stage, self.started.elapsed());
        self.started = std::time::Instant::now();
    }
}

/// Runs load, normalize, parse and lower: the model of the API and the warnings met.
pub fn build_model(input: &ApiInput) -> Result<(model::Api, Vec<Diagnostic>), Error> {
    on_pipeline_thread(|| {
        build_model_timed(
            input,
            &mut Clock {
                started: std::time::Instant::now(),
                observer: &mut |_, _| {},
            },
        )
    })
}

fn build_model_timed(
    input: &ApiInput,
    clock: &mut Clock<'_>,
) -> Result<(model::Api, Vec<Diagnostic>), Error> {
    let mut diags = Diagnostics::default();
    diags.extend(input.refused.iter().cloned());
    let api = lower_sources(input, clock, &mut diags);
    let mut sources: Vec<&load::Source> = input.sources.iter().collect();
    sources.extend(&input.overlay);
    load::positions::locate(&mut diags, &sources);
    if input.settings.deny_losses {
        diags.deny_losses();
    }
    match api {
        Some(api) if !diags.has_errors() => Ok((api, diags.into_vec())),
        _ => Err(Error::InvalidSpec {
            api: input.name.clone(),
            diagnostics: diags.into_vec(),
        }),
    }
}

/// The pipeline up to the model; `None` when it stopped at errors (in `diags`).
fn lower_sources(
    input: &ApiInput,
    clock: &mut Clock<'_>,
    diags: &mut Diagnostics,
) -> Option<model::Api> {
    // The overlay is written against the spec as its vendor ships it: it goes first, before
    // a Swagger 2.0 document is read as OpenAPI 3.0 (as it is loaded, before its refs to
    // other files are bundled) and before a 3.x document's refs are bundled.
    let mut overlay = input
        .overlay
        .as_ref()
        .and_then(|source| overlay::Overlay::read(source, diags));
    let mut upgraded = BTreeMap::new();
    let mut as_written = BTreeMap::new();
    let mut loaded = Vec::new();
    for source in &input.sources {
        let Some(mut doc) = load::load_document(source, diags) else {
            continue;
        };
        load::version_as_text(&mut doc, diags);
        if swagger2::is_swagger2(&doc.value) {
            if let Some(overlay) = &mut overlay {
                overlay.apply(&mut doc.value);
            }
            as_written.insert(doc.file.clone(), doc.value.clone());
            let moves = swagger2::upgrade(&mut doc.value, &doc.file, diags);
            upgraded.insert(doc.file.clone(), moves);
        }
        loaded.push(doc);
    }
    refuse_mixed_versions(&loaded, &upgraded, diags);
    let mut documents = load::bundle_roots(loaded, as_written, diags);
    clock.done(Stage::Load);
    // Declared as written (a 2.0 document as the 3.0 it says), before any repair or
    // overlay leaves something out.
    let declared = account::declared_all(documents.iter().map(|(doc, _)| &doc.value));
    for (doc, provenance) in &mut documents {
        match upgraded.remove(&doc.file) {
            Some(moves) => {
                for (to, from) in moves {
                    provenance.add(to, doc.file.clone(), from);
                }
                let mark = diags.len();
                swagger2::upgrade_bundled(&mut doc.value, &doc.file, diags);
                locate_since(diags, mark, provenance);
            }
            None => {
                if let Some(overlay) = &mut overlay {
                    overlay.apply(&mut doc.value);
                }
            }
        }
    }
    if let Some(overlay) = &overlay {
        overlay.report_unused(diags);
    }
    // Repairs are for the versions read; a document of another version is refused by parse,
    // by name, without repairs reported first.
    for (doc, provenance) in &mut documents {
        let version = doc.value.get("openapi").and_then(serde_json::Value::as_str);
        if version.is_some_and(parse::is_openapi_3) {
            let mark = diags.len();
            normalize::normalize_document(&mut doc.value, &doc.file, diags);
            locate_since(diags, mark, provenance);
        }
    }
    clock.done(Stage::Normalize);
    let merged = if diags.has_errors() {
        None
    } else if let [_] = documents.as_slice() {
        documents
            .pop()
            .map(|(doc, provenance)| (doc.value, provenance))
    } else {
        load::merge_documents(documents, &input.name, diags)
    };
    let Some((mut tree, provenance)) = merged else {
        if !diags.has_errors() {
            diags.error(
                "load",
                &input.origin,
                "",
                "no spec documents found".to_owned(),
            );
        }
        return None;
    };
    let mark = diags.len();
    settings::remove_spec_types(&mut tree, diags);
    locate_since(diags, mark, &provenance);
    // What the settings leave out is not declared for this crate.
    let selected = account::declared(&tree).operations;
    settings::apply_to_tree(&input.settings, &mut tree, diags);
    let excluded = selected.saturating_sub(account::declared(&tree).operations);
    let first_file = provenance.file_of("").to_owned();
    let mark = diags.len();
    let spec = parse::parse_document(tree, &first_file, diags);
    locate_since(diags, mark, &provenance);
    let spec = spec?;
    clock.done(Stage::Parse);
    let mut api = lower::lower_api(spec, &input.name, &input.settings, &provenance, diags);
    api.kept.operations_declared = declared.operations.saturating_sub(excluded);
    api.kept.webhooks_declared = declared.webhooks;
    account::report_unaccounted(&api, &first_file, diags);
    settings::apply_to_model(&input.settings, &mut api, diags);
    clock.done(Stage::Lower);
    Some(api)
}

/// Names the diagnostics reported since `mark` against the merged or bundled tree by the
/// files their parts came from, and the pointers within those files.
fn locate_since(diags: &mut Diagnostics, mark: usize, provenance: &load::Provenance) {
    diags.relocate_since(mark, |pointer| {
        let (file, pointer) = provenance.locate(pointer);
        (file.to_owned(), pointer)
    });
}

/// A folder API is one version: its Swagger 2.0 documents (already read as 3.0, named in
/// `upgraded`) and OpenAPI 3 documents would merge parts written for different readers.
fn refuse_mixed_versions(
    loaded: &[load::Document],
    upgraded: &BTreeMap<String, swagger2::Moves>,
    diags: &mut Diagnostics,
) {
    let is_root = |doc: &&load::Document| doc.value.get("openapi").is_some();
    let (swagger, openapi): (Vec<_>, Vec<_>) = loaded
        .iter()
        .filter(is_root)
        .partition(|doc| upgraded.contains_key(&doc.file));
    if let (Some(two), Some(three)) = (swagger.first(), openapi.first()) {
        diags.error(
            "version",
            &three.file,
            "/openapi",
            format!(
                "this folder mixes Swagger 2.0 ({}) and OpenAPI 3 documents; an API is \
                 written in one version",
                two.file
            ),
        );
    }
}

/// The stack the pipeline runs with: its stages recurse once per level of a document, and
/// a document nested to [`load::depth::MAX_DEPTH`] takes more than the 2 MiB of a spawned
/// thread in a debug build (openapiv3's derived deserializers, buffering each untagged
/// enum, take tens of KB per level of schema). Only the pages used are ever touched.
const STACK_SIZE: usize = 64 << 20;

/// Runs the pipeline on a thread with a stack of [`STACK_SIZE`], whatever thread the caller
/// is on (a test thread, a build script, a server's worker).
fn on_pipeline_thread<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| join(spawn_pipeline(scope, work)))
}

pub(crate) fn spawn_pipeline<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    work: impl FnOnce() -> T + Send + 'scope,
) -> std::thread::ScopedJoinHandle<'scope, T> {
    std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn_scoped(scope, work)
        .expect("the system gives a thread for the pipeline's work")
}

/// The thread's result, or its panic (a generator bug) passed on.
pub(crate) fn join<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Generates the crate for one API.
pub fn generate(input: &ApiInput) -> Result<Output, Error> {
    generate_observed(input, &mut |_, _| {})
}

/// Like [`generate`], calling `observer` with each stage and its duration as it ends, for
/// progress reports.
pub fn generate_observed(
    input: &ApiInput,
    observer: &mut dyn FnMut(Stage, std::time::Duration),
) -> Result<Output, Error> {
    let files = Collected::default();
    let generated = generate_each(input, observer, &|i, file| files.add(i, file))?;
    Ok(Output {
        files: files.into_files(),
        diagnostics: generated.diagnostics,
        summary: generated.summary,
    })
}

/// Files handed on one by one from several threads, put back in their order.
#[derive(Default)]
pub(crate) struct Collected(std::sync::Mutex<Vec<(usize, GeneratedFile)>>);

impl Collected {
    pub(crate) fn add(&self, i: usize, file: GeneratedFile) {
        let mut files = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        files.push((i, file));
    }

    pub(crate) fn into_files(self) -> Vec<GeneratedFile> {
        let mut files = self
            .0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        files.sort_unstable_by_key(|(i, _)| *i);
        files.into_iter().map(|(_, file)| file).collect()
    }
}

/// What [`generate_each`] returns: an [`Output`] whose files went to its caller one by one.
#[derive(Debug)]
pub struct Generated {
    /// How many files the crate has.
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
}

/// Like [`generate_observed`], handing each file of the crate to `done` as soon as it is
/// finished (from any of the threads that print them, in no fixed order), with its place
/// in the order [`generate`] returns them in, so that no more than the files being printed
/// are held at once. On an error in a file (a generator bug) the files finished before it
/// have been handed on.
pub fn generate_each(
    input: &ApiInput,
    observer: &mut dyn FnMut(Stage, std::time::Duration),
    done: &(dyn Fn(usize, GeneratedFile) + Sync),
) -> Result<Generated, Error> {
    // The stages run on the pipeline's thread; the observer, on the caller's, hears of
    // each as it ends.
    let (events, heard) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        let work = spawn_pipeline(scope, move || {
            let mut send = |stage, took| {
                let _ = events.send((stage, took));
            };
            generate_here(input, &mut send, done)
        });
        for (stage, took) in heard {
            observer(stage, took);
        }
        join(work)
    })
}

fn generate_here(
    input: &ApiInput,
    observer: &mut dyn FnMut(Stage, std::time::Duration),
    done: &(dyn Fn(usize, GeneratedFile) + Sync),
) -> Result<Generated, Error> {
    let mut clock = Clock {
        started: std::time::Instant::now(),
        observer,
    };
    let (api, diagnostics) = build_model_timed(input, &mut clock)?;
    let files = std::sync::atomic::AtomicUsize::new(0);
    let count = |i, file| {
        files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        done(i, file);
    };
    emit::emit_crate_each(&api, &input.origin, &input.command, &count).map_err(|e| {
        Error::Emit {
            api: input.name.clone(),
            file: e.file,
            message: e.message,
        }
    })?;
    clock.done(Stage::Emit);
    let account = account::Account::of(&api, &diagnostics);
    Ok(Generated {
        files: files.into_inner(),
        diagnostics,
        summary: Summary {
            operations: api.operations.len(),
            types: api.types.defs.len(),
            types_summary: api.types.summary(),
            account,
        },
    })
}
