//! One connection of the hostile server: read the request, then answer it as the
//! server's `Mode` says (the probe correctly, everything else with the hostile
//! behaviour), with the canned responses and client bodies those answers use.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::{Mode, read_request};

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

pub(super) async fn serve(
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
