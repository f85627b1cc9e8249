//! Requests the router alone cannot place: a route shared by operations that differ in a
//! constant query (`/responses/{id}?beta=true` beside `/responses/{id}`) or in the literal
//! text of a segment (`/files/{id}.json` beside `/files/{id}`), and segments holding several
//! variables (`/files/{name}.{ext}`). The router captures each variable segment whole; this
//! module reads it.

use axum::extract::{FromRequestParts, RawPathParams, Request};

/// The values of a segment's variables, where the segment is `literals[0]`, a variable,
/// `literals[1]`, ..., a variable, `literals[n]`: each variable but the last takes the
/// shortest text up to the next literal, as path-to-regexp's `/:name.:ext` does
/// (`archive.tar.gz` is `archive` and `tar.gz`). `None` when the segment does not have the
/// literal text.
pub(crate) fn split_segment<'s>(segment: &'s str, literals: &[&str]) -> Option<Vec<&'s str>> {
    let (first, rest) = literals.split_first()?;
    let (last, between) = rest.split_last()?;
    let mut text = segment.strip_prefix(first)?.strip_suffix(last)?;
    let mut values = Vec::with_capacity(rest.len());
    for literal in between {
        let at = text.find(literal)?;
        values.push(&text[..at]);
        text = &text[at + literal.len()..];
    }
    values.push(text);
    Some(values)
}

/// One of the operations sharing a route, as far as telling them apart goes.
pub struct Candidate<'a> {
    /// Pairs the request's query must have (the operation's constant query).
    pub query: &'a [(&'a str, &'a str)],
    /// Captured segments (by the router's name) and the literal text the operation's template
    /// gives each around its variables.
    pub segments: &'a [(&'a str, &'a [&'a str])],
}

/// Which of `candidates` (most specific first) the request is for: the first whose
/// constant query the request has and whose segments have its literal text; `None` when
/// none is. The request is given back whole.
pub async fn pick(request: Request, candidates: &[Candidate<'_>]) -> (Request, Option<usize>) {
    let (mut parts, body) = request.into_parts();
    let params = RawPathParams::from_request_parts(&mut parts, &())
        .await
        .ok();
    let captured = |key: &str| {
        params
            .as_ref()
            .and_then(|params| params.iter().find(|(k, _)| *k == key).map(|(_, v)| v))
    };
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let picked = candidates.iter().position(|candidate| {
        candidate
            .query
            .iter()
            .all(|(name, value)| query.iter().any(|(n, v)| n == name && v == value))
            && candidate.segments.iter().all(|(key, literals)| {
                captured(key).is_some_and(|segment| split_segment(segment, literals).is_some())
            })
    });
    (Request::from_parts(parts, body), picked)
}
