//! Baselines: the rule failures a CI pipeline has accepted while they are being fixed,
//! each with a reason. An entry names a rule (one accepted defect, one entry), or, for
//! the rare rule that must be accepted in one scenario only, a rule and a scenario. A
//! run with a baseline passes when exactly the listed rules fail; a new failure is
//! printed as a paste-ready entry, and an entry that now passes is printed as stale, for
//! removal — so a baseline can only shrink honestly.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::LoadError;
use crate::outcome::RunReport;
use crate::profile::line_col;
use crate::verdict::Verdict;
use crate::verdict::{Verdicts, scenario_rule_verdict};

/// The reason an entry carries until a person gives the real one: what
/// `--write-baseline` writes and what paste-ready entries carry. The loader refuses it
/// (and any reason starting `TODO`), so nothing is accepted without a decision.
pub const PASTE_REASON: &str = "TODO: say why this failure is accepted";

/// One accepted failure: a rule's verdict over the run, or in one scenario.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    /// Only for an entry that accepts the rule's failure in this scenario alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// `fail` or `error`.
    pub verdict: Verdict,
    pub reason: String,
}

impl Entry {
    fn describe(&self) -> String {
        match &self.scenario {
            Some(s) => format!("{} in scenario {s}", self.rule),
            None => self.rule.clone(),
        }
    }
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
    /// Listed entries whose rule now passes (in their scenario, for a scenario entry).
    pub stale: Vec<Entry>,
    /// Listed entries seen again as listed.
    pub matched: usize,
}

impl Comparison {
    /// 1 for a new failure or a stale entry, 2 for a new error, 0 when the run is
    /// exactly as the baseline says.
    pub fn exit_code(&self) -> u8 {
        if self.new.iter().any(|e| e.verdict == Verdict::Fail) || !self.stale.is_empty() {
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
        let whole_rules: BTreeSet<&str> = file
            .expected
            .iter()
            .filter(|e| e.scenario.is_none())
            .map(|e| e.rule.as_str())
            .collect();
        for (i, e) in file.expected.iter().enumerate() {
            let here = format!("{origin}: entry {} ({})", i + 1, e.describe());
            if !matches!(e.verdict, Verdict::Fail | Verdict::Error) {
                return Err(LoadError::new(
                    here,
                    format!(
                        "verdict must be \"fail\" or \"error\", not \"{}\"",
                        e.verdict.as_str()
                    ),
                ));
            }
            if e.reason.trim().is_empty() || e.reason.trim_start().starts_with("TODO") {
                return Err(LoadError::new(
                    here,
                    "every accepted failure needs a reason: replace the TODO placeholder \
                     with why this failure is accepted",
                ));
            }
            if !seen.insert((e.rule.clone(), e.scenario.clone())) {
                return Err(LoadError::new(here, "listed twice"));
            }
            if e.scenario.is_some() && whole_rules.contains(e.rule.as_str()) {
                return Err(LoadError::new(
                    here,
                    format!(
                        "{} is also accepted as a whole: keep one of the two entries",
                        e.rule
                    ),
                ));
            }
        }
        Ok(Baseline {
            entries: file.expected,
        })
    }

    /// Compare a finished run, with its folded verdicts, with this baseline.
    pub fn compare(&self, report: &RunReport, verdicts: &Verdicts) -> Comparison {
        let mut c = Comparison::default();
        for rv in &verdicts.rules {
            let failing = matches!(rv.verdict, Verdict::Fail | Verdict::Error);
            let whole = self
                .entries
                .iter()
                .find(|e| e.rule == rv.id && e.scenario.is_none());
            let per_scenario: Vec<&Entry> = self
                .entries
                .iter()
                .filter(|e| e.rule == rv.id && e.scenario.is_some())
                .collect();
            if let Some(e) = whole {
                match failing {
                    true if e.verdict == rv.verdict => c.matched += 1,
                    true => c.new.push(entry(&rv.id, None, rv.verdict)),
                    // Only a rule that ran and held makes its entry stale; a rule that
                    // was skipped or filtered out says nothing.
                    false if matches!(rv.verdict, Verdict::Pass | Verdict::Warn) => {
                        c.stale.push(e.clone())
                    }
                    false => {}
                }
            } else if per_scenario.is_empty() {
                if failing {
                    c.new.push(entry(&rv.id, None, rv.verdict));
                }
            } else {
                self.compare_per_scenario(report, &rv.id, &per_scenario, &mut c);
            }
        }
        c
    }

    /// A rule whose failures are accepted scenario by scenario.
    fn compare_per_scenario(
        &self,
        report: &RunReport,
        rule: &str,
        listed: &[&Entry],
        c: &mut Comparison,
    ) {
        for s in &report.scenarios {
            let Some(v @ (Verdict::Fail | Verdict::Error)) = scenario_rule_verdict(s, rule) else {
                continue;
            };
            match listed
                .iter()
                .find(|e| e.scenario.as_deref() == Some(s.id.as_str()))
            {
                Some(e) if e.verdict == v => c.matched += 1,
                _ => c.new.push(entry(rule, Some(&s.id), v)),
            }
        }
        for e in listed {
            let scenario = e.scenario.as_deref().unwrap_or_default();
            let now = report
                .scenarios
                .iter()
                .find(|s| s.id == scenario)
                .and_then(|s| scenario_rule_verdict(s, rule));
            if matches!(now, Some(Verdict::Pass | Verdict::Warn)) {
                c.stale.push((*e).clone());
            }
        }
    }
}

fn entry(rule: &str, scenario: Option<&str>, verdict: Verdict) -> Entry {
    Entry {
        rule: rule.into(),
        scenario: scenario.map(Into::into),
        verdict,
        reason: PASTE_REASON.into(),
    }
}

/// Every rule that failed or errored in the run, one entry each, with the placeholder
/// reason: what `--write-baseline` records.
pub fn observed(verdicts: &Verdicts) -> Vec<Entry> {
    verdicts
        .rules
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Error))
        .map(|r| entry(&r.id, None, r.verdict))
        .collect()
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
