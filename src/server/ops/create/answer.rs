//! Faults in how registration answers a client it has issued: only the issued members
//! (`answer-credentials-only`), no grant or response types (`answer-omits-grant-types`,
//! `answer-omits-response-types`), a numeric client_id (`numeric-client-id`), the client in
//! an array (`answer-in-array`), and a null expiry for a client without a secret
//! (`public-expiry-null`). Each changes the answer only; the client is stored as issued.

use serde_json::{Value, json};

use crate::server::faults::Fault;
use crate::server::ops::App;
use crate::server::store::{self, Client};

/// The members a registration answer keeps under `answer-credentials-only`.
const ISSUED: [&str; 6] = [
    "client_id",
    "client_secret",
    "client_secret_expires_at",
    "client_id_issued_at",
    "registration_access_token",
    "registration_client_uri",
];

impl App {
    /// Faults in the registration answer, applied last (before the client is stored,
    /// since `numeric-client-id` issues the client another id).
    pub(super) fn answer_faults(&self, client: &mut Client, response: &mut Value) {
        if self.has(Fault::NumericClientId) {
            // An auto-increment key, as Laravel Passport's client ids were: the store
            // and the paths use its digits, the answer the number itself.
            let number = u32::from_le_bytes(store::random_bytes::<4>()) / 2 + 1;
            client.id = number.to_string();
            response["client_id"] = json!(number);
            if response.get("registration_client_uri").is_some() {
                response["registration_client_uri"] = json!(self.client_uri(&client.id));
            }
        }
        let Some(out) = response.as_object_mut() else {
            return;
        };
        if self.has(Fault::AnswerCredentialsOnly) {
            out.retain(|name, _| ISSUED.contains(&name.as_str()));
        }
        if self.has(Fault::AnswerOmitsGrantTypes) {
            out.remove("grant_types");
        }
        if self.has(Fault::AnswerOmitsResponseTypes) {
            out.remove("response_types");
        }
        if self.has(Fault::PublicExpiryNull) && !out.contains_key("client_secret") {
            out.insert("client_secret_expires_at".into(), Value::Null);
        }
        if self.has(Fault::AnswerInArray) {
            *response = json!([response.take()]);
        }
    }
}
