//! What lower keeps of a path item once its operations are lowered: the item itself is
//! dropped then, so that openapiv3's document shrinks while the model grows (the paths are
//! most of a large document: a third of GitHub's, five sixths of Microsoft Graph's, and
//! each path item takes 8.7 KB of openapiv3's structs before anything is in it).
//!
//! The steps after the operations read little of the paths: the examples of bodies and
//! responses (`examples.rs`), the callbacks (`events.rs`) and the `x-pagination` marks
//! (`pagination.rs`). Those are kept here, as openapiv3 wrote them, and read as the
//! document was.

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use openapiv3::{Callback, Content, PathItem, ReferenceOr, RequestBody, Responses};
use serde_json::Value;

use crate::diagnostics::pointer_push;

/// An operation's callbacks, with its path, method (lower case) and `operationId`.
pub(super) struct Callbacks {
    pub raw_path: String,
    pub method: &'static str,
    pub operation_id: Option<String>,
    pub callbacks: IndexMap<String, Callback>,
}

/// What the examples of one operation are read from: its request body and responses with
/// only the examples of their media types (schemas, encodings, headers and links dropped).
pub(super) struct ExampleSources {
    pub method: &'static str,
    pub request_body: Option<ReferenceOr<RequestBody>>,
    pub responses: Responses,
}

/// The parts of the path items the steps after the operations read.
#[derive(Default)]
pub(super) struct PathRemains {
    /// `x-pagination` (or `x-ms-pageable`) of each operation, by path and lower-case
    /// method, with where it is.
    pub pagination: BTreeMap<(String, String), (Value, String)>,
    /// The operations with callbacks, in the document's order.
    pub callbacks: Vec<Callbacks>,
    /// The example sources of each path's operations, in the item's order of methods.
    pub examples: HashMap<String, Vec<ExampleSources>>,
}

impl PathRemains {
    /// Keeps what later steps read of the path item at `raw_path`, whose operations are
    /// lowered.
    pub(super) fn keep(&mut self, raw_path: &str, item: PathItem) {
        let mut sources = Vec::new();
        let path_pointer = pointer_push("/paths", raw_path);
        for (method, mut op) in item {
            let at = pointer_push(&path_pointer, method);
            let mark = match op.extensions.get("x-pagination") {
                Some(value) => Some((value.clone(), pointer_push(&at, "x-pagination"))),
                None => op.extensions.get("x-ms-pageable").map(|value| {
                    let pointer = pointer_push(&at, "x-ms-pageable");
                    (super::pagination::azure_mark(value), pointer)
                }),
            };
            if let Some(mark) = mark {
                self.pagination
                    .insert((raw_path.to_owned(), method.to_owned()), mark);
            }
            if !op.callbacks.is_empty() {
                self.callbacks.push(Callbacks {
                    raw_path: raw_path.to_owned(),
                    method,
                    operation_id: op.operation_id.take(),
                    callbacks: std::mem::take(&mut op.callbacks),
                });
            }
            let mut request_body = op.request_body.take();
            if let Some(ReferenceOr::Item(body)) = &mut request_body {
                *body = RequestBody {
                    content: examples_only(std::mem::take(&mut body.content)),
                    ..RequestBody::default()
                };
            }
            let mut responses = std::mem::take(&mut op.responses);
            let each = responses
                .default
                .iter_mut()
                .chain(responses.responses.values_mut());
            for response in each {
                if let ReferenceOr::Item(response) = response {
                    *response = openapiv3::Response {
                        content: examples_only(std::mem::take(&mut response.content)),
                        ..openapiv3::Response::default()
                    };
                }
            }
            responses.extensions.clear();
            sources.push(ExampleSources {
                method,
                request_body,
                responses,
            });
        }
        self.examples.insert(raw_path.to_owned(), sources);
    }

    /// The `x-pagination` marks, the rest dropped.
    pub(super) fn into_pagination(self) -> BTreeMap<(String, String), (Value, String)> {
        self.pagination
    }

    /// The example sources of the operation at `raw_path` whose method is `method` (in any
    /// case), as the document's path item gave it.
    pub(super) fn example_sources(&self, raw_path: &str, method: &str) -> Option<&ExampleSources> {
        self.examples
            .get(raw_path)?
            .iter()
            .find(|sources| sources.method.eq_ignore_ascii_case(method))
    }
}

/// Each media type of `content` with its `example` and `examples` only.
fn examples_only(content: Content) -> Content {
    content
        .into_iter()
        .map(|(media_type, media)| {
            let media = openapiv3::MediaType {
                example: media.example,
                examples: media.examples,
                ..openapiv3::MediaType::default()
            };
            (media_type, media)
        })
        .collect()
}
