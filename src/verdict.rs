//! Rule verdicts from scenario results: a pure fold. A rule's verdict in one scenario
//! is fail/warn if a check of it broke, pass if it was checked and held, skip if the
//! scenario did not apply, and error if the scenario never got to check it or could not
//! finish. Over all scenarios the worst wins (fail, error, warn, pass, skip).
//!
//! A run's verdicts are folded once, into [`Verdicts`], and handed to every renderer
//! and to the exit code, so no two outputs can disagree about a rule.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, RunReport, ScenarioResult};
use crate::rules::Level;

/// Severity-sorted verdict of a rule. The derive order is "best" to "worst", so the
/// worst verdict over a rule's scenarios is the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Skip,
    Pass,
    Warn,
    Error,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Skip => "skip",
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Error => "error",
            Verdict::Fail => "fail",
        }
    }
}

/// The verdict one scenario gives one rule, or `None` when the scenario says nothing
/// about it (an invariant rule that no exchange of the scenario triggered).
pub fn scenario_rule_verdict(s: &ScenarioResult, rule: &str) -> Option<Verdict> {
    let declared = s.rules.iter().any(|r| r == rule);
    let checked = s.checked.iter().any(|r| r == rule);
    if !declared && !checked {
        return None;
    }
    if let Outcome::Skipped { .. } = s.outcome {
        return Some(Verdict::Skip);
    }
    let broken = s
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.level);
    let mut worst = None;
    for level in broken {
        let v = if level.is_failure() {
            Verdict::Fail
        } else {
            Verdict::Warn
        };
        worst = worst.max(Some(v));
    }
    if let Some(v) = worst {
        return Some(v);
    }
    // A scenario that could not finish cannot vouch for the rules it set out to check,
    // even those whose checks held so far; an invariant it triggered was judged whole.
    let errored = matches!(s.outcome, Outcome::Errored { .. });
    Some(if checked && !(errored && declared) {
        Verdict::Pass
    } else {
        Verdict::Error
    })
}

/// A rule's verdict over the whole run, with the scenarios that speak to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleVerdict {
    pub id: String,
    pub level: Level,
    pub verdict: Verdict,
    pub scenarios: Vec<String>,
    /// Where the rule broke, in run order: indexes into the report's scenarios and
    /// their findings.
    pub broken: Vec<Broken>,
    /// The scenarios (indexes into the report) that gave this rule `error`.
    pub errored: Vec<usize>,
}

/// One finding of a rule: `report.scenarios[scenario].findings[finding]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Broken {
    pub scenario: usize,
    pub finding: usize,
}

impl RuleVerdict {
    /// The findings of this rule, with the scenario each came from, in run order.
    pub fn findings<'r>(
        &self,
        report: &'r RunReport,
    ) -> impl Iterator<Item = (&'r ScenarioResult, &'r crate::outcome::Finding)> {
        self.broken.iter().map(|b| {
            let s = &report.scenarios[b.scenario];
            (s, &s.findings[b.finding])
        })
    }

    /// How many distinct scenarios this rule broke in.
    pub fn broken_scenarios(&self) -> usize {
        let mut seen: Vec<usize> = self.broken.iter().map(|b| b.scenario).collect();
        seen.dedup();
        seen.len()
    }
}

/// Every rule's verdict and the exit code of one run: folded once by [`Verdicts::fold`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdicts {
    /// One per catalogue rule, in catalogue order.
    pub rules: Vec<RuleVerdict>,
    /// The process exit code the verdicts call for: 1 if a MUST rule failed, else 2 if
    /// the run could not reach a verdict somewhere, else 0.
    pub exit_code: u8,
}

impl Verdicts {
    pub fn fold(report: &RunReport) -> Verdicts {
        let rules = rule_verdicts(report);
        let exit_code = exit_code_of(report, &rules);
        Verdicts { rules, exit_code }
    }

    pub fn get(&self, id: &str) -> Option<&RuleVerdict> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// How many rules have verdict `v`.
    pub fn count(&self, v: Verdict) -> usize {
        self.rules.iter().filter(|r| r.verdict == v).count()
    }

    /// The rules with verdict `v`, in catalogue order.
    pub fn with(&self, v: Verdict) -> impl Iterator<Item = &RuleVerdict> {
        self.rules.iter().filter(move |r| r.verdict == v)
    }
}

/// One verdict per catalogue rule, in catalogue order. A rule no scenario covers is
/// `skip`: nothing ran that could check it.
pub fn rule_verdicts(report: &RunReport) -> Vec<RuleVerdict> {
    report
        .catalogue
        .iter()
        .map(|rule| {
            let mut verdict = None;
            let mut scenarios = Vec::new();
            let mut broken = Vec::new();
            let mut errored = Vec::new();
            for (i, s) in report.scenarios.iter().enumerate() {
                if let Some(v) = scenario_rule_verdict(s, &rule.id) {
                    verdict = verdict.max(Some(v));
                    scenarios.push(s.id.clone());
                    if v == Verdict::Error {
                        errored.push(i);
                    }
                }
                for (f, finding) in s.findings.iter().enumerate() {
                    if finding.rule == rule.id {
                        broken.push(Broken {
                            scenario: i,
                            finding: f,
                        });
                    }
                }
            }
            RuleVerdict {
                id: rule.id.clone(),
                level: rule.level,
                verdict: verdict.unwrap_or(Verdict::Skip),
                scenarios,
                broken,
                errored,
            }
        })
        .collect()
}

/// Counts of scenario outcomes, keyed by outcome name, and `filtered`: how many of the
/// skipped ones the runner arguments' filter left out (the rest did not apply).
pub fn outcome_counts(report: &RunReport) -> BTreeMap<&'static str, usize> {
    let mut counts: BTreeMap<&'static str, usize> = [
        "passed", "failed", "warned", "skipped", "errored", "filtered",
    ]
    .into_iter()
    .map(|k| (k, 0))
    .collect();
    for s in &report.scenarios {
        *counts.entry(s.outcome.name()).or_default() += 1;
        if s.outcome.is_filtered_out() {
            *counts.entry("filtered").or_default() += 1;
        }
    }
    counts
}

/// The process exit code for a finished run: 1 if a MUST rule failed, else 2 if the run
/// could not reach a verdict somewhere (fatal error or an errored scenario), else 0.
fn exit_code_of(report: &RunReport, verdicts: &[RuleVerdict]) -> u8 {
    if verdicts.iter().any(|v| v.verdict == Verdict::Fail) {
        1
    } else if report.fatal.is_some()
        || report
            .scenarios
            .iter()
            .any(|s| matches!(s.outcome, Outcome::Errored { .. }))
    {
        2
    } else {
        0
    }
}
