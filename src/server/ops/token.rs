//! The token endpoint (`POST /oauth2/token`, RFC 6749 §3.2) for the `client_credentials`
//! grant (§4.4): what shows that the credentials registration issued really work. A
//! client authenticates with HTTP Basic, its id and secret form-urldecoded after base64
//! (§2.3.1, Appendix B), or with `client_id` and `client_secret` in the form body; either
//! is accepted whatever method the client registered (RFC 7591 §2 leaves enforcing it to
//! the server). Credentials in the URL query are refused (§2.3.1), and a failed Basic
//! authentication answers 401 `invalid_client` with a Basic challenge (§5.2). The token
//! is opaque and random; nothing reads it back. The `token-*` faults are branches here.

use axum::body::Bytes;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::App;
use crate::server::auth;
use crate::server::faults::Fault;
use crate::server::reply::{ApiError, Outcome, Reply};
use crate::server::store::{self, Client};

/// How long an issued access token is said to live, in seconds.
const EXPIRES_IN: u64 = 3600;

/// How the request authenticated the client.
enum Presented {
    /// An `Authorization: Basic` header: id and secret, decoded (or not, under a fault).
    Basic(Option<(String, String)>),
    /// `client_id` and `client_secret` parameters (the body's; the query's under the
    /// `token-query-credentials` fault).
    Post(String, String),
}

impl App {
    /// POST /oauth2/token
    pub fn token(
        &self,
        headers: &HeaderMap,
        query: Option<&str>,
        body: Result<Bytes, ()>,
    ) -> Outcome {
        let query = pairs(query.unwrap_or_default().as_bytes());
        let in_query = query
            .iter()
            .any(|(k, _)| k == "client_id" || k == "client_secret");
        if in_query && !self.has(Fault::TokenQueryCredentials) {
            return Err(ApiError::invalid_request(
                "Client credentials are not accepted in the request URI.",
            ));
        }
        let form_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        let body = match body {
            Ok(b) if form_type => b,
            _ => {
                return Err(ApiError::invalid_request(
                    "The token request must be an application/x-www-form-urlencoded body.",
                ));
            }
        };
        let form = pairs(&body);
        let get = |pairs: &[(String, String)], name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let mut params = form.clone();
        if self.has(Fault::TokenQueryCredentials) {
            params.extend(query.iter().cloned());
        }
        let basic = headers.contains_key(AUTHORIZATION);
        let post = get(&params, "client_secret");
        let presented = match (basic, post) {
            (true, Some(_)) => {
                // RFC 6749 §2.3: a client uses one authentication method per request.
                return Err(ApiError::invalid_request(
                    "The request authenticates the client in more than one way.",
                ));
            }
            (true, None) => Presented::Basic(auth::basic_credentials(
                headers,
                !self.has(Fault::TokenBasicRaw),
            )),
            (false, Some(secret)) => {
                Presented::Post(get(&params, "client_id").unwrap_or_default(), secret)
            }
            (false, None) => return Err(ApiError::invalid_client()),
        };
        let client = self.token_client(&presented).map_err(|mut e| {
            if self.has(Fault::TokenUnauthorizedClient) && e.code == "invalid_client" {
                e.code = "unauthorized_client";
            }
            e
        })?;
        match get(&form, "grant_type").as_deref() {
            Some("client_credentials") => {}
            Some(_) => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "unsupported_grant_type",
                    "This token endpoint grants client_credentials only.",
                ));
            }
            None => return Err(ApiError::invalid_request("grant_type is missing.")),
        }
        let grants = client.metadata.get("grant_types").and_then(Value::as_array);
        if !grants.is_some_and(|g| g.iter().any(|v| v == "client_credentials")) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "unauthorized_client",
                "The client is not registered for the client_credentials grant.",
            ));
        }
        let body = json!({
            "access_token": store::new_credential(),
            "token_type": "Bearer",
            "expires_in": EXPIRES_IN,
        });
        Ok(Reply::Json(StatusCode::OK, body))
    }

    /// The client the presented credentials authenticate, or the `invalid_client` error.
    fn token_client(&self, presented: &Presented) -> Result<Client, ApiError> {
        let lookup = |id: &str| {
            let live = self.store.lock().get(id).cloned();
            live.or_else(|| {
                // A client deleted but still in the token endpoint's cache.
                self.has(Fault::TokenAfterDelete)
                    .then(|| self.retired.lock().get(id).cloned())
                    .flatten()
            })
        };
        let matches = |client: &Client, secret: &str| {
            !secret.is_empty()
                && client
                    .secret
                    .as_deref()
                    .is_some_and(|s| auth::constant_time_eq(s.as_bytes(), secret.as_bytes()))
        };
        match presented {
            Presented::Basic(credentials) => {
                let refused = if self.has(Fault::TokenBasic400) {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_client",
                        "Client authentication failed.",
                    )
                } else {
                    ApiError::invalid_client()
                };
                if self.has(Fault::TokenRefusesBasic) {
                    return Err(refused);
                }
                let Some((id, secret)) = credentials else {
                    return Err(refused);
                };
                lookup(id).filter(|c| matches(c, secret)).ok_or(refused)
            }
            Presented::Post(id, secret) => {
                if self.has(Fault::TokenRefusesPost) {
                    return Err(ApiError::invalid_client());
                }
                let client = lookup(id).ok_or_else(ApiError::invalid_client)?;
                // The fault: the id is looked up, the secret only checked to be there.
                let any = self.has(Fault::TokenPostAnySecret) && !secret.is_empty();
                if any || matches(&client, secret) {
                    Ok(client)
                } else {
                    Err(ApiError::invalid_client())
                }
            }
        }
    }
}

/// A form-urlencoded text as name/value pairs, decoded.
fn pairs(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}
