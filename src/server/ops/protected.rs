//! Protected registration (RFC 7591 §3): with an initial access token configured, a
//! registration must present it as an RFC 6750 Bearer token; without one it gets 401 and
//! a challenge without an error code, with a wrong one 401 `invalid_token` (RFC 6750 §3.1).
//! The token is compared in constant time. The `iat-*` faults and
//! `open-registration-refused` are branches here.

use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};

use super::App;
use crate::server::auth;
use crate::server::faults::Fault;
use crate::server::reply::{ApiError, BEARER, BEARER_INVALID};

impl App {
    /// Whether this registration request may go on: `Err` is the refusal. `body` is the
    /// raw request body (only a fault reads it).
    pub(super) fn admit(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), ApiError> {
        let Some(expected) = &self.iat else {
            // Open registration; the fault demands a token nobody was given.
            if self.has(Fault::OpenRegistrationRefused) && !headers.contains_key(AUTHORIZATION) {
                return Err(missing().with_challenge(BEARER));
            }
            return Ok(());
        };
        if self.has(Fault::IatLowercaseScheme)
            && let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok())
            && !value.starts_with("bearer ")
        {
            // The scheme is compared with a lower-case literal: "Bearer" reads as a
            // malformed header (RFC 6750 §3.1's invalid_request), not as a token.
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The Authorization header is malformed.",
            ));
        }
        let presented = if self.has(Fault::IatCaseSensitive) {
            // Any other spelling of the scheme reads as no token at all.
            headers
                .get(AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        } else {
            auth::bearer_token(headers).map(str::to_string)
        };
        let presented = presented.or_else(|| {
            self.has(Fault::IatFromBody)
                .then(|| body_token(body))
                .flatten()
        });
        match presented {
            None if self.has(Fault::IatNotRequired) => Ok(()),
            None if self.has(Fault::IatNoChallenge) => Err(missing()),
            // RFC 6750 §3.1: a request without authentication gets no error code.
            None if self.has(Fault::IatMissingErrorCode) => {
                Err(missing().with_challenge(BEARER_INVALID))
            }
            None => Err(missing().with_challenge(BEARER)),
            Some(_) if self.has(Fault::IatAnyToken) => Ok(()),
            Some(t) if auth::constant_time_eq(t.as_bytes(), expected.as_bytes()) => Ok(()),
            Some(_) if self.has(Fault::Iat403) => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "access_denied",
                "The initial access token does not allow registration.",
            )),
            Some(_) => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "The initial access token is not valid.",
            )
            .with_challenge(BEARER_INVALID)),
        }
    }
}

/// 401 for a registration that carried no initial access token (challenge added by the caller).
fn missing() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "invalid_token",
        "Registration requires an initial access token.",
    )
}

/// An `access_token` member of a JSON object body, for the `iat-from-body` fault.
fn body_token(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get("access_token")?.as_str().map(str::to_string)
}
