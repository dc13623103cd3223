//! Every check proven able to fail: the suite runs against the reference server with
//! each fault planted, and the rule verdicts must be exactly those the matrix
//! (src/server/matrix_data/*.json) lists — every listed rule breaks, no other rule does.
//! Then every scenario must have been failed (or warned) by at least one fault.

use std::collections::BTreeSet;

use dcrspec::outcome::{Outcome, RunReport};
use dcrspec::server::matrix::{self, Entry};
use dcrspec::server::{Fault, Faults};
use dcrspec::session::{self, Inputs};

fn run(entry: &Entry) -> RunReport {
    let mut inputs = Inputs::built_in(&entry.profile).unwrap();
    inputs.profile.enabled = entry.enabled;
    inputs
        .profile
        .capabilities
        .extend(entry.capabilities.iter().cloned());
    let faults = Faults::from_names(&[entry.fault.as_str()]).unwrap();
    session::against_reference(inputs, faults).unwrap().report
}

#[test]
fn every_fault_breaks_exactly_the_rules_the_matrix_lists_and_every_scenario_can_fail() {
    let entries = matrix::embedded().unwrap();
    let mut problems = Vec::new();
    let mut broken_scenarios = BTreeSet::new();
    let mut killed_checks = BTreeSet::new();
    for entry in &entries {
        let report = run(entry);
        let seen = matrix::seen(&report);
        if std::env::var_os("DCRSPEC_MATRIX_PRINT").is_some() {
            eprintln!(
                "{} {} {}: fails {:?} warns {:?} unreached {:?}",
                entry.fault,
                entry.label(),
                entry.enabled,
                seen.fails,
                seen.warns,
                seen.unreached
            );
        }
        problems.extend(matrix::compare(entry, &seen));
        for s in &report.scenarios {
            if matches!(s.outcome, Outcome::Failed | Outcome::Warned) {
                broken_scenarios.insert(s.id.clone());
            }
            killed_checks.extend(s.findings.iter().map(|f| f.at.clone()));
        }
    }
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );

    let suite = dcrspec::suite::load::embedded().unwrap();
    let never: Vec<&str> = suite
        .scenarios
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| !broken_scenarios.contains(*id))
        .collect();
    assert!(
        never.is_empty(),
        "scenarios no fault ever fails (their checks are unproven): {never:?}"
    );

    // How many individual checks some fault has broken: reported, not asserted — a
    // scenario stops at its first broken MUST check, so later checks of the same
    // scenario are often shadowed rather than untested.
    let checks: Vec<&str> = suite
        .scenarios
        .iter()
        .flat_map(|s| s.steps.iter().flat_map(|st| st.expect.iter()))
        .filter(|e| e.rule.is_some())
        .map(|e| e.at.as_str())
        .collect();
    let killed = checks
        .iter()
        .filter(|at| killed_checks.contains(**at))
        .count();
    eprintln!(
        "fault matrix: {} entries; {killed} of {} rule checks broken by some fault",
        entries.len(),
        checks.len()
    );
}

#[test]
fn every_fault_is_in_the_matrix() {
    let entries = matrix::embedded().unwrap();
    let missing: Vec<&str> = Fault::all()
        .iter()
        .map(|f| f.name())
        .filter(|n| !entries.iter().any(|e| e.fault == *n))
        .collect();
    assert!(
        missing.is_empty(),
        "faults with no matrix entry: {missing:?}"
    );
}
