//! Narrow management faults (issue 12): each one breaks a single check of an RFC 7592
//! scenario — a status, a header, one member of one answer — so that the check is seen to
//! fail on its own, not only beside a neighbour of the same rule. The read and update paths
//! (`ops.rs`, `ops/update.rs`) and the routes call these hooks; the faults are declared in
//! `faults/list.rs` (block `rfc7592`).

use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard};

use axum::http::header::ALLOW;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::{Map, Value};

use super::App;
use crate::server::faults::Fault;
use crate::server::metadata;
use crate::server::reply::{ApiError, Outcome, Reply};
use crate::server::store::{self, Client, Clients};

/// Members the read serializer leaves out, one fault each (`read-omits-*`).
const READ_OMITS: &[(Fault, &str)] = &[
    (Fault::ReadOmitsClientName, "client_name"),
    (Fault::ReadOmitsRedirectUris, "redirect_uris"),
    (Fault::ReadOmitsContacts, "contacts"),
    (Fault::ReadOmitsClientUri, "client_uri"),
    (Fault::ReadOmitsPolicyUri, "policy_uri"),
    (Fault::ReadOmitsTosUri, "tos_uri"),
    (
        Fault::ReadOmitsTokenEndpointAuthMethod,
        "token_endpoint_auth_method",
    ),
    (Fault::ReadOmitsGrantTypes, "grant_types"),
    (Fault::ReadOmitsResponseTypes, "response_types"),
    (
        Fault::ReadOmitsRegistrationAccessToken,
        "registration_access_token",
    ),
    (
        Fault::ReadOmitsRegistrationClientUri,
        "registration_client_uri",
    ),
];

/// The Allow header a 405 at a client's configuration URL carries under the `allow-omits-*`
/// faults (the correct one, axum's, lists GET, HEAD, PUT and DELETE).
const WRONG_ALLOW: &[(Fault, &str)] = &[
    (Fault::AllowOmitsGet, "PUT,DELETE"),
    (Fault::AllowOmitsPut, "GET,HEAD,DELETE"),
    (Fault::AllowOmitsDelete, "GET,HEAD,PUT"),
];

/// The read cache of the `read-token-cache-miss` fault: the client ids reads have looked
/// up once.
#[derive(Debug, Default)]
pub(in crate::server) struct ReadCache(Mutex<BTreeSet<String>>);

impl ReadCache {
    fn lock(&self) -> MutexGuard<'_, BTreeSet<String>> {
        // Every write is one insert: a poisoned lock holds nothing half-written.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl App {
    /// `read-token-cache-miss`: whether this read of `id` misses the cache (the client's
    /// first read; the miss fills the cache), which the faulty server answers as an
    /// unknown client.
    pub(super) fn read_cache_miss(&self, id: &str) -> bool {
        self.has(Fault::ReadTokenCacheMiss) && self.read_cache.lock().insert(id.to_string())
    }

    /// The `read-omits-*` faults on a read's answer.
    pub(super) fn read_omits(&self, body: &mut Value) {
        for (fault, name) in READ_OMITS {
            if self.has(*fault)
                && let Some(object) = body.as_object_mut()
            {
                object.remove(*name);
            }
        }
    }

    /// What a read writes back once its answer is rendered (`read-revokes-token`,
    /// `read-resaves-*`, `read-reapplies-response-type`): whether `client` changed and
    /// must be stored. The answer was right; the next request sees the change.
    pub(super) fn after_read(&self, client: &mut Client) -> bool {
        let mut changed = false;
        if self.has(Fault::ReadRevokesToken) && client.registration_access_token.is_some() {
            // Nobody learns the new token: the presented one is simply dead.
            client.registration_access_token = Some(store::new_credential());
            changed = true;
        }
        let m = &mut client.metadata;
        if self.has(Fault::ReadResavesNameTruncated)
            && let Some(Value::String(name)) = m.get_mut("client_name")
            && name.chars().count() > 32
        {
            *name = name.chars().take(32).collect();
            changed = true;
        }
        if self.has(Fault::ReadResavesRedirectSlash)
            && let Some(Value::Array(uris)) = m.get_mut("redirect_uris")
        {
            for uri in uris.iter_mut() {
                if let Value::String(uri) = uri {
                    uri.push('/');
                    changed = true;
                }
            }
        }
        if self.has(Fault::ReadResavesContactsMailto)
            && let Some(Value::Array(contacts)) = m.get_mut("contacts")
        {
            for contact in contacts.iter_mut() {
                if let Value::String(c) = contact
                    && !c.starts_with("mailto:")
                {
                    *c = format!("mailto:{c}");
                    changed = true;
                }
            }
        }
        if self.has(Fault::ReadReappliesResponseType)
            && let Some(Value::Array(types)) = m.get_mut("response_types")
        {
            types.push(Value::from("code"));
            changed = true;
        }
        changed
    }

    /// `put-updates-body-client`, `put-upserts-body-client`: the other existing client a
    /// PUT's body names, to which the faulty server writes the new metadata.
    pub(super) fn misdirected(
        &self,
        clients: &Clients,
        body: &Map<String, Value>,
        id: &str,
    ) -> Option<String> {
        if !self.has(Fault::PutUpdatesBodyClient) && !self.has(Fault::PutUpsertsBodyClient) {
            return None;
        }
        let named = metadata::member(body, "client_id")?.as_str()?;
        (named != id && clients.contains_key(named)).then(|| named.to_string())
    }

    /// Store an update whose metadata goes to `other` (`put-updates-body-client`; with
    /// `put-upserts-body-client` its token too): the URL's client keeps its metadata
    /// (`kept`) and gets the rest (its rotated token).
    pub(super) fn store_misdirected(
        &self,
        clients: &mut Clients,
        other: &str,
        mut updated: Client,
        kept: Map<String, Value>,
    ) {
        let written = std::mem::replace(&mut updated.metadata, kept);
        if let Some(other) = clients.get_mut(other) {
            other.metadata = written;
            if self.has(Fault::PutUpsertsBodyClient) {
                // The whole row, credentials and all, is written under the body's id.
                other.registration_access_token = updated.registration_access_token.clone();
            }
        }
        clients.insert(updated.id.clone(), updated);
    }

    /// `put-adopts-registration-token`: the body's `registration_access_token` becomes the
    /// client's (after the server's own rotation, which it replaces).
    pub(super) fn adopt_token(&self, body: &Map<String, Value>, client: &mut Client) {
        if self.has(Fault::PutAdoptsRegistrationToken)
            && client.registration_access_token.is_some()
            && let Some(token) =
                metadata::member(body, "registration_access_token").and_then(Value::as_str)
        {
            client.registration_access_token = Some(token.to_string());
        }
    }

    /// `put-saves-secret-in-metadata`: the body's `client_secret` saved with the metadata,
    /// after the answer was rendered without it.
    pub(super) fn save_secret_in_metadata(&self, body: &Map<String, Value>, client: &mut Client) {
        if self.has(Fault::PutSavesSecretInMetadata)
            && let Ok(Some(secret)) = metadata::client_secret(body)
        {
            client
                .metadata
                .insert("client_secret".into(), Value::from(secret));
        }
    }

    /// `put-refusal-keeps-chosen-secret`: a presented secret that is not the current one is
    /// saved to the store before the check that refuses it.
    pub(super) fn save_secret_before_check(
        &self,
        clients: &mut Clients,
        client: &Client,
        presented: Option<&str>,
    ) {
        if self.has(Fault::PutRefusalKeepsChosenSecret)
            && client.auth_method() != "none"
            && let Some(presented) = presented
            && client.secret.as_deref() != Some(presented)
            && let Some(stored) = clients.get_mut(&client.id)
        {
            stored.secret = Some(presented.to_string());
        }
    }

    /// `update-answers-unsaved-token` (a token minted a second time, not the one stored)
    /// and `put-echoes-registration-token` (the body's): the token an update answers.
    pub(super) fn answered_token(
        &self,
        body: &Map<String, Value>,
        response: &mut Value,
        rotated: bool,
    ) {
        if self.has(Fault::UpdateAnswersUnsavedToken) && rotated {
            response["registration_access_token"] = Value::from(store::new_credential());
        }
        if self.has(Fault::PutEchoesRegistrationToken)
            && let Some(token) = metadata::member(body, "registration_access_token")
        {
            response["registration_access_token"] = token.clone();
        }
    }

    /// `put-array-500`, `put-malformed-500`: an update body the faulty server crashes on
    /// before it could refuse it.
    pub(super) fn put_body_crash(&self, raw: &[u8]) -> Result<(), ApiError> {
        let crash = match serde_json::from_slice::<Value>(raw) {
            Ok(Value::Array(_)) => self.has(Fault::PutArray500),
            Ok(_) => false,
            Err(_) => self.has(Fault::PutMalformed500),
        };
        if crash {
            return Err(super::server_error());
        }
        Ok(())
    }

    /// `update-client-id-uppercased` on an update's answer.
    pub(super) fn update_answer(&self, response: &mut Value) {
        if self.has(Fault::UpdateClientIdUppercased)
            && let Some(id) = response["client_id"].as_str()
        {
            response["client_id"] = Value::from(id.to_uppercase());
        }
    }

    /// `update-201` and `put-errors-500`: the status of a PUT's answer.
    pub(super) fn put_status(&self, outcome: Outcome) -> Outcome {
        match outcome {
            Ok(Reply::Json(StatusCode::OK, body)) if self.has(Fault::Update201) => {
                Ok(Reply::Json(StatusCode::CREATED, body))
            }
            Err(error)
                if error.status == StatusCode::BAD_REQUEST && self.has(Fault::PutErrors500) =>
            {
                Err(super::server_error())
            }
            other => other,
        }
    }

    /// `client-post-500`: the answer to a POST at a client's configuration URL, if the
    /// faulty server crashes on it.
    pub(in crate::server) fn client_post(&self) -> Option<ApiError> {
        self.has(Fault::ClientPost500).then(super::server_error)
    }

    /// The `allow-omits-*` faults on a 405 at a client's configuration URL.
    pub(in crate::server) fn wrong_allow(&self, headers: &mut HeaderMap) {
        for (fault, allow) in WRONG_ALLOW {
            if self.has(*fault) {
                headers.insert(ALLOW, HeaderValue::from_static(allow));
            }
        }
    }
}
