//! `--junit-cases`: a case per rule by default, failing exactly the failed rules; a case
//! per scenario on request; both valid against the strict schema.

use crate::common::{
    assert_junit_matches_rule_verdicts, dcrspec, junit_cases as testcases, scratch, xmllint,
};
use crate::{names_with, results, rules_with};

#[test]
fn default_junit_has_one_case_per_rule_and_fails_exactly_the_failed_rules() {
    let dir = scratch("ci", "junit-rules");
    let out = dcrspec(&["run", "--fault", "null-arrays"], &dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let junit = dir.join("reports/junit.xml");
    xmllint(&junit);
    let cases = testcases(&junit);
    let results = results(&dir);
    assert_junit_matches_rule_verdicts(&junit, &results);
    let failed = rules_with(&results, "fail");
    assert!(
        failed.contains(&"ory:client-schema".to_string()),
        "{failed:?}"
    );
    for (name, classname, _) in &cases {
        let family = name.split([':', '-']).next().unwrap();
        assert_eq!(classname, &format!("dcrspec.{family}"), "{name}");
    }
    // Many scenarios broke the one defect; it is still one failure.
    assert!(results["summary"]["failed"].as_u64().unwrap() > failed.len() as u64);
}

#[test]
fn junit_cases_scenarios_keeps_a_case_per_scenario() {
    let dir = scratch("ci", "junit-scenarios");
    let out = dcrspec(
        &[
            "run",
            "--fault",
            "null-arrays",
            "--junit-cases",
            "scenarios",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(1));
    let junit = dir.join("reports/junit.xml");
    xmllint(&junit);
    let cases = testcases(&junit);
    let results = results(&dir);
    let scenarios = results["scenarios"].as_array().unwrap();
    assert_eq!(cases.len(), scenarios.len());
    let failed = scenarios
        .iter()
        .filter(|s| s["outcome"] == "failed")
        .count();
    assert_eq!(names_with(&cases, "failure").len(), failed);

    let out = dcrspec(&["run", "--junit-cases", "nonesuch"], &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nonesuch"), "{stderr}");
}
