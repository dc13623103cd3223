//! The evidence report: Markdown for auditors, one section per rule.
//!
//! A header (target, profile, date, dcrspec version, suites digest, counts), a table of
//! every catalogue rule with its level, verdict and scenarios, then per rule its quote,
//! source and section and, for each finding against it, expected against actual and the
//! exchange. A last section lists every scenario with its outcome and all its exchanges,
//! so a pass is backed by evidence as much as a failure. Exchanges were redacted before
//! they reached the [`RunReport`]; they are printed as recorded, bodies cut at
//! [`BODY_LIMIT`].
//!
//! Server text is passed through [`clean`] and placed where Markdown cannot be broken
//! by it: in fenced blocks whose fence is longer than any backtick run inside, in code
//! spans sized the same way, and in table cells with `|` escaped and newlines folded.

use std::fmt::Write as _;

use super::exchange::{request_text, response_text};
use super::{clean, truncate, utc_fields};
use crate::outcome::{Exchange, Outcome, RunReport};
use crate::verdict::Verdict;
use crate::verdict::{Verdicts, outcome_counts, scenario_rule_verdict};

/// How much of a body the evidence report shows, in bytes.
pub const BODY_LIMIT: usize = 8 * 1024;

/// The Markdown evidence report. Deterministic: the date is `report.started_unix`.
pub fn render(report: &RunReport, verdicts: &Verdicts) -> String {
    let mut out = String::new();
    let verdicts = &verdicts.rules;
    let (y, mo, d, h, mi, s) = utc_fields(report.started_unix);
    let c = outcome_counts(report);

    out.push_str("# dcrspec evidence report\n\n");
    out.push_str("| | |\n|---|---|\n");
    let _ = writeln!(out, "| Target | {} |", code(&report.target));
    let _ = writeln!(out, "| Profile | {} |", code(&report.profile));
    let _ = writeln!(
        out,
        "| Date | {y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC |"
    );
    let _ = writeln!(out, "| dcrspec | {} |", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(
        out,
        "| Suites | {} |",
        report
            .catalogue
            .digest()
            .map_or_else(|| "(not from files)".to_string(), code)
    );
    let _ = writeln!(out, "| Duration | {:.3} s |", report.duration.as_secs_f64());
    let _ = writeln!(out, "| Requests | {} |", report.requests);
    // Which origins were handed a credential: the target's, and any --allow-origin one
    // the run used. An auditor checks here that no token went anywhere unexpected.
    let origins: Vec<String> = report
        .credentialed_origins
        .iter()
        .map(|o| code(o))
        .collect();
    let origins = if origins.is_empty() {
        "none".to_string()
    } else {
        origins.join(", ")
    };
    let _ = writeln!(out, "| Credentials sent to | {origins} |");
    let _ = writeln!(
        out,
        "| Scenarios | {} passed, {} failed, {} warned, {} skipped, {} errored |",
        c["passed"], c["failed"], c["warned"], c["skipped"], c["errored"]
    );
    let _ = writeln!(
        out,
        "| Rules | {} fail, {} error, {} warn, {} pass, {} skip |",
        verdicts
            .iter()
            .filter(|v| v.verdict == Verdict::Fail)
            .count(),
        verdicts
            .iter()
            .filter(|v| v.verdict == Verdict::Error)
            .count(),
        verdicts
            .iter()
            .filter(|v| v.verdict == Verdict::Warn)
            .count(),
        verdicts
            .iter()
            .filter(|v| v.verdict == Verdict::Pass)
            .count(),
        verdicts
            .iter()
            .filter(|v| v.verdict == Verdict::Skip)
            .count(),
    );

    if let Some(fatal) = &report.fatal {
        out.push_str("\n## Fatal error\n\nThe run could not complete:\n\n");
        push_block(&mut out, "text", fatal);
    }
    let kept: Vec<_> = report.registration_only_leftovers().collect();
    if !kept.is_empty() {
        let _ = writeln!(
            out,
            "\n## Clients left on a registration-only server\n\nThe profile has no client \
             configuration endpoint (RFC 7592 is optional), so dcrspec cannot delete what it \
             registers: the run left {} client(s) on the server. That is expected, not an \
             error.\n\n| Client | Scenario |\n|---|---|",
            kept.len()
        );
        for l in kept {
            let _ = writeln!(out, "| {} | {} |", code(&l.client_id), code(&l.scenario));
        }
    }
    let undeleted: Vec<_> = report.undeleted().collect();
    if !undeleted.is_empty() {
        out.push_str("\n## Leftover clients\n\nCreated by the run and not deleted:\n\n");
        out.push_str("| Client | Scenario | Reason |\n|---|---|---|\n");
        for l in undeleted {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                code(&l.client_id),
                code(&l.scenario),
                cell(&l.reason)
            );
        }
    }

    out.push_str("\n## Rules\n\n| Rule | Level | Verdict | Scenarios |\n|---|---|---|---|\n");
    for v in verdicts {
        let scenarios: Vec<_> = v.scenarios.iter().map(|s| code(s)).collect();
        let scenarios = if scenarios.is_empty() {
            "(none)".to_string()
        } else {
            scenarios.join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {scenarios} |",
            code(&v.id),
            v.level.as_str(),
            verdict_cell(v.verdict),
        );
    }

    for (rule, v) in report.catalogue.iter().zip(verdicts) {
        let _ = writeln!(
            out,
            "\n### {} ({}, {})\n",
            code(&rule.id),
            rule.level.as_str(),
            v.verdict.as_str()
        );
        let _ = writeln!(
            out,
            "Source: {}, section {}\n",
            clean(&rule.source),
            clean(&rule.section)
        );
        for line in clean(&rule.quote).lines() {
            let _ = writeln!(out, "> {line}");
        }
        if let Some(summary) = &rule.summary {
            let _ = writeln!(out, "\nChecked: {}", clean(summary));
        }
        out.push('\n');
        if v.scenarios.is_empty() {
            out.push_str("No scenario checks this rule in this run.\n");
        }
        for s in report
            .scenarios
            .iter()
            .filter(|s| v.scenarios.contains(&s.id))
        {
            let verdict = scenario_rule_verdict(s, &rule.id).map_or("none", Verdict::as_str);
            let _ = writeln!(out, "- {}: {} ({})", code(&s.id), verdict, s.outcome.name());
        }
        for s in &report.scenarios {
            for f in s.findings.iter().filter(|f| f.rule == rule.id) {
                let _ = writeln!(
                    out,
                    "\n#### Finding in {}, step {}\n",
                    code(&s.id),
                    code(&f.step)
                );
                let _ = writeln!(out, "- Level: {}", f.level.as_str());
                let _ = writeln!(
                    out,
                    "- Expected: {}",
                    code(&truncate(&f.expected, BODY_LIMIT))
                );
                let _ = writeln!(out, "- Actual: {}", code(&truncate(&f.actual, BODY_LIMIT)));
                let _ = writeln!(out, "- At: {}\n", code(&f.at));
                push_exchange(&mut out, &f.exchange);
            }
        }
    }

    if !report.scenarios.is_empty() {
        out.push_str("\n## Scenarios\n");
    }
    for s in &report.scenarios {
        let _ = writeln!(out, "\n### {} ({})\n", code(&s.id), s.outcome.name());
        let _ = writeln!(out, "{}\n", clean(&s.description).replace('\n', " "));
        let _ = writeln!(out, "- Suite: {}", code(&s.file));
        let _ = writeln!(out, "- Duration: {:.3} s", s.duration.as_secs_f64());
        if let Outcome::Skipped { reason } | Outcome::Errored { reason } = &s.outcome {
            let _ = writeln!(out, "- Reason: {}", code(reason));
        }
        let _ = writeln!(out, "- Exchanges: {}", s.exchanges.len());
        for (n, ex) in s.exchanges.iter().enumerate() {
            let _ = writeln!(out, "\n#### Exchange {}\n", n + 1);
            push_exchange(&mut out, ex);
        }
    }
    out
}

fn verdict_cell(v: Verdict) -> String {
    match v {
        Verdict::Fail | Verdict::Error => format!("**{}**", v.as_str()),
        _ => v.as_str().to_string(),
    }
}

/// The request and the response (or transport error) as two `http` blocks.
fn push_exchange(out: &mut String, ex: &Exchange) {
    push_block(out, "http", &request_text(&ex.request, BODY_LIMIT));
    out.push('\n');
    push_block(out, "http", &response_text(ex, BODY_LIMIT));
}

/// A fenced block whose fence is longer than any backtick run in `text`.
pub(crate) fn push_block(out: &mut String, lang: &str, text: &str) {
    let text = clean(text);
    let fence = "`".repeat(longest_backtick_run(&text).max(2) + 1);
    let _ = writeln!(
        out,
        "{fence}{lang}\n{}\n{fence}",
        text.trim_end_matches('\n')
    );
}

/// One-line inline code that no backtick, pipe or newline in `s` can break.
pub(crate) fn code(s: &str) -> String {
    let s = cell(s);
    if s.is_empty() {
        return "(empty)".into();
    }
    let ticks = "`".repeat(longest_backtick_run(&s) + 1);
    // A space on each side keeps a leading or trailing backtick out of the fence.
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// Text safe in a table cell: cleaned, on one line, `|` escaped.
pub(crate) fn cell(s: &str) -> String {
    clean(s)
        .replace("\r\n", " ")
        .replace(['\n', '\r'], " ")
        .replace('|', "\\|")
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests;
