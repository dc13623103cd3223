//! Every check proven able to fail: the suite runs against the reference server with
//! each fault planted, and the rule verdicts must be exactly those the matrix
//! (src/server/matrix_data/*.json) lists — every listed rule breaks, no other rule does.
//! Then every scenario must have been failed (or warned) by at least one fault.
//!
//! Each entry also runs exhaustively (`Judging::Exhaustive`: every expectation of a step,
//! every step whose preconditions hold), which must report exactly what the user run
//! reports, and which names every expectation that broke: the check-level record
//! (`matrix_data/checks.json`, which fault breaks which check) must equal what the runs
//! gave. The figure — checks proven / checks in all / marked unfalsifiable — is printed.
//! Each user run must also show, scenario by scenario, the outcome and the rules broken
//! that the scenario-level record (`matrix_data/outcomes.json`) holds: what a user's JUnit
//! report shows, so that a check whose deletion changes a test case is noticed.
//! `DCRSPEC_BLESS=1` rewrites the `unreached` lists and both records (CONTRIBUTING.md).
//! That every fault has entries, under the flavors it shows in, is a unit test of
//! `server::matrix`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use dcrspec::outcome::{Outcome, RunReport};
use dcrspec::server::Faults;
use dcrspec::server::matrix::{self, Entry, proven};
use dcrspec::session::{self, Inputs, Judging};

fn run(entry: &Entry, judging: Judging) -> RunReport {
    let mut inputs = Inputs::built_in(&entry.profile).unwrap();
    inputs.profile.enabled = entry.enabled;
    inputs
        .profile
        .capabilities
        .extend(entry.capabilities.iter().cloned());
    let faults = Faults::from_names(&[entry.fault.as_str()]).unwrap();
    let (checks, scenarios) = inputs.split();
    let session = session::reference_session(checks, faults, judging).unwrap();
    let done = session.execute(&scenarios, &entry.selection(), |_| {});
    session.finish(done, "scenario").report
}

/// What a user of a run sees, without what changes from run to run (random names in
/// the evidence, durations): each scenario's outcome, findings (rule, step, where) and
/// checked rules.
fn visible(report: &RunReport) -> Vec<String> {
    report
        .scenarios
        .iter()
        .map(|s| {
            let findings: Vec<String> = s
                .findings
                .iter()
                .map(|f| format!("{} {} at {}", f.rule, f.step, f.at))
                .collect();
            format!(
                "{}: {} {} exchanges, findings {findings:?}, checked {:?}",
                s.id,
                s.outcome.name(),
                s.exchanges.len(),
                s.checked
            )
        })
        .collect()
}

/// `DCRSPEC_BLESS=1`: rewrite each entry's `unreached` list and the check-level record
/// to what the runs gave. Only those: which rules a fault fails or warns is the claim
/// the matrix makes, so a change there stays a test failure for a person to judge;
/// which rules a broken precondition leaves unjudged, and which checks broke, is
/// bookkeeping.
fn blessing() -> bool {
    std::env::var_os("DCRSPEC_BLESS").is_some()
}

/// Both runs of every entry, in parallel (each run is mostly waiting on its server).
fn run_all(entries: &[Entry]) -> Vec<(RunReport, RunReport)> {
    common::par_map(entries, |entry| {
        (run(entry, Judging::User), run(entry, Judging::Exhaustive))
    })
}

#[test]
fn every_fault_breaks_exactly_the_rules_the_matrix_lists_and_every_check_can_fail() {
    let bless = blessing();
    let mut files = matrix::files().unwrap();
    let entries: Vec<Entry> = files.iter().flat_map(|f| f.entries.clone()).collect();
    let started = std::time::Instant::now();
    let mut runs = run_all(&entries).into_iter();
    let mut problems = Vec::new();
    let mut blessed = Vec::new();
    let mut broken_scenarios = BTreeSet::new();
    // Check (source) → the entries that broke it, in user runs and in exhaustive ones.
    let mut by_user: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut record = proven::Record::default();
    let mut outcomes = common::outcomes::Record::new();
    for file in &mut files {
        let mut changed = false;
        for entry in &mut file.entries {
            let (report, exhaustive) = runs.next().unwrap();
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
            outcomes.insert(entry.key(), common::outcomes::of(&report));
            // The exhaustive run reports what a user sees, to the finding.
            let (user_view, exhaustive_view) = (visible(&report), visible(&exhaustive));
            if user_view != exhaustive_view {
                let differ: Vec<String> = user_view
                    .iter()
                    .zip(&exhaustive_view)
                    .filter(|(a, b)| a != b)
                    .map(|(a, b)| format!("  user:       {a}\n  exhaustive: {b}"))
                    .collect();
                problems.push(format!(
                    "fault {} under {}: the exhaustive run reports differently:\n{}",
                    entry.fault,
                    entry.label(),
                    differ.join("\n")
                ));
            }
            for s in &report.scenarios {
                if matches!(s.outcome, Outcome::Failed | Outcome::Warned) {
                    broken_scenarios.insert(s.id.clone());
                }
                for c in &s.broken_checks {
                    by_user.entry(c.clone()).or_default().insert(entry.key());
                }
            }
            for s in &exhaustive.scenarios {
                for c in &s.broken_checks {
                    record
                        .checks
                        .entry(c.clone())
                        .or_default()
                        .insert(entry.key());
                }
            }
        }
        if changed {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file.path);
            std::fs::write(&path, matrix::render(file)).unwrap();
            blessed.push(file.path);
        }
    }
    let elapsed = started.elapsed();
    let shipped = proven::embedded().unwrap();
    if bless && shipped != record {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(proven::PATH);
        std::fs::write(&path, proven::render(&record)).unwrap();
        blessed.push(proven::PATH);
    } else if shipped != record {
        let mut differ = Vec::new();
        for (check, by) in &record.checks {
            match shipped.checks.get(check) {
                Some(was) if was == by => {}
                was => differ.push(format!("  {check}: recorded {was:?}, broken by {by:?}")),
            }
        }
        for check in shipped.checks.keys() {
            if !record.checks.contains_key(check) {
                differ.push(format!("  {check}: recorded, broken by nothing now"));
            }
        }
        problems.push(format!(
            "the check-level record {} is not what the runs gave ({} checks differ):\n{}",
            proven::PATH,
            differ.len(),
            differ.join("\n")
        ));
    }
    let shipped = common::outcomes::committed();
    if bless && shipped != outcomes {
        common::outcomes::write(&outcomes);
        blessed.push(common::outcomes::PATH);
    } else if shipped != outcomes {
        let mut differ = Vec::new();
        for (entry, now) in &outcomes {
            let was = shipped.get(entry).cloned().unwrap_or_default();
            for (id, line) in now {
                if was.get(id) != Some(line) {
                    differ.push(format!(
                        "  {entry}: {id}: recorded {:?}, now {line}",
                        was.get(id)
                    ));
                }
            }
            for (id, line) in &was {
                if !now.contains_key(id) {
                    differ.push(format!(
                        "  {entry}: {id}: recorded {line}, now passed or skipped"
                    ));
                }
            }
        }
        for entry in shipped.keys().filter(|e| !outcomes.contains_key(*e)) {
            differ.push(format!("  {entry}: recorded, no such entry now"));
        }
        problems.push(format!(
            "the scenario-level record {} is not what the user runs gave ({} lines differ):\n{}",
            common::outcomes::PATH,
            differ.len(),
            differ.join("\n")
        ));
    }
    if bless {
        eprintln!("fault matrix: blessed {blessed:?}");
    }
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}{}",
        problems.len(),
        problems.join("\n"),
        if bless {
            ""
        } else {
            "\n(if only 'error' verdicts or the check-level record differ, \
             `DCRSPEC_BLESS=1 cargo test --test fault_matrix` rewrites them; see CONTRIBUTING.md)"
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

    // The figure. The lint (`dcrspec rules --check`) fails on a check that is neither
    // proven nor marked; here it is printed, with what a user-mode run alone would prove.
    let figure = dcrspec::lint::figure(&suite, &record, &proven::backlog().unwrap());
    let user_proven = figure
        .checks
        .iter()
        .filter(|c| by_user.contains_key(c.as_str()))
        .count();
    eprintln!(
        "fault matrix: {} entries in {:.0?}; {} (a user-mode run alone proves {user_proven})",
        entries.len(),
        elapsed,
        figure.summary(),
    );
}
