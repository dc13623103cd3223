//! The auditor's report: one self-contained HTML page, readable on screen and printed
//! to PDF from a browser.
//!
//! A cover block (target, profile, date, dcrspec version, the digest of the suites, the
//! verdict counts), the rule table with filters by verdict and family, every rule in
//! detail ([`rule`]: level, source, section, quote, verdict and, for fail, warn and
//! error, the redacted request and response), the leftover clients and the scenarios.
//!
//! Self-contained: the style and the filter script are inlined ([`STYLE`], [`SCRIPT`])
//! and a Content-Security-Policy allows nothing else — no network, no other script, no
//! other style — so a report opened years later, or offline, looks the same, and a
//! server's answer cannot turn into active content even if escaping were ever wrong.
//! All text that came from a run (server answers above all) is cleaned of control
//! characters and HTML-escaped by [`esc`]; credentials were redacted before the run
//! report existed and are printed as recorded. Without script the page shows every rule.

mod rule;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use base64::Engine as _;
use ring::digest::{SHA256, digest};

use super::{clean, first_line, utc_fields};
use crate::outcome::{Outcome, RunReport};
use crate::rules::family;
use crate::verdict::Verdict;
use crate::verdict::{Verdicts, outcome_counts};

/// The page's style sheet, inlined.
pub const STYLE: &str = include_str!("page.css");
/// The filter script (and opening collapsed evidence for print), inlined.
pub const SCRIPT: &str = include_str!("page.js");

/// Verdicts from worst to best: the order of the counts, the filters and the legend.
const VERDICTS: [Verdict; 5] = [
    Verdict::Fail,
    Verdict::Error,
    Verdict::Warn,
    Verdict::Pass,
    Verdict::Skip,
];

/// The HTML report. Deterministic: the date is `report.started_unix`.
pub fn render(report: &RunReport, verdicts: &Verdicts) -> String {
    let mut out = String::with_capacity(64 * 1024);
    head(&mut out, report);
    out.push_str("<body>\n");
    cover(&mut out, report, verdicts);
    out.push_str("<main>\n");
    if let Some(fatal) = &report.fatal {
        let _ = writeln!(
            out,
            "<section class=\"fatal\" id=\"fatal\"><h2>The run did not complete</h2>\n<pre>{}</pre></section>",
            esc(&super::truncate(fatal, rule::BODY_LIMIT))
        );
    }
    rule_table(&mut out, report, verdicts);
    out.push_str("<section id=\"details\">\n<h2>Rules in detail</h2>\n");
    if verdicts.rules.is_empty() {
        out.push_str("<p class=\"none\">No rule was loaded.</p>\n");
    }
    for (r, v) in report.catalogue.iter().zip(&verdicts.rules) {
        rule::section(&mut out, report, r, v);
    }
    out.push_str("</section>\n");
    leftovers(&mut out, report);
    scenarios(&mut out, report);
    out.push_str("</main>\n");
    let _ = writeln!(
        out,
        "<footer>dcrspec {} · every client secret, registration access token and \
         Authorization value is shown as <code>[redacted]</code></footer>",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>");
    out
}

/// The document head: the policy that keeps the page inert and offline, the style.
fn head(out: &mut String, report: &RunReport) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src '{}'; script-src '{}'; img-src data:; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"dcrspec {}\">\n\
         <title>dcrspec report: {}</title>\n\
         <link rel=\"icon\" href=\"data:,\">\n<style>{STYLE}</style>\n</head>\n",
        csp_hash(STYLE),
        csp_hash(SCRIPT),
        env!("CARGO_PKG_VERSION"),
        esc(&first_line(&report.target, 200)),
    );
}

/// `sha256-<base64>`: the CSP source that allows exactly this inline text.
fn csp_hash(text: &str) -> String {
    let sum = digest(&SHA256, text.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(sum.as_ref())
    )
}

fn cover(out: &mut String, report: &RunReport, verdicts: &Verdicts) {
    let (y, mo, d, h, mi, s) = utc_fields(report.started_unix);
    let c = outcome_counts(report);
    out.push_str("<header class=\"cover\">\n<p class=\"kicker\">dcrspec conformance report</p>\n");
    let _ = writeln!(
        out,
        "<h1>Dynamic Client Registration</h1>\n<p class=\"target\"><code>{}</code></p>",
        or_empty(&report.target)
    );
    out.push_str("<ul class=\"tiles\">\n");
    for v in VERDICTS {
        let _ = writeln!(
            out,
            "<li class=\"tile v-{0}\"><span class=\"n\">{1}</span> <span class=\"l\">{0}</span></li>",
            v.as_str(),
            verdicts.count(v)
        );
    }
    out.push_str("</ul>\n");
    attention(out, verdicts);
    out.push_str("<dl class=\"facts\">\n");
    let rules = format!(
        "{} ({} MUST or DERIVED)",
        verdicts.rules.len(),
        verdicts
            .rules
            .iter()
            .filter(|r| r.level.is_failure())
            .count()
    );
    let scenarios = format!(
        "{} passed, {} failed, {} warned, {} skipped, {} errored",
        c["passed"], c["failed"], c["warned"], c["skipped"], c["errored"]
    );
    let kept = report.registration_only_leftovers().count();
    let leftovers = match (report.leftovers.len(), kept) {
        (0, _) => "none".into(),
        (n, 0) => format!("<a href=\"#leftovers\">{n}</a>"),
        (n, k) => format!("<a href=\"#leftovers\">{n}</a> ({k} on a registration-only server)"),
    };
    let suites = match report.catalogue.digest() {
        Some(digest) => format!("<code class=\"digest\">{}</code>", esc(digest)),
        None => "(not from files)".into(),
    };
    // Two columns, read across: who and when, then what ran, then what it left.
    for (name, value) in [
        (
            "Profile",
            format!("<code>{}</code>", or_empty(&report.profile)),
        ),
        (
            "Date",
            format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC"),
        ),
        ("dcrspec", env!("CARGO_PKG_VERSION").to_string()),
        (
            "Duration",
            format!("{:.1} s", report.duration.as_secs_f64()),
        ),
        ("Rules", rules),
        ("Requests", report.requests.to_string()),
        ("Scenarios", scenarios),
        ("Leftover clients", leftovers),
    ] {
        let _ = writeln!(out, "<div><dt>{name}</dt><dd>{value}</dd></div>");
    }
    // The digest is long: it gets a row of its own.
    let _ = writeln!(
        out,
        "<div class=\"wide\"><dt>Suites</dt><dd>{suites}</dd></div>"
    );
    out.push_str("</dl>\n");
    if report.fatal.is_some() {
        out.push_str(
            "<p class=\"alert\">The run did not complete: see <a href=\"#fatal\">why</a>.</p>\n",
        );
    }
    out.push_str("</header>\n");
}

/// The rules that did not pass, named on the cover so a printed first page says what
/// to read: failed, then without a verdict, then warned, each a link to its section.
fn attention(out: &mut String, verdicts: &Verdicts) {
    let groups = [
        (Verdict::Fail, "Failed"),
        (Verdict::Error, "No verdict"),
        (Verdict::Warn, "Warned"),
    ];
    if groups.iter().all(|(v, _)| verdicts.count(*v) == 0) {
        return;
    }
    out.push_str("<dl class=\"attention\">\n");
    for (v, name) in groups {
        if verdicts.count(v) == 0 {
            continue;
        }
        let _ = write!(out, "<dt class=\"v-{}\">{name}</dt><dd>", v.as_str());
        for r in verdicts.with(v) {
            let _ = write!(
                out,
                "<a href=\"#{}\"><code>{}</code></a>",
                anchor(&r.id),
                esc(&r.id)
            );
        }
        out.push_str("</dd>\n");
    }
    out.push_str("</dl>\n");
}

/// The table of every rule, and the filter bar the script reveals.
fn rule_table(out: &mut String, report: &RunReport, verdicts: &Verdicts) {
    out.push_str("<section id=\"rules\">\n<h2>Rules</h2>\n");
    out.push_str(
        "<form id=\"filters\" class=\"filters\" hidden>\n<fieldset><legend>Verdict</legend>\n",
    );
    for v in VERDICTS {
        let _ = writeln!(
            out,
            "<label class=\"chip v-{0}\"><input type=\"checkbox\" name=\"verdict\" value=\"{0}\" checked> {0} ({1})</label>",
            v.as_str(),
            verdicts.count(v)
        );
    }
    out.push_str("</fieldset>\n<fieldset><legend>Family</legend>\n");
    let mut families: Vec<(&str, usize)> = Vec::new();
    for r in &verdicts.rules {
        let f = family(&r.id);
        match families.iter_mut().find(|(name, _)| *name == f) {
            Some((_, n)) => *n += 1,
            None => families.push((f, 1)),
        }
    }
    for (f, n) in &families {
        let _ = writeln!(
            out,
            "<label class=\"chip\"><input type=\"checkbox\" name=\"family\" value=\"{0}\" checked> {0} ({n})</label>",
            esc(f)
        );
    }
    out.push_str(
        "</fieldset>\n</form>\n<p id=\"shown\" class=\"shown\" aria-live=\"polite\"></p>\n",
    );
    out.push_str(
        "<table class=\"rules\">\n<thead><tr><th>Rule</th><th>Level</th><th>Verdict</th>\
         <th class=\"num\">Scenarios</th><th>Why</th></tr></thead>\n<tbody>\n",
    );
    for v in &verdicts.rules {
        let _ = writeln!(
            out,
            "<tr data-verdict=\"{0}\" data-family=\"{1}\"><td><a href=\"#{2}\"><code>{3}</code></a></td>\
             <td class=\"nowrap\">{4}</td><td><span class=\"badge v-{0}\">{0}</span></td><td class=\"num\">{5}</td><td class=\"why\">{6}</td></tr>",
            v.verdict.as_str(),
            esc(family(&v.id)),
            anchor(&v.id),
            esc(&v.id),
            v.level.as_str(),
            v.scenarios.len(),
            esc(&rule::why(report, v)),
        );
    }
    if verdicts.rules.is_empty() {
        out.push_str("<tr><td colspan=\"5\">No rule was loaded.</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn leftovers(out: &mut String, report: &RunReport) {
    out.push_str("<section id=\"leftovers\">\n<h2>Leftover clients</h2>\n");
    let kept: Vec<_> = report.registration_only_leftovers().collect();
    if !kept.is_empty() {
        let _ = writeln!(
            out,
            "<p>The profile has no client configuration endpoint (RFC 7592 is optional), so \
             dcrspec cannot delete what it registers: the run left {} client(s) on the server. \
             That is expected, not an error.</p>\n<table>\n\
             <thead><tr><th>Client</th><th>Scenario</th></tr></thead>\n<tbody>",
            kept.len()
        );
        for l in kept {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td><code>{}</code></td></tr>",
                esc(&l.client_id),
                esc(&l.scenario)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    let undeleted: Vec<_> = report.undeleted().collect();
    if report.leftovers.is_empty() {
        out.push_str("<p class=\"none\">None: every client the run created was deleted.</p>\n");
    } else if !undeleted.is_empty() {
        out.push_str(
            "<p>Created by the run and not deleted: remove them by hand.</p>\n<table>\n\
             <thead><tr><th>Client</th><th>Scenario</th><th>Reason</th></tr></thead>\n<tbody>\n",
        );
        for l in undeleted {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
                esc(&l.client_id),
                esc(&l.scenario),
                esc(&l.reason)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

fn scenarios(out: &mut String, report: &RunReport) {
    if report.scenarios.is_empty() {
        return;
    }
    out.push_str(
        "<section id=\"scenarios\">\n<h2>Scenarios</h2>\n<table class=\"scenarios\">\n\
         <thead><tr><th>Scenario</th><th>Outcome</th><th>Suite</th><th class=\"num\">Requests</th>\
         <th>Reason</th></tr></thead>\n<tbody>\n",
    );
    for s in &report.scenarios {
        let reason = match &s.outcome {
            Outcome::Skipped { reason } | Outcome::Errored { reason } => first_line(reason, 300),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "<tr><td><code>{id}</code><br><span class=\"desc\">{desc}</span></td>\
             <td><span class=\"badge o-{outcome}\">{outcome}</span></td><td><code>{file}</code></td>\
             <td class=\"num\">{requests}</td><td>{reason}</td></tr>",
            id = esc(&s.id),
            desc = esc(&first_line(&s.description, 300)),
            outcome = s.outcome.name(),
            file = esc(&s.file),
            requests = s.exchanges.len(),
            reason = esc(&reason),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// Text from the run, safe in HTML text and in a quoted attribute: control characters
/// cleaned (see [`clean`]), then `& < > " '` escaped.
pub(crate) fn esc(s: &str) -> String {
    quick_xml::escape::escape(clean(s).as_ref()).into_owned()
}

/// `esc`, or a visible `(empty)` where an empty value would leave a hole.
fn or_empty(s: &str) -> String {
    if s.is_empty() {
        "(empty)".into()
    } else {
        esc(s)
    }
}

/// The fragment id of a rule's section: `rule-` and the id, anything but letters,
/// digits and `-_.:` replaced by `_` so it is a valid, unquoted-safe fragment.
fn anchor(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("rule-{safe}")
}
