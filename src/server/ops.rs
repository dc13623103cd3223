//! The four registration operations (create, read, update, delete) as plain synchronous
//! functions of the server state and the request parts, each returning an `Outcome`.
//! Order inside each: the enabled switch, then (management) the client must exist, then
//! its credentials, then the body. Most behavioural faults are single branches here.

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
    pub store: Store,
    /// `http://127.0.0.1:PORT`, for `registration_client_uri`.
    pub base_url: String,
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
        }
    }

    /// The client's JSON, with `secret` if given and the RFC 7592 members if it has them.
    fn view(&self, client: &Client, secret: Option<&str>) -> Value {
        let client_uri = Some(
            client
                .client_uri_override
                .clone()
                .unwrap_or_else(|| format!("{}/oauth2/register/{}", self.base_url, client.id)),
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

    /// POST /oauth2/register
    pub fn create(&self, headers: &HeaderMap, body: Body) -> Outcome {
        if let Some(outcome) = self.gate() {
            return outcome;
        }
        let raw = body.as_ref().ok().cloned().unwrap_or_default();
        self.register(headers, body)
            .or_else(|error| self.registration_error(error, &raw))
    }

    /// Registration proper: read and validate the request, issue credentials, store the
    /// client and answer with it. The RFC 7591 registration faults are branches here.
    fn register(&self, headers: &HeaderMap, body: Body) -> Outcome {
        let body = self.registration_body(headers, body?)?;
        self.crash_on(&body)?;
        if metadata::client_secret(&body)?.is_some() {
            return Err(ApiError::metadata(
                "A client may not choose its own client_secret.",
            ));
        }
        if self.has(Fault::RejectUnknown)
            && let Some(name) = metadata::unknown_member(&body)
        {
            return Err(ApiError::metadata(format!(
                "The member {name} is not supported."
            )));
        }
        if self.has(Fault::TypeErrors500) && metadata::type_error(&body).is_some() {
            return Err(server_error());
        }
        let redirect_checks = metadata::RedirectChecks {
            skip_fragment: self.has(Fault::AcceptFragment),
            skip_absolute: self.has(Fault::AcceptRelativeRedirect),
        };
        let mut metadata = metadata::from_registration(&body, redirect_checks)?;
        metadata::check_registration(
            &metadata,
            metadata::RegistrationChecks {
                redirect_required: !self.has(Fault::RedirectOptional),
                redirect_always: self.has(Fault::RedirectAlwaysRequired),
                // The Ory flavor takes http redirect URIs, as Hydra does (OIDC only MAY refuse).
                redirect_schemes: self.flavor == Flavor::Rfc7592
                    && !self.has(Fault::AllowHttpRedirect),
                // OpenID Connect's rule for implicit web clients: the Ory flavor is an OP.
                implicit_https: self.flavor == Flavor::Ory
                    && !self.has(Fault::ImplicitHttpRedirect),
                jwks_exclusive: !self.has(Fault::AcceptJwksAndUri),
                known_grants: !self.has(Fault::StoreBogusGrant),
                consistent_types: !self.has(Fault::AcceptInconsistentTypes),
            },
        )?;
        self.fault_after_validation(&body, &mut metadata);
        let sent = |name: &str| metadata::member(&body, name).is_some();
        let mut client = Client {
            id: store::new_client_id(),
            secret: None,
            registration_access_token: (self.flavor == Flavor::Rfc7592).then(store::new_credential),
            previous_token: None,
            client_uri_override: None,
            issued_at: store::now(),
            metadata,
        };
        if self.has(Fault::ClientIdFromName)
            && let Some(name) = client.metadata.get("client_name").and_then(Value::as_str)
        {
            client.id = name_id(name);
            // "Idempotent" registration: the same name gets the client registered first.
            if let Some(first) = self.store.lock().get(&client.id) {
                let response = self.view(first, first.secret.as_deref());
                return Ok(Reply::Json(StatusCode::CREATED, response));
            }
        }
        let issue = if self.has(Fault::NoSecretForDefaultMethod) {
            sent("token_endpoint_auth_method") && client.auth_method() != "none"
        } else {
            client.auth_method() != "none" || self.has(Fault::SecretForPublic)
        };
        if issue {
            client.secret = Some(if self.has(Fault::SharedSecret) {
                SHARED_SECRET.to_string()
            } else {
                store::new_credential()
            });
        }
        let shown = if self.has(Fault::CreateNoSecret) {
            None
        } else {
            client.secret.as_deref()
        };
        let mut response = self.view(&client, shown);
        self.fault_in_response(&body, &client, &mut response);
        self.store.lock().insert(client.id.clone(), client);
        let status = if self.has(Fault::Create200) {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        Ok(Reply::Json(status, response))
    }

    /// The registration request body as a JSON object (`parse_body`, but for the
    /// content-type and body faults of registration).
    fn registration_body(
        &self,
        headers: &HeaderMap,
        raw: Bytes,
    ) -> Result<Map<String, Value>, ApiError> {
        if self.has(Fault::JsonCharsetRefused) {
            let content_type = headers
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !content_type.trim().eq_ignore_ascii_case("application/json") {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "invalid_request",
                    "The request body must be sent as application/json.",
                ));
            }
        }
        if self.has(Fault::NullBody500)
            && serde_json::from_slice::<Value>(&raw).is_ok_and(|v| !v.is_object())
        {
            return Err(server_error());
        }
        if self.has(Fault::LenientContentType) {
            let mut json = HeaderMap::new();
            json.insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            );
            return metadata::parse_body(&json, raw);
        }
        metadata::parse_body(headers, raw)
    }

    /// Faults that change the metadata once it has been validated (defaults applied late,
    /// redirect URIs rewritten).
    fn fault_after_validation(&self, body: &Map<String, Value>, metadata: &mut metadata::Metadata) {
        let sent = |name: &str| metadata::member(body, name).is_some();
        if self.has(Fault::DefaultGrantClientCredentials) && !sent("grant_types") {
            metadata.insert("grant_types".into(), json!(["client_credentials"]));
        }
        if self.has(Fault::DefaultResponseToken) && !sent("response_types") {
            metadata.insert("response_types".into(), json!(["token"]));
        }
        if self.has(Fault::NormalizeRedirectUris)
            && let Some(Value::Array(uris)) = metadata.get_mut("redirect_uris")
        {
            for uri in uris.iter_mut() {
                if let Some(parsed) = uri.as_str().and_then(|u| url::Url::parse(u).ok()) {
                    *uri = Value::String(parsed.to_string());
                }
            }
        }
    }

    /// Faults in how the create response renders the client.
    fn fault_in_response(&self, body: &Map<String, Value>, client: &Client, response: &mut Value) {
        let Some(out) = response.as_object_mut() else {
            return;
        };
        if self.has(Fault::NoSecretExpiry) && out.contains_key("client_secret") {
            out.remove("client_secret_expires_at");
        }
        if self.has(Fault::IssuedAtMillis) {
            out.insert("client_id_issued_at".into(), json!(client.issued_at * 1000));
        }
        if self.has(Fault::OmitDefaults) {
            for name in client.metadata.keys() {
                if metadata::member(body, name).is_none() {
                    out.remove(name);
                }
            }
        }
        if self.has(Fault::EmptyStringUris) {
            for name in [
                "client_uri",
                "logo_uri",
                "policy_uri",
                "tos_uri",
                "jwks_uri",
            ] {
                out.entry(name).or_insert_with(|| json!(""));
            }
        }
        if self.has(Fault::JwksWithJwksUri) && out.contains_key("jwks_uri") {
            out.entry("jwks").or_insert_with(|| json!({}));
        }
        if self.has(Fault::ClientUriWithoutToken) && !out.contains_key("registration_access_token")
        {
            let uri = format!("{}/oauth2/register/{}", self.base_url, client.id);
            out.insert("registration_client_uri".into(), json!(uri));
        }
        if self.has(Fault::EchoRequestMembers) {
            out.extend(body.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }

    /// How a refused registration is answered: as is, or as a registration fault has it.
    fn registration_error(&self, mut error: ApiError, raw: &Bytes) -> Outcome {
        if error.status != StatusCode::BAD_REQUEST {
            return Err(error);
        }
        if self.has(Fault::ClientOnError) {
            // The id was issued before validation, and the error is built from the half-made
            // client (which is not stored).
            let body = json!({
                "error": error.code,
                "error_description": error.description,
                "client_id": store::new_client_id(),
            });
            return Ok(Reply::Json(error.status, body));
        }
        if self.has(Fault::InvalidRequestCode) {
            error.code = "invalid_request";
        }
        if self.has(Fault::Error422) {
            error.status = StatusCode::UNPROCESSABLE_ENTITY;
        }
        if self.has(Fault::BodyInDescription) {
            let body = String::from_utf8_lossy(raw);
            error.description = format!("{} Request body: {body}", error.description);
        }
        Err(error)
    }

    /// GET /oauth2/register/{id}
    pub fn read(&self, id: &str, query: Option<&str>, headers: &HeaderMap) -> Outcome {
        if let Some(outcome) = self.gate() {
            return outcome;
        }
        let mut clients = self.store.lock();
        let Some(client) = clients.get(id) else {
            return self.unknown(headers);
        };
        self.authenticate(self.flavor, &clients, client, headers, query)?;
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
    /// `unauthorized-leaks-client` fault.
    fn authenticate(
        &self,
        flavor: Flavor,
        clients: &store::Clients,
        client: &Client,
        headers: &HeaderMap,
        query: Option<&str>,
    ) -> Result<(), ApiError> {
        auth::authenticate(flavor, &self.faults, clients, client, headers, query).map_err(
            |mut error| {
                if self.has(Fault::UnauthorizedLeaksClient) {
                    error.leaked = Some(Box::new(self.view(client, client.secret.as_deref())));
                }
                error
            },
        )
    }

    /// Faults that touch every read and update answer.
    fn answer_fault(&self, body: &mut Value) {
        if self.has(Fault::ClientIdUppercased)
            && let Some(id) = body["client_id"].as_str()
        {
            body["client_id"] = Value::from(id.to_uppercase());
        }
    }

    /// PUT /oauth2/register/{id}: full replacement of the client's metadata.
    pub fn update(
        &self,
        id: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: Body,
    ) -> Outcome {
        self.change(id, query, headers, body, Change::Put)
    }

    /// PATCH /oauth2/register/{id}, routed here only by the `patch-merges` fault.
    pub fn patch(&self, id: &str, query: Option<&str>, headers: &HeaderMap, body: Body) -> Outcome {
        self.change(id, query, headers, body, Change::Patch)
    }

    fn change(
        &self,
        id: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: Body,
        kind: Change,
    ) -> Outcome {
        if let Some(outcome) = self.gate() {
            return outcome;
        }
        let mut clients = self.store.lock();
        let Some(client) = clients.get(id) else {
            return self.unknown(headers);
        };
        self.authenticate(self.flavor, &clients, client, headers, query)?;
        let raw = body?;
        let null_reset = self.has(Fault::PutNullResets) && raw.trim_ascii() == b"null";
        let body = if null_reset {
            Map::new()
        } else {
            metadata::parse_body(headers, raw)?
        };
        self.crash_on(&body)?;
        if self.flavor == Flavor::Rfc7592 && kind == Change::Put && !null_reset {
            self.check_update_members(&body)?;
        }
        if metadata::member(&body, "client_id").is_some_and(|v| v.as_str() != Some(id))
            && !self.has(Fault::PutIgnoresClientIdMismatch)
        {
            return Err(ApiError::metadata(
                "client_id does not match the client being updated.",
            ));
        }
        let checked = !self.has(Fault::PutSkipsValidation);
        let mut metadata = if self.has(Fault::PutMerges) || kind == Change::Patch {
            let mut merged: Map<String, Value> = client.metadata.clone();
            merged.extend(body.iter().map(|(k, v)| (k.clone(), v.clone())));
            metadata::from_body_with(&merged, checked)?
        } else {
            metadata::from_body_with(&body, checked)?
        };
        if self.has(Fault::PutAppendsArrays) {
            for (name, value) in metadata.iter_mut() {
                if let (Some(Value::Array(old)), Value::Array(new)) =
                    (client.metadata.get(name), &mut *value)
                    && body.contains_key(name)
                {
                    let added: Vec<Value> = new.drain(..).filter(|v| !old.contains(v)).collect();
                    *new = old.iter().cloned().chain(added).collect();
                }
            }
        }
        let mut updated = Client {
            metadata,
            ..client.clone()
        };
        if self.has(Fault::PutAppliesServerManaged) {
            if let Some(uri) = body.get("registration_client_uri").and_then(Value::as_str) {
                updated.client_uri_override = Some(uri.to_string());
            }
            if let Some(at) = body.get("client_id_issued_at").and_then(Value::as_u64) {
                updated.issued_at = at;
            }
        }
        let echo = self.update_secret(&mut updated, metadata::client_secret(&body)?)?;
        let old_token = updated.registration_access_token.clone();
        if old_token.is_some() {
            // RFC 7592 §5: the token "MAY be rotated" on update; this server does, and
            // the old one is dead from here on (as Keycloak and Hydra do).
            updated.previous_token = updated
                .registration_access_token
                .replace(store::new_credential());
        }
        let mut response = if self.has(Fault::UpdateAnswersStale) {
            let before = Client {
                metadata: client.metadata.clone(),
                ..updated.clone()
            };
            self.view(&before, echo.as_deref())
        } else {
            self.view(&updated, echo.as_deref())
        };
        if self.has(Fault::UpdateAnswersOldToken)
            && let Some(old) = old_token
        {
            response["registration_access_token"] = Value::from(old);
        }
        self.answer_fault(&mut response);
        if self.has(Fault::TornPut) {
            drop(clients);
            self.write_torn(updated);
        } else {
            clients.insert(updated.id.clone(), updated);
        }
        Ok(Reply::Json(StatusCode::OK, response))
    }

    /// The `*-500` faults: a server that crashes on some metadata it should store.
    fn crash_on(&self, body: &Map<String, Value>) -> Result<(), ApiError> {
        let name = body.get("client_name").and_then(Value::as_str);
        let name = name.unwrap_or_default();
        let crash = (self.has(Fault::LongName500) && name.chars().count() > 200)
            || (self.has(Fault::NonAsciiName500) && !name.is_ascii())
            || (self.has(Fault::NullField500) && body.values().any(Value::is_null));
        if crash {
            return Err(server_error());
        }
        Ok(())
    }

    /// The `torn-put` fault: store `updated` one member at a time, in a random order,
    /// releasing the lock and pausing (0-2 ms) between writes, as a store that writes
    /// fields separately and without a transaction would.
    fn write_torn(&self, updated: Client) {
        let random = || {
            let mut byte = [0u8; 1];
            let _ = getrandom::fill(&mut byte);
            byte[0]
        };
        let old: Vec<String> = match self.store.lock().get(&updated.id) {
            Some(c) => c.metadata.keys().cloned().collect(),
            None => return,
        };
        let removed = old.iter().filter(|k| !updated.metadata.contains_key(*k));
        let mut writes: Vec<(String, Option<&Value>)> = removed
            .map(|k| (k.clone(), None))
            .chain(updated.metadata.iter().map(|(k, v)| (k.clone(), Some(v))))
            .collect();
        writes.sort_by_key(|_| random());
        let write = || {
            for (key, value) in writes {
                std::thread::sleep(std::time::Duration::from_micros(u64::from(random()) * 8));
                if let Some(client) = self.store.lock().get_mut(&updated.id) {
                    match value {
                        Some(v) => client.metadata.insert(key, v.clone()),
                        None => client.metadata.remove(&key),
                    };
                }
            }
        };
        // Sleeping blocks the worker; on a multi-thread runtime, hand its other work to
        // another thread so that concurrent PUTs really overlap.
        let flavor = tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor());
        if matches!(flavor, Ok(tokio::runtime::RuntimeFlavor::MultiThread)) {
            tokio::task::block_in_place(write);
        } else {
            write();
        }
        // Everything but the metadata (secret, tokens) lands in one write at the end.
        if let Some(client) = self.store.lock().get_mut(&updated.id) {
            let metadata = std::mem::take(&mut client.metadata);
            *client = Client {
                metadata,
                ..updated
            };
        }
    }

    /// Apply a PUT's `client_secret` (already `None` when absent or empty) to `client`,
    /// whose metadata is already the new one. Returns the secret to echo, if any.
    fn update_secret(
        &self,
        client: &mut Client,
        presented: Option<&str>,
    ) -> Result<Option<String>, ApiError> {
        let public = client.auth_method() == "none";
        let mut echo = None;
        match (self.flavor, presented) {
            (_, Some(_)) if public => {
                return Err(ApiError::metadata(
                    "A client using token_endpoint_auth_method none has no secret.",
                ));
            }
            // Ory: "If you pass client_secret the secret is used ... the secret is echoed".
            (Flavor::Ory, Some(new)) => {
                if !self.has(Fault::KeepOldSecretOnSet) {
                    client.secret = Some(new.to_string());
                }
                if !self.has(Fault::NoEchoOnSet) {
                    echo = Some(new.to_string());
                }
            }
            (Flavor::Rfc7592, Some(chosen)) if self.has(Fault::PutAdoptsChosenSecret) => {
                client.secret = Some(chosen.to_string());
                echo = Some(chosen.to_string());
            }
            // RFC 7592 §2.2: it MUST match the current secret and may not overwrite it.
            (Flavor::Rfc7592, Some(presented)) => {
                let current = client.secret.as_deref().unwrap_or_default();
                if !auth::constant_time_eq(current.as_bytes(), presented.as_bytes()) {
                    return Err(ApiError::metadata(
                        "client_secret does not match the current secret.",
                    ));
                }
            }
            (_, None) => {
                if self.has(Fault::NewSecretOnSilentPut) {
                    client.secret = Some(store::new_credential());
                }
                if self.has(Fault::EchoOnSilentPut) {
                    echo = client.secret.clone();
                }
            }
        }
        if public {
            client.secret = None;
            echo = None;
        } else if client.secret.is_none() {
            // A public client turned confidential needs a secret, and must learn it.
            client.secret = Some(store::new_credential());
            echo = client.secret.clone();
        }
        Ok(echo)
    }

    /// DELETE /oauth2/register/{id}
    pub fn delete(&self, id: &str, query: Option<&str>, headers: &HeaderMap) -> Outcome {
        if let Some(outcome) = self.gate() {
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
        self.authenticate(flavor, &clients, client, headers, query)?;
        let shown = self.view(client, None);
        if !self.has(Fault::DeleteKeeps) {
            clients.remove(id);
        }
        if self.has(Fault::Delete200) {
            return Ok(Reply::Json(StatusCode::OK, shown));
        }
        Ok(Reply::Empty(StatusCode::NO_CONTENT))
    }
}

/// The one secret every client gets under the `shared-secret` fault.
const SHARED_SECRET: &str = "c2hhcmVkLXNlY3JldC1vZi1ldmVyeS1jbGllbnQtaGVyZQ";

/// 500 `server_error`: what a crashed handler answers.
fn server_error() -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "server_error",
        "The server failed to process the request.",
    )
}

/// A client id derived from the client's name alone (the `client-id-from-name` fault):
/// the same name always gives the same id.
fn name_id(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("client-{slug}")
}

/// Members an update may not carry (RFC 7592 §2.2): they are the server's to set.
pub(super) const SERVER_MANAGED: &[&str] = &[
    "registration_access_token",
    "registration_client_uri",
    "client_secret_expires_at",
    "client_id_issued_at",
];

/// Which request changes a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Put,
    Patch,
}

impl App {
    /// RFC 7592 §2.2 on the update body: "The client MUST include its client_id field in
    /// the request" and the request "MUST NOT include" the server-managed members. This
    /// server refuses both with 400 `invalid_request`, as node-oidc-provider and Authlib
    /// do; a `null` member counts as absent ("MAY ignore any null or empty value").
    fn check_update_members(&self, body: &Map<String, Value>) -> Result<(), ApiError> {
        if metadata::member(body, "client_id").is_none()
            && !self.has(Fault::PutMissingClientIdAccepted)
        {
            return Err(ApiError::invalid_request(
                "An update must carry the client_id of the client being updated.",
            ));
        }
        if let Some(name) = SERVER_MANAGED
            .iter()
            .find(|name| metadata::member(body, name).is_some())
            && !self.has(Fault::PutAppliesServerManaged)
        {
            return Err(ApiError::invalid_request(format!(
                "{name} is set by the server and may not be sent in an update."
            )));
        }
        Ok(())
    }
}
