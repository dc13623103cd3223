//! What a CI pipeline reads from the binary: JUnit by rule (the default) or by scenario
//! (`junit`); under GitHub Actions, workflow commands and the step summary (`github`); and
//! the composite action's run step (`action`).

#[path = "../common/mod.rs"]
mod common;

mod action;
mod github;
mod junit;

use std::path::Path;

use serde_json::Value;

/// The JSON report a run wrote in `dir`.
pub fn results(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
        .unwrap()
}

/// The ids of the rules with `verdict` in results.json, sorted.
pub fn rules_with(results: &Value, verdict: &str) -> Vec<String> {
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

/// The names of the test cases whose result element is `element` ("" for a pass), sorted.
pub fn names_with(cases: &[(String, String, String)], element: &str) -> Vec<String> {
    let mut names: Vec<String> = cases
        .iter()
        .filter(|c| c.2 == element)
        .map(|c| c.0.clone())
        .collect();
    names.sort();
    names
}

/// The title of each `::error` / `::warning` line dcrspec wrote (`%3A` and `%2C` decoded).
pub fn workflow_commands(stdout: &str, kind: &str) -> Vec<String> {
    let prefix = format!("::{kind} title=");
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|rest| {
            let title = &rest[..rest.find("::").expect("a message follows the title")];
            title.replace("%3A", ":").replace("%2C", ",")
        })
        .collect()
}
