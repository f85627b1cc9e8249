//! The client's methods for OAuth 2 and OpenID Connect: a token source for every scheme
//! whose credential is a bearer token (`with_token_source`), and for each flow the spec
//! declares, a one-line way to use it with the spec's endpoints (`with_<scheme>_client_credentials`,
//! `with_<scheme>_refresh_token`, `<scheme>_device_authorization`; for OpenID Connect,
//! `with_<scheme>_client_credentials` at the token endpoint its discovery document names).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Api, FlowKind, OAuthFlow, SchemeKind, SecurityScheme};

/// The methods, empty for an API without token schemes.
pub(super) fn emit_token_methods(api: &Api) -> TokenStream {
    let tokens: Vec<&SecurityScheme> = api
        .security_schemes
        .iter()
        .filter(|s| s.kind.is_token())
        .collect();
    if tokens.is_empty() {
        return TokenStream::new();
    }
    let keys = tokens.iter().map(|s| s.api_name.as_str());
    let named = tokens
        .iter()
        .map(|s| format!("`{}`", s.api_name))
        .collect::<Vec<_>>()
        .join(", ");
    let summary = format!(
        " Sends the tokens `source` gives as `Authorization: Bearer <token>`, for {named}."
    );
    let flows: TokenStream = tokens
        .iter()
        .map(|scheme| match &scheme.kind {
            SchemeKind::OAuth2 { flows } => {
                let mut methods: TokenStream = flows.iter().map(|f| emit_flow(scheme, f)).collect();
                // One refresh for the flows that give refresh tokens: the first by kind.
                let refreshed = flows.iter().find(|f| {
                    matches!(
                        f.kind,
                        FlowKind::AuthorizationCode
                            | FlowKind::Password
                            | FlowKind::DeviceAuthorization
                    )
                });
                methods.extend(refreshed.map(|f| emit_refresh(scheme, f)));
                methods
            }
            SchemeKind::OpenIdConnect { discovery } if !discovery.is_empty() => {
                emit_discovered(scheme, discovery)
            }
            _ => TokenStream::new(),
        })
        .collect();
    quote! {
        #[doc = #summary]
        #[doc = ""]
        #[doc = " A token is fetched when a call first needs one, for the scopes the operation's"]
        #[doc = " security requirement names, and kept for every call and every clone of the client"]
        #[doc = " until shortly before it expires; if the API answers `401`, a new one is fetched and"]
        #[doc = " the call sent once more. Tokens are sent only to the API's origin and never show in"]
        #[doc = " `Debug` or traces."]
        pub fn with_token_source(mut self, source: impl support::TokenSource) -> Self {
            let tokens = support::TokenCache::new(source);
            #(self.core.set_credential(#keys, support::Credential::Source(tokens.clone()));)*
            self
        }

        #flows
    }
}

/// The method starting one flow, or nothing for a flow that needs the user's browser or
/// password (`implicit`, `authorizationCode`, `password`: their refresh is offered).
fn emit_flow(scheme: &SecurityScheme, flow: &OAuthFlow) -> TokenStream {
    let key = &scheme.api_name;
    let scopes = scope_docs(flow);
    match flow.kind {
        FlowKind::ClientCredentials => {
            let method = format_ident!("with_{}_client_credentials", scheme.name);
            let Some(url) = flow.token_url.as_deref() else {
                return TokenStream::new();
            };
            let summary = format!(
                " Gets `{key}` tokens with the client credentials flow: `client_id` and `client_secret` exchanged at `{url}`"
            );
            quote! {
                #[doc = #summary]
                #[doc = " (relative to the client's base URL if relative), by HTTP basic authentication,"]
                #[doc = " for the scopes each operation's requirement names; see [`Client::with_token_source`]."]
                #[doc = " For other settings, give a [`ClientCredentials`] of your own to it."]
                #scopes
                pub fn #method(
                    self,
                    client_id: impl Into<String>,
                    client_secret: impl Into<String>,
                ) -> Result<Self, Error> {
                    let url = self.core.endpoint(#url)?;
                    let source = support::ClientCredentials::new(&url, client_id, client_secret)?
                        .with_http_client(self.core.http_client().clone());
                    let mut client = self;
                    let tokens = support::TokenCache::new(source);
                    client.core.set_credential(#key, support::Credential::Source(tokens));
                    Ok(client)
                }
            }
        }
        FlowKind::DeviceAuthorization => {
            let method = format_ident!("{}_device_authorization", scheme.name);
            let (Some(device), Some(token)) = (
                flow.device_authorization_url.as_deref(),
                flow.token_url.as_deref(),
            ) else {
                return TokenStream::new();
            };
            let summary = format!(
                " The device authorization flow of `{key}` (RFC 8628), at `{device}` and `{token}`:"
            );
            quote! {
                #[doc = #summary]
                #[doc = " `start` it, show the user the code, wait for the token, and hand it to"]
                #[doc = " [`Client::with_token_source`] as a [`RefreshToken`]."]
                #scopes
                pub fn #method(
                    &self,
                    client_id: impl Into<String>,
                ) -> Result<support::DeviceAuthorization, Error> {
                    let device = self.core.endpoint(#device)?;
                    let token = self.core.endpoint(#token)?;
                    Ok(support::DeviceAuthorization::new(&device, &token, client_id)?
                        .with_http_client(self.core.http_client().clone()))
                }
            }
        }
        FlowKind::AuthorizationCode | FlowKind::Password | FlowKind::Implicit => TokenStream::new(),
    }
}

/// `with_<scheme>_refresh_token`: tokens from a refresh token that `flow` gave, at its
/// refresh URL (else its token URL).
fn emit_refresh(scheme: &SecurityScheme, flow: &OAuthFlow) -> TokenStream {
    let key = &scheme.api_name;
    let Some(url) = flow.refresh_url.as_deref().or(flow.token_url.as_deref()) else {
        return TokenStream::new();
    };
    let method = format_ident!("with_{}_refresh_token", scheme.name);
    let summary = format!(
        " Gets `{key}` tokens from `token` (one the `{}` flow gave): its access token while it lasts, then new ones for its refresh token at `{url}`.",
        flow.kind.api_name()
    );
    quote! {
        #[doc = #summary]
        #[doc = " See [`Client::with_token_source`]."]
        pub fn #method(
            self,
            client_id: impl Into<String>,
            token: support::Token,
        ) -> Result<Self, Error> {
            let url = self.core.endpoint(#url)?;
            let source = support::RefreshToken::from_token(&url, client_id, token)?
                .with_http_client(self.core.http_client().clone());
            let mut client = self;
                    let tokens = support::TokenCache::new(source);
                    client.core.set_credential(#key, support::Credential::Source(tokens));
                    Ok(client)
        }
    }
}

/// `with_<scheme>_client_credentials` of an OpenID Connect scheme: the client credentials
/// grant at the token endpoint its provider's discovery document names.
fn emit_discovered(scheme: &SecurityScheme, discovery: &str) -> TokenStream {
    let key = &scheme.api_name;
    let method = format_ident!("with_{}_client_credentials", scheme.name);
    let summary = format!(
        " Gets `{key}` tokens with the client credentials grant at the token endpoint of the OpenID Connect provider described at `{discovery}`"
    );
    quote! {
        #[doc = #summary]
        #[doc = " (relative to the client's base URL if relative; read when the first token is"]
        #[doc = " needed), by HTTP basic authentication, for the scopes each operation's requirement"]
        #[doc = " names; see [`Client::with_token_source`]."]
        pub fn #method(
            self,
            client_id: impl Into<String>,
            client_secret: impl Into<String>,
        ) -> Result<Self, Error> {
            let url = self.core.endpoint(#discovery)?;
            let source = support::ClientCredentials::discovered(&url, client_id, client_secret)?
                .with_http_client(self.core.http_client().clone());
            let mut client = self;
            let tokens = support::TokenCache::new(source);
            client.core.set_credential(#key, support::Credential::Source(tokens));
            Ok(client)
        }
    }
}

/// A doc paragraph naming the scopes a flow offers.
fn scope_docs(flow: &OAuthFlow) -> TokenStream {
    if flow.scopes.is_empty() {
        return TokenStream::new();
    }
    let names: Vec<String> = flow
        .scopes
        .iter()
        .map(|(name, _)| format!("`{}`", name.replace('`', "'")))
        .collect();
    let line = format!(" Its scopes: {}.", names.join(", "));
    quote!(#[doc = ""] #[doc = #line])
}
