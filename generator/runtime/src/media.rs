//! Media types, as client and server both compare them.

/// Whether a media type matches a declared one, which may be a range (`image/*`, `*/*`).
/// Parameters (`; charset=utf-8`) and case do not matter.
pub(crate) fn matches(declared: &str, actual: &str) -> bool {
    let essence = |m: &str| {
        m.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let (declared, actual) = (essence(declared), essence(actual));
    match declared.strip_suffix("/*") {
        Some("*") => true,
        Some(kind) => actual.split('/').next() == Some(kind),
        None => declared == actual,
    }
}

/// The media type a body is sent as: the declared one, unless that is a range (`*/*`,
/// `application/*`), which names no type a receiver can read; then `own`, the body's.
pub(crate) fn sent<'a>(declared: &'a str, own: &'a str) -> &'a str {
    if declared.contains('*') {
        own
    } else {
        declared
    }
}
