//! The set of faults a server instance has (`Faults`): parsed from names, shown as a
//! comma-separated list.

use std::collections::BTreeSet;
use std::fmt;

use super::Fault;

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
