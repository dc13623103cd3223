//! What a CI pipeline reads from the binary: JUnit by rule (the default) or by scenario,
//! and, under GitHub Actions, workflow commands and the step summary.

mod common;

use std::path::Path;

use common::{dcrspec, scratch, xmllint};
use serde_json::Value;

fn results(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
        .unwrap()
}

/// `(name, classname, result element or "")` of every testcase in a JUnit file.
fn testcases(file: &Path) -> Vec<(String, String, String)> {
    use quick_xml::events::Event;
    let xml = std::fs::read_to_string(file).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut cases: Vec<(String, String, String)> = Vec::new();
    let get = |e: &quick_xml::events::BytesStart, name: &str| {
        e.try_get_attribute(name)
            .unwrap()
            .unwrap()
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .unwrap()
            .into_owned()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testcase" => cases.push((get(&e, "name"), get(&e, "classname"), String::new())),
                n @ (b"failure" | b"error" | b"skipped") => {
                    cases.last_mut().unwrap().2 = String::from_utf8(n.to_vec()).unwrap();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    cases
}

/// The ids of the rules with `verdict` in results.json, sorted.
fn rules_with(results: &Value, verdict: &str) -> Vec<String> {
    let mut ids: Vec<String> = results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] == verdict)
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn names_with(cases: &[(String, String, String)], element: &str) -> Vec<String> {
    let mut names: Vec<String> = cases
        .iter()
        .filter(|c| c.2 == element)
        .map(|c| c.0.clone())
        .collect();
    names.sort();
    names
}

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
    let mut rule_ids: Vec<String> = results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    rule_ids.sort();
    let mut case_names: Vec<String> = cases.iter().map(|c| c.0.clone()).collect();
    case_names.sort();
    assert_eq!(
        case_names, rule_ids,
        "one testcase per rule, named by its id"
    );
    let failed = rules_with(&results, "fail");
    assert!(
        failed.contains(&"ory:client-schema".to_string()),
        "{failed:?}"
    );
    assert_eq!(names_with(&cases, "failure"), failed);
    assert_eq!(names_with(&cases, "error"), rules_with(&results, "error"));
    assert_eq!(names_with(&cases, "skipped"), rules_with(&results, "skip"));
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
