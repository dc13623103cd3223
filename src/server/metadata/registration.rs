//! What only a registration (not an update) is held to: RFC 7591 §2, §2.1 and §5 on
//! grant types, redirect URIs (required, schemes, implicit web clients), jwks and
//! response types. Each check can be switched off by a registration fault.

use serde_json::Value;

use super::Metadata;
use crate::server::reply::ApiError;

/// Grant types a registration may ask for: RFC 7591 §2's, and the device grant.
pub(in crate::server) const GRANT_TYPES: &[&str] = &[
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
pub(in crate::server) struct RegistrationChecks {
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
pub(in crate::server) fn check_registration(
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
