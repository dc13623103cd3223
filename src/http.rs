//! The HTTP edge: the only module that talks to the network as a client. It sends a
//! fully built request and hands back status, headers and a size-capped body, or a
//! one-line transport error with its cause chain. No redirects are followed: dcrspec
//! judges what the server itself answers.

use std::time::{Duration, Instant};

/// Limits for talking to a target.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Per-request limit, connect to last body byte.
    pub timeout: Duration,
    /// Bodies longer than this are cut; the rest is not read.
    pub body_limit: usize,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(10),
            body_limit: 1 << 20,
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
}

impl Http {
    pub fn new(options: HttpOptions) -> Result<Http, String> {
        // reqwest is built without a default crypto provider (ring builds in half the
        // time of aws-lc); install ours once. A second install is refused harmlessly.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.timeout.min(Duration::from_secs(5)))
            .timeout(options.timeout)
            .build()
            .map_err(|e| chain(&e))?;
        Ok(Http { client, options })
    }

    /// Send one request. `Err` is a transport failure (refused, timed out, reset),
    /// never an HTTP status.
    pub async fn send(&self, req: &Request) -> Result<Response, String> {
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
        let mut resp = builder.send().await.map_err(|e| chain(&e))?;
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
        let mut body = Vec::new();
        let mut truncated = false;
        // Read as a stream so a huge body costs at most the limit.
        while let Some(chunk) = resp.chunk().await.map_err(|e| chain(&e))? {
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

/// An error and its causes on one line: reqwest's own text is only the top level.
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
