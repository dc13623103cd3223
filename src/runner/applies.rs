//! Whether a scenario, or one of its steps, applies to the profile and to what the server
//! answered: the skip reasons (a capability the profile lacks, no configuration endpoint,
//! no token endpoint, TLS on loopback, a server that implements RFC 7591 without RFC 7592).

use serde_json::Value;

use super::clients::Client;
use crate::profile::{ClientLocation, ManagementAuth, NO_CLIENT_MANAGEMENT, Profile};
use crate::suite::capabilities::CLIENT_MANAGEMENT;
use crate::suite::{Scenario, Step};

/// Why a scenario does not apply to this profile, if it does not.
pub fn not_applicable(sc: &Scenario, profile: &Profile) -> Option<String> {
    let caps = profile.capabilities();
    let mut needs: Vec<&str> = sc.requires.iter().map(String::as_str).collect();
    // Everything but the feature-off scenarios needs the feature on.
    if !needs.contains(&"disabled") {
        needs.push("enabled");
    }
    let missing: Vec<&str> = needs.into_iter().filter(|n| !caps.contains(*n)).collect();
    // Under a registration-only profile, whatever concerns the configuration endpoint
    // (its location, its credentials, its answers) is missing for that one reason.
    let management = |n: &&str| {
        *n == CLIENT_MANAGEMENT
            || ["auth:", "client-uri:", "unknown-client:"]
                .iter()
                .any(|p| n.starts_with(p))
    };
    if !profile.client_management && missing.iter().any(management) {
        return Some(NO_CLIENT_MANAGEMENT.to_string());
    }
    if missing == [crate::profile::TOKEN_ENDPOINT] {
        // Not a choice of the profile's but something dcrspec was not told: say how to.
        return Some(crate::profile::NO_TOKEN_ENDPOINT.to_string());
    }
    if missing == ["tls:judge"] {
        // Granted by the session for a registration endpoint off loopback.
        return Some(
            "the registration endpoint is on a loopback host, where a local test server \
             speaks plain http: TLS (RFC 7591 §3) is judged on other hosts (a profile \
             granting `tls:judge` judges it here too)"
                .into(),
        );
    }
    if missing.is_empty() {
        None
    } else {
        Some(format!(
            "profile '{}' lacks {}",
            profile.name,
            missing.join(", ")
        ))
    }
}

/// Why `step` cannot be sent, if it addresses a client the profile manages with its
/// registration credentials (a Bearer token, a `registration_client_uri`) and the server
/// answered neither: it implements RFC 7591 without RFC 7592 (RFC7592-OPT-a). The scenario
/// is then skipped, not errored: RFC7592-3-a alone fails for the missing credentials, so
/// one defect does not show as every management scenario erroring.
pub(super) fn unmanaged(profile: &Profile, step: &Step, clients: &[Client]) -> Option<String> {
    if !managed_by_credentials(profile) {
        return None;
    }
    let named = step.request.client.as_deref()?;
    let c = clients.iter().find(|c| c.name == named)?;
    (c.registration_access_token.is_none() && c.registration_client_uri.is_none())
        .then(|| without_rfc7592(profile, named))
}

/// Why a registration step whose precondition broke is skipped rather than errored: the
/// registration succeeded (a 2xx naming a client) but its answer carries neither
/// registration credential, under a profile that manages clients with them (a
/// precondition on `registration_client_uri`, say). As [`unmanaged`]. A refused
/// registration stays an error.
pub(super) fn uncredentialed(
    profile: &Profile,
    step: &Step,
    registered: bool,
    answer: Option<&Value>,
) -> Option<String> {
    let named = step.register.as_deref()?;
    let answer =
        answer.filter(|a| registered && a.get("client_id").is_some_and(Value::is_string))?;
    let lacks = ["registration_access_token", "registration_client_uri"]
        .iter()
        .all(|k| answer.get(k).is_none_or(Value::is_null));
    (managed_by_credentials(profile) && lacks).then(|| without_rfc7592(profile, named))
}

/// Whether the profile reaches a client's configuration endpoint with the registration
/// credentials a registration answers: the Bearer token, or the `registration_client_uri`.
fn managed_by_credentials(profile: &Profile) -> bool {
    profile.management_auth.contains(&ManagementAuth::Bearer)
        || profile.client_location == ClientLocation::RegistrationClientUri
}

fn without_rfc7592(profile: &Profile, client: &str) -> String {
    format!(
        "the server answered client '{client}' neither registration_access_token nor \
         registration_client_uri: it implements RFC 7591 without RFC 7592 (RFC7592-OPT-a); \
         under profile '{}', RFC7592-3-a fails for it",
        profile.name
    )
}
