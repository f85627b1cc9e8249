//! model → the files of a generated crate.
//!
//! Each generated Rust file is built as a token stream, parsed back with syn (a generator bug
//! becomes an error here, never a broken crate on disk), printed by prettyplease and stamped.
//! What every crate needs regardless of the spec (the request helper, the error type, the
//! server's extraction helpers) lives in `generator/runtime/` and is copied in verbatim.

mod bodies;
mod cargo;
mod client;
mod constructors;
mod examples;
mod imports;
mod include;
mod modules;
mod pages;
mod requests;
mod responses;
mod routes;
mod server;
mod server_trait;
mod types;
mod unions;
mod validate;
mod webhooks;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

/// What settings write into the crate's `Cargo.toml` is quoted the way the manifest is.
pub(crate) use cargo::toml_string;
pub use include::for_include;

use crate::model::{
    Api, Constraints, Docs, Framing, Media, Operation, Origin, PartKind, Payload, Server,
    TypeGraph, TypeKind, TypeRef,
};
use crate::GeneratedFile;

/// An emitted file that did not parse: a generator bug.
#[derive(Debug)]
pub struct EmitError {
    pub file: String,
    pub message: String,
}

/// A module of the runtime crate: its file of `generator/runtime/`, copied in verbatim, and
/// what decides whether and how it is there.
struct RuntimeModule {
    name: &'static str,
    source: &'static str,
    /// Whether this API uses it at all.
    needed: fn(&Needs) -> bool,
    /// The crate feature it belongs to, if any.
    feature: Option<&'static str>,
    /// How the crate's `lib.rs` brings it in at its own root.
    import: Import,
}

enum Import {
    /// Not at all: only the runtime itself uses it.
    No,
    Private,
    /// Privately, allowed to be unused (a spec without object schemas leaves it so).
    MaybeUnused,
    /// As a public module of the crate.
    Public,
}

/// The runtime's modules, sorted by name (the order rustfmt keeps their imports in).
const RUNTIME: &[RuntimeModule] = &[
    runtime_module(
        "binary",
        include_str!("../../runtime/binary.rs"),
        Import::Public,
    ),
    RuntimeModule {
        feature: Some("server"),
        ..runtime_module(
            "budget",
            include_str!("../../runtime/budget.rs"),
            Import::No,
        )
    },
    RuntimeModule {
        feature: Some("client"),
        ..runtime_module(
            "client_support",
            include_str!("../../runtime/client_support.rs"),
            Import::Private,
        )
    },
    runtime_module(
        "de",
        include_str!("../../runtime/de.rs"),
        Import::MaybeUnused,
    ),
    RuntimeModule {
        needed: |needs| needs.items,
        ..runtime_module(
            "jsonl",
            include_str!("../../runtime/jsonl.rs"),
            Import::Public,
        )
    },
    runtime_module("media", include_str!("../../runtime/media.rs"), Import::No),
    RuntimeModule {
        needed: |needs| needs.multipart,
        ..runtime_module(
            "multipart",
            include_str!("../../runtime/multipart.rs"),
            Import::Public,
        )
    },
    runtime_module(
        "problem",
        include_str!("../../runtime/problem.rs"),
        Import::Public,
    ),
    RuntimeModule {
        feature: Some("client"),
        ..runtime_module(
            "redirect",
            include_str!("../../runtime/redirect.rs"),
            Import::No,
        )
    },
    RuntimeModule {
        feature: Some("server"),
        ..runtime_module(
            "routes",
            include_str!("../../runtime/routes.rs"),
            Import::No,
        )
    },
    runtime_module(
        "ser",
        include_str!("../../runtime/ser.rs"),
        Import::MaybeUnused,
    ),
    RuntimeModule {
        feature: Some("server"),
        ..runtime_module(
            "server_support",
            include_str!("../../runtime/server_support.rs"),
            Import::Private,
        )
    },
    RuntimeModule {
        needed: |needs| needs.events,
        ..runtime_module("sse", include_str!("../../runtime/sse.rs"), Import::Public)
    },
    RuntimeModule {
        needed: |needs| needs.events || needs.items,
        ..runtime_module(
            "stream",
            include_str!("../../runtime/stream.rs"),
            Import::No,
        )
    },
    runtime_module("style", include_str!("../../runtime/style.rs"), Import::No),
    runtime_module(
        "validate",
        include_str!("../../runtime/validate.rs"),
        Import::Public,
    ),
];

/// A module every API has, in every build.
const fn runtime_module(name: &'static str, source: &'static str, import: Import) -> RuntimeModule {
    RuntimeModule {
        name,
        source,
        needed: |_| true,
        feature: None,
        import,
    }
}

/// The runtime modules this API uses.
fn runtime_modules(needs: &Needs) -> impl Iterator<Item = &'static RuntimeModule> + '_ {
    RUNTIME.iter().filter(move |module| (module.needed)(needs))
}

impl RuntimeModule {
    /// `#[cfg(feature = ..)]` for its feature, if it has one.
    fn cfg(&self) -> Option<TokenStream> {
        self.feature
            .map(|feature| quote!(#[cfg(feature = #feature)]))
    }
}

/// The client and its calls, copied into the generated crate itself: each operation's
/// method is on them, and Rust lets a crate add methods only to its own types.
const CLIENT: &str = include_str!("../../runtime/local/client_support.rs");

/// All files of the crate for `api`, in a fixed order.
pub fn emit_crate(api: &Api, origin: &str, command: &str) -> Result<Vec<GeneratedFile>, EmitError> {
    let command = match command {
        "" => "the openapi-gen library".to_owned(),
        command => format!("`{command}`"),
    };
    let stamp = format!(
        "// @generated by {command} from {origin}. Do not edit by hand: edit the spec and regenerate.\n"
    );
    let verbatim = |path: &str, text: &str| {
        File::Done(GeneratedFile {
            path: path.to_owned(),
            contents: format!("{stamp}{text}"),
        })
    };
    let needs = Needs::of(api);
    let needs = &needs;
    let types_modules = modules::types_modules(api);
    let types_modules = &types_modules;
    let checked = validate::checked_types(&api.types);
    let checked = &checked;
    let plan = server::ServerPlan::of(api);
    let plan = &plan;
    let mut files = vec![
        File::Done(GeneratedFile {
            path: "Cargo.toml".to_owned(),
            contents: cargo::emit_manifest(api, needs, &stamp.replacen("//", "#", 1)),
        }),
        File::rust("src/lib.rs", move || emit_lib(api, needs)),
        File::rust("src/types.rs", move || {
            types::emit_types_root(needs, types_modules)
        }),
    ];
    // A module per group in each of `types`, `requests`, `responses`, `client` and
    // `server`: more files, each a part of the API, which the two threads share out.
    for module in types_modules {
        let path = format!("src/types/{}.rs", module.name);
        if module.parts.is_empty() {
            files.push(File::Rust(
                path,
                Box::new(move |out| types::emit_types_module(api, needs, checked, module, out)),
            ));
            continue;
        }
        files.push(File::rust(&path, move || types::emit_types_parts(module)));
        for part in &module.parts {
            files.push(File::Rust(
                format!("src/types/{}/{}.rs", module.name, part.name),
                Box::new(move |out| types::emit_types_module(api, needs, checked, part, out)),
            ));
        }
    }
    files.push(File::rust("src/requests.rs", move || {
        requests::emit_requests_root(api)
    }));
    files.push(File::rust("src/responses.rs", move || {
        responses::emit_responses_root(api)
    }));
    for (index, group) in api.groups.iter().enumerate() {
        files.push(File::Rust(
            format!("src/requests/{}.rs", group.name),
            Box::new(move |out| requests::emit_requests_module(api, index, out)),
        ));
        files.push(File::Rust(
            format!("src/responses/{}.rs", group.name),
            Box::new(move |out| responses::emit_responses_module(api, index, out)),
        ));
        files.push(File::Rust(
            format!("src/client/{}.rs", group.name),
            Box::new(move |out| client::emit_client_module(api, index, out)),
        ));
    }
    files.push(File::rust("src/client.rs", move || {
        client::emit_client_root(api, needs)
    }));
    files.push(verbatim("src/client/support.rs", CLIENT));
    files.push(File::rust("src/server.rs", move || {
        server::emit_server(api, needs, plan)
    }));
    files.push(File::rust("src/server/erased.rs", move || {
        server::emit_erased_file(api)
    }));
    for &index in plan.groups() {
        files.push(File::Rust(
            format!("src/server/{}.rs", api.groups[index].name),
            Box::new(move |out| server::emit_server_module(api, needs, plan, index, out)),
        ));
    }
    files.push(File::Done(GeneratedFile {
        path: "runtime/Cargo.toml".to_owned(),
        contents: cargo::emit_runtime_manifest(api, needs, &stamp.replacen("//", "#", 1)),
    }));
    files.push(File::rust("runtime/src/lib.rs", move || {
        emit_runtime_lib(api, needs)
    }));
    files.extend(
        runtime_modules(needs)
            .map(|module| verbatim(&format!("runtime/src/{}.rs", module.name), module.source)),
    );
    // The trait with every method provided, for the `server-defaults` feature.
    if !server::served(&api.operations).is_empty() {
        files.push(File::rust("src/server/defaults.rs", move || {
            server::emit_server_defaults(api)
        }));
    }
    if let Some(server) = &api.server {
        files.push(File::rust("src/base_urls.rs", move || {
            emit_base_urls(server)
        }));
    }
    if !api.events.is_empty() {
        files.push(File::rust("src/webhooks.rs", move || {
            webhooks::emit_webhooks(api)
        }));
        files.push(File::rust("src/webhooks/receiver.rs", move || {
            webhooks::emit_receiver(api, needs)
        }));
        files.push(File::rust("src/webhooks/sender.rs", move || {
            webhooks::emit_sender(api)
        }));
        if !server::served(&api.events).is_empty() {
            files.push(File::rust("src/webhooks/receiver/defaults.rs", move || {
                webhooks::emit_receiver_defaults(api)
            }));
        }
    }
    if !api.examples.is_empty() {
        files.push(File::rust("tests/examples.rs", move || {
            examples::emit_examples_root(api)
        }));
        let parts = examples::parts(api);
        for (name, range) in &parts {
            let range = range.clone();
            files.push(File::rust(
                &format!("tests/examples/cases/{name}.rs"),
                move || examples::emit_part(api, range.clone()),
            ));
        }
        files.push(File::rust("tests/examples/cases.rs", move || {
            examples::emit_examples(api, needs, &parts)
        }));
    }
    render(files, &stamp)
}

/// A file of the crate: written, or Rust still to build and print.
enum File<'a> {
    Done(GeneratedFile),
    /// Builds the file's Rust, handing it to the function it is given in parts of whole
    /// items, each printed before the next is built; returns the `use` declarations that
    /// go after the first part (the file's docs), gathered while the rest was built.
    Rust(String, Box<Emit<'a>>),
}

type Emit<'a> = dyn Fn(&mut dyn FnMut(TokenStream)) -> TokenStream + Sync + 'a;

impl<'a> File<'a> {
    /// A file built in one part.
    fn rust(path: &str, tokens: impl Fn() -> TokenStream + Sync + 'a) -> Self {
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
/// each file on one; the files keep their order.
fn render(files: Vec<File<'_>>, stamp: &str) -> Result<Vec<GeneratedFile>, EmitError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(file) = files.get(i) else {
                return done;
            };
            done.push((i, print(file, stamp)));
        }
    };
    // Two at most: `types.rs` alone is a third to a half of the work, so more threads gain
    // little time, and each holds a file's tokens and its own allocator heap (GitHub's spec,
    // before `types.rs` was built a definition at a time: 89 MB peak on one thread, 144 MB
    // on two, 200+ MB on eight).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    let mut printed: Vec<_> = std::thread::scope(|scope| {
        // Printing recurses once per level of a nested type, as the pipeline's stages do.
        let helpers: Vec<_> = (1..threads)
            .map(|_| crate::spawn_pipeline(scope, work))
            .collect();
        let mut printed = work();
        for helper in helpers {
            printed.extend(crate::join(helper));
        }
        printed
    });
    printed.sort_unstable_by_key(|(i, _)| *i);
    printed.into_iter().map(|(_, file)| file).collect()
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
        let tokens = plain_docs(tokens);
        if failed.is_none() {
            // A blank line between parts, as between the items of one.
            if first_part_end.is_some() {
                contents.push('\n');
            }
            let printed = syn::parse::Parser::parse2(
                |input: syn::parse::ParseStream<'_>| format(input, &mut contents),
                tokens,
            );
            failed = printed.err();
        }
        first_part_end.get_or_insert(contents.len());
    });
    if failed.is_none() && !imports.is_empty() {
        // The imports, a block of their own after the file's docs.
        let mut text = "\n".to_owned();
        let printed = syn::parse::Parser::parse2(
            |input: syn::parse::ParseStream<'_>| format(input, &mut text),
            imports,
        );
        failed = printed.err();
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

/// The tokens with every doc attribute's text fit for the comment prettyplease prints it
/// as: a doc may hold text from anywhere in a spec (names, paths, enum values, patterns,
/// titles), and rustc refuses a bare CR or a bidirectional formatting character in a
/// comment. String literals need nothing: their tokens escape both (`\u{202e}`), so the
/// value on the wire stays exact.
fn plain_docs(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            proc_macro2::TokenTree::Group(group) => {
                let stream = group.stream();
                let mut trees = stream.clone().into_iter();
                let is_doc = matches!(
                    (trees.next(), trees.next(), trees.next(), trees.next()),
                    (
                        Some(proc_macro2::TokenTree::Ident(name)),
                        Some(proc_macro2::TokenTree::Punct(eq)),
                        Some(proc_macro2::TokenTree::Literal(_)),
                        None,
                    ) if name == "doc" && eq.as_char() == '='
                );
                let stream = if is_doc {
                    plain_doc(stream)
                } else {
                    plain_docs(stream)
                };
                let mut rebuilt = proc_macro2::Group::new(group.delimiter(), stream);
                rebuilt.set_span(group.span());
                proc_macro2::TokenTree::Group(rebuilt)
            }
            other => other,
        })
        .collect()
}

/// `doc = "text"` with what may not stand in a comment dropped ([`fits_a_comment`]).
fn plain_doc(attribute: TokenStream) -> TokenStream {
    let mut trees: Vec<proc_macro2::TokenTree> = attribute.into_iter().collect();
    if let Some(proc_macro2::TokenTree::Literal(literal)) = trees.last() {
        if let Ok(text) = syn::parse2::<syn::LitStr>(literal.to_token_stream()) {
            // A line break a doc was built with stays (prettyplease makes it a block
            // comment); a CR from a name or a value inside the line goes, a tab is four
            // spaces (see `doc_lines`).
            let text: String = text
                .value()
                .replace('\t', "    ")
                .chars()
                .filter(|c| *c == '\n' || fits_a_comment(*c))
                .collect();
            let last = trees.len() - 1;
            trees[last] = proc_macro2::TokenTree::Literal(proc_macro2::Literal::string(&text));
        }
    }
    trees.into_iter().collect()
}

/// Parses a file's tokens and prints it into `out` an item at a time, as prettyplease prints
/// the whole file: the syntax tree of one item is held at once, not the file's (for GitHub's
/// spec that was 120 MB of the generator's peak memory, for `types.rs`).
/// Items are separated by a blank line, as a person writes them, but for a run of `use`
/// or of `mod name;` declarations, which stay together.
fn format(input: syn::parse::ParseStream<'_>, out: &mut String) -> syn::Result<()> {
    let mut file = syn::parse_file("")?;
    file.attrs = input.call(syn::Attribute::parse_inner)?;
    let mut previous = None;
    loop {
        if !input.is_empty() {
            let item: syn::Item = input.parse()?;
            let kind = grouped_kind(&item);
            if previous.is_some() && (kind.is_none() || kind != previous.flatten()) {
                out.push('\n');
            }
            previous = Some(kind);
            file.items.push(item);
        }
        push_spaced(out, &prettyplease::unparse(&file));
        if input.is_empty() {
            return Ok(());
        }
        file.attrs.clear();
        file.items.clear();
    }
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

/// Appends prettyplease's text of an item with a blank line between the items nested in it
/// (the methods of an impl or a trait, the items of a module), which prettyplease prints
/// back to back: where a line ends one (`}`, `{}`, or `;` after a declaration) and the next line,
/// at the same indentation, starts another.
fn push_spaced(out: &mut String, text: &str) {
    let mut previous: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        if let Some(before) = previous {
            let code = line.trim_start();
            let indent = line.len() - code.len();
            let ended = before.trim_end();
            let code_before = ended.trim_start();
            let closes = !code_before.starts_with("//")
                && (code_before == "}" || ended.ends_with("{}") || ended.ends_with(';'));
            if indent > 0
                && closes
                && before.len() - before.trim_start().len() == indent
                && ITEM_STARTS.iter().any(|start| code.starts_with(start))
            {
                out.push('\n');
            }
        }
        out.push_str(line);
        previous = Some(line);
    }
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

/// Every payload of the API: request bodies, then response bodies, in operation order
/// (the events' after the operations').
fn payloads(api: &Api) -> impl Iterator<Item = &Payload> {
    api.all_operations().flat_map(|op| {
        op.body
            .iter()
            .map(|b| &b.payload)
            .chain(op.responses.iter().filter_map(|r| r.body.as_ref()))
    })
}

fn emit_lib(api: &Api, needs: &Needs) -> TokenStream {
    // One `use` each, in the order rustfmt keeps them.
    let runtime = runtime_modules(needs).filter_map(|module| {
        let name = format_ident!("{}", module.name);
        let cfg = module.cfg();
        match module.import {
            Import::No => None,
            Import::Private => Some(quote!(#cfg use runtime::#name;)),
            Import::MaybeUnused => Some(quote!(#cfg #[allow(unused_imports)] use runtime::#name;)),
            Import::Public => Some(quote!(#cfg pub use runtime::#name;)),
        }
    });
    let client_name = api.customization.client_name.as_deref().map(|name| {
        let name = ident(name);
        quote! {
            #[cfg(feature = "client")]
            pub use client::Client as #name;
        }
    });
    let heading = format!(" {} (version {})", api.title, api.version);
    let description = api
        .description
        .iter()
        .flat_map(|d| doc_lines(d))
        .chain(api.description.as_ref().map(|_| String::new()))
        .map(|line| quote!(#![doc = #line]));
    // Layout, drop checks and `Send` are worked out through every level of a type, in
    // this crate and again in each crate that uses the type, so that crate needs the
    // limit too.
    let recursion_limit = recursion_limit(&api.types).map(|limit| {
        let note = format!(
            " Its types nest deep: a crate that uses them needs `#![recursion_limit = \"{limit}\"]`"
        );
        let limit = limit.to_string();
        quote! {
            #![doc = ""]
            #![doc = #note]
            #![doc = " too, or the compiler stops with E0275 or E0320."]
            #![recursion_limit = #limit]
        }
    });
    let has_events = !api.events.is_empty();
    let webhooks = has_events.then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod webhooks;
        }
    });
    let webhooks_doc = has_events.then(|| {
        quote! {
            #![doc = ""]
            #![doc = " [`webhooks`] holds the webhooks and callbacks the API sends: a trait and router that"]
            #![doc = " receive them, and a sender."]
        }
    });
    let base_urls = api.server.is_some().then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod base_urls;
        }
    });
    let base_urls_doc = api.server.is_some().then(|| {
        quote! {
            #![doc = ""]
            #![doc = " [`base_urls`] holds the base URL of the spec's server, for the client."]
        }
    });
    quote! {
        #![doc = #heading]
        #![doc = ""]
        #(#description)*
        #![doc = " Generated from the OpenAPI document: [`types`] holds its schemas, [`requests`] one struct"]
        #![doc = " per operation with its inputs, [`responses`] one enum per operation with its answers,"]
        #![doc = " [`client`] (feature `client`) a reqwest client, [`server`] (feature `server`) an axum"]
        #![doc = " router over a trait you implement."]
        #webhooks_doc
        #base_urls_doc
        #recursion_limit

        // Docs are the spec's CommonMark descriptions, written for documentation sites and
        // kept as they are rather than reflowed to rustdoc's taste.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        // prettyplease formats the generated modules; `cargo fmt` leaves them as they are, so
        // formatting the workspace never makes them differ from what codegen writes.
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        pub mod requests;
        #[rustfmt::skip]
        pub mod responses;
        // `server` before `client`: both re-export `problem::Problem`, and rustc names a type
        // by the first public module (in declaration order) that exports it, so the compiler's
        // help for a missing trait method writes `server::Problem`, the path a server author
        // imports.
        #[cfg(feature = "server")]
        #[rustfmt::skip]
        pub mod server;
        #[cfg(feature = "client")]
        #[rustfmt::skip]
        pub mod client;

        // The runtime, what every generated crate needs and the same in each, is the crate in
        // `runtime/`: it builds once, with the dependencies, not each time this one changes.
        // Its modules are used by these paths (`crate::validate`, say) from here and from
        // inside it, so that for `include!` they can be this crate's own modules instead.
        #(#runtime)*

        #base_urls

        #webhooks

        #client_name
    }
}

/// The runtime crate's `src/lib.rs`: its modules, and `Validate` for the foreign types the
/// spec's values are read into (only the crate of the trait may implement it for them).
fn emit_runtime_lib(api: &Api, needs: &Needs) -> TokenStream {
    let heading = format!(
        " What every operation of the crate `{}` needs: the runtime of its client and server,",
        api.crate_name
    );
    let modules = runtime_modules(needs).map(|module| {
        let name = format_ident!("{}", module.name);
        let cfg = module.cfg();
        quote! {
            #cfg
            #[rustfmt::skip]
            pub mod #name;
        }
    });
    let foreign = [
        (needs.chrono, quote!(chrono::DateTime<chrono::Utc>)),
        (needs.chrono, quote!(chrono::NaiveDate)),
        (needs.uuid, quote!(uuid::Uuid)),
    ]
    .into_iter()
    .filter(|(used, _)| *used)
    .map(|(_, ty)| quote!(impl crate::validate::Validate for #ty {}));
    quote! {
        #![doc = #heading]
        #![doc = " the same in every generated crate. Its items are for the generated code, which"]
        #![doc = " re-exports those meant for you."]

        #(#modules)*

        #(#foreign)*
    }
}

/// The `base_urls` module: the base URL of the spec's first server, and a function filling
/// in its variables. Named apart from `server`, the axum side, by more than a letter.
fn emit_base_urls(server: &Server) -> TokenStream {
    let url = server.url_with(&[]);
    let with_variables = (!server.variables.is_empty()).then(|| {
        let doc = format!(
            " The base URL `{}` with some variables set; the rest keep their defaults.",
            server.template
        );
        let names = server.variables.iter().map(|(name, _)| name);
        let defaults = server.variables.iter().map(|(_, default)| default);
        let template = &server.template;
        quote! {
            #[doc = #doc]
            pub fn default_with(values: &[(&str, &str)]) -> String {
                let mut url = #template.to_owned();
                for (name, default) in [#((#names, #defaults)),*] {
                    let value = values.iter().find(|(n, _)| *n == name).map_or(default, |(_, v)| v);
                    url = url.replace(&format!("{{{name}}}"), value);
                }
                url
            }
        }
    });
    quote! {
        //! The base URLs the spec names (its `servers`), to give `Client::new`.

        /// The base URL of the server the spec names first, with its variables at their defaults.
        pub const DEFAULT: &str = #url;
        #with_variables
    }
}

/// Doc attributes for an operation's method: its docs, then its method, path and id.
fn operation_docs(op: &Operation) -> TokenStream {
    let mut docs = doc_attrs(&op.docs);
    let query: Vec<String> = op
        .query_constants
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let query = match query.is_empty() {
        true => String::new(),
        false => format!("?{}", query.join("&")),
    };
    let (method, route) = (op.method.as_str(), &op.path.raw);
    let call = match &op.origin {
        Origin::Path => format!(" `{method} {route}{query}` (`{}`)", op.api_name),
        Origin::Webhook { name } => format!(
            " Webhook `{name}`: `{method}` to the URL a subscriber gave (the receiver's route: `{route}`)."
        ),
        Origin::Callback {
            operation,
            name,
            expression,
            ..
        } => format!(
            " Callback `{name}` of `{operation}`: `{method}` to `{expression}` (the receiver's route: `{route}`)."
        ),
    };
    // An operation without a summary or description opens with its call, not a blank line.
    if !docs.is_empty() {
        docs.extend(quote!(#[doc = ""]));
    }
    docs.extend(quote!(#[doc = #call]));
    docs
}

/// Doc attributes for an item: the summary, then the description as its own paragraph.
fn doc_attrs(docs: &Docs) -> TokenStream {
    let mut lines = Vec::new();
    if let Some(summary) = &docs.summary {
        lines.extend(doc_lines(summary));
    }
    if let Some(description) = &docs.description {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(doc_lines(description));
    }
    quote!(#(#[doc = #lines])*)
}

/// Splits text into doc lines, each with the leading space `///` comments have. Any line
/// break (`\r\n`, a lone `\r`) ends a line; control characters other than tabs, and the
/// code points that change the direction of text, are dropped: rustc refuses both in
/// comments. A tab is four spaces, as clippy wants (Kubernetes' docs indent with tabs).
fn doc_lines(text: &str) -> Vec<String> {
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ");
    text.lines()
        .map(|line| {
            let line: String = line.chars().filter(|c| fits_a_comment(*c)).collect();
            let line = line.trim_end();
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Whether a character may stand in a doc comment: not a control character (a tab is
/// fine) and not one of the bidirectional formatting code points (U+061C, U+200E, U+200F,
/// U+202A to U+202E, U+2066 to U+2069).
fn fits_a_comment(c: char) -> bool {
    (c == '\t' || !c.is_control())
        && !matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The Rust type for a use of a type, from inside or outside the `types` module.
fn type_tokens(graph: &TypeGraph, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Base64 => quote!(crate::types::Base64),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Named(id) => {
            let name = format_ident!("{}", graph.get(*id).name);
            quote!(crate::types::#name)
        }
        TypeRef::Custom(path) => rust_path(path),
        TypeRef::List(inner) => {
            let inner = type_tokens(graph, inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(graph, inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    }
}

/// The Rust type of a body in a given media.
fn media_tokens(graph: &TypeGraph, media: &Media) -> TokenStream {
    match media {
        Media::Json(ty) | Media::Form(ty) => type_tokens(graph, ty),
        Media::Text => quote!(String),
        Media::Binary => quote!(crate::binary::Binary),
        Media::EventStream(ty) => {
            let data = type_tokens(graph, ty);
            quote!(crate::sse::Events<#data>)
        }
        Media::Items(ty, _) => {
            let item = type_tokens(graph, ty);
            quote!(crate::jsonl::Items<#item>)
        }
        Media::Multipart(id) => type_tokens(graph, &TypeRef::Named(*id)),
    }
}

/// The runtime's name of how sequential JSON is framed.
fn framing_tokens(framing: Framing) -> TokenStream {
    match framing {
        Framing::Lines => quote!(crate::jsonl::Framing::Lines),
        Framing::RecordSeparator => quote!(crate::jsonl::Framing::RecordSeparator),
    }
}

/// The Rust type of a payload: its one media's type, or the enum over its media types.
fn payload_tokens(graph: &TypeGraph, payload: &Payload) -> TokenStream {
    match (&payload.enum_name, payload.contents.as_slice()) {
        (None, [only]) => media_tokens(graph, &only.media),
        (name, _) => {
            let name = ident(name.as_deref().unwrap_or("Body"));
            quote!(crate::types::#name)
        }
    }
}

/// Match patterns for the index of a payload's media types, as `pick` returns it: `0`, `1`,
/// ..., and `_` for the last, so the match is exhaustive.
fn pick_patterns(payload: &Payload) -> Vec<TokenStream> {
    let last = payload.contents.len().saturating_sub(1);
    (0..payload.contents.len())
        .map(|i| {
            if i == last {
                quote!(_)
            } else {
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                quote!(#i)
            }
        })
        .collect()
}

/// The content types of a payload, as a `&[&str]` literal.
fn content_types(payload: &Payload) -> TokenStream {
    let types = payload.contents.iter().map(|c| c.content_type.as_str());
    quote!(&[#(#types),*])
}

/// What the crate uses beyond serde: optional dependencies and helpers emitted once.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Needs {
    pub chrono: bool,
    pub uuid: bool,
    pub base64: bool,
    /// The patterns strings are held to, each once, in the order first met (the crate's
    /// `types::patterns`); any needs `regex`.
    pub patterns: Vec<String>,
    /// The rule sets values are held to, by their names in the crate's `types::rules`.
    pub rules: BTreeMap<String, Constraints>,
    /// An enum discriminated by a property.
    pub tagged: bool,
    /// A `multipart/form-data` request body.
    pub multipart: bool,
    /// A `text/event-stream` response.
    pub events: bool,
    /// A sequential JSON body (`application/jsonl`, `application/json-seq`).
    pub items: bool,
}

impl Needs {
    pub fn of(api: &Api) -> Needs {
        let mut needs = Needs::default();
        for def in &api.types.defs {
            match &def.kind {
                TypeKind::Struct(fields) => {
                    for field in fields {
                        needs.add(&field.ty);
                        needs.constrained(&api.types, &field.ty, &field.constraints);
                    }
                }
                TypeKind::Untagged(variants) => {
                    for variant in variants {
                        needs.add(&variant.ty);
                        needs.constrained(&api.types, &variant.ty, &variant.constraints);
                    }
                }
                TypeKind::Tagged { variants, .. } => {
                    needs.tagged = true;
                    variants.iter().for_each(|v| needs.add(&v.ty));
                }
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => needs.add(ty),
                TypeKind::Multipart(parts) => {
                    needs.multipart = true;
                    for part in parts {
                        if let PartKind::Text(ty) | PartKind::Json(ty) = &part.kind {
                            needs.add(ty);
                        }
                    }
                }
                TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
            }
        }
        for op in api.all_operations() {
            for param in &op.params {
                needs.add(&param.ty);
                // Only the server checks parameters, and it does not serve an operation
                // another one answers.
                if op.answered_by.is_none() {
                    needs.constrained(&api.types, &param.ty, &param.constraints);
                }
            }
            for response in &op.responses {
                response.headers.iter().for_each(|h| needs.add(&h.ty));
            }
        }
        for content in payloads(api).flat_map(|p| &p.contents) {
            match &content.media {
                Media::Json(ty) | Media::Form(ty) => needs.add(ty),
                Media::EventStream(ty) => {
                    needs.add(ty);
                    needs.events = true;
                }
                Media::Items(ty, _) => {
                    needs.add(ty);
                    needs.items = true;
                }
                Media::Text | Media::Binary | Media::Multipart(_) => {}
            }
        }
        needs
    }

    /// A value of `ty` held to `constraints`: its pattern and its rule set.
    fn constrained(&mut self, graph: &TypeGraph, ty: &TypeRef, constraints: &Constraints) {
        let source = validate::pattern_of(graph, ty, constraints);
        if let Some(source) = source.filter(|s| !self.patterns.iter().any(|p| p == s)) {
            self.patterns.push(source.to_owned());
        }
        if let Some((name, set)) = validate::rule_set(graph, ty, constraints, &self.patterns) {
            self.rules.insert(name, set);
        }
    }

    fn add(&mut self, ty: &TypeRef) {
        match ty {
            TypeRef::DateTime | TypeRef::Date => self.chrono = true,
            TypeRef::Uuid => self.uuid = true,
            TypeRef::Base64 => self.base64 = true,
            TypeRef::List(inner) | TypeRef::Map(inner) => self.add(inner),
            _ => {}
        }
    }
}

/// A Rust path or type the settings name, checked there to parse; were it not to, the file
/// would fail to parse and be reported as an emit error.
fn rust_path(path: &str) -> TokenStream {
    path.parse().unwrap_or_default()
}

fn ident(name: &str) -> syn::Ident {
    format_ident!("{}", name)
}

/// The compiler's recursion limit the crate needs, where its default (128) is too low:
/// proving that a response is `Send` takes about two steps per level of objects held
/// inside one another (a chain of 60 needed 131, of 200 412) and six per level through a
/// `Vec` or map (200 levels of arrays needed 1,000 to 1,300): about two per unit of
/// [`TypeGraph::nesting_depth`]. Where that comes near the default, the crate gets twice
/// as much; a higher limit costs nothing where the recursion is not that deep.
pub fn recursion_limit(types: &TypeGraph) -> Option<usize> {
    let depth = types.nesting_depth();
    (2 * depth + 32 > 128).then_some(4 * depth + 64)
}

#[cfg(test)]
mod tests {
    use super::doc_lines;

    #[test]
    fn doc_lines_end_at_any_break_and_drop_what_rustc_refuses_in_comments() {
        let text = "one\r\ntwo\rthree\n\u{202E}four\u{2066} \u{0}five\u{7}\tsix";
        assert_eq!(
            doc_lines(text),
            [" one", " two", " three", " four five    six"]
        );
    }
}
