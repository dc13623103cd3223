//! The embedded reference server: an in-memory OAuth 2.0 Dynamic Client Registration
//! server on 127.0.0.1 that implements a built-in profile correctly, so that every suite
//! can be shown to pass against it, and that can be given switchable `Fault`s, so that
//! every check can be shown to fail.
//!
//! Endpoints: `POST /oauth2/register`, `GET|PUT|DELETE /oauth2/register/{id}`, the
//! metadata documents, and `POST /oauth2/token` for the `client_credentials` grant
//! (`ops/token`), which shows that issued credentials work.
//! `Flavor::Ory` follows Ory's documented contract (management with the client's own
//! credentials, 404 for unknown clients, a chosen secret on PUT is used and echoed);
//! `Flavor::Rfc7592` follows RFC 7591/7592 (a registration access token as Bearer, 401
//! with an RFC 6750 challenge for unknown clients and bad tokens, a new token on every
//! update, a PUT that must name its client_id, may not carry the server-managed members,
//! and whose `client_secret` must match the current one). Both hold a registration (not
//! an update) to RFC 7591 §2, §2.1 and §5: redirect URIs for redirect grants, jwks or
//! jwks_uri, supported grant types, consistent response types; only `Flavor::Rfc7592`
//! refuses plain-http redirect URIs of remote hosts (OpenID Connect, and Hydra, allow them).
//! `Flavor::Rfc7591` registers as `Flavor::Rfc7592` does but has no client configuration
//! endpoint (RFC 7592 is optional): no registration access token, no
//! `registration_client_uri`, and `/oauth2/register/{id}` answers 404 to every method it
//! routes (405 to the others) — the registration-only servers of profiles `rfc7591` and `mcp`.
//!
//! With an initial access token (`ServerConfig::iat`), registration is protected: a
//! request without that token as a Bearer token is refused with 401 and an RFC 6750
//! challenge (`ops/protected`).
//!
//! Files: `routes` (HTTP surface and headers), `ops` (the four operations; registration
//! in `ops/create` and its request and answer faults in `ops/create/`, its initial access token in `ops/protected`, updates in `ops/update`), `auth` (credentials), `metadata` (bodies,
//! validation, rendering), `store` (clients and issued credentials), `reply` (responses and
//! error bodies), `faults` (the bug list).

mod advertised;
mod auth;
mod faults;
pub mod matrix;
mod metadata;
mod ops;
mod reply;
mod routes;
mod store;

#[cfg(test)]
mod tests;

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use faults::{Fault, Faults};

use ops::App;
use store::Store;

/// Where the server's token endpoint is (advertised in its metadata document; a run
/// against the embedded server takes it from here).
pub const TOKEN_PATH: &str = "/oauth2/token";

/// Which built-in profile the server implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// Ory's documented contract (profile `ory`).
    Ory,
    /// RFC 7591 registration with RFC 7592 management (profile `rfc7592`).
    Rfc7592,
    /// RFC 7591 registration only, no client configuration endpoint (profiles `rfc7591`
    /// and `mcp`).
    Rfc7591,
}

impl Flavor {
    /// The name of the built-in profile this flavor implements: `ory`, `rfc7592` or
    /// `rfc7591` (which also implements `mcp`).
    pub fn name(self) -> &'static str {
        match self {
            Flavor::Ory => "ory",
            Flavor::Rfc7592 => "rfc7592",
            Flavor::Rfc7591 => "rfc7591",
        }
    }

    /// Whether the flavor has a client configuration endpoint: whether what a run
    /// registers can be deleted.
    pub fn manages_clients(self) -> bool {
        self != Flavor::Rfc7591
    }
}

impl Flavor {
    /// The flavour that implements a profile, for a run against the embedded server: the
    /// one place a profile name maps to a flavour. A profile of a real server (`hydra`,
    /// or a user's file) has no embedded counterpart and needs `--target`.
    pub fn for_profile(profile: &str) -> Result<Flavor, String> {
        // The MCP interop profile is a registration-only server with more scenarios.
        if profile == "mcp" {
            return Ok(Flavor::Rfc7591);
        }
        profile.parse().map_err(|_: String| {
            format!(
                "the embedded reference server implements the ory, rfc7592, rfc7591 and mcp \
                 profiles only; give --target to check a server under profile '{profile}'"
            )
        })
    }
}

impl fmt::Display for Flavor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Flavor {
    type Err = String;

    fn from_str(s: &str) -> Result<Flavor, String> {
        match s {
            "ory" => Ok(Flavor::Ory),
            "rfc7592" => Ok(Flavor::Rfc7592),
            "rfc7591" => Ok(Flavor::Rfc7591),
            _ => Err(format!(
                "unknown server flavor '{s}' (known: ory, rfc7592, rfc7591)"
            )),
        }
    }
}

/// How to run a server instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    pub flavor: Flavor,
    /// Whether dynamic registration is switched on; off, all four operations answer 404.
    pub enabled: bool,
    pub faults: Faults,
    /// The initial access token registration requires (RFC 7591 §3), as a Bearer token;
    /// `None`: registration is open.
    pub iat: Option<String>,
}

impl ServerConfig {
    /// An enabled, correct server of `flavor`, with open registration.
    pub fn new(flavor: Flavor) -> ServerConfig {
        ServerConfig {
            flavor,
            enabled: true,
            faults: Faults::default(),
            iat: None,
        }
    }
}

/// A server serving on the tokio runtime it was started on. Dropping it stops accepting
/// connections at once; `shutdown` stops it gracefully.
#[derive(Debug)]
pub struct RunningServer {
    base_url: String,
    store: Store,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// How many clients are currently registered.
    pub fn client_count(&self) -> usize {
        self.store.len()
    }

    /// The ids of the clients currently registered, sorted (for tests that check what a
    /// run left behind).
    pub fn client_ids(&self) -> Vec<String> {
        self.store.lock().keys().cloned().collect()
    }

    /// Stop accepting connections, let requests in flight finish (for up to a second),
    /// then stop.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(1), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Bind 127.0.0.1:`port` (0 = any free port) and serve on the current tokio runtime.
pub async fn start(config: ServerConfig, port: u16) -> std::io::Result<RunningServer> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let store = Store::default();
    let app = Arc::new(App {
        flavor: config.flavor,
        enabled: config.enabled,
        faults: config.faults,
        iat: config.iat,
        store: store.clone(),
        base_url: base_url.clone(),
        retired: Store::default(),
        read_cache: Default::default(),
    });
    let router = routes::router(app);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        // Errors here are per-connection I/O failures already logged nowhere useful; the
        // server simply stops, and the harness then sees connection errors.
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await;
    });
    Ok(RunningServer {
        base_url,
        store,
        stop: Some(stop),
        task: Some(task),
    })
}
