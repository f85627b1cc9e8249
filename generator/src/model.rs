//! The intermediate model: what an API is, in Rust terms, with every name final.
//!
//! `lower` builds it from the parsed spec; `emit` turns it into code. It is plain data with no
//! token streams and no openapiv3 types, ordered so that iterating it is deterministic.

/// One API: its operations and the types they use.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Cargo package name of the generated crate (`rocketchat-logout`).
    pub crate_name: String,
    /// Name of the server trait (`RocketchatLogout`).
    pub trait_name: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first absolute server URL of the spec, with its variables set to their defaults.
    pub server_url: Option<String>,
    pub operations: Vec<Operation>,
    pub types: TypeGraph,
    /// Headers the client stores once and sends with every operation that takes them.
    pub client_headers: Vec<ClientHeader>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
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
    /// Name of the per-operation response enum (`ListPetsResponse`).
    pub response_type: String,
    pub docs: Docs,
}

/// A path such as `/pets/{petId}`, split into segments between slashes.
#[derive(Debug, Clone, PartialEq)]
pub struct PathTemplate {
    pub raw: String,
    pub segments: Vec<Vec<PathPart>>,
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
    Header,
    Cookie,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
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
    /// A header the client stores (see [`ClientHeader`]): the client's argument for it is an
    /// optional override; the server still receives it as declared.
    pub client_level: bool,
    pub docs: Docs,
}

/// How a parameter's value is written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamEncoding {
    /// A scalar written with its text form (numbers, booleans, strings, string enums).
    Text,
    /// An array of scalars: with `explode` the name repeats for each item (`a=1&a=2`),
    /// without it the items are joined by commas (`a=1,2`).
    List { explode: bool },
    /// Anything else: the value's JSON text.
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub media: Media,
    /// The media type as the spec names it (`application/json`).
    pub content_type: String,
    pub required: bool,
    pub docs: Docs,
}

/// How a body is encoded, with the Rust type it decodes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Media {
    Json(TypeRef),
    Text,
    Binary,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    /// Variant name in the response enum (`Ok`, `NotFound`, `Default`).
    pub variant: String,
    pub content_type: Option<String>,
    pub body: Option<Media>,
    pub headers: Vec<ResponseHeader>,
    pub docs: Docs,
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
    F32,
    F64,
    /// Any JSON value (`serde_json::Value`).
    Any,
    Named(TypeId),
    List(Box<TypeRef>),
    /// A JSON object with string keys and values of one type.
    Map(Box<TypeRef>),
}

impl TypeRef {
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            TypeRef::String
                | TypeRef::Bool
                | TypeRef::I32
                | TypeRef::I64
                | TypeRef::F32
                | TypeRef::F64
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Every named type of the API, indexed by [`TypeId`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeGraph {
    pub defs: Vec<TypeDef>,
}

impl TypeGraph {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    /// Follows aliases (`type Pets = Vec<Pet>`) to the type they stand for.
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
    /// One of several shapes, tried in order (`#[serde(untagged)]`).
    Untagged(Vec<UntaggedVariant>),
    /// Another name for a type (`pub type Pets = Vec<Pet>;`).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub api_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Boxed because the field's type contains the struct itself.
    pub boxed: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    pub name: String,
    pub ty: TypeRef,
}
