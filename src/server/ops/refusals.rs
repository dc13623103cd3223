//! Narrow refusal faults: a refused request that still acts, and a credential check that
//! looks at the name but not the secret. Each breaks one check of Ory's refusal scenarios
//! (`auth-rejects-*`: the refusal's status, or the read showing nothing changed) that the
//! broad credential faults (`accept-any-secret`, `anonymous-*`) only break beside another.
//! The faults are declared in `faults/list.rs` (block `ory`).

use axum::http::HeaderMap;

use super::{App, Body};
use crate::server::auth;
use crate::server::faults::Fault;
use crate::server::metadata;
use crate::server::store::{Client, Clients};

impl App {
    /// `delete-ignores-secret`: credentials that name the client (HTTP Basic with its id,
    /// or a `client_secret` in the query of its own URL) delete it whatever the secret.
    pub(super) fn delete_secret_unchecked(
        &self,
        client: &Client,
        headers: &HeaderMap,
        query: Option<&str>,
    ) -> bool {
        self.has(Fault::DeleteIgnoresSecret)
            && (auth::basic_credentials(headers, true).is_some_and(|(id, _)| id == client.id)
                || auth::query_secret(query).is_some())
    }

    /// `refused-update-applies`: the body of a PUT that is about to be refused for its
    /// credentials is written first, as a handler that checks after the write would.
    pub(super) fn write_before_refusal(
        &self,
        clients: &mut Clients,
        client: &Client,
        headers: &HeaderMap,
        body: &Body,
    ) {
        if !self.has(Fault::RefusedUpdateApplies) {
            return;
        }
        let Ok(raw) = body else { return };
        let written = metadata::parse_body(headers, raw.clone())
            .ok()
            .and_then(|body| metadata::from_body_with(&body, false).ok());
        if let Some(metadata) = written {
            let updated = Client {
                metadata,
                ..client.clone()
            };
            clients.insert(client.id.clone(), updated);
        }
    }
}
