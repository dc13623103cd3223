//! The server's metadata document (OpenID Connect Discovery 1.0 §3, RFC 8414 §2), served
//! at both well-known paths: what the server advertises about registration, held to what
//! registration really accepts (the same tables `metadata` validates with), so the
//! discovery rules (RFC8414-2-a, RFC8414-3.3-a, RFC7591-3-a, DISC-CONSIST-a/-b, DCR-OFF-a)
//! have a correct server to pass and a fault to fail each.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::faults::Fault;
use super::metadata::{AUTH_METHODS, GRANT_TYPES};
use super::ops::App;
use super::reply::{ApiError, Outcome, Reply};

/// Response types a registration may ask for: those of the grants registration accepts
/// (RFC 7591 §2.1 pairs `code` with authorization_code, `token` with implicit; OpenID
/// Connect adds `id_token` and the hybrid combinations).
const RESPONSE_TYPES: &[&str] = &[
    "code",
    "token",
    "id_token",
    "code token",
    "code id_token",
    "id_token token",
    "code id_token token",
    "none",
];

/// The metadata answer: `doc` (the members `routes` names: issuer, endpoints) completed
/// with what registration supports. With registration switched off the document no
/// longer names a registration endpoint (DCR-OFF-a).
pub(super) fn answer(app: &App, doc: Value) -> Outcome {
    if app.faults.contains(Fault::Metadata404) {
        return Err(ApiError::not_found("There is no such endpoint."));
    }
    let Value::Object(mut doc) = doc else {
        return Ok(Reply::Json(StatusCode::OK, doc));
    };
    let base = &app.base_url;
    let mut methods: Vec<&str> = AUTH_METHODS.to_vec();
    if app.faults.contains(Fault::UnadvertisedMethod) {
        methods.retain(|m| !matches!(*m, "client_secret_post" | "none"));
    }
    if app.faults.contains(Fault::AdvertiseUnsupportedMethod) {
        methods.push("client_secret_jwt");
    }
    doc.insert(
        "token_endpoint_auth_methods_supported".into(),
        json!(methods),
    );
    let mut grants: Vec<&str> = GRANT_TYPES.to_vec();
    if app.faults.contains(Fault::UnadvertisedDefaultGrant) {
        // The list of the token endpoint's grants, without the authorization endpoint's.
        grants.retain(|g| *g != "authorization_code");
    }
    doc.insert("grant_types_supported".into(), json!(grants));
    let mut responses: Vec<&str> = RESPONSE_TYPES.to_vec();
    if app.faults.contains(Fault::UnadvertisedDefaultResponse) {
        // An OpenID provider's list of its id_token flows, the plain code flow left out.
        responses.retain(|r| *r != "code");
    }
    doc.insert("response_types_supported".into(), json!(responses));
    if app.faults.contains(Fault::IssuerMismatch) {
        // The issuer with a trailing slash: not identical to the one the document was
        // fetched for (RFC 8414 §3.3).
        doc.insert("issuer".into(), json!(format!("{base}/")));
    }
    if app.faults.contains(Fault::RelativeRegistrationEndpoint) {
        doc.insert("registration_endpoint".into(), json!("/oauth2/register"));
    }
    if app.faults.contains(Fault::HttpBehindProxy) {
        // The public host name with the scheme a TLS-terminating proxy did not pass on.
        doc.insert(
            "registration_endpoint".into(),
            json!("http://as.example/oauth2/register"),
        );
    }
    if app.faults.contains(Fault::MetadataWithoutIssuer) {
        doc.remove("issuer");
    }
    if !app.enabled && !app.faults.contains(Fault::AdvertiseWhenDisabled) {
        doc.remove("registration_endpoint");
    }
    Ok(Reply::Json(StatusCode::OK, Value::Object(doc)))
}
