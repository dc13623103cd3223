//! What the server answers: a success (`Reply`) or an OAuth-style error (`ApiError`), and
//! how either becomes an HTTP response. Error bodies are
//! `{"error", "error_description"}` (Hydra's `errorOAuth2`), plus `message` on DELETE so
//! they also satisfy `genericError`, which the delete operation documents. The
//! `html-errors`, `text-errors` and `no-www-authenticate` faults live here.

use axum::Json;
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::faults::{Fault, Faults};

/// A successful answer.
#[derive(Debug)]
pub(super) enum Reply {
    /// A JSON body (`application/json`).
    Json(StatusCode, Value),
    /// No body at all (204).
    Empty(StatusCode),
}

/// An error answer: status, RFC 6749 / 7591 / 6750 error code and a human description.
#[derive(Debug)]
pub(super) struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub description: String,
    /// `WWW-Authenticate` challenge for 401 answers.
    pub challenge: Option<&'static str>,
    /// A `client` member for the error body: only the `unauthorized-leaks-client` fault
    /// sets it.
    pub leaked: Option<Box<Value>>,
}

/// What every operation yields.
pub(super) type Outcome = Result<Reply, ApiError>;

/// Challenge for a Bearer request that carried no token (RFC 6750 §3.1: no error code;
/// §3: the scheme "MUST be followed by one or more auth-param values", hence the realm).
pub(super) const BEARER: &str = "Bearer realm=\"dcrspec\"";
/// Challenge for a Bearer request whose token is unknown or not this client's.
pub(super) const BEARER_INVALID: &str = "Bearer realm=\"dcrspec\", error=\"invalid_token\"";
/// Challenge for client-credential management (RFC 6749 §5.2, RFC 9110 §11.6.1).
pub(super) const BASIC: &str = "Basic realm=\"dcrspec\"";

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, description: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            description: description.into(),
            challenge: None,
            leaked: None,
        }
    }

    /// 400 `invalid_client_metadata` (RFC 7591 §3.2.2).
    pub fn metadata(description: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_client_metadata",
            description,
        )
    }

    /// 400 `invalid_redirect_uri` (RFC 7591 §3.2.2).
    pub fn redirect_uri(description: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_redirect_uri", description)
    }

    /// 400 `invalid_request` (RFC 6749 §5.2): a request the client must not send.
    pub fn invalid_request(description: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    /// 404 `not_found`.
    pub fn not_found(description: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", description)
    }

    /// 401 `invalid_client`: client credentials missing or wrong (Ory flavor).
    pub fn invalid_client() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed: missing or incorrect client credentials.",
        )
        .with_challenge(BASIC)
    }

    /// 401 `invalid_token` (RFC 7592 §2 / RFC 6750 §3.1). `presented` says whether the
    /// request carried a Bearer token at all; without one the challenge has no error.
    pub fn invalid_token(presented: bool) -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "The registration access token is missing, invalid or not valid for this client.",
        )
        .with_challenge(if presented { BEARER_INVALID } else { BEARER })
    }

    pub fn with_challenge(mut self, challenge: &'static str) -> Self {
        self.challenge = Some(challenge);
        self
    }
}

/// Turn an outcome into the HTTP response, applying the error-format faults.
pub(super) fn respond(outcome: Outcome, method: &Method, faults: &Faults) -> Response {
    match outcome {
        Ok(Reply::Json(status, body)) => (status, Json(body)).into_response(),
        Ok(Reply::Empty(status)) => status.into_response(),
        Err(error) => error_response(error, method, faults),
    }
}

fn error_response(mut error: ApiError, method: &Method, faults: &Faults) -> Response {
    if faults.contains(Fault::MissingToken400) && error.challenge == Some(BEARER) {
        // A missing token read as a malformed request: RFC 6750 §3.1's invalid_request
        // is for a missing parameter, but a request without any token gets a 401.
        error.status = StatusCode::BAD_REQUEST;
        error.code = "invalid_request";
        error.challenge = None;
    }
    let mut response = if faults.contains(Fault::HtmlErrors) {
        let reason = error.status.canonical_reason().unwrap_or("Error");
        let page = format!(
            "<!DOCTYPE html>\n<html><head><title>{status} {reason}</title></head>\
             <body><h1>{status} {reason}</h1><p>{}</p></body></html>\n",
            html_escape(&error.description),
            status = error.status.as_u16(),
        );
        with_type(page, "text/html; charset=utf-8")
    } else if faults.contains(Fault::TextErrors) {
        with_type(
            format!("{}: {}\n", error.code, error.description),
            "text/plain; charset=utf-8",
        )
    } else {
        let mut body = json!({ "error": error.code, "error_description": error.description });
        if method == Method::DELETE && !faults.contains(Fault::DeleteErrorNoMessage) {
            // deleteOidcDynamicClient documents `genericError`, which requires `message`.
            body["message"] = Value::String(error.description.clone());
        }
        if let Some(client) = &error.leaked {
            body["client"] = (**client).clone();
        }
        Json(body).into_response()
    };
    *response.status_mut() = error.status;
    let challenge = match error.challenge {
        Some(BEARER) if faults.contains(Fault::ErrorOnMissingToken) => Some(BEARER_INVALID),
        other => other,
    };
    if let Some(challenge) = challenge
        && !faults.contains(Fault::NoWwwAuthenticate)
    {
        response
            .headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    }
    response
}

fn with_type(body: String, content_type: &'static str) -> Response {
    (
        [(CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response()
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> (StatusCode, String, String) {
        let status = response.status();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (
            status,
            content_type,
            String::from_utf8(bytes.to_vec()).unwrap(),
        )
    }

    #[tokio::test]
    async fn delete_errors_carry_message_others_do_not() {
        let none = Faults::default();
        let error = || Err(ApiError::not_found("gone"));
        let (_, ct, text) = body_of(respond(error(), &Method::DELETE, &none)).await;
        assert_eq!(ct, "application/json");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            body,
            json!({"error": "not_found", "error_description": "gone", "message": "gone"})
        );
        let (status, _, text) = body_of(respond(error(), &Method::GET, &none)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            body,
            json!({"error": "not_found", "error_description": "gone"})
        );
    }

    #[tokio::test]
    async fn html_errors_escape_the_description() {
        let faults = Faults::from(Fault::HtmlErrors);
        let outcome = Err(ApiError::metadata("a <b> & \"c\""));
        let (status, ct, text) = body_of(respond(outcome, &Method::POST, &faults)).await;
        assert_eq!(
            (status, ct.as_str()),
            (StatusCode::BAD_REQUEST, "text/html; charset=utf-8")
        );
        assert!(text.contains("a &lt;b&gt; &amp; &quot;c&quot;"), "{text}");
        assert!(text.contains("<h1>400 Bad Request</h1>"), "{text}");
    }

    #[tokio::test]
    async fn empty_reply_has_no_body_or_type() {
        let outcome = Ok(Reply::Empty(StatusCode::NO_CONTENT));
        let (status, ct, text) =
            body_of(respond(outcome, &Method::DELETE, &Faults::default())).await;
        assert_eq!(
            (status, ct.as_str(), text.as_str()),
            (StatusCode::NO_CONTENT, "", "")
        );
    }
}
