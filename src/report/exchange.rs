//! An exchange as the human reports show it: the request as sent and the response as
//! received (or the transport error), in HTTP's own layout, bodies cut at a limit.
//! Exchanges were redacted before they reached the report; this prints them as recorded.
//! The text is raw server text: each format cleans and escapes it for its own syntax.

use std::fmt::Write as _;

use super::{status_line, truncate};
use crate::outcome::{Exchange, RequestRecord};

/// `METHOD url`, the headers, a blank line and the body (at most `limit` bytes).
pub fn request_text(req: &RequestRecord, limit: usize) -> String {
    let mut text = format!("{} {}\n", req.method, req.url);
    for (name, value) in &req.headers {
        let _ = writeln!(text, "{name}: {value}");
    }
    if let Some(body) = &req.body {
        let _ = write!(text, "\n{}", truncate(body, limit));
    }
    text
}

/// `HTTP 200 OK (12 ms)`, the headers, a blank line and the body (at most `limit`
/// bytes, with the note of where the client cut it); or the error that replaced it.
pub fn response_text(ex: &Exchange, limit: usize) -> String {
    let mut text = String::new();
    if let Some(resp) = &ex.response {
        let _ = writeln!(
            text,
            "HTTP {} ({} ms)",
            status_line(resp.status),
            ex.elapsed_ms
        );
        for (name, value) in &resp.headers {
            let _ = writeln!(text, "{name}: {value}");
        }
        if !resp.body.is_empty() {
            let _ = write!(text, "\n{}", truncate(&resp.body, limit));
        }
        if let Some(note) = &resp.truncated {
            let _ = write!(text, "\n[{note}]");
        }
    }
    if let Some(error) = &ex.error {
        let _ = write!(text, "no response ({} ms): {error}", ex.elapsed_ms);
    }
    text
}
