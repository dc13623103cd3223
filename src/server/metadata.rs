//! Client metadata: reading a request body, which members a client may set and of which
//! JSON type, the defaults, and how a stored client is rendered back. Known members are
//! the client-settable properties of Hydra's `oAuth2Client` schema plus RFC 7591's
//! `software_id` / `software_version`; anything else is ignored and never echoed
//! (RFC 7591 §2). A member sent as `null` counts as omitted. `check_registration` adds the
//! rules only a registration is held to (RFC 7591 §2, §2.1, §5).

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use super::reply::ApiError;
use super::store::Client;

/// Validated client-settable metadata, in `KNOWN` order.
pub(super) type Metadata = Map<String, Value>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Strings,
    Bool,
    Object,
    /// A string matching Hydra's `NullDuration` pattern `^([0-9]+(ns|us|ms|s|m|h))*$`.
    Duration,
}

/// Members a client may set, in the order responses list them.
const KNOWN: &[(&str, Kind)] = &[
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
pub(super) const AUTH_METHODS: &[&str] = &["client_secret_basic", "client_secret_post", "none"];

/// The request body as a JSON object. Needs `Content-Type: application/json` (parameters
/// allowed); anything else, malformed JSON or a non-object is `invalid_client_metadata`.
pub(super) fn parse_body(headers: &HeaderMap, body: Bytes) -> Result<Map<String, Value>, ApiError> {
    let media_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim());
    if !media_type.is_some_and(|m| m.eq_ignore_ascii_case("application/json")) {
        return Err(ApiError::metadata(
            "The request body must be sent as application/json.",
        ));
    }
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::metadata(
            "The request body must be a JSON object.",
        )),
        // The parser's own message may quote the input; the position is enough.
        Err(e) => Err(ApiError::metadata(format!(
            "The request body is not valid JSON (line {}, column {}).",
            e.line(),
            e.column()
        ))),
    }
}

/// A body member that is present and not `null`.
pub(super) fn member<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    body.get(name).filter(|v| !v.is_null())
}

/// The `client_secret` member: `None` when absent, `null` or empty.
pub(super) fn client_secret(body: &Map<String, Value>) -> Result<Option<&str>, ApiError> {
    match member(body, "client_secret") {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str()).filter(|s| !s.is_empty())),
        Some(_) => Err(ApiError::metadata("client_secret must be a string.")),
    }
}

/// The metadata a body registers: its known members, type-checked and validated, with
/// defaults for omitted ones. Everything else in the body is ignored.
pub(super) fn from_body(body: &Map<String, Value>) -> Result<Metadata, ApiError> {
    read(body, RedirectChecks::default())
}

/// Redirect URI checks a faulted registration skips (`accept-fragment`,
/// `accept-relative-redirect`); both are on for every other request.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RedirectChecks {
    pub skip_fragment: bool,
    pub skip_absolute: bool,
}

/// `from_body` for a registration, with the redirect URI checks given.
pub(super) fn from_registration(
    body: &Map<String, Value>,
    checks: RedirectChecks,
) -> Result<Metadata, ApiError> {
    read(body, checks)
}

/// The first known member of the body with the wrong JSON type, as its error.
pub(super) fn type_error(body: &Map<String, Value>) -> Option<ApiError> {
    KNOWN.iter().find_map(|&(name, kind)| {
        member(body, name).and_then(|value| check_kind(name, kind, value).err())
    })
}

/// The first member of the body this server does not know (for `reject-unknown`):
/// neither client metadata nor one of the client's own `client_id`, `client_secret`.
pub(super) fn unknown_member(body: &Map<String, Value>) -> Option<&str> {
    body.keys()
        .map(String::as_str)
        .filter(|k| !matches!(*k, "client_id" | "client_secret"))
        .find(|k| !KNOWN.iter().any(|(name, _)| name == k))
}

/// `from_body`, with the redirect URI checks only when `check_redirects` (off only for
/// the `put-skips-validation` fault).
pub(super) fn from_body_with(
    body: &Map<String, Value>,
    check_redirects: bool,
) -> Result<Metadata, ApiError> {
    if check_redirects {
        return from_body(body);
    }
    read(
        body,
        RedirectChecks {
            skip_fragment: true,
            skip_absolute: true,
        },
    )
}

fn read(body: &Map<String, Value>, checks: RedirectChecks) -> Result<Metadata, ApiError> {
    let mut metadata = Metadata::new();
    for &(name, kind) in KNOWN {
        let value = match member(body, name) {
            Some(value) => {
                check_kind(name, kind, value)?;
                value.clone()
            }
            None => match default(name, kind) {
                Some(value) => value,
                None => continue,
            },
        };
        metadata.insert(name.to_string(), value);
    }
    let method = metadata["token_endpoint_auth_method"]
        .as_str()
        .unwrap_or_default();
    if !AUTH_METHODS.contains(&method) {
        return Err(ApiError::metadata(format!(
            "token_endpoint_auth_method must be one of {}.",
            AUTH_METHODS.join(", ")
        )));
    }
    check_redirect_uris(&metadata["redirect_uris"], checks)?;
    Ok(metadata)
}

/// Whether `value` is what an omitted `name` defaults to.
pub(super) fn is_default(name: &str, value: &Value) -> bool {
    KNOWN
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(n, kind)| default(n, *kind))
        .is_some_and(|d| &d == value)
}

fn check_kind(name: &str, kind: Kind, value: &Value) -> Result<(), ApiError> {
    let (ok, wanted) = match kind {
        Kind::Str => (value.is_string(), "a string"),
        Kind::Bool => (value.is_boolean(), "a boolean"),
        Kind::Object => (value.is_object(), "a JSON object"),
        Kind::Duration => (
            value.as_str().is_some_and(is_duration),
            "a duration such as \"1h30m\"",
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
fn is_duration(text: &str) -> bool {
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

fn default(name: &str, kind: Kind) -> Option<Value> {
    match name {
        "token_endpoint_auth_method" => Some(Value::from("client_secret_basic")),
        "grant_types" => Some(Value::from(vec!["authorization_code"])),
        "response_types" => Some(Value::from(vec!["code"])),
        // Array members are always present, never null.
        _ if kind == Kind::Strings => Some(Value::Array(Vec::new())),
        _ => None,
    }
}

/// Each redirect URI must be an absolute URI without a fragment (RFC 6749 §3.1.2).
fn check_redirect_uris(uris: &Value, checks: RedirectChecks) -> Result<(), ApiError> {
    for (i, uri) in uris.as_array().into_iter().flatten().enumerate() {
        let uri = uri.as_str().unwrap_or_default();
        if uri.contains('#') && !checks.skip_fragment {
            return Err(ApiError::redirect_uri(format!(
                "redirect_uris[{i}] has a fragment."
            )));
        }
        if url::Url::parse(uri).is_err() && !checks.skip_absolute {
            return Err(ApiError::redirect_uri(format!(
                "redirect_uris[{i}] is not an absolute URI."
            )));
        }
    }
    Ok(())
}

/// Grant types a registration may ask for: RFC 7591 §2's, and the device grant.
pub(super) const GRANT_TYPES: &[&str] = &[
    "authorization_code",
    "implicit",
    "password",
    "client_credentials",
    "refresh_token",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:saml2-bearer",
    "urn:ietf:params:oauth:grant-type:device_code",
];

/// What a registration is held to beyond `from_body` (which updates share). Each flag
/// off is one of the RFC 7591 registration faults.
#[derive(Debug, Clone, Copy)]
pub(super) struct RegistrationChecks {
    /// RFC 7591 §5: redirect-based grants need redirect URIs.
    pub redirect_required: bool,
    /// Faulted (`redirect-always-required`): every client needs redirect URIs.
    pub redirect_always: bool,
    /// RFC 7591 §5: https, loopback http or an application scheme (Rfc7592 flavor).
    pub redirect_schemes: bool,
    /// OpenID Connect Registration §2: a web client of the implicit grant registers only
    /// https redirect URIs, never on localhost (Ory flavor).
    pub implicit_https: bool,
    /// RFC 7591 §2: never jwks and jwks_uri together.
    pub jwks_exclusive: bool,
    /// RFC 7591 §2: only supported grant types.
    pub known_grants: bool,
    /// RFC 7591 §2.1: response types the grant types serve.
    pub consistent_types: bool,
}

impl Default for RegistrationChecks {
    fn default() -> Self {
        RegistrationChecks {
            redirect_required: true,
            redirect_always: false,
            redirect_schemes: true,
            implicit_https: true,
            jwks_exclusive: true,
            known_grants: true,
            consistent_types: true,
        }
    }
}

/// The registration-only rules (RFC 7591 §2, §2.1, §5) on metadata `from_body` accepted.
pub(super) fn check_registration(
    metadata: &Metadata,
    checks: RegistrationChecks,
) -> Result<(), ApiError> {
    let strings = |name: &str| -> Vec<&str> {
        metadata
            .get(name)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    };
    let grants = strings("grant_types");
    let redirects = strings("redirect_uris");
    if checks.known_grants
        && let Some(bad) = grants.iter().find(|g| !GRANT_TYPES.contains(g))
    {
        return Err(ApiError::metadata(format!(
            "The grant type {bad} is not supported."
        )));
    }
    let redirect_grant = grants
        .iter()
        .any(|g| matches!(*g, "authorization_code" | "implicit"));
    if redirects.is_empty()
        && ((checks.redirect_required && redirect_grant) || checks.redirect_always)
    {
        return Err(ApiError::redirect_uri(
            "redirect_uris is required for the authorization_code and implicit grants.",
        ));
    }
    if checks.redirect_schemes
        && let Some(i) = redirects.iter().position(|u| !allowed_scheme(u))
    {
        return Err(ApiError::redirect_uri(format!(
            "redirect_uris[{i}] uses plain http for a host other than this machine."
        )));
    }
    if checks.implicit_https
        && grants.contains(&"implicit")
        && let Some(i) = redirects.iter().position(|u| !https_not_localhost(u))
    {
        return Err(ApiError::redirect_uri(format!(
            "redirect_uris[{i}] of an implicit web client must use https and not localhost."
        )));
    }
    if checks.jwks_exclusive && metadata.contains_key("jwks") && metadata.contains_key("jwks_uri") {
        return Err(ApiError::metadata(
            "jwks and jwks_uri may not both be registered.",
        ));
    }
    if checks.consistent_types {
        for response_type in strings("response_types") {
            for part in response_type.split(' ') {
                let needs = match part {
                    "code" => "authorization_code",
                    "token" | "id_token" => "implicit",
                    _ => continue,
                };
                if !grants.contains(&needs) {
                    return Err(ApiError::metadata(format!(
                        "The response type {response_type} needs the grant type {needs}."
                    )));
                }
            }
        }
    }
    Ok(())
}

/// OpenID Connect Registration §2: https, and a host other than localhost.
fn https_not_localhost(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|url| {
        url.scheme() == "https"
            && !url
                .host_str()
                .is_some_and(|h| h.eq_ignore_ascii_case("localhost"))
    })
}

/// RFC 7591 §5: a remote site over TLS, http on this machine, or an application scheme.
fn allowed_scheme(uri: &str) -> bool {
    let Ok(url) = url::Url::parse(uri) else {
        return true; // not absolute: from_body's business
    };
    match url.scheme() {
        "http" => match url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        },
        _ => true,
    }
}

/// What a rendering of a client includes besides its metadata.
#[derive(Debug, Default)]
pub(super) struct View<'a> {
    pub secret: Option<&'a str>,
    /// The `registration_client_uri`, for clients with a registration access token.
    pub client_uri: Option<String>,
    /// The `null-arrays` fault: empty arrays rendered as `null`.
    pub null_arrays: bool,
}

/// The client as JSON: server-managed members first, then metadata in `KNOWN` order.
pub(super) fn render(client: &Client, view: View<'_>) -> Value {
    let mut out = Map::new();
    out.insert("client_id".into(), Value::from(client.id.as_str()));
    if let Some(secret) = view.secret {
        out.insert("client_secret".into(), Value::from(secret));
    }
    out.insert("client_id_issued_at".into(), Value::from(client.issued_at));
    out.insert("client_secret_expires_at".into(), Value::from(0));
    for (name, value) in &client.metadata {
        let empty = value.as_array().is_some_and(Vec::is_empty);
        let value = if view.null_arrays && empty {
            Value::Null
        } else {
            value.clone()
        };
        out.insert(name.clone(), value);
    }
    if let (Some(token), Some(uri)) = (&client.registration_access_token, view.client_uri) {
        out.insert(
            "registration_access_token".into(),
            Value::from(token.as_str()),
        );
        out.insert("registration_client_uri".into(), Value::from(uri));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn defaults_fill_omitted_members_and_unknown_ones_vanish() {
        let m = from_body(&object(
            json!({"client_name": "x", "nonesuch": 1, "jwks": null}),
        ))
        .unwrap();
        assert_eq!(m["token_endpoint_auth_method"], "client_secret_basic");
        assert_eq!(m["grant_types"], json!(["authorization_code"]));
        assert_eq!(m["response_types"], json!(["code"]));
        assert_eq!(m["redirect_uris"], json!([]));
        assert_eq!(m["client_name"], "x");
        assert!(!m.contains_key("nonesuch") && !m.contains_key("jwks") && !m.contains_key("scope"));
        let arrays = KNOWN.iter().filter(|(_, k)| *k == Kind::Strings);
        assert!(arrays.clone().count() >= 8);
        for (name, _) in arrays {
            assert!(m[*name].is_array(), "{name}");
        }
    }

    #[test]
    fn wrong_types_are_invalid_client_metadata() {
        for body in [
            json!({"redirect_uris": "https://a.example/cb"}),
            json!({"contacts": ["a@b.example", 5]}),
            json!({"client_name": 5}),
            json!({"jwks": "keys"}),
            json!({"backchannel_logout_session_required": "yes"}),
            json!({"token_endpoint_auth_method": "private_key_jwt"}),
        ] {
            let err = from_body(&object(body.clone())).unwrap_err();
            assert_eq!(err.code, "invalid_client_metadata", "{body}");
        }
    }

    #[test]
    fn lifespans_are_durations() {
        for good in [
            "", "1h", "90m", "1h30m", "15ms", "100ns", "7us", "0s", "1m5s",
        ] {
            assert!(is_duration(good), "{good}");
        }
        for bad in ["1", "h", "1 h", "1d", "-1s", "1.5h", "1hs", "s1"] {
            assert!(!is_duration(bad), "{bad}");
        }
        let m = from_body(&object(
            json!({"implicit_grant_id_token_lifespan": "1h30m"}),
        ));
        assert_eq!(m.unwrap()["implicit_grant_id_token_lifespan"], "1h30m");
        let err = from_body(&object(
            json!({"implicit_grant_id_token_lifespan": "1 hour"}),
        ));
        assert_eq!(err.unwrap_err().code, "invalid_client_metadata");
    }

    #[test]
    fn redirect_uris_must_be_absolute_without_fragment() {
        for bad in [
            "/cb",
            "cb",
            "https://a.example/cb#x",
            "https://a.example/cb#",
            "",
        ] {
            let err = from_body(&object(
                json!({"redirect_uris": ["https://ok.example/", bad]}),
            ));
            assert_eq!(err.unwrap_err().code, "invalid_redirect_uri", "{bad}");
        }
        for good in [
            "https://a.example/cb?x=1",
            "com.example.app:/cb",
            "http://127.0.0.1:8080/",
        ] {
            assert!(
                from_body(&object(json!({"redirect_uris": [good]}))).is_ok(),
                "{good}"
            );
        }
    }

    #[test]
    fn client_secret_member() {
        assert_eq!(client_secret(&object(json!({}))).unwrap(), None);
        assert_eq!(
            client_secret(&object(json!({"client_secret": null}))).unwrap(),
            None
        );
        assert_eq!(
            client_secret(&object(json!({"client_secret": ""}))).unwrap(),
            None
        );
        assert_eq!(
            client_secret(&object(json!({"client_secret": "s"}))).unwrap(),
            Some("s")
        );
        assert!(client_secret(&object(json!({"client_secret": 1}))).is_err());
    }
}
