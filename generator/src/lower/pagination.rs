//! Pagination: which operations answer in pages, and how to ask for the next one.
//!
//! A `GET` whose success is JSON holding a list of items (the body itself, or the one array
//! field of the body, or of its `data`-like field) is paginated when one of these says how
//! to reach the next page, tried in this order:
//! - the success declares a `Link` header (`rel="next"`, as GitHub and GitLab send);
//! - a query parameter named like a cursor (`cursor`, `page_token`, `after`, `marker`,
//!   `continuation_token`...) and a body field of the same type named like the next one
//!   (`next_cursor`, `nextPageToken`, `meta.next`...), up to two objects deep;
//! - a body field named like the next page's URL (`nextLink`, `@odata.nextLink`,
//!   `next_page_url`, `next`), a string;
//! - an integer query parameter `offset` (or `skip`, `start_index`): each page advances it
//!   by its length;
//! - an integer query parameter `page` (or `page_number`, `page_index`): each page advances
//!   it by one, from the parameter's default (or minimum, or 1).
//!
//! The pages end at an empty page, a missing next cursor or link, or a cursor that does not
//! move. Where the rules cannot see it, `x-pagination` on the operation (or a settings
//! file's `[pagination]`) says it, or turns it off with `false`:
//!
//! ```yaml
//! x-pagination:
//!   items: data.things      # the list, from the body (dotted field names as on the wire)
//!   cursor: after           # with next: the query parameter and the body field
//!   next: meta.next_cursor
//!   # or: next-url: links.next / link: true / offset: skip / page: p
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use super::Lowerer;
use crate::model::{
    FieldStep, Location, Media, Method, NextPage, Operation, Pagination, Param, Status, TypeGraph,
    TypeKind, TypeRef,
};

const RULE: &str = "pagination";

/// Names (normalized: lower case, letters and digits only) of a list's field, in order of
/// preference when a body has several lists.
const ITEM_FIELDS: &[&str] = &[
    "items", "data", "results", "values", "value", "entries", "records", "elements", "list",
    "content", "nodes", "edges", "objects", "rows",
];

/// Fields a body may wrap its page in (`{ "data": { "items": [...] } }`).
const WRAPPERS: &[&str] = &["data", "result", "results", "response", "page", "payload"];

const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "pagetoken",
    "nextpagetoken",
    "nexttoken",
    "continuationtoken",
    "continuation",
    "after",
    "aftercursor",
    "startingafter",
    "startafter",
    "marker",
    "pagecursor",
    "nextcursor",
    "starttoken",
    "scrollid",
    "skiptoken",
    "nextmarker",
    "pageafter",
];

/// Body fields that hold the next cursor, whatever the parameter is called.
const CURSOR_FIELDS: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "nextmarker",
    "continuationtoken",
    "nextcontinuationtoken",
    "endcursor",
    "next",
    "nextpage",
    "skiptoken",
    "cursor",
];

const URL_FIELDS: &[&str] = &[
    "nextlink",
    "odatanextlink",
    "nextpageurl",
    "nexturl",
    "nextpagelink",
    "next",
];

const OFFSET_PARAMS: &[&str] = &["offset", "skip", "startindex"];

const PAGE_PARAMS: &[&str] = &["page", "pagenumber", "pageindex", "pageno"];

/// `next_page_token`, `NextPageToken`, `$skiptoken`, `@odata.nextLink` → `nextpagetoken`...
fn normalized(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// An `x-pagination` mark, read.
#[derive(Default)]
struct Mark {
    items: Option<String>,
    cursor: Option<String>,
    next: Option<String>,
    next_url: Option<String>,
    link: bool,
    offset: Option<String>,
    page: Option<String>,
}

impl Lowerer<'_> {
    /// Finds the pagination of every operation, once the types are final.
    /// `marks` are the operations' `x-pagination`, by path and lower-case method, with
    /// where each is.
    pub(super) fn paginate(
        &mut self,
        operations: &mut [Operation],
        marks: &BTreeMap<(String, String), (Value, String)>,
    ) {
        for op in operations.iter_mut() {
            let key = (op.path.raw.clone(), op.method.as_str().to_ascii_lowercase());
            op.pagination = match marks.get(&key) {
                Some((Value::Bool(false), _)) => None,
                Some((value, pointer)) => match read_mark(value) {
                    Ok(mark) => {
                        let found = detect(&self.graph, op, &mark);
                        if found.is_none() {
                            self.warn(
                                RULE,
                                pointer,
                                "the pages this says are not in the operation (no such list, parameter or field); it is read without pages".to_owned(),
                            );
                        }
                        found
                    }
                    Err(message) => {
                        self.warn(RULE, pointer, message);
                        None
                    }
                },
                None if op.method == Method::Get => detect(&self.graph, op, &Mark::default()),
                None => None,
            };
        }
    }
}

/// Azure's `x-ms-pageable` as the `x-pagination` it means: the list is the body's
/// `itemName` field (`value` unless it says), the next page the URL in its `nextLinkName`
/// field; a `nextLinkName` of null (or none) says the answer is one page.
pub(super) fn azure_mark(value: &Value) -> Value {
    let Value::Object(pageable) = value else {
        return value.clone();
    };
    match pageable.get("nextLinkName") {
        Some(Value::String(next)) => {
            let items = pageable.get("itemName").cloned();
            serde_json::json!({
                "items": items.unwrap_or_else(|| Value::from("value")),
                "next-url": next,
            })
        }
        Some(Value::Null) | None => Value::Bool(false),
        Some(other) => other.clone(),
    }
}

fn read_mark(value: &Value) -> Result<Mark, String> {
    let Value::Object(object) = value else {
        return Err("x-pagination is an object, or false; it is ignored".to_owned());
    };
    let mut mark = Mark::default();
    for (key, value) in object {
        let text = || {
            value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("x-pagination's {key} is a string; it is ignored"))
        };
        match key.as_str() {
            "items" => mark.items = Some(text()?),
            "cursor" => mark.cursor = Some(text()?),
            "next" => mark.next = Some(text()?),
            "next-url" => mark.next_url = Some(text()?),
            "offset" => mark.offset = Some(text()?),
            "page" => mark.page = Some(text()?),
            "link" => mark.link = value.as_bool().unwrap_or(false),
            other => {
                return Err(format!(
                    "x-pagination has no key {other:?} (items, cursor, next, next-url, link, offset, page); it is ignored"
                ))
            }
        }
    }
    Ok(mark)
}

/// The pagination of `op`: what `mark` says, the rules for the rest.
fn detect(graph: &TypeGraph, op: &Operation, mark: &Mark) -> Option<Pagination> {
    let (response, body) = op.responses.iter().enumerate().find_map(|(i, r)| {
        let success = match r.status {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(digit) => digit == 2,
            Status::Default => false,
        };
        match (success, r.body.as_ref().map(|b| b.contents.as_slice())) {
            (true, Some([only])) => match &only.media {
                Media::Json(ty) => Some((i, ty)),
                _ => None,
            },
            _ => None,
        }
    })?;
    let (items, item) = match &mark.items {
        Some(path) => {
            let steps = field_path(graph, body, path)?;
            let TypeRef::List(item) = graph.resolve_alias(end_type(graph, body, &steps)) else {
                return None;
            };
            (steps, (**item).clone())
        }
        None => find_items(graph, body)?,
    };
    let query = |names: &[&str], wanted: Option<&String>| {
        op.params.iter().position(|p| {
            p.location == Location::Query
                && !p.client_level
                && match wanted {
                    Some(name) => p.api_name == *name,
                    None => names.contains(&normalized(&p.api_name).as_str()),
                }
        })
    };
    let marked = mark.cursor.is_some()
        || mark.next.is_some()
        || mark.next_url.is_some()
        || mark.link
        || mark.offset.is_some()
        || mark.page.is_some();
    let next = if marked {
        if mark.link {
            link_header(op, response)?
        } else if let Some(path) = &mark.next_url {
            NextPage::Url {
                field: string_field(graph, body, path)?,
            }
        } else if let (Some(_), Some(path)) = (&mark.cursor, &mark.next) {
            let param = query(&[], mark.cursor.as_ref())?;
            let field = field_path(graph, body, path)?;
            (graph.resolve_alias(end_type(graph, body, &field))
                == graph.resolve_alias(&op.params[param].ty))
            .then_some(NextPage::Cursor { param, field })?
        } else if mark.offset.is_some() {
            let param = query(&[], mark.offset.as_ref())?;
            integer(&op.params[param]).then_some(NextPage::Offset { param })?
        } else {
            let param = query(&[], mark.page.as_ref())?;
            let first = first_page(&op.params[param])?;
            NextPage::Page { param, first }
        }
    } else {
        link_header(op, response)
            .or_else(|| {
                let param = query(CURSOR_PARAMS, None)?;
                let field = cursor_field(graph, body, &op.params[param])?;
                Some(NextPage::Cursor { param, field })
            })
            .or_else(|| {
                let field = find_field(graph, body, 2, &mut |name, ty| {
                    URL_FIELDS.contains(&name) && *graph.resolve_alias(ty) == TypeRef::String
                })?;
                Some(NextPage::Url { field })
            })
            .or_else(|| {
                let param = query(OFFSET_PARAMS, None)?;
                integer(&op.params[param]).then_some(NextPage::Offset { param })
            })
            .or_else(|| {
                let param = query(PAGE_PARAMS, None)?;
                let first = first_page(&op.params[param])?;
                Some(NextPage::Page { param, first })
            })?
    };
    Some(Pagination {
        response,
        items,
        item,
        next,
    })
}

fn link_header(op: &Operation, response: usize) -> Option<NextPage> {
    op.responses[response]
        .headers
        .iter()
        .position(|h| h.api_name.eq_ignore_ascii_case("link") && h.ty == TypeRef::String)
        .map(|header| NextPage::Link { header })
}

fn integer(param: &Param) -> bool {
    matches!(
        param.ty,
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64
    )
}

/// The number of the first page: the parameter's default, else its minimum, else 1.
fn first_page(param: &Param) -> Option<i64> {
    if !integer(param) {
        return None;
    }
    Some(
        param
            .default
            .as_ref()
            .and_then(Value::as_i64)
            .or_else(|| param.constraints.minimum.map(|m| m as i64))
            .unwrap_or(1),
    )
}

/// The list of a page: the body itself, the body's one list (or the one named like a list
/// of items), or that of a wrapper field (`data`).
fn find_items(graph: &TypeGraph, body: &TypeRef) -> Option<(Vec<FieldStep>, TypeRef)> {
    if let TypeRef::List(item) = graph.resolve_alias(body) {
        return Some((Vec::new(), (**item).clone()));
    }
    let lists = |ty: &TypeRef| -> Vec<(FieldStep, TypeRef, String)> {
        struct_fields(graph, ty)
            .into_iter()
            .filter_map(|(step, field)| match graph.resolve_alias(&field.ty) {
                TypeRef::List(item) => Some((step, (**item).clone(), normalized(&field.api_name))),
                _ => None,
            })
            .collect()
    };
    let pick = |found: Vec<(FieldStep, TypeRef, String)>| match found.as_slice() {
        [(step, item, _)] => Some((*step, item.clone())),
        _ => ITEM_FIELDS.iter().find_map(|name| {
            found
                .iter()
                .find(|(_, _, n)| n == name)
                .map(|(step, item, _)| (*step, item.clone()))
        }),
    };
    let top = lists(body);
    if !top.is_empty() {
        return pick(top).map(|(step, item)| (vec![step], item));
    }
    struct_fields(graph, body)
        .into_iter()
        .find_map(|(outer, field)| {
            if !WRAPPERS.contains(&normalized(&field.api_name).as_str()) {
                return None;
            }
            pick(lists(&field.ty)).map(|(inner, item)| (vec![outer, inner], item))
        })
}

/// The body field holding the next cursor for `param`: named like one (or `next` followed
/// by the parameter's name), of the parameter's type.
fn cursor_field(graph: &TypeGraph, body: &TypeRef, param: &Param) -> Option<Vec<FieldStep>> {
    let own = normalized(&param.api_name);
    let next_own = format!("next{own}");
    let wanted = graph.resolve_alias(&param.ty).clone();
    if !wanted.is_scalar() {
        return None;
    }
    find_field(graph, body, 2, &mut |name, ty| {
        (CURSOR_FIELDS.contains(&name) || name == own || name == next_own)
            && *graph.resolve_alias(ty) == wanted
    })
}

/// The first field (breadth first, down to `depth` objects below the body) whose normalized
/// wire name and type `wanted` accepts.
fn find_field(
    graph: &TypeGraph,
    body: &TypeRef,
    depth: usize,
    wanted: &mut dyn FnMut(&str, &TypeRef) -> bool,
) -> Option<Vec<FieldStep>> {
    let mut level = vec![(Vec::new(), body.clone())];
    for _ in 0..=depth {
        let mut below = Vec::new();
        for (path, ty) in &level {
            for (step, field) in struct_fields(graph, ty) {
                let mut path = path.clone();
                path.push(step);
                if wanted(&normalized(&field.api_name), &field.ty) {
                    return Some(path);
                }
                below.push((path, field.ty.clone()));
            }
        }
        level = below;
    }
    None
}

/// The fields of a struct type a page can be read through: named, not flattened or boxed.
fn struct_fields<'g>(
    graph: &'g TypeGraph,
    ty: &TypeRef,
) -> Vec<(FieldStep, &'g crate::model::Field)> {
    let TypeRef::Named(owner) = graph.resolve_alias(ty) else {
        return Vec::new();
    };
    let TypeKind::Struct(fields) = &graph.get(*owner).kind else {
        return Vec::new();
    };
    fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.flatten && !f.boxed)
        .map(|(field, f)| {
            (
                FieldStep {
                    owner: *owner,
                    field,
                },
                f,
            )
        })
        .collect()
}

/// A dotted path of wire names from `body` (`meta.next_cursor`); empty: the body.
fn field_path(graph: &TypeGraph, body: &TypeRef, path: &str) -> Option<Vec<FieldStep>> {
    // A wire name may hold a dot (`@odata.nextLink`): a field named so is the path whole.
    if let Some((step, _)) = struct_fields(graph, body)
        .into_iter()
        .find(|(_, f)| f.api_name == path)
    {
        return Some(vec![step]);
    }
    let mut steps = Vec::new();
    let mut ty = body.clone();
    for name in path.split('.').filter(|n| !n.is_empty()) {
        let (step, field) = struct_fields(graph, &ty)
            .into_iter()
            .find(|(_, f)| f.api_name == name)?;
        steps.push(step);
        ty = field.ty.clone();
    }
    Some(steps)
}

fn string_field(graph: &TypeGraph, body: &TypeRef, path: &str) -> Option<Vec<FieldStep>> {
    let steps = field_path(graph, body, path)?;
    (*graph.resolve_alias(end_type(graph, body, &steps)) == TypeRef::String).then_some(steps)
}

/// The type at the end of `steps` from `body`.
fn end_type<'g>(graph: &'g TypeGraph, body: &'g TypeRef, steps: &[FieldStep]) -> &'g TypeRef {
    match steps.last() {
        Some(step) => match &graph.get(step.owner).kind {
            TypeKind::Struct(fields) => &fields[step.field].ty,
            _ => body,
        },
        None => body,
    }
}
