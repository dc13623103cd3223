//! Registration (`POST /oauth2/register`): reading and validating the request, issuing
//! credentials, storing the client, and the RFC 7591 registration faults (content type,
//! late defaults, response rendering, error shape) that are branches of it.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Map, Value, json};

mod answer;
mod request;

use super::{App, Body, server_error};
use crate::server::Flavor;
use crate::server::faults::Fault;
use crate::server::metadata;
use crate::server::reply::{ApiError, Outcome, Reply};
use crate::server::store::{self, Client};

impl App {
    /// POST /oauth2/register
    pub fn create(&self, headers: &HeaderMap, body: Body) -> Outcome {
        if let Some(outcome) = self.gate() {
            return outcome;
        }
        let raw = body.as_ref().ok().cloned().unwrap_or_default();
        // A protected endpoint looks at nothing else before the initial access token.
        self.admit(headers, &raw)?;
        self.register(headers, body)
            .or_else(|error| self.registration_error(error, &raw))
    }

    /// Registration proper: read and validate the request, issue credentials, store the
    /// client and answer with it. The RFC 7591 registration faults are branches here.
    fn register(&self, headers: &HeaderMap, body: Body) -> Outcome {
        let mut body = self.registration_body(headers, body?)?;
        if self.has(Fault::CoerceStringArrays) {
            metadata::coerce_string_arrays(&mut body);
        }
        self.crash_on(&body)?;
        self.refuse_or_crash(&body)?;
        let set_aside = self.set_aside(&mut body);
        if self.has(Fault::RefuseEmptyClientId)
            && body.get("client_id").and_then(|v| v.as_str()) == Some("")
        {
            return Err(ApiError::metadata("client_id may not be empty."));
        }
        if self.has(Fault::RefusePublicClients)
            && body
                .get("token_endpoint_auth_method")
                .and_then(|v| v.as_str())
                == Some("none")
        {
            // The metadata still advertises `none` (DISC-CONSIST-a).
            return Err(ApiError::metadata("Public clients may not register here."));
        }
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
        if self.has(Fault::UnknownSentenceError)
            && let Some(name) = metadata::unknown_member(&body)
        {
            // The binding's exception message ends up as the error code.
            let sentence = format!("Unrecognized field \"{name}\": not marked as ignorable");
            let body = json!({
                "error": sentence,
                "error_description": "The request carries a member this server does not know.",
            });
            return Ok(Reply::Json(StatusCode::BAD_REQUEST, body));
        }
        if self.has(Fault::MultilineTypeErrors)
            && let Some(error) = metadata::type_error(&body)
        {
            // A validator's issue list, pretty-printed into the description.
            return Err(ApiError::metadata(format!(
                "Invalid client metadata: [\n  {{ \"message\": \"{}\" }}\n]",
                error.description
            )));
        }
        if self.has(Fault::WrongTypeUnknownError) && metadata::type_error(&body).is_some() {
            // The JSON binding fails before any metadata validation runs.
            let body = json!({
                "error": "unknown_error",
                "error_description": "Cannot parse the JSON",
            });
            return Ok(Reply::Json(StatusCode::BAD_REQUEST, body));
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
                redirect_schemes: self.flavor != Flavor::Ory && !self.has(Fault::AllowHttpRedirect),
                // OpenID Connect's rule for implicit web clients: the Ory flavor is an OP.
                implicit_https: self.flavor == Flavor::Ory
                    && !self.has(Fault::ImplicitHttpRedirect),
                jwks_exclusive: !self.has(Fault::AcceptJwksAndUri),
                known_grants: !self.has(Fault::StoreBogusGrant),
                consistent_types: !self.has(Fault::AcceptInconsistentTypes),
            },
        )?;
        self.loopback_faults(&metadata)?;
        self.fault_after_validation(&body, &mut metadata);
        self.replace_after_validation(set_aside, &mut metadata);
        let sent = |name: &str| metadata::member(&body, name).is_some();
        let mut client = Client {
            id: store::new_client_id(),
            secret: None,
            registration_access_token: self
                .issues_registration_credentials()
                .then(store::new_credential),
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
        self.answer_faults(&mut client, &mut response);
        let mut clients = self.store.lock();
        if self.has(Fault::IdCollision500) && !clients.is_empty() {
            return Err(super::server_error());
        }
        clients.insert(client.id.clone(), client);
        drop(clients);
        let status = if self.has(Fault::Create200) {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        Ok(Reply::Json(status, response))
    }

    /// Whether a registration answers a registration access token (and with it the
    /// `registration_client_uri`): where the flavor manages clients with them (RFC 7592),
    /// unless `no-registration-credentials`; a registration-only server only under
    /// `dangling-registration-credentials`.
    fn issues_registration_credentials(&self) -> bool {
        match self.flavor {
            Flavor::Rfc7592 => !self.has(Fault::NoRegistrationCredentials),
            Flavor::Rfc7591 => self.has(Fault::DanglingRegistrationCredentials),
            Flavor::Ory => false,
        }
    }

    /// The registration request body as a JSON object (`parse_body`, but for the
    /// content-type and body faults of registration).
    fn registration_body(
        &self,
        headers: &HeaderMap,
        raw: Bytes,
    ) -> Result<Map<String, Value>, ApiError> {
        if let Some(read) = self.read_faults(headers, &raw) {
            return read;
        }
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
        if self.has(Fault::PublicMadeConfidential)
            && metadata.get("token_endpoint_auth_method") == Some(&json!("none"))
        {
            metadata.insert(
                "token_endpoint_auth_method".into(),
                json!("client_secret_basic"),
            );
        }
        if self.has(Fault::DropInfoMembers) {
            for name in DROPPED_INFO_MEMBERS {
                metadata.remove(name);
            }
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
        if self.has(Fault::DropInfoMembers) {
            for name in DROPPED_INFO_MEMBERS {
                out.remove(name);
            }
        }
        if self.has(Fault::OmitDefaultTypes) {
            for name in ["grant_types", "response_types"] {
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
        if self.has(Fault::NullOmittedMembers) {
            for name in NULLED_MEMBERS {
                if metadata::member(body, name).is_none() {
                    out.insert(name.into(), Value::Null);
                }
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
}

/// The one secret every client gets under the `shared-secret` fault.
const SHARED_SECRET: &str = "c2hhcmVkLXNlY3JldC1vZi1ldmVyeS1jbGllbnQtaGVyZQ";

/// A client id derived from the client's name alone (the `client-id-from-name` fault):
/// the same name always gives the same id.
/// The members fault drop-info-members neither keeps nor answers, at create and update
/// (Keycloak 26.4.7's choice).
pub(super) const DROPPED_INFO_MEMBERS: [&str; 3] = ["contacts", "policy_uri", "tos_uri"];

/// The string and array members of RFC 7591 §2 that `null-omitted-members` answers as
/// null when the request left them out (as ory/hydra#4116 answered `"contacts": null`).
const NULLED_MEMBERS: [&str; 8] = [
    "client_uri",
    "logo_uri",
    "scope",
    "contacts",
    "tos_uri",
    "policy_uri",
    "software_id",
    "software_version",
];

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
