//! The fault matrix: for each fault of the reference server, under each profile it
//! applies to, the rules that must fail (or warn) — and the rules that cannot be
//! reached once the fault has broken an earlier step. It is data (`matrix_data/*.json`,
//! beside the faults); `tests/fault_matrix.rs` runs the suite against every faulted server and
//! holds the outcome to it exactly: no missed defect, no collateral false failure.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::error::LoadError;
use crate::outcome::RunReport;
use crate::verdict::Verdict;
use crate::verdict::Verdicts;

use super::Fault;

pub mod proven;
mod render;

pub use render::render;

/// One row: a fault under one profile and what it must do to the verdicts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fault: String,
    /// A built-in profile name.
    pub profile: String,
    /// Whether the server has the feature switched on.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Capabilities granted to the profile for this run besides its own: the choices a
    /// built-in profile leaves to the target, which the reference server makes.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Run the scenarios one at a time: for a fault that depends on which other clients
    /// the server holds (each scenario deletes its own when it ends), so that concurrent
    /// scenarios cannot change its verdicts.
    #[serde(default)]
    pub sequential: bool,
    /// MUST rules this fault breaks.
    #[serde(default)]
    pub fails: BTreeSet<String>,
    /// SHOULD/MAY rules this fault breaks.
    #[serde(default)]
    pub warns: BTreeSet<String>,
    /// Rules no scenario can reach a verdict on once the fault has struck (errored).
    #[serde(default)]
    pub unreached: BTreeSet<String>,
    /// Why the verdicts are what they are, for the reader of the matrix.
    pub why: String,
}

fn yes() -> bool {
    true
}

impl Entry {
    /// How many scenarios run at once under this entry: one if `sequential`, else no limit.
    pub fn selection(&self) -> crate::runner::Selection {
        let mut selection = crate::runner::Selection::all();
        if self.sequential {
            selection.threads = Some(1);
        }
        selection
    }

    /// The profile, with any extra capabilities: `rfc7592 + method:405`.
    pub fn label(&self) -> String {
        let mut label = self.profile.clone();
        for c in &self.capabilities {
            label.push_str(" + ");
            label.push_str(c);
        }
        label
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatrixFile {
    #[serde(rename = "$comment")]
    comment: String,
    entries: Vec<Entry>,
}

/// One matrix file: the entries of one fault family, in the file's order.
#[derive(Debug, Clone)]
pub struct File {
    /// The path from the repository root, `src/server/matrix_data/<family>.json`.
    pub path: &'static str,
    /// The family its faults belong to (`Fault::family`), the file's stem.
    pub family: &'static str,
    /// The file's `$comment`, kept as it is when the file is rewritten.
    pub comment: String,
    pub entries: Vec<Entry>,
}

/// The matrix files shipped with dcrspec, one per fault family, in `matrix_data/`.
const FILES: &[(&str, &str, &str)] = &[
    (
        "ory",
        "src/server/matrix_data/ory.json",
        include_str!("matrix_data/ory.json"),
    ),
    (
        "rfc7591",
        "src/server/matrix_data/rfc7591.json",
        include_str!("matrix_data/rfc7591.json"),
    ),
    (
        "rfc7592",
        "src/server/matrix_data/rfc7592.json",
        include_str!("matrix_data/rfc7592.json"),
    ),
    (
        "fuzz",
        "src/server/matrix_data/fuzz.json",
        include_str!("matrix_data/fuzz.json"),
    ),
    (
        "protected",
        "src/server/matrix_data/protected.json",
        include_str!("matrix_data/protected.json"),
    ),
    (
        "rfc6749",
        "src/server/matrix_data/rfc6749.json",
        include_str!("matrix_data/rfc6749.json"),
    ),
    (
        "regonly",
        "src/server/matrix_data/regonly.json",
        include_str!("matrix_data/regonly.json"),
    ),
    (
        "mcp",
        "src/server/matrix_data/mcp.json",
        include_str!("matrix_data/mcp.json"),
    ),
    (
        "discovery",
        "src/server/matrix_data/discovery.json",
        include_str!("matrix_data/discovery.json"),
    ),
];

/// The text of each matrix file as shipped, by path: what `render` must reproduce.
pub fn embedded_texts() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES.iter().map(|(_, path, text)| (*path, *text))
}

/// The matrix files shipped with dcrspec. A file may hold only its family's faults, so
/// that a fault's entries are found where its declaration says.
pub fn files() -> Result<Vec<File>, LoadError> {
    let mut files = Vec::new();
    for (family, path, text) in FILES {
        let file: MatrixFile = serde_json::from_str(text).map_err(|e| {
            LoadError::new(
                *path,
                format!("line {}, column {}: {e}", e.line(), e.column()),
            )
        })?;
        for (i, e) in file.entries.iter().enumerate() {
            let at = || format!("{path}#/entries/{i}");
            let fault = e
                .fault
                .parse::<Fault>()
                .map_err(|_| LoadError::new(at(), format!("unknown fault '{}'", e.fault)))?;
            if fault.family() != *family {
                return Err(LoadError::new(
                    at(),
                    format!(
                        "fault '{fault}' is of family '{}': its entries belong in \
                         src/server/matrix_data/{}.json",
                        fault.family(),
                        fault.family()
                    ),
                ));
            }
        }
        files.push(File {
            path,
            family,
            comment: file.comment,
            entries: file.entries,
        });
    }
    Ok(files)
}

/// The matrix shipped with dcrspec: every file's entries, in file order.
pub fn embedded() -> Result<Vec<Entry>, LoadError> {
    Ok(files()?.into_iter().flat_map(|f| f.entries).collect())
}

/// The verdicts a run actually gave, in the matrix's terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    pub fails: BTreeSet<String>,
    pub warns: BTreeSet<String>,
    pub unreached: BTreeSet<String>,
}

pub fn seen(report: &RunReport) -> Seen {
    let mut s = Seen::default();
    for v in Verdicts::fold(report).rules {
        match v.verdict {
            Verdict::Fail => s.fails.insert(v.id),
            Verdict::Warn => s.warns.insert(v.id),
            Verdict::Error => s.unreached.insert(v.id),
            Verdict::Pass | Verdict::Skip => false,
        };
    }
    s
}

/// Every way `seen` departs from `entry`, as sentences naming the fault; empty when
/// the run matched the matrix exactly.
pub fn compare(entry: &Entry, seen: &Seen) -> Vec<String> {
    let mode = if entry.enabled {
        String::new()
    } else {
        " (feature off)".into()
    };
    let who = format!("fault {} under {}{mode}", entry.fault, entry.label());
    let mut out = Vec::new();
    let sets = [
        ("fail", &entry.fails, &seen.fails),
        ("warn", &entry.warns, &seen.warns),
        ("error", &entry.unreached, &seen.unreached),
    ];
    for (what, want, got) in sets {
        for rule in want.difference(got) {
            out.push(format!(
                "{who}: {rule} should {what} but did not — the defect went undetected"
            ));
        }
        for rule in got.difference(want) {
            out.push(format!(
                "{who}: {rule} gave {what}, which the matrix does not expect — a collateral verdict"
            ));
        }
    }
    out
}

impl Entry {
    /// The entry as the check-level record and the rules document name it:
    /// `delete-keeps (rfc7592)`, `null-arrays (ory, off)`.
    pub fn key(&self) -> String {
        let off = if self.enabled { "" } else { ", off" };
        format!("{} ({}{off})", self.fault, self.label())
    }
}

/// The faults that break a rule (fail or warn), as "fault (profile)" labels.
pub fn faults_breaking(entries: &[Entry], rule: &str) -> Vec<String> {
    let mut out: Vec<String> = entries
        .iter()
        .filter(|e| e.fails.contains(rule) || e.warns.contains(rule))
        .map(Entry::key)
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::super::Flavor;
    use super::*;

    #[test]
    fn every_fault_has_an_entry_under_each_flavor_it_shows_in_and_under_no_other() {
        let entries = embedded().unwrap();
        let mut problems = Vec::new();
        for e in &entries {
            // Matrix profiles are the built-in profiles the reference server implements.
            let flavor = Flavor::for_profile(&e.profile).unwrap();
            let fault: Fault = e.fault.parse().unwrap();
            if !fault.applies_to(flavor) {
                problems.push(format!(
                    "{fault} has an entry under {flavor}, where it cannot show"
                ));
            }
        }
        for &fault in Fault::all() {
            for &flavor in fault.flavors() {
                // Under a profile that flavor implements (`mcp` and `rfc7591` are both
                // the registration-only flavor).
                if !entries.iter().any(|e| {
                    e.fault == fault.name() && Flavor::for_profile(&e.profile) == Ok(flavor)
                }) {
                    problems.push(format!("{fault} has no entry under {flavor}"));
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn extra_capabilities_show_in_the_label() {
        let entry: Entry = serde_json::from_str(
            r#"{"fault": "patch-merges", "profile": "rfc7592",
                "capabilities": ["method:405"], "fails": ["RFC7592-2-c"], "why": "w"}"#,
        )
        .unwrap();
        assert_eq!(entry.label(), "rfc7592 + method:405");
        assert_eq!(
            faults_breaking(std::slice::from_ref(&entry), "RFC7592-2-c"),
            vec!["patch-merges (rfc7592 + method:405)".to_string()]
        );
        let mut seen = Seen::default();
        seen.fails.insert("RFC7592-2-c".into());
        assert!(compare(&entry, &seen).is_empty());
        let problems = compare(&entry, &Seen::default());
        assert!(problems[0].starts_with("fault patch-merges under rfc7592 + method:405:"));
    }
}
