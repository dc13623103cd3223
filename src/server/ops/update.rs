//! Management updates (`PUT`, and `PATCH` under a fault): the RFC 7592 §2.2 rules on the
//! update body, merging or replacing metadata, the client secret on update, token rotation,
//! and the update faults (including the torn, transaction-less write).

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

use super::{App, Body};
use crate::server::Flavor;
use crate::server::auth;
use crate::server::faults::Fault;
use crate::server::metadata;
use crate::server::reply::{ApiError, Outcome, Reply};
use crate::server::store::{self, Client};

impl App {
    /// PUT /oauth2/register/{id}: full replacement of the client's metadata.
    pub fn update(
        &self,
        id: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: Body,
    ) -> Outcome {
        self.put_status(self.change(id, query, headers, body, Change::Put))
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
        if let Some(outcome) = self.gate().or_else(|| self.no_configuration_endpoint()) {
            return outcome;
        }
        let mut clients = self.store.lock();
        let Some(client) = clients.get(id).cloned() else {
            return self.unknown(headers);
        };
        if let Err(refused) = self.authenticate(
            self.flavor,
            &clients,
            &client,
            headers,
            query,
            Fault::AnonymousUpdate,
        ) {
            self.write_before_refusal(&mut clients, &client, headers, &body);
            return Err(refused);
        }
        let raw = body?;
        self.put_body_crash(&raw)?;
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
        let misdirected = self.misdirected(&clients, &body, id);
        if metadata::member(&body, "client_id").is_some_and(|v| v.as_str() != Some(id))
            && !self.has(Fault::PutIgnoresClientIdMismatch)
            && misdirected.is_none()
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
        if self.has(Fault::DropInfoMembers) {
            for name in super::create::DROPPED_INFO_MEMBERS {
                metadata.remove(name);
            }
        }
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
        let presented = metadata::client_secret(&body)?;
        let status = if self.has(Fault::SetSecret201) && presented.is_some() {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        self.save_secret_before_check(&mut clients, &updated, presented);
        let echo = self.update_secret(&mut updated, presented)?;
        let old_token = updated.registration_access_token.clone();
        let rotated = old_token.is_some() && !self.has(Fault::UpdateKeepsToken);
        if rotated {
            // RFC 7592 §5: the token "MAY be rotated" on update; this server does, and
            // the old one is dead from here on (as Keycloak and Hydra do).
            updated.previous_token = updated
                .registration_access_token
                .replace(store::new_credential());
        }
        self.adopt_token(&body, &mut updated);
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
        self.answered_token(&body, &mut response, rotated);
        self.update_answer(&mut response);
        self.answer_fault(&mut response);
        self.save_secret_in_metadata(&body, &mut updated);
        if self.has(Fault::TornPut) {
            drop(clients);
            self.write_torn(updated);
        } else if let Some(other) = misdirected {
            self.store_misdirected(&mut clients, &other, updated, client.metadata);
        } else {
            clients.insert(updated.id.clone(), updated);
        }
        Ok(Reply::Json(status, response))
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
            // Not compared, and saved with the metadata later (`save_secret_in_metadata`).
            (Flavor::Rfc7592, Some(_)) if self.has(Fault::PutSavesSecretInMetadata) => {}
            (Flavor::Rfc7592, Some(chosen)) if self.has(Fault::PutAdoptsChosenSecret) => {
                client.secret = Some(chosen.to_string());
                echo = Some(chosen.to_string());
            }
            // RFC 7592 §2.2: it MUST match the current secret and may not overwrite it.
            // (A registration-only server never gets here: it has no update.)
            (Flavor::Rfc7592 | Flavor::Rfc7591, Some(presented)) => {
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
            && !self.has(Fault::PutAdoptsRegistrationToken)
            && !self.has(Fault::PutEchoesRegistrationToken)
        {
            return Err(ApiError::invalid_request(format!(
                "{name} is set by the server and may not be sent in an update."
            )));
        }
        Ok(())
    }
}
