//! Who may read, update or delete a client. The Ory flavor takes the client's own
//! credentials, by the client's own `token_endpoint_auth_method`: HTTP Basic with the
//! form-urlencoded id and secret (RFC 6749 §2.3.1) or `?client_secret=` in the query. The
//! Rfc7592 flavor takes the client's registration access token as a Bearer token
//! (RFC 7592 §2, RFC 6750 §2.1). Secrets and tokens are compared in constant time. The
//! credential faults (`accept-any-secret`, `unbound-client-id`, `ignore-query-secret`,
//! `basic-no-urldecode`, and for Bearer tokens `bearer-case-sensitive`,
//! `invalid-token-400`, `old-token-survives-rotation`) live here; the `anonymous-*` ones,
//! which skip the check for a request without any credential, in `ops.rs`.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};

use super::Flavor;
use super::faults::{Fault, Faults};
use super::reply::ApiError;
use super::store::{Client, Clients};

/// Standard base64 that accepts input with or without padding.
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Check the request's credentials for `client` (which exists). `query` is the raw URL query.
pub(super) fn authenticate(
    flavor: Flavor,
    faults: &Faults,
    clients: &Clients,
    client: &Client,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<(), ApiError> {
    match flavor {
        Flavor::Ory => {
            let ok = match client.auth_method() {
                "client_secret_basic" => basic_ok(faults, clients, client, headers),
                "client_secret_post" => {
                    !faults.contains(Fault::IgnoreQuerySecret)
                        && query_secret(query).is_some_and(|s| secret_ok(faults, client, &s))
                }
                // Public clients have no credentials to manage themselves with.
                _ => false,
            };
            if ok {
                Ok(())
            } else {
                Err(ApiError::invalid_client())
            }
        }
        Flavor::Rfc7592 => {
            let token = if faults.contains(Fault::BearerCaseSensitive) {
                authorization(headers)
                    .filter(|(scheme, token)| *scheme == "Bearer" && !token.is_empty())
                    .map(|(_, token)| token)
            } else {
                bearer_token(headers)
            };
            let Some(token) = token else {
                return Err(ApiError::invalid_token(false));
            };
            let ok = if faults.contains(Fault::AcceptAnySecret) {
                true
            } else if faults.contains(Fault::UnboundClientId) {
                clients.values().any(|c| token_ok(faults, c, token))
            } else {
                token_ok(faults, client, token)
            };
            if ok {
                Ok(())
            } else if faults.contains(Fault::InvalidToken400) {
                Err(ApiError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "access_denied",
                    "The registration access token is not valid for this client.",
                ))
            } else {
                Err(ApiError::invalid_token(true))
            }
        }
        // A registration-only server has no configuration endpoint to authenticate at;
        // its operations answer 404 before they get here.
        Flavor::Rfc7591 => Err(ApiError::not_found("There is no such endpoint.")),
    }
}

/// The Basic id must name the path's client and the secret must be that client's.
fn basic_ok(faults: &Faults, clients: &Clients, client: &Client, headers: &HeaderMap) -> bool {
    let urldecode = !faults.contains(Fault::BasicNoUrldecode);
    let Some((id, secret)) = basic_credentials(headers, urldecode) else {
        return false;
    };
    let owner = if faults.contains(Fault::UnboundClientId) {
        clients.get(&id)
    } else {
        Some(client).filter(|c| c.id == id)
    };
    owner.is_some_and(|owner| secret_ok(faults, owner, &secret))
}

fn secret_ok(faults: &Faults, client: &Client, presented: &str) -> bool {
    if presented.is_empty() {
        return false;
    }
    if faults.contains(Fault::AcceptAnySecret) {
        return true;
    }
    client
        .secret
        .as_deref()
        .is_some_and(|s| constant_time_eq(s.as_bytes(), presented.as_bytes()))
}

fn token_ok(faults: &Faults, client: &Client, presented: &str) -> bool {
    let matches = |t: &Option<String>| {
        t.as_deref()
            .is_some_and(|t| constant_time_eq(t.as_bytes(), presented.as_bytes()))
    };
    matches(&client.registration_access_token)
        || (faults.contains(Fault::OldTokenSurvivesRotation) && matches(&client.previous_token))
}

/// Whether the request carries no credential at all: no Authorization header and no
/// `client_secret` in the query (the `anonymous-*` faults skip the check then).
pub(super) fn anonymous(headers: &HeaderMap, query: Option<&str>) -> bool {
    !headers.contains_key(AUTHORIZATION) && query_secret(query).is_none()
}

/// The Authorization header split into its scheme and credentials, if it has that shape.
fn authorization(headers: &HeaderMap) -> Option<(&str, &str)> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    Some((scheme, rest.trim()))
}

/// The Bearer token (scheme matched case-insensitively), if one was sent.
pub(super) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    authorization(headers)
        .filter(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && !token.is_empty())
        .map(|(_, token)| token)
}

/// Basic credentials per RFC 6749 §2.3.1: base64-decode, split at the first ':', then
/// form-urldecode each part (unless `urldecode` is off, for the `basic-no-urldecode` fault).
pub(super) fn basic_credentials(headers: &HeaderMap, urldecode: bool) -> Option<(String, String)> {
    let (scheme, encoded) = authorization(headers)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(LENIENT_BASE64.decode(encoded).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    if urldecode {
        Some((form_urldecode(id)?, form_urldecode(secret)?))
    } else {
        Some((id.to_string(), secret.to_string()))
    }
}

/// The first `client_secret` in a URL query, form-urldecoded.
pub(super) fn query_secret(query: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(name, _)| name == "client_secret")
        .map(|(_, value)| value.into_owned())
}

/// application/x-www-form-urlencoded decoding of one value: '+' is a space and `%XX` a
/// byte; a '%' not followed by two hex digits stays as it is (as browsers do). `None` if
/// the bytes are not UTF-8.
fn form_urldecode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|b| (*b as char).to_digit(16));
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if hex(i + 1).is_some() && hex(i + 2).is_some() => {
                out.push((hex(i + 1)? * 16 + hex(i + 2)?) as u8);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Equality whose running time depends only on the lengths, not on where the inputs differ.
pub(super) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for i in 0..a.len().max(b.len()) {
        diff |= a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0);
    }
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use base64::engine::general_purpose::STANDARD;

    fn headers(authorization: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_str(authorization).unwrap());
        h
    }

    #[test]
    fn form_urldecode_handles_plus_percent_and_utf8() {
        assert_eq!(form_urldecode("a+b%20c").as_deref(), Some("a b c"));
        assert_eq!(form_urldecode("%25%2B%3A%2F").as_deref(), Some("%+:/"));
        assert_eq!(form_urldecode("%C3%A9%E2%9C%93").as_deref(), Some("é✓"));
        assert_eq!(form_urldecode("100%").as_deref(), Some("100%"));
        assert_eq!(form_urldecode("%zz%4").as_deref(), Some("%zz%4"));
        assert_eq!(form_urldecode("%FF"), None);
    }

    #[test]
    fn basic_splits_at_first_colon_then_decodes() {
        let raw = format!("Basic {}", STANDARD.encode("my%3Aid:s%3Ae:c+r"));
        let got = basic_credentials(&headers(&raw), true);
        assert_eq!(got, Some(("my:id".into(), "s:e:c r".into())));
        let got = basic_credentials(&headers(&raw), false);
        assert_eq!(got, Some(("my%3Aid".into(), "s%3Ae:c+r".into())));
        // Scheme is case-insensitive; padding optional.
        let lower = format!("bAsIc {}", STANDARD.encode("a:b").trim_end_matches('='));
        assert_eq!(
            basic_credentials(&headers(&lower), true),
            Some(("a".into(), "b".into()))
        );
        assert_eq!(basic_credentials(&headers("Bearer abc"), true), None);
        assert_eq!(basic_credentials(&headers("Basic !!!"), true), None);
        let no_colon = format!("Basic {}", STANDARD.encode("abc"));
        assert_eq!(basic_credentials(&headers(&no_colon), true), None);
    }

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        assert_eq!(bearer_token(&headers("bEaReR tok")), Some("tok"));
        assert_eq!(bearer_token(&headers("Bearer ")), None);
        assert_eq!(bearer_token(&headers("Basic tok")), None);
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }

    #[test]
    fn query_secret_is_form_decoded() {
        assert_eq!(
            query_secret(Some("x=1&client_secret=a+b%2B")).as_deref(),
            Some("a b+")
        );
        assert_eq!(query_secret(Some("client_secret_x=1")), None);
        assert_eq!(query_secret(None), None);
    }

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(constant_time_eq(b"", b""));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abc\0"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
