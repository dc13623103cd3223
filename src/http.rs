//! The HTTP edge: the only module that talks to the network as a client. It sends a
//! fully built request and hands back status, headers and a size-capped body, or a
//! one-line transport error with its cause chain. No redirects are followed: dcrspec
//! judges what the server itself answers, and credentials never travel to a `Location`
//! on another origin. Certificates are verified (the platform's roots plus `--cacert`)
//! unless `--insecure`; `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` are honoured. Once
//! limited to a run's origins (`limited_to`), it sends nothing to any other origin and
//! records which origins received a credential.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::origins::{AllowedOrigins, carries_credential, origin_of};

/// Limits for talking to a target.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Per-request limit, connect to last body byte.
    pub timeout: Duration,
    /// Bodies longer than this are cut; the rest is not read.
    pub body_limit: usize,
    /// PEM certificates to trust besides the platform's roots (`--cacert`).
    pub extra_roots_pem: Option<Vec<u8>>,
    /// Accept any certificate (`--insecure`).
    pub insecure: bool,
}

/// The default `--max-body`: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(10),
            body_limit: DEFAULT_BODY_LIMIT,
            extra_roots_pem: None,
            insecure: false,
        }
    }
}

/// A request ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

/// A response as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// Header names lower-case, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body was longer than the limit and was cut.
    pub truncated: bool,
    pub elapsed: Duration,
}

/// A shareable client for one run.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    options: HttpOptions,
    /// The origins this client may talk to, shared by its clones; `None` until a run
    /// limits it (the reachability probe and tests of the edge itself).
    limit: Option<Arc<Limit>>,
}

/// A run's origins and the ones that have received a credential so far.
#[derive(Debug)]
struct Limit {
    origins: AllowedOrigins,
    credentialed: Mutex<BTreeSet<String>>,
}

impl Http {
    pub fn new(options: HttpOptions) -> Result<Http, String> {
        // reqwest is built without a default crypto provider (ring builds in half the
        // time of aws-lc); install ours once. A second install is refused harmlessly.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.timeout.min(Duration::from_secs(5)))
            .timeout(options.timeout);
        if let Some(pem) = &options.extra_roots_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| chain(&e))?;
            if certs.is_empty() {
                return Err("no PEM certificate (-----BEGIN CERTIFICATE-----) in it".into());
            }
            builder = builder.tls_certs_merge(certs);
        }
        if options.insecure {
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        let client = builder.build().map_err(|e| chain(&e))?;
        Ok(Http {
            client,
            options,
            limit: None,
        })
    }

    /// This client, sending only to `origins` from now on (its clones too).
    pub fn limited_to(self, origins: AllowedOrigins) -> Http {
        let limit = Limit {
            origins,
            credentialed: Mutex::new(BTreeSet::new()),
        };
        Http {
            limit: Some(Arc::new(limit)),
            ..self
        }
    }

    /// The origins this client may talk to, once limited.
    pub fn origins(&self) -> Option<&AllowedOrigins> {
        self.limit.as_ref().map(|l| &l.origins)
    }

    /// The origins a credential was sent to so far, sorted.
    pub fn credentialed_origins(&self) -> Vec<String> {
        self.limit
            .as_ref()
            .map(|l| {
                let seen = l.credentialed.lock().unwrap_or_else(|p| p.into_inner());
                seen.iter().cloned().collect()
            })
            .unwrap_or_default()
    }

    /// The per-request limit.
    pub fn timeout(&self) -> Duration {
        self.options.timeout
    }

    /// Bodies are cut at this many bytes.
    pub fn body_limit(&self) -> usize {
        self.options.body_limit
    }

    /// Send one request. `Err` is a transport failure (refused, timed out, reset) or a
    /// request to an origin this client is not limited to (never sent), never an HTTP
    /// status.
    pub async fn send(&self, req: &Request) -> Result<Response, String> {
        if let Some(limit) = &self.limit {
            let Some(origin) = origin_of(&req.url).filter(|_| limit.origins.allows(&req.url))
            else {
                return Err(refusal(&req.url, &limit.origins));
            };
            // Recorded before sending: a request that fails may still have left. An origin
            // already recorded needs no look at the request (bodies can be megabytes).
            let mut seen = limit.credentialed.lock().unwrap_or_else(|p| p.into_inner());
            if !seen.contains(&origin) && carries_credential(req) {
                seen.insert(origin);
            }
        }
        let started = Instant::now();
        let method =
            reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|e| e.to_string())?;
        let mut builder = self.client.request(method, &req.url);
        for (k, v) in &req.headers {
            builder = builder.header(k, v);
        }
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let mut resp = builder.send().await.map_err(|e| chain(&e.without_url()))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        // Sized once when the length is announced (and believable), so a large body is
        // not copied through a series of doublings.
        let announced = resp.content_length().unwrap_or(0);
        let mut body = Vec::with_capacity(
            usize::try_from(announced).map_or(0, |n| n.min(self.options.body_limit)),
        );
        let mut truncated = false;
        // Read as a stream so a huge body costs at most the limit.
        while let Some(chunk) = resp.chunk().await.map_err(|e| chain(&e.without_url()))? {
            let room = self.options.body_limit - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status,
            headers,
            body,
            truncated,
            elapsed: started.elapsed(),
        })
    }
}

/// Why a request to `url` was not sent: one line naming the origin and the way to
/// allow it, for the scenario's error.
fn refusal(url: &str, origins: &AllowedOrigins) -> String {
    match origin_of(url) {
        Some(o) => format!(
            "not sent: {o} is another origin than the target's ({}); dcrspec sends requests, \
             and so credentials, only to the target's origin unless --allow-origin {o} says \
             that origin is the server's too",
            origins.target()
        ),
        None => "not sent: not an http(s) URL".to_string(),
    }
}

/// An error and its causes on one line: reqwest's own text is only the top level.
/// Callers strip the URL first (`without_url`): it may carry a `client_secret` query
/// parameter, and the caller records the request's URL redacted anyway.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str, headers: &[(&str, &str)]) -> Request {
        Request {
            method: "DELETE".into(),
            url: url.into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: None,
        }
    }

    #[tokio::test]
    async fn a_limited_client_sends_nothing_elsewhere_and_records_credentials() {
        // Nothing listens on either port: a request that is sent fails to connect, one
        // that is refused says so before connecting.
        let origins = AllowedOrigins::for_target("http://127.0.0.1:9").unwrap();
        let http = Http::new(HttpOptions::default())
            .unwrap()
            .limited_to(origins);
        let bearer = [("authorization", "Bearer secret-token")];
        let refused = http
            .send(&request("http://127.0.0.1:7/steal/x", &bearer))
            .await
            .unwrap_err();
        assert!(
            refused.starts_with("not sent: http://127.0.0.1:7 is another origin")
                && refused.contains("--allow-origin http://127.0.0.1:7")
                && !refused.contains("secret-token"),
            "{refused}"
        );
        assert!(http.credentialed_origins().is_empty());
        let _ = http.send(&request("http://127.0.0.1:9/x", &[])).await;
        assert!(http.credentialed_origins().is_empty());
        let _ = http.send(&request("http://127.0.0.1:9/x", &bearer)).await;
        // Clones share the record.
        assert_eq!(http.clone().credentialed_origins(), ["http://127.0.0.1:9"]);
        // Unlimited (the edge alone), nothing is refused or recorded.
        let free = Http::new(HttpOptions::default()).unwrap();
        let err = free
            .send(&request("http://127.0.0.1:7/x", &bearer))
            .await
            .unwrap_err();
        assert!(!err.starts_with("not sent"), "{err}");
        assert!(free.credentialed_origins().is_empty() && free.origins().is_none());
    }
}
