//! A spec's descriptions made fit for rustdoc, which reads them as Markdown with lints of its
//! own: a spec's CommonMark was written for documentation sites, where `[Pod]` is text, a
//! fence without a language is plain text, `<fieldName>` is a placeholder and a URL is a link.
//! rustdoc would try `[Pod]` as a path, compile-check the fence as Rust, see an unclosed HTML
//! tag and a bare URL, and warn for each (a crate's docs then fail `-D warnings`).
//!
//! The text is read with pulldown-cmark, the parser rustdoc itself uses, with rustdoc's
//! options, so what is changed is what rustdoc would read that way: the source is edited at
//! the places the parser points to, and the rest stays as written.

use std::ops::Range;

use pulldown_cmark::{BrokenLink, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// The text with what rustdoc would misread written so it reads as the spec meant it:
/// - a reference to no definition (`[Pod]`, `[0-9]`) has its brackets escaped;
/// - a code block without a language (fenced, or indented) is marked `text`, and so is a
///   fence followed by what is not a language (which becomes the block's first line);
/// - an HTML tag left unclosed or a closing tag never opened (`<fieldName>`, `<p>`) has
///   its `<` written as `&lt;`;
/// - a bare `http://` or `https://` URL is put in angle brackets, a link.
pub fn for_rustdoc(text: &str) -> String {
    let mut text = dedented(text);
    // A block brought out of indentation is Markdown to read again (twice at most: a
    // block inside one so brought out).
    for _ in 0..3 {
        if !might_need_edits(&text) {
            break;
        }
        let (edited, again) = one_pass(&text);
        text = edited;
        if !again {
            break;
        }
    }
    text
}

/// The edits of [`for_rustdoc`] the text needs as it reads now, made; whether an indented
/// block was brought out of its indentation, which makes what it holds Markdown.
fn one_pass(text: &str) -> (String, bool) {
    let mut again = false;
    let mut edits = Vec::new();
    let mut broken = Vec::new();
    let mut note_broken = |link: BrokenLink<'_>| {
        broken.push(link.span);
        None
    };
    let parser =
        Parser::new_with_broken_link_callback(text, rustdoc_options(), Some(&mut note_broken));
    let mut tags = Vec::new();
    let mut in_link = 0usize;
    let mut in_code = false;
    // List items and quotes the parser is in: a block in one keeps its margin.
    let mut containers = 0usize;
    let mut run: Option<Range<usize>> = None;
    for (event, range) in parser.into_offset_iter() {
        if !matches!(event, Event::Text(_)) {
            if let Some(text_run) = run.take() {
                bare_urls(text, text_run, &mut edits);
            }
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                again |= code_block(text, &range, &kind, containers > 0, &mut edits);
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Item | Tag::BlockQuote(_)) => containers += 1,
            Event::End(TagEnd::Item | TagEnd::BlockQuote(_)) => {
                containers = containers.saturating_sub(1);
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => in_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => in_link = in_link.saturating_sub(1),
            Event::Html(_) | Event::InlineHtml(_) => html_tags(text, range, &mut tags),
            Event::Text(_) if !in_code && in_link == 0 => {
                run = Some(match run.take() {
                    Some(before) if before.end == range.start => before.start..range.end,
                    Some(before) => {
                        bare_urls(text, before, &mut edits);
                        range
                    }
                    None => range,
                });
            }
            _ => {}
        }
    }
    if let Some(text_run) = run {
        bare_urls(text, text_run, &mut edits);
    }
    unbalanced_tags(&tags, &mut edits);
    for span in broken {
        for (i, c) in text[span.clone()].char_indices() {
            if c == '[' || c == ']' {
                let at = span.start + i;
                edits.push((at..at, "\\".to_owned()));
            }
        }
    }
    (apply(text, edits), again)
}

/// The text without the indentation all its lines share: a description indented as a whole
/// (a docstring pasted into YAML) is Markdown, not one code block.
fn dedented(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    if indent == 0 {
        return text.to_owned();
    }
    let lines: Vec<&str> = text
        .lines()
        .map(|line| line.get(indent..).unwrap_or(""))
        .collect();
    lines.join("\n")
}

/// The Markdown extensions rustdoc turns on.
fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Whether the text holds anything [`for_rustdoc`] edits: most descriptions are a plain
/// sentence, which is not worth parsing.
fn might_need_edits(text: &str) -> bool {
    text.contains(['[', '<', '`', '~'])
        || text.contains("://")
        || text.lines().any(|line| line.starts_with("    "))
}

/// A code block rustdoc would compile-check as Rust marked `text`: a fence without a
/// language gets one, an indented block becomes a fenced one. An indented block holding
/// fences is Markdown indented (a docstring's lines after its first), not code: it is
/// brought out of its indentation instead, and true is returned. Outside a list item or a
/// quote, what comes out starts at the margin; inside one, four spaces left of the block.
fn code_block(
    text: &str,
    range: &Range<usize>,
    kind: &CodeBlockKind<'_>,
    contained: bool,
    edits: &mut Vec<(Range<usize>, String)>,
) -> bool {
    let start = line_start(text, range.start);
    match kind {
        CodeBlockKind::Fenced(info) if !is_a_language(info) => {
            let line = &text[start..];
            let line = &line[..line.find('\n').unwrap_or(line.len())];
            let indent = line.len() - line.trim_start_matches(' ').len();
            let fence = line[indent..]
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .count();
            // What followed the fence is the block's first line, so nothing is lost.
            let at = start + indent + fence;
            let rest = line[indent + fence..].trim();
            let first = match rest {
                "" => String::new(),
                rest => format!("\n{}{rest}", &line[..indent]),
            };
            edits.push((at..start + line.len(), format!("text{first}")));
            false
        }
        CodeBlockKind::Fenced(_) => false,
        CodeBlockKind::Indented => {
            let block = text[start..range.end].trim_end_matches('\n');
            let lines: Vec<&str> = block.split('\n').collect();
            let indent = lines
                .iter()
                .filter(|line| !line.trim().is_empty())
                .map(|line| line.len() - line.trim_start_matches(' ').len())
                .min()
                .unwrap_or(0);
            // Only a block indented with spaces from the start of its lines (not one in a
            // quote, whose lines start with `>`).
            if indent < 4 {
                return false;
            }
            let fences = |line: &&str| {
                let line = line.trim_start();
                line.starts_with("```") || line.starts_with("~~~")
            };
            let margin = if contained {
                " ".repeat(indent - 4)
            } else {
                String::new()
            };
            if lines.iter().any(fences) {
                let markdown: Vec<String> = lines
                    .iter()
                    .map(|line| match line.get(indent..) {
                        Some(rest) => format!("{margin}{rest}"),
                        None => String::new(),
                    })
                    .collect();
                edits.push((start..start + block.len(), markdown.join("\n")));
                return true;
            }
            let mut fenced = format!("{margin}```text\n");
            for line in lines {
                if let Some(code) = line.get(indent..) {
                    fenced.push_str(&margin);
                    fenced.push_str(code);
                }
                fenced.push('\n');
            }
            fenced.push_str(&margin);
            fenced.push_str("```");
            edits.push((start..start + block.len(), fenced));
            false
        }
    }
}

/// Whether a fence's info string names a language (`json`, `c++`), which rustdoc leaves
/// alone; what else follows a fence in a spec is text rustdoc would read as attributes
/// (Kubernetes' ```` ``` <quantity> ::= .. ```` is a grammar on one line).
fn is_a_language(info: &str) -> bool {
    let info = info.trim();
    !info.is_empty()
        && !info.eq_ignore_ascii_case("rust")
        && info
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '#' | '.'))
}

/// Where the line holding `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// An HTML tag in the text: where its `<` is, its name in lower case, and whether it
/// closes (`</p>`) or stands alone (`<br/>`, and the elements that never close).
struct HtmlTag {
    at: usize,
    name: String,
    closing: bool,
    alone: bool,
}

/// The elements HTML never closes.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The tags in `range` of the text (an HTML event: one tag, or a block of HTML).
fn html_tags(text: &str, range: Range<usize>, tags: &mut Vec<HtmlTag>) {
    let html = &text[range.clone()];
    let mut from = 0;
    while let Some(i) = html[from..].find('<') {
        let at = from + i;
        from = at + 1;
        let rest = &html[at + 1..];
        if rest.starts_with("!--") {
            match rest.find("-->") {
                Some(end) => from = at + 1 + end,
                None => return,
            }
            continue;
        }
        let closing = rest.starts_with('/');
        let name: String = rest[usize::from(closing)..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let name = name.to_ascii_lowercase();
        let alone = rest[..end].ends_with('/') || VOID.contains(&name.as_str());
        tags.push(HtmlTag {
            at: range.start + at,
            name,
            closing,
            alone,
        });
    }
}

/// `&lt;` for the `<` of every tag that opens and is never closed, or closes what was never
/// opened: rustdoc warns about both (it takes a spec's `<fieldName>` for HTML).
fn unbalanced_tags(tags: &[HtmlTag], edits: &mut Vec<(Range<usize>, String)>) {
    let mut open: Vec<&HtmlTag> = Vec::new();
    let mut unbalanced = Vec::new();
    for tag in tags.iter().filter(|tag| !tag.alone) {
        if !tag.closing {
            open.push(tag);
        } else if let Some(i) = open.iter().rposition(|o| o.name == tag.name) {
            // What opened after the tag this one closes is left open.
            unbalanced.extend(open.drain(i..).skip(1).map(|o| o.at));
        } else {
            unbalanced.push(tag.at);
        }
    }
    unbalanced.extend(open.iter().map(|o| o.at));
    edits.extend(
        unbalanced
            .into_iter()
            .map(|at| (at..at + 1, "&lt;".to_owned())),
    );
}

/// Each bare URL in a run of text put in angle brackets, as an autolink.
fn bare_urls(text: &str, range: Range<usize>, edits: &mut Vec<(Range<usize>, String)>) {
    let run = &text[range.clone()];
    let mut from = 0;
    while let Some(i) = run[from..].find("http") {
        let start = from + i;
        from = start + 4;
        let rest = &run[start..];
        let scheme = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            continue;
        };
        // Not the tail of a word (`xhttp://`), nor already in brackets.
        if run[..start].ends_with(|c: char| c.is_alphanumeric() || c == '<') {
            continue;
        }
        let mut len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
            .unwrap_or(rest.len());
        // A sentence's punctuation after the URL, and a parenthesis it did not open.
        loop {
            let url = &rest[..len];
            let last = url.chars().next_back();
            let unopened = last == Some(')') && url.matches('(').count() < url.matches(')').count();
            if matches!(
                last,
                Some('.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_')
            ) || unopened
            {
                len -= 1;
            } else {
                break;
            }
        }
        if len <= scheme {
            continue;
        }
        let at = range.start + start;
        edits.push((at..at, "<".to_owned()));
        edits.push((at + len..at + len, ">".to_owned()));
        from = start + len;
    }
}

/// The text with each edit made: a range replaced, in order; an edit overlapping one
/// before it is left out.
fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(text.len() + 16 * edits.len());
    let mut done = 0;
    for (range, replacement) in edits {
        if range.start < done {
            continue;
        }
        out.push_str(&text[done..range.start]);
        out.push_str(&replacement);
        done = range.end;
    }
    out.push_str(&text[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::for_rustdoc;

    #[test]
    fn references_to_nothing_are_text() {
        assert_eq!(
            for_rustdoc("One of [DeviceClass], matching [0-9]+."),
            "One of \\[DeviceClass\\], matching \\[0-9\\]+."
        );
        // A reference with its definition, and a link, stay links.
        let linked = "See [the guide].\n\n[the guide]: https://example.com/guide";
        assert_eq!(for_rustdoc(linked), linked);
        assert_eq!(
            for_rustdoc("[guide](https://x.io)"),
            "[guide](https://x.io)"
        );
    }

    #[test]
    fn code_blocks_without_a_language_are_text() {
        assert_eq!(
            for_rustdoc("Example:\n```\n{\"a\": 1}\n```"),
            "Example:\n```text\n{\"a\": 1}\n```"
        );
        assert_eq!(for_rustdoc("~~~json\n{}\n~~~"), "~~~json\n{}\n~~~");
        // A fence followed by what is not a language: rustdoc would read it as attributes.
        assert_eq!(
            for_rustdoc("``` <q> ::= <n><s>\n\n(Note)\n```"),
            "```text\n<q> ::= <n><s>\n\n(Note)\n```"
        );
        assert_eq!(
            for_rustdoc("Run:\n\n    curl -X GET /pets\n      --verbose\n\nDone."),
            "Run:\n\n```text\ncurl -X GET /pets\n  --verbose\n```\n\nDone."
        );
    }

    #[test]
    fn a_text_indented_as_a_whole_is_markdown_and_fences_inside_a_block_stay_inside() {
        assert_eq!(
            for_rustdoc("        **User**\n        ```json\n        \"u:1\"\n        ```"),
            "**User**\n```json\n\"u:1\"\n```"
        );
        // A docstring's lines after its first, holding fences: Markdown, brought out.
        assert_eq!(
            for_rustdoc("Monitors.\n\n        **User**\n        ```\n        \"u:1\"\n        ```"),
            "Monitors.\n\n**User**\n```text\n\"u:1\"\n```"
        );
    }

    #[test]
    fn blocks_come_out_at_the_margin_outside_lists() {
        let deep = format!(
            "Relays:\n\n{0}Example:\n{0}```json\n{0}{{}}\n{0}```",
            " ".repeat(30)
        );
        assert_eq!(for_rustdoc(&deep), "Relays:\n\nExample:\n```json\n{}\n```");
        assert_eq!(
            for_rustdoc("Scope:\n\n        Note: admin."),
            "Scope:\n\n```text\nNote: admin.\n```"
        );
        assert_eq!(
            for_rustdoc("- item\n\n      code"),
            "- item\n\n  ```text\n  code\n  ```"
        );
    }

    #[test]
    fn unbalanced_tags_are_text_and_balanced_ones_html() {
        assert_eq!(
            for_rustdoc("Set <fieldName> to <b>bold</b>.<br> <p>Then"),
            "Set &lt;fieldName> to <b>bold</b>.<br> &lt;p>Then"
        );
        assert_eq!(for_rustdoc("a </i> b"), "a &lt;/i> b");
        // In code, nothing is HTML.
        assert_eq!(for_rustdoc("`<string>`"), "`<string>`");
    }

    #[test]
    fn bare_urls_become_links() {
        assert_eq!(
            for_rustdoc("More at https://kubernetes.io/docs/concepts_a/. Or (http://x.io/a)."),
            "More at <https://kubernetes.io/docs/concepts_a/>. Or (<http://x.io/a>)."
        );
        let linked = "<https://x.io> and [x](https://x.io) and `https://x.io`";
        assert_eq!(for_rustdoc(linked), linked);
    }

    #[test]
    fn plain_text_is_left_as_written() {
        let text = "Lists the pets, 10 at a time (a < b > c).";
        assert_eq!(for_rustdoc(text), text);
    }
}
