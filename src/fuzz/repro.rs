//! One-line `curl` commands that replay a recorded (already redacted) request: the
//! method, URL, headers and body exactly as sent, shell-quoted. A credential shows as
//! `[redacted]`: put your own in its place.

use std::path::PathBuf;

use crate::outcome::RequestRecord;

/// Bodies up to this size, valid UTF-8 and free of control characters, go inline.
const INLINE_LIMIT: usize = 4096;

/// How a curl line passes the request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// `--data-binary '<text>'`.
    Inline(String),
    /// `--data-binary @<file>`: the file holds the body.
    File(PathBuf),
    /// Too large or binary, and nowhere to write it: said in a shell comment.
    Omitted(usize),
}

/// The body as text for an inline argument, when it is short printable ASCII: anything
/// else (a control character, an invisible or right-to-left code point) could hide in a
/// terminal or change on a copy and paste, so it goes in a file. The raw bytes, not the
/// redacted record: redaction re-serialises JSON (duplicate members would collapse), and
/// the bodies the fuzzer sends never hold a credential.
pub fn inline(raw: &[u8]) -> Option<String> {
    if raw.len() > INLINE_LIMIT || !raw.iter().all(|b| (0x20..0x7f).contains(b)) {
        return None;
    }
    String::from_utf8(raw.to_vec()).ok()
}

/// `text` with every character outside printable ASCII written as a JSON `\uXXXX`
/// escape (a surrogate pair above U+FFFF): for JSON text, the same JSON; for people, every
/// code point visible.
pub fn ascii_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (' '..='~').contains(&c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// `text` as one shell word: as is when it holds only characters no shell treats
/// specially, else quoted.
pub fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:=@%+,-".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        quote(text)
    }
}

/// `'text'` for a POSIX shell.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A curl command for `req`; `base` = (recorded base URL, base URL to print instead).
pub fn curl(req: &RequestRecord, body: Option<Body>, base: Option<(&str, &str)>) -> String {
    let url = match base {
        Some((from, to)) if req.url.starts_with(from) => format!("{to}{}", &req.url[from.len()..]),
        _ => req.url.clone(),
    };
    let mut line = format!("curl -sS -i -X {} {}", req.method, quote(&url));
    for (name, value) in &req.headers {
        line.push_str(&format!(" -H {}", quote(&format!("{name}: {value}"))));
    }
    let has_type = req
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
    if body.is_some() && !has_type {
        // curl would add a form Content-Type; this request had none.
        line.push_str(" -H 'Content-Type:'");
    }
    match body {
        None => {}
        Some(Body::Inline(text)) => line.push_str(&format!(" --data-binary {}", quote(&text))),
        Some(Body::File(path)) => line.push_str(&format!(
            " --data-binary {}",
            quote(&format!("@{}", path.display()))
        )),
        Some(Body::Omitted(len)) => line.push_str(&format!(
            " --data-binary @BODY  # a {len}-byte body, not shown"
        )),
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(method: &str, headers: &[(&str, &str)]) -> RequestRecord {
        RequestRecord {
            method: method.into(),
            url: "http://127.0.0.1:39001/oauth2/register".into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: None,
        }
    }

    #[test]
    fn quotes_survive_the_shell() {
        assert_eq!(quote("it's"), r"'it'\''s'");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf %s {}", quote("a'b \"c\" $d `e` \\f ü")))
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "a'b \"c\" $d `e` \\f ü"
        );
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("http://127.0.0.1:4444"), "http://127.0.0.1:4444");
        assert_eq!(shell_word("my profile.toml"), "'my profile.toml'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn curl_lines() {
        let post = record("POST", &[("content-type", "application/json")]);
        let body = inline(br#"{"client_name":"O'Brien"}"#).map(Body::Inline);
        assert_eq!(
            curl(
                &post,
                body,
                Some(("http://127.0.0.1:39001", "http://127.0.0.1:4444"))
            ),
            r#"curl -sS -i -X POST 'http://127.0.0.1:4444/oauth2/register' -H 'content-type: application/json' --data-binary '{"client_name":"O'\''Brien"}'"#
        );
        let get = record("GET", &[("authorization", "Basic [redacted]")]);
        assert_eq!(
            curl(&get, None, None),
            "curl -sS -i -X GET 'http://127.0.0.1:39001/oauth2/register' -H 'authorization: Basic [redacted]'"
        );
        let bare = record("POST", &[]);
        let line = curl(&bare, Some(Body::File("r/x.body".into())), None);
        assert!(
            line.ends_with(" -H 'Content-Type:' --data-binary '@r/x.body'"),
            "{line}"
        );
    }

    #[test]
    fn escaping_shows_every_code_point_and_keeps_the_json() {
        let text = serde_json::json!({"n": "a\u{a1}\u{202e}\u{1f574}\u{7f}"}).to_string();
        let shown = ascii_escaped(&text);
        assert_eq!(shown, r#"{"n":"a\u00a1\u202e\ud83d\udd74\u007f"}"#);
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back.to_string(), text);
    }

    #[test]
    fn only_short_printable_ascii_goes_inline() {
        assert_eq!(
            inline(b"{\"a\":1,\"a\":2}").as_deref(),
            Some("{\"a\":1,\"a\":2}")
        );
        assert_eq!(inline(b"{\n}"), None);
        assert_eq!(inline("{\"n\":\"\u{e000}\"}".as_bytes()), None);
        assert_eq!(inline(&[b'{', 0xff]), None);
        assert_eq!(inline("x".repeat(INLINE_LIMIT + 1).as_bytes()), None);
    }
}
