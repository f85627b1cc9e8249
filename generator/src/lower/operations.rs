//! Paths and operations → model operations with parameters, bodies and responses.

use std::collections::BTreeMap;

use openapiv3::{
    Content, Header, Operation as SpecOperation, Parameter, ParameterSchemaOrContent, PathItem,
    QueryStyle, ReferenceOr, RequestBody, Response as SpecResponse, StatusCode,
};

use super::{pascal, snake, Lowerer, Namespace};
use crate::diagnostics::pointer_push;
use crate::model::{
    Body, Constraints, Docs, Location, Media, Method, Operation, Param, ParamEncoding, PathPart,
    PathTemplate, Response, ResponseHeader, Status, TypeRef,
};

/// Method names of the generated `Client` that operations must not take.
const CLIENT_METHODS: &[&str] = &["new", "with_http_client", "base_url", "http_client"];

/// What an operation's route looks like to the router: the path with parameter names erased.
/// Two operations on the same shape and method cannot both be served.
type RouteKey = (String, Method);

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self) -> Vec<Operation> {
        let spec = self.spec;
        let mut names = Namespace::with_reserved(CLIENT_METHODS);
        let mut routes: BTreeMap<RouteKey, String> = BTreeMap::new();
        let mut operations = Vec::new();
        for (raw_path, item) in &spec.paths.paths {
            let path_pointer = pointer_push("/paths", raw_path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.warn(
                        "path-ref",
                        &path_pointer,
                        format!("path item is a $ref to {reference:?}, which is not followed yet; its operations are skipped"),
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = pointer_push(&path_pointer, method);
                let Some(operation) =
                    self.lower_operation(raw_path, method, item, op, &pointer, &mut names)
                else {
                    continue;
                };
                let key = (route_shape(&operation.path), operation.method);
                if let Some(earlier) = routes.get(&key) {
                    self.warn(
                        "route-conflict",
                        &pointer,
                        format!(
                            "{} {raw_path} matches the same requests as {earlier}; this operation is skipped",
                            operation.method.as_str()
                        ),
                    );
                    continue;
                }
                routes.insert(key, operation.api_name.clone());
                operations.push(operation);
            }
        }
        operations
    }

    fn lower_operation(
        &mut self,
        raw_path: &str,
        method: &str,
        item: &'a PathItem,
        op: &'a SpecOperation,
        pointer: &str,
        names: &mut Namespace,
    ) -> Option<Operation> {
        let method = match method {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            _ => Method::Trace,
        };
        let operation_id = op
            .operation_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty());
        let api_name =
            operation_id.map_or_else(|| format!("{} {raw_path}", method.as_str()), str::to_owned);
        let name = names.claim(snake(
            operation_id
                .map_or_else(|| format!("{} {raw_path}", method.as_str()), str::to_owned)
                .as_str(),
            "operation",
        ));
        let type_name = pascal(&name, "Operation");
        let response_type = self.type_names.claim(format!("{type_name}Response"));

        let mut arg_names = Namespace::with_reserved(&["body"]);
        let mut params = self.lower_params(item, op, &type_name, pointer, &mut arg_names);
        let path = self.lower_path(raw_path, &mut params, pointer, &mut arg_names)?;
        let body = match &op.request_body {
            Some(body) => {
                Some(self.lower_body(body, &type_name, &pointer_push(pointer, "requestBody"))?)
            }
            None => None,
        };
        let responses = self.lower_responses(op, &type_name, &pointer_push(pointer, "responses"));
        Some(Operation {
            name,
            type_name,
            api_name,
            method,
            path,
            params,
            body,
            responses,
            response_type,
            docs: Docs::new(op.summary.as_deref(), op.description.as_deref()),
        })
    }

    /// Path-level parameters apply to every operation of the path; an operation's own
    /// parameter with the same name and location replaces one.
    fn lower_params(
        &mut self,
        item: &'a PathItem,
        op: &'a SpecOperation,
        type_name: &str,
        pointer: &str,
        arg_names: &mut Namespace,
    ) -> Vec<Param> {
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

    fn lower_param(
        &mut self,
        param: &'a Parameter,
        type_name: &str,
        pointer: &str,
        arg_names: &mut Namespace,
    ) -> Param {
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
        let explode = data.explode.unwrap_or(matches!(
            param,
            Parameter::Query {
                style: QueryStyle::Form,
                ..
            } | Parameter::Cookie { .. }
        ));
        let encoding = if json {
            ParamEncoding::Json
        } else if self.is_text(&ty) {
            ParamEncoding::Text
        } else {
            match self.graph.resolve_alias(&ty) {
                TypeRef::List(inner) if self.is_text(inner) => ParamEncoding::List { explode },
                _ => ParamEncoding::Json,
            }
        };
        let constraints = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => self
                .resolve_schema(schema, &pointer_push(pointer, "schema"))
                .map(|s| self.constraints(s, &pointer_push(pointer, "schema")))
                .unwrap_or_default(),
            ParameterSchemaOrContent::Content(_) => Constraints::default(),
        };
        Param {
            name: arg_names.claim(snake(&data.name, "param")),
            api_name: data.name.clone(),
            location,
            required: data.required || location == Location::Path,
            ty,
            encoding,
            constraints,
            docs: Docs::description(data.description.as_deref()),
        }
    }

    /// Scalars, enums and alternatives of those have a text form of their own.
    fn is_text(&self, ty: &TypeRef) -> bool {
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
    /// variable without a declared parameter is read as a required string parameter.
    fn lower_path(
        &mut self,
        raw_path: &str,
        params: &mut Vec<Param>,
        pointer: &str,
        arg_names: &mut Namespace,
    ) -> Option<PathTemplate> {
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
                let index = match params
                    .iter()
                    .position(|p| p.location == Location::Path && p.api_name == var)
                {
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
                            constraints: Constraints::default(),
                            docs: Docs::default(),
                        });
                        params.len() - 1
                    }
                };
                parts.push(PathPart::Param(index));
                rest = &rest[close + 1..];
            }
            if !rest.is_empty() || parts.is_empty() {
                parts.push(PathPart::Literal(rest.to_owned()));
            }
            if parts
                .iter()
                .filter(|p| matches!(p, PathPart::Param(_)))
                .count()
                > 1
            {
                self.warn(
                    "path-segment",
                    pointer,
                    format!("path segment {segment:?} holds more than one variable, which cannot be matched unambiguously; this operation is skipped"),
                );
                return None;
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
            self.warn(
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
        Some(PathTemplate {
            raw: raw_path.to_owned(),
            segments,
        })
    }

    fn lower_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        type_name: &str,
        pointer: &str,
    ) -> Option<Body> {
        let body = self.resolve(body, "requestBodies", |c| &c.request_bodies, pointer)?;
        let content_pointer = pointer_push(pointer, "content");
        let Some((content_type, media)) = self.lower_media(
            &body.content,
            &format!("{type_name}Request"),
            &content_pointer,
        ) else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.warn(
                "body-media",
                pointer,
                format!("request body media types {types:?} are not supported yet; this operation is skipped"),
            );
            return None;
        };
        Some(Body {
            media,
            content_type,
            required: body.required,
            docs: Docs::description(body.description.as_deref()),
        })
    }

    /// Picks the media type to generate for: JSON first, then text, then any other
    /// single-part type as raw bytes. Form and multipart bodies are not handled yet.
    fn lower_media(
        &mut self,
        content: &'a Content,
        hint: &str,
        pointer: &str,
    ) -> Option<(String, Media)> {
        let essence = |media_type: &str| {
            media_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        };
        if let Some((media_type, media)) = content.iter().find(|(t, _)| is_json(&essence(t))) {
            let ty = match &media.schema {
                Some(schema) => self.lower_schema(
                    schema,
                    hint,
                    &pointer_push(&pointer_push(pointer, media_type), "schema"),
                ),
                None => self.any("media type without a schema"),
            };
            return Some((media_type.clone(), Media::Json(ty)));
        }
        if let Some((media_type, _)) = content
            .iter()
            .find(|(t, _)| essence(t).starts_with("text/"))
        {
            return Some((media_type.clone(), Media::Text));
        }
        content
            .keys()
            .find(|t| {
                let e = essence(t);
                !e.starts_with("multipart/") && e != "application/x-www-form-urlencoded"
            })
            .map(|media_type| (media_type.clone(), Media::Binary))
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
        for (status, response, response_pointer) in declared {
            let Some(response) =
                self.resolve(response, "responses", |c| &c.responses, &response_pointer)
            else {
                continue;
            };
            let variant = variants.claim(status_variant(status));
            let content_pointer = pointer_push(&response_pointer, "content");
            let media = self.lower_media(
                &response.content,
                &format!("{type_name}{variant}"),
                &content_pointer,
            );
            if media.is_none() && !response.content.is_empty() {
                self.warn(
                    "response-media",
                    &content_pointer,
                    "no supported media type; the body is not decoded".to_owned(),
                );
            }
            let headers = self.lower_response_headers(
                response,
                &format!("{type_name}{variant}"),
                &response_pointer,
            );
            let (content_type, body) = media.map_or((None, None), |(t, m)| (Some(t), Some(m)));
            responses.push(Response {
                status,
                variant,
                content_type,
                body,
                headers,
                docs: Docs::description(Some(&response.description)),
            });
        }
        responses
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
            headers.push(ResponseHeader {
                name: names.claim(snake(api_name, "header")),
                api_name: api_name.clone(),
                required: header.required,
                ty,
                docs: Docs::description(header.description.as_deref()),
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
        Parameter::Query { .. } => Location::Query,
        Parameter::Header { .. } => Location::Header,
        Parameter::Cookie { .. } => Location::Cookie,
    }
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

/// `/pets/{petId}` → `pets/{}`: the path as the router sees it.
fn route_shape(path: &PathTemplate) -> String {
    path.segments
        .iter()
        .map(|segment| {
            if segment.iter().any(|p| matches!(p, PathPart::Param(_))) {
                "{}".to_owned()
            } else {
                segment
                    .iter()
                    .map(|p| match p {
                        PathPart::Literal(l) => l.as_str(),
                        PathPart::Param(_) => "",
                    })
                    .collect()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
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
