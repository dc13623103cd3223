//! Baselines: the (rule, scenario) failures a CI pipeline has accepted while they are
//! being fixed, each with a reason. A run with a baseline passes when exactly those
//! fail; a new failure is printed as a paste-ready entry, and an entry that now passes
//! is printed as stale, for removal — so a baseline can only shrink honestly.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::LoadError;
use crate::outcome::{RunReport, Verdict};
use crate::profile::line_col;
use crate::verdict::scenario_rule_verdict;

/// The reason a paste-ready entry carries until a person gives the real one; the
/// loader refuses it, so nothing is accepted without a decision.
pub const PASTE_REASON: &str = "TODO: say why this failure is accepted";

/// One accepted failure.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub scenario: String,
    /// `fail` or `error`.
    pub verdict: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    expected: Vec<Entry>,
}

/// A baseline file, loaded and checked.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    pub entries: Vec<Entry>,
}

/// How a run compares with its baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// Failures or errors the baseline does not list.
    pub new: Vec<Entry>,
    /// Listed entries whose rule now passes in that scenario.
    pub stale: Vec<Entry>,
    /// Listed entries seen again as listed.
    pub matched: usize,
}

impl Comparison {
    /// 1 for a new failure or a stale entry, 2 for a new error, 0 when the run is
    /// exactly as the baseline says.
    pub fn exit_code(&self) -> u8 {
        if self.new.iter().any(|e| e.verdict == "fail") || !self.stale.is_empty() {
            1
        } else if !self.new.is_empty() {
            2
        } else {
            0
        }
    }
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, LoadError> {
        let shown = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| LoadError::new(&shown, e.to_string()))?;
        Baseline::parse(&text, &shown)
    }

    pub fn parse(text: &str, origin: &str) -> Result<Baseline, LoadError> {
        let file: File = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| line_col(text, s.start))
                .map(|(l, c)| format!("line {l}, column {c}: "));
            LoadError::new(origin, format!("{}{}", at.unwrap_or_default(), e.message()))
        })?;
        let mut seen = BTreeSet::new();
        for (i, e) in file.expected.iter().enumerate() {
            let here = format!("{origin}: entry {}", i + 1);
            if e.verdict != "fail" && e.verdict != "error" {
                return Err(LoadError::new(
                    here,
                    format!("verdict must be \"fail\" or \"error\", not {:?}", e.verdict),
                ));
            }
            if e.reason.trim().is_empty() || e.reason.starts_with("TODO") {
                return Err(LoadError::new(
                    here,
                    "every accepted failure needs a reason (replace the TODO)",
                ));
            }
            if !seen.insert((e.rule.clone(), e.scenario.clone())) {
                return Err(LoadError::new(
                    here,
                    format!("({}, {}) is listed twice", e.rule, e.scenario),
                ));
            }
        }
        Ok(Baseline {
            entries: file.expected,
        })
    }

    /// Compare a finished run with this baseline.
    pub fn compare(&self, report: &RunReport) -> Comparison {
        let mut c = Comparison::default();
        let observed = observed(report, PASTE_REASON);
        for o in &observed {
            match self
                .entries
                .iter()
                .find(|e| e.rule == o.rule && e.scenario == o.scenario)
            {
                Some(e) if e.verdict == o.verdict => c.matched += 1,
                _ => c.new.push(o.clone()),
            }
        }
        for e in &self.entries {
            let now = verdict_of(report, &e.rule, &e.scenario);
            let still = observed
                .iter()
                .any(|o| o.rule == e.rule && o.scenario == e.scenario && o.verdict == e.verdict);
            // Only a rule that ran and held makes an entry stale; a skipped or filtered
            // scenario says nothing about it.
            if !still && matches!(now, Some(Verdict::Pass | Verdict::Warn)) {
                c.stale.push(e.clone());
            }
        }
        c
    }
}

fn verdict_of(report: &RunReport, rule: &str, scenario: &str) -> Option<Verdict> {
    let s = report.scenarios.iter().find(|s| s.id == scenario)?;
    scenario_rule_verdict(s, rule)
}

/// Every (rule, scenario) pair that failed or errored, as baseline entries.
pub fn observed(report: &RunReport, reason: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for s in &report.scenarios {
        for rule in report.catalogue.iter() {
            let verdict = match scenario_rule_verdict(s, &rule.id) {
                Some(Verdict::Fail) => "fail",
                Some(Verdict::Error) => "error",
                _ => continue,
            };
            out.push(Entry {
                rule: rule.id.clone(),
                scenario: s.id.clone(),
                verdict: verdict.into(),
                reason: reason.into(),
            });
        }
    }
    out
}

/// Entries as baseline TOML, ready to paste into (or to be) a baseline file.
pub fn render(entries: &[Entry]) -> String {
    let file = File {
        expected: entries.to_vec(),
    };
    toml::to_string(&file).unwrap_or_default()
}

#[cfg(test)]
mod tests;
