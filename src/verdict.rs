//! Rule verdicts from scenario results: a pure fold. A rule's verdict in one scenario
//! is fail/warn if a check of it broke, pass if it was checked and held, skip if the
//! scenario did not apply, and error if the scenario never got to check it or could not
//! finish. Over all scenarios the worst wins (fail, error, warn, pass, skip).

use std::collections::BTreeMap;

use crate::outcome::{Outcome, RunReport, ScenarioResult, Verdict};
use crate::rules::Level;

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
            for s in &report.scenarios {
                if let Some(v) = scenario_rule_verdict(s, &rule.id) {
                    verdict = verdict.max(Some(v));
                    scenarios.push(s.id.clone());
                }
            }
            RuleVerdict {
                id: rule.id.clone(),
                level: rule.level,
                verdict: verdict.unwrap_or(Verdict::Skip),
                scenarios,
            }
        })
        .collect()
}

/// Counts of scenario outcomes, keyed by outcome name.
pub fn outcome_counts(report: &RunReport) -> BTreeMap<&'static str, usize> {
    let mut counts: BTreeMap<&'static str, usize> =
        ["passed", "failed", "warned", "skipped", "errored"]
            .into_iter()
            .map(|k| (k, 0))
            .collect();
    for s in &report.scenarios {
        *counts.entry(s.outcome.name()).or_default() += 1;
    }
    counts
}

/// The process exit code for a finished run: 1 if a MUST rule failed, else 2 if the run
/// could not reach a verdict somewhere (fatal error or an errored scenario), else 0.
pub fn exit_code(report: &RunReport) -> u8 {
    let verdicts = rule_verdicts(report);
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
