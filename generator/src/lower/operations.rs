//! Paths and operations → model operations with parameters, bodies and responses.

use std::collections::BTreeMap;

use openapiv3::{
    Content, Header, Operation as SpecOperation, Parameter, ParameterSchemaOrContent, PathItem,
    PathStyle, QueryStyle, ReferenceOr, Response as SpecResponse, StatusCode,
};

use indexmap::IndexMap;

use super::bodies::Direction;
use super::fields::{default_fits, with_notes};
use super::remains::PathRemains;
use super::routes::{PathKey, Routes};
use super::{client_name, component_name, pascal, snake, Lowerer, Namespace};
use crate::diagnostics::{pointer_push, Loss};
use crate::model::{
    Constraints, Docs, Location, Method, Operation, Origin, Param, ParamEncoding, PathPart,
    PathTemplate, Payload, Response, ResponseHeader, Status, Style, TypeKind, TypeRef,
};

/// Method names the generated `Client` has besides its operations'
/// (`runtime/local/client_support.rs`, and `with_event_reconnect` in crates with event
/// streams, `with_token_source` in crates with token schemes; a test keeps the list
/// complete): operations and header setters must not take them.
pub(super) const CLIENT_METHODS: &[&str] = &[
    "new",
    "http_builder",
    "with_http_client",
    "with_middleware",
    "with_max_response_bytes",
    "with_retry",
    "with_event_reconnect",
    "with_token_source",
    "with_redirects",
    "with_timeout",
    "timeout",
    "base_url",
    "http_client",
    "send",
    "call",
    // `Client` is `Clone`: an operation named `clone` would hide it.
    "clone",
    "clone_from",
];

/// What lowering the path items carries from one to the next.
struct PathsSeen {
    /// The operations' method names.
    names: Namespace,
    routes: Routes,
    /// operationId → the first operation with it.
    ids: BTreeMap<String, String>,
    operations: Vec<Operation>,
}

/// The method of one of the fixed fields openapiv3's `PathItem::iter` gives (all eight
/// are methods).
pub(super) fn fixed(key: &str) -> Method {
    Method::from_key(key).unwrap_or(Method::Trace)
}

impl<'a> Lowerer<'a> {
    /// The operations of every path item, each item dropped once its operations are
    /// lowered but for what the steps after read of it (see `remains.rs`).
    pub(super) fn lower_operations(
        mut self,
        paths: IndexMap<String, ReferenceOr<PathItem>>,
    ) -> (Self, Vec<Operation>, PathRemains) {
        let mut names = Namespace::with_reserved(CLIENT_METHODS);
        // The server trait's own method, beside the operations'.
        names.claim("rejection".to_owned());
        // The client's credential setters share the namespace of operation methods, and so
        // do the methods of a token scheme's flows (`emit/oauth.rs`).
        for scheme in &self.schemes {
            names.claim(format!("with_{}", scheme.name));
            if scheme.kind.is_token() {
                names.claim(format!("with_{}_client_credentials", scheme.name));
                names.claim(format!("with_{}_refresh_token", scheme.name));
                names.claim(format!("{}_device_authorization", scheme.name));
            }
        }
        let mut paths_seen = PathsSeen {
            names,
            routes: Routes::default(),
            ids: BTreeMap::new(),
            operations: Vec::new(),
        };
        let mut remains = PathRemains::default();
        let (spec, extension_operations, files) =
            (self.spec, self.extension_operations, self.files);
        for (raw_path, item) in paths {
            let path_pointer = pointer_push("/paths", &raw_path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.lose(
                        Loss::Operation,
                        "path-ref",
                        &path_pointer,
                        format!("path item is a $ref to {reference:?}, which bundling found nothing at; the path has no operations to generate"),
                    );
                    continue;
                }
            };
            // Lowered by this lowering borrowing the item only as long as it takes.
            let mut here: Lowerer<'_> = self;
            here.lower_path_item(&raw_path, &path_pointer, &item, &mut paths_seen);
            self = here.rebind(spec, extension_operations, files);
            remains.keep(&raw_path, item);
        }
        (self, paths_seen.operations, remains)
    }

    /// The operations of one path item (3.2's extension methods with its fixed ones).
    fn lower_path_item(
        &mut self,
        raw_path: &str,
        path_pointer: &str,
        item: &'a PathItem,
        seen: &mut PathsSeen,
    ) {
        let fixed_fields = item
            .iter()
            .map(|(key, op)| (fixed(key), pointer_push(path_pointer, key), op));
        let extensions = self
            .extension_operations
            .iter()
            .filter(|extension| extension.path == raw_path)
            .map(|extension| {
                let (method, pointer) = (extension.method.clone(), extension.pointer.clone());
                (method, pointer, &extension.operation)
            });
        let all: Vec<_> = fixed_fields.chain(extensions).collect();
        for (method, pointer, op) in all {
            let mut operation =
                self.lower_operation(raw_path, None, method, item, op, &pointer, &mut seen.names);
            operation.server = self.operation_server(item, op, &pointer);
            let label = format!("{} {raw_path}", operation.method.as_str());
            if let Some(message) = seen.routes.admit(&mut operation, label) {
                self.warn("route-conflict", &pointer, message);
            }
            if let Some(id) = op.operation_id.as_deref().map(str::trim) {
                match seen.ids.get(id) {
                    Some(first) => self.warn(
                        "duplicate-operation-id",
                        &pointer_push(&pointer, "operationId"),
                        format!(
                            "operationId {id:?} is also the id of {first}; this operation is named `{}`",
                            operation.name
                        ),
                    ),
                    None => {
                        let first = format!("{} {raw_path}", operation.method.as_str());
                        seen.ids.insert(id.to_owned(), first);
                    }
                }
            }
            seen.operations.push(operation);
        }
    }

    /// One operation at `raw_path` (an event's: its receiver's route). Without an
    /// operationId it is called `default_name`, or `METHOD /path` where that is `None`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn lower_operation(
        &mut self,
        raw_path: &str,
        default_name: Option<&str>,
        method: Method,
        item: &'a PathItem,
        op: &'a SpecOperation,
        pointer: &str,
        names: &mut Namespace,
    ) -> Operation {
        let operation_id = op
            .operation_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty());
        let api_name = match (operation_id, default_name) {
            (Some(id), _) | (None, Some(id)) => id.to_owned(),
            (None, None) => format!("{} {raw_path}", method.as_str()),
        };
        let name = names.claim(operation_name(&api_name, &method, raw_path));
        let type_name = pascal(&name, "Operation");
        let request_type = self.claim_type_name(format!("{type_name}Request"));
        let response_type = self.claim_type_name(format!("{type_name}Response"));

        // `body` is the body's field, `auth` the server's credentials; `send` and `into_request`
        // are methods of the client's `Call`, beside which optional inputs get setters.
        // Beside the inputs, a `Call` has these methods of its own.
        let mut arg_names = Namespace::with_reserved(&[
            "body",
            "auth",
            "send",
            "into_request",
            "with_header",
            "with_timeout",
            "with_idempotency_key",
        ]);
        let (mut params, prefixes): (Vec<Param>, Vec<String>) = self
            .lower_params(item, op, &type_name, pointer, &mut arg_names)
            .into_iter()
            .unzip();
        let key = PathKey::split(raw_path);
        let path = self.lower_path(key.path, &mut params, &prefixes, pointer, &mut arg_names);
        let query_constants = self.query_constants(key.query, &params, pointer);
        // A body with no media type to send (`content: {}`, or only skipped ones) costs the
        // operation its body, not the operation.
        let body = op.request_body.as_ref().and_then(|body| {
            let body_pointer = pointer_push(pointer, "requestBody");
            let lowered = self.lower_body(body, &type_name, &body_pointer);
            if lowered.is_none() {
                self.lose(
                    Loss::Body,
                    "request-body",
                    &body_pointer,
                    "the request body has no media type that can be sent; the operation is kept without a body".to_owned(),
                );
            }
            lowered
        });
        let responses = self.lower_responses(op, &type_name, &pointer_push(pointer, "responses"));
        let (security, scopes) = self.lower_requirements(op.security.as_ref(), pointer);
        Operation {
            name,
            type_name,
            api_name,
            method,
            path,
            params,
            body,
            responses,
            request_type,
            response_type,
            security,
            scopes,
            pagination: None,
            query_constants,
            answered_by: None,
            server: None,
            docs: Docs::new(op.summary.as_deref(), op.description.as_deref()),
            origin: Origin::Path,
            tag: op.tags.first().cloned(),
            group: None,
        }
    }

    /// Path-level parameters apply to every operation of the path; an operation's own
    /// parameter with the same name and location replaces one. Each comes with the text its
    /// style puts before a path value.
    fn lower_params(
        &mut self,
        item: &'a PathItem,
        op: &'a SpecOperation,
        type_name: &str,
        pointer: &str,
        arg_names: &mut Namespace,
    ) -> Vec<(Param, String)> {
        let mut found: Vec<(&'a Parameter, String)> = Vec::new();
        let path_pointer = pointer.rsplit_once('/').map_or("", |(path, _)| path);
        let declared = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p,
                    pointer_push(&pointer_push(path_pointer, "parameters"), &i.to_string()),
                )
            })
            .chain(op.parameters.iter().enumerate().map(|(i, p)| {
                (
                    p,
                    pointer_push(&pointer_push(pointer, "parameters"), &i.to_string()),
                )
            }));
        for (param, param_pointer) in declared {
            let Some(param) = self.resolve(param, "parameters", |c| &c.parameters, &param_pointer)
            else {
                continue;
            };
            let data = param.parameter_data_ref();
            let location = location_of(param);
            found.retain(|(p, _)| {
                !(p.parameter_data_ref().name == data.name && location_of(p) == location)
            });
            found.push((param, param_pointer));
        }
        found
            .into_iter()
            .map(|(param, param_pointer)| {
                self.lower_param(param, type_name, &param_pointer, arg_names)
            })
            .collect()
    }

    /// A parameter that is a value or a list of such values (`oneOf: [string, {type: array,
    /// items: string}]`, Elasticsearch's index names) is the list: in every style a single
    /// value is written as the list of it, so the wire cannot tell them apart, and the list
    /// has a text form where the union has none.
    fn one_or_list(&self, ty: TypeRef) -> TypeRef {
        let TypeRef::Named(id) = self.graph.resolve_alias(&ty) else {
            return ty;
        };
        let TypeKind::Untagged(variants) = &self.graph.get(*id).kind else {
            return ty;
        };
        let [a, b] = variants.as_slice() else {
            return ty;
        };
        let resolve = |t| self.graph.resolve_alias(t);
        for (one, list) in [(&a.ty, &b.ty), (&b.ty, &a.ty)] {
            if let TypeRef::List(item) = resolve(list) {
                if resolve(item) == resolve(one) && self.is_text(item) {
                    return resolve(list).clone();
                }
            }
        }
        ty
    }

    fn lower_param(
        &mut self,
        param: &'a Parameter,
        type_name: &str,
        pointer: &str,
        arg_names: &mut Namespace,
    ) -> (Param, String) {
        let data = param.parameter_data_ref();
        let location = location_of(param);
        let hint = format!("{type_name} {}", pascal(&data.name, "Param"));
        let (ty, json) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (
                self.lower_schema(schema, &hint, &pointer_push(pointer, "schema")),
                false,
            ),
            ParameterSchemaOrContent::Content(content) => (
                self.lower_content_schema(content, &hint, &pointer_push(pointer, "content")),
                true,
            ),
        };
        // A parameter whose schema allows anything (`schema: {}`) still arrives as text: it
        // is any string, not JSON to parse.
        let any = !json && *self.graph.resolve_alias(&ty) == TypeRef::Any;
        let ty = if any { TypeRef::String } else { ty };
        let ty = if json { ty } else { self.one_or_list(ty) };
        let (style, explode) = param_style(param);
        let encoding = if json {
            ParamEncoding::Json
        } else if self.is_text(&ty) {
            ParamEncoding::Text
        } else {
            match self.graph.resolve_alias(&ty) {
                TypeRef::List(inner) if self.is_text(inner) => {
                    if style == Style::DeepObject {
                        self.warn(
                            "param-style",
                            pointer,
                            format!("parameter {:?} is an array, which the deepObject style does not describe; it is written in the form style, exploded (name=a&name=b)", data.name),
                        );
                        ParamEncoding::List {
                            style: Style::Form,
                            explode: true,
                        }
                    } else {
                        ParamEncoding::List { style, explode }
                    }
                }
                // An object with named properties or any (a map, whose values are text: any
                // other value has no form OpenAPI defines there).
                TypeRef::Named(id) if matches!(self.graph.get(*id).kind, TypeKind::Struct(_)) => {
                    ParamEncoding::Object { style, explode }
                }
                TypeRef::Map(values)
                    if self.is_text(values)
                        || *self.graph.resolve_alias(values) == TypeRef::Any =>
                {
                    ParamEncoding::Object { style, explode }
                }
                _ => ParamEncoding::Json,
            }
        };
        let resolved = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                self.resolve_schema(schema, &pointer_push(pointer, "schema"))
            }
            ParameterSchemaOrContent::Content(_) => None,
        };
        let constraints = resolved
            .map(|s| self.constraints(s, &pointer_push(pointer, "schema")))
            .unwrap_or_default();
        // A required parameter is always sent, so its default never applies.
        let spec_default = resolved.and_then(|s| s.schema_data.default.clone());
        let default = spec_default
            .clone()
            .filter(|value| !data.required && default_fits(&self.graph, &ty, value));
        if let (Some(value), None) = (&spec_default, &default) {
            if !data.required {
                self.lose(
                    Loss::Check,
                    "default",
                    &pointer_push(pointer, "schema/default"),
                    format!(
                        "default {value} does not fit the parameter's type; it is documented only"
                    ),
                );
            }
        }
        let docs = with_notes(
            Docs::description(data.description.as_deref()),
            &constraints,
            spec_default.as_ref(),
        );
        // A path segment holds text; a value with no text form of its own in a style (an
        // object with nested values, a list of lists) cannot be put there faithfully, so
        // the caller gives the text.
        let (ty, encoding) = if location == Location::Path && encoding == ParamEncoding::Json {
            self.lose(
                Loss::Parameter,
                "path-param",
                pointer,
                format!(
                    "path parameter {:?} has no text form in its style; it is taken as a string",
                    data.name
                ),
            );
            (TypeRef::String, ParamEncoding::Text)
        } else {
            (ty, encoding)
        };
        // `label` and `matrix` path parameters carry fixed text before a scalar; the
        // runtime writes an array's or object's.
        let prefix = match (style, encoding) {
            (Style::Label, ParamEncoding::Text) => ".".to_owned(),
            (Style::Matrix, ParamEncoding::Text) => format!(";{}=", data.name),
            _ => String::new(),
        };
        let param = Param {
            name: arg_names.claim(snake(client_name(&data.extensions, &data.name), "param")),
            api_name: data.name.clone(),
            location,
            required: data.required || location == Location::Path,
            ty,
            encoding,
            allow_reserved: matches!(
                param,
                Parameter::Query {
                    allow_reserved: true,
                    ..
                }
            ),
            client_level: false,
            absent_is_empty: any && data.required && location == Location::Query,
            constraints,
            default,
            docs,
        };
        (param, prefix)
    }

    /// Scalars, enums and alternatives of those have a text form of their own.
    pub(super) fn is_text(&self, ty: &TypeRef) -> bool {
        self.graph.has_text_form(ty)
    }

    /// The schema of a `content` map's first media type, as parameters and headers may use.
    fn lower_content_schema(&mut self, content: &'a Content, hint: &str, pointer: &str) -> TypeRef {
        match content.iter().next() {
            Some((media_type, media)) => match &media.schema {
                Some(schema) => self.lower_schema(
                    schema,
                    hint,
                    &pointer_push(&pointer_push(pointer, media_type), "schema"),
                ),
                None => self.any("media type without a schema"),
            },
            None => self.any("content without a media type"),
        }
    }

    /// Splits the path into segments and ties each `{name}` to its parameter. A template
    /// variable without a declared parameter is read as a required string parameter. A
    /// segment may hold several variables (`{name}.{ext}`): the client writes each, the
    /// server splits the segment on the literal text between them.
    fn lower_path(
        &mut self,
        raw_path: &str,
        params: &mut Vec<Param>,
        prefixes: &[String],
        pointer: &str,
        arg_names: &mut Namespace,
    ) -> PathTemplate {
        let mut segments = Vec::new();
        for segment in raw_path.trim_start_matches('/').split('/') {
            let mut parts = Vec::new();
            let mut rest = segment;
            while let Some(open) = rest.find('{') {
                let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                    break;
                };
                if open > 0 {
                    parts.push(PathPart::Literal(rest[..open].to_owned()));
                }
                let var = &rest[open + 1..close];
                // `{DefinitionId}` with a parameter `definitionId` (Azure DevOps' build API):
                // the one path parameter of that name but for case, which the path does not
                // name as written.
                let exact = params
                    .iter()
                    .position(|p| p.location == Location::Path && p.api_name == var);
                let cased = exact.is_none().then(|| {
                    params.iter().position(|p| {
                        p.location == Location::Path
                            && p.api_name.eq_ignore_ascii_case(var)
                            && !raw_path.contains(&format!("{{{}}}", p.api_name))
                    })
                });
                if let Some(index) = cased.flatten() {
                    self.warn(
                        "path-param",
                        pointer,
                        format!(
                            "path variable {{{var}}} is the parameter {:?} but for case; read as that parameter",
                            params[index].api_name
                        ),
                    );
                    var.clone_into(&mut params[index].api_name);
                }
                let index = match exact.or(cased.flatten()) {
                    Some(index) => index,
                    None => {
                        self.warn(
                            "path-param",
                            pointer,
                            format!("path variable {{{var}}} has no parameter declared; read as a required string"),
                        );
                        params.push(Param {
                            name: arg_names.claim(snake(var, "param")),
                            api_name: var.to_owned(),
                            location: Location::Path,
                            required: true,
                            ty: TypeRef::String,
                            encoding: ParamEncoding::Text,
                            allow_reserved: false,
                            client_level: false,
                            absent_is_empty: false,
                            constraints: Constraints::default(),
                            default: None,
                            docs: Docs::default(),
                        });
                        params.len() - 1
                    }
                };
                if let Some(prefix) = prefixes.get(index).filter(|p| !p.is_empty()) {
                    parts.push(PathPart::Literal(prefix.clone()));
                }
                parts.push(PathPart::Param(index));
                rest = &rest[close + 1..];
            }
            if !rest.is_empty() || parts.is_empty() {
                parts.push(PathPart::Literal(rest.to_owned()));
            }
            segments.push(parts);
        }
        // A declared path parameter that the template does not use would never be sent.
        let mut unused = Vec::new();
        for (i, param) in params.iter().enumerate() {
            let used = segments.iter().flatten().any(|p| *p == PathPart::Param(i));
            if param.location == Location::Path && !used {
                unused.push(i);
            }
        }
        for i in unused.into_iter().rev() {
            let param = params.remove(i);
            self.lose(
                Loss::Parameter,
                "path-param",
                pointer,
                format!(
                    "path parameter {:?} does not occur in the path; it is ignored",
                    param.api_name
                ),
            );
            for part in segments.iter_mut().flatten() {
                if let PathPart::Param(p) = part {
                    if *p > i {
                        *p -= 1;
                    }
                }
            }
        }
        PathTemplate {
            raw: raw_path.to_owned(),
            segments,
        }
    }

    fn lower_responses(
        &mut self,
        op: &'a SpecOperation,
        type_name: &str,
        pointer: &str,
    ) -> Vec<Response> {
        let mut declared: Vec<(Status, &'a ReferenceOr<SpecResponse>, String)> = op
            .responses
            .responses
            .iter()
            .map(|(code, response)| {
                let status = match code {
                    StatusCode::Code(c) => Status::Code(*c),
                    StatusCode::Range(r) => Status::Range(*r),
                };
                (status, response, pointer_push(pointer, &code.to_string()))
            })
            .collect();
        if let Some(default) = &op.responses.default {
            declared.push((Status::Default, default, pointer_push(pointer, "default")));
        }
        // Exact codes are matched before ranges, and ranges before `default`.
        declared.sort_by_key(|(status, _, _)| *status);
        let mut variants = Namespace::default();
        let mut responses = Vec::new();
        for (status, declared, response_pointer) in declared {
            let Some(response) =
                self.resolve(declared, "responses", |c| &c.responses, &response_pointer)
            else {
                continue;
            };
            let variant = variants.claim(status_variant(status));
            let shared = match declared {
                ReferenceOr::Reference { reference } => component_name(reference, "responses"),
                ReferenceOr::Item(_) => None,
            };
            let (body, headers) = match shared {
                Some(name) => self.lower_shared_response(&name, response),
                None => {
                    let hint = format!("{type_name}{variant}");
                    let body = self.lower_payload(
                        &response.content,
                        &hint,
                        &pointer_push(&response_pointer, "content"),
                        Direction::Response,
                    );
                    (
                        body,
                        self.lower_response_headers(response, &hint, &response_pointer),
                    )
                }
            };
            responses.push(Response {
                status,
                variant,
                body,
                headers,
                docs: Docs::description(Some(&response.description)),
                example: None,
            });
        }
        // Every response left out (each reported where it is): as for an operation that
        // declares none (the `missing-responses` rule), any answer is the call's answer, so
        // the operation keeps a response to match and to send.
        if responses.is_empty() {
            let status = Status::Default;
            responses.push(Response {
                status,
                variant: status_variant(status),
                body: None,
                headers: Vec::new(),
                docs: Docs::description(Some("Any answer: the responses declared were left out.")),
                example: None,
            });
        }
        responses
    }

    /// A response of `components/responses`, lowered once where it is declared and named
    /// after its key (`authorizationError` → `AuthorizationError`, `AuthorizationErrorResponse`
    /// where a type has that name): every operation answering with it names that one type,
    /// where a name from the first operation met (`GetAppsBadRequest`) would mislead.
    fn lower_shared_response(
        &mut self,
        name: &str,
        response: &'a SpecResponse,
    ) -> (Option<Payload>, Vec<ResponseHeader>) {
        if let Some(lowered) = self.shared_responses.get(name) {
            return lowered.clone();
        }
        let pointer = pointer_push("/components/responses", name);
        let hint = self.shared_hint(name, "Response");
        let first = self.graph.defs.len();
        let body = self.lower_payload(
            &response.content,
            &hint,
            &pointer_push(&pointer, "content"),
            Direction::Response,
        );
        let headers = self.lower_response_headers(response, &hint, &pointer);
        self.mark_authored(first, &hint);
        self.shared_responses
            .insert(name.to_owned(), (body.clone(), headers.clone()));
        (body, headers)
    }

    fn lower_response_headers(
        &mut self,
        response: &'a SpecResponse,
        hint: &str,
        pointer: &str,
    ) -> Vec<ResponseHeader> {
        let mut names = Namespace::with_reserved(&["status", "body"]);
        let mut headers = Vec::new();
        for (api_name, header) in &response.headers {
            // The spec says a `Content-Type` response header is ignored: the media type says it.
            if api_name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let header_pointer = pointer_push(&pointer_push(pointer, "headers"), api_name);
            let Some(header) = self.resolve(header, "headers", |c| &c.headers, &header_pointer)
            else {
                continue;
            };
            let ty = self.lower_header_type(
                header,
                &format!("{hint} {}", pascal(api_name, "Header")),
                &header_pointer,
            );
            let schema = match &header.format {
                ParameterSchemaOrContent::Schema(schema) => self.resolve_boxless(schema),
                ParameterSchemaOrContent::Content(_) => None,
            };
            headers.push(ResponseHeader {
                name: names.claim(snake(api_name, "header")),
                api_name: api_name.clone(),
                required: header.required,
                ty,
                docs: Docs::description(header.description.as_deref()),
                rules: schema.map(|s| self.own_constraints(s)).unwrap_or_default(),
                example: header.example.as_ref().map(|value| value.to_string()),
            });
        }
        headers
    }

    /// Response headers are text; one whose schema has no text form is kept as a string.
    fn lower_header_type(&mut self, header: &'a Header, hint: &str, pointer: &str) -> TypeRef {
        let ty = match &header.format {
            ParameterSchemaOrContent::Schema(schema) => {
                self.lower_schema(schema, hint, &pointer_push(pointer, "schema"))
            }
            ParameterSchemaOrContent::Content(_) => TypeRef::String,
        };
        if self.is_text(&ty) {
            ty
        } else {
            TypeRef::String
        }
    }
}

fn location_of(param: &Parameter) -> Location {
    match param {
        Parameter::Path { .. } => Location::Path,
        Parameter::Query { parameter_data, .. }
            if parameter_data
                .extensions
                .contains_key(crate::normalize::openapi32::QUERYSTRING) =>
        {
            Location::QueryString
        }
        Parameter::Query { .. } => Location::Query,
        Parameter::Header { .. } => Location::Header,
        Parameter::Cookie { .. } => Location::Cookie,
    }
}

/// Variant names for statuses: the reason phrase for well-known codes.
fn status_variant(status: Status) -> String {
    let name = match status {
        Status::Default => "Default",
        Status::Range(1) => "Informational",
        Status::Range(2) => "Success",
        Status::Range(3) => "Redirection",
        Status::Range(4) => "ClientError",
        Status::Range(5) => "ServerError",
        Status::Range(n) => return format!("Status{n}XX"),
        Status::Code(code) => match code {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            205 => "ResetContent",
            206 => "PartialContent",
            300 => "MultipleChoices",
            301 => "MovedPermanently",
            302 => "Found",
            303 => "SeeOther",
            304 => "NotModified",
            307 => "TemporaryRedirect",
            308 => "PermanentRedirect",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            413 => "ContentTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            423 => "Locked",
            428 => "PreconditionRequired",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            other => return format!("Status{other}"),
        },
    };
    name.to_owned()
}

/// The Rust name of an operation: its operationId (or `METHOD /path` without one) in
/// snake_case, except that the path's mount segments are left out when the id spells them
/// out right after the method. A mount segment is a leading `api` or `rest` segment or a
/// version (`v1`, `2.0`): every operation of a version shares it, so it names nothing.
/// `post-api-v1-chat.postMessage` on `POST /api/v1/chat.postMessage` → `post_chat_post_message`.
/// The rule reads only the operation's own id and path, so other operations never change it.
fn operation_name(api_name: &str, method: &Method, raw_path: &str) -> String {
    let full = snake(api_name, "operation");
    let mounts: Vec<&str> = raw_path
        .split('/')
        .filter(|s| !s.is_empty())
        .take_while(|s| is_mount_segment(s))
        .collect();
    let method = method.as_str().to_ascii_lowercase();
    if mounts.is_empty() {
        return full;
    }
    let spelled = snake(&format!("{method} {}", mounts.join(" ")), "operation");
    match full.strip_prefix(&spelled) {
        Some(rest) if rest.starts_with('_') => snake(&format!("{method}{rest}"), "operation"),
        _ => full,
    }
}

fn is_mount_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    let version = lower.strip_prefix('v').unwrap_or(&lower);
    matches!(lower.as_str(), "api" | "rest")
        || (!version.is_empty()
            && version.starts_with(|c: char| c.is_ascii_digit())
            && version.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The parameter's `style` and `explode`, with OpenAPI's defaults: `form` in the query and
/// cookies (exploded), `simple` in paths and headers (not exploded).
fn param_style(param: &Parameter) -> (Style, bool) {
    let style = match param {
        Parameter::Query { style, .. } => match style {
            QueryStyle::Form => Style::Form,
            QueryStyle::SpaceDelimited => Style::SpaceDelimited,
            QueryStyle::PipeDelimited => Style::PipeDelimited,
            QueryStyle::DeepObject => Style::DeepObject,
        },
        Parameter::Path { style, .. } => match style {
            PathStyle::Simple => Style::Simple,
            PathStyle::Label => Style::Label,
            PathStyle::Matrix => Style::Matrix,
        },
        Parameter::Header { .. } => Style::Simple,
        Parameter::Cookie { .. } => Style::Form,
    };
    let explode = param
        .parameter_data_ref()
        .explode
        .unwrap_or(style == Style::Form);
    (style, explode)
}

#[cfg(test)]
mod tests {
    use super::CLIENT_METHODS;

    /// Every method of `impl Client` in the client's source, at any depth of its modules.
    fn client_methods(items: &[syn::Item], found: &mut Vec<String>) {
        for item in items {
            match item {
                syn::Item::Impl(block)
                    if quote::ToTokens::to_token_stream(&block.self_ty).to_string() == "Client" =>
                {
                    found.extend(block.items.iter().filter_map(|item| match item {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    }));
                }
                syn::Item::Mod(module) => {
                    if let Some((_, items)) = &module.content {
                        client_methods(items, found);
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn operations_never_take_a_name_the_runtime_gives_the_client() {
        let mut found = Vec::new();
        let source = include_str!("../../runtime/local/client_support.rs");
        client_methods(&syn::parse_file(source).unwrap().items, &mut found);
        assert!(found.len() > 5, "{found:?}");
        for name in found {
            assert!(
                CLIENT_METHODS.contains(&name.as_str()),
                "`Client::{name}` is not in CLIENT_METHODS"
            );
        }
    }
}
