//! Printing the crate's Rust files: each file's tokens are cut into items, each item parsed
//! with syn (a generator bug becomes an [`EmitError`], never a broken crate on disk), printed
//! by prettyplease and appended to the file's text; the files are printed on two threads and
//! handed on one by one as they are done.
//!
//! Memory and time stay in proportion to one item, never to a file: the items of a file are
//! cut apart on the tokens themselves (syn would copy the whole file's tokens into its buffer
//! before reading the first), and an `impl`, trait or module is printed a member at a time
//! (a server trait or an `impl Client` of 20,000 methods is one item).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote;
use syn::visit_mut::VisitMut;

use super::comments::{self, Comments};
use super::{fits_a_comment, EmitError};
use crate::GeneratedFile;

/// A file of the crate: written, or Rust still to build and print.
pub(super) enum File<'a> {
    Done(GeneratedFile),
    /// Builds the file's Rust, handing it to the function it is given in parts of whole
    /// items, each printed before the next is built (a blank line between parts, as between
    /// items); returns the `use` declarations that go after the first part (the file's
    /// docs), gathered while the rest was built.
    Rust(String, Box<Emit<'a>>),
}

type Emit<'a> = dyn Fn(&mut dyn FnMut(TokenStream)) -> TokenStream + Sync + 'a;

impl<'a> File<'a> {
    /// A file built in one part.
    pub(super) fn rust(path: &str, tokens: impl Fn() -> TokenStream + Sync + 'a) -> Self {
        File::Rust(
            path.to_owned(),
            Box::new(move |out| {
                out(tokens());
                TokenStream::new()
            }),
        )
    }
}

/// Builds and prints the Rust files (most of the generator's time is here) on two threads,
/// each file on one, handing each file to `done` with its place in `files` as it is finished.
/// Every file is printed even when one fails; the error returned is that of the first
/// failing file in `files`' order, whichever thread met it first.
pub(super) fn render(
    files: Vec<File<'_>>,
    stamp: &str,
    done: &(dyn Fn(usize, GeneratedFile) + Sync),
) -> Result<(), EmitError> {
    let next = AtomicUsize::new(0);
    let failed: Mutex<Option<(usize, EmitError)>> = Mutex::new(None);
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(file) = files.get(i) else {
            return;
        };
        match print(file, stamp) {
            Ok(file) => done(i, file),
            Err(e) => {
                let mut failed = failed.lock().unwrap_or_else(PoisonError::into_inner);
                if failed.as_ref().is_none_or(|(first, _)| i < *first) {
                    *failed = Some((i, e));
                }
            }
        }
    };
    // Two at most: `types.rs` alone is a third to a half of the work, so more threads gain
    // little time, and each holds a file's tokens and its own allocator heap (GitHub's spec,
    // before `types.rs` was built a definition at a time: 89 MB peak on one thread, 144 MB
    // on two, 200+ MB on eight).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    std::thread::scope(|scope| {
        // Printing recurses once per level of a nested type, as the pipeline's stages do.
        let helpers: Vec<_> = (1..threads)
            .map(|_| crate::spawn_pipeline(scope, work))
            .collect();
        work();
        helpers.into_iter().for_each(crate::join);
    });
    match failed.into_inner().unwrap_or_else(PoisonError::into_inner) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// The file, its Rust built, parsed (a generator bug is an error here) and printed.
fn print(file: &File<'_>, stamp: &str) -> Result<GeneratedFile, EmitError> {
    let (path, emit) = match file {
        File::Done(file) => return Ok(file.clone()),
        File::Rust(path, emit) => (path.as_str(), emit),
    };
    let mut contents = stamp.to_owned();
    let mut failed = None;
    let mut first_part_end = None;
    let imports = emit(&mut |tokens| {
        if failed.is_none() {
            if first_part_end.is_some() {
                contents.push('\n');
            }
            failed = print_part(tokens, &mut contents).err();
        }
        first_part_end.get_or_insert(contents.len());
    });
    if failed.is_none() && !imports.is_empty() {
        // The imports, a block of their own after the file's docs.
        let mut text = "\n".to_owned();
        failed = print_part(imports, &mut text).err();
        contents.insert_str(first_part_end.unwrap_or(contents.len()), &text);
    }
    if let Some(e) = failed {
        return Err(EmitError {
            file: path.to_owned(),
            message: e.to_string(),
        });
    }
    Ok(GeneratedFile {
        path: path.to_owned(),
        contents,
    })
}

/// Prints a part of a file into `out` an item at a time, as prettyplease prints the whole
/// part: inner attributes at its start, then its items, separated by a blank line as a
/// person writes them, but for a run of `use` or of `mod name;` declarations, which stay
/// together.
fn print_part(tokens: TokenStream, out: &mut String) -> syn::Result<()> {
    let mut trees = Trees::new(tokens);
    let mut attrs = Some(inner_attributes(&mut trees));
    let mut previous = None;
    while let Some(mut item) = next_item(&mut trees) {
        let attrs = attrs.take().unwrap_or_default();
        if has_members(&item) {
            if previous.is_some() {
                out.push('\n');
            }
            previous = Some(None);
            let Some(TokenTree::Group(body)) = item.pop() else {
                unreachable!("has_members found the body last");
            };
            print_members(&attrs, &item, body, out)?;
            continue;
        }
        let mut comments = Comments::default();
        let tokens = comments.take_out(attrs.into_iter().chain(item));
        let mut file: syn::File = syn::parse2(tokens.into_iter().collect())?;
        PlainDocs.visit_file_mut(&mut file);
        let items = std::mem::take(&mut file.items);
        for item in items {
            let kind = grouped_kind(&item);
            if previous.is_some() && (kind.is_none() || kind != previous.flatten()) {
                out.push('\n');
            }
            previous = Some(kind);
            file.items.push(item);
            push_spaced(out, &comments.put_back(prettyplease::unparse(&file))?);
            file.attrs.clear();
            file.items.clear();
        }
    }
    // A part of inner attributes alone.
    if let Some(attrs) = attrs.filter(|attrs| !attrs.is_empty()) {
        let mut comments = Comments::default();
        let tokens = comments.take_out(attrs);
        let mut file: syn::File = syn::parse2(tokens.into_iter().collect())?;
        PlainDocs.visit_file_mut(&mut file);
        push_spaced(out, &comments.put_back(prettyplease::unparse(&file))?);
    }
    Ok(())
}

/// Token trees read one by one, with a look ahead.
pub(super) struct Trees {
    trees: proc_macro2::token_stream::IntoIter,
    ahead: std::collections::VecDeque<TokenTree>,
}

impl Trees {
    pub fn new(tokens: TokenStream) -> Self {
        Trees {
            trees: tokens.into_iter(),
            ahead: std::collections::VecDeque::new(),
        }
    }

    /// The next `n` trees (fewer at the end), left where they are.
    pub fn ahead(&mut self, n: usize) -> &[TokenTree] {
        if n > 0 {
            self.peek(n - 1);
        }
        let ahead = self.ahead.make_contiguous();
        &ahead[..n.min(ahead.len())]
    }

    /// The tree `n` places ahead.
    fn peek(&mut self, n: usize) -> Option<&TokenTree> {
        while self.ahead.len() <= n {
            self.ahead.push_back(self.trees.next()?);
        }
        self.ahead.get(n)
    }
}

impl Iterator for Trees {
    type Item = TokenTree;

    fn next(&mut self) -> Option<TokenTree> {
        self.ahead.pop_front().or_else(|| self.trees.next())
    }
}

fn is_punct(tree: Option<&TokenTree>, c: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

/// The inner attributes (`#![..]`) at the start of `trees`, taken out of it.
fn inner_attributes(trees: &mut Trees) -> Vec<TokenTree> {
    let mut attrs = Vec::new();
    while is_punct(trees.peek(0), '#') && is_punct(trees.peek(1), '!') {
        attrs.extend(trees.by_ref().take(3));
    }
    attrs
}

/// What may start an item (after a `}` that ends the one before).
const ITEM_KEYWORDS: &[&str] = &[
    "async",
    "const",
    "enum",
    "extern",
    "fn",
    "impl",
    "macro_rules",
    "mod",
    "pub",
    "static",
    "struct",
    "trait",
    "type",
    "union",
    "unsafe",
    "use",
];

/// The tokens of the next item of `trees`: up to a `;` outside any bracket, or a `{..}`
/// followed by the start of another item (an attribute or an item's keyword) or by
/// nothing. A `{..}` followed by anything else is inside the item (a struct literal in a
/// `const`), and an item that starts with a word not listed (a macro's name) stays with
/// the one before: syn reads the tokens as items either way, so a cut can come late but
/// never early.
fn next_item(trees: &mut Trees) -> Option<Vec<TokenTree>> {
    let mut item = Vec::new();
    while let Some(tree) = trees.next() {
        let ends = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && match trees.peek(0) {
                        None => true,
                        Some(TokenTree::Punct(p)) => p.as_char() == '#',
                        Some(TokenTree::Ident(word)) => {
                            ITEM_KEYWORDS.iter().any(|keyword| word == keyword)
                        }
                        Some(_) => false,
                    }
            }
            _ => false,
        };
        item.push(tree);
        if ends {
            break;
        }
    }
    (!item.is_empty()).then_some(item)
}

/// The items of `tokens`, cut as [`next_item`] cuts them: exactly where every item starts
/// with an attribute or a listed keyword, as the generator's own items do.
pub(super) fn items(tokens: TokenStream) -> impl Iterator<Item = Vec<TokenTree>> {
    let mut trees = Trees::new(tokens);
    std::iter::from_fn(move || next_item(&mut trees))
}

/// Whether the item is an `impl`, trait or module with members in its body, last.
fn has_members(item: &[TokenTree]) -> bool {
    let Some((TokenTree::Group(body), header)) = item.split_last() else {
        return false;
    };
    if body.delimiter() != Delimiter::Brace || body.stream().is_empty() {
        return false;
    }
    let mut words = header.iter();
    while let Some(word) = words.next() {
        match word {
            // An attribute (its brackets next), and the visibility's `(crate)`.
            TokenTree::Punct(p) if p.as_char() == '#' => {
                words.next();
            }
            TokenTree::Group(_) => {}
            TokenTree::Ident(word) if word == "pub" || word == "unsafe" => {}
            TokenTree::Ident(word) => return word == "impl" || word == "trait" || word == "mod",
            _ => return false,
        }
    }
    false
}

/// How many members an item may have and be printed whole, not a member at a time.
const WHOLE_MEMBERS: usize = 8;

/// The member that stands for all in the frame an item's members are printed in.
const MARKER: &str = "__OPENAPI_GEN_MEMBERS";

/// Prints an `impl`, trait or module a member at a time (but for one of a few members,
/// printed whole): each member inside a copy of the item that holds only it, the copy's
/// frame (the text before and after the member) cut off. The frame is the text prettyplease prints around a lone marker member; each member
/// is printed with a line break before and after, as prettyplease prints the whole item.
fn print_members(
    attrs: &[TokenTree],
    header: &[TokenTree],
    body: Group,
    out: &mut String,
) -> syn::Result<()> {
    let body_span = body.span();
    let stream = body.stream();
    // Dropped first, so the stream is the only holder of its trees and gives them up
    // without copying them.
    drop(body);
    let mut trees = Trees::new(stream);
    // The item's docs and its body's are taken out once, for every frame.
    let mut comments = Comments::default();
    let attrs = comments.take_out(attrs.iter().cloned());
    let header = comments.take_out(header.iter().cloned());
    let body_attrs = comments.take_out(inner_attributes(&mut trees));
    let frame_comments = comments.len();
    let mut framed = |member: Vec<TokenTree>| -> syn::Result<String> {
        comments.truncate(frame_comments);
        let member = comments.take_out(member);
        let mut group = Group::new(
            Delimiter::Brace,
            body_attrs.iter().cloned().chain(member).collect(),
        );
        group.set_span(body_span);
        let tokens = attrs
            .iter()
            .chain(&header)
            .cloned()
            .chain([TokenTree::Group(group)])
            .collect();
        let mut file: syn::File = syn::parse2(tokens)?;
        PlainDocs.visit_file_mut(&mut file);
        comments.put_back(prettyplease::unparse(&file))
    };
    // A few members are printed with the item, as one: framing each costs a parse and a
    // print of the frame besides (most impls, a serde impl of a type, hold one or two).
    // Only that many are read ahead, so a long item's members are still let go one by one.
    let mut first = Vec::new();
    while first.len() <= WHOLE_MEMBERS {
        let Some(member) = next_item(&mut trees) else {
            let printed = framed(first.into_iter().flatten().collect())?;
            push_spaced(out, &printed);
            return Ok(());
        };
        first.push(member);
    }
    let marker = syn::Ident::new(MARKER, proc_macro2::Span::call_site());
    let frame = framed(quote!(const #marker: () = ();).into_iter().collect())?;
    let line = format!("\n    const {MARKER}: () = ();\n");
    let at = frame.rfind(&line).ok_or_else(|| misframed(&frame))?;
    let (before, after) = (&frame[..at + 1], &frame[at + line.len()..]);
    push_spaced(out, before);
    let rest = std::iter::from_fn(|| next_item(&mut trees));
    for member in first.into_iter().chain(rest) {
        let printed = framed(member)?;
        let inside = printed
            .strip_prefix(before)
            .and_then(|text| text.strip_suffix(after))
            .ok_or_else(|| misframed(&printed))?;
        push_spaced(out, inside);
    }
    push_spaced(out, after);
    Ok(())
}

/// A member printed in another frame than the marker: prettyplease printed the item's own
/// text around it differently, which printing by members assumes it never does.
fn misframed(printed: &str) -> syn::Error {
    syn::Error::new(
        proc_macro2::Span::call_site(),
        format!("an item's members do not print inside the same frame:\n{printed}"),
    )
}

/// Makes every doc attribute's text fit for the comment prettyplease prints it as: a doc
/// may hold text from anywhere in a spec (names, paths, enum values, patterns, titles), and
/// rustc refuses a bare CR or a bidirectional formatting character in a comment. String
/// literals need nothing: their tokens escape both (`\u{202e}`), so the value on the wire
/// stays exact.
struct PlainDocs;

impl VisitMut for PlainDocs {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        let syn::Meta::NameValue(doc) = &mut attr.meta else {
            return;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &mut doc.value
        else {
            return;
        };
        if !doc.path.is_ident("doc") {
            return;
        }
        // What may not stand in a comment is escaped in the literal's token, or written
        // raw in a raw string: most docs have neither and are left as they are.
        let written = text.token().to_string();
        if !written.contains(|c: char| c == '\\' || c == '\t' || !fits_a_comment(c))
            || comments::is_placeholder(&written)
        {
            return;
        }
        // A line break a doc was built with stays (prettyplease makes it a block comment);
        // a CR from a name or a value inside the line goes, a tab is four spaces (see
        // `doc_lines`).
        let value = text.value();
        let plain = plain_doc(&value);
        if plain != value {
            *text = syn::LitStr::new(&plain, text.span());
        }
    }
}

/// A doc's text made fit for a comment, as [`PlainDocs`] makes it: a tab is four spaces,
/// what may not stand in a comment goes, a line break stays.
pub(super) fn plain_doc(value: &str) -> String {
    value
        .replace('\t', "    ")
        .chars()
        .filter(|c| *c == '\n' || fits_a_comment(*c))
        .collect()
}

/// What an item nested in another starts with, as prettyplease prints it.
const ITEM_STARTS: &[&str] = &[
    "///",
    "#[",
    "pub ",
    "pub(",
    "fn ",
    "async fn ",
    "impl",
    "const ",
    "type ",
    "struct ",
    "enum ",
    "trait ",
    "mod ",
    "unsafe ",
];

/// Appends prettyplease's text with a blank line between the items nested in another (the
/// methods of an impl or a trait, the items of a module), which prettyplease prints back to
/// back: where a line ends one (`}`, `{}`, or `;` after a declaration) and the next line,
/// at the same indentation, starts another. The text may continue a line of `out`'s.
fn push_spaced(out: &mut String, text: &str) {
    let carried = out[..out.len().saturating_sub(1)]
        .rfind('\n')
        .map_or(&out[..], |at| &out[at + 1..])
        .to_owned();
    let mut previous = Some(carried.as_str()).filter(|line| !line.is_empty());
    // The text is written in runs, a blank line between two.
    let (mut written, mut at) = (0, 0);
    for line in text.split_inclusive('\n') {
        if previous.is_some_and(|before| starts_another(before, line)) {
            out.push_str(&text[written..at]);
            out.push('\n');
            written = at;
        }
        at += line.len();
        previous = Some(line);
    }
    out.push_str(&text[written..]);
}

/// Whether `line` starts an item nested in another where the line `before` it ends one.
fn starts_another(before: &str, line: &str) -> bool {
    let ended = before.trim_end();
    // What every line that ends an item ends with, checked first: most lines do not.
    if !ended.ends_with(['}', ';']) {
        return false;
    }
    let code = line.trim_start();
    let indent = line.len() - code.len();
    let code_before = ended.trim_start();
    let closes = !code_before.starts_with("//")
        && (code_before == "}" || ended.ends_with("{}") || ended.ends_with(';'));
    indent > 0
        && closes
        && before.len() - before.trim_start().len() == indent
        && ITEM_STARTS.iter().any(|start| code.starts_with(start))
}

/// The kinds of item a run of which is written without blank lines between them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Grouped {
    Use,
    Mod,
}

fn grouped_kind(item: &syn::Item) -> Option<Grouped> {
    match item {
        syn::Item::Use(_) => Some(Grouped::Use),
        syn::Item::Mod(module) if module.content.is_none() => Some(Grouped::Mod),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text `print_part` gives for `tokens`.
    fn printed(tokens: TokenStream) -> String {
        let mut out = String::new();
        print_part(tokens, &mut out).unwrap();
        out
    }

    /// The part printed as it was before items were cut on their tokens and members
    /// printed one by one: the whole part parsed, each item printed whole.
    fn whole(tokens: TokenStream) -> String {
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        PlainDocs.visit_file_mut(&mut file);
        let mut out = String::new();
        let mut previous = None;
        for item in std::mem::take(&mut file.items) {
            let kind = grouped_kind(&item);
            if previous.is_some() && (kind.is_none() || kind != previous.flatten()) {
                out.push('\n');
            }
            previous = Some(kind);
            file.items.push(item);
            push_spaced(&mut out, &prettyplease::unparse(&file));
            file.attrs.clear();
            file.items.clear();
        }
        out
    }

    #[test]
    fn members_print_as_prettyplease_prints_the_whole_item() {
        let methods = (0..40).map(|i| {
            let name = quote::format_ident!("method_{i}");
            let long = "x".repeat(i * 3);
            quote! {
                /// A method.
                #[cfg(feature = "client")]
                pub fn #name<T: Clone>(&self, value: T) -> Result<Vec<T>, String> where T: Send {
                    let long = #long;
                    if long.len() > 10 { Ok(vec![value.clone(), value.clone(), value.clone(), value]) } else { Err(long.to_owned()) }
                }
            }
        });
        let tokens = quote! {
            #[doc = " The client."]
            impl<'a, T> Client<'a, T> where T: Clone + Send + Sync + 'static, 'a: 'static {
                #![allow(clippy::too_many_arguments)]
                const LIMIT: usize = 3;
                #(#methods)*
                type Out = ();
            }
            pub trait Server: Send + Sync + 'static {
                fn a(&self) -> impl Future<Output = Result<Response, Problem>> + Send;
                fn b(&self, request: Request) -> impl Future<Output = Result<Response, Problem>> + Send { async { todo!() } }
            }
            pub mod rules {
                pub const A: Rules = Rules { min: 1 };
                pub static B: &[u8] = &[1, 2];
                impl X for Y {}
            }
        };
        let expected = whole(tokens.clone());
        assert_eq!(printed(tokens), expected);
        assert!(expected.contains("\n\n    /// A method."), "{expected}");
    }

    #[test]
    fn docs_kept_out_of_syn_print_as_prettyplease_prints_them() {
        let long = " word".repeat(60);
        let texts = [
            " plain",
            "",
            " \"quoted\" and \\ back\\slash",
            " ends */ a block and opens /* one",
            " unicode \u{e9} \u{6f22} \u{1f980}",
            "/starts with a slash",
            "*starts with a star",
            " tab\there",
            " bidi\u{202e} and CR\r and a bell\u{7}",
            " trailing spaces   ",
            &long,
            " two\nlines",
        ];
        let docs: Vec<TokenStream> = texts.iter().map(|t| quote!(#[doc = #t])).collect();
        let methods = texts.iter().enumerate().map(|(i, text)| {
            let name = quote::format_ident!("method_{i}");
            quote!(#[doc = #text] #[doc = " and more"] fn #name(&self);)
        });
        let tokens = quote! {
            #![doc = " inner doc"]
            #![doc = ""]
            #![doc = " inner \"two\""]
            #(#docs)*
            #[derive(Debug)]
            #[doc = " after an attribute"]
            pub struct Fields {
                #(#docs)*
                pub a: u8,
                /// A raw doc, from a comment.
                #[serde(rename = "b")]
                #[doc = " after serde"]
                pub b: u8,
            }
            /// An enum.
            pub enum E {
                /// A variant.
                A { #[doc = " a variant's field"] x: u8 },
                #[doc = " B"]
                B = 1,
            }
            pub const C: u8 = { #[doc = " in an expression"] const D: u8 = 1; D };
            fn f() { #[doc = " in a body"] struct Local; }
            macro_rules! m { () => { #[doc = " in a macro"] struct M; }; }
            /// A trait's docs,
            /// on two lines.
            pub trait T { #(#methods)* }
            pub mod inner {
                #![doc = " A module."]
                #[doc = " An item."]
                pub struct S;
            }
        };
        let expected = whole(tokens.clone());
        assert_eq!(printed(tokens), expected);
        assert!(expected.contains("\n    /// and more\n"), "{expected}");
        assert!(expected.contains("\n/// tab    here\n"), "{expected}");
    }

    #[test]
    fn items_are_cut_after_a_semicolon_or_a_body_and_not_inside_an_item() {
        let tokens = quote! {
            pub const A: Rules = Rules { min: 1 };
            const B: u8 = { 1 } + 2;
            struct C { a: u8 }
            #[derive(Debug)]
            enum D {}
            use a::b;
            use c::d;
            mod e;
            mod f;
            impl C {}
        };
        let mut trees = Trees::new(tokens.clone());
        let mut cuts = Vec::new();
        while let Some(item) = next_item(&mut trees) {
            cuts.push(TokenStream::from_iter(item).to_string());
        }
        assert_eq!(cuts.len(), 9, "{cuts:#?}");
        assert!(cuts[1].ends_with("+ 2 ;"), "{cuts:#?}");
        assert_eq!(printed(tokens.clone()), whole(tokens));
    }

    #[test]
    fn docs_lose_what_a_comment_may_not_hold_and_keep_the_rest() {
        let tokens = quote! {
            #![doc = "inner\u{202e} doc\r"]
            #[doc = "tab\there, bidi\u{2066} and a bell\u{7}"]
            #[doc = "plain \"quoted\" \\ text"]
            impl A {
                #[doc = "member\r\nline"]
                fn a() {}
                fn b() {}
            }
        };
        let text = printed(tokens);
        assert!(text.contains("//!inner doc\n"), "{text}");
        assert!(text.contains("///tab    here, bidi and a bell\n"), "{text}");
        assert!(text.contains(r#"///plain "quoted" \ text"#), "{text}");
        assert!(text.contains("/**member\nline*/"), "{text}");
        assert!(
            !text.contains(['\r', '\u{7}', '\u{202e}', '\u{2066}']),
            "{text:?}"
        );
    }
}
