//! The rules document (`docs/rules.md`): every rule of the built-in catalogue with its
//! level, source, quoted text, the scenarios that check it and the reference-server
//! faults proven to break it, plus the fuzz rules. Generated, so it cannot drift from
//! what dcrspec checks: `dcrspec rules --markdown` prints it, and a test compares the
//! committed file with it. Pure: a suite and a fault matrix in, Markdown out.

use crate::commands::rules::coverage;
use crate::fuzz::{self, Property};
use crate::rules::Rule;
use crate::server::matrix;
use crate::suite::Suite;

/// The generated part of `docs/rules.md`: a summary table, then one entry per rule.
pub fn markdown(suite: &Suite, entries: &[matrix::Entry]) -> String {
    let fuzz_rules = fuzz::catalogue();
    let mut out = String::from("| id | level | source | what is checked |\n|---|---|---|---|\n");
    for rule in suite.catalogue.iter().chain(fuzz_rules.iter()) {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} §{} | {} |\n",
            rule.id,
            anchor(&rule.id),
            rule.level.as_str(),
            rule.source,
            rule.section,
            cell(rule.summary.as_deref().unwrap_or(&rule.quote))
        ));
    }
    for rule in suite.catalogue.iter() {
        entry_head(&mut out, rule);
        let scenarios = coverage(suite, &rule.id);
        out.push_str(&format!("- checked by: {}\n", listing(&scenarios)));
        let faults = matrix::faults_breaking(entries, &rule.id);
        out.push_str(&format!(
            "- broken by the reference-server faults: {}\n",
            listing(&faults)
        ));
    }
    for rule in fuzz_rules.iter() {
        entry_head(&mut out, rule);
        let properties: Vec<String> = Property::ALL
            .into_iter()
            .filter(|p| p.rules().contains(&rule.id.as_str()))
            .map(|p| p.id().to_string())
            .collect();
        out.push_str(&format!(
            "- checked by `dcrspec fuzz`, properties: {}\n",
            listing(&properties)
        ));
    }
    out
}

/// The heading, level line, summary and quote of one rule's entry.
fn entry_head(out: &mut String, rule: &Rule) {
    out.push_str(&format!(
        "\n### {}\n\n**{}** — {} §{}\n\n",
        rule.id,
        rule.level.as_str(),
        rule.source,
        rule.section
    ));
    if let Some(summary) = &rule.summary {
        out.push_str(&format!("{summary}\n\n"));
    }
    for line in rule.quote.lines() {
        out.push_str(&format!("> {line}\n"));
    }
    out.push('\n');
}

/// GitHub's heading anchor for a rule id: lower case, punctuation other than `-` and
/// `_` dropped (`ory:secret-echo` → `orysecret-echo`, `RFC7591-3.2.1-a` → `rfc7591-321-a`).
fn anchor(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Text made safe for one Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn listing(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_githubs_heading_ids() {
        assert_eq!(anchor("ory:secret-echo-on-set"), "orysecret-echo-on-set");
        assert_eq!(anchor("RFC7591-3.2.1-a"), "rfc7591-321-a");
        assert_eq!(anchor("fuzz:valid_x"), "fuzzvalid_x");
    }

    #[test]
    fn cells_escape_pipes_and_fold_lines() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
