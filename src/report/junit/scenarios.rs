//! `--junit-cases scenarios`: one `<testsuite name="dcrspec">`, one `<testcase>` per
//! scenario (`name` the scenario id, `classname` `dcrspec.<suite file stem>`):
//!
//! | outcome | testcase |
//! |---|---|
//! | passed  | empty (success) |
//! | warned  | empty (success); the scenario report goes to the suite's `<system-out>` |
//! | failed  | `<failure type="<rule id>" message="<rule> (MUST): expected …, actual …">` + full report |
//! | errored | `<error type="errored" message="<reason>">` + full report |
//! | skipped | `<skipped type="skipped" message="<reason>"/>` |
//!
//! The suite's `<system-out>` opens with the run summary; its time is the run's wall time.

use std::path::Path;

use super::{Case, CaseResult, MESSAGE_LIMIT, Suite, attr, classname, fatal_case, run_errors};
use crate::outcome::{Outcome, RunReport, ScenarioResult};
use crate::report::text::{finding_headline, scenario_message, summary};
use crate::verdict::Verdicts;

pub(crate) fn suites(report: &RunReport, verdicts: &Verdicts) -> Vec<Suite> {
    let mut cases: Vec<Case> = report.scenarios.iter().map(|s| case(s, report)).collect();
    if let Some(fatal) = &report.fatal {
        cases.push(fatal_case(fatal));
    }
    let mut out = summary(report, verdicts) + "\n";
    for s in report
        .scenarios
        .iter()
        .filter(|s| s.outcome == Outcome::Warned)
    {
        out.push('\n');
        out.push_str(&scenario_message(s, &report.catalogue));
        out.push('\n');
    }
    vec![Suite {
        name: "dcrspec".into(),
        cases,
        time: report.duration,
        system_out: out,
        system_err: run_errors(report),
    }]
}

fn case(s: &ScenarioResult, report: &RunReport) -> Case {
    let body = || scenario_message(s, &report.catalogue) + "\n";
    let result = match &s.outcome {
        Outcome::Passed | Outcome::Warned => CaseResult::Passed,
        Outcome::Failed => {
            // The first broken MUST is what failed the scenario.
            let first = s
                .findings
                .iter()
                .find(|f| f.level.is_failure())
                .or(s.findings.first());
            let (type_, mut message) = match first {
                Some(f) => (f.rule.clone(), attr(&finding_headline(f), MESSAGE_LIMIT)),
                None => (
                    "failed".to_string(),
                    "failed without a recorded finding".to_string(),
                ),
            };
            if s.findings.len() > 1 {
                message.push_str(&format!(" (+{} more)", s.findings.len() - 1));
            }
            CaseResult::Failure {
                type_,
                message,
                body: body(),
            }
        }
        Outcome::Errored { reason } => CaseResult::Error {
            type_: "errored".into(),
            message: attr(reason, MESSAGE_LIMIT),
            body: body(),
        },
        Outcome::Skipped { reason } => CaseResult::Skipped {
            message: attr(reason, MESSAGE_LIMIT),
        },
    };
    Case {
        name: s.id.clone(),
        classname: classname(&file_stem(&s.file)),
        time: s.duration,
        result,
    }
}

pub(super) fn file_stem(file: &str) -> String {
    Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
