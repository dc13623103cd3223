//! `dcrspec rules`: every rule with its level, source, the scenarios that check it and
//! the reference-server faults that break it; `--check` runs the suite lint (the user mode
//! for `--suites` and `--extra-suites`, see `lint.rs`); `--markdown` prints the rules document.

use crate::cli::RulesArgs;
use crate::error::CliError;
use crate::fuzz::{self, Property};
use crate::lint;
use crate::server::matrix;
use crate::suite::{Suite, sources};

pub fn rules(args: RulesArgs) -> Result<u8, CliError> {
    // A user's suites get the user lint: no built-in fault breaks a rule of theirs.
    let user = args.suites.is_some() || !args.extra_suites.is_empty();
    let suite = sources::load(args.suites.as_deref(), &args.extra_suites)?;
    let entries = matrix::embedded()?;
    let record = matrix::proven::embedded()?;
    let backlog = matrix::proven::backlog()?;
    if args.check {
        let (mode, problems, clean) = if user {
            (
                "user mode: structure, ids, capabilities, every rule checked; the built-in fault matrix is not consulted",
                lint::lint_user(&suite),
                "each checked by a scenario or invariant",
            )
        } else {
            (
                "built-in mode: structure, ids, capabilities, every rule checked and broken by a fault of the reference server, every check broken by a fault or marked unfalsifiable",
                lint::lint(&suite, &entries, &record, &backlog),
                "each checked by a scenario and broken by a fault",
            )
        };
        eprintln!("lint ({mode})");
        if !user {
            // The figure, whether or not the lint passes: how much of the suite is proven.
            eprintln!(
                "lint: {}",
                lint::figure(&suite, &record, &backlog).summary()
            );
        }
        for p in &problems {
            eprintln!("lint: {p}");
        }
        if !problems.is_empty() {
            eprintln!("error: the suite lint found {} problem(s)", problems.len());
            return Ok(1);
        }
        eprintln!("lint: {} rules, {clean}", suite.catalogue.len());
        return Ok(0);
    }
    if args.markdown {
        print!("{}", crate::rules_doc::markdown(&suite, &entries));
        return Ok(0);
    }
    print!("{}", table(&suite, &entries));
    Ok(0)
}

/// The scenarios checking each rule: those naming it, and "(every exchange)" for
/// rules held by an invariant.
pub fn coverage(suite: &Suite, rule: &str) -> Vec<String> {
    let mut out: Vec<String> = suite
        .scenarios
        .iter()
        .filter(|s| s.rules.iter().any(|r| r == rule))
        .map(|s| s.id.clone())
        .collect();
    for inv in suite.invariants.iter().filter(|i| i.rule == rule) {
        out.push(format!("invariant {} (every matching exchange)", inv.id));
    }
    out
}

fn table(suite: &Suite, entries: &[matrix::Entry]) -> String {
    let mut out = String::new();
    for rule in suite.catalogue.iter() {
        out.push_str(&format!(
            "{} [{}] {} §{}\n",
            rule.id,
            rule.level.as_str(),
            rule.source,
            rule.section
        ));
        if let Some(s) = &rule.summary {
            out.push_str(&format!("    {s}\n"));
        }
        out.push_str(&format!("    \"{}\"\n", rule.quote));
        let cov = coverage(suite, &rule.id);
        if cov.is_empty() {
            out.push_str("    scenarios: NONE\n");
        } else {
            out.push_str(&format!("    scenarios: {}\n", cov.join(", ")));
        }
        let faults = matrix::faults_breaking(entries, &rule.id);
        let faults = if faults.is_empty() {
            "NONE".to_string()
        } else {
            faults.join(", ")
        };
        out.push_str(&format!("    faults: {faults}\n"));
    }
    // The fuzz rules: checked by the properties of `dcrspec fuzz`, not by scenarios.
    for rule in fuzz::catalogue().iter() {
        out.push_str(&format!(
            "{} [{}] {} §{}\n",
            rule.id,
            rule.level.as_str(),
            rule.source,
            rule.section
        ));
        if let Some(s) = &rule.summary {
            out.push_str(&format!("    {s}\n"));
        }
        out.push_str(&format!("    \"{}\"\n", rule.quote));
        let properties: Vec<&str> = Property::ALL
            .into_iter()
            .filter(|p| p.rules().contains(&rule.id.as_str()))
            .map(Property::id)
            .collect();
        out.push_str(&format!("    dcrspec fuzz: {}\n", properties.join(", ")));
    }
    out
}
