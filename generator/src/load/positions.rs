//! Where a JSON pointer lies in a document's text: the line and column a diagnostic names,
//! so that editors can jump to it.
//!
//! Positions are worked out only for the documents that have diagnostics, after the fact,
//! by a second read of the text: JSON by a scanner that skips what no pointer asked for
//! reaches, YAML through the events of `yaml-rust2`'s parser, which carry their marks (the
//! YAML reader the pipeline uses, serde_yaml, keeps no positions).

use std::collections::{BTreeMap, BTreeSet};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use super::Source;
use crate::diagnostics::{pointer_push, Diagnostics};

/// A line and a column, both counted from 1 (the column in characters).
pub type Position = (usize, usize);

/// Gives each diagnostic about one of `sources` the line and column of its pointer.
pub fn locate(diags: &mut Diagnostics, sources: &[&Source]) {
    for source in sources {
        let pointers = diags.pointers_in(&source.path);
        if pointers.is_empty() {
            continue;
        }
        let found = positions(&source.text, super::is_json(source), &pointers);
        diags.place(&source.path, &found);
    }
}

/// The position of each of `pointers` in `text`: of the key for a member of a map, of the
/// item for a member of a list. A pointer the text does not hold (a repair may name a key it
/// added) gets the position of the nearest enclosing part that is there.
pub fn positions(
    text: &str,
    json: bool,
    pointers: &BTreeSet<String>,
) -> BTreeMap<String, Position> {
    // Every prefix of a pointer asked for: only these are descended into.
    let mut wanted = BTreeSet::new();
    for pointer in pointers {
        let mut prefix = pointer.as_str();
        loop {
            wanted.insert(prefix.to_owned());
            match prefix.rfind('/') {
                Some(at) => prefix = &prefix[..at],
                None => break,
            }
        }
    }
    let mut found = BTreeMap::new();
    found.insert(String::new(), (1, 1));
    // The root is where the text starts: a document that failed to load, perhaps for being
    // too large or too deep, is not read again.
    if wanted.len() == 1 {
        return pointers.iter().map(|p| (p.clone(), (1, 1))).collect();
    }
    if json {
        let mut scanner = JsonScanner {
            text: text.as_bytes(),
            at: 0,
            line: 1,
            column: 1,
            wanted: &wanted,
            found: &mut found,
        };
        scanner.value("");
    } else {
        let mut receiver = YamlReceiver {
            wanted: &wanted,
            found: &mut found,
            stack: Vec::new(),
        };
        // A document serde_yaml read parses here too; should it not, positions stay as far
        // as they got. The events are read one by one (`Parser::load` recurses once per
        // level of nesting), up to the end of the first document.
        let mut parser = Parser::new_from_str(text);
        let mut complete = false;
        while let Ok((event, mark)) = parser.next_token() {
            if matches!(event, Event::DocumentEnd | Event::StreamEnd) {
                complete = true;
                break;
            }
            receiver.on_event(event, mark);
        }
        if !complete {
            block_keys(text, &wanted, &mut found);
        }
    }
    pointers
        .iter()
        .map(|pointer| {
            let mut prefix = pointer.as_str();
            let position = loop {
                if let Some(position) = found.get(prefix) {
                    break *position;
                }
                prefix = prefix.rfind('/').map_or("", |at| &prefix[..at]);
            };
            (pointer.clone(), position)
        })
        .collect()
}

/// Where yaml-rust2 stops short of the end (it refuses some YAML serde_yaml reads, such as a
/// flow mapping whose closing brace sits at its key's indentation), the keys of block
/// mappings not found yet are found by their lines: a key is the first line below its
/// parent's, within the parent's block, at the block's indentation, that starts with it.
fn block_keys(text: &str, wanted: &BTreeSet<String>, found: &mut BTreeMap<String, Position>) {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let is_content = |line: &str| {
        let trimmed = line.trim_start();
        !trimmed.is_empty() && !trimmed.starts_with('#')
    };
    // Parents before children: a set of pointers sorts a prefix first.
    for pointer in wanted {
        let Some((parent, token)) = pointer.rsplit_once('/') else {
            continue;
        };
        if found.contains_key(pointer) {
            continue;
        }
        let Some(&(parent_line, parent_column)) = found.get(parent) else {
            continue;
        };
        let token = token.replace("~1", "/").replace("~0", "~");
        // The root's keys start at the first line; another parent's below its own line.
        let (first, parent_indent) = if parent.is_empty() {
            (0, None)
        } else {
            (parent_line, Some(parent_column - 1))
        };
        let mut child_indent = None;
        for (i, line) in lines.iter().enumerate().skip(first) {
            if !is_content(line) {
                continue;
            }
            let at = indent(line);
            if parent_indent.is_some_and(|p| at <= p) {
                break;
            }
            let child = *child_indent.get_or_insert(at);
            let rest = &line[at..];
            let is_key = [
                format!("{token}:"),
                format!("\"{token}\":"),
                format!("'{token}':"),
            ]
            .iter()
            .any(|key| rest.starts_with(key.as_str()));
            if at == child && is_key {
                found.insert(pointer.clone(), (i + 1, at + 1));
                break;
            }
        }
    }
}

struct JsonScanner<'t, 'w> {
    text: &'t [u8],
    at: usize,
    line: usize,
    /// In characters: counted as the cursor moves, as minified JSON is one long line.
    column: usize,
    wanted: &'w BTreeSet<String>,
    found: &'w mut BTreeMap<String, Position>,
}

impl JsonScanner<'_, '_> {
    fn position(&self) -> Position {
        (self.line, self.column)
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn bump(&mut self) {
        match self.peek() {
            Some(b'\n') => {
                self.line += 1;
                self.column = 1;
            }
            // A byte continuing a UTF-8 character is not a character of its own.
            Some(b) if b & 0xC0 == 0x80 => {}
            Some(_) => self.column += 1,
            None => {}
        }
        self.at += 1;
    }

    fn whitespace(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.bump();
        }
    }

    /// A string, returned unescaped when `keep` (object keys on a wanted path).
    fn string(&mut self, keep: bool) -> String {
        let start = self.at + 1;
        self.bump();
        while let Some(b) = self.peek() {
            match b {
                b'\\' => {
                    self.bump();
                    self.bump();
                }
                b'"' => break,
                _ => self.bump(),
            }
        }
        let raw = &self.text[start..self.at.min(self.text.len())];
        self.bump();
        if !keep {
            return String::new();
        }
        let quoted = [b"\"", raw, b"\""].concat();
        serde_json::from_slice(&quoted)
            .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
    }

    /// Reads the value at the cursor, which lies at `pointer`, descending only into values
    /// on the way to a pointer asked for: their depth is that of a pointer, while the text
    /// around them may nest as deep as it likes (the load error of a document nested too
    /// deep is located here too).
    fn value(&mut self, pointer: &str) {
        self.whitespace();
        if !self.wanted.contains(pointer) {
            self.skip();
            return;
        }
        match self.peek() {
            Some(b'{') => {
                self.bump();
                loop {
                    self.whitespace();
                    match self.peek() {
                        Some(b'"') => {}
                        Some(b',') => {
                            self.bump();
                            continue;
                        }
                        _ => break,
                    }
                    let position = self.position();
                    let child = pointer_push(pointer, &self.string(true));
                    if self.wanted.contains(&child) {
                        self.found.insert(child.clone(), position);
                    }
                    self.whitespace();
                    if self.peek() == Some(b':') {
                        self.bump();
                    }
                    self.value(&child);
                }
                self.bump();
            }
            Some(b'[') => {
                self.bump();
                let mut index = 0;
                loop {
                    self.whitespace();
                    match self.peek() {
                        // A `}` here is text that is not JSON (the document was refused): the
                        // list ends at it, since no value starts there and the loop would
                        // never move on.
                        Some(b']' | b'}') | None => break,
                        Some(b',') => {
                            self.bump();
                            continue;
                        }
                        _ => {}
                    }
                    let child = pointer_push(pointer, &index.to_string());
                    if self.wanted.contains(&child) {
                        let position = self.position();
                        self.found.insert(child.clone(), position);
                    }
                    self.value(&child);
                    index += 1;
                }
                self.bump();
            }
            _ => self.skip(),
        }
    }

    /// Moves past the value at the cursor, counting brackets rather than recursing.
    fn skip(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.string(false);
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.bump();
                }
                // The bracket closing the container around the value.
                b'}' | b']' if depth == 0 => return,
                b'}' | b']' => {
                    depth -= 1;
                    self.bump();
                }
                b',' if depth == 0 => return,
                _ if depth == 0 && b.is_ascii_whitespace() => return,
                // A scalar's bytes, or anything inside a container.
                _ => {
                    self.bump();
                    continue;
                }
            }
            if depth == 0 {
                return;
            }
        }
    }
}

enum Container {
    /// A map, with the key whose value comes next (`None`: a key comes next).
    Map(String, Option<String>),
    /// A list, with the index of the item that comes next.
    List(String, usize),
}

struct YamlReceiver<'w> {
    wanted: &'w BTreeSet<String>,
    found: &'w mut BTreeMap<String, Position>,
    stack: Vec<Container>,
}

impl YamlReceiver<'_> {
    /// The pointer of the value that starts now, recording where a list item starts.
    fn value_pointer(&mut self, mark: Marker) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(Container::Map(pointer, Some(key))) => pointer_push(pointer, key),
            Some(Container::Map(pointer, None)) => pointer.clone(),
            Some(Container::List(pointer, index)) => {
                let child = pointer_push(pointer, &index.to_string());
                if self.wanted.contains(&child) {
                    self.found
                        .insert(child.clone(), (mark.line(), mark.col() + 1));
                }
                child
            }
        }
    }

    /// A value ended: the container it was in moves on.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Container::Map(_, key)) => *key = None,
            Some(Container::List(_, index)) => *index += 1,
            None => {}
        }
    }
}

impl MarkedEventReceiver for YamlReceiver<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => {
                if let Some(Container::Map(pointer, key @ None)) = self.stack.last_mut() {
                    let child = pointer_push(pointer, &text);
                    if self.wanted.contains(&child) {
                        self.found.insert(child, (mark.line(), mark.col() + 1));
                    }
                    *key = Some(text);
                } else {
                    self.value_pointer(mark);
                    self.value_done();
                }
            }
            Event::Alias(_) => {
                self.value_pointer(mark);
                self.value_done();
            }
            Event::MappingStart(..) => {
                let pointer = self.value_pointer(mark);
                self.stack.push(Container::Map(pointer, None));
            }
            Event::SequenceStart(..) => {
                let pointer = self.value_pointer(mark);
                self.stack.push(Container::List(pointer, 0));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, json: bool, pointers: &[&str]) -> Vec<Position> {
        let set: BTreeSet<String> = pointers.iter().map(|p| (*p).to_owned()).collect();
        let found = positions(text, json, &set);
        pointers.iter().map(|p| found[*p]).collect()
    }

    #[test]
    fn yaml_keys_past_what_yaml_rust2_refuses_are_found_by_their_lines() {
        // A flow mapping closed at its key's indentation: serde_yaml reads it, yaml-rust2
        // stops there ("invalid indentation").
        let text = "a:\n  example: {\n    \"x\": 1\n  }\n  b: 1\nc:\n  d:\n    e: 2\n";
        assert_eq!(
            at(text, false, &["/a/example", "/c/d/e", "/c"]),
            [(2, 3), (8, 5), (6, 1)]
        );
    }

    #[test]
    fn json_keys_and_items_are_found_by_line_and_column() {
        let text = "{\n  \"a\": {\"b/c\": 1,\n   \"d\": [10, {\"é\": true}, 30]},\n  \"e\": 2\n}";
        assert_eq!(
            at(
                text,
                true,
                &["/a/b~1c", "/a/d/1/é", "/a/d/2", "/e", "/e/gone", ""]
            ),
            [(2, 9), (3, 15), (3, 27), (4, 3), (4, 3), (1, 1)]
        );
    }

    /// Found by `cargo xtask fuzz`: a `}` inside a list (a refused document, whose error is
    /// being located) kept the scanner in place for ever.
    #[test]
    fn a_brace_closing_a_list_ends_it() {
        assert_eq!(
            at("{\"a\": [1, }, \"b\": 2}", true, &["/a/0", "/b"]),
            [(1, 8), (1, 14)]
        );
    }

    #[test]
    fn json_nested_deeper_than_any_pointer_is_skipped_without_recursing() {
        let depth = 100_000;
        let text = format!("[[1, {}{}]]", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(at(&text, true, &["/0/1", "/0/0"]), [(1, 6), (1, 3)]);
    }

    #[test]
    fn yaml_keys_and_items_are_found_by_line_and_column() {
        let text = "a:\n  b/c: 1\n  d:\n    - 10\n    - {é: true}\n'200':\n  x: y\n";
        assert_eq!(
            at(
                text,
                false,
                &["/a/b~1c", "/a/d/1", "/a/d/1/é", "/200/x", "/a/zz"]
            ),
            [(2, 3), (5, 7), (5, 8), (7, 3), (1, 1)]
        );
    }
}
