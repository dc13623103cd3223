//! The four registration operations (create, read, update, delete) as plain synchronous
//! functions of the server state and the request parts, each returning an `Outcome`.
//! Order inside each: the enabled switch, then (management) the client must exist, then
//! its credentials, then the body. Most behavioural faults are single branches here.
//!
//! This file holds the shared state (`App`), the gates every operation passes (the enabled
//! switch, unknown clients, credentials), read and delete; registration is in `create`,
//! updates (PUT, PATCH) in `update`, the narrow faults of issue 12 (one check each) in
//! `narrow`.

mod create;
mod narrow;
mod protected;
mod refusals;
mod token;
mod update;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Map, Value, json};

use super::Flavor;
use super::auth;
use super::faults::{Fault, Faults};
use super::metadata::{self, View};
use super::reply::{ApiError, Outcome, Reply};
use super::store::{self, Client, Store};

/// A request body, or why it could not be read.
pub(super) type Body = Result<Bytes, ApiError>;

/// Everything a request handler needs: configuration, clients and where we listen.
#[derive(Debug)]
pub(super) struct App {
    pub flavor: Flavor,
    pub enabled: bool,
    pub faults: Faults,
    /// The initial access token registration requires; `None`: open registration.
    pub iat: Option<String>,
    pub store: Store,
    /// `http://127.0.0.1:PORT`, for `registration_client_uri`.
    pub base_url: String,
    /// Deleted clients, kept only under the `token-after-delete` fault: the token
    /// endpoint's stale cache.
    pub retired: Store,
    /// The read cache of the `read-token-cache-miss` fault (`ops/narrow.rs`).
    pub read_cache: narrow::ReadCache,
}

impl App {
    fn has(&self, fault: Fault) -> bool {
        self.faults.contains(fault)
    }

    /// The answer of a server with registration switched off, before anything else.
    fn gate(&self) -> Option<Outcome> {
        if self.enabled {
            return None;
        }
        if self.has(Fault::Disabled200) {
            return Some(Ok(Reply::Json(StatusCode::OK, json!({}))));
        }
        let status = if self.has(Fault::Disabled403) {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::NOT_FOUND
        };
        let description = "Dynamic client registration is not enabled.";
        Some(Err(ApiError::new(status, "not_found", description)))
    }

    /// The answer of a registration-only server (`Flavor::Rfc7591`) at a client's
    /// configuration URL: there is no such endpoint (RFC 7592 is optional).
    fn no_configuration_endpoint(&self) -> Option<Outcome> {
        (!self.flavor.manages_clients())
            .then(|| Err(ApiError::not_found("There is no such endpoint.")))
    }

    /// The answer for a client id that names no client.
    fn unknown(&self, headers: &HeaderMap) -> Outcome {
        if self.has(Fault::Unknown200) {
            return Ok(Reply::Json(StatusCode::OK, json!({})));
        }
        if self.has(Fault::Unknown500) {
            let description = "The server failed to look up the client.";
            return Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                description,
            ));
        }
        let presented = auth::bearer_token(headers).is_some();
        match self.flavor {
            Flavor::Rfc7592 if self.has(Fault::Unknown404) => {
                Err(ApiError::not_found("There is no client with this id."))
            }
            Flavor::Rfc7592 if self.has(Fault::UnknownInvalidClient) => {
                let mut error = ApiError::invalid_token(presented);
                error.code = "invalid_client";
                error.description = "The client does not exist on this server.".into();
                Err(error)
            }
            // RFC 7592 §2.1: unknown ids must not be told apart from bad tokens.
            Flavor::Rfc7592 => Err(ApiError::invalid_token(presented)),
            Flavor::Ory if self.has(Fault::Unknown401) => Err(ApiError::invalid_client()),
            Flavor::Ory => Err(ApiError::not_found("There is no client with this id.")),
            Flavor::Rfc7591 => Err(ApiError::not_found("There is no such endpoint.")),
        }
    }

    /// The client's JSON, with `secret` if given and the RFC 7592 members if it has them.
    fn view(&self, client: &Client, secret: Option<&str>) -> Value {
        let client_uri = Some(
            client
                .client_uri_override
                .clone()
                .unwrap_or_else(|| self.client_uri(&client.id)),
        );
        metadata::render(
            client,
            View {
                secret,
                client_uri,
                null_arrays: self.has(Fault::NullArrays),
            },
        )
    }

    /// Where a client's configuration endpoint is, as answered in `registration_client_uri`.
    fn client_uri(&self, id: &str) -> String {
        if self.has(Fault::ClientUriOtherOrigin) {
            // Another origin on the same host: port 9 (discard), where nothing listens, so
            // a harness that followed the URI would hand its token to whoever bound it.
            let host = self.base_url.rsplit_once(':').map_or("", |(h, _)| h);
            return format!("{host}:9/oauth2/register/{id}");
        }
        format!("{}/oauth2/register/{id}", self.base_url)
    }

    /// GET /oauth2/register/{id}
    pub fn read(&self, id: &str, query: Option<&str>, headers: &HeaderMap) -> Outcome {
        if let Some(outcome) = self.gate().or_else(|| self.no_configuration_endpoint()) {
            return outcome;
        }
        let mut clients = self.store.lock();
        let Some(client) = clients.get(id) else {
            return self.unknown(headers);
        };
        if self.read_cache_miss(id) {
            return self.unknown(headers);
        }
        if !self.unissued_let_through(Fault::ReadUnissuedToken, &clients, headers) {
            self.authenticate(
                self.flavor,
                &clients,
                client,
                headers,
                query,
                Fault::AnonymousRead,
            )?;
        }
        let mut client = client.clone();
        if self.has(Fault::ReadRotates) && client.registration_access_token.is_some() {
            client.registration_access_token = Some(store::new_credential());
            clients.insert(client.id.clone(), client.clone());
        }
        let shown = if self.has(Fault::SecretOnGet) {
            client.secret.clone()
        } else {
            None
        };
        let mut body = self.view(&client, shown.as_deref());
        if self.has(Fault::ReadOmitsDefaults) {
            for name in [
                "token_endpoint_auth_method",
                "grant_types",
                "response_types",
            ] {
                if metadata::is_default(name, &body[name]) {
                    body.as_object_mut().map(|o| o.remove(name));
                }
            }
        }
        if self.has(Fault::ReadOmitsRegistrationCredentials) {
            for name in ["registration_access_token", "registration_client_uri"] {
                body.as_object_mut().map(|o| o.remove(name));
            }
        }
        self.answer_fault(&mut body);
        self.read_omits(&mut body);
        if self.after_read(&mut client) {
            clients.insert(client.id.clone(), client.clone());
        }
        if self.has(Fault::ReadReappliesDefaults)
            && let Some(Value::Array(grants)) = client.metadata.get_mut("grant_types")
        {
            // The answer is already rendered; the next read sees the extra grant.
            grants.push(Value::from("authorization_code"));
            clients.insert(client.id.clone(), client);
        }
        Ok(Reply::Json(StatusCode::OK, body))
    }

    /// Check the credentials, leaking the client into the error under the
    /// `unauthorized-leaks-client` fault. `anonymous` is the operation's `anonymous-*`
    /// fault: a server that checks the client's secret only when one was sent.
    pub(super) fn authenticate(
        &self,
        flavor: Flavor,
        clients: &store::Clients,
        client: &Client,
        headers: &HeaderMap,
        query: Option<&str>,
        anonymous: Fault,
    ) -> Result<(), ApiError> {
        if anonymous.applies_to(flavor) && self.has(anonymous) && auth::anonymous(headers, query) {
            return Ok(());
        }
        // The operation's `*-refuses-basic` fault (named after its `anonymous-*` one).
        let refuses_basic = match anonymous {
            Fault::AnonymousRead => Fault::ReadRefusesBasic,
            Fault::AnonymousUpdate => Fault::UpdateRefusesBasic,
            _ => Fault::DeleteRefusesBasic,
        };
        if flavor == Flavor::Ory
            && self.has(refuses_basic)
            && auth::basic_credentials(headers, true).is_some()
        {
            return Err(ApiError::invalid_client());
        }
        auth::authenticate(flavor, &self.faults, clients, client, headers, query).map_err(
            |mut error| {
                if self.has(Fault::UnauthorizedLeaksClient) {
                    error.leaked = Some(Box::new(self.view(client, client.secret.as_deref())));
                }
                error
            },
        )
    }

    /// The `*-unissued-token` faults: a Bearer token no client holds skips the check.
    fn unissued_let_through(
        &self,
        fault: Fault,
        clients: &store::Clients,
        headers: &HeaderMap,
    ) -> bool {
        self.flavor == Flavor::Rfc7592
            && self.has(fault)
            && auth::bearer_token(headers).is_some_and(|token| {
                !clients
                    .values()
                    .any(|c| c.registration_access_token.as_deref() == Some(token))
            })
    }

    /// Faults that touch every read and update answer.
    fn answer_fault(&self, body: &mut Value) {
        if self.has(Fault::ClientIdUppercased)
            && let Some(id) = body["client_id"].as_str()
        {
            body["client_id"] = Value::from(id.to_uppercase());
        }
    }

    /// The `*-500` faults: a server that crashes on some metadata it should store or refuse.
    fn crash_on(&self, body: &Map<String, Value>) -> Result<(), ApiError> {
        let name = body.get("client_name").and_then(Value::as_str);
        let name = name.unwrap_or_default();
        let crash = (self.has(Fault::LongName500) && name.chars().count() > 200)
            || (self.has(Fault::NonAsciiName500) && !name.is_ascii())
            || (self.has(Fault::NullField500) && body.values().any(Value::is_null))
            || (self.has(Fault::UnknownGrantType500) && unknown_grant(body))
            || (self.has(Fault::UnknownAuthMethod500)
                && body
                    .get("token_endpoint_auth_method")
                    .and_then(Value::as_str)
                    .is_some_and(|m| !metadata::AUTH_METHODS.contains(&m)));
        if crash {
            return Err(server_error());
        }
        Ok(())
    }

    /// DELETE /oauth2/register/{id}
    pub fn delete(&self, id: &str, query: Option<&str>, headers: &HeaderMap) -> Outcome {
        if let Some(outcome) = self.gate().or_else(|| self.no_configuration_endpoint()) {
            return outcome;
        }
        let mut clients = self.store.lock();
        let Some(client) = clients.get(id) else {
            return self.unknown(headers);
        };
        let flavor = if self.has(Fault::DeleteNeedsClientSecret) {
            Flavor::Ory
        } else {
            self.flavor
        };
        if !self.unissued_let_through(Fault::DeleteUnissuedToken, &clients, headers)
            && !self.delete_secret_unchecked(client, headers, query)
        {
            self.authenticate(
                flavor,
                &clients,
                client,
                headers,
                query,
                Fault::AnonymousDelete,
            )?;
        }
        let shown = self.view(client, None);
        if self.has(Fault::TokenAfterDelete) {
            self.retired.lock().insert(id.to_string(), client.clone());
        }
        if !self.has(Fault::DeleteKeeps) {
            clients.remove(id);
        }
        if self.has(Fault::Delete200) {
            return Ok(Reply::Json(StatusCode::OK, shown));
        }
        Ok(Reply::Empty(StatusCode::NO_CONTENT))
    }
}

/// Whether `body` asks for a grant type the server does not support.
fn unknown_grant(body: &Map<String, Value>) -> bool {
    let grants = body.get("grant_types").and_then(Value::as_array);
    grants
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|g| !metadata::GRANT_TYPES.contains(&g))
}

/// 500 `server_error`: what a crashed handler answers.
fn server_error() -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "server_error",
        "The server failed to process the request.",
    )
}
