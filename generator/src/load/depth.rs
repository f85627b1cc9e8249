//! How deep a document may nest, and a check of YAML text against it made before the YAML
//! reader sees the text.
//!
//! serde_json and serde_yaml both refuse values nested deeper than 128 levels, but
//! serde_yaml does so only after libyaml's scanner has read the whole text, and that
//! scanner takes time quadratic in the depth of flow collections (`[[[[...` or
//! `{a: {a: ...`): 50 KB of them took 2 s, 200 KB over a minute. The check here reads the
//! text once and counts flow collections only, never more than the reader would, so it
//! refuses no document serde_yaml accepts. Block collections need no check: the scanner
//! reads them in linear time and the reader refuses them at the same limit.

/// The deepest nesting of a document: serde_json's and serde_yaml's own limit, which the
/// stages after them (each a walk over the tree) are built and tested for.
pub const MAX_DEPTH: usize = 128;

/// The line and column (from 1) of the first flow collection in `text` opened deeper than
/// [`MAX_DEPTH`], if any.
pub fn yaml_flow_too_deep(text: &str) -> Option<(usize, usize)> {
    let mut scan = Scan::default();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        let next = bytes.get(at + 1).copied();
        match scan.quote {
            Some(b'"') => match b {
                b'\\' if next != Some(b'\n') => {
                    scan.column += 1;
                    at += 1;
                }
                b'"' => scan.close_quote(),
                _ => {}
            },
            Some(_) => match (b, next) {
                (b'\'', Some(b'\'')) => {
                    scan.column += 1;
                    at += 1;
                }
                (b'\'', _) => scan.close_quote(),
                _ => {}
            },
            None => {
                if let Some(skip) = scan.plain(bytes, at) {
                    at = skip;
                    continue;
                }
            }
        }
        if b == b'\n' {
            scan.line += 1;
            scan.column = 1;
            at += 1;
            at = scan.line_start(bytes, at);
            continue;
        }
        // A byte continuing a UTF-8 character is not a character of its own.
        if b & 0xC0 != 0x80 {
            scan.column += 1;
        }
        at += 1;
        if scan.flow > MAX_DEPTH {
            return Some(scan.opened);
        }
    }
    None
}

#[derive(Debug)]
struct Scan {
    line: usize,
    column: usize,
    /// Flow collections open around the cursor.
    flow: usize,
    /// Where the last flow collection was opened.
    opened: (usize, usize),
    /// The quote of the quoted scalar the cursor is in.
    quote: Option<u8>,
    /// Whether a node may start here: only there does a bracket open a collection or a
    /// quote a quoted scalar (`see [1]` and `don't` are plain text).
    node_start: bool,
    /// The indentation of the current line.
    indent: usize,
}

impl Default for Scan {
    fn default() -> Self {
        Scan {
            line: 1,
            column: 1,
            flow: 0,
            opened: (1, 1),
            quote: None,
            node_start: true,
            indent: 0,
        }
    }
}

impl Scan {
    fn close_quote(&mut self) {
        self.quote = None;
        self.node_start = false;
    }

    /// Reads the byte at `at` outside quotes. Returns where to go on when it moved the
    /// cursor itself (past a comment, a block scalar, an anchor or a tag).
    fn plain(&mut self, bytes: &[u8], at: usize) -> Option<usize> {
        let b = bytes[at];
        let next = bytes.get(at + 1).copied();
        let blank_after = matches!(next, None | Some(b' ' | b'\t' | b'\r' | b'\n'));
        let blank_before = at == 0 || matches!(bytes[at - 1], b' ' | b'\t' | b'\n');
        match b {
            b'#' if blank_before => return Some(line_end(bytes, at)),
            b'[' | b'{' if self.node_start || self.flow > 0 => {
                self.flow += 1;
                self.opened = (self.line, self.column);
                self.node_start = true;
            }
            b']' | b'}' if self.flow > 0 => {
                self.flow -= 1;
                self.node_start = false;
            }
            b',' if self.flow > 0 => self.node_start = true,
            b'"' | b'\'' if self.node_start => self.quote = Some(b),
            // In flow context `{"a":"b"}` needs no blank after the colon.
            b':' if blank_after || self.flow > 0 => self.node_start = true,
            b'-' | b'?' if self.node_start && blank_after => {}
            // A block scalar: its lines, more indented than the line it starts on, are
            // text whatever they hold.
            b'|' | b'>' if self.node_start && self.flow == 0 => {
                return Some(self.block_scalar_end(bytes, at));
            }
            // An anchor or tag before a node: the node may still start after it.
            b'&' | b'!' if self.node_start => {
                let mut end = at;
                while end < bytes.len() && !matches!(bytes[end], b' ' | b'\t' | b'\r' | b'\n') {
                    end += 1;
                }
                self.column += end - at;
                return Some(end);
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => self.node_start = false,
        }
        None
    }

    /// The start of the line's content after its indentation, at the start of a line;
    /// in block context, a node may start there.
    fn line_start(&mut self, bytes: &[u8], mut at: usize) -> usize {
        self.indent = 0;
        while bytes.get(at) == Some(&b' ') {
            self.indent += 1;
            self.column += 1;
            at += 1;
        }
        if self.flow == 0 && self.quote.is_none() {
            self.node_start = true;
        }
        at
    }

    /// Where a block scalar starting at `at` ends: at the first line after it that is
    /// neither blank nor more indented than the line it starts on.
    fn block_scalar_end(&mut self, bytes: &[u8], at: usize) -> usize {
        let parent = self.indent;
        let mut end = line_end(bytes, at);
        while end < bytes.len() {
            // `end` is at a line feed: look at the next line.
            let start = end + 1;
            let mut indent = 0;
            while bytes.get(start + indent) == Some(&b' ') {
                indent += 1;
            }
            let blank = matches!(bytes.get(start + indent), None | Some(b'\n' | b'\r'));
            if !blank && indent <= parent {
                break;
            }
            self.line += 1;
            end = line_end(bytes, start);
        }
        end
    }
}

/// The position of the line feed ending the line `at` is in (or the end of the text).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| at + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn flow_collections_deeper_than_the_limit_are_found_where_they_open() {
        let text = format!("a:\n  b: {}\n", nested(MAX_DEPTH + 1));
        assert_eq!(yaml_flow_too_deep(&text), Some((2, 6 + MAX_DEPTH)));
        let text = format!("a: {}\n", "{a: ".repeat(MAX_DEPTH + 1));
        assert_eq!(yaml_flow_too_deep(&text), Some((1, 4 + 4 * MAX_DEPTH)));
        assert_eq!(yaml_flow_too_deep(&nested(MAX_DEPTH)), None);
    }

    #[test]
    fn brackets_in_text_are_not_collections() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        for text in [
            // Plain scalars, quoted scalars (escapes, doubled quotes), comments.
            format!("a: see {deep}\n"),
            format!("a: \"{deep} \\\" {deep}\"\nb: '{deep}'' {deep}'\n"),
            format!("a: 1 # {deep}\n# {deep}\n"),
            format!("a: [\"{deep}\", '{deep}']\nb: {{\"k\":\"{deep}\"}}\n"),
            // Block scalars, whatever their lines hold.
            format!("a: |\n  {deep}\n\n    {deep}\nb: >-\n  {deep}\n"),
            format!("- !tag |\n  {deep}\n"),
        ] {
            assert_eq!(yaml_flow_too_deep(&text), None, "{text}");
        }
        // What follows a block scalar is read again.
        let text = format!("a: |\n  text\nb: {}\n", nested(MAX_DEPTH + 1));
        assert_eq!(yaml_flow_too_deep(&text), Some((3, 4 + MAX_DEPTH)));
    }
}
