//! A small, deliberately broken HTTP/1.1 server. It answers dcrspec's reachability probe
//! (`GET /oauth2/register`) correctly, so the run gets past it, and every other request
//! with one hostile behaviour. One request per connection; it counts what it received.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

use crate::support::runtime;

mod serve;

use serve::serve;

/// The hostile behaviours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Reads the request and never answers.
    HangBeforeHeaders,
    /// Never answers, the reachability probe included.
    HangAll,
    /// A valid response, one byte a second.
    Drip,
    /// 201 with a 100 MB body, as fast as the socket takes it.
    Huge,
    /// Invalid UTF-8 in a header and in a JSON-typed body.
    InvalidUtf8,
    /// A JSON-typed body of 100 000 `[`.
    DeepJson,
    /// A valid client body whose extra member nests to serde_json's recursion limit.
    DeepValidJson,
    /// Every answer is a 400 HTML page.
    HtmlErrors,
    /// `Content-Type: application/json` on an HTML body.
    ContentTypeLie,
    /// `Content-Length` larger than the body, then the connection closes.
    LengthTooLong,
    /// `Content-Length` smaller than the body.
    LengthTooShort,
    /// Headers, part of the body, then a TCP reset.
    ResetMidBody,
    /// 500 for everything.
    Status500,
    /// 307 to the same URL, forever.
    RedirectLoop,
    /// Registers clients properly, then answers every request on a client (all of them
    /// carry its credentials) with a 307 to another origin: the sink's port.
    RedirectElsewhere(u16),
    /// Registers clients (each with its own id and registration access token) whose
    /// `registration_client_uri` is on another origin: the sink's port, at
    /// `/steal/{id}`. At its own `/oauth2/register/{id}` a DELETE answers 204 and
    /// anything else 404, so a client deleted at the target reads back as gone.
    ClientUriElsewhere(u16),
    /// Reads the request and closes the connection without a byte.
    CloseBeforeHeaders,
    /// Registers clients (each with its own id) and answers reads and updates, but never
    /// answers a DELETE.
    DeleteHangs,
}

/// A running hostile server.
pub struct Hostile {
    pub url: String,
    /// Connections accepted.
    pub connections: Arc<AtomicUsize>,
    /// Requests received, the probe included.
    pub requests: Arc<AtomicUsize>,
    /// Raw request heads received, for the tests that look at what was sent.
    pub heads: Arc<std::sync::Mutex<Vec<String>>>,
    /// Client ids issued by `DeleteHangs` and `ClientUriElsewhere`.
    pub issued: Arc<std::sync::Mutex<Vec<String>>>,
    _rt: tokio::runtime::Runtime,
}

impl Hostile {
    pub fn start(mode: Mode) -> Hostile {
        let rt = runtime();
        let listener = rt
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(std::sync::Mutex::new(Vec::new()));
        let issued = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (c, r, h, i) = (
            connections.clone(),
            requests.clone(),
            heads.clone(),
            issued.clone(),
        );
        rt.spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                let (r, h, i) = (r.clone(), h.clone(), i.clone());
                tokio::spawn(async move {
                    let _ = serve(sock, mode, r, h, i).await;
                });
            }
        });
        Hostile {
            url,
            connections,
            requests,
            heads,
            issued,
            _rt: rt,
        }
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The request lines received, in order.
    pub fn request_lines(&self) -> Vec<String> {
        self.heads
            .lock()
            .unwrap()
            .iter()
            .map(|h| h.lines().next().unwrap_or_default().to_string())
            .collect()
    }
}

/// Read one request head and its Content-Length body; `None` if the peer went away or
/// the head passes 64 KiB. Also the rate limiter's (`rate_limit.rs`) request reader.
pub async fn read_request(sock: &mut TcpStream) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 64 * 1024 {
            return Ok(None);
        }
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some((head, body)))
}
