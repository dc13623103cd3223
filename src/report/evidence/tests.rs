//! Unit tests of the evidence report.

use super::*;

/// The report with its verdicts folded, as `write_all` renders it.
fn render(r: &RunReport) -> String {
    super::render(r, &Verdicts::fold(r))
}
use crate::report::fixtures::{HOSTILE, all_outcomes, assert_golden, empty, fatal_run, hostile};

#[test]
fn golden_all_outcomes() {
    assert_golden("all-outcomes.evidence.md", &render(&all_outcomes()));
}

#[test]
fn header_names_target_profile_date_and_version() {
    let md = render(&all_outcomes());
    assert!(md.starts_with("# dcrspec evidence report\n"));
    for needle in [
        "| Target | `http://127.0.0.1:4445` |",
        "| Profile | `ory` |",
        "| Date | 2026-01-01 12:45:45 UTC |",
        &format!("| dcrspec | {} |", env!("CARGO_PKG_VERSION")),
        "| Scenarios | 1 passed, 1 failed, 1 warned, 1 skipped, 1 errored |",
    ] {
        assert!(md.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn every_rule_is_in_the_table_with_its_verdict() {
    let md = render(&all_outcomes());
    for row in [
        "| `RFC7591-3.2.1/created` | MUST | pass | `create-returns-201`, `put-keeps-secret` |",
        "| `ory:secret-retained` | MUST | **fail** | `put-keeps-secret` |",
        "| `RFC7591-3.2.2/error-json` | SHOULD | warn | `put-keeps-secret`, `bad-metadata-is-json-error` |",
        "| `RFC7592-2.3/delete-204` | MUST | **error** | `delete-returns-204` |",
        "| `OIDCR-2/jwks` | MAY | skip | `register-with-jwks` |",
        "| `RFC7592-3/rat-present` | MUST | skip | (none) |",
    ] {
        assert!(md.contains(row), "missing row {row:?}");
    }
}

#[test]
fn rule_sections_quote_the_rule_and_show_each_finding_exchange() {
    let md = render(&all_outcomes());
    let start = md
        .find("### `ory:secret-retained` (MUST, fail)")
        .expect("rule section");
    let section = &md[start
        ..md[start + 1..]
            .find("\n### ")
            .map_or(md.len(), |i| start + 1 + i)];
    assert!(section.contains("Source: Ory API reference, section setOidcDynamicClient"));
    assert!(section.contains("> If you pass client_secret the secret is used"));
    assert!(section.contains("- `put-keeps-secret`: fail (failed)"));
    assert!(
        section.contains("#### Finding in `put-keeps-secret`, step `update without client_secret`")
    );
    assert!(section.contains("- Expected: `/client_secret absent`"));
    assert!(section.contains(
        "```http\nPUT http://127.0.0.1:4445/oauth2/register/c1\nauthorization: Bearer [redacted]\n"
    ));
    assert!(section.contains("```http\nHTTP 200 OK (12 ms)\ncontent-type: application/json\n"));
    assert!(md.contains("No scenario checks this rule in this run."));
}

#[test]
fn scenarios_section_lists_every_exchange() {
    let md = render(&all_outcomes());
    let scenarios = &md[md.find("\n## Scenarios\n").expect("scenarios section")..];
    assert!(scenarios.contains("### `create-returns-201` (passed)"));
    assert!(scenarios.contains(
        "### `put-keeps-secret` (failed)\n\nPUT without client_secret keeps the secret\n"
    ));
    assert!(scenarios.contains("- Exchanges: 2\n\n#### Exchange 1\n"));
    assert!(scenarios.contains("- Reason: `profile ory lacks capability jwks`"));
    assert!(scenarios.contains("no response (3 ms): connection refused"));
}

#[test]
fn fatal_and_leftovers_are_shown() {
    let md = render(&fatal_run());
    assert!(md.contains("## Fatal error\n\nThe run could not complete:\n\n```text\ntarget http://127.0.0.1:4445 is unreachable"));
    assert!(!md.contains("## Scenarios"));
    let md = render(&all_outcomes());
    assert!(md.contains("| `c1` | `put-keeps-secret` | DELETE returned 500 |"));
    assert!(render(&empty()).contains("| Target | (empty) |"));
}

#[test]
fn the_origins_that_received_credentials_are_listed() {
    let md = render(&all_outcomes());
    assert!(md.contains("| Credentials sent to | `http://127.0.0.1:4445` |"));
    let mut r = all_outcomes();
    r.credentialed_origins.push("http://127.0.0.1:9".into());
    let md = render(&r);
    assert!(md.contains("| Credentials sent to | `http://127.0.0.1:4445`, `http://127.0.0.1:9` |"));
    assert!(render(&empty()).contains("| Credentials sent to | none |"));
}

#[test]
fn markdown_cannot_be_broken_by_server_text() {
    assert_eq!(code("a`b"), "``a`b``");
    assert_eq!(code("`x`"), "`` `x` ``");
    assert_eq!(code("a|b\nc"), "`a\\|b c`");
    let mut out = String::new();
    push_block(&mut out, "http", "body with ``` inside\n");
    assert_eq!(out, "````http\nbody with ``` inside\n````\n");
    let md = render(&hostile());
    assert!(!md.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
    assert!(md.contains("emoji🦀"));
    // The 100 KB body and actual value are cut.
    assert!(md.contains(&format!(
        "{}… [truncated: {} bytes in all]",
        "x".repeat(100),
        100 * 1024 + HOSTILE.len()
    )));
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(render(&all_outcomes()), render(&all_outcomes()));
}
