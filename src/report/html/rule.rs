//! One rule in the HTML report: its level, source, section and quoted text, its verdict
//! and the scenarios behind it, and for fail, warn and error the evidence — each finding
//! with expected against actual and the redacted request and response, each scenario
//! that could not reach a verdict with its reason and its last exchange. The first piece
//! of evidence is shown in full, the rest as one line each that unfolds on a click, so
//! that one systemic defect seen in sixty scenarios stays one screen (or page) long.

use std::fmt::Write as _;

use super::{anchor, esc};
use crate::outcome::{Exchange, Finding, Outcome, RunReport, ScenarioResult};
use crate::report::exchange::{request_text, response_text};
use crate::report::first_line;
use crate::rules::{Rule, family};
use crate::verdict::Verdict;
use crate::verdict::{RuleVerdict, scenario_rule_verdict};

/// How much of a body the report shows, in bytes: as much as the evidence report.
pub const BODY_LIMIT: usize = crate::report::evidence::BODY_LIMIT;

/// The rule's `<article>`, with `data-verdict` and `data-family` for the filters.
pub(super) fn section(out: &mut String, report: &RunReport, rule: &Rule, v: &RuleVerdict) {
    let verdict = v.verdict.as_str();
    let _ = writeln!(
        out,
        "<article class=\"rule v-{verdict}\" id=\"{}\" data-verdict=\"{verdict}\" data-family=\"{}\">\n\
         <h3><span class=\"badge v-{verdict}\">{verdict}</span> <code>{}</code> <span class=\"level\">{}</span></h3>",
        anchor(&rule.id),
        esc(family(&rule.id)),
        esc(&rule.id),
        rule.level.as_str(),
    );
    let _ = writeln!(
        out,
        "<p class=\"source\">{}, section {}</p>\n<blockquote>{}</blockquote>",
        esc(&rule.source),
        esc(&rule.section),
        esc(&rule.quote)
    );
    if let Some(summary) = &rule.summary {
        let _ = writeln!(
            out,
            "<p class=\"summary\"><b>What dcrspec checks:</b> {}</p>",
            esc(summary)
        );
    }
    scenario_list(out, report, v);
    if v.verdict == Verdict::Skip {
        let reasons = skip_reasons(report, v);
        if !reasons.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"reason\"><b>Skipped:</b> {}</p>",
                esc(&reasons.join("; "))
            );
        }
    }
    let findings: Vec<_> = v.findings(report).collect();
    if let Some(((s, f), rest)) = findings.split_first() {
        finding(out, s, f);
        more(
            out,
            rest.len(),
            "finding",
            rest.iter().map(|(s, f)| {
                let line = format!(
                    "<code>{}</code>, step <code>{}</code>: {}",
                    esc(&s.id),
                    esc(&f.step),
                    esc(&first_line(&f.actual, 160))
                );
                (
                    line,
                    Box::new(move |out: &mut String| finding(out, s, f)) as Detail,
                )
            }),
        );
    }
    if let Some((first, rest)) = v.errored.split_first() {
        errored(out, &report.scenarios[*first]);
        more(
            out,
            rest.len(),
            "scenario without a verdict",
            rest.iter().map(|i| {
                let s = &report.scenarios[*i];
                let line = format!("<code>{}</code>: {}", esc(&s.id), esc(&errored_reason(s)));
                (
                    line,
                    Box::new(move |out: &mut String| errored(out, s)) as Detail,
                )
            }),
        );
    }
    out.push_str("</article>\n");
}

/// Writes one piece of evidence in full.
type Detail<'a> = Box<dyn FnOnce(&mut String) + 'a>;

/// The evidence after the first: one line each (where, and what came back), each
/// unfolding to the full evidence on a click. Printed, the lines stay lines, so a
/// defect seen in sixty scenarios prints as a list, not sixty pages.
fn more<'a>(
    out: &mut String,
    n: usize,
    what: &str,
    items: impl Iterator<Item = (String, Detail<'a>)>,
) {
    if n == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"caption\">{n} more {what}{}:</p>\n<ul class=\"more\">",
        plural(n)
    );
    for (line, detail) in items {
        let _ = writeln!(out, "<li><details><summary>{line}</summary>");
        detail(out);
        out.push_str("</details></li>\n");
    }
    out.push_str("</ul>\n");
}

/// The one line the rule table gives a rule: where and how it broke (fail, warn), why
/// it has no verdict (error), why nothing checked it (skip); empty for a pass.
pub(super) fn why(report: &RunReport, v: &RuleVerdict) -> String {
    match v.verdict {
        Verdict::Fail | Verdict::Warn => {
            let Some((s, f)) = v.findings(report).next() else {
                return String::new();
            };
            let more = v.broken_scenarios().saturating_sub(1);
            let mut line = format!(
                "{}: expected {}, actual {}",
                first_line(&s.id, 120),
                first_line(&f.expected, 120),
                first_line(&f.actual, 160)
            );
            if more > 0 {
                let _ = write!(line, " (and {more} more scenario{})", plural(more));
            }
            line
        }
        Verdict::Error => v
            .errored
            .first()
            .map(|i| {
                let s = &report.scenarios[*i];
                format!("{}: {}", first_line(&s.id, 120), errored_reason(s))
            })
            .unwrap_or_default(),
        Verdict::Skip => skip_reasons(report, v).join("; "),
        Verdict::Pass => String::new(),
    }
}

/// Every scenario that speaks to the rule, with the verdict it gives it.
fn scenario_list(out: &mut String, report: &RunReport, v: &RuleVerdict) {
    if v.scenarios.is_empty() {
        out.push_str("<p class=\"none\">No scenario checks this rule in this run.</p>\n");
        return;
    }
    out.push_str("<ul class=\"scenario-verdicts\">");
    for s in report
        .scenarios
        .iter()
        .filter(|s| v.scenarios.contains(&s.id))
    {
        let verdict = scenario_rule_verdict(s, &v.id).map_or("none", Verdict::as_str);
        let _ = write!(
            out,
            "<li><code>{}</code> <span class=\"v v-{verdict}\">{verdict}</span></li>",
            esc(&s.id)
        );
    }
    out.push_str("</ul>\n");
}

/// The distinct reasons the rule's scenarios were skipped, or why nothing checked it.
fn skip_reasons(report: &RunReport, v: &RuleVerdict) -> Vec<String> {
    if v.scenarios.is_empty() {
        return vec!["no scenario checks this rule in this run".into()];
    }
    let mut reasons: Vec<String> = Vec::new();
    for s in report
        .scenarios
        .iter()
        .filter(|s| v.scenarios.contains(&s.id))
    {
        if let Outcome::Skipped { reason } = &s.outcome {
            let reason = first_line(reason, 300);
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    }
    reasons
}

/// Why a scenario gave a rule `error`: the scenario's own reason, or that it stopped
/// before it checked the rule (a scenario stops at its first failed step).
fn errored_reason(s: &ScenarioResult) -> String {
    match &s.outcome {
        Outcome::Errored { reason } => first_line(reason, 300),
        Outcome::Failed => {
            "the scenario stopped at an earlier failure, before this rule's checks".into()
        }
        Outcome::Skipped { reason } => format!("skipped: {}", first_line(reason, 300)),
        Outcome::Passed | Outcome::Warned => "the scenario ended before this rule's checks".into(),
    }
}

fn finding(out: &mut String, s: &ScenarioResult, f: &Finding) {
    let _ = writeln!(
        out,
        "<div class=\"finding\">\n<h4>In <code>{}</code>, step <code>{}</code> <span class=\"level\">{}</span></h4>\n\
         <dl class=\"ea\"><dt>Expected</dt><dd><pre>{}</pre></dd><dt>Actual</dt><dd><pre>{}</pre></dd>\
         <dt>Checked at</dt><dd><pre>{}</pre></dd></dl>",
        esc(&s.id),
        esc(&f.step),
        f.level.as_str(),
        esc(&crate::report::truncate(&f.expected, BODY_LIMIT)),
        esc(&crate::report::truncate(&f.actual, BODY_LIMIT)),
        esc(&f.at),
    );
    exchange(out, &f.exchange);
    out.push_str("</div>\n");
}

fn errored(out: &mut String, s: &ScenarioResult) {
    let _ = writeln!(
        out,
        "<div class=\"finding errored\">\n<h4>No verdict in <code>{}</code></h4>\n<p class=\"reason\">{}</p>",
        esc(&s.id),
        esc(&errored_reason(s))
    );
    match s.exchanges.last() {
        Some(ex) => {
            out.push_str("<p class=\"caption\">The scenario's last exchange:</p>\n");
            exchange(out, ex);
        }
        None => out.push_str("<p class=\"none\">The scenario sent no request.</p>\n"),
    }
    out.push_str("</div>\n");
}

/// The request and the response (or transport error) side by side, as recorded.
fn exchange(out: &mut String, ex: &Exchange) {
    let _ = writeln!(
        out,
        "<div class=\"exchange\"><figure><figcaption>Request</figcaption><pre class=\"http\">{}</pre></figure>\
         <figure><figcaption>Response</figcaption><pre class=\"http\">{}</pre></figure></div>",
        esc(request_text(&ex.request, BODY_LIMIT).trim_end_matches('\n')),
        esc(response_text(ex, BODY_LIMIT).trim_end_matches('\n')),
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
