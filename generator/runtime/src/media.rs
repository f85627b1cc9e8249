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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_media_type_matches_ranges_whatever_its_parameters_and_case() {
        assert!(matches(
            "application/json",
            "Application/JSON; charset=utf-8"
        ));
        assert!(matches("image/*", "image/png"));
        assert!(matches("*/*", "text/plain"));
        assert!(!matches("image/*", "text/plain"));
        assert!(!matches("application/json", "application/problem+json"));
    }

    #[test]
    fn a_body_is_sent_as_its_own_type_where_the_declared_one_is_a_range() {
        assert_eq!(
            sent("application/*", "application/json"),
            "application/json"
        );
        assert_eq!(sent("text/csv", "text/plain"), "text/csv");
    }
}
