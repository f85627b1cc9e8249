//! Media types as a spec names them, for the stages that decide what a body or a
//! parameter's content is.

/// `application/json; charset=utf-8` → `application/json`.
pub fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// JSON, or a JSON-based media type (`application/problem+json`), by its essence.
pub fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

/// How the items of sequential JSON are framed, for the media types whose body is a
/// sequence of items (`itemSchema` describes one of them); `None` for any other.
pub fn sequential_json(essence: &str) -> Option<crate::model::Framing> {
    match essence {
        "application/jsonl" | "application/x-ndjson" | "application/x-jsonlines" => {
            Some(crate::model::Framing::Lines)
        }
        "application/json-seq" => Some(crate::model::Framing::RecordSeparator),
        _ => None,
    }
}
