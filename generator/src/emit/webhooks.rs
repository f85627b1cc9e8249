//! The `webhooks` module: the requests the API sends (`Api::events`, its webhooks and
//! callbacks). `receiver` is a trait and router emitted as the server is, `sender` a client
//! whose methods are emitted as the client's are, each sending to the URL it was made for.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::server::{emit_router, Surface};
use super::server_trait::emit_defaults;
use super::{client, ident, Needs};
use crate::model::{Api, Media, Operation, Origin, ParamEncoding, UrlPart};

/// The name of the receiver's trait, in its own module (`webhooks::receiver::Webhooks`).
const RECEIVER_TRAIT: &str = "Webhooks";

pub fn emit_webhooks(api: &Api) -> TokenStream {
    let (urls, reads_body): (Vec<TokenStream>, Vec<bool>) =
        api.callbacks().filter_map(|e| callback_url(api, e)).unzip();
    let json_text = reads_body.contains(&true).then(|| {
        quote! {
            /// The value at `pointer` in `body` as URL text: a string as it is, another
            /// value as JSON; `None` where there is none.
            fn json_text(body: &impl serde::Serialize, pointer: &str) -> Option<String> {
                match serde_json::to_value(body).ok()?.pointer(pointer)? {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(text) => Some(text.clone()),
                    other => Some(other.to_string()),
                }
            }
        }
    });
    let heading = format!(
        " The webhooks and callbacks of {}: requests the API sends, to a URL a subscriber gave.",
        api.title
    );
    quote! {
        #![doc = #heading]
        #![doc = ""]
        #![doc = " [`receiver`] (feature `server`): implement its `Webhooks` trait and serve its router to"]
        #![doc = " receive them. [`sender`] (feature `client`): a [`sender::Sender`] made for one URL sends"]
        #![doc = " them there. Both sides share the `requests` and `responses` types with the API's"]
        #![doc = " operations."]

        #[cfg(feature = "server")]
        #[rustfmt::skip]
        pub mod receiver;
        #[cfg(feature = "client")]
        #[rustfmt::skip]
        pub mod sender;

        #(#urls)*
        #json_text
    }
}

/// `<callback>_url` on the request struct of the callback's operation: its runtime
/// expression evaluated against a request, for the sender's URL. Only where every value
/// the expression names is a parameter read as text or a place in a JSON body the request
/// holds; otherwise the user gives the URL. With it, whether it reads the body.
fn callback_url(api: &Api, event: &Operation) -> Option<(TokenStream, bool)> {
    let Origin::Callback {
        operation,
        name,
        expression,
        url: Some(parts),
    } = &event.origin
    else {
        return None;
    };
    let op = api.operations.iter().find(|op| op.api_name == *operation)?;
    let values = parts
        .iter()
        .map(|part| match part {
            UrlPart::Literal(text) => Some(quote!(#text.to_owned())),
            UrlPart::Param(location, wire) => {
                let param = op.params.iter().find(|p| {
                    p.location == *location
                        && p.api_name.eq_ignore_ascii_case(wire)
                        && p.encoding == ParamEncoding::Text
                        && !p.client_level
                })?;
                let field = ident(&param.name);
                Some(if param.is_option() {
                    quote!(self.#field.as_ref()?.to_string())
                } else {
                    quote!(self.#field.to_string())
                })
            }
            UrlPart::Body(pointer) => {
                let body = op.body.as_ref().filter(|b| {
                    b.payload.enum_name.is_none()
                        && matches!(b.payload.contents.as_slice(), [c] if matches!(c.media, Media::Json(_)))
                })?;
                Some(if body.required {
                    quote!(json_text(&self.body, #pointer)?)
                } else {
                    quote!(json_text(self.body.as_ref()?, #pointer)?)
                })
            }
        })
        .collect::<Option<Vec<_>>>()?;
    let request = ident(&op.request_type);
    let method = format_ident!("{}_url", event.name);
    let doc = format!(
        " The URL of the callback `{name}` of `{operation}` for this request: `{expression}`, \
         `None` where the request does not hold a value it names. Send the callback there with \
         `webhooks::sender::Sender::new`."
    );
    let reads_body = parts.iter().any(|p| matches!(p, UrlPart::Body(_)));
    let method = quote! {
        impl crate::requests::#request {
            #[doc = #doc]
            pub fn #method(&self) -> Option<String> {
                Some([#(#values),*].concat())
            }
        }
    };
    Some((method, reads_body))
}

/// The receiving side: the server's extraction, checks and typed answers, each event at its
/// default route.
pub fn emit_receiver(api: &Api, needs: &Needs) -> TokenStream {
    emit_router(api, needs, &api.events, &receiver_surface(api), None)
}

/// `webhooks/receiver/defaults.rs`: the receiver's trait with the `server-defaults` feature.
pub fn emit_receiver_defaults(api: &Api) -> TokenStream {
    emit_defaults(api, &api.events, &receiver_surface(api))
}

fn receiver_surface(api: &Api) -> Surface<'static> {
    Surface {
        trait_name: RECEIVER_TRAIT,
        what: format!("The webhooks and callbacks {} sends", api.title),
        module_doc: [
            format!(
                " The receiver: implement [`{RECEIVER_TRAIT}`], then serve [`router`] with axum."
            ),
            " Each webhook is at `/<its name>`, each callback at `/<operation>/<its name>` (each"
                .to_owned(),
            " method's docs say); nest the router under any path with `axum::Router::nest`."
                .to_owned(),
        ]
        .into(),
    }
}

/// The sending side: one method per event on `Sender`, which wraps a `Client` whose base
/// URL is the subscriber's URL itself.
pub fn emit_sender(api: &Api) -> TokenStream {
    let (methods, setters): (Vec<TokenStream>, Vec<TokenStream>) = api
        .events
        .iter()
        .map(|op| client::emit_method(api, op, &quote!(self.client)))
        .unzip();
    let operations = api
        .events
        .iter()
        .map(|op| client::emit_operation_impl(api, op));
    quote! {
        //! The sender: [`Sender`], with one method per webhook and callback.
        use crate::client::{support, Call, Client, Error, Operation};
        use crate::client_support::Core;

        /// Sends webhooks and callbacks to one URL, the one a subscriber gave (a callback's
        /// runtime expression evaluated against the request it follows), as is: no path is
        /// added to it.
        ///
        /// It is a [`Client`] underneath, with the client's time limits, retries and rules
        /// for redirects; make one with [`Sender::with_client`] to set them, or credentials
        /// the events require. It is cheap to clone.
        #[derive(Debug, Clone)]
        pub struct Sender {
            client: Client,
        }

        impl Sender {
            /// A sender to `url`, with a client as [`Client::new`] makes one.
            pub fn new(url: &str) -> Result<Self, Error> {
                Client::new(url).map(|client| Sender { client })
            }

            /// A sender through `client`, to its base URL.
            pub fn with_client(client: Client) -> Self {
                Sender { client }
            }

            /// The client requests go through.
            pub fn client(&self) -> &Client {
                &self.client
            }

            #(#methods)*
        }

        #(#setters)*
        #(#operations)*
    }
}
