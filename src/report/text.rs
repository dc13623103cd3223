//! Human text: the bug report of one scenario and the summary that closes a run.
//!
//! [`scenario_message`] is the body of a JUnit failure and what the console prints for a
//! scenario that did not pass: for each finding the rule id, level and quoted rule text,
//! the step, expected against actual, the suite location, and the (already redacted)
//! exchange, with bodies cut at [`BODY_LIMIT`]. [`summary`] is a few lines ending in
//! `N passed, N failed, N warned, N skipped, N errored`. Server text goes through
//! [`clean`](super::clean) so it cannot drive the terminal.

use std::fmt::Write as _;

use super::{clean, first_line, status_line, truncate};
use crate::outcome::{Exchange, Finding, Outcome, RunReport, ScenarioResult};
use crate::rules::Catalogue;
use crate::verdict::Verdict;
use crate::verdict::{Verdicts, outcome_counts};

/// How much of a request or response body a text report shows, in bytes.
pub const BODY_LIMIT: usize = 2048;

/// One line naming a finding: `rule (LEVEL): expected …, actual …`, each part cut to
/// its first line. The JUnit failure message and the JSON finding message.
pub fn finding_headline(f: &Finding) -> String {
    clean(&format!(
        "{} ({}): expected {}, actual {}",
        first_line(&f.rule, 120),
        f.level.as_str(),
        first_line(&f.expected, 200),
        first_line(&f.actual, 200),
    ))
    .into_owned()
}

/// The full report of one scenario; meant for failed, warned and errored scenarios, but
/// any outcome gives a sensible header. Lines are separated, not terminated, by `\n`.
pub fn scenario_message(s: &ScenarioResult, catalogue: &Catalogue) -> String {
    let mut out = String::new();
    let head = match &s.outcome {
        Outcome::Passed => "PASSED",
        Outcome::Failed => "FAILED",
        Outcome::Warned => "WARNED",
        Outcome::Skipped { .. } => "SKIPPED",
        Outcome::Errored { .. } => "ERRORED",
    };
    let _ = writeln!(out, "{head} {}: {}", s.id, s.description);
    let _ = writeln!(out, "  suite {}", s.file);
    if let Outcome::Skipped { reason } | Outcome::Errored { reason } = &s.outcome {
        push_field(&mut out, "  ", "reason: ", reason);
    }
    let mut previous: Option<&Exchange> = None;
    for (n, f) in s.findings.iter().enumerate() {
        out.push('\n');
        let _ = writeln!(out, "  {}. rule {} ({})", n + 1, f.rule, f.level.as_str());
        match catalogue.get(&f.rule) {
            Some(rule) => {
                push_field(&mut out, "     ", "", &format!("\"{}\"", rule.quote));
                let _ = writeln!(out, "     source: {}, {}", rule.source, rule.section);
            }
            None => out.push_str("     (rule not in the catalogue)\n"),
        }
        push_finding(&mut out, "     ", f, previous == Some(&f.exchange));
        previous = Some(&f.exchange);
    }
    // An errored scenario usually has no finding; the exchange that broke it is the last.
    if s.findings.is_empty()
        && matches!(s.outcome, Outcome::Errored { .. })
        && let Some(last) = s.exchanges.last()
    {
        out.push_str("\n  last exchange:\n");
        push_exchange(&mut out, "     ", last);
    }
    clean(out.trim_end_matches('\n')).into_owned()
}

/// The clients a registration-only run left, in one line: how many and their ids (ids
/// are no secret). `None` when there are none.
pub fn registration_only_line(report: &RunReport) -> Option<String> {
    let ids: Vec<&str> = report
        .registration_only_leftovers()
        .map(|l| l.client_id.as_str())
        .collect();
    if ids.is_empty() {
        return None;
    }
    Some(format!(
        "registration-only: {} client(s) left on the server (the profile has no client \
         configuration endpoint to delete them with; not an error): {}",
        ids.len(),
        ids.join(", ")
    ))
}

/// A few lines: rule verdict counts, failed and errored rules by id, leftover clients,
/// the fatal error, then `N passed, N failed, N warned, N skipped, N errored` (no final
/// newline).
pub fn summary(report: &RunReport, verdicts: &Verdicts) -> String {
    let verdicts = &verdicts.rules;
    let count = |v: Verdict| verdicts.iter().filter(|r| r.verdict == v).count();
    let ids = |v: Verdict| {
        verdicts
            .iter()
            .filter(|r| r.verdict == v)
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "rules: {} fail, {} error, {} warn, {} pass, {} skip ({} in all)",
        count(Verdict::Fail),
        count(Verdict::Error),
        count(Verdict::Warn),
        count(Verdict::Pass),
        count(Verdict::Skip),
        verdicts.len(),
    );
    if count(Verdict::Fail) > 0 {
        let _ = writeln!(out, "failed rules: {}", ids(Verdict::Fail));
    }
    if count(Verdict::Error) > 0 {
        let _ = writeln!(out, "errored rules: {}", ids(Verdict::Error));
    }
    if let Some(line) = registration_only_line(report) {
        out.push_str(&line);
        out.push('\n');
    }
    let undeleted: Vec<_> = report.undeleted().collect();
    if !undeleted.is_empty() {
        let _ = writeln!(
            out,
            "leftover clients ({}), delete them by hand:",
            undeleted.len()
        );
        for l in undeleted {
            let _ = writeln!(
                out,
                "  {} from {}: {}",
                l.client_id,
                l.scenario,
                first_line(&l.reason, 200)
            );
        }
    }
    if let Some(fatal) = &report.fatal {
        push_field(&mut out, "", "fatal: ", fatal);
    }
    let c = outcome_counts(report);
    if c["filtered"] > 0 {
        let _ = writeln!(
            out,
            "{} of the skipped scenarios were filtered out by the runner arguments",
            c["filtered"]
        );
    }
    // Named, like the rules line above it: the two lines count different things
    // (issue 15, 2h).
    let _ = writeln!(
        out,
        "scenarios: {} passed, {} failed, {} warned, {} skipped, {} errored",
        c["passed"], c["failed"], c["warned"], c["skipped"], c["errored"]
    );
    clean(out.trim_end_matches('\n')).into_owned()
}

/// A finding's step, expected and actual values, suite location and exchange (or a note
/// that it is the exchange shown just above), each line starting with `indent`. Not
/// cleaned: callers clean what they build.
pub(crate) fn push_finding(out: &mut String, indent: &str, f: &Finding, same_exchange: bool) {
    push_field(out, indent, "step:     ", &f.step);
    push_field(out, indent, "expected: ", &f.expected);
    push_field(out, indent, "actual:   ", &f.actual);
    push_field(out, indent, "at:       ", &f.at);
    if same_exchange {
        let _ = writeln!(out, "{indent}(same exchange as above)");
    } else {
        push_exchange(out, indent, &f.exchange);
    }
}

/// `indent` + `label` + value, continuation lines aligned under the value.
pub(crate) fn push_field(out: &mut String, indent: &str, label: &str, value: &str) {
    let pad = " ".repeat(label.chars().count());
    let mut lines = value.lines();
    let _ = writeln!(out, "{indent}{label}{}", lines.next().unwrap_or(""));
    for line in lines {
        let _ = writeln!(out, "{indent}{pad}{line}");
    }
}

/// The exchange as `>` request and `<` response lines, curl-verbose style.
fn push_exchange(out: &mut String, indent: &str, ex: &Exchange) {
    let req = &ex.request;
    let _ = writeln!(out, "{indent}> {} {}", req.method, req.url);
    for (name, value) in &req.headers {
        let _ = writeln!(out, "{indent}> {name}: {value}");
    }
    if let Some(body) = &req.body {
        let _ = writeln!(out, "{indent}>");
        push_body(out, indent, "> ", body);
    }
    if let Some(resp) = &ex.response {
        let _ = writeln!(
            out,
            "{indent}< {} ({} ms)",
            status_line(resp.status),
            ex.elapsed_ms
        );
        for (name, value) in &resp.headers {
            let _ = writeln!(out, "{indent}< {name}: {value}");
        }
        if !resp.body.is_empty() {
            let _ = writeln!(out, "{indent}<");
            push_body(out, indent, "< ", &resp.body);
        }
        if let Some(note) = &resp.truncated {
            let _ = writeln!(out, "{indent}< [{note}]");
        }
    }
    if let Some(error) = &ex.error {
        push_field(out, indent, "< no response: ", error);
    }
}

fn push_body(out: &mut String, indent: &str, mark: &str, body: &str) {
    for line in truncate(body, BODY_LIMIT).lines() {
        let _ = writeln!(out, "{indent}{mark}{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary with the report's verdicts folded, as `dcrspec run` prints it.
    fn summary(r: &RunReport) -> String {
        super::summary(r, &Verdicts::fold(r))
    }
    use crate::report::fixtures::{
        HOSTILE, all_outcomes, assert_golden, empty, fatal_run, hostile, report, scenario,
    };

    fn all_messages(r: &RunReport) -> String {
        r.scenarios
            .iter()
            .map(|s| scenario_message(s, &r.catalogue))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    #[test]
    fn golden_scenario_messages_and_summary() {
        let r = all_outcomes();
        assert_golden(
            "all-outcomes.txt",
            &format!("{}\n\n{}\n", all_messages(&r), summary(&r)),
        );
    }

    #[test]
    fn failed_message_is_a_full_bug_report() {
        let r = all_outcomes();
        let m = scenario_message(&r.scenarios[1], &r.catalogue);
        for needle in [
            "FAILED put-keeps-secret: PUT without client_secret keeps the secret",
            "  suite suites/ory/secret.json",
            "1. rule ory:secret-retained (MUST)",
            "\"If you pass client_secret the secret is used, otherwise the existing secret is used.\"",
            "source: Ory API reference, setOidcDynamicClient",
            "expected: /client_secret absent",
            "actual:   \"[redacted]\"",
            "at:       suites/ory/secret.json#/scenarios/1/steps/1/expect/0",
            "> PUT http://127.0.0.1:4445/oauth2/register/c1",
            "> authorization: Bearer [redacted]",
            "< 200 OK (12 ms)",
            "< {\"client_id\":\"c1\",\"client_secret\":\"[redacted]\"}",
            "2. rule RFC7591-3.2.2/error-json (SHOULD)",
            "(same exchange as above)",
        ] {
            assert!(m.contains(needle), "missing {needle:?} in\n{m}");
        }
    }

    #[test]
    fn errored_message_gives_the_reason_and_the_last_exchange() {
        let r = all_outcomes();
        let m = scenario_message(&r.scenarios[3], &r.catalogue);
        assert!(m.starts_with("ERRORED delete-returns-204: "), "{m}");
        assert!(
            m.contains("reason: setup step \"register\" failed: connection refused"),
            "{m}"
        );
        assert!(
            m.contains("last exchange:\n     > POST http://127.0.0.1:4445/oauth2/register\n"),
            "{m}"
        );
        assert!(m.contains("< no response: connection refused"), "{m}");
    }

    #[test]
    fn unknown_rule_is_said_not_hidden() {
        let mut r = all_outcomes();
        r.scenarios[1].findings[0].rule = "nowhere:rule".into();
        let m = scenario_message(&r.scenarios[1], &r.catalogue);
        assert!(
            m.contains("1. rule nowhere:rule (MUST)\n     (rule not in the catalogue)\n"),
            "{m}"
        );
    }

    #[test]
    fn long_bodies_are_cut_and_multiline_values_stay_aligned() {
        let mut r = all_outcomes();
        let f = &mut r.scenarios[1].findings[0];
        f.exchange.response.as_mut().unwrap().body = "y".repeat(10_000);
        f.actual = "first\nsecond".into();
        let m = scenario_message(&r.scenarios[1], &r.catalogue);
        assert!(
            m.contains(&format!(
                "< {}… [truncated: 10000 bytes in all]",
                "y".repeat(BODY_LIMIT)
            )),
            "{m}"
        );
        assert!(!m.contains(&"y".repeat(BODY_LIMIT + 1)));
        assert!(
            m.contains("     actual:   first\n               second\n"),
            "{m}"
        );
    }

    #[test]
    fn hostile_text_cannot_reach_the_terminal() {
        let r = hostile();
        let text = format!("{}{}", all_messages(&r), summary(&r));
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "control char left"
        );
        assert!(!text.contains('\u{FFFE}'));
        assert!(text.contains("emoji🦀"));
        assert!(text.contains("CDATA-end]]>"), "text keeps ]]> as is");
    }

    #[test]
    fn summary_counts_rules_and_scenarios() {
        let s = summary(&all_outcomes());
        assert_eq!(
            s,
            "rules: 1 fail, 1 error, 1 warn, 1 pass, 2 skip (6 in all)\n\
             failed rules: ory:secret-retained\n\
             errored rules: RFC7592-2.3/delete-204\n\
             leftover clients (1), delete them by hand:\n  c1 from put-keeps-secret: DELETE returned 500\n\
             scenarios: 1 passed, 1 failed, 1 warned, 1 skipped, 1 errored"
        );
    }

    #[test]
    fn summary_of_a_fatal_run_and_of_nothing() {
        assert_eq!(
            summary(&fatal_run()),
            "rules: 0 fail, 0 error, 0 warn, 0 pass, 0 skip (0 in all)\n\
             fatal: target http://127.0.0.1:4445 is unreachable: connection refused\n\
             scenarios: 0 passed, 0 failed, 0 warned, 0 skipped, 0 errored"
        );
        assert!(
            summary(&empty())
                .ends_with("\nscenarios: 0 passed, 0 failed, 0 warned, 0 skipped, 0 errored")
        );
    }

    #[test]
    fn headline_names_rule_level_expected_and_actual_on_one_line() {
        let r = all_outcomes();
        assert_eq!(
            finding_headline(&r.scenarios[1].findings[0]),
            "ory:secret-retained (MUST): expected /client_secret absent, actual \"[redacted]\""
        );
        let mut f = r.scenarios[1].findings[0].clone();
        f.actual = format!("{HOSTILE}\nmore");
        let h = finding_headline(&f);
        assert_eq!(h.lines().count(), 1, "{h:?}");
        assert!(h.ends_with('…'));
        let one = report(vec![], vec![scenario("p", Outcome::Passed, &[])]);
        assert!(scenario_message(&one.scenarios[0], &one.catalogue).starts_with("PASSED p: "));
    }
}
