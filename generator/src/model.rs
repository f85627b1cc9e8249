//! The intermediate model: what an API is, in Rust terms, with every name final.
//!
//! `lower` builds it from the parsed spec; `emit` turns it into code. It is plain data with no
//! token streams and no openapiv3 types, ordered so that iterating it is deterministic.

/// One API: its operations and the types they use.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Cargo package name of the generated crate (`rocketchat-logout`).
    pub crate_name: String,
    /// Name of the server trait (`Authentication`, from the title).
    pub trait_name: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The servers of the spec whose URLs are absolute with their variables at their
    /// defaults, in its order: the first is the default.
    pub servers: Vec<Server>,
    pub operations: Vec<Operation>,
    /// The requests the API sends rather than serves: its webhooks, then the callbacks of
    /// its operations, in the spec's order. Each is an [`Operation`] lowered as the API's
    /// are, with its [`Origin`] saying which; its `path` is the receiver's default route.
    pub events: Vec<Operation>,
    pub types: TypeGraph,
    /// The security schemes operations use, in the spec's order.
    pub security_schemes: Vec<SecurityScheme>,
    /// Headers the client stores once and sends with every operation that takes them.
    pub client_headers: Vec<ClientHeader>,
    /// The spec's examples that match their schemas: each must read into its type and
    /// write back the same JSON (a generated test).
    pub examples: Vec<Example>,
    /// What the API's settings add to the crate (see `crate::settings`).
    pub customization: Customization,
    /// How much of what the spec declares is here: the model's side of the account of a
    /// run (`crate::account`).
    pub kept: Kept,
    /// The groups of operations, sorted by module name: each is a module of its own in the
    /// generated `types`, `requests`, `responses`, `client` and `server`.
    pub groups: Vec<Group>,
    /// Which groups reach each type, by [`TypeId`]: a type reached by one group alone (and
    /// no event) is written in that group's module, any other in `shared`.
    pub type_reach: Vec<Reach>,
    /// Which groups use each enum of media types ([`Payload::enum_name`]), by its name.
    pub enum_reach: std::collections::BTreeMap<String, Reach>,
}

/// Operations that belong together: those of one tag, or (without tags, or with the
/// `group-by = "path"` setting) of one path segment. Their code goes in a module of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The module's name: snake_case, unique, never a keyword nor a name the generated
    /// modules use for themselves (`shared`, `rules`, `support`, ...).
    pub name: String,
    /// What it is named after: the tag, or the path segment.
    pub api_name: String,
    /// Which operations it holds, as a phrase for docs: "the operations tagged `pet`".
    pub what: String,
    /// The tag's description, where the spec gives one.
    pub docs: Docs,
    /// The cargo feature that compiles the group's operations and the types only they
    /// reach: its tag or segment in kebab-case, or another where that is a feature or
    /// dependency of the crate already (`lower/groups.rs`). `None` when the API has a single
    /// group, which a feature would not narrow.
    pub feature: Option<String>,
}

/// The cargo feature that turns on every group's feature, in the crate's `default`: a build
/// without default features names the groups it compiles.
pub const ALL_OPERATIONS: &str = "all-operations";

/// The groups whose operations use a type (through fields, items, variants, ...), and
/// whether a webhook or callback does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Reach {
    /// Indices into [`Api::groups`].
    pub groups: std::collections::BTreeSet<usize>,
    pub events: bool,
}

impl Reach {
    /// The one group whose module holds the item: `None` for `shared` (several groups, an
    /// event, or nothing reaches it).
    pub fn home(&self) -> Option<usize> {
        match (self.events, self.groups.len()) {
            (false, 1) => self.groups.first().copied(),
            _ => None,
        }
    }
}

/// What the spec declares, and how many of its schemas are typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kept {
    /// Operations the documents declare (every method of every path item), less those the
    /// settings leave out.
    pub operations_declared: usize,
    /// Webhooks and callbacks the documents declare: every method under `webhooks` and under
    /// each operation's `callbacks`.
    pub webhooks_declared: usize,
    /// Schemas lowered, each counted once by its place (a `$ref` is not a schema of its own).
    pub schemas: usize,
    /// Of those, the ones read as any JSON value.
    pub schemas_any: usize,
}

impl Api {
    /// The webhooks generated (the document's top-level `webhooks`, one per method).
    pub fn webhooks(&self) -> impl Iterator<Item = &Operation> {
        self.events
            .iter()
            .filter(|e| matches!(e.origin, Origin::Webhook { .. }))
    }

    /// The callbacks generated, each naming the operation it belongs to.
    pub fn callbacks(&self) -> impl Iterator<Item = &Operation> {
        self.events
            .iter()
            .filter(|e| matches!(e.origin, Origin::Callback { .. }))
    }

    /// The API's operations, then its events: everything with a request struct and a
    /// response enum.
    pub fn all_operations(&self) -> impl Iterator<Item = &Operation> {
        self.operations.iter().chain(&self.events)
    }

    /// The client-level header a parameter is, if it is one.
    pub fn client_header(&self, param: &Param) -> Option<&ClientHeader> {
        param.client_level.then_some(())?;
        self.client_headers
            .iter()
            .find(|h| h.api_name.eq_ignore_ascii_case(&param.api_name))
    }
}

/// What the user's settings add to a crate beyond the spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Customization {
    /// Another name for `client::Client`, exported at the crate root.
    pub client_name: Option<String>,
    /// Extra derives, by type name (`*` for every struct and enum), in the settings' order.
    pub derives: Vec<(String, Vec<String>)>,
    /// Extra dependencies for Cargo.toml: name and the inline TOML that follows `name = `.
    pub dependencies: Vec<(String, String)>,
    /// Where the crate's runtime comes from.
    pub runtime: RuntimeSource,
}

/// Where a generated crate's runtime comes from: a copy inside it, or the one runtime crate
/// that several generated crates share. The settings' `runtime` key and `--runtime`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum RuntimeSource {
    /// The runtime's files copied under `runtime/`, as the package `<crate>-runtime`: the
    /// crate stands alone.
    #[default]
    Vendored,
    /// The runtime crate at this path, relative to the generated crate's folder.
    Path(String),
    /// The runtime crate from the registry, at this version requirement.
    Version(String),
}

impl std::str::FromStr for RuntimeSource {
    type Err = String;

    /// `vendored`, `path=DIR` or `version=REQ`, as `--runtime` takes it.
    fn from_str(text: &str) -> Result<Self, String> {
        match text.split_once('=') {
            None if text == "vendored" => Ok(RuntimeSource::Vendored),
            Some(("path", dir)) if !dir.is_empty() => Ok(RuntimeSource::Path(dir.to_owned())),
            Some(("version", req)) if !req.is_empty() => Ok(RuntimeSource::Version(req.to_owned())),
            _ => Err(format!(
                "expected `vendored`, `path=DIR` or `version=REQ`, found {text:?}"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL as the spec writes it, `{variables}` and all.
    pub template: String,
    /// Its variant in the crate's `base_urls::Server`.
    pub name: String,
    pub docs: Docs,
    /// Each variable, in the spec's order.
    pub variables: Vec<ServerVariable>,
}

/// A variable of a server's URL: a choice of values (an enum of its own, named `type_name`)
/// or any text.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// As the URL writes it.
    pub name: String,
    /// Its field in the server's variant.
    pub field: String,
    pub default: String,
    /// The values it may take (the default among them), or none: any text.
    pub values: Vec<EnumVariant>,
    pub type_name: String,
    pub docs: Docs,
}

impl Server {
    /// The URL with `values` for some variables and defaults for the rest.
    pub fn url_with(&self, values: &[(&str, &str)]) -> String {
        fill_variables(
            &self.template,
            self.variables.iter().map(|variable| {
                let value = values
                    .iter()
                    .find(|(n, _)| *n == variable.name)
                    .map_or(variable.default.as_str(), |(_, v)| v);
                (variable.name.as_str(), value)
            }),
        )
    }
}

/// A server URL `template` with each `{name}` of `values` replaced by its value.
pub(crate) fn fill_variables<'a>(
    template: &str,
    values: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut url = template.to_owned();
    for (name, value) in values {
        url = url.replace(&format!("{{{name}}}"), value);
    }
    url
}

/// A way to authenticate, as `components.securitySchemes` names it.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Rust name, snake_case (`api_key`): the client's `with_api_key` method.
    pub name: String,
    /// The scheme's key in the spec (`ApiKeyAuth`).
    pub api_name: String,
    pub kind: SchemeKind,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// An API key in a header, query parameter or cookie of this name.
    ApiKey { location: Location, param: String },
    /// `Authorization: Bearer <token>`: HTTP bearer, and the tokens of OAuth 2 and OpenID
    /// Connect.
    Bearer,
    /// `Authorization: Basic <user:password>`.
    Basic,
    /// OAuth 2: a bearer token, obtained through one of the flows the spec declares.
    OAuth2 { flows: Vec<OAuthFlow> },
    /// OpenID Connect: a bearer token; its provider's configuration is at `discovery`
    /// (the spec's `openIdConnectUrl`, relative to the server's URL when relative; empty
    /// when it is not a URL, which is reported).
    OpenIdConnect { discovery: String },
}

impl SchemeKind {
    /// Whether the scheme's credential is a bearer token (`Authorization: Bearer`), which a
    /// token source can supply.
    pub fn is_token(&self) -> bool {
        matches!(
            self,
            SchemeKind::Bearer | SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. }
        )
    }
}

/// One OAuth 2 flow of a scheme, with its endpoints as the spec writes them (absolute, or
/// relative to the server's URL: the client resolves them against its base URL).
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthFlow {
    pub kind: FlowKind,
    /// Where the user authorizes (`implicit`, `authorizationCode`).
    pub authorization_url: Option<String>,
    /// Where tokens are issued (every flow but `implicit`).
    pub token_url: Option<String>,
    /// Where a refresh token is exchanged, when the spec names a URL of its own.
    pub refresh_url: Option<String>,
    /// Where a device asks for a user code (`deviceAuthorization`, OpenAPI 3.2).
    pub device_authorization_url: Option<String>,
    /// The scopes the flow offers, with their descriptions, in the spec's order.
    pub scopes: Vec<(String, String)>,
}

/// The OAuth 2 grant a flow is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlowKind {
    ClientCredentials,
    AuthorizationCode,
    Password,
    Implicit,
    /// RFC 8628's device authorization grant (OpenAPI 3.2's `deviceAuthorization`).
    DeviceAuthorization,
}

impl FlowKind {
    /// The flow's key in `flows`.
    pub fn api_name(self) -> &'static str {
        match self {
            FlowKind::ClientCredentials => "clientCredentials",
            FlowKind::AuthorizationCode => "authorizationCode",
            FlowKind::Password => "password",
            FlowKind::Implicit => "implicit",
            FlowKind::DeviceAuthorization => "deviceAuthorization",
        }
    }
}

/// A header parameter required by most operations of an API (a session token or API key
/// passed as a plain header, with no security scheme): the client holds it once, and the
/// operations' own arguments for it become optional overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientHeader {
    /// Name of the client's setter (`set_x_auth_token`).
    pub setter: String,
    /// Name of the client's method removing it (`clear_x_auth_token`).
    pub clearer: String,
    /// The header's name on the wire.
    pub api_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Name of its test, snake_case and unique.
    pub name: String,
    /// Where the example is in the spec.
    pub pointer: String,
    pub ty: TypeRef,
    /// The example as JSON text.
    pub json: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// A method the path item's fixed fields above do not name: OpenAPI 3.2's `query`
    /// (`QUERY`) and each key of its `additionalOperations` (`COPY`, `PURGE`), spelled as
    /// sent and checked to be an HTTP token when lowered. Neither axum's `MethodFilter` nor
    /// reqwest's constants have these: the client builds the method from its name and the
    /// server's routes check it themselves.
    Extension(String),
}

impl Method {
    /// The method of a path item's fixed field (`get`); `None` for another key (3.2's
    /// `query` is read with `additionalOperations`, as an extension method).
    pub fn from_key(key: &str) -> Option<Method> {
        Some(match key {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Extension(name) => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Rust method name, snake_case and unique in the API (`list_pets`).
    pub name: String,
    /// Prefix for the operation's own types, PascalCase (`ListPets`).
    pub type_name: String,
    /// operationId, or `METHOD /path` where the spec gives none.
    pub api_name: String,
    pub method: Method,
    pub path: PathTemplate,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// Name of the per-operation input struct (`ListPetsRequest`): every parameter and the
    /// body, one named field each. The client sends it; the server trait receives it.
    pub request_type: String,
    /// Name of the per-operation response enum (`ListPetsResponse`).
    pub response_type: String,
    /// Alternative ways to authenticate: any one set of schemes (indices into
    /// `Api::security_schemes`) suffices. Empty when the operation is open; an empty set
    /// among them makes authentication optional.
    pub security: Vec<Vec<usize>>,
    /// The scopes the requirements name for each OAuth 2 or OpenID Connect scheme (by index
    /// into `Api::security_schemes`, sorted), where they name any: what a token for this
    /// operation is asked for.
    pub scopes: Vec<(usize, Vec<String>)>,
    /// How the answers come in pages, when the spec makes it evident or says so.
    pub pagination: Option<Pagination>,
    /// Query pairs written in the spec's path key (`/responses/{id}?beta=true`), decoded:
    /// the client sends them with every call, and the server tells this operation apart
    /// from others on its route by them.
    pub query_constants: Vec<(String, String)>,
    /// The operation (its `name`) the server answers this one's requests with, when the two
    /// are the same request on the wire (`GET /Contacts/{ContactID}` and
    /// `GET /Contacts/{ContactNumber}`): the client has both, the server only that one.
    pub answered_by: Option<String>,
    /// The base URL the operation's own `servers` (or its path's) send it to: the first,
    /// its variables at their defaults. `None` where it has none of its own, or where they
    /// are the document's (Twilio repeats its server on every path).
    pub server: Option<String>,
    pub docs: Docs,
    /// Where the spec declares it: a path the API serves, or a request the API sends.
    pub origin: Origin,
    /// The first of the spec's tags, if it gives any.
    pub tag: Option<String>,
    /// Its group, an index into [`Api::groups`]; events (which stay in `webhooks`) have none.
    pub group: Option<usize>,
}

/// Where an operation comes from. An API serves its `paths`; it sends its webhooks and
/// callbacks, to a URL a subscriber gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// An operation under `paths`, in [`Api::operations`].
    Path,
    /// A webhook, the key under the document's `webhooks`.
    Webhook { name: String },
    /// A callback of an operation (its `api_name`): the callback's key and the runtime
    /// expression of the URL it goes to (`{$request.body#/callbackUrl}`).
    Callback {
        operation: String,
        name: String,
        expression: String,
        /// The expression read as parts of the URL, where it uses only what a request of
        /// the operation holds (`$request.query.*`, `header`, `path`, `body#/pointer`).
        url: Option<Vec<UrlPart>>,
    },
}

/// A part of a callback's URL: text, or a value of the request that the callback follows.
#[derive(Debug, Clone, PartialEq)]
pub enum UrlPart {
    Literal(String),
    /// A parameter of the request, by its place and its name on the wire.
    Param(Location, String),
    /// The value at a JSON pointer into the request's body.
    Body(String),
}

/// How an operation's answers come in pages, so the client can read every item of every
/// page as one stream (see `lower/pagination.rs` for the rules that find it).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Index into the operation's `responses`: the answer that is a page.
    pub response: usize,
    /// The fields from the page's body to its list of items; none when the body is the list.
    pub items: Vec<FieldStep>,
    /// The type of one item.
    pub item: TypeRef,
    pub next: NextPage,
}

/// A field of a struct, on the way from a body to something in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldStep {
    pub owner: TypeId,
    /// Index into the struct's fields.
    pub field: usize,
}

/// Where the next page is.
#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// The query parameter `param` (index into `params`) takes the value of the body's
    /// `field` (a cursor, a page token); no value, or an empty one, ends the pages.
    Cursor { param: usize, field: Vec<FieldStep> },
    /// The body's `field` holds the next page's URL (`nextLink`, `next`).
    Url { field: Vec<FieldStep> },
    /// The page's `Link` header (index into the response's `headers`) names it
    /// (`rel="next"`).
    Link { header: usize },
    /// The query parameter `param` counts the items to skip; each page advances it by its
    /// length.
    Offset { param: usize },
    /// The query parameter `param` numbers the pages, the first one `first`.
    Page { param: usize, first: i64 },
}

/// A path such as `/pets/{petId}`, split into segments between slashes.
#[derive(Debug, Clone, PartialEq)]
pub struct PathTemplate {
    /// The path as the URL has it: the spec's path key less a query or fragment it carries.
    pub raw: String,
    pub segments: Vec<Vec<PathPart>>,
}

impl PathTemplate {
    /// What the server's router sees: each segment's literal text, with `None` for each
    /// variable (`/files/{name}.{ext}` → `files`, `[None, ".", None]`).
    pub fn shape(&self) -> Vec<Vec<Option<&str>>> {
        self.segments
            .iter()
            .map(|segment| {
                segment
                    .iter()
                    .map(|part| match part {
                        PathPart::Literal(literal) => Some(literal.as_str()),
                        PathPart::Param(_) => None,
                    })
                    .collect()
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// Index into the operation's `params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    Path,
    Query,
    /// The whole query string as one value, JSON text (OpenAPI 3.2's `in: querystring`;
    /// one of form pairs is read as an object `in: query`).
    QueryString,
    Header,
    Cookie,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::QueryString => "querystring",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust argument name, unique among the operation's arguments.
    pub name: String,
    /// Name on the wire, exactly as the spec writes it.
    pub api_name: String,
    pub location: Location,
    pub required: bool,
    pub ty: TypeRef,
    pub encoding: ParamEncoding,
    /// A query parameter whose values keep RFC 3986's reserved characters unencoded
    /// (`allowReserved`), but for those that would change what the query says.
    pub allow_reserved: bool,
    /// A header the client stores (see [`ClientHeader`]): the client's argument for it is an
    /// optional override; the server still receives it as declared.
    pub client_level: bool,
    /// A required query parameter whose schema allows any value: the empty object is no
    /// pairs at all in the `form` style, so the server reads an absent one as empty text.
    pub absent_is_empty: bool,
    /// Checked by the server stub: 400 naming the parameter when one is broken.
    pub constraints: Constraints,
    /// The schema's `default`, when it fits the type: the value of an omitted parameter, so
    /// its field is never `None`.
    pub default: Option<serde_json::Value>,
    pub docs: Docs,
}

impl Param {
    /// Whether the input struct holds the parameter as an `Option`: optional, with no
    /// default, or a client-level header (`None`: the client's stored value).
    pub fn is_option(&self) -> bool {
        (!self.required && self.default.is_none()) || self.client_level
    }
}

/// How a parameter's value is written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamEncoding {
    /// A scalar written with its text form (numbers, booleans, strings, string enums).
    Text,
    /// An array of scalars, written as its `style` and `explode` say (OpenAPI's table of
    /// style examples): in the query `a=1&a=2` exploded, else `a=1,2` (`a=1%202`,
    /// `a=1|2` for the `spaceDelimited` and `pipeDelimited` styles); in a path `1,2`,
    /// `.1.2` (`label`) or `;a=1;a=2` (`matrix`); in a header `1,2`.
    List { style: Style, explode: bool },
    /// A flat object, with named properties or any (a map of text), written as its `style`
    /// and `explode` say: in the query `R=1&G=2` exploded, `color=R,1,G,2` not,
    /// `color[R]=1&color[G]=2` in the `deepObject` style (exploded, an empty object is no
    /// pairs at all); in a path or header `R=1,G=2` exploded, `R,1,G,2` not (`label` and
    /// `matrix` put their prefixes before each).
    Object { style: Style, explode: bool },
    /// Anything else: the value's JSON text.
    Json,
}

/// A parameter's `style`: how an array or object is written in its location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

impl Style {
    /// The name of the runtime's `Style` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Style::Simple => "Simple",
            Style::Label => "Label",
            Style::Matrix => "Matrix",
            Style::Form => "Form",
            Style::SpaceDelimited => "SpaceDelimited",
            Style::PipeDelimited => "PipeDelimited",
            Style::DeepObject => "DeepObject",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub payload: Payload,
    pub required: bool,
    pub docs: Docs,
}

/// The media types a body may come in. With one, the body is that media's type; with
/// several, it is an enum (`enum_name`) with a variant per media type, and the receiver
/// tells them apart by `Content-Type`.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    pub contents: Vec<Content>,
    pub enum_name: Option<String>,
}

impl Payload {
    /// Whether the payload is binary and nothing else: such a body is streamed (sent as it
    /// is produced, read as it arrives) rather than held whole.
    pub fn is_binary(&self) -> bool {
        matches!(self.contents.as_slice(), [only] if only.media == Media::Binary)
    }

    /// Whether the payload is one media read as it arrives: binary, or sequential JSON.
    /// The server leaves such a request body unread for the implementation.
    pub fn is_streamed(&self) -> bool {
        matches!(self.contents.as_slice(), [only] if matches!(only.media, Media::Binary | Media::Items(..)))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// The media type as the spec names it (`application/json`, `image/*`).
    pub content_type: String,
    /// Variant name in the payload's enum (`Json`, `Text`, `ImagePng`).
    pub variant: String,
    pub media: Media,
    /// What the schema's own keywords hold a JSON request body to (an array's `maxItems`,
    /// its items' constraints), which the server checks; none elsewhere.
    pub constraints: Constraints,
}

/// How a body is encoded, with the Rust type it decodes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Media {
    Json(TypeRef),
    Text,
    Binary,
    /// `application/x-www-form-urlencoded`: a struct's fields as form pairs.
    Form(TypeRef),
    /// `multipart/form-data`: a [`TypeKind::Multipart`] struct, one part per field.
    Multipart(TypeId),
    /// `text/event-stream` in a response: server-sent events whose data is this type
    /// ([`TypeRef::String`]: the data as it is; anything else: JSON).
    EventStream(TypeRef),
    /// Sequential JSON (`application/jsonl`, `application/x-ndjson`,
    /// `application/json-seq`), in a response or a request: a stream of items of this
    /// type, each a JSON text framed as the [`Framing`] says.
    Items(TypeRef, Framing),
}

/// How the items of sequential JSON are told apart on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One item a line (JSON Lines, NDJSON).
    Lines,
    /// Each item after a record separator (0x1E) and ended by a line feed (RFC 7464).
    RecordSeparator,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    /// Variant name in the response enum (`Ok`, `NotFound`, `Default`).
    pub variant: String,
    pub body: Option<Payload>,
    pub headers: Vec<ResponseHeader>,
    pub docs: Docs,
    /// A body the generated mock answers with: the index of a JSON content of `body` and
    /// a value of its type as JSON text (the spec's example, its schema's, or one built from
    /// the schema), checked to read into the type.
    pub example: Option<(usize, String)>,
}

impl Response {
    /// A variant that carries nothing but its body, and whose status is fixed, is a tuple
    /// variant; everything else is a struct variant.
    pub fn is_body_only(&self) -> bool {
        matches!(self.status, Status::Code(_)) && self.headers.is_empty() && self.body.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `2XX`: the first digit.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub name: String,
    pub api_name: String,
    pub required: bool,
    pub ty: TypeRef,
    pub docs: Docs,
    /// The constraints its schema's own keywords put on its value, which a value the mock
    /// builds keeps to.
    pub rules: Constraints,
    /// A value the generated mock answers with, as JSON text checked to read into `ty`: the
    /// spec's example, else one built from the schema; for required headers only. (Until
    /// `lower/examples.rs` checks it, the spec's example as written.)
    pub example: Option<String>,
}

/// Documentation taken from the spec: summary and description, either may be missing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub summary: Option<String>,
    pub description: Option<String>,
}

impl Docs {
    pub fn description(description: Option<&str>) -> Self {
        Docs {
            summary: None,
            description: non_blank(description),
        }
    }

    pub fn new(summary: Option<&str>, description: Option<&str>) -> Self {
        Docs {
            summary: non_blank(summary),
            description: non_blank(description),
        }
    }
}

fn non_blank(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// A use of a type: a primitive, a container, or a named definition in the graph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    /// `format: uint32` / `uint64`, or an integer format with `minimum >= 0` that says so.
    U32,
    U64,
    F32,
    F64,
    /// `format: date-time`: an instant (`chrono::DateTime<chrono::Utc>`).
    DateTime,
    /// `format: date`: a calendar date (`chrono::NaiveDate`).
    Date,
    /// `format: uuid` (`uuid::Uuid`).
    Uuid,
    /// `format: byte`: base64 text on the wire, bytes in Rust (`crate::types::Base64`).
    Base64,
    /// Any JSON value (`serde_json::Value`).
    Any,
    Named(TypeId),
    /// A type the user named in the settings or with `x-rust-type` (`rust_decimal::Decimal`):
    /// it must be serde-compatible, and have `Display` and `FromStr` where it is a parameter.
    Custom(String),
    List(Box<TypeRef>),
    /// A JSON object with string keys and values of one type.
    Map(Box<TypeRef>),
}

impl TypeRef {
    /// Types with a text form of their own (`FromStr` and `Display`), usable as parameters.
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            TypeRef::String
                | TypeRef::Bool
                | TypeRef::I32
                | TypeRef::I64
                | TypeRef::U32
                | TypeRef::U64
                | TypeRef::F32
                | TypeRef::F64
                | TypeRef::DateTime
                | TypeRef::Date
                | TypeRef::Uuid
                | TypeRef::Custom(_)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Every named type of the API, indexed by [`TypeId`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeGraph {
    pub defs: Vec<TypeDef>,
    /// Why uses of a schema fell back to `serde_json::Value`, with how often: a measure of
    /// how much of an API is typed.
    pub fallbacks: std::collections::BTreeMap<&'static str, usize>,
}

impl TypeGraph {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    /// Whether values of `ty` have a text form (`Display` and `FromStr`), as parameters
    /// need: scalars, enums, and oneOfs of those.
    pub fn has_text_form(&self, ty: &TypeRef) -> bool {
        self.is_text_scalar(ty)
            || matches!(self.resolve_alias(ty), TypeRef::Named(id)
                if matches!(&self.get(*id).kind, TypeKind::Untagged(variants)
                    if variants.iter().all(|v| self.is_text_scalar(&v.ty))))
    }

    /// Scalars and enums: one value with a text form.
    pub fn is_text_scalar(&self, ty: &TypeRef) -> bool {
        match self.resolve_alias(ty) {
            TypeRef::Named(id) => {
                matches!(self.get(*id).kind, TypeKind::Enum(_) | TypeKind::IntEnum(_))
            }
            other => other.is_scalar(),
        }
    }

    /// Follows aliases (`type Pets = Vec<Pet>`) to the type they stand for.
    /// Whether a definition is a union of multipart forms (a multipart body's oneOf), sent
    /// and read as parts, never as JSON.
    pub fn is_multipart_forms(&self, kind: &TypeKind) -> bool {
        matches!(kind, TypeKind::Untagged(variants) if !variants.is_empty()
            && variants.iter().all(|v| matches!(v.ty, TypeRef::Named(id)
                if matches!(self.get(id).kind, TypeKind::Multipart(_)))))
    }

    pub fn resolve_alias<'t>(&'t self, mut ty: &'t TypeRef) -> &'t TypeRef {
        // An alias cycle (`A = B`, `B = A`) cannot go on longer than there are definitions.
        for _ in 0..=self.defs.len() {
            match ty {
                TypeRef::Named(id) => match &self.get(*id).kind {
                    TypeKind::Alias(inner) => ty = inner,
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }
}

/// The definition a type names, if it names one.
fn named(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(id) => Some(id.0),
        _ => None,
    }
}

impl TypeGraph {
    /// The longest chain of types held inside one another, counting each definition once
    /// and each `Vec` or map on the way twice (a recursive type's own cycle counts once). The
    /// compiler proves `Send` for a response through every level, one step of its
    /// recursion limit each; the crate raises the limit by this figure.
    pub fn nesting_depth(&self) -> usize {
        // Depth first without recursion: a spec may chain thousands of schemas.
        const IN_PROGRESS: usize = usize::MAX;
        let mut depths: Vec<Option<usize>> = vec![None; self.defs.len()];
        for root in 0..self.defs.len() {
            let mut stack = vec![root];
            while let Some(&id) = stack.last() {
                if depths[id].is_some_and(|d| d != IN_PROGRESS) {
                    stack.pop();
                    continue;
                }
                depths[id] = Some(IN_PROGRESS);
                let children = self.held_types(id);
                let unknown: Vec<usize> = children
                    .iter()
                    .filter_map(|(_, ty)| named(ty))
                    .filter(|child| depths[*child].is_none())
                    .collect();
                if !unknown.is_empty() {
                    stack.extend(unknown);
                    continue;
                }
                let depth = children
                    .iter()
                    .map(|(wrappers, ty)| {
                        // A type on the stack is on a cycle back to itself: counted once.
                        let inner = named(ty).map_or(0, |child| match depths[child] {
                            Some(IN_PROGRESS) | None => 0,
                            Some(d) => d,
                        });
                        wrappers + inner
                    })
                    .max()
                    .unwrap_or(0);
                depths[id] = Some(depth + 1);
                stack.pop();
            }
        }
        depths.into_iter().flatten().max().unwrap_or(0)
    }

    /// The types a definition holds, each with its weight of `Vec`s and maps it sits in.
    fn held_types(&self, id: usize) -> Vec<(usize, &TypeRef)> {
        let refs = self.defs[id].kind.held_refs();
        refs.into_iter()
            .map(|mut ty| {
                let mut wrappers = 0;
                while let TypeRef::List(inner) | TypeRef::Map(inner) = ty {
                    // The compiler takes about as many steps through a `Vec` or a map
                    // (their inner types) as through two definitions.
                    wrappers += 2;
                    ty = inner;
                }
                (wrappers, ty)
            })
            .collect()
    }

    /// How many definitions the crate has, and how many uses of a schema fell back to
    /// `serde_json::Value`, by reason.
    pub fn summary(&self) -> String {
        let fallbacks: Vec<String> = self
            .fallbacks
            .iter()
            .map(|(reason, n)| format!("{reason}: {n}"))
            .collect();
        format!(
            "{} types; serde_json::Value for {} schemas ({})",
            self.defs.len(),
            self.fallbacks.values().sum::<usize>(),
            fallbacks.join(", ")
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust type name, PascalCase and unique in the crate.
    pub name: String,
    pub docs: Docs,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Vec<Field>),
    /// A string enum; unknown values are kept by a catch-all variant.
    Enum(Vec<EnumVariant>),
    /// An integer enum; unknown values are kept by a catch-all variant.
    IntEnum(Vec<IntVariant>),
    /// oneOf with a discriminator: the variant is chosen by the value of one property.
    Tagged {
        /// The discriminating property, as on the wire.
        property: String,
        variants: Vec<TaggedVariant>,
    },
    /// One of several shapes, tried in order (`#[serde(untagged)]`).
    Untagged(Vec<UntaggedVariant>),
    /// Another name for a type (`pub type Pets = Vec<Pet>;`).
    Alias(TypeRef),
    /// The parts of a `multipart/form-data` body, one per field.
    Multipart(Vec<PartField>),
    /// A wrapper with the same JSON form as its content (`pub struct Tree(pub Vec<Tree>);`),
    /// for aliases that refer to themselves, which Rust's type aliases cannot.
    Newtype(TypeRef),
}

impl TypeKind {
    /// The types a definition of this kind holds: its fields', variants', target's and
    /// text or JSON parts' types (files hold none).
    pub fn held_refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Tagged { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Untagged(variants) => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::Multipart(parts) => parts
                .iter()
                .filter_map(|p| match &p.kind {
                    PartKind::Text(ty) | PartKind::Json(ty) => Some(ty),
                    PartKind::File | PartKind::Files => None,
                })
                .collect(),
            TypeKind::Enum(_) | TypeKind::IntEnum(_) => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PartField {
    pub name: String,
    pub api_name: String,
    pub kind: PartKind,
    pub required: bool,
    pub docs: Docs,
}

/// How a multipart field is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// A file: bytes with an optional file name and content type.
    File,
    /// Several files under one name.
    Files,
    /// A value written as text (scalars, string enums).
    Text(TypeRef),
    /// A value written as JSON text.
    Json(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub api_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// The map of properties not named by the schema (`additionalProperties`), flattened
    /// beside the named fields; its `api_name` is empty.
    pub flatten: bool,
    /// Boxed because the field's type contains the struct itself.
    pub boxed: bool,
    /// Declared by only some alternatives of the union this struct merges: the others take
    /// any value under its name, so a value that does not fit its type reads as absent.
    pub loose: bool,
    /// The schema's `default`, when it fits the field's type: used for an absent field.
    pub default: Option<serde_json::Value>,
    pub constraints: Constraints,
    pub access: Access,
    pub docs: Docs,
}

/// Which messages a property appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    /// `readOnly`: responses only.
    ReadOnly,
    /// `writeOnly`: requests only.
    WriteOnly,
}

/// The checks a schema puts on a value; the server stub enforces them on requests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub minimum: Option<f64>,
    pub exclusive_minimum: bool,
    pub maximum: Option<f64>,
    pub exclusive_maximum: bool,
    /// Greater than 0 (normalize drops any other).
    pub multiple_of: Option<f64>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    /// A string `format` the server checks. Formats with a type of their own (`date-time`,
    /// `uuid`) are checked by reading them.
    pub format: Option<TextFormat>,
    /// What each item of an array (or each value of a map) is held to: its `items` schema's
    /// (or `additionalProperties`') constraints, when it has any.
    pub each: Option<Box<Each>>,
}

/// The constraints on each member of an array or a map.
#[derive(Debug, Clone, PartialEq)]
pub struct Each {
    pub members: Members,
    pub constraints: Constraints,
}

/// Which members of a value [`Each`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    /// An array's `items`.
    Items,
    /// A map's values (`additionalProperties`).
    Values,
}

/// The string formats checked as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    Email,
    Uri,
    Ipv4,
    Ipv6,
}

impl TextFormat {
    /// The format for a `format` keyword's value, if it is one of these.
    pub fn named(format: &str) -> Option<TextFormat> {
        match format {
            "email" => Some(TextFormat::Email),
            "uri" => Some(TextFormat::Uri),
            "ipv4" => Some(TextFormat::Ipv4),
            "ipv6" => Some(TextFormat::Ipv6),
            _ => None,
        }
    }

    /// The keyword's value.
    pub fn as_str(self) -> &'static str {
        match self {
            TextFormat::Email => "email",
            TextFormat::Uri => "uri",
            TextFormat::Ipv4 => "ipv4",
            TextFormat::Ipv6 => "ipv6",
        }
    }
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// What a value must meet to meet both `self` and `other` (the parts of an allOf): the
    /// tighter of each bound; of two patterns or formats, `self`'s (one is checked).
    pub fn tightest(self, other: Constraints) -> Constraints {
        fn pick<T: Copy>(a: Option<T>, b: Option<T>, first: fn(T, T) -> bool) -> Option<T> {
            match (a, b) {
                (Some(a), Some(b)) => Some(if first(a, b) { a } else { b }),
                (a, b) => a.or(b),
            }
        }
        // Of two bounds at the same value, the exclusive one is tighter.
        let (minimum, exclusive_minimum) = match (self.minimum, other.minimum) {
            (Some(a), Some(b)) if b > a || (b == a && other.exclusive_minimum) => {
                (Some(b), other.exclusive_minimum)
            }
            (Some(a), _) => (Some(a), self.exclusive_minimum),
            (None, b) => (b, other.exclusive_minimum),
        };
        let (maximum, exclusive_maximum) = match (self.maximum, other.maximum) {
            (Some(a), Some(b)) if b < a || (b == a && other.exclusive_maximum) => {
                (Some(b), other.exclusive_maximum)
            }
            (Some(a), _) => (Some(a), self.exclusive_maximum),
            (None, b) => (b, other.exclusive_maximum),
        };
        Constraints {
            min_length: pick(self.min_length, other.min_length, |a, b| a >= b),
            max_length: pick(self.max_length, other.max_length, |a, b| a <= b),
            pattern: self.pattern.or(other.pattern),
            minimum,
            exclusive_minimum,
            maximum,
            exclusive_maximum,
            multiple_of: self.multiple_of.or(other.multiple_of),
            min_items: pick(self.min_items, other.min_items, |a, b| a >= b),
            max_items: pick(self.max_items, other.max_items, |a, b| a <= b),
            unique_items: self.unique_items || other.unique_items,
            format: self.format.or(other.format),
            each: match (self.each, other.each) {
                (Some(a), Some(b)) => Some(Box::new(Each {
                    members: a.members,
                    constraints: a.constraints.tightest(b.constraints),
                })),
                (a, b) => a.or(b),
            },
        }
    }

    /// Each constraint set, as its JSON Schema keyword and value (`uniqueItems` has none),
    /// in one fixed order: what the docs say and what the crate's rule sets are named by.
    pub fn keywords(&self) -> Vec<(&'static str, Option<String>)> {
        let mut keywords = Vec::new();
        let mut push = |name: &'static str, value: Option<String>| {
            if let Some(value) = value {
                keywords.push((name, Some(value)));
            }
        };
        push("minLength", self.min_length.map(|v| v.to_string()));
        push("maxLength", self.max_length.map(|v| v.to_string()));
        push("pattern", self.pattern.clone());
        let minimum = if self.exclusive_minimum {
            "exclusiveMinimum"
        } else {
            "minimum"
        };
        push(minimum, self.minimum.map(|v| v.to_string()));
        let maximum = if self.exclusive_maximum {
            "exclusiveMaximum"
        } else {
            "maximum"
        };
        push(maximum, self.maximum.map(|v| v.to_string()));
        push("multipleOf", self.multiple_of.map(|v| v.to_string()));
        push("minItems", self.min_items.map(|v| v.to_string()));
        push("maxItems", self.max_items.map(|v| v.to_string()));
        push("format", self.format.map(|f| f.as_str().to_owned()));
        if self.unique_items {
            keywords.push(("uniqueItems", None));
        }
        keywords
    }

    /// The constraints in words: `maxLength 63, pattern `^[a-z]+$``; an item's (a value's)
    /// after `each item` (`each value`): `maxItems 10; each item: maxLength 63`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .keywords()
            .into_iter()
            .map(|(keyword, value)| match value {
                Some(value) if keyword == "pattern" => format!("{keyword} `{value}`"),
                Some(value) => format!("{keyword} {value}"),
                None => keyword.to_owned(),
            })
            .collect();
        let own = parts.join(", ");
        let Some(each) = self.each.as_deref() else {
            return own;
        };
        let member = match each.members {
            Members::Items => "item",
            Members::Values => "value",
        };
        let inner = each.constraints.describe();
        // An item's own items' in parentheses: `each item: (maxItems 2; each item: minimum 0)`.
        let each = match each.constraints.each {
            Some(_) => format!("each {member}: ({inner})"),
            None => format!("each {member}: {inner}"),
        };
        if own.is_empty() {
            each
        } else {
            format!("{own}; {each}")
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntVariant {
    pub name: String,
    /// Within `i64`, or within `u64` when every value of the enum is (see [`IntRepr`]).
    pub value: i128,
}

/// The Rust integer an integer enum reads and writes its values as: `i64`, unless a value
/// is beyond it and none below zero, then `u64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntRepr {
    I64,
    U64,
}

impl IntRepr {
    /// The representation of an enum of `values`; `None` when no 64-bit integer holds
    /// them all.
    pub fn of(values: impl IntoIterator<Item = i128> + Clone) -> Option<IntRepr> {
        let fits = |repr: IntRepr| values.clone().into_iter().all(|v| repr.holds(v));
        [IntRepr::I64, IntRepr::U64].into_iter().find(|r| fits(*r))
    }

    pub fn of_variants(variants: &[IntVariant]) -> IntRepr {
        IntRepr::of(variants.iter().map(|v| v.value)).unwrap_or(IntRepr::I64)
    }

    pub fn holds(self, value: i128) -> bool {
        match self {
            IntRepr::I64 => i64::try_from(value).is_ok(),
            IntRepr::U64 => u64::try_from(value).is_ok(),
        }
    }

    /// A JSON number as a value of the enum, if it is a whole number it holds.
    pub fn read(self, number: &serde_json::Number) -> Option<i128> {
        let value = number
            .as_i64()
            .map(i128::from)
            .or_else(|| number.as_u64().map(i128::from))?;
        self.holds(value).then_some(value)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            IntRepr::I64 => "i64",
            IntRepr::U64 => "u64",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    pub name: String,
    /// The discriminator value that selects this variant.
    pub value: String,
    pub ty: TypeRef,
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    pub name: String,
    pub ty: TypeRef,
    /// Boxed because the variant's type contains the enum itself.
    pub boxed: bool,
    /// What in a value tells that it is this alternative, checked before any alternative is
    /// read (set by `lower`'s `tell_alternatives_apart`).
    pub claim: Option<Claim>,
    /// The properties an object alternative declares, when it keeps no others and another
    /// alternative is such an object too: a value whose keys are all among them is tried as
    /// this alternative before the alternatives that do not declare one of its keys.
    pub keys: Option<Vec<String>>,
    /// What the alternative's own schema holds its value to (`type: [string, integer],
    /// maxLength: 4`: the string's); checked by the union's `validate`.
    pub constraints: Constraints,
}

/// What in an object tells that it is one alternative of a union and no other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The property holds this string, the one value the alternative allows there (a
    /// `const` or a single-value `enum`) and no other alternative's.
    Value { property: String, value: String },
    /// The property is there: the alternative requires it and no other declares it.
    Key(String),
}
