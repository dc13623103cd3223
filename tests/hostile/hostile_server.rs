//! A small, deliberately broken HTTP/1.1 server. It answers dcrspec's reachability probe
//! (`GET /oauth2/register`) correctly, so the run gets past it, and every other request
//! with one hostile behaviour. One request per connection; it counts what it received.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::runtime;

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

fn response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A client body the runner accepts as a registration.
fn client_json(extra: &str) -> String {
    client_json_for("hostile-client", extra)
}

fn client_json_for(id: &str, extra: &str) -> String {
    format!(
        r#"{{"client_id":"{id}","client_secret":"hostile-secret-0123456789","token_endpoint_auth_method":"client_secret_basic","redirect_uris":["https://rp.example/cb"]{extra}}}"#
    )
}

async fn serve(
    mut sock: TcpStream,
    mode: Mode,
    requests: Arc<AtomicUsize>,
    heads: Arc<std::sync::Mutex<Vec<String>>>,
    issued: Arc<std::sync::Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    let Some((head, _)) = read_request(&mut sock).await? else {
        return Ok(());
    };
    let n = requests.fetch_add(1, Ordering::SeqCst);
    heads.lock().unwrap().push(head.clone());
    let request_line = head.lines().next().unwrap_or_default().to_string();
    let path = request_line.split(' ').nth(1).unwrap_or("/").to_string();
    if mode == Mode::HangAll {
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    if request_line.starts_with("GET /oauth2/register ") {
        // The reachability probe: a proper 404, so the run goes on to the scenarios.
        let body = br#"{"error":"not_found","error_description":"probe"}"#;
        sock.write_all(&response("404 Not Found", "application/json", body))
            .await?;
        return sock.shutdown().await;
    }
    match mode {
        Mode::HangBeforeHeaders | Mode::HangAll => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Mode::Drip => {
            let bytes = response(
                "201 Created",
                "application/json",
                client_json("").as_bytes(),
            );
            for b in bytes {
                sock.write_all(&[b]).await?;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Mode::Huge => {
            let total: usize = 100 * 1024 * 1024;
            let head = format!(
                "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {total}\r\nconnection: close\r\n\r\n"
            );
            sock.write_all(head.as_bytes()).await?;
            let chunk = vec![b'a'; 64 * 1024];
            let mut sent = 0;
            while sent < total {
                sock.write_all(&chunk).await?;
                sent += chunk.len();
            }
        }
        Mode::InvalidUtf8 => {
            let mut body = br#"{"client_id":"bad-"#.to_vec();
            body.extend_from_slice(b"\xff\xfe\xc3\x28");
            body.extend_from_slice(br#"","client_secret":""#);
            body.extend_from_slice(b"\xed\xa0\x80");
            body.extend_from_slice(br#""}"#);
            let mut out = format!(
                "HTTP/1.1 201 Created\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\nx-junk: ",
                body.len()
            )
            .into_bytes();
            // obs-text: legal on the wire, not UTF-8.
            out.extend_from_slice(b"\xff\xfe\x80 ok");
            out.extend_from_slice(b"\r\nconnection: close\r\n\r\n");
            out.extend_from_slice(&body);
            sock.write_all(&out).await?;
        }
        Mode::DeepJson => {
            let body = "[".repeat(100_000);
            sock.write_all(&response(
                "201 Created",
                "application/json",
                body.as_bytes(),
            ))
            .await?;
        }
        Mode::DeepValidJson => {
            // 1 (the object) + 126 arrays: serde_json's limit is 128 levels.
            let deep = format!(r#","x":{}{}"#, "[".repeat(126), "]".repeat(126));
            let status = if request_line.starts_with("DELETE") {
                "204 No Content"
            } else if request_line.starts_with("POST") {
                "201 Created"
            } else {
                "200 OK"
            };
            let body = if status.starts_with("204") {
                String::new()
            } else {
                client_json(&deep)
            };
            sock.write_all(&response(status, "application/json", body.as_bytes()))
                .await?;
        }
        Mode::HtmlErrors => {
            let body = b"<!DOCTYPE html><html><head><title>400</title></head><body><h1>Bad Request</h1><script>alert(1)</script>]]></body></html>";
            sock.write_all(&response(
                "400 Bad Request",
                "text/html; charset=utf-8",
                body,
            ))
            .await?;
        }
        Mode::ContentTypeLie => {
            let body = b"<html><body>I said JSON. I lied.</body></html>";
            sock.write_all(&response("201 Created", "application/json", body))
                .await?;
        }
        Mode::LengthTooLong => {
            let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 1000\r\nconnection: close\r\n\r\n";
            sock.write_all(head.as_bytes()).await?;
            sock.write_all(br#"{"client_id":"short"#).await?;
        }
        Mode::LengthTooShort => {
            let body = client_json("");
            let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 5\r\nconnection: close\r\n\r\n";
            sock.write_all(head.as_bytes()).await?;
            sock.write_all(body.as_bytes()).await?;
        }
        Mode::ResetMidBody => {
            let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
            sock.write_all(head.as_bytes()).await?;
            sock.write_all(&br#"{"client_id":"reset","padding":""#[..])
                .await?;
            sock.flush().await?;
            tokio::time::sleep(Duration::from_millis(50)).await;
            // SO_LINGER 0: closing sends RST instead of FIN.
            let std = sock.into_std()?;
            socket_reset(std);
            return Ok(());
        }
        Mode::Status500 => {
            sock.write_all(&response(
                "500 Internal Server Error",
                "text/plain",
                b"Internal Server Error",
            ))
            .await?;
        }
        Mode::RedirectLoop => {
            let out = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: {path}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            sock.write_all(out.as_bytes()).await?;
        }
        Mode::RedirectElsewhere(_) if request_line.starts_with("POST /oauth2/register ") => {
            sock.write_all(&response(
                "201 Created",
                "application/json",
                client_json("").as_bytes(),
            ))
            .await?;
        }
        Mode::RedirectElsewhere(port) => {
            let out = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:{port}{path}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            sock.write_all(out.as_bytes()).await?;
        }
        Mode::ClientUriElsewhere(port) if request_line.starts_with("POST /oauth2/register ") => {
            let id = format!("hostile-client-{n}");
            issued.lock().unwrap().push(id.clone());
            let extra = format!(
                r#","registration_access_token":"hostile-token-{n}-0123456789","registration_client_uri":"http://127.0.0.1:{port}/steal/{id}""#
            );
            let body = client_json_for(&id, &extra);
            sock.write_all(&response(
                "201 Created",
                "application/json",
                body.as_bytes(),
            ))
            .await?;
        }
        Mode::ClientUriElsewhere(_) if request_line.starts_with("DELETE /oauth2/register/") => {
            sock.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
                .await?;
        }
        Mode::ClientUriElsewhere(_) => {
            let body = br#"{"error":"not_found"}"#;
            sock.write_all(&response("404 Not Found", "application/json", body))
                .await?;
        }
        Mode::CloseBeforeHeaders => {
            return Ok(());
        }
        Mode::DeleteHangs if request_line.starts_with("DELETE") => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Mode::DeleteHangs if request_line.starts_with("POST /oauth2/register ") => {
            let id = format!("hostile-client-{n}");
            issued.lock().unwrap().push(id.clone());
            let body = client_json_for(&id, "");
            sock.write_all(&response(
                "201 Created",
                "application/json",
                body.as_bytes(),
            ))
            .await?;
        }
        Mode::DeleteHangs => {
            // Reads and updates of /oauth2/register/{id}: the client, as registered.
            let id = path
                .trim_start_matches("/oauth2/register/")
                .split('?')
                .next()
                .unwrap_or_default()
                .to_string();
            let body = client_json_for(&id, "");
            sock.write_all(&response("200 OK", "application/json", body.as_bytes()))
                .await?;
        }
    }
    let _ = sock.shutdown().await;
    Ok(())
}

/// Drop a socket with SO_LINGER set to zero, so the peer sees a reset.
fn socket_reset(sock: std::net::TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: setsockopt on a socket we own, with a correctly sized option value.
    unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
    drop(sock);
}
