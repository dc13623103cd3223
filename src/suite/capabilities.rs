//! The capability names a scenario or invariant may `require`. A name outside this set is
//! refused at load (naming the file, the pointer and the choices), since a typo would
//! otherwise skip the scenario forever without a word.
//!
//! Known names are those a profile derives from its fields ([`crate::profile::Profile::capabilities`]),
//! the named ones built-in profiles and fault-matrix entries grant, and any a suite file
//! declares in its `capabilities` member (for a user's own profile).

use std::collections::BTreeSet;

use crate::profile::ManagementAuth;

/// Names a profile grants from its fields, besides `auth:*` and `unknown-client:<status>`:
/// `client-management` or `registration-only` from `client_management`, and
/// `cleanup:public-client` where a public client, which has no secret to delete itself
/// with, can be accounted for (Bearer management, or no management at all), and
/// `management:client-credentials` where clients are managed with their own credentials
/// and never with a registration access token.
const DERIVED: &[&str] = &[
    "enabled",
    "disabled",
    "client-uri:path",
    "client-uri:registration_client_uri",
    "secret:client-chosen",
    "registration:open",
    crate::profile::TOKEN_ENDPOINT,
    "client-management",
    "registration-only",
    "cleanup:public-client",
    crate::profile::CLIENT_CREDENTIALS,
];

/// The capability every scenario that talks to a client's configuration endpoint needs,
/// derived by the loader from its steps (a request naming a `client` or `client_id`), so
/// that no suite file has to say it and none can forget it.
pub const CLIENT_MANAGEMENT: &str = "client-management";

/// Names granted through a profile's (or a matrix entry's) `capabilities` list; their
/// meaning is in the profile files and docs/rules.md's tensions.
pub const NAMED: &[&str] = &[
    "contract:ory",
    "mcp:client-registration",
    "metadata",
    "method:405",
    "oidc:registration",
    "put:accepts-current-secret",
    "put:refuses-other-secret",
    "put:rejects-server-managed",
    "rat:rotates-on-update",
    "rat:stable-on-read",
    "read:returns-registration-credentials",
    "registration:protected",
    "rfc7591:error-codes",
    "rfc7591:non-redirect-clients",
    "rfc7591:redirect-schemes",
    "rfc7591:status-201",
    "tls:judge",
];

const AUTH: [ManagementAuth; 3] = [
    ManagementAuth::ClientSecretBasic,
    ManagementAuth::ClientSecretPost,
    ManagementAuth::Bearer,
];

/// Whether `name` is a capability some profile can grant, given the suites' declarations.
pub fn is_known(name: &str, declared: &BTreeSet<String>) -> bool {
    if let Some(status) = name.strip_prefix("unknown-client:") {
        return status.len() == 3
            && status
                .parse::<u16>()
                .is_ok_and(|s| (100..=599).contains(&s));
    }
    DERIVED.contains(&name)
        || NAMED.contains(&name)
        || AUTH
            .iter()
            .any(|m| name.strip_prefix("auth:") == Some(m.as_str()))
        || declared.contains(name)
}

/// Every choice, for the error message.
pub fn choices(declared: &BTreeSet<String>) -> String {
    let mut all: Vec<String> = DERIVED.iter().chain(NAMED).map(|s| s.to_string()).collect();
    all.extend(AUTH.iter().map(|m| format!("auth:{}", m.as_str())));
    all.push("unknown-client:<status>".into());
    all.extend(declared.iter().cloned());
    all.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    #[test]
    fn every_capability_a_built_in_profile_or_the_matrix_grants_is_known() {
        let none = BTreeSet::new();
        for name in Profile::built_in_names() {
            for cap in Profile::resolve(name).unwrap().capabilities() {
                assert!(is_known(&cap, &none), "profile {name}: {cap}");
            }
        }
        for entry in crate::server::matrix::embedded().unwrap() {
            for cap in &entry.capabilities {
                assert!(is_known(cap, &none), "matrix {}: {cap}", entry.fault);
            }
        }
    }

    #[test]
    fn typos_are_unknown_and_declared_names_are_known() {
        let mut declared = BTreeSet::new();
        for typo in [
            "enabeld",
            "auth:client_secret_bsic",
            "unknown-client:4o4",
            "rat:stable",
        ] {
            assert!(!is_known(typo, &declared), "{typo}");
        }
        assert!(is_known("unknown-client:404", &declared));
        declared.insert("acme:echoes-name".to_string());
        assert!(is_known("acme:echoes-name", &declared));
        assert!(choices(&declared).contains("acme:echoes-name"));
    }
}
