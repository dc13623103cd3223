//! `dcrspec rules`: every rule with its level, source and the scenarios that check it.

use crate::cli::RulesArgs;
use crate::fuzz::{self, Property};
use crate::rules::Rule;
use crate::suite::{Suite, load};

pub fn rules(args: RulesArgs) -> u8 {
    let suite = match &args.suites {
        Some(dir) => load::from_dir(dir),
        None => load::embedded(),
    };
    match suite {
        Ok(s) => {
            print!("{}", table(&s));
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
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

fn table(suite: &Suite) -> String {
    let mut out = String::new();
    for rule in suite.catalogue.iter() {
        push_rule(&mut out, rule);
        let cov = coverage(suite, &rule.id);
        if cov.is_empty() {
            out.push_str("    scenarios: NONE\n");
        } else {
            out.push_str(&format!("    scenarios: {}\n", cov.join(", ")));
        }
    }
    // The fuzz rules: checked by `dcrspec fuzz`, not by scenarios.
    for rule in fuzz::catalogue().iter() {
        push_rule(&mut out, rule);
        let properties: Vec<&str> = Property::ALL
            .into_iter()
            .filter(|p| p.rules().contains(&rule.id.as_str()))
            .map(Property::id)
            .collect();
        out.push_str(&format!("    dcrspec fuzz: {}\n", properties.join(", ")));
    }
    out
}

fn push_rule(out: &mut String, rule: &Rule) {
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
}
