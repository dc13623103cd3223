//! The members a client may set (`KNOWN`), the JSON type of each, the values omitted
//! members default to, and the accepted `token_endpoint_auth_method`s.

use serde_json::Value;

use crate::server::reply::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Str,
    Strings,
    Bool,
    Object,
    /// A string matching Hydra's `NullDuration` pattern `^([0-9]+(ns|us|ms|s|m|h))*$`.
    Duration,
}

/// Members a client may set, in the order responses list them.
pub(super) const KNOWN: &[(&str, Kind)] = &[
    ("redirect_uris", Kind::Strings),
    ("token_endpoint_auth_method", Kind::Str),
    ("grant_types", Kind::Strings),
    ("response_types", Kind::Strings),
    ("client_name", Kind::Str),
    ("client_uri", Kind::Str),
    ("logo_uri", Kind::Str),
    ("scope", Kind::Str),
    ("contacts", Kind::Strings),
    ("tos_uri", Kind::Str),
    ("policy_uri", Kind::Str),
    ("jwks_uri", Kind::Str),
    ("jwks", Kind::Object),
    ("software_id", Kind::Str),
    ("software_version", Kind::Str),
    ("audience", Kind::Strings),
    ("allowed_cors_origins", Kind::Strings),
    ("post_logout_redirect_uris", Kind::Strings),
    ("request_uris", Kind::Strings),
    ("subject_type", Kind::Str),
    ("sector_identifier_uri", Kind::Str),
    ("request_object_signing_alg", Kind::Str),
    ("token_endpoint_auth_signing_alg", Kind::Str),
    ("userinfo_signed_response_alg", Kind::Str),
    ("frontchannel_logout_uri", Kind::Str),
    ("frontchannel_logout_session_required", Kind::Bool),
    ("backchannel_logout_uri", Kind::Str),
    ("backchannel_logout_session_required", Kind::Bool),
    ("owner", Kind::Str),
    (
        "authorization_code_grant_access_token_lifespan",
        Kind::Duration,
    ),
    ("authorization_code_grant_id_token_lifespan", Kind::Duration),
    (
        "authorization_code_grant_refresh_token_lifespan",
        Kind::Duration,
    ),
    (
        "client_credentials_grant_access_token_lifespan",
        Kind::Duration,
    ),
    ("implicit_grant_access_token_lifespan", Kind::Duration),
    ("implicit_grant_id_token_lifespan", Kind::Duration),
    ("jwt_bearer_grant_access_token_lifespan", Kind::Duration),
    ("refresh_token_grant_access_token_lifespan", Kind::Duration),
    ("refresh_token_grant_id_token_lifespan", Kind::Duration),
    ("refresh_token_grant_refresh_token_lifespan", Kind::Duration),
];

/// Accepted `token_endpoint_auth_method` values.
pub(in crate::server) const AUTH_METHODS: &[&str] =
    &["client_secret_basic", "client_secret_post", "none"];

/// Whether `value` is what an omitted `name` defaults to.
pub(in crate::server) fn is_default(name: &str, value: &Value) -> bool {
    KNOWN
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(n, kind)| default(n, *kind))
        .is_some_and(|d| &d == value)
}

pub(super) fn check_kind(name: &str, kind: Kind, value: &Value) -> Result<(), ApiError> {
    let (ok, wanted) = match kind {
        Kind::Str => (value.is_string(), "a string"),
        Kind::Bool => (value.is_boolean(), "a boolean"),
        Kind::Object => (value.is_object(), "a JSON object"),
        Kind::Duration => (
            value.as_str().is_some_and(is_duration),
            "a duration such as 1h30m",
        ),
        Kind::Strings => (
            value
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string)),
            "an array of strings",
        ),
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::metadata(format!("{name} must be {wanted}.")))
    }
}

/// Whether `text` matches `^([0-9]+(ns|us|ms|s|m|h))*$`: digits then a unit, repeated.
pub(super) fn is_duration(text: &str) -> bool {
    let mut rest = text.as_bytes();
    while !rest.is_empty() {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        // Two-letter units first: after "m" or "s" a digit must follow, never an "s".
        let unit = match rest {
            [b'n' | b'u' | b'm', b's', ..] => 2,
            [b's' | b'm' | b'h', ..] => 1,
            _ => return false,
        };
        rest = &rest[unit..];
    }
    true
}

pub(super) fn default(name: &str, kind: Kind) -> Option<Value> {
    match name {
        "token_endpoint_auth_method" => Some(Value::from("client_secret_basic")),
        "grant_types" => Some(Value::from(vec!["authorization_code"])),
        "response_types" => Some(Value::from(vec!["code"])),
        // Array members are always present, never null.
        _ if kind == Kind::Strings => Some(Value::Array(Vec::new())),
        _ => None,
    }
}
