//! Every check proven able to fail: the suite runs against the reference server with
//! each fault planted, and the rule verdicts must be exactly those the matrix
//! (src/server/matrix_data/*.json) lists — every listed rule breaks, no other rule does.
//! Then every scenario must have been failed (or warned) by at least one fault.
//! `DCRSPEC_BLESS=1` rewrites the `unreached` lists to what the runs gave (CONTRIBUTING.md).
//! That every fault has entries, under the flavors it shows in, is a unit test of
//! `server::matrix`.

use std::collections::BTreeSet;
use std::path::Path;

use dcrspec::outcome::{Outcome, RunReport};
use dcrspec::server::Faults;
use dcrspec::server::matrix::{self, Entry};
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

/// `DCRSPEC_BLESS=1`: rewrite each entry's `unreached` list to what the run gave. Only
/// those: which rules a fault fails or warns is the claim the matrix makes, so a change
/// there stays a test failure for a person to judge; which rules a broken precondition
/// leaves unjudged is bookkeeping.
fn blessing() -> bool {
    std::env::var_os("DCRSPEC_BLESS").is_some()
}

#[test]
fn every_fault_breaks_exactly_the_rules_the_matrix_lists_and_every_scenario_can_fail() {
    let bless = blessing();
    let mut files = matrix::files().unwrap();
    let mut problems = Vec::new();
    let mut blessed = Vec::new();
    let mut broken_scenarios = BTreeSet::new();
    let mut killed_checks = BTreeSet::new();
    let mut count = 0;
    for file in &mut files {
        let mut changed = false;
        for entry in &mut file.entries {
            count += 1;
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
            if bless && entry.unreached != seen.unreached {
                entry.unreached = seen.unreached.clone();
                changed = true;
            }
            problems.extend(matrix::compare(entry, &seen));
            for s in &report.scenarios {
                if matches!(s.outcome, Outcome::Failed | Outcome::Warned) {
                    broken_scenarios.insert(s.id.clone());
                }
                killed_checks.extend(s.findings.iter().map(|f| f.at.clone()));
            }
        }
        if changed {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file.path);
            std::fs::write(&path, matrix::render(file)).unwrap();
            blessed.push(file.path);
        }
    }
    if bless {
        eprintln!("fault matrix: blessed the unreached lists of {blessed:?}");
    }
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}{}",
        problems.len(),
        problems.join("\n"),
        if bless {
            ""
        } else {
            "\n(if only 'error' verdicts differ, `DCRSPEC_BLESS=1 cargo test --test fault_matrix` \
             rewrites the unreached lists; see CONTRIBUTING.md)"
        }
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
        "fault matrix: {count} entries; {killed} of {} rule checks broken by some fault",
        checks.len()
    );
}
