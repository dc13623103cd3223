//! The HTML report against hand-built runs: structure, every verdict, escaping of
//! hostile server text, and the content policy that keeps the page inert.

use super::*;
use crate::report::fixtures::{HOSTILE, all_outcomes, assert_golden, empty, fatal_run, hostile};

/// The report with its verdicts folded, as `write_all` renders it.
fn render(r: &RunReport) -> String {
    super::render(r, &Verdicts::fold(r))
}

/// The text of the rule's `<article>`.
fn article<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find("<article class=\"rule v-")
        .map(|first| {
            first
                + html[first..]
                    .find(&format!("id=\"{}\"", anchor(id)))
                    .unwrap_or_else(|| panic!("no section for {id}"))
        })
        .expect("rule sections");
    let end = html[start..].find("</article>").unwrap() + start;
    &html[start..end]
}

#[test]
fn golden_all_outcomes() {
    assert_golden("all-outcomes.report.html", &render(&all_outcomes()));
}

#[test]
fn cover_names_target_profile_date_version_digest_and_counts() {
    let mut r = all_outcomes();
    r.catalogue = r.catalogue.with_digest("sha256:abc123".into());
    let html = render(&r);
    for needle in [
        "<p class=\"target\"><code>http://127.0.0.1:4445</code></p>",
        "<dt>Profile</dt><dd><code>ory</code></dd>",
        "<dt>Date</dt><dd>2026-01-01 12:45:45 UTC</dd>",
        &format!("<dt>dcrspec</dt><dd>{}</dd>", env!("CARGO_PKG_VERSION")),
        "<dt>Suites</dt><dd><code class=\"digest\">sha256:abc123</code></dd>",
        "<dt>Scenarios</dt><dd>1 passed, 1 failed, 1 warned, 1 skipped, 1 errored</dd>",
        "<li class=\"tile v-fail\"><span class=\"n\">1</span> <span class=\"l\">fail</span></li>",
        "<li class=\"tile v-error\"><span class=\"n\">1</span>",
        "<li class=\"tile v-warn\"><span class=\"n\">1</span>",
        "<li class=\"tile v-pass\"><span class=\"n\">1</span>",
        "<li class=\"tile v-skip\"><span class=\"n\">2</span>",
        "<dt>Leftover clients</dt><dd><a href=\"#leftovers\">1</a></dd>",
        "<dt class=\"v-fail\">Failed</dt><dd><a href=\"#rule-ory:secret-retained\"><code>ory:secret-retained</code></a></dd>",
        "<dt class=\"v-error\">No verdict</dt><dd><a href=\"#rule-RFC7592-2.3_delete-204\">",
        "<dt class=\"v-warn\">Warned</dt><dd><a href=\"#rule-RFC7591-3.2.2_error-json\">",
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
    assert!(render(&all_outcomes()).contains("<dt>Suites</dt><dd>(not from files)</dd>"));
}

#[test]
fn the_table_has_every_rule_with_its_verdict_family_and_reason() {
    let html = render(&all_outcomes());
    for (id, verdict, family, why) in [
        ("RFC7591-3.2.1/created", "pass", "RFC7591", ""),
        (
            "ory:secret-retained",
            "fail",
            "ory",
            "put-keeps-secret: expected /client_secret absent, actual &quot;[redacted]&quot;",
        ),
        (
            "RFC7591-3.2.2/error-json",
            "warn",
            "RFC7591",
            "put-keeps-secret: expected header content-type application/json, actual text/plain (and 1 more scenario)",
        ),
        (
            "RFC7592-2.3/delete-204",
            "error",
            "RFC7592",
            "delete-returns-204: setup step &quot;register&quot; failed: connection refused",
        ),
        (
            "OIDCR-2/jwks",
            "skip",
            "OIDCR",
            "profile ory lacks capability jwks",
        ),
        (
            "RFC7592-3/rat-present",
            "skip",
            "RFC7592",
            "no scenario checks this rule in this run",
        ),
    ] {
        let row = format!(
            "<tr data-verdict=\"{verdict}\" data-family=\"{family}\"><td><a href=\"#{}\"><code>{id}</code></a></td>",
            anchor(id)
        );
        let at = html.find(&row).unwrap_or_else(|| panic!("no row {row}"));
        let line = html[at..].lines().next().unwrap();
        assert!(
            line.ends_with(&format!("<td class=\"why\">{why}</td></tr>")),
            "{line}"
        );
    }
    // One filter per verdict and per family, with counts.
    assert!(html.contains("value=\"skip\" checked> skip (2)</label>"));
    for family in ["RFC7591 (2)", "ory (1)", "RFC7592 (2)", "OIDCR (1)"] {
        assert!(
            html.contains(&format!("checked> {family}</label>")),
            "{family}"
        );
    }
}

#[test]
fn rule_sections_quote_the_rule_and_show_evidence_for_fail_warn_and_error() {
    let html = render(&all_outcomes());
    let fail = article(&html, "ory:secret-retained");
    assert!(fail.contains("data-verdict=\"fail\" data-family=\"ory\""));
    assert!(
        fail.contains("<p class=\"source\">Ory API reference, section setOidcDynamicClient</p>")
    );
    assert!(fail.contains("<blockquote>If you pass client_secret the secret is used"));
    assert!(fail.contains(
        "In <code>put-keeps-secret</code>, step <code>update without client_secret</code>"
    ));
    assert!(fail.contains("<dt>Expected</dt><dd><pre>/client_secret absent</pre></dd>"));
    // Multi-line locations (a fuzz counterexample's reproduction) keep their lines.
    assert!(fail.contains(
        "<dt>Checked at</dt><dd><pre>suites/ory/secret.json#/scenarios/1/steps/1/expect/0</pre></dd>"
    ));
    assert!(fail.contains(
        "<pre class=\"http\">PUT http://127.0.0.1:4445/oauth2/register/c1\nauthorization: Bearer [redacted]\n"
    ));
    assert!(
        fail.contains("<pre class=\"http\">HTTP 200 OK (12 ms)\ncontent-type: application/json\n")
    );

    // A warn found in two scenarios: the first in full, the second folded.
    let warn = article(&html, "RFC7591-3.2.2/error-json");
    assert_eq!(warn.matches("<div class=\"finding\">").count(), 2);
    let folded = &warn[warn
        .find("<p class=\"caption\">1 more finding:</p>\n<ul class=\"more\">\n<li><details><summary>\
               <code>bad-metadata-is-json-error</code>, step <code>register with bad metadata</code>: text/plain</summary>")
        .expect("the second finding as one line")..];
    assert!(folded.contains("In <code>bad-metadata-is-json-error</code>"));
    assert!(folded.contains("bad request\nline two</pre>"));

    let error = article(&html, "RFC7592-2.3/delete-204");
    assert!(error.contains("<h4>No verdict in <code>delete-returns-204</code></h4>"));
    assert!(error.contains("no response (3 ms): connection refused"));

    let pass = article(&html, "RFC7591-3.2.1/created");
    assert!(
        !pass.contains("class=\"finding"),
        "a pass shows no evidence"
    );
    assert!(
        pass.contains(
            "<li><code>put-keeps-secret</code> <span class=\"v v-pass\">pass</span></li>"
        )
    );

    let skip = article(&html, "RFC7592-3/rat-present");
    assert!(skip.contains("No scenario checks this rule in this run."));
    let skip = article(&html, "OIDCR-2/jwks");
    assert!(skip.contains("<b>Skipped:</b> profile ory lacks capability jwks"));
}

#[test]
fn leftovers_scenarios_and_fatal_errors_are_shown() {
    let html = render(&all_outcomes());
    assert!(html.contains(
        "<tr><td><code>c1</code></td><td><code>put-keeps-secret</code></td><td>DELETE returned 500</td></tr>"
    ));
    assert!(html.contains("<span class=\"badge o-errored\">errored</span>"));
    let html = render(&fatal_run());
    assert!(html.contains("<a href=\"#fatal\">why</a>"));
    assert!(
        html.contains("<pre>target http://127.0.0.1:4445 is unreachable: connection refused</pre>")
    );
    assert!(html.contains("None: every client the run created was deleted."));
    assert!(html.contains("No rule was loaded."));
    assert!(!html.contains("<dl class=\"attention\">"), "nothing failed");
    assert!(!html.contains("id=\"scenarios\""));
    let html = render(&empty());
    assert!(html.contains("<p class=\"target\"><code>(empty)</code></p>"));
}

#[test]
fn server_text_is_escaped_and_cleaned_everywhere() {
    let html = render(&hostile());
    // Only our own markup: the hostile tag never appears raw, only escaped.
    assert!(!html.contains("<tag"), "raw hostile markup in the page");
    assert!(html.contains("&lt;tag a=&quot;q&quot;&gt; &amp; &apos;apos&apos;"));
    assert!(
        !html
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    );
    assert!(html.contains("emoji🦀"));
    // Attribute values built from hostile ids stay inside their quotes.
    assert!(html.contains("data-family=\"NUL\u{FFFD} ESC\u{FFFD}[31m CDATA\""));
    assert!(html.contains("value=\"NUL\u{FFFD} ESC\u{FFFD}[31m CDATA\" checked>"));
    let body = &html[html.find("<body>").unwrap()..];
    for name in ["data-family", "value", "id", "href"] {
        for attr in body.split(&format!(" {name}=\"")).skip(1) {
            let value = &attr[..attr.find('"').unwrap()];
            assert!(
                !value.contains(['<', '>', '\'']),
                "unescaped {name} {value:?}"
            );
        }
    }
    // Anchors are plain fragment characters whatever the id.
    assert!(
        anchor(HOSTILE)
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
    );
    // The 100 KB body is cut as in the evidence report.
    assert!(html.contains("… [truncated: "));
    assert!(html.len() < 200 * 1024, "{} bytes", html.len());
}

#[test]
fn esc_escapes_the_five_characters_and_cleans_controls() {
    assert_eq!(
        esc("<script>alert('x' & \"y\")</script>\u{1b}"),
        "&lt;script&gt;alert(&apos;x&apos; &amp; &quot;y&quot;)&lt;/script&gt;\u{FFFD}"
    );
    assert_eq!(esc("plain é🦀"), "plain é🦀");
}

#[test]
fn the_page_is_self_contained_and_allows_only_its_own_script_and_style() {
    let html = render(&all_outcomes());
    let csp = format!(
        "default-src 'none'; style-src '{}'; script-src '{}';",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    );
    assert!(html.contains(&csp), "no content policy");
    assert!(html.contains(&format!("<style>{STYLE}</style>")));
    assert!(html.contains(&format!("<script>{SCRIPT}</script>")));
    assert_eq!(html.matches("<script").count(), 1);
    assert_eq!(html.matches("<style").count(), 1);
    // Nothing is loaded from anywhere: no external reference of any kind.
    for needle in [
        "src=",
        "<link rel=\"stylesheet\"",
        "@import",
        "url(",
        "http-equiv=\"refresh\"",
    ] {
        assert!(!html.contains(needle), "found {needle:?}");
    }
    // No inline style attribute: the policy would refuse it.
    assert!(!html.contains(" style=\""));
    // The hash is the standard one: `printf 'a' | openssl dgst -sha256 -binary | base64`.
    assert_eq!(
        csp_hash("a"),
        "sha256-ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="
    );
}

#[test]
fn printing_is_provided_for() {
    assert!(STYLE.contains("@media print"));
    // Printed, the filter controls are left out (the "Showing n of m" line stays).
    let print = &STYLE[STYLE.find("@media print").unwrap()..];
    assert!(print.contains(".filters { display: none; }"));
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(render(&all_outcomes()), render(&all_outcomes()));
}
