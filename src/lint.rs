//! The suite lint: a conformance suite tests itself. Every rule must be checked by some
//! scenario (or invariant) and broken by some fault of the reference server — a check
//! never seen to fail has not been tested. The matrix must only name rules that exist.
//! Run by `cargo test` and `dcrspec rules --check`.
//!
//! A user's suites (`--suites`, `--extra-suites`) get the user mode, [`lint_user`]: the
//! loader has already checked structure, ids and capability names, and every rule must be
//! checked by a scenario; the built-in fault matrix is not consulted, since the reference
//! server has no fault for a rule it has never heard of.

use crate::server::matrix::Entry;
use crate::suite::Suite;

/// Every problem found, one sentence each naming the rule or entry; empty when clean.
pub fn lint(suite: &Suite, matrix: &[Entry]) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in suite.catalogue.iter() {
        problems.extend(unchecked(suite, &rule.id));
        let broken = matrix
            .iter()
            .any(|e| e.fails.contains(&rule.id) || e.warns.contains(&rule.id));
        if !broken {
            problems.push(format!(
                "rule {} is broken by no fault of the reference server: nothing proves its checks can fail",
                rule.id
            ));
        }
    }
    for e in matrix {
        for id in e.fails.iter().chain(&e.warns).chain(&e.unreached) {
            if !suite.catalogue.contains(id) {
                problems.push(format!(
                    "matrix entry {} ({}) names unknown rule {id}",
                    e.fault,
                    e.label()
                ));
            }
        }
        if let Some(rule) = e
            .fails
            .iter()
            .find_map(|id| suite.catalogue.get(id))
            .filter(|r| !r.level.is_failure())
        {
            problems.push(format!(
                "matrix entry {} ({}) lists {} under fails, but it is a {} rule: it can only warn",
                e.fault,
                e.label(),
                rule.id,
                rule.level.as_str()
            ));
        }
    }
    problems
}

/// The user mode: every rule checked by some scenario or invariant, nothing about faults.
pub fn lint_user(suite: &Suite) -> Vec<String> {
    suite
        .catalogue
        .iter()
        .filter_map(|rule| unchecked(suite, &rule.id))
        .collect()
}

fn unchecked(suite: &Suite, rule: &str) -> Option<String> {
    let in_scenario = suite
        .scenarios
        .iter()
        .any(|s| s.rules.iter().any(|r| r == rule));
    let in_invariant = suite.invariants.iter().any(|i| i.rule == rule);
    (!in_scenario && !in_invariant)
        .then(|| format!("rule {rule} is checked by no scenario or invariant"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::matrix;
    use crate::suite::load;

    #[test]
    fn the_built_in_suites_pass_the_lint() {
        let problems = lint(&load::embedded().unwrap(), &matrix::embedded().unwrap());
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn a_rule_without_a_fault_or_scenario_is_named() {
        let mut files: Vec<(String, String)> = crate::suite::embedded::FILES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        files.push((
            "extra.json".into(),
            r#"{"rules": [{"id": "x:untested", "level": "MUST", "source": "S", "section": "1", "quote": "q"}]}"#.into(),
        ));
        let suite = load::from_sources(files).unwrap();
        let problems = lint(&suite, &matrix::embedded().unwrap());
        assert!(
            problems
                .iter()
                .any(|p| p == "rule x:untested is checked by no scenario or invariant"),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("rule x:untested is broken by no fault")),
            "{problems:?}"
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn the_user_mode_names_an_unchecked_rule_and_ignores_faults() {
        let files = vec![(
            "mine.json".to_string(),
            r#"{"rules": [{"id": "x:untested", "level": "MUST", "source": "S", "section": "1", "quote": "q"}]}"#
                .to_string(),
        )];
        let suite = load::from_sources(files).unwrap();
        assert_eq!(
            lint_user(&suite),
            vec!["rule x:untested is checked by no scenario or invariant".to_string()]
        );
        // The built-in suites are clean in user mode too (and have no fault to find there).
        assert!(lint_user(&load::embedded().unwrap()).is_empty());
    }

    #[test]
    fn a_matrix_naming_an_unknown_rule_is_refused() {
        let mut entries = matrix::embedded().unwrap();
        entries[0].fails.insert("ory:nonesuch".into());
        let problems = lint(&load::embedded().unwrap(), &entries);
        assert!(
            problems
                .iter()
                .any(|p| p.ends_with("names unknown rule ory:nonesuch")),
            "{problems:?}"
        );
    }
}
