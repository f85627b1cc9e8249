//! Webhooks and callbacks → the operations the API sends (`Api::events`), lowered by
//! `lower_operation` as the API's own are, each with the route its receiver serves it at.

use openapiv3::PathItem;

use super::operations::{fixed, CLIENT_METHODS};
use super::remains::Callbacks;
use super::{snake, Lowerer, Namespace};
use crate::diagnostics::pointer_push;
use crate::model::{Location, Operation, Origin, UrlPart};

/// Method names of the sender (`webhooks::sender::Sender`) beside the events': its own,
/// and the client's, which a sender is made from.
const SENDER_METHODS: &[&str] = &["with_client", "client", "rejection"];

impl<'a> Lowerer<'a> {
    /// The webhooks (in the document's order), then the callbacks of every operation (in
    /// the order of `paths`). A webhook's route is `/<its key>`, a callback's
    /// `/<operation>/<its key>`, each key kept where it is plain URL text (letters, digits,
    /// `-._~`) and made snake_case where not; a route taken already is numbered. The
    /// callbacks are those kept of the path items when they were dropped.
    pub(super) fn lower_events(
        &mut self,
        webhooks: &'a [(String, PathItem)],
        callbacks: &'a [Callbacks],
    ) -> Vec<Operation> {
        let mut names = Namespace::with_reserved(CLIENT_METHODS);
        for name in SENDER_METHODS {
            names.claim((*name).to_owned());
        }
        let mut routes = Namespace::default();
        let mut events = Vec::new();
        for (key, item) in webhooks {
            let route = routes.claim(format!("/{}", route_segment(key)));
            let origin = Origin::Webhook { name: key.clone() };
            let site = Site {
                route: &route,
                name: key,
                pointer: &pointer_push("/webhooks", key),
                origin,
            };
            self.lower_event_item(item, &site, &mut names, &mut events);
        }
        for found in callbacks {
            let Callbacks {
                raw_path,
                method,
                operation_id,
                callbacks,
            } = found;
            let op_pointer = pointer_push(&pointer_push("/paths", raw_path), method);
            let operation = operation_id
                .as_deref()
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map_or_else(
                    || format!("{} {raw_path}", method.to_ascii_uppercase()),
                    str::to_owned,
                );
            for (key, callback) in callbacks {
                let callback_pointer = pointer_push(&pointer_push(&op_pointer, "callbacks"), key);
                let base = format!("/{}/{}", route_segment(&operation), route_segment(key));
                for (expression, item) in callback {
                    let route = routes.claim(base.clone());
                    let site = Site {
                        route: &route,
                        name: &format!("{operation} {key}"),
                        pointer: &pointer_push(&callback_pointer, expression),
                        origin: Origin::Callback {
                            operation: operation.clone(),
                            name: key.clone(),
                            expression: expression.clone(),
                            url: url_parts(expression),
                        },
                    };
                    self.lower_event_item(item, &site, &mut names, &mut events);
                }
            }
        }
        events
    }

    /// Each operation of one webhook's or callback's path item.
    fn lower_event_item(
        &mut self,
        item: &'a PathItem,
        site: &Site<'_>,
        names: &mut Namespace,
        events: &mut Vec<Operation>,
    ) {
        let count = item.iter().count();
        if count == 0 {
            self.warn(
                "webhook",
                site.pointer,
                "the path item declares no operation; nothing is generated for it".to_owned(),
            );
        }
        for (method, op) in item.iter() {
            let pointer = pointer_push(site.pointer, method);
            // The key names the event; a second method of the same key adds its own.
            let name = if count == 1 {
                site.name.to_owned()
            } else {
                format!("{} {method}", site.name)
            };
            if !op.callbacks.is_empty() {
                self.warn(
                    "webhook",
                    &pointer_push(&pointer, "callbacks"),
                    "callbacks of a webhook or callback are not generated".to_owned(),
                );
            }
            let mut operation = self.lower_operation(
                site.route,
                Some(&name),
                fixed(method),
                item,
                op,
                &pointer,
                names,
            );
            // The document's `security` is for calling the API: the receiver of an event
            // asks only for what the event declares itself.
            if op.security.is_none() {
                operation.security.clear();
                operation.scopes.clear();
            }
            operation.origin = site.origin.clone();
            events.push(operation);
        }
    }
}

/// Where an event's path item is and what it is called.
struct Site<'s> {
    /// The receiver's default route.
    route: &'s str,
    /// The name an operation without an operationId takes.
    name: &'s str,
    pointer: &'s str,
    origin: Origin,
}

/// A key as one segment of a route: itself where it is plain URL text, else snake_case.
fn route_segment(key: &str) -> String {
    let plain = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'));
    if plain && key != "." && key != ".." && !key.is_empty() {
        key.to_owned()
    } else {
        snake(key, "event")
    }
}

/// A callback's key as parts of a URL: text with `{expressions}` in it
/// (`https://x.example/cb?id={$request.body#/id}`). `None` where an expression names
/// something a request does not hold (`$response.*`, `$url`, a whole body) or is not closed.
fn url_parts(expression: &str) -> Option<Vec<UrlPart>> {
    let mut parts = Vec::new();
    let mut rest = expression;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}')?;
        if open > 0 {
            parts.push(UrlPart::Literal(rest[..open].to_owned()));
        }
        let source = rest[open + 1..close].strip_prefix("$request.")?;
        let part = if let Some(pointer) = source.strip_prefix("body#") {
            UrlPart::Body(pointer.to_owned())
        } else {
            let (place, name) = source.split_once('.')?;
            let location = match place {
                "query" => Location::Query,
                "header" => Location::Header,
                "path" => Location::Path,
                _ => return None,
            };
            UrlPart::Param(location, name.to_owned())
        };
        parts.push(part);
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(UrlPart::Literal(rest.to_owned()));
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_urls_are_read_where_a_request_holds_their_values() {
        assert_eq!(
            url_parts("https://x.example/cb?id={$request.body#/id}&to={$request.query.to}"),
            Some(vec![
                UrlPart::Literal("https://x.example/cb?id=".to_owned()),
                UrlPart::Body("/id".to_owned()),
                UrlPart::Literal("&to=".to_owned()),
                UrlPart::Param(Location::Query, "to".to_owned()),
            ])
        );
        assert_eq!(
            url_parts("{$request.header.X-Hook}"),
            Some(vec![UrlPart::Param(Location::Header, "X-Hook".to_owned())])
        );
        for unknown in [
            "{$response.body#/url}",
            "{$url}",
            "{$request.body}",
            "{$request.query.x",
        ] {
            assert_eq!(url_parts(unknown), None, "{unknown}");
        }
    }
}
