//! GitHub Actions: the workflow commands and the step summary of a run, pure functions of
//! the report and its folded verdicts. `commands::github` decides when to print them.
//!
//! - [`commands`]: one line per rule, not per scenario: `::error title=<rule>::…` for each
//!   failed rule, `::error title=<rule> (no verdict)::…` for each errored one,
//!   `::warning title=<rule>::…` for each warned one; then the fatal error and each leftover
//!   client. GitHub shows them as annotations on the run.
//! - [`step_summary`]: Markdown for `$GITHUB_STEP_SUMMARY`: the counts, the failed (errored,
//!   warned) rule table, the baseline's compatibility with paste-ready new entries, the
//!   leftover clients and the fatal error.
//! - [`stop_commands`] / [`resume_commands`]: the lines that make GitHub ignore workflow
//!   commands in between, so a server cannot smuggle `::error` or `::add-mask` lines into
//!   the log through a response body echoed in a finding.
//!
//! Server text is hostile: in a command it is `clean`ed and escaped as GitHub's toolkit
//! does (`%`, CR and LF in the message; also `:` and `,` in properties), so it stays on
//! its line; in the Markdown it sits in code spans (`evidence::code`) that no backtick, pipe or
//! newline can break, so it cannot become markup or HTML.

use std::fmt::Write as _;

use super::evidence::{code, push_block};
use super::{clean, first_line, no_verdict_reason, truncate};
use crate::baseline;
use crate::outcome::RunReport;
use crate::verdict::Verdict;
use crate::verdict::{RuleVerdict, Verdicts, outcome_counts};

/// The workflow command lines of a run, each ending in a newline.
pub fn commands(report: &RunReport, verdicts: &Verdicts) -> String {
    let mut out = String::new();
    for rv in verdicts.with(Verdict::Fail) {
        push_command(
            &mut out,
            "error",
            &rule_title(rv),
            &rule_message(rv, report),
        );
    }
    for rv in verdicts.with(Verdict::Error) {
        let title = format!("{} (no verdict)", rv.id);
        push_command(&mut out, "error", &title, &rule_message(rv, report));
    }
    for rv in verdicts.with(Verdict::Warn) {
        push_command(
            &mut out,
            "warning",
            &rule_title(rv),
            &rule_message(rv, report),
        );
    }
    if let Some(fatal) = &report.fatal {
        push_command(&mut out, "error", "dcrspec", fatal);
    }
    if let Some(line) = super::text::registration_only_line(report) {
        // Expected on a registration-only server: a notice, not a warning.
        push_command(&mut out, "notice", "dcrspec registration-only", &line);
    }
    for l in report.undeleted() {
        let message = format!(
            "client {} from scenario {} was not deleted: {}",
            l.client_id, l.scenario, l.reason
        );
        push_command(&mut out, "warning", "dcrspec leftover client", &message);
    }
    out
}

/// `::stop-commands::<token>`: GitHub ignores workflow commands until `::<token>::`.
pub fn stop_commands(token: &str) -> String {
    format!("::stop-commands::{token}\n")
}

/// `::<token>::`: workflow commands count again.
pub fn resume_commands(token: &str) -> String {
    format!("::{token}::\n")
}

fn rule_title(rv: &RuleVerdict) -> String {
    format!("{} ({})", rv.id, rv.level.as_str())
}

/// A few lines: the quote, where the rule broke with its first finding and how many
/// more, and where it reached no verdict.
fn rule_message(rv: &RuleVerdict, report: &RunReport) -> String {
    let mut m = String::new();
    if let Some(rule) = report.catalogue.get(&rv.id) {
        let _ = writeln!(
            m,
            "\"{}\" ({}, {})",
            first_line(&rule.quote, 300),
            rule.source,
            rule.section
        );
    }
    let findings: Vec<_> = rv.findings(report).collect();
    if let Some((s, f)) = findings.first() {
        let _ = writeln!(
            m,
            "Broke in {} scenario(s); first in {}, step {}: expected {}, actual {}",
            rv.broken_scenarios(),
            s.id,
            first_line(&f.step, 200),
            first_line(&f.expected, 300),
            first_line(&f.actual, 300),
        );
        if findings.len() > 1 {
            let _ = writeln!(
                m,
                "+{} more finding(s): see the JUnit, JSON and evidence reports",
                findings.len() - 1
            );
        }
    }
    if let Some(&i) = rv.errored.first() {
        let s = &report.scenarios[i];
        let _ = writeln!(
            m,
            "No verdict in {} scenario(s); first {}: {}",
            rv.errored.len(),
            s.id,
            first_line(&no_verdict_reason(s), 300)
        );
    }
    m.trim_end().to_string()
}

/// `::<kind> title=<title>::<message>` on one line.
fn push_command(out: &mut String, kind: &str, title: &str, message: &str) {
    let _ = writeln!(
        out,
        "::{kind} title={}::{}",
        escape_property(title),
        escape_data(message)
    );
}

/// A command's message: `%`, CR and LF escaped (GitHub shows `%0A` as a line break).
fn escape_data(s: &str) -> String {
    clean(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as [`escape_data`], and `:` and `,` too.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The Markdown step summary, ending in a newline.
pub fn step_summary(report: &RunReport, verdicts: &Verdicts) -> String {
    let mut out = String::new();
    let failed = verdicts.count(Verdict::Fail);
    let errored = verdicts.count(Verdict::Error);
    let headline = if report.fatal.is_some() {
        "the run could not complete".to_string()
    } else if failed > 0 {
        format!("{failed} rule(s) failed")
    } else if errored > 0 {
        format!("no verdict for {errored} rule(s)")
    } else {
        "no rule failed".to_string()
    };
    let _ = writeln!(out, "## dcrspec: {headline}\n");
    let _ = writeln!(
        out,
        "Target {}, profile {}, dcrspec {}.\n",
        code(&report.target),
        code(&report.profile),
        env!("CARGO_PKG_VERSION")
    );
    let c = outcome_counts(report);
    out.push_str("| | fail | error | warn | pass | skip |\n|---|---|---|---|---|---|\n");
    let _ = writeln!(
        out,
        "| rules | {failed} | {errored} | {} | {} | {} |",
        verdicts.count(Verdict::Warn),
        verdicts.count(Verdict::Pass),
        verdicts.count(Verdict::Skip),
    );
    let _ = writeln!(
        out,
        "| scenarios | {} | {} | {} | {} | {} |",
        c["failed"], c["errored"], c["warned"], c["passed"], c["skipped"]
    );

    for (verdict, heading) in [
        (Verdict::Fail, "Failed rules"),
        (Verdict::Error, "Rules without a verdict"),
        (Verdict::Warn, "Warned rules"),
    ] {
        if verdicts.count(verdict) > 0 {
            let _ = writeln!(out, "\n### {heading}\n");
            push_rule_table(&mut out, verdicts.with(verdict), report);
        }
    }

    if let Some(b) = &report.baseline {
        let compatible = if b.exit_code() == 0 {
            "compatible: the run fails exactly as the baseline accepts"
        } else {
            "not compatible"
        };
        let _ = writeln!(
            out,
            "\n### Baseline\n\n{compatible}: {} accepted failure(s) seen again, {} new, {} stale.",
            b.matched,
            b.new.len(),
            b.stale.len()
        );
        if !b.new.is_empty() {
            out.push_str(
                "\nNew failures (paste into the baseline with a reason to accept them):\n\n",
            );
            push_block(&mut out, "toml", &baseline::render(&b.new));
        }
        if !b.stale.is_empty() {
            out.push_str("\nStale entries (these now pass; remove them):\n\n");
            push_block(&mut out, "toml", &baseline::render(&b.stale));
        }
    }
    if let Some(line) = super::text::registration_only_line(report) {
        let _ = writeln!(
            out,
            "\n### Clients left on a registration-only server\n\n{line}"
        );
    }
    let undeleted: Vec<_> = report.undeleted().collect();
    if !undeleted.is_empty() {
        out.push_str("\n### Leftover clients\n\nCreated by the run and not deleted; delete them by hand:\n\n");
        out.push_str("| client | scenario | reason |\n|---|---|---|\n");
        for l in undeleted {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                code(&l.client_id),
                code(&l.scenario),
                code(&first_line(&l.reason, 200))
            );
        }
    }
    if let Some(fatal) = &report.fatal {
        out.push_str("\n### Fatal error\n\n");
        push_block(&mut out, "text", &truncate(fatal, 2048));
    }
    out
}

/// `| rule | level | scenarios | first finding |`, one row per rule; for a rule without
/// a verdict, the scenarios that could not judge it and the first one's reason.
fn push_rule_table<'a>(
    out: &mut String,
    rules: impl Iterator<Item = &'a RuleVerdict>,
    report: &RunReport,
) {
    out.push_str("| rule | level | scenarios | first finding |\n|---|---|---|---|\n");
    for rv in rules {
        // A rule without a verdict shows why first, even if a SHOULD of it also broke.
        let errored = rv.errored.first().map(|&i| &report.scenarios[i]);
        let (count, first) = match (errored, rv.findings(report).next()) {
            (Some(s), _) if rv.verdict == Verdict::Error || rv.broken.is_empty() => (
                rv.errored.len(),
                format!(
                    "{}: {}",
                    code(&s.id),
                    code(&first_line(&no_verdict_reason(s), 200))
                ),
            ),
            (_, Some((s, f))) => (
                rv.broken_scenarios(),
                format!(
                    "{}, step {}: expected {}, actual {}",
                    code(&s.id),
                    code(&first_line(&f.step, 120)),
                    code(&first_line(&f.expected, 120)),
                    code(&first_line(&f.actual, 120)),
                ),
            ),
            _ => (0, String::new()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {count} | {first} |",
            code(&rv.id),
            rv.level.as_str()
        );
    }
}

#[cfg(test)]
mod tests;
