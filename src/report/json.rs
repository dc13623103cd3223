//! The JSON report: one object for machines, stable in shape, extended only by new keys.
//!
//! ```json
//! {"target": "…", "profile": "…", "started_unix": 0, "duration_ms": 0, "requests": 0,
//!  "credentialed_origins": ["http://127.0.0.1:4444"],
//!  "summary": {"passed": 0, "failed": 0, "warned": 0, "skipped": 0, "filtered_out": 0, "errored": 0},
//!  "rule_summary": {"pass": 0, "fail": 0, "warn": 0, "skip": 0, "error": 0},
//!  "rules": [{"id": "ory:secret-retained", "level": "MUST", "verdict": "fail", "scenarios": ["…"]}],
//!  "scenarios": [{"id": "…", "outcome": "failed", "reason": "(skipped/errored only)",
//!                 "description": "…", "file": "…", "duration_ms": 0,
//!                 "findings": [{"rule": "…", "message": "…", "level": "MUST", "step": "…",
//!                               "expected": "…", "actual": "…", "at": "…", "exchange": {…}}]}],
//!  "leftovers": [{"client_id": "…", "scenario": "…", "reason": "…",
//!                 "cause": "not_deleted | registration_only"}],
//!  "fatal": null}
//! ```
//!
//! `summary` counts scenario outcomes; `rules` and `rule_summary` come from
//! [`rule_verdicts`]. Strings are kept exactly as recorded (JSON escaping is lossless);
//! exchanges were redacted before they reached the [`RunReport`].

use serde_json::{Value, json};

use super::text::finding_headline;
use crate::outcome::{Finding, Outcome, RunReport, ScenarioResult};
use crate::verdict::Verdict;
use crate::verdict::{Verdicts, outcome_counts};

/// The report as a JSON value, keys in the documented order.
pub fn render(report: &RunReport, verdicts: &Verdicts) -> Value {
    let counts = outcome_counts(report);
    let rule_count = |v: Verdict| verdicts.rules.iter().filter(|r| r.verdict == v).count();
    json!({
        "target": report.target,
        "profile": report.profile,
        "suites_digest": report.catalogue.digest(),
        "started_unix": report.started_unix,
        "duration_ms": millis(report.duration),
        "requests": report.requests,
        "credentialed_origins": report.credentialed_origins,
        "summary": {
            "passed": counts["passed"],
            "failed": counts["failed"],
            "warned": counts["warned"],
            "skipped": counts["skipped"],
            "filtered_out": counts["filtered"],
            "errored": counts["errored"],
        },
        "rule_summary": {
            "pass": rule_count(Verdict::Pass),
            "fail": rule_count(Verdict::Fail),
            "warn": rule_count(Verdict::Warn),
            "skip": rule_count(Verdict::Skip),
            "error": rule_count(Verdict::Error),
        },
        "rules": verdicts.rules.iter().map(|r| json!({
            "id": r.id,
            "level": r.level.as_str(),
            "verdict": r.verdict.as_str(),
            "scenarios": r.scenarios,
        })).collect::<Vec<_>>(),
        "scenarios": report.scenarios.iter().map(scenario).collect::<Vec<_>>(),
        "leftovers": report.leftovers.iter().map(|l| json!({
            "client_id": l.client_id,
            "scenario": l.scenario,
            "reason": l.reason,
            "cause": l.cause,
        })).collect::<Vec<_>>(),
        "fatal": report.fatal,
        "baseline": report.baseline,
    })
}

/// [`render`] pretty-printed, with a final newline: the file `write_all` writes.
pub fn render_pretty(report: &RunReport, verdicts: &Verdicts) -> String {
    let mut s = serde_json::to_string_pretty(&render(report, verdicts))
        .expect("a serde_json::Value always serialises");
    s.push('\n');
    s
}

fn scenario(s: &ScenarioResult) -> Value {
    let mut v = json!({ "id": s.id, "outcome": s.outcome.name() });
    let obj = v.as_object_mut().expect("built as an object");
    if let Outcome::Skipped { reason } | Outcome::Errored { reason } = &s.outcome {
        obj.insert("reason".into(), json!(reason));
    }
    obj.insert("description".into(), json!(s.description));
    obj.insert("file".into(), json!(s.file));
    obj.insert("duration_ms".into(), json!(millis(s.duration)));
    obj.insert("findings".into(), s.findings.iter().map(finding).collect());
    v
}

fn finding(f: &Finding) -> Value {
    json!({
        "rule": f.rule,
        "message": finding_headline(f),
        "level": f.level.as_str(),
        "step": f.step,
        "expected": f.expected,
        "actual": f.actual,
        "at": f.at,
        "exchange": f.exchange,
    })
}

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The report with its verdicts folded, as `write_all` renders it.
    fn render(r: &RunReport) -> Value {
        super::render(r, &Verdicts::fold(r))
    }

    fn render_pretty(r: &RunReport) -> String {
        super::render_pretty(r, &Verdicts::fold(r))
    }
    use crate::outcome::Outcome;
    use crate::report::fixtures::{
        HOSTILE, all_outcomes, assert_golden, empty, fatal_run, hostile, report, rule, scenario,
    };
    use crate::rules::Level;

    fn verdict_of(r: &RunReport, id: &str) -> Value {
        let v = render(r);
        let rule = v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .cloned();
        rule.unwrap_or_else(|| panic!("no rule {id} in {v:#}"))["verdict"].clone()
    }

    #[test]
    fn golden_all_outcomes() {
        assert_golden("all-outcomes.json", &render_pretty(&all_outcomes()));
    }

    #[test]
    fn has_the_documented_shape() {
        let v = render(&all_outcomes());
        let keys: Vec<_> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "target",
                "profile",
                "suites_digest",
                "started_unix",
                "duration_ms",
                "requests",
                "credentialed_origins",
                "summary",
                "rule_summary",
                "rules",
                "scenarios",
                "leftovers",
                "fatal",
                "baseline"
            ]
        );
        assert_eq!(v["target"], "http://127.0.0.1:4445");
        assert_eq!(v["profile"], "ory");
        assert_eq!(v["duration_ms"], 1500);
        assert_eq!(v["requests"], 4);
        assert_eq!(v["credentialed_origins"], json!(["http://127.0.0.1:4445"]));
        assert_eq!(
            v["summary"],
            json!({"passed": 1, "failed": 1, "warned": 1, "skipped": 1, "filtered_out": 0, "errored": 1})
        );
        assert_eq!(
            v["rule_summary"],
            json!({"pass": 1, "fail": 1, "warn": 1, "skip": 2, "error": 1})
        );
        assert_eq!(
            v["rules"][1],
            json!({"id": "ory:secret-retained", "level": "MUST", "verdict": "fail",
                   "scenarios": ["put-keeps-secret"]})
        );
        assert_eq!(
            v["rules"][0]["scenarios"],
            json!(["create-returns-201", "put-keeps-secret"])
        );
        assert_eq!(
            v["rules"][5],
            json!({"id": "RFC7592-3/rat-present", "level": "MUST",
                                         "verdict": "skip", "scenarios": []})
        );
        assert_eq!(
            v["leftovers"],
            json!([{"client_id": "c1", "scenario": "put-keeps-secret", "reason": "DELETE returned 500",
                    "cause": "not_deleted"}])
        );
        assert_eq!(v["fatal"], Value::Null);
    }

    #[test]
    fn scenarios_carry_outcome_reason_and_findings() {
        let v = render(&all_outcomes());
        let s = v["scenarios"].as_array().unwrap();
        let outcomes: Vec<_> = s.iter().map(|x| x["outcome"].as_str().unwrap()).collect();
        assert_eq!(
            outcomes,
            ["passed", "failed", "warned", "errored", "skipped"]
        );
        assert!(s[0].get("reason").is_none(), "no reason for a pass");
        assert!(s[1].get("reason").is_none(), "no reason for a failure");
        assert_eq!(
            s[3]["reason"],
            "setup step \"register\" failed: connection refused"
        );
        assert_eq!(s[4]["reason"], "profile ory lacks capability jwks");
        assert_eq!(s[0]["findings"], json!([]));
        let f = &s[1]["findings"][0];
        assert_eq!(f["rule"], "ory:secret-retained");
        assert_eq!(f["level"], "MUST");
        assert_eq!(
            f["message"],
            "ory:secret-retained (MUST): expected /client_secret absent, actual \"[redacted]\""
        );
        assert_eq!(f["step"], "update without client_secret");
        assert_eq!(f["expected"], "/client_secret absent");
        assert_eq!(f["actual"], "\"[redacted]\"");
        assert_eq!(
            f["at"],
            "suites/ory/secret.json#/scenarios/1/steps/1/expect/0"
        );
        assert_eq!(f["exchange"]["request"]["method"], "PUT");
        assert_eq!(
            f["exchange"]["request"]["headers"][0],
            json!(["authorization", "Bearer [redacted]"])
        );
        assert_eq!(f["exchange"]["response"]["status"], 200);
        assert_eq!(s[1]["findings"][1]["level"], "SHOULD");
        assert_eq!(s[3]["findings"], json!([]));
    }

    #[test]
    fn rule_failing_in_one_scenario_and_passing_in_another_fails() {
        let rules = vec![rule("r", Level::Must, "s", "1", "q")];
        let mut failed = scenario("b", Outcome::Failed, &["r"]);
        let ex = crate::report::fixtures::exchange("GET", "http://x/", None, 200, "{}");
        failed.findings = vec![crate::report::fixtures::finding(
            "r",
            Level::Must,
            "e",
            "a",
            ex,
        )];
        // Either order: the worst verdict wins.
        let r = report(
            rules.clone(),
            vec![scenario("a", Outcome::Passed, &["r"]), failed.clone()],
        );
        assert_eq!(verdict_of(&r, "r"), "fail");
        let r = report(rules, vec![failed, scenario("a", Outcome::Passed, &["r"])]);
        assert_eq!(verdict_of(&r, "r"), "fail");
        assert_eq!(render(&r)["rules"][0]["scenarios"], json!(["b", "a"]));
    }

    #[test]
    fn errored_only_rule_is_error_and_skipped_only_rule_is_skip() {
        let rules = vec![
            rule("e", Level::Must, "s", "1", "q"),
            rule("k", Level::Must, "s", "1", "q"),
        ];
        let r = report(
            rules,
            vec![
                scenario(
                    "x",
                    Outcome::Errored {
                        reason: "down".into(),
                    },
                    &["e"],
                ),
                scenario(
                    "y",
                    Outcome::Skipped {
                        reason: "n/a".into(),
                    },
                    &["k"],
                ),
                scenario(
                    "z",
                    Outcome::Skipped {
                        reason: "n/a".into(),
                    },
                    &["k"],
                ),
            ],
        );
        assert_eq!(verdict_of(&r, "e"), "error");
        assert_eq!(verdict_of(&r, "k"), "skip");
        assert_eq!(
            render(&r)["rule_summary"],
            json!({"pass": 0, "fail": 0, "warn": 0, "skip": 1, "error": 1})
        );
    }

    #[test]
    fn should_finding_warns_and_must_finding_fails() {
        let v = render(&all_outcomes());
        assert_eq!(v["rules"][2]["id"], "RFC7591-3.2.2/error-json");
        assert_eq!(v["rules"][2]["level"], "SHOULD");
        assert_eq!(v["rules"][2]["verdict"], "warn");
        assert_eq!(v["rules"][3]["verdict"], "error");
        assert_eq!(v["rules"][4]["verdict"], "skip");
    }

    #[test]
    fn fatal_and_empty_runs() {
        let v = render(&fatal_run());
        assert_eq!(
            v["fatal"],
            "target http://127.0.0.1:4445 is unreachable: connection refused"
        );
        assert_eq!(v["scenarios"], json!([]));
        assert_eq!(v["rules"], json!([]));
        let v = render(&empty());
        assert_eq!(
            v["summary"],
            json!({"passed": 0, "failed": 0, "warned": 0, "skipped": 0, "filtered_out": 0, "errored": 0})
        );
        assert_eq!(v["target"], "");
    }

    #[test]
    fn hostile_text_round_trips_exactly() {
        let r = hostile();
        let s = render_pretty(&r);
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, render(&r));
        assert_eq!(back["target"], HOSTILE);
        assert_eq!(
            back["scenarios"][0]["findings"][0]["actual"]
                .as_str()
                .unwrap()
                .len(),
            r.scenarios[0].findings[0].actual.len()
        );
        assert!(s.ends_with("}\n"));
    }
}
