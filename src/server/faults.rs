//! Switchable faults: realistic bugs the reference server can be told to have, one per
//! variant, so that every conformance check can be shown to fail against a server that
//! gets its rule wrong. A fault changes as little as possible; all others stay correct.
//!
//! Each fault is declared once, in `list` (variant, name, flavors, description, family);
//! `declare_faults!` below turns that list into the `Fault` enum and what each fault says
//! of itself. The set a server has (`Faults`) is in `set`; its branches are in the server
//! code, found by `Fault::Variant`.

use std::fmt;
use std::str::FromStr;

/// Generates `Fault` and its tables from one list of families, each a list of
/// `Variant "kebab-name" [Flavor, ...] "description"`. A macro rather than a derive: no
/// proc-macro crate, and the list reads as the table it is.
macro_rules! declare_faults {
    ($(
        $family:ident {
            $( $variant:ident $name:literal [$($flavor:ident),+] $description:literal ),+ $(,)?
        }
    )+) => {
        /// One deliberate bug. Names are kebab-case (`Fault::name`) and parse back with
        /// `FromStr`; the order is the list's, so a `Faults` set shows in it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Fault {
            $($(
                #[doc = $description]
                $variant,
            )+)+
        }

        impl Fault {
            /// Every fault, in declaration order.
            pub fn all() -> &'static [Fault] {
                &[$($(Fault::$variant,)+)+]
            }

            /// The kebab-case name, as given on the command line and in the matrix.
            pub fn name(self) -> &'static str {
                match self {
                    $($(Fault::$variant => $name,)+)+
                }
            }

            /// One line saying what goes wrong.
            pub fn description(self) -> &'static str {
                match self {
                    $($(Fault::$variant => $description,)+)+
                }
            }

            /// The rule family it breaks, which names the matrix file of its entries:
            /// `ory`, `rfc7591`, `rfc7592`, `rfc6749`, `fuzz`, `protected`, `regonly`, `mcp` or
            /// `discovery`.
            pub fn family(self) -> &'static str {
                match self {
                    $($(Fault::$variant => stringify!($family),)+)+
                }
            }

            /// The server flavors the fault can show in at all.
            pub fn flavors(self) -> &'static [Flavor] {
                match self {
                    $($(Fault::$variant => &[$(Flavor::$flavor),+],)+)+
                }
            }
        }
    };
}

mod list;
mod set;

pub use list::Fault;
pub use set::Faults;

use super::Flavor;

impl Fault {
    /// Whether the fault can show at all in a server of this flavor (see `list` for why
    /// some cannot).
    pub fn applies_to(self, flavor: Flavor) -> bool {
        self.flavors().contains(&flavor)
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
        Fault::all()
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = Fault::all().iter().map(|f| f.name()).collect();
                format!("unknown fault '{s}' (known: {})", known.join(", "))
            })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_round_trip() {
        let mut seen = BTreeSet::new();
        for &fault in Fault::all() {
            let name = fault.name();
            assert!(seen.insert(name), "duplicate name {name}");
            assert!(
                !name.is_empty()
                    && !name.starts_with('-')
                    && !name.ends_with('-')
                    && !name.contains("--")
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name} is not kebab-case"
            );
            assert_eq!(name.parse::<Fault>(), Ok(fault));
            assert_eq!(fault.to_string(), name);
            let description = fault.description();
            assert!(
                !description.is_empty() && !description.contains('\n'),
                "{name}"
            );
        }
    }

    #[test]
    fn all_lists_every_variant_once_in_order() {
        // `all` and the enum come from the same list; the derived order must agree with
        // it, since `Faults` shows its members in that order.
        let all = Fault::all();
        assert!(all.windows(2).all(|w| w[0] < w[1]), "{all:?}");
        assert_eq!(all.first(), Some(&Fault::Create200));
        assert_eq!(all.last(), Some(&Fault::PostMadeBasic));
    }

    #[test]
    fn families_are_the_matrix_files() {
        let families: Vec<&str> = super::super::matrix::files()
            .unwrap()
            .iter()
            .map(|f| f.family)
            .collect();
        for &fault in Fault::all() {
            assert!(
                families.contains(&fault.family()),
                "{fault}: {}",
                fault.family()
            );
        }
        assert_eq!(Fault::Create200.family(), "ory");
        assert_eq!(Fault::Unknown404.family(), "rfc7592");
        assert_eq!(Fault::RejectUnknown.family(), "rfc7591");
        assert_eq!(Fault::TornPut.family(), "fuzz");
        assert_eq!(Fault::IssuerMismatch.family(), "discovery");
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
        assert!(Fault::AllowHttpRedirect.applies_to(Flavor::Rfc7592));
        assert!(!Fault::AllowHttpRedirect.applies_to(Flavor::Ory));
        assert!(
            Fault::Unknown404.applies_to(Flavor::Rfc7592)
                && !Fault::Unknown404.applies_to(Flavor::Ory)
        );
        for &fault in Fault::all() {
            let flavors = fault.flavors();
            assert!(!flavors.is_empty(), "{fault} shows in no flavor");
            let unique: BTreeSet<&str> = flavors.iter().map(|f| f.name()).collect();
            assert_eq!(unique.len(), flavors.len(), "{fault} repeats a flavor");
        }
    }
}
