//! Doc comments printed without syn and prettyplease reading their text: before an item's
//! tokens are parsed, the text of each doc attribute that prettyplease prints as a line
//! comment (`/// text`, `//! text`) is taken out and a short placeholder left in its
//! literal; after prettyplease has printed the item, each placeholder is replaced by its
//! text, made as `print::PlainDocs` and prettyplease would have made it.
//!
//! Docs are a fifth of a generated crate's text (GitHub's 13 MB description: 4.7 MB of
//! 25 MB), and a doc's literal was otherwise copied into syn's buffer, unescaped when syn
//! read it, written out again by `PlainDocs` and unescaped again by prettyplease. The
//! printed text is the same either way: prettyplease ends a line comment with a hard break
//! and starts it after one in the box of the item, field or variant it documents (always
//! broken), so the length of the comment's text decides no line break.

use proc_macro2::{Delimiter, Group, Literal, TokenTree};

use super::fits_a_comment;

/// What opens a placeholder, followed by the index of its text: a control character,
/// which nothing else prettyplease prints holds (a doc's text loses them, see `PlainDocs`,
/// and a literal's token escapes them).
const MARK: char = '\u{1}';

/// Whether a literal's token is a placeholder's (which `PlainDocs` leaves as it is).
pub(super) fn is_placeholder(token: &str) -> bool {
    token
        .strip_prefix("\"\\u{1}")
        .and_then(|rest| rest.strip_suffix('"'))
        .is_some_and(|index| !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()))
}

/// The texts taken out of the tokens of what is printed, by the index their placeholder
/// holds.
#[derive(Default)]
pub(super) struct Comments {
    texts: Vec<String>,
}

impl Comments {
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Forgets the texts taken out after the first `len`.
    pub fn truncate(&mut self, len: usize) {
        self.texts.truncate(len);
    }

    /// `trees` with a placeholder in each doc attribute that prettyplease prints as a line
    /// comment: those of the items, and of the fields, variants and members in their
    /// bodies, but not inside a function's body, an expression or a macro's input (left
    /// as they are: what is taken out must be read by syn as an attribute).
    pub fn take_out(&mut self, trees: impl IntoIterator<Item = TokenTree>) -> Vec<TokenTree> {
        let mut out = Vec::new();
        self.take_out_into(trees.into_iter(), &mut out);
        out
    }

    fn take_out_into(&mut self, trees: impl Iterator<Item = TokenTree>, out: &mut Vec<TokenTree>) {
        // Whether a `{..}` at this level holds items, fields or variants: not after `fn`
        // (a body), `=` (an expression) or `name!` (a macro's input), until the next
        // `;`, `,` or `{..}`.
        let mut bodies = true;
        // After `#` (false) or `#!` (true): an attribute's brackets may come next.
        let mut attribute = None;
        // The text of the placeholder just written, which the docs that follow it join
        // (one placeholder for a run of lines), and whether it is an inner doc.
        let mut run: Option<(usize, bool)> = None;
        for tree in trees {
            let tree = match tree {
                TokenTree::Group(group) => {
                    let delimiter = group.delimiter();
                    let tree = match (delimiter, attribute.take()) {
                        (Delimiter::Bracket, Some(inner)) => match self.attribute(group, inner) {
                            Attribute::Doc(text, name, eq) => match run {
                                Some((index, same)) if same == inner => {
                                    // Joins the run: its `#` (and `!`) go.
                                    out.truncate(out.len() - 1 - usize::from(inner));
                                    let joined = &mut self.texts[index];
                                    joined.push('\n');
                                    joined.push_str(&text);
                                    continue;
                                }
                                _ => {
                                    let index = self.texts.len();
                                    self.texts.push(text);
                                    run = Some((index, inner));
                                    out.push(placeholder(index, name, eq));
                                    continue;
                                }
                            },
                            Attribute::Other(tree) => tree,
                        },
                        (Delimiter::Brace, None) if bodies => {
                            let (span, stream) = (group.span(), group.stream());
                            // Dropped first, so the stream is the only holder of its trees
                            // and gives them up without copying them.
                            drop(group);
                            let mut trees = Vec::new();
                            self.take_out_into(stream.into_iter(), &mut trees);
                            let mut group = Group::new(delimiter, trees.into_iter().collect());
                            group.set_span(span);
                            TokenTree::Group(group)
                        }
                        _ => TokenTree::Group(group),
                    };
                    if delimiter == Delimiter::Brace {
                        bodies = true;
                    }
                    tree
                }
                TokenTree::Punct(punct) => {
                    let previous = out.last();
                    attribute = match punct.as_char() {
                        '#' => Some(false),
                        '!' if attribute == Some(false) => Some(true),
                        _ => None,
                    };
                    match punct.as_char() {
                        ';' | ',' => bodies = true,
                        '=' => bodies = false,
                        '!' if matches!(previous, Some(TokenTree::Ident(_))) => bodies = false,
                        _ => {}
                    }
                    if attribute.is_none() {
                        run = None;
                    }
                    TokenTree::Punct(punct)
                }
                TokenTree::Ident(word) => {
                    attribute = None;
                    run = None;
                    if word == "fn" {
                        bodies = false;
                    }
                    TokenTree::Ident(word)
                }
                literal @ TokenTree::Literal(_) => {
                    attribute = None;
                    run = None;
                    literal
                }
            };
            // What is not a doc ends a run.
            if matches!(tree, TokenTree::Group(_)) {
                run = None;
            }
            out.push(tree);
        }
    }

    /// An attribute's brackets: the text of a doc that prints as a line comment, or the
    /// brackets as they were.
    fn attribute(&mut self, group: Group, inner: bool) -> Attribute {
        let (span, stream) = (group.span(), group.stream());
        drop(group);
        let mut trees = stream.into_iter();
        let head = [trees.next(), trees.next(), trees.next(), trees.next()];
        if let [Some(TokenTree::Ident(name)), Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(literal)), None] =
            &head
        {
            if name == "doc" && eq.as_char() == '=' {
                if let Some(text) = comment_text(literal.to_string(), inner) {
                    let [Some(name), Some(eq), _, _] = head else {
                        unreachable!("matched above");
                    };
                    return Attribute::Doc(text, name, eq);
                }
            }
        }
        let mut group = Group::new(
            Delimiter::Bracket,
            head.into_iter().flatten().chain(trees).collect(),
        );
        group.set_span(span);
        Attribute::Other(TokenTree::Group(group))
    }

    /// The text prettyplease printed, each placeholder replaced by its lines (each after
    /// the same indentation and `///` or `//!` as the first); an error for a placeholder
    /// that holds no index of a text taken out (a generator bug).
    pub fn put_back(&self, printed: String) -> syn::Result<String> {
        if !printed.contains(MARK) {
            return Ok(printed);
        }
        let mut out = String::with_capacity(printed.len() * 2);
        let mut rest = printed.as_str();
        while let Some(at) = rest.find(MARK) {
            out.push_str(&rest[..at]);
            let after = &rest[at + MARK.len_utf8()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let text = after[..digits]
                .parse::<usize>()
                .ok()
                .and_then(|index| self.texts.get(index))
                .ok_or_else(|| {
                    syn::Error::new(
                        proc_macro2::Span::call_site(),
                        format!("a doc comment's placeholder holds no text taken out:\n{printed}"),
                    )
                })?;
            match text.split_once('\n') {
                None => out.push_str(text),
                Some((first, more)) => {
                    // The indentation and `///` (or `//!`) before the placeholder.
                    let lead = out[out.rfind('\n').map_or(0, |n| n + 1)..].to_owned();
                    out.push_str(first);
                    for line in more.split('\n') {
                        out.push('\n');
                        out.push_str(&lead);
                        out.push_str(line);
                    }
                }
            }
            rest = &after[digits..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// An attribute's brackets, read.
enum Attribute {
    /// A doc that prints as a line comment: its text, and the `doc` and `=` of its
    /// brackets.
    Doc(String, TokenTree, TokenTree),
    Other(TokenTree),
}

/// The brackets of a doc attribute holding the placeholder of text `index`.
fn placeholder(index: usize, name: TokenTree, eq: TokenTree) -> TokenTree {
    let span = name.span();
    let literal = TokenTree::Literal(Literal::string(&format!("{MARK}{index}")));
    let mut group = Group::new(
        Delimiter::Bracket,
        [name, eq, literal].into_iter().collect(),
    );
    group.set_span(span);
    TokenTree::Group(group)
}

/// The text of a doc attribute whose literal's token is `token`, as prettyplease prints it
/// after `///` (or `//!` when `inner`) once `PlainDocs` has made it fit for a comment;
/// `None` for a doc that prints otherwise (as a block comment or an attribute: it holds a
/// line break, or an outer doc starts with `/`) or a literal this does not read (a raw
/// string, an escape the generator's literals do not hold), which are left as they are.
fn comment_text(mut token: String, inner: bool) -> Option<String> {
    // A raw string (`r"..."`, `r#"..."#`: a `///` comment inside `quote!`) holds its value
    // as it is written; a cooked one may hold escapes.
    let hashes = match token.strip_prefix('r') {
        Some(raw) => raw.bytes().take_while(|b| *b == b'#').count() + 1,
        None => 0,
    };
    let quoted = token
        .get(hashes..token.len().checked_sub(hashes.saturating_sub(1))?)?
        .strip_prefix('"')?
        .strip_suffix('"')?;
    let value = if hashes == 0 && quoted.contains('\\') {
        unescaped(quoted)?
    } else {
        // The token's own text, its quotes (and `r#`) cut off.
        let start = quoted.as_ptr() as usize - token.as_ptr() as usize;
        let end = start + quoted.len();
        token.truncate(end);
        token.drain(..start);
        token
    };
    // As `PlainDocs` makes it (`plain_doc`), where it holds anything that changes.
    let mut plain = if value.bytes().all(|b| (b' '..=b'~').contains(&b))
        || !value.contains(|c: char| c == '\t' || !fits_a_comment(c))
    {
        value
    } else {
        super::print::plain_doc(&value)
    };
    if plain.contains('\n') || (!inner && plain.starts_with('/')) {
        return None;
    }
    plain.truncate(plain.trim_end_matches(' ').len());
    Some(plain)
}

/// The value of a string literal's text between its quotes, for the escapes a literal
/// built from a string holds (`proc_macro2::Literal::string`: `\"`, `\\`, `\n`, `\r`,
/// `\t`, `\0`, `\x00`, `\u{..}`) and `\'`; `None` for any other.
fn unescaped(quoted: &str) -> Option<String> {
    let mut value = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        value.push(match chars.next()? {
            '"' => '"',
            '\\' => '\\',
            '\'' => '\'',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '0' => '\0',
            'x' => {
                let digits = chars.as_str().get(..2)?;
                let byte = u8::from_str_radix(digits, 16).ok().filter(u8::is_ascii)?;
                chars.nth(1);
                char::from(byte)
            }
            'u' => {
                let rest = chars.as_str().strip_prefix('{')?;
                let end = rest.find('}')?;
                let code = u32::from_str_radix(&rest[..end], 16).ok()?;
                chars = rest[end + 1..].chars();
                char::from_u32(code)?
            }
            _ => return None,
        });
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_read_as_syn_reads_them() {
        for text in [
            "plain",
            "\"quoted\" and \\ back",
            "tab\there, nul\0 then\x007 \0",
            "\u{1}\u{7f}\u{202e}é漢🦀 it's",
            "a\r\nb",
        ] {
            let token = Literal::string(text).to_string();
            let quoted = &token[1..token.len() - 1];
            assert_eq!(unescaped(quoted).as_deref(), Some(text), "{token}");
        }
        assert_eq!(unescaped(r"\q"), None);
        assert_eq!(
            comment_text(r##"r#"raw \ "text" "#"##.to_owned(), false).as_deref(),
            Some(r#"raw \ "text""#)
        );
        assert_eq!(
            comment_text(r#"" a\tb  ""#.to_owned(), false).as_deref(),
            Some(" a    b")
        );
        assert_eq!(comment_text(r#""/a""#.to_owned(), false), None);
        assert_eq!(
            comment_text(r#""/a""#.to_owned(), true).as_deref(),
            Some("/a")
        );
        assert_eq!(comment_text(r#""a\nb""#.to_owned(), false), None);
        assert_eq!(unescaped(r"\u{110000}"), None);
        assert_eq!(unescaped(r"\x80"), None);
    }

    #[test]
    fn docs_are_taken_out_one_placeholder_a_run_but_not_from_bodies_or_macros() {
        let mut comments = Comments::default();
        let tokens = comments.take_out(quote::quote! {
            #[doc = " a"]
            #[doc = " b"]
            #[cfg(x)]
            #[doc = " c"]
            pub struct S { #[doc = " d"] x: u8 }
            fn f() { #[doc = " e"] struct L; }
            m! { #[doc = " f"] struct M; }
        });
        assert_eq!(comments.texts, [" a\n b", " c", " d"]);
        let text = proc_macro2::TokenStream::from_iter(tokens).to_string();
        assert!(
            !text.contains("\" a\"") && !text.contains("\" d\""),
            "{text}"
        );
        assert!(text.contains("\" e\"") && text.contains("\" f\""), "{text}");
        let printed = format!("    ///{MARK}0\n    #[cfg(x)]\n    ///{MARK}1\n");
        assert_eq!(
            comments.put_back(printed).unwrap(),
            "    /// a\n    /// b\n    #[cfg(x)]\n    /// c\n"
        );
        assert!(comments.put_back(format!("///{MARK}7\n")).is_err());
        let literal = |text: &str| Literal::string(text).to_string();
        assert!(is_placeholder(&literal(&format!("{MARK}12"))));
        assert!(!is_placeholder(&literal(&format!("{MARK} a doc"))));
    }
}
