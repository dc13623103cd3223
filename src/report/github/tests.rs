//! GitHub Actions output: one command per rule, escaping that keeps hostile text on its
//! line, and the step summary (golden, baseline, hostile text kept in code spans).

use super::*;
use crate::baseline::{Comparison, Entry};
use crate::report::fixtures::{all_outcomes, assert_golden, fatal_run, hostile};

fn fold(r: &RunReport) -> Verdicts {
    Verdicts::fold(r)
}

#[test]
fn escaping_follows_the_toolkit() {
    assert_eq!(escape_data("50% a\r\nb\nc"), "50%25 a%0Ab%0Ac");
    assert_eq!(escape_data("lone\rcr"), "lone\u{FFFD}cr");
    assert_eq!(
        escape_property("ory:secret, 100%\n"),
        "ory%3Asecret%2C 100%25%0A"
    );
}

#[test]
fn one_command_per_rule_and_per_leftover() {
    let r = all_outcomes();
    let lines: Vec<String> = commands(&r, &fold(&r)).lines().map(String::from).collect();
    let heads: Vec<&str> = lines
        .iter()
        .map(|l| l.split("::").nth(1).unwrap())
        .collect();
    assert_eq!(
        heads,
        [
            "error title=ory%3Asecret-retained (MUST)",
            "error title=RFC7592-2.3/delete-204 (no verdict)",
            "warning title=RFC7591-3.2.2/error-json (SHOULD)",
            "warning title=dcrspec leftover client",
        ]
    );
    assert_eq!(
        lines[0],
        "::error title=ory%3Asecret-retained (MUST)::\"If you pass client_secret the secret is used, otherwise the existing secret is used.\" (Ory API reference, setOidcDynamicClient)%0ABroke in 1 scenario(s); first in put-keeps-secret, step update without client_secret: expected /client_secret absent, actual \"[redacted]\""
    );
    assert_eq!(
        lines[1],
        "::error title=RFC7592-2.3/delete-204 (no verdict)::\"If a client has been successfully deprovisioned, the authorization server MUST respond with an HTTP 204 No Content message.\" (RFC 7592, 2.3)%0ANo verdict in 1 scenario(s); first delete-returns-204: setup step \"register\" failed: connection refused"
    );
    assert!(
        lines[2].contains("%0ABroke in 2 scenario(s); first in put-keeps-secret")
            && lines[2]
                .ends_with("%0A+1 more finding(s): see the JUnit, JSON and evidence reports"),
        "{}",
        lines[2]
    );
    assert_eq!(
        lines[3],
        "::warning title=dcrspec leftover client::client c1 from scenario put-keeps-secret was not deleted: DELETE returned 500"
    );
}

#[test]
fn a_fatal_run_is_an_error_command() {
    let r = fatal_run();
    assert_eq!(
        commands(&r, &fold(&r)),
        "::error title=dcrspec::target http://127.0.0.1:4445 is unreachable: connection refused\n"
    );
}

#[test]
fn hostile_text_stays_on_its_line() {
    let r = hostile();
    let text = commands(&r, &fold(&r));
    // The hostile rule fails; then the fatal error and the leftover client.
    for line in text.lines() {
        assert!(
            line.starts_with("::error title=") || line.starts_with("::warning title="),
            "{line}"
        );
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
    }
    assert_eq!(text.lines().count(), 3, "{text}");
    // The title cannot end early: no raw `::` or `,` from the rule id survives in it.
    let title = text.lines().next().unwrap().split("::").nth(1).unwrap();
    assert!(
        !title.contains(',') && title.matches(':').count() == 0,
        "{title}"
    );
}

#[test]
fn stop_and_resume_use_the_token() {
    assert_eq!(stop_commands("abc123"), "::stop-commands::abc123\n");
    assert_eq!(resume_commands("abc123"), "::abc123::\n");
}

#[test]
fn golden_step_summary() {
    let r = all_outcomes();
    assert_golden(
        "all-outcomes.github-summary.md",
        &step_summary(&r, &fold(&r)),
    );
}

#[test]
fn step_summary_tells_whether_the_baseline_holds() {
    let mut r = all_outcomes();
    let entry = |rule: &str| Entry {
        rule: rule.into(),
        scenario: None,
        verdict: crate::verdict::Verdict::Fail,
        reason: crate::baseline::PASTE_REASON.into(),
    };
    r.baseline = Some(Comparison {
        new: vec![entry("ory:secret-retained")],
        stale: vec![],
        matched: 2,
    });
    let s = step_summary(&r, &fold(&r));
    assert!(
        s.contains(
            "### Baseline\n\nnot compatible: 2 accepted failure(s) seen again, 1 new, 0 stale.\n"
        ),
        "{s}"
    );
    assert!(
        s.contains("```toml\n") && s.contains("rule = \"ory:secret-retained\""),
        "{s}"
    );
    r.baseline = Some(Comparison {
        new: vec![],
        stale: vec![],
        matched: 1,
    });
    let s = step_summary(&r, &fold(&r));
    assert!(
        s.contains("compatible: the run fails exactly as the baseline accepts: 1 accepted failure(s) seen again, 0 new, 0 stale."),
        "{s}"
    );
    assert!(!step_summary(&all_outcomes(), &fold(&all_outcomes())).contains("Baseline"));
}

#[test]
fn hostile_text_in_the_summary_is_code_not_markup() {
    let r = hostile();
    let s = step_summary(&r, &fold(&r));
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "control character left"
    );
    // Every table row keeps its cell count: no `|` or newline from the server broke it.
    for row in s.lines().filter(|l| l.starts_with("| `")) {
        let cells = row.replace("\\|", "").matches('|').count();
        assert!(cells == 5 || cells == 4, "{row}");
    }
    // The markup in the server text is inside code spans or fenced blocks only.
    let mut fenced = false;
    for line in s.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced && line.contains("<tag") {
            assert!(line.contains("`NUL"), "{}", &line[..line.len().min(300)]);
        }
    }
    assert!(!fenced, "every fence closes");
    // The 100 KB fatal error is cut.
    assert!(s.len() < 20_000, "{}", s.len());
}
