//! `--junit-cases rules` (the default): a `<testsuite>` per rule family, in catalogue
//! order, and a `<testcase name="<rule id>" classname="dcrspec.<family>">` per rule, from
//! the run's folded [`Verdicts`]:
//!
//! | verdict | testcase |
//! |---|---|
//! | pass | empty (success) |
//! | warn | empty (success): a SHOULD is not a gate; the rule's report goes to the family's `<system-out>` |
//! | fail | `<failure type="<level>" message="<rule> (<level>) "<quote>": broke in N scenario(s); first in S: expected …, actual …">` + the rule's report |
//! | error | `<error type="error" message="… no verdict in N scenario(s); first S: <reason>">` + the rule's report |
//! | skip | `<skipped type="skipped" message="<why: the scenarios' skip reasons, or no scenario checks it>"/>` |
//!
//! A rule's report names the rule, its level, quote and source, lists the scenarios where
//! it broke (each once, with the step of its first finding there), shows the first finding
//! in full with its exchange and counts the rest, then lists the scenarios that could not
//! reach a verdict on it, with their reasons. Every finding is in the JSON and evidence
//! reports; JUnit stays readable when one defect breaks a rule in sixty scenarios.
//!
//! A case's time is the sum of the durations of the scenarios that speak to the rule (a
//! scenario checking several rules counts in each); a family suite's time is the sum of
//! its cases'. A last suite `dcrspec` holds the run: the summary in `<system-out>`, the
//! fatal error and leftover clients in `<system-err>`, and the `dcrspec.run` error case
//! when the run failed as a whole.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use super::{Case, CaseResult, Suite, attr, classname, fatal_case, run_errors};
use crate::outcome::{Outcome, RunReport, ScenarioResult};
use crate::report::text::{push_field, push_finding, summary};
use crate::report::{first_line, no_verdict_reason};
use crate::rules::family;
use crate::verdict::Verdict;
use crate::verdict::{RuleVerdict, Verdicts};

/// Rule messages carry the quote as well, so they get more room than a scenario's.
const RULE_MESSAGE_LIMIT: usize = 500;
/// How much of the quote the one-line message shows; the body has all of it.
const QUOTE_IN_MESSAGE: usize = 120;

pub(crate) fn suites(report: &RunReport, verdicts: &Verdicts) -> Vec<Suite> {
    let by_id: HashMap<&str, &ScenarioResult> = report
        .scenarios
        .iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    // Families in the order their first rule appears in the catalogue.
    let mut families: Vec<(&str, Vec<&RuleVerdict>)> = Vec::new();
    for rv in &verdicts.rules {
        let fam = family(&rv.id);
        match families.iter_mut().find(|(f, _)| *f == fam) {
            Some((_, rules)) => rules.push(rv),
            None => families.push((fam, vec![rv])),
        }
    }
    let mut suites: Vec<Suite> = families
        .into_iter()
        .map(|(fam, rules)| family_suite(fam, &rules, report, &by_id))
        .collect();
    suites.push(Suite {
        name: "dcrspec".into(),
        cases: report.fatal.iter().map(|f| fatal_case(f)).collect(),
        time: report.duration,
        system_out: summary(report, verdicts) + "\n",
        system_err: run_errors(report),
    });
    suites
}

fn family_suite(
    fam: &str,
    rules: &[&RuleVerdict],
    report: &RunReport,
    by_id: &HashMap<&str, &ScenarioResult>,
) -> Suite {
    let cases: Vec<Case> = rules.iter().map(|rv| case(rv, report, by_id)).collect();
    let count = |v: Verdict| rules.iter().filter(|r| r.verdict == v).count();
    let mut out = format!(
        "{fam}: {} fail, {} error, {} warn, {} pass, {} skip ({})\n",
        count(Verdict::Fail),
        count(Verdict::Error),
        count(Verdict::Warn),
        count(Verdict::Pass),
        count(Verdict::Skip),
        plural(rules.len(), "rule")
    );
    for rv in rules.iter().filter(|r| r.verdict == Verdict::Warn) {
        out.push('\n');
        out.push_str(&rule_report(rv, report));
    }
    Suite {
        name: fam.to_string(),
        time: cases.iter().map(|c| c.time).sum(),
        cases,
        system_out: out,
        system_err: String::new(),
    }
}

fn case(rv: &RuleVerdict, report: &RunReport, by_id: &HashMap<&str, &ScenarioResult>) -> Case {
    let time: Duration = rv
        .scenarios
        .iter()
        .filter_map(|id| by_id.get(id.as_str()))
        .map(|s| s.duration)
        .sum();
    let result = match rv.verdict {
        Verdict::Pass | Verdict::Warn => CaseResult::Passed,
        Verdict::Fail => CaseResult::Failure {
            type_: rv.level.as_str().into(),
            message: message(rv, report),
            body: rule_report(rv, report),
        },
        Verdict::Error => CaseResult::Error {
            type_: "error".into(),
            message: message(rv, report),
            body: rule_report(rv, report),
        },
        Verdict::Skip => CaseResult::Skipped {
            message: attr(&skip_reason(rv, by_id), RULE_MESSAGE_LIMIT),
        },
    };
    Case {
        name: rv.id.clone(),
        classname: classname(family(&rv.id)),
        time,
        result,
    }
}

/// One line: `<rule> (<level>) "<quote>": broke in N scenario(s); first in S: expected
/// …, actual …` for a broken rule, `…: no verdict in N scenario(s); first S: <reason>`
/// for one that only errored.
pub(crate) fn message(rv: &RuleVerdict, report: &RunReport) -> String {
    let mut m = format!("{} ({})", rv.id, rv.level.as_str());
    if let Some(rule) = report.catalogue.get(&rv.id) {
        let _ = write!(m, " \"{}\"", first_line(&rule.quote, QUOTE_IN_MESSAGE));
    }
    // An errored rule says why it has no verdict first, even if a SHOULD of it also broke.
    let first_errored = rv.errored.first().filter(|_| rv.verdict == Verdict::Error);
    if let (None, Some((s, f))) = (first_errored, rv.findings(report).next()) {
        let _ = write!(
            m,
            ": broke in {}; first in {}: expected {}, actual {}",
            plural(rv.broken_scenarios(), "scenario"),
            s.id,
            first_line(&f.expected, 120),
            first_line(&f.actual, 120),
        );
    } else if let Some(&i) = first_errored.or(rv.errored.first()) {
        let s = &report.scenarios[i];
        let _ = write!(
            m,
            ": no verdict in {}; first {}: {}",
            plural(rv.errored.len(), "scenario"),
            s.id,
            no_verdict_reason(s)
        );
    }
    attr(&m, RULE_MESSAGE_LIMIT)
}

/// The rule's full report: header, where it broke, the first finding in full, the count
/// of the rest, and where it could not be judged. Ends with a newline.
pub(crate) fn rule_report(rv: &RuleVerdict, report: &RunReport) -> String {
    let mut out = String::new();
    let head = match rv.verdict {
        Verdict::Fail => "FAILED",
        Verdict::Warn => "WARNED",
        Verdict::Error => "ERROR",
        Verdict::Pass => "PASSED",
        Verdict::Skip => "SKIPPED",
    };
    let _ = writeln!(out, "{head} {} ({})", rv.id, rv.level.as_str());
    match report.catalogue.get(&rv.id) {
        Some(rule) => {
            push_field(&mut out, "  ", "", &format!("\"{}\"", rule.quote));
            let _ = writeln!(out, "  source: {}, {}", rule.source, rule.section);
        }
        None => out.push_str("  (rule not in the catalogue)\n"),
    }

    let findings: Vec<_> = rv.findings(report).collect();
    if let Some((first_scenario, first)) = findings.first() {
        let _ = writeln!(
            out,
            "  broke in {} ({}):",
            plural(rv.broken_scenarios(), "scenario"),
            plural(findings.len(), "finding")
        );
        // Each scenario once, in run order, with the step of its first finding there.
        let mut i = 0;
        while i < findings.len() {
            let s = findings[i].0;
            let n = findings[i..]
                .iter()
                .take_while(|(t, _)| std::ptr::eq(*t, s))
                .count();
            let more = if n > 1 {
                format!(", +{} more", n - 1)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "    {} (step {}{more})",
                s.id,
                first_line(&findings[i].1.step, 120)
            );
            i += n;
        }
        let _ = writeln!(
            out,
            "\n  first finding, in scenario {} ({}):",
            first_scenario.id, first_scenario.file
        );
        push_finding(&mut out, "     ", first, false);
        if findings.len() > 1 {
            let rest = findings.len() - 1;
            let s = if rest == 1 { "" } else { "s" };
            let _ = writeln!(
                out,
                "  + {rest} more finding{s}: every finding is in the JSON and evidence reports"
            );
        }
    }
    if !rv.errored.is_empty() {
        if !findings.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "  no verdict in {}:",
            plural(rv.errored.len(), "scenario")
        );
        for &i in &rv.errored {
            let s = &report.scenarios[i];
            push_field(
                &mut out,
                "    ",
                &format!("{}: ", s.id),
                &no_verdict_reason(s),
            );
        }
    }
    out
}

/// Why a rule was skipped: the distinct skip reasons of its scenarios, or that none
/// checks it.
fn skip_reason(rv: &RuleVerdict, by_id: &HashMap<&str, &ScenarioResult>) -> String {
    let mut reasons: Vec<&str> = Vec::new();
    for id in &rv.scenarios {
        if let Some(Outcome::Skipped { reason }) = by_id.get(id.as_str()).map(|s| &s.outcome)
            && !reasons.contains(&reason.as_str())
        {
            reasons.push(reason);
        }
    }
    if reasons.is_empty() {
        "no scenario of this run checks it".into()
    } else {
        reasons.join("; ")
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
