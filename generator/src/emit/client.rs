//! The `client` module: one method per operation on `Client` (its `support` module, copied in).

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::constructors::Start;
use super::imports::Imports;
use super::modules::{group_docs, group_operations, header};
use super::requests::{inputs, positional, required_type, Input};
use super::{
    content_types, doc_attrs, framing_tokens, ident, operation_docs, pick_patterns, Needs,
};
use crate::model::{
    Api, Body, Content, Location, Media, Method, Operation, Origin, Param, ParamEncoding, PathPart,
    Payload, Response, SchemeKind, SecurityScheme, Status, Style, TypeRef,
};

/// `client.rs`: the client's own methods (credentials, stored headers), and a module per
/// group of operations with their methods.
pub fn emit_client_root(api: &Api, needs: &Needs) -> TokenStream {
    let credentials = api.security_schemes.iter().map(emit_credential_setter);
    let header_methods = api.client_headers.iter().map(|h| {
        let setter = ident(&h.setter);
        let clearer = ident(&h.clearer);
        let wire = &h.api_name;
        let set_doc = format!(" Sets `{wire}`, sent with every operation that takes it unless a call passes its own value.");
        let clear_doc = format!(" Stops sending a stored `{wire}`.");
        quote! {
            #[doc = #set_doc]
            pub fn #setter(&mut self, value: &str) {
                self.core.set_client_header(#wire, Some(value.to_owned()));
            }

            #[doc = #clear_doc]
            pub fn #clearer(&mut self) {
                self.core.set_client_header(#wire, None);
            }
        }
    });
    let event_reconnect = needs.events.then(|| {
        quote! {
            /// The client, opening an event stream again when it ends or breaks, up to
            /// `attempts` times in a row without an event between them (0, the default: never).
            /// It waits as long as the stream's last `retry:` said (3 s unless it said) and sends
            /// the last event ID it read as `Last-Event-ID`, so the server can go on from there.
            /// A `204 No Content` answer ends the stream.
            pub fn with_event_reconnect(self, attempts: u32) -> Self {
                Client {
                    core: self.core.with_event_reconnect(attempts),
                }
            }
        }
    });
    let modules = api.groups.iter().enumerate().map(|(i, g)| {
        let name = format_ident!("{}", g.name);
        let gate = super::gates::group(api, i);
        quote!(#gate mod #name;)
    });
    let tokens = super::oauth::emit_token_methods(api);
    let own = quote! {
        #event_reconnect
        #(#credentials)*
        #tokens
        #(#header_methods)*
    };
    let own = (!own.is_empty()).then(|| {
        quote! {
            impl Client {
                #own
            }
        }
    });
    quote! {
        //! The client: [`Client`] with one method per operation, written in a module per
        //! group of operations.
        // An API without paginated operations, say, leaves some of its helpers unused.
        #[allow(dead_code)]
        pub(crate) mod support;

        #(#modules)*

        pub use support::{
            ByteStream, Call, Client, ClientAuth, ClientCredentials, DeviceAuthorization, DeviceCode,
            Error, ErrorResponse, Items, Operation, Paginated, Problem, Redirects, RefreshToken,
            Retry, Streamed, Token, TokenFuture, TokenSource,
        };

        #own
    }
}

/// `client/<group>.rs`: the group's methods of `Client`, the setters of their optional
/// inputs, and how each request goes on the wire (`impl Operation`), an operation at a
/// time. Returns its imports.
pub fn emit_client_module(
    api: &Api,
    group: usize,
    out: &mut dyn FnMut(TokenStream),
) -> TokenStream {
    let ops = group_operations(api, group);
    let mut imports = Imports::new([], &api.trait_name);
    let docs = header(&group_docs(&api.groups[group], |what| {
        format!(" The client's methods for {what}.")
    }));
    out(docs);
    let (methods, setters): (Vec<TokenStream>, Vec<TokenStream>) = ops
        .iter()
        .map(|op| emit_method(api, op, &quote!(self)))
        .unzip();
    out(imports.rewrite(quote! {
        impl Client {
            #(#methods)*
        }
    }));
    for (op, setters) in ops.iter().zip(setters) {
        let operation = emit_operation_impl(api, op);
        let pages = super::pages::emit_paginated(api, op);
        out(imports.rewrite(quote!(#setters #operation #pages)));
    }
    let uses = imports.uses();
    quote! {
        use super::{support, Call, Client, Error, Operation};
        use crate::client_support::Core;
        #uses
    }
}

/// `with_<scheme>`: sets the credential for one security scheme, once for every call.
fn emit_credential_setter(scheme: &SecurityScheme) -> TokenStream {
    let method = format_ident!("with_{}", scheme.name);
    let key = &scheme.api_name;
    let docs = doc_attrs(&scheme.docs);
    let (summary, args, credential) = match &scheme.kind {
        SchemeKind::ApiKey { location, param } => {
            let variant = match location {
                Location::Query => quote!(Query),
                Location::Cookie => quote!(Cookie),
                _ => quote!(Header),
            };
            (
                format!(
                    " Sends `{key}`: an API key in {} `{param}`.",
                    location.as_str()
                ),
                quote!(key: impl Into<String>),
                quote!(support::Credential::#variant(#param, key.into())),
            )
        }
        SchemeKind::Bearer | SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. } => (
            format!(" Sends `{key}`: `Authorization: Bearer <token>`."),
            quote!(token: impl Into<String>),
            quote!(support::Credential::Bearer(token.into())),
        ),
        SchemeKind::Basic => (
            format!(" Sends `{key}`: HTTP basic authentication."),
            quote!(username: impl Into<String>, password: impl Into<String>),
            quote!(support::Credential::Basic(username.into(), password.into())),
        ),
    };
    quote! {
        #[doc = #summary]
        #[doc = ""]
        #[doc = " Operations that accept it get it from here; its value never shows in `Debug`."]
        #docs
        pub fn #method(mut self, #args) -> Self {
            self.core.set_credential(#key, #credential);
            self
        }
    }
}

/// The call that sets a request body of one media from `value` (an `Option<&T>`).
fn encode_content(content: &Content, value: TokenStream) -> TokenStream {
    let content_type = &content.content_type;
    match content.media {
        Media::Json(_) => quote!(request.json(#content_type, #value)),
        Media::Form(_) => quote!(request.form(#content_type, #value)),
        // Lower reads an event stream in a request as text: only responses hold events.
        Media::Text | Media::EventStream(_) => quote!(request.raw(#content_type, #value)),
        Media::Items(_, framing) => {
            let framing = framing_tokens(framing);
            quote!(request.items(#content_type, #value, #framing))
        }
        Media::Binary => quote!(request.binary(#content_type, #value)),
        Media::Multipart(_) => quote!(request.multipart(#value)),
    }
}

/// Sets the body from the request's `body` field, picking the media from the enum variant
/// when there are several.
fn encode_body(body: &Body) -> TokenStream {
    let payload = &body.payload;
    match (&payload.enum_name, payload.contents.as_slice()) {
        (None, [only]) => {
            let value = if body.required {
                quote!(Some(&self.body))
            } else {
                quote!(self.body.as_ref())
            };
            let call = encode_content(only, value);
            quote!(#call;)
        }
        (name, contents) => {
            let name = ident(name.as_deref().unwrap_or("Body"));
            let arms = contents.iter().map(|c| {
                let variant = ident(&c.variant);
                let call = encode_content(c, quote!(Some(value)));
                quote!(crate::types::#name::#variant(value) => #call,)
            });
            let matched = quote!(match body { #(#arms)* });
            if body.required {
                quote!(let body = &self.body; #matched)
            } else {
                quote!(if let Some(body) = &self.body { #matched })
            }
        }
    }
}

/// Decodes a reply's body of one media.
fn decode_content(content: &Content) -> TokenStream {
    let content_type = &content.content_type;
    match content.media {
        Media::Json(_) => quote!(reply.json(#content_type)?),
        Media::Form(_) => quote!(reply.form()?),
        Media::Text => quote!(reply.text()?),
        // Multipart replies are rare; their bytes are kept whole.
        Media::Binary => quote!(reply.binary()),
        Media::EventStream(TypeRef::String) => quote!(reply.events(crate::sse::from_text)),
        Media::EventStream(_) => quote!(reply.events(crate::sse::from_json)),
        Media::Items(_, framing) => {
            let framing = framing_tokens(framing);
            quote!(reply.items(#framing))
        }
        Media::Multipart(_) => quote!(reply.bytes()),
    }
}

/// Decodes a reply's body, choosing the media by `Content-Type` when there are several.
fn decode_payload(payload: &Payload) -> TokenStream {
    match (&payload.enum_name, payload.contents.as_slice()) {
        (None, [only]) => decode_content(only),
        (name, contents) => {
            let name = ident(name.as_deref().unwrap_or("Body"));
            let declared = content_types(payload);
            let arms = contents
                .iter()
                .zip(pick_patterns(payload))
                .map(|(c, pattern)| {
                    let variant = ident(&c.variant);
                    let decode = decode_content(c);
                    quote!(#pattern => crate::types::#name::#variant(#decode),)
                });
            quote!(match reply.pick(#declared) { #(#arms)* })
        }
    }
}

/// The `Option<&T>` the request helpers take for a parameter's field.
fn field_value(param: &Param) -> TokenStream {
    let field = ident(&param.name);
    match (param.is_option(), param.encoding) {
        (true, ParamEncoding::List { .. }) => quote!(self.#field.as_deref()),
        (true, _) => quote!(self.#field.as_ref()),
        (false, ParamEncoding::List { .. }) => quote!(Some(self.#field.as_slice())),
        (false, _) => quote!(Some(&self.#field)),
    }
}

/// The request helper call that puts a parameter on the request.
fn encode_param(param: &Param) -> Option<TokenStream> {
    let wire = &param.api_name;
    if param.client_level {
        let field = ident(&param.name);
        return Some(
            quote!(request.header(#wire, client.client_header(#wire, self.#field.as_deref()));),
        );
    }
    let value = field_value(param);
    let call = match (param.location, param.encoding) {
        (Location::Query, ParamEncoding::Text) => quote!(request.query(#wire, #value);),
        (Location::Query, ParamEncoding::List { style, explode }) => {
            let style = style_path(style);
            quote!(request.query_list(#wire, #value, #style, #explode);)
        }
        (Location::Query, ParamEncoding::Object { style, explode }) => {
            let style = style_path(style);
            quote!(request.query_object(#wire, #value, #style, #explode);)
        }
        (Location::Query, ParamEncoding::Json) => quote!(request.query_json(#wire, #value);),
        (Location::QueryString, _) => quote!(request.querystring_json(#wire, #value);),
        (Location::Header, ParamEncoding::Text) => quote!(request.header(#wire, #value);),
        (Location::Header, ParamEncoding::List { .. }) => {
            quote!(request.header_list(#wire, #value);)
        }
        (Location::Header, ParamEncoding::Object { explode, .. }) => {
            quote!(request.header_object(#wire, #value, #explode);)
        }
        (Location::Header, ParamEncoding::Json) => quote!(request.header_json(#wire, #value);),
        (Location::Cookie, ParamEncoding::Text) => quote!(request.cookie(#wire, #value);),
        (Location::Cookie, ParamEncoding::List { explode, .. }) => {
            quote!(request.cookie_list(#wire, #value, #explode);)
        }
        (Location::Cookie, ParamEncoding::Object { explode, .. }) => {
            quote!(request.cookie_object(#wire, #value, #explode);)
        }
        (Location::Cookie, ParamEncoding::Json) => quote!(request.cookie_json(#wire, #value);),
        // Path parameters are part of the URL's segments.
        (Location::Path, _) => return None,
    };
    Some(if param.allow_reserved {
        quote!(request.with_reserved(|request| { #call });)
    } else {
        call
    })
}

/// The runtime's `Style` variant for a style.
fn style_path(style: Style) -> TokenStream {
    let variant = ident(style.variant());
    quote!(support::Style::#variant)
}

/// A path parameter's value as `Core::request` takes it: the field itself when it has a
/// text form, else the array or object written in its style.
fn path_value(param: &Param) -> TokenStream {
    let field = ident(&param.name);
    let wire = &param.api_name;
    match param.encoding {
        ParamEncoding::List { style, explode } => {
            let style = style_path(style);
            quote!(&support::path_list(#wire, &self.#field, #style, #explode))
        }
        ParamEncoding::Object { style, explode } => {
            let style = style_path(style);
            quote!(&support::path_object(#wire, &self.#field, #style, #explode))
        }
        ParamEncoding::Text | ParamEncoding::Json => quote!(&self.#field),
    }
}

/// `impl Operation` for the operation's request struct: how its inputs go on the wire, and
/// how a reply decodes into the response enum. An event goes to the client's URL itself.
pub(super) fn emit_operation_impl(api: &Api, op: &Operation) -> TokenStream {
    let (api_name, path) = (&op.api_name, &op.path.raw);
    let request_type = ident(&op.request_type);
    let response_type = ident(&op.response_type);
    // The query the spec's path key carries goes with every call.
    let constants = op
        .query_constants
        .iter()
        .map(|(name, value)| quote!(request.query(#name, Some(#value));));
    let mut setup: Vec<TokenStream> = constants
        .chain(op.params.iter().filter_map(encode_param))
        .collect();
    if let Some(body) = &op.body {
        setup.push(encode_body(body));
    }
    if !op.security.is_empty() {
        let sets = op.security.iter().map(|set| {
            let names = set.iter().map(|i| graph_scheme_name(api, *i));
            quote!(&[#(#names),*])
        });
        setup.push(quote!(request.security(&[#(#sets),*]);));
    }
    if !op.scopes.is_empty() {
        let scopes = op.scopes.iter().map(|(i, scopes)| {
            let name = graph_scheme_name(api, *i);
            quote!((#name, &[#(#scopes),*]))
        });
        setup.push(quote!(request.scopes(&[#(#scopes),*]);));
    }
    let (path_template, path_values) = path_template(op);
    // Binary bodies of exact statuses are handed over unread, to be streamed.
    let streamed: Vec<Literal> = op
        .responses
        .iter()
        .filter(|r| r.body.as_ref().is_some_and(Payload::is_binary))
        .filter_map(|r| match r.status {
            Status::Code(code) => Some(Literal::u16_unsuffixed(code)),
            _ => None,
        })
        .collect();
    if !streamed.is_empty() {
        setup.push(quote!(request.stream_binary(&[#(#streamed),*]);));
    }
    // Event streams and sequential JSON are handed over unread, whatever the status.
    let item_by_item: BTreeSet<&str> = op
        .responses
        .iter()
        .flat_map(|r| r.body.iter().flat_map(|p| &p.contents))
        .filter(|c| matches!(c.media, Media::EventStream(_) | Media::Items(..)))
        .map(|c| c.content_type.as_str())
        .collect();
    let streamed_media = !item_by_item.is_empty();
    if streamed_media {
        setup.push(quote!(request.stream_media(&[#(#item_by_item),*]);));
    }
    let reply = if streamed_media
        || op.responses.iter().any(|r| {
            r.body
                .as_ref()
                .is_some_and(|p| p.contents.iter().any(|c| c.media == Media::Binary))
        }) {
        quote!(mut reply)
    } else {
        quote!(reply)
    };
    // reqwest has a constant for each fixed method; another is made from its name, which
    // lowering checked is a token.
    let method = match &op.method {
        Method::Extension(name) => {
            let name = proc_macro2::Literal::byte_string(name.as_bytes());
            quote!(support::extension_method(#name))
        }
        fixed => {
            let fixed = ident(fixed.as_str());
            quote!(reqwest::Method::#fixed)
        }
    };
    let arms = op.responses.iter().map(|r| decode_arm(&response_type, r));
    let fallback = (!op.responses.iter().any(|r| r.status == Status::Default))
        .then(|| quote!(_ => return Err(reply.unexpected()),));
    // A default answer alone takes every status: no match.
    let decoded = match op.responses.as_slice() {
        [only] if only.status == Status::Default => decode_value(&response_type, only),
        _ => quote!(match reply.status() {
            #(#arms)*
            #fallback
        }),
    };
    let start = if let Some(server) = op.server.as_deref().filter(|_| op.origin == Origin::Path) {
        quote!(client.request_on(#server, crate::base_urls::TEMPLATES, #method, #path_template, &[#(#path_values),*]))
    } else if op.origin == Origin::Path {
        quote!(client.request(#method, #path_template, &[#(#path_values),*]))
    } else {
        quote!(client.request_at_base(#method))
    };
    let build = if setup.is_empty() {
        start
    } else {
        quote! {
            let mut request = #start;
            #(#setup)*
            request
        }
    };
    quote! {
        impl Operation for crate::requests::#request_type {
            type Response = crate::responses::#response_type;
            const OPERATION: &'static str = #api_name;
            const PATH: &'static str = #path;
        }

        impl support::Exchange for crate::requests::#request_type {
            fn build(&self, client: &Core) -> support::Request {
                #build
            }

            fn decode(#reply: support::Reply) -> Result<crate::responses::#response_type, Error> {
                Ok(#decoded)
            }
        }
    }
}

/// The type a client method or setter takes for an input (`impl Into<String>` for text, so
/// a `&str` does), and the expression making the field's value from it.
fn accepted(input: &Input) -> (TokenStream, TokenStream) {
    let name = &input.name;
    let ty = match &input.into {
        Some(into) => quote!(impl Into<#into>),
        None => input.value_ty.clone(),
    };
    let value = match (&input.start, input.into.is_some()) {
        (Start::None, true) => quote!(Some(#name.into())),
        (Start::None, false) => quote!(Some(#name)),
        (_, true) => quote!(#name.into()),
        (_, false) => quote!(#name),
    };
    (ty, value)
}

/// The client's method for an operation, and the setters of its optional inputs on `Call`.
/// `client` is the `Client` the method's `self` reaches (`self`, or a sender's field).
pub(super) fn emit_method(
    api: &Api,
    op: &Operation,
    client: &TokenStream,
) -> (TokenStream, TokenStream) {
    let name = ident(&op.name);
    let request_type = ident(&op.request_type);
    let inputs = inputs(api, op);
    let given: Vec<&Input> = inputs
        .iter()
        .filter(|i| matches!(i.start, Start::Required))
        .collect();
    let mut docs = operation_docs(op);
    // Client-level headers are set on the call too, but they are required: the client's
    // own value is sent where a call gives none, and the docs say so apart.
    // Each one's docs (on the field and its setter) name the `Client` method setting it.
    let client_level: Vec<&str> = op
        .params
        .iter()
        .filter(|p| api.client_header(p).is_some())
        .map(|p| p.name.as_str())
        .collect();
    let settable: Vec<&Input> = inputs
        .iter()
        .filter(|i| !matches!(i.start, Start::Required))
        .collect();
    let optional: Vec<String> = settable
        .iter()
        .filter(|i| !client_level.iter().any(|name| i.name == name))
        .map(|i| format!("`{}`", i.name))
        .collect();
    let from_client: Vec<String> = client_level
        .iter()
        .map(|name| format!("`{name}`"))
        .collect();
    if !optional.is_empty() {
        let line = format!(
            " Optional inputs are set on the returned [`Call`]: {}.",
            optional.join(", ")
        );
        docs.extend(quote!(#[doc = ""] #[doc = #line]));
    }
    if let Some(server) = &op.server {
        let line = format!(
            " Sent to its own server, `{server}`, while the client's base URL is one of the spec's servers ([`TEMPLATES`](crate::base_urls::TEMPLATES))."
        );
        docs.extend(quote!(#[doc = ""] #[doc = #line]));
    }
    if !from_client.is_empty() {
        let line = format!(
            " Headers the client fills in unless set on the [`Call`]: {}.",
            from_client.join(", ")
        );
        docs.extend(quote!(#[doc = ""] #[doc = #line]));
    }
    let method = if !positional(&given) && given.len() == inputs.len() {
        // Every input is required, and they could be swapped unnoticed: the request struct
        // names them.
        quote! {
            #docs
            pub fn #name(&self, request: crate::requests::#request_type) -> Call<'_, crate::requests::#request_type> {
                #client.call(request)
            }
        }
    } else if !positional(&given) {
        // Arguments that could be swapped unnoticed come named, in a struct of their own.
        let required_type = ident(&required_type(op));
        quote! {
            #docs
            pub fn #name(&self, required: crate::requests::#required_type) -> Call<'_, crate::requests::#request_type> {
                #client.call(crate::requests::#request_type::new(required))
            }
        }
    } else {
        let args = given.iter().map(|i| {
            let (ty, _) = accepted(i);
            let arg = &i.name;
            quote!(#arg: #ty)
        });
        let construct = if given.is_empty() {
            quote!(crate::requests::#request_type::default())
        } else if given.len() == inputs.len() {
            // Every input is given: the struct's literal.
            let fields = given.iter().map(|i| {
                let (name, value) = (&i.name, accepted(i).1);
                if *name == value.to_string() {
                    quote!(#name)
                } else {
                    quote!(#name: #value)
                }
            });
            quote!(crate::requests::#request_type { #(#fields),* })
        } else {
            let values = given.iter().map(|i| accepted(i).1);
            quote!(crate::requests::#request_type::new(#(#values),*))
        };
        quote! {
            #docs
            pub fn #name(&self #(, #args)*) -> Call<'_, crate::requests::#request_type> {
                #client.call(#construct)
            }
        }
    };
    let setters = settable.iter().map(|input| {
        let field = &input.name;
        let (ty, value) = accepted(input);
        let docs = &input.docs;
        quote! {
            #docs
            pub fn #field(mut self, #field: #ty) -> Self {
                self.request.#field = #value;
                self
            }
        }
    });
    let setters = (!settable.is_empty()).then(|| {
        quote! {
            impl Call<'_, crate::requests::#request_type> {
                #(#setters)*
            }
        }
    });
    (method, quote!(#setters))
}

fn graph_scheme_name(api: &Api, index: usize) -> &str {
    &api.security_schemes[index].api_name
}

/// One path segment as a `&str` expression: a literal, a parameter's text, or both joined.
/// The operation's path as the runtime's `Core::request` takes it: the spec's text with
/// `{}` for each parameter (`"items/item-{}.json"`, which no literal text of a path holds,
/// as `lower` reads any `{...}` as a parameter), and the parameters' values in order.
fn path_template(op: &Operation) -> (String, Vec<TokenStream>) {
    let mut values = Vec::new();
    let segments: Vec<String> = op
        .path
        .segments
        .iter()
        .map(|segment| {
            segment
                .iter()
                .map(|part| match part {
                    PathPart::Literal(literal) => literal.clone(),
                    PathPart::Param(i) => {
                        values.push(path_value(&op.params[*i]));
                        "{}".to_owned()
                    }
                })
                .collect()
        })
        .collect();
    (segments.join("/"), values)
}

fn decode_arm(response_type: &syn::Ident, response: &Response) -> TokenStream {
    let pattern = match response.status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        Status::Range(digit) => {
            let low = Literal::u16_unsuffixed(digit * 100);
            let high = Literal::u16_unsuffixed(digit * 100 + 99);
            quote!(#low..=#high)
        }
        Status::Default => quote!(_),
    };
    let value = decode_value(response_type, response);
    quote!(#pattern => #value,)
}

/// The response enum's variant for `response`, decoded from `reply`.
fn decode_value(response_type: &syn::Ident, response: &Response) -> TokenStream {
    let variant = ident(&response.variant);
    let body = response.body.as_ref().map(decode_payload);
    if response.is_body_only() {
        quote!(crate::responses::#response_type::#variant(#body))
    } else if matches!(response.status, Status::Code(_)) && response.headers.is_empty() {
        quote!(crate::responses::#response_type::#variant)
    } else {
        let status =
            (!matches!(response.status, Status::Code(_))).then(|| quote!(status: reply.status(),));
        let body = body.map(|b| quote!(body: #b,));
        let headers = response.headers.iter().map(|h| {
            let field = ident(&h.name);
            let wire = &h.api_name;
            if h.required {
                quote!(#field: reply.required_header(#wire)?,)
            } else {
                quote!(#field: reply.header(#wire)?,)
            }
        });
        quote!(crate::responses::#response_type::#variant { #status #body #(#headers)* })
    }
}
