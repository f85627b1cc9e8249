//! Serving a router: [`serve`], axum's serve loop with a timeout on request heads and a
//! cap on connections ([`Limits`]), and the time and size limits on bodies ([`ReadTimeout`],
//! [`BodyLimits`]) that `Incoming::read` applies under any serve loop.

use crate::budget::BodyBudget;

/// How long the router waits for a request's whole body before answering 408 Request
/// Timeout, so a client that stops sending mid-body does not hold its connection: 30 s
/// unless set. [`serve`] sets it, and also holds a request's head to it; with
/// `axum::serve`, set it with a layer on the router:
/// `router(api).layer(axum::Extension(ReadTimeout(Duration::from_secs(5))))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadTimeout(pub std::time::Duration);

impl Default for ReadTimeout {
    fn default() -> Self {
        ReadTimeout(std::time::Duration::from_secs(30))
    }
}

/// Body size limits of particular operations, by operation name (the spec's
/// `operationId`), in bytes: a request body past its operation's limit is answered 413.
/// Operations not named here keep the router's limit (2 MB, or an
/// `axum::extract::DefaultBodyLimit` layer's). Set it with a layer on the router:
/// `router(api).layer(axum::Extension(BodyLimits::default().operation("putFile", 1 << 30)))`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyLimits(pub(crate) std::collections::BTreeMap<String, usize>);

impl BodyLimits {
    /// The limits, with `bytes` for the operation named `operation` in the spec.
    pub fn operation(mut self, operation: impl Into<String>, bytes: usize) -> Self {
        self.0.insert(operation.into(), bytes);
        self
    }
}

/// What a server run by [`serve`] holds at once, and how long it waits for a client:
/// `Limits::default()` is 512 connections, a [`BodyBudget`] of 64 MiB and a
/// [`ReadTimeout`] of 30 s. A [`ReadTimeout`] converts into limits of that timeout and the
/// rest by default.
#[derive(Debug, Clone)]
pub struct Limits {
    pub(crate) read_timeout: ReadTimeout,
    pub(crate) max_connections: usize,
    pub(crate) body_budget: BodyBudget,
}

impl Default for Limits {
    /// 512 connections keep the server under the usual limit of 1,024 open files with room
    /// for the implementation's own files and connections.
    fn default() -> Self {
        Limits {
            read_timeout: ReadTimeout::default(),
            max_connections: 512,
            body_budget: BodyBudget::default(),
        }
    }
}

impl From<ReadTimeout> for Limits {
    fn from(read_timeout: ReadTimeout) -> Self {
        Limits::default().read_timeout(read_timeout)
    }
}

impl Limits {
    /// How long a client may take to send a request's head, and then its body.
    pub fn read_timeout(mut self, read_timeout: ReadTimeout) -> Self {
        self.read_timeout = read_timeout;
        self
    }

    /// How many connections are served at once (at least 1). Past it, the server accepts no
    /// new connection until one closes: the operating system holds the rest in the
    /// listener's backlog. An idle connection closes after the read timeout.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// How many bytes of request bodies are read into memory at once, over all connections
    /// (see [`BodyBudget`]).
    pub fn body_budget(mut self, bytes: usize) -> Self {
        self.body_budget = BodyBudget::new(bytes);
        self
    }
}

/// Serves `router` as [`serve`] does, with the default [`Limits`], on 127.0.0.1 at a port
/// the system picks, on a task of the current Tokio runtime (it stops with the runtime);
/// the base URL it answers at. For tests: a mock, or an implementation, in one line.
pub async fn serve_locally(router: axum::Router) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
    let address = listener.local_addr()?;
    tokio::spawn(serve(listener, router, Limits::default()));
    Ok(format!("http://{address}"))
}

/// Serves `router` on `listener`, as `axum::serve` does (HTTP/1.1; it runs until its task
/// ends), within `limits` ([`Limits`], or a [`ReadTimeout`] with the other limits by
/// default): a request's head (its line and headers) must arrive within the read timeout,
/// or the connection is closed, and so must its body, or the answer is 408; at most so many
/// connections are served at once, and request bodies being read hold at most the body
/// budget. `axum::serve` waits for a head for ever and takes every connection, so clients
/// that send half of one, or many slow bodies, hold the server's memory.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    limits: impl Into<Limits>,
) -> std::io::Result<()> {
    let limits = limits.into();
    let timeout = limits.read_timeout;
    let router = router
        .layer(axum::Extension(timeout))
        .layer(axum::Extension(limits.body_budget));
    let connections = std::sync::Arc::new(tokio::sync::Semaphore::new(
        limits
            .max_connections
            .min(tokio::sync::Semaphore::MAX_PERMITS),
    ));
    loop {
        // The semaphore is never closed: acquiring only waits for a connection to end.
        let Ok(permit) = connections.clone().acquire_owned().await else {
            return Ok(());
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // A connection that failed before it was accepted concerns that client only;
            // anything else (too many open files, say) passes, as axum::serve waits it out.
            Err(e) if is_connection_error(&e) => continue,
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            // An error here ends this connection only (the client went away, or was too
            // slow).
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(timeout.0)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .with_upgrades()
                .await;
            drop(permit);
        });
    }
}

pub(crate) fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}
