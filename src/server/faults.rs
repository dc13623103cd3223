//! Switchable faults: realistic bugs the reference server can be told to have, one per
//! variant, so that every conformance check can be shown to fail against a server that
//! gets its rule wrong. A fault changes as little as possible; all others stay correct.
//!
//! This file holds the `Fault` enum and what each fault says of itself; the name and
//! description of every fault are in `table`, the set a server has (`Faults`) in `set`.

mod set;
mod table;

use std::fmt;
use std::str::FromStr;

use super::Flavor;

pub use set::Faults;
use table::{ALL, TABLE};

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
    DeleteErrorNoMessage,
    // RFC 7592 management faults
    Unknown404,
    UnknownInvalidClient,
    InvalidToken400,
    ErrorOnMissingToken,
    BearerCaseSensitive,
    DeleteNeedsClientSecret,
    UnauthorizedLeaksClient,
    ReadWrongContentType,
    ClientIdUppercased,
    ReadOmitsDefaults,
    ReadOmitsRegistrationCredentials,
    ClientUriOtherOrigin,
    ReadReappliesDefaults,
    ReadRotates,
    UpdateAnswersStale,
    UpdateAnswersOldToken,
    OldTokenSurvivesRotation,
    PutAppendsArrays,
    PutMissingClientIdAccepted,
    PutIgnoresClientIdMismatch,
    PutAppliesServerManaged,
    PutAdoptsChosenSecret,
    PutSkipsValidation,
    PutNullResets,
    PatchMerges,
    // RFC 7591 registration faults
    JsonCharsetRefused,
    LenientContentType,
    NullBody500,
    RejectUnknown,
    RedirectOptional,
    CreateTextPlain,
    EchoRequestMembers,
    ClientIdFromName,
    SharedSecret,
    NoSecretExpiry,
    IssuedAtMillis,
    OmitDefaults,
    NormalizeRedirectUris,
    EmptyStringUris,
    JwksWithJwksUri,
    ClientUriWithoutToken,
    SecretForPublic,
    NoSecretForDefaultMethod,
    DefaultGrantClientCredentials,
    DefaultResponseToken,
    AcceptFragment,
    AcceptRelativeRedirect,
    AllowHttpRedirect,
    AcceptJwksAndUri,
    AcceptInconsistentTypes,
    StoreBogusGrant,
    TypeErrors500,
    InvalidRequestCode,
    BodyInDescription,
    ClientOnError,
    Error422,
    RedirectAlwaysRequired,
    ImplicitHttpRedirect,
    LongName500,
    NonAsciiName500,
    NullField500,
    TornPut,
}

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
            // Bearer tokens, RFC 7592's 401 for unknown ids and its update checks exist
            // only in the Rfc7592 flavor.
            Fault::Unknown404
            | Fault::UnknownInvalidClient
            | Fault::InvalidToken400
            | Fault::ErrorOnMissingToken
            | Fault::BearerCaseSensitive
            | Fault::DeleteNeedsClientSecret
            | Fault::ReadOmitsRegistrationCredentials
            | Fault::ClientUriOtherOrigin
            | Fault::ReadRotates
            | Fault::UpdateAnswersOldToken
            | Fault::OldTokenSurvivesRotation
            | Fault::PutMissingClientIdAccepted
            | Fault::PutAdoptsChosenSecret => flavor == Flavor::Rfc7592,
            // RFC 7591 registration faults: only the Ory flavor issues no registration access
            // token and holds implicit clients to OpenID Connect's redirect URIs; only the
            // Rfc7592 flavor refuses plain-http redirect URIs of remote hosts.
            Fault::ClientUriWithoutToken | Fault::ImplicitHttpRedirect => flavor == Flavor::Ory,
            Fault::AllowHttpRedirect => flavor == Flavor::Rfc7592,
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn table_is_in_declaration_order_and_complete() {
        assert_eq!(Fault::all().len(), 87);
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
        assert_eq!(ory_only, 7);
        let rfc7592_only: Vec<&str> = Fault::all()
            .iter()
            .filter(|f| !f.applies_to(Flavor::Ory))
            .map(|f| f.name())
            .collect();
        assert_eq!(rfc7592_only.len(), 14, "{rfc7592_only:?}");
        assert!(rfc7592_only.contains(&"allow-http-redirect"));
        assert!(
            Fault::Unknown404.applies_to(Flavor::Rfc7592)
                && !Fault::Unknown404.applies_to(Flavor::Ory)
        );
        assert!(
            Fault::all()
                .iter()
                .all(|f| f.applies_to(Flavor::Ory) || f.applies_to(Flavor::Rfc7592))
        );
    }
}
