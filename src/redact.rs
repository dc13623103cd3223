//! Redaction: secrets never reach a report, a log line or a terminal. Credentials are
//! removed by position (Authorization headers, secret-named JSON members, query and form
//! parameters) and by value (every secret the scenario saw, in plain, percent- and
//! base64-encoded form), before anything is stored in a result.

use std::collections::BTreeSet;

use base64::Engine;
use serde_json::Value;

use crate::http::{Request, Response};
use crate::outcome::{Exchange, RequestRecord, ResponseRecord};

pub const MASK: &str = "[redacted]";

/// JSON members and query parameters whose value is always a credential.
const SECRET_NAMES: &[&str] = &[
    "client_secret",
    "registration_access_token",
    "access_token",
    "refresh_token",
    "id_token",
];

/// Recorded bodies keep at most this many bytes: the checks see the whole body (up to
/// `--max-body`), the reports a readable and bounded part of it.
pub const RECORD_BODY_LIMIT: usize = 64 * 1024;

/// Values shorter than this are only removed by position: replacing them everywhere
/// would mangle unrelated text.
const MIN_SECRET_LEN: usize = 6;

/// The secrets one scenario has seen.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: BTreeSet<String>,
}

impl Redactor {
    pub fn add(&mut self, secret: &str) {
        if secret.len() >= MIN_SECRET_LEN {
            self.secrets.insert(secret.to_string());
        }
    }

    /// Learn the secret-named members of a JSON body.
    pub fn learn_json(&mut self, value: &Value) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        Value::String(s) if is_secret_name(k) => self.add(s),
                        other => self.learn_json(other),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.learn_json(v)),
            _ => {}
        }
    }

    /// Remove every known secret from free text, longest first so that a secret
    /// containing another is removed whole.
    pub fn text(&self, text: &str) -> String {
        let mut forms: Vec<String> = Vec::new();
        for s in &self.secrets {
            forms.push(s.clone());
            let form: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
            forms.push(form.clone());
            forms.push(form.replace('+', "%20"));
            forms.push(base64::engine::general_purpose::STANDARD.encode(s));
            forms.push(
                serde_json::to_string(s)
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_string(),
            );
        }
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        forms.dedup();
        let mut out = text.to_string();
        for f in forms.iter().filter(|f| f.len() >= MIN_SECRET_LEN) {
            // Bodies can be a mebibyte: copy only when there is something to replace.
            if out.contains(f.as_str()) {
                out = out.replace(f.as_str(), MASK);
            }
        }
        out
    }

    /// A request/response pair as it may be stored.
    pub fn exchange(
        &self,
        req: &Request,
        resp: &Result<Response, String>,
        elapsed_ms: u64,
    ) -> Exchange {
        let request = RequestRecord {
            method: req.method.clone(),
            url: self.text(&redact_query(&req.url)),
            headers: req
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), self.header(k, v)))
                .collect(),
            body: req.body.as_ref().map(|b| self.body(b)),
        };
        let (response, error) = match resp {
            Ok(r) => {
                let mut body = self.body(&r.body);
                let mut notes = Vec::new();
                if r.truncated {
                    notes.push(format!(
                        "body cut at {} bytes (--max-body); the rest was not read",
                        r.body.len()
                    ));
                }
                if body.len() > RECORD_BODY_LIMIT {
                    let mut end = RECORD_BODY_LIMIT;
                    while !body.is_char_boundary(end) {
                        end -= 1;
                    }
                    notes.push(format!(
                        "the report keeps the first {end} of {} bytes",
                        body.len()
                    ));
                    body.truncate(end);
                    body.shrink_to_fit();
                }
                (
                    Some(ResponseRecord {
                        status: r.status,
                        headers: r
                            .headers
                            .iter()
                            .map(|(k, v)| (k.clone(), self.header(k, v)))
                            .collect(),
                        body,
                        truncated: (!notes.is_empty()).then(|| notes.join("; ")),
                    }),
                    None,
                )
            }
            Err(e) => (None, Some(self.text(e))),
        };
        Exchange {
            request,
            response,
            error,
            elapsed_ms,
        }
    }

    fn header(&self, name: &str, value: &str) -> String {
        if name.eq_ignore_ascii_case("authorization")
            || name.eq_ignore_ascii_case("proxy-authorization")
        {
            // Keep the scheme: "Basic [redacted]" still tells the reader what was sent.
            match value.split_once(' ') {
                Some((scheme, _)) => format!("{scheme} {MASK}"),
                None => MASK.to_string(),
            }
        } else {
            self.text(value)
        }
    }

    fn body(&self, bytes: &[u8]) -> String {
        let text = String::from_utf8_lossy(bytes);
        match serde_json::from_slice::<Value>(bytes) {
            Ok(mut v) => {
                mask_json(&mut v);
                self.text(&v.to_string())
            }
            Err(_) => self.text(&mask_form(&text).unwrap_or_else(|| text.into_owned())),
        }
    }
}

fn is_secret_name(name: &str) -> bool {
    SECRET_NAMES.contains(&name)
}

fn mask_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if is_secret_name(k) && matches!(v, Value::String(s) if !s.is_empty()) {
                    *v = Value::String(MASK.into());
                } else {
                    mask_json(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_json),
        _ => {}
    }
}

/// A form-urlencoded body (a token request's) with its secret-named parameters masked;
/// `None` when the text is no such form or names no secret.
fn mask_form(text: &str) -> Option<String> {
    if !text.contains('=') || text.contains(char::is_whitespace) {
        return None;
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect();
    if !pairs.iter().any(|(k, _)| is_secret_name(k)) {
        return None;
    }
    let masked = pairs.into_iter().map(|(k, v)| {
        let v = if is_secret_name(&k) { MASK.into() } else { v };
        (k, v)
    });
    Some(
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(masked)
            .finish(),
    )
}

/// Mask secret-named query parameters of a URL.
pub(crate) fn redact_query(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_string();
    };
    if parsed.query().is_none() {
        return url.to_string();
    }
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            let v = if is_secret_name(&k) {
                MASK.to_string()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(url: &str, auth: &str, body: &str) -> Request {
        Request {
            method: "PUT".into(),
            url: url.into(),
            headers: vec![("authorization".into(), auth.into())],
            body: Some(body.as_bytes().to_vec()),
        }
    }

    #[test]
    fn secrets_are_removed_by_position_and_by_value() {
        let mut r = Redactor::default();
        r.add("s3cret value+%/ü");
        let req = request(
            "http://h/c/1?client_secret=s3cret%20value%2B%25%2F%C3%BC&x=1",
            "Basic abcdef",
            r#"{"client_secret":"other-secret","note":"s3cret value+%/ü"}"#,
        );
        let resp = Ok(Response {
            status: 200,
            headers: vec![],
            body: br#"{"registration_access_token":"tok-123456"}"#.to_vec(),
            truncated: false,
            elapsed: Default::default(),
        });
        let ex = r.exchange(&req, &resp, 1);
        let all = serde_json::to_string(&ex).unwrap();
        for leak in ["s3cret", "other-secret", "tok-123456", "abcdef", "%C3%BC"] {
            assert!(!all.contains(leak), "{leak} leaked: {all}");
        }
        assert!(ex.request.url.contains("x=1"), "{}", ex.request.url);
        assert_eq!(ex.request.headers[0].1, "Basic [redacted]");
    }

    #[test]
    fn form_bodies_and_token_answers_are_masked_by_position() {
        // A secret the redactor never learned (a guess, a server's token) still goes.
        let r = Redactor::default();
        let req = Request {
            method: "POST".into(),
            url: "http://h/oauth2/token?client_secret=q-unknown".into(),
            headers: vec![],
            body: Some(
                b"grant_type=client_credentials&client_id=c1&client_secret=unknown%2B1".to_vec(),
            ),
        };
        let resp = Ok(Response {
            status: 200,
            headers: vec![],
            body: br#"{"access_token":"at-unknown-123","token_type":"Bearer"}"#.to_vec(),
            truncated: false,
            elapsed: Default::default(),
        });
        let ex = r.exchange(&req, &resp, 1);
        let all = serde_json::to_string(&ex).unwrap();
        for leak in ["unknown", "at-unknown"] {
            assert!(!all.contains(leak), "{leak} leaked: {all}");
        }
        let body = ex.request.body.unwrap();
        assert!(
            body.contains("grant_type=client_credentials&client_id=c1"),
            "{body}"
        );
        // Text that is no form stays as it is.
        assert_eq!(mask_form("a b=c"), None);
        assert_eq!(mask_form("grant_type=x"), None);
    }

    #[test]
    fn learned_json_secrets_are_removed_from_text() {
        let mut r = Redactor::default();
        r.learn_json(&json!({"nested": [{"client_secret": "abcdefgh"}]}));
        assert_eq!(r.text("x abcdefgh y"), "x [redacted] y");
        assert_eq!(r.text("short abc stays"), "short abc stays");
    }
}
