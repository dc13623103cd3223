//! Baseline comparison: exact match passes, a new failure and a stale entry do not.

use super::*;
use crate::outcome::{Exchange, Finding, Outcome, RequestRecord, ScenarioResult};
use crate::rules::{Catalogue, Level, Rule};
use crate::verdict::Verdict;
use crate::verdict::Verdicts;

fn rule(id: &str) -> Rule {
    Rule {
        id: id.into(),
        level: Level::Must,
        source: "S".into(),
        section: "1".into(),
        quote: "q".into(),
        summary: None,
    }
}

fn scenario(id: &str, rules: &[&str], failing: &[&str], outcome: Outcome) -> ScenarioResult {
    let exchange = Exchange {
        request: RequestRecord {
            method: "GET".into(),
            url: "http://x".into(),
            headers: vec![],
            body: None,
        },
        response: None,
        error: None,
        elapsed_ms: 0,
    };
    ScenarioResult {
        id: id.into(),
        description: String::new(),
        file: "f.json".into(),
        rules: rules.iter().map(|r| r.to_string()).collect(),
        outcome,
        findings: failing
            .iter()
            .map(|r| Finding {
                rule: r.to_string(),
                level: Level::Must,
                step: "s".into(),
                expected: "e".into(),
                actual: "a".into(),
                at: "x".into(),
                exchange: exchange.clone(),
            })
            .collect(),
        checked: rules.iter().map(|r| r.to_string()).collect(),
        exchanges: vec![],
        duration: Default::default(),
        broken_checks: Vec::new(),
    }
}

fn report(scenarios: Vec<ScenarioResult>) -> RunReport {
    RunReport {
        target: "t".into(),
        profile: "p".into(),
        started_unix: 0,
        duration: Default::default(),
        catalogue: Catalogue::new(vec![rule("r:a"), rule("r:b")]),
        scenarios,
        leftovers: vec![],
        fatal: None,
        requests: 0,
        credentialed_origins: Vec::new(),
        baseline: None,
    }
}

const BASE: &str = r#"
[[expected]]
rule = "r:a"
verdict = "fail"
reason = "known server bug #1"
"#;

fn compare(b: &Baseline, r: &RunReport) -> Comparison {
    b.compare(r, &Verdicts::fold(r))
}

#[test]
fn exactly_the_listed_failures_pass() {
    let b = Baseline::parse(BASE, "b.toml").unwrap();
    let r = report(vec![scenario(
        "s1",
        &["r:a", "r:b"],
        &["r:a"],
        Outcome::Failed,
    )]);
    let c = compare(&b, &r);
    assert_eq!(
        (c.new.len(), c.stale.len(), c.matched, c.exit_code()),
        (0, 0, 1, 0),
        "{c:?}"
    );
}

#[test]
fn one_defect_in_many_scenarios_is_one_entry() {
    let r = report(vec![
        scenario("s1", &["r:a"], &["r:a"], Outcome::Failed),
        scenario("s2", &["r:a"], &["r:a"], Outcome::Failed),
        scenario("s3", &["r:a", "r:b"], &["r:a"], Outcome::Failed),
    ]);
    let written = observed(&Verdicts::fold(&r));
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(
        (written[0].rule.as_str(), written[0].scenario.as_ref()),
        ("r:a", None)
    );
    // The one entry, with a reason, accepts all three.
    let b = Baseline::parse(BASE, "b.toml").unwrap();
    let c = compare(&b, &r);
    assert_eq!((c.matched, c.exit_code()), (1, 0), "{c:?}");
}

#[test]
fn what_write_baseline_records_is_refused_until_edited() {
    let r = report(vec![scenario("s1", &["r:a"], &["r:a"], Outcome::Failed)]);
    let written = render(&observed(&Verdicts::fold(&r)));
    let err = Baseline::parse(&written, "b.toml").unwrap_err().to_string();
    assert!(err.starts_with("b.toml: entry 1 (r:a): "), "{err}");
    assert!(err.contains("replace the TODO placeholder"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let edited = written.replace(PASTE_REASON, "upstream bug #7, fixed in 2.4");
    let b = Baseline::parse(&edited, "b.toml").unwrap();
    assert_eq!(compare(&b, &r).exit_code(), 0);
}

#[test]
fn a_new_failure_is_reported_paste_ready() {
    let b = Baseline::parse(BASE, "b.toml").unwrap();
    let r = report(vec![scenario(
        "s1",
        &["r:a", "r:b"],
        &["r:a", "r:b"],
        Outcome::Failed,
    )]);
    let c = compare(&b, &r);
    assert_eq!(c.exit_code(), 1);
    assert_eq!(c.new.len(), 1);
    let pasted = render(&c.new);
    assert!(
        pasted.contains("rule = \"r:b\"") && pasted.contains("[[expected]]"),
        "{pasted}"
    );
    assert!(!pasted.contains("scenario"), "{pasted}");
    assert!(
        Baseline::parse(&pasted, "p").is_err(),
        "a TODO reason is refused"
    );
    assert!(Baseline::parse(&pasted.replace(PASTE_REASON, "accepted: bug #2"), "p").is_ok());
}

#[test]
fn a_fixed_failure_makes_its_entry_stale() {
    let b = Baseline::parse(BASE, "b.toml").unwrap();
    let r = report(vec![scenario("s1", &["r:a", "r:b"], &[], Outcome::Passed)]);
    let c = compare(&b, &r);
    assert_eq!((c.stale.len(), c.exit_code()), (1, 1), "{c:?}");
}

#[test]
fn a_skipped_scenario_does_not_make_its_entry_stale() {
    let b = Baseline::parse(BASE, "b.toml").unwrap();
    let r = report(vec![scenario(
        "s1",
        &["r:a"],
        &[],
        Outcome::Skipped {
            reason: "filtered out".into(),
        },
    )]);
    assert_eq!(compare(&b, &r).exit_code(), 0);
}

#[test]
fn a_new_error_exits_2() {
    let b = Baseline::default();
    let r = report(vec![scenario(
        "s1",
        &["r:a"],
        &[],
        Outcome::Errored {
            reason: "refused".into(),
        },
    )]);
    let c = compare(&b, &r);
    assert_eq!((c.new[0].verdict, c.exit_code()), (Verdict::Error, 2));
}

const IN_S1: &str = r#"
[[expected]]
rule = "r:a"
scenario = "s1"
verdict = "fail"
reason = "only this scenario's probe trips a known bug"
"#;

#[test]
fn a_scenario_entry_accepts_that_scenario_only() {
    let b = Baseline::parse(IN_S1, "b.toml").unwrap();
    let r = report(vec![
        scenario("s1", &["r:a"], &["r:a"], Outcome::Failed),
        scenario("s2", &["r:a"], &[], Outcome::Passed),
    ]);
    assert_eq!(compare(&b, &r).exit_code(), 0);
    // The same rule failing in another scenario is new, named with that scenario.
    let r = report(vec![
        scenario("s1", &["r:a"], &["r:a"], Outcome::Failed),
        scenario("s2", &["r:a"], &["r:a"], Outcome::Failed),
    ]);
    let c = compare(&b, &r);
    assert_eq!(c.exit_code(), 1);
    assert_eq!(c.new[0].scenario.as_deref(), Some("s2"), "{c:?}");
    // Fixed in s1: stale.
    let r = report(vec![scenario("s1", &["r:a"], &[], Outcome::Passed)]);
    assert_eq!(compare(&b, &r).stale.len(), 1);
}

#[test]
fn bad_baselines_are_refused_with_their_place() {
    let no_reason = BASE.replace("known server bug #1", " ");
    assert!(
        Baseline::parse(&no_reason, "b.toml")
            .unwrap_err()
            .to_string()
            .contains("needs a reason")
    );
    let err = Baseline::parse("[[expected]]\nrule = 1\n", "b.toml")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("b.toml: line 2"), "{err}");
    let twice = format!("{BASE}{BASE}");
    assert!(
        Baseline::parse(&twice, "b.toml")
            .unwrap_err()
            .to_string()
            .contains("listed twice")
    );
    let both = format!("{BASE}{IN_S1}");
    assert!(
        Baseline::parse(&both, "b.toml")
            .unwrap_err()
            .to_string()
            .contains("also accepted as a whole")
    );
    let pass = BASE.replace("\"fail\"", "\"pass\"");
    let err = Baseline::parse(&pass, "b.toml").unwrap_err().to_string();
    assert!(err.contains("must be \"fail\" or \"error\""), "{err}");
    let unknown = BASE.replace("\"fail\"", "\"broken\"");
    assert!(Baseline::parse(&unknown, "b.toml").is_err());
}
