//! `dcrspec rules`: every rule with its level, source, the scenarios that check it and
//! the reference-server faults that break it; `--check` runs the suite lint; `--markdown`
//! prints the rules document.

use crate::cli::RulesArgs;
use crate::error::CliError;
use crate::fuzz::{self, Property};
use crate::lint;
use crate::server::matrix;
use crate::suite::{Suite, load};

pub fn rules(args: RulesArgs) -> Result<u8, CliError> {
    let suite = match &args.suites {
        Some(dir) => load::from_dir(dir)?,
        None => load::embedded()?,
    };
    let entries = matrix::embedded()?;
    if args.check {
        let problems = lint::lint(&suite, &entries);
        for p in &problems {
            eprintln!("lint: {p}");
        }
        if !problems.is_empty() {
            eprintln!("error: the suite lint found {} problem(s)", problems.len());
            return Ok(1);
        }
        eprintln!(
            "lint: {} rules, each checked by a scenario and broken by a fault",
            suite.catalogue.len()
        );
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
