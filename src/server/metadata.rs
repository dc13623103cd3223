//! Client metadata: reading a request body, which members a client may set and of which
//! JSON type, the defaults, and how a stored client is rendered back. Known members are
//! the client-settable properties of Hydra's `oAuth2Client` schema plus RFC 7591's
//! `software_id` / `software_version`; anything else is ignored and never echoed
//! (RFC 7591 §2). A member sent as `null` counts as omitted. `check_registration` adds the
//! rules only a registration is held to (RFC 7591 §2, §2.1, §5).
//!
//! This file reads bodies and members; the member table and its JSON types are in
//! `members`, the registration-only rules in `registration`, rendering in `render`.

mod members;
mod registration;
mod render;

/// What registration accepts, for the metadata document that advertises it.
pub(super) use members::AUTH_METHODS;
pub(super) use registration::GRANT_TYPES;

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use super::reply::ApiError;

pub(super) use members::is_default;
use members::{KNOWN, check_kind, default};
pub(super) use registration::{RegistrationChecks, check_registration};
pub(super) use render::{View, render};

/// Validated client-settable metadata, in `KNOWN` order.
pub(super) type Metadata = Map<String, Value>;

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

/// The known members of the body with the wrong JSON type (for `store-wrong-types`).
pub(super) fn wrongly_typed(body: &Map<String, Value>) -> Vec<String> {
    KNOWN
        .iter()
        .filter(|&&(name, kind)| {
            member(body, name).is_some_and(|v| check_kind(name, kind, v).is_err())
        })
        .map(|&(name, _)| name.to_string())
        .collect()
}

/// Wrap each string given for a string-array member into a one-item array, as lenient
/// JSON bindings do (Spring Authorization Server; the `coerce-string-arrays` fault).
pub(super) fn coerce_string_arrays(body: &mut Map<String, Value>) {
    for &(name, kind) in KNOWN {
        if kind == members::Kind::Strings
            && let Some(Value::String(s)) = body.get(name)
        {
            let one = Value::Array(vec![Value::String(s.clone())]);
            body.insert(name.into(), one);
        }
    }
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

#[cfg(test)]
mod tests {
    use super::members::{Kind, is_duration};
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
