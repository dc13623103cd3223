//! Switchable faults: realistic bugs the reference server can be told to have, one per
//! variant, so that every conformance check can be shown to fail against a server that
//! gets its rule wrong. A fault changes as little as possible; all others stay correct.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use super::Flavor;

/// One deliberate bug. Names are kebab-case (`Fault::name`) and parse back with `FromStr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    Create200,
    CreateNoSecret,
    SecretOnGet,
    NoEchoOnSet,
    EchoOnSilentPut,
    NewSecretOnSilentPut,
    KeepOldSecretOnSet,
    AcceptAnySecret,
    UnboundClientId,
    IgnoreQuerySecret,
    BasicNoUrldecode,
    Unknown401,
    Unknown200,
    Unknown500,
    HtmlErrors,
    TextErrors,
    Disabled403,
    Disabled200,
    NullArrays,
    DeleteKeeps,
    Delete200,
    PutMerges,
    NoWwwAuthenticate,
    NoCacheHeaders,
    LongName500,
    NonAsciiName500,
    NullField500,
    TornPut,
}

/// Every fault with its name and description, in declaration order.
const TABLE: &[(Fault, &str, &str)] = &[
    (
        Fault::Create200,
        "create-200",
        "create answers 200 instead of 201",
    ),
    (
        Fault::CreateNoSecret,
        "create-no-secret",
        "create omits client_secret",
    ),
    (
        Fault::SecretOnGet,
        "secret-on-get",
        "GET returns client_secret",
    ),
    (
        Fault::NoEchoOnSet,
        "no-echo-on-set",
        "PUT that sets a secret does not echo it",
    ),
    (
        Fault::EchoOnSilentPut,
        "echo-on-silent-put",
        "PUT without client_secret returns the stored secret",
    ),
    (
        Fault::NewSecretOnSilentPut,
        "new-secret-on-silent-put",
        "PUT without client_secret silently replaces the secret with a new random one, not returned",
    ),
    (
        Fault::KeepOldSecretOnSet,
        "keep-old-secret-on-set",
        "PUT with a new secret echoes it but keeps authenticating the old one only",
    ),
    (
        Fault::AcceptAnySecret,
        "accept-any-secret",
        "any non-empty secret (or registration access token) authenticates",
    ),
    (
        Fault::UnboundClientId,
        "unbound-client-id",
        "Basic credentials and Bearer tokens are not bound to the path's client: another client's work",
    ),
    (
        Fault::IgnoreQuerySecret,
        "ignore-query-secret",
        "a client_secret_post client's query secret is never read, so it cannot authenticate",
    ),
    (
        Fault::BasicNoUrldecode,
        "basic-no-urldecode",
        "Basic id and secret are not form-urldecoded after base64",
    ),
    (
        Fault::Unknown401,
        "unknown-401",
        "an unknown client id answers 401 instead of 404",
    ),
    (
        Fault::Unknown200,
        "unknown-200",
        "an unknown client id answers 200 {}",
    ),
    (
        Fault::Unknown500,
        "unknown-500",
        "an unknown client id answers 500",
    ),
    (
        Fault::HtmlErrors,
        "html-errors",
        "every error body is an HTML page (text/html)",
    ),
    (
        Fault::TextErrors,
        "text-errors",
        "every error body is plain text (text/plain)",
    ),
    (
        Fault::Disabled403,
        "disabled-403",
        "when disabled, the endpoints answer 403 instead of 404",
    ),
    (
        Fault::Disabled200,
        "disabled-200",
        "when disabled, the endpoints answer 200 {}",
    ),
    (
        Fault::NullArrays,
        "null-arrays",
        "empty array fields come back as null (as Hydra v2.3.0 does)",
    ),
    (
        Fault::DeleteKeeps,
        "delete-keeps",
        "DELETE answers 204 but keeps the client",
    ),
    (
        Fault::Delete200,
        "delete-200",
        "DELETE answers 200 with a JSON body instead of 204",
    ),
    (
        Fault::PutMerges,
        "put-merges",
        "PUT merges into the stored metadata instead of replacing it",
    ),
    (
        Fault::NoWwwAuthenticate,
        "no-www-authenticate",
        "401 answers carry no WWW-Authenticate header",
    ),
    (
        Fault::NoCacheHeaders,
        "no-cache-headers",
        "responses carry no Cache-Control/Pragma headers",
    ),
    (
        Fault::LongName500,
        "long-name-500",
        "POST or PUT with a client_name over 200 characters answers 500",
    ),
    (
        Fault::NonAsciiName500,
        "non-ascii-name-500",
        "POST or PUT with a non-ASCII character in client_name answers 500",
    ),
    (
        Fault::NullField500,
        "null-field-500",
        "POST or PUT with any member explicitly null answers 500",
    ),
    (
        Fault::TornPut,
        "torn-put",
        "PUT writes the new metadata one member at a time, so concurrent PUTs interleave",
    ),
];

/// `TABLE`'s faults alone, for `Fault::all`.
const ALL: [Fault; TABLE.len()] = {
    let mut all = [Fault::Create200; TABLE.len()];
    let mut i = 0;
    while i < TABLE.len() {
        all[i] = TABLE[i].0;
        i += 1;
    }
    all
};

impl Fault {
    /// Every fault, in declaration order.
    pub fn all() -> &'static [Fault] {
        &ALL
    }

    fn entry(self) -> &'static (Fault, &'static str, &'static str) {
        // TABLE is in declaration order, so the discriminant indexes it.
        &TABLE[self as usize]
    }

    /// The kebab-case name, as given on the command line.
    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// One line saying what goes wrong.
    pub fn description(self) -> &'static str {
        self.entry().2
    }

    /// Whether the fault can show at all in a server of this flavor. The flavor-specific
    /// ones touch a code path the other flavor does not have (client secrets as
    /// credentials, a chosen secret on PUT, 401 for unknown ids). The `disabled-*` faults
    /// show only on a server with registration switched off.
    pub fn applies_to(self, flavor: Flavor) -> bool {
        match self {
            Fault::NoEchoOnSet
            | Fault::KeepOldSecretOnSet
            | Fault::IgnoreQuerySecret
            | Fault::BasicNoUrldecode
            | Fault::Unknown401 => flavor == Flavor::Ory,
            _ => true,
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Fault, String> {
        TABLE
            .iter()
            .find(|(_, name, _)| *name == s)
            .map(|(f, _, _)| *f)
            .ok_or_else(|| {
                let known: Vec<&str> = TABLE.iter().map(|(_, n, _)| *n).collect();
                format!("unknown fault '{s}' (known: {})", known.join(", "))
            })
    }
}

/// The set of faults a server instance has. `Default` is none: a correct server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults(BTreeSet<Fault>);

impl Faults {
    /// Parse kebab-case names; the error names the first unknown one and lists the known.
    pub fn from_names(names: &[&str]) -> Result<Faults, String> {
        names.iter().map(|n| n.parse::<Fault>()).collect()
    }

    pub fn contains(&self, fault: Fault) -> bool {
        self.0.contains(&fault)
    }

    pub fn insert(&mut self, fault: Fault) -> bool {
        self.0.insert(fault)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Fault> + '_ {
        self.0.iter().copied()
    }
}

impl From<Fault> for Faults {
    fn from(fault: Fault) -> Faults {
        Faults(BTreeSet::from([fault]))
    }
}

impl FromIterator<Fault> for Faults {
    fn from_iter<I: IntoIterator<Item = Fault>>(iter: I) -> Faults {
        Faults(iter.into_iter().collect())
    }
}

impl fmt::Display for Faults {
    /// Comma-separated names, or `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("none");
        }
        let names: Vec<&str> = self.iter().map(Fault::name).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_declaration_order_and_complete() {
        assert_eq!(Fault::all().len(), 28);
        for (i, (fault, _, _)) in TABLE.iter().enumerate() {
            assert_eq!(*fault as usize, i, "{fault:?} is out of place in TABLE");
        }
    }

    #[test]
    fn names_round_trip_and_are_kebab_case() {
        let mut seen = BTreeSet::new();
        for &fault in Fault::all() {
            let name = fault.name();
            assert!(seen.insert(name), "duplicate name {name}");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name} is not kebab-case"
            );
            assert_eq!(name.parse::<Fault>(), Ok(fault));
            let description = fault.description();
            assert!(
                !description.is_empty() && !description.contains('\n'),
                "{name}"
            );
        }
    }

    #[test]
    fn from_names_collects_and_rejects_unknown() {
        let faults = Faults::from_names(&["null-arrays", "create-200", "null-arrays"]).unwrap();
        assert!(faults.contains(Fault::NullArrays) && faults.contains(Fault::Create200));
        assert_eq!(faults.to_string(), "create-200,null-arrays");
        let err = Faults::from_names(&["create-200", "nonesuch"]).unwrap_err();
        assert!(
            err.contains("'nonesuch'") && err.contains("delete-keeps"),
            "{err}"
        );
        assert_eq!(Faults::from_names(&[]).unwrap(), Faults::default());
        assert_eq!(Faults::default().to_string(), "none");
    }

    #[test]
    fn flavor_specific_faults() {
        assert!(Fault::Unknown401.applies_to(Flavor::Ory));
        assert!(!Fault::Unknown401.applies_to(Flavor::Rfc7592));
        assert!(Fault::NoWwwAuthenticate.applies_to(Flavor::Rfc7592));
        let ory_only = Fault::all()
            .iter()
            .filter(|f| !f.applies_to(Flavor::Rfc7592))
            .count();
        assert_eq!(ory_only, 5);
        assert!(Fault::all().iter().all(|f| f.applies_to(Flavor::Ory)));
    }
}
