//! What `dcrspec run` prints on its standard output when the run ends: a table of the
//! rules that failed, errored or warned (verdict, id, level, in how many scenarios, a
//! one-line reason), then the details grouped by rule — the rule's quote, its first
//! finding in full, every other one as a line (scenario, step) — then the summary.
//! One defect shows once, under its rule, however many scenarios tripped it.
//!
//! Pure: the caller decides on colour (a terminal, `NO_COLOR`) and quietness. Server
//! text is cleaned before any colour is added, so a hostile body cannot drive the
//! terminal and our own escape sequences survive.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::text::{push_field, push_finding, summary};
use super::{clean, first_line};
use crate::outcome::RunReport;
use crate::verdict::Verdict;
use crate::verdict::{RuleVerdict, Verdicts};

/// How the console report looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Look {
    /// ANSI colours (a terminal without `NO_COLOR`).
    pub colour: bool,
    /// Only the summary: no table, no details.
    pub quiet: bool,
}

/// The verdicts shown, worst first.
const SHOWN: [Verdict; 3] = [Verdict::Fail, Verdict::Error, Verdict::Warn];

/// The console report, ending in a newline.
/// What a run under a registration-only profile says before it starts: it cannot delete
/// what it registers. `None` for a profile with a client configuration endpoint, or with
/// the feature off (nothing is registered then).
pub fn registration_only_notice(profile: &crate::profile::Profile) -> Option<String> {
    (!profile.client_management && profile.enabled).then(|| {
        format!(
            "note: profile '{}' has no client configuration endpoint (RFC 7592 is optional): \
             dcrspec cannot delete the clients it registers; they stay on the server, and the \
             reports name each one\n",
            profile.name
        )
    })
}

pub fn render(report: &RunReport, verdicts: &Verdicts, look: Look) -> String {
    let paint = |style: Style, text: &str| {
        if look.colour {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let shown: Vec<&RuleVerdict> = SHOWN.iter().flat_map(|v| verdicts.with(*v)).collect();
    if !look.quiet && !shown.is_empty() {
        table(&mut out, report, &shown, &paint);
        for rv in &shown {
            out.push('\n');
            details(&mut out, report, rv, &paint);
        }
        out.push('\n');
    }
    out.push_str(&clean(&summary(report, verdicts)));
    out.push('\n');
    out
}

fn style_of(v: Verdict) -> Style {
    let colour = match v {
        Verdict::Fail => AnsiColor::Red,
        Verdict::Error => AnsiColor::Magenta,
        Verdict::Warn => AnsiColor::Yellow,
        Verdict::Pass => AnsiColor::Green,
        Verdict::Skip => AnsiColor::BrightBlack,
    };
    Style::new().fg_color(Some(colour.into())).bold()
}

fn label(v: Verdict) -> &'static str {
    match v {
        Verdict::Fail => "FAIL",
        Verdict::Error => "ERROR",
        Verdict::Warn => "WARN",
        Verdict::Pass => "PASS",
        Verdict::Skip => "SKIP",
    }
}

/// The one-line table: verdict, rule, level, scenarios, reason.
fn table(
    out: &mut String,
    report: &RunReport,
    shown: &[&RuleVerdict],
    paint: &impl Fn(Style, &str) -> String,
) {
    // Ids come from suite files: shown on one line, cleaned like any other text.
    let ids: Vec<String> = shown
        .iter()
        .map(|r| clean(&first_line(&r.id, 60)).into_owned())
        .collect();
    let width = ids.iter().map(|id| id.chars().count()).max().unwrap_or(4);
    let bold = Style::new().bold();
    let head = format!(
        "{:<6} {:<width$} {:<8} {:>9}  reason",
        "", "rule", "level", "scenarios"
    );
    let _ = writeln!(out, "{}", paint(bold, head.trim_end()));
    for (rv, id) in shown.iter().zip(&ids) {
        let scenarios = if rv.verdict == Verdict::Error {
            rv.errored.len()
        } else {
            rv.broken_scenarios()
        };
        let _ = writeln!(
            out,
            "{} {:<width$} {:<8} {:>9}  {}",
            paint(style_of(rv.verdict), &format!("{:<6}", label(rv.verdict))),
            id,
            rv.level.as_str(),
            scenarios,
            clean(&reason(report, rv)),
        );
    }
}

/// Why a rule is in the table, in one line.
fn reason(report: &RunReport, rv: &RuleVerdict) -> String {
    if let Some((_, f)) = rv.findings(report).next() {
        let text = format!(
            "expected {}, actual {}",
            first_line(&f.expected, 200),
            first_line(&f.actual, 200)
        );
        return first_line(&text, 100);
    }
    match rv.errored.first().map(|i| &report.scenarios[*i].outcome) {
        Some(crate::outcome::Outcome::Errored { reason }) => first_line(reason, 100),
        _ => "not reached: an earlier check of its scenario broke".into(),
    }
}

/// A rule's details: heading and quote, the first finding in full, the others a line each.
fn details(
    out: &mut String,
    report: &RunReport,
    rv: &RuleVerdict,
    paint: &impl Fn(Style, &str) -> String,
) {
    let heading = match report.catalogue.get(&rv.id) {
        Some(rule) => format!(
            "{} ({}) — {}, {}",
            rv.id,
            rv.level.as_str(),
            rule.source,
            rule.section
        ),
        None => format!("{} ({})", rv.id, rv.level.as_str()),
    };
    let _ = writeln!(
        out,
        "{} {}",
        paint(style_of(rv.verdict), label(rv.verdict)),
        paint(Style::new().bold(), &clean(&heading))
    );
    let mut body = String::new();
    if let Some(rule) = report.catalogue.get(&rv.id) {
        push_field(&mut body, "  ", "", &format!("\"{}\"", rule.quote));
    }
    let mut findings = rv.findings(report);
    if let Some((scenario, first)) = findings.next() {
        let _ = writeln!(body, "  in scenario {}:", scenario.id);
        push_finding(&mut body, "    ", first, false);
        // The others, one line per scenario: its first step and how many more.
        let mut rest: Vec<(&str, &str, usize)> = Vec::new();
        for (s, f) in findings {
            match rest.last_mut() {
                Some((id, _, more)) if *id == s.id => *more += 1,
                _ => rest.push((&s.id, &f.step, 0)),
            }
        }
        let again_here = rest.first().is_some_and(|(id, _, _)| *id == scenario.id);
        if again_here {
            let (_, _, more) = rest.remove(0);
            let _ = writeln!(
                body,
                "  broken {} more time(s) in {}",
                more + 1,
                scenario.id
            );
        }
        if !rest.is_empty() {
            let _ = writeln!(body, "  also broken in {} more scenario(s):", rest.len());
            for (id, step, more) in rest {
                let more = if more > 0 {
                    format!(", +{more} more step(s)")
                } else {
                    String::new()
                };
                let _ = writeln!(body, "    {id} (step {}{more})", first_line(step, 80));
            }
        }
    }
    let errored: Vec<_> = rv.errored.iter().map(|i| &report.scenarios[*i]).collect();
    if let Some((first, rest)) = errored.split_first() {
        let why = match &first.outcome {
            crate::outcome::Outcome::Errored { reason } => reason.as_str(),
            _ => "an earlier check of the scenario broke before this rule was reached",
        };
        push_field(
            &mut body,
            "  ",
            &format!("no verdict in {}: ", first.id),
            why,
        );
        for s in rest {
            let _ = writeln!(body, "    also no verdict in {}", s.id);
        }
    }
    out.push_str(&clean(&body));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{all_outcomes, empty, hostile};

    fn plain(r: &RunReport) -> String {
        render(r, &Verdicts::fold(r), Look::default())
    }

    #[test]
    fn a_failed_rule_is_a_table_row_and_one_detail_block() {
        let r = all_outcomes();
        let v = Verdicts::fold(&r);
        let out = plain(&r);
        for rv in v.with(Verdict::Fail) {
            let rows = out
                .lines()
                .filter(|l| l.starts_with("FAIL   ") && l.contains(&format!(" {} ", rv.id)))
                .count();
            assert_eq!(rows, 1, "{} must have one table row:\n{out}", rv.id);
            let blocks = out
                .lines()
                .filter(|l| l.starts_with(&format!("FAIL {} (", rv.id)))
                .count();
            assert_eq!(blocks, 1, "{} must have one detail block:\n{out}", rv.id);
        }
        assert!(out.ends_with(&(summary(&r, &v) + "\n")), "{out}");
        assert!(!out.contains('\u{1b}'), "no colour unless asked");
    }

    #[test]
    fn quiet_prints_the_summary_alone() {
        let r = all_outcomes();
        let v = Verdicts::fold(&r);
        let quiet = render(
            &r,
            &v,
            Look {
                colour: false,
                quiet: true,
            },
        );
        assert_eq!(quiet, summary(&r, &v) + "\n");
    }

    #[test]
    fn colour_marks_verdicts_and_server_text_cannot_add_escapes() {
        let r = hostile();
        let v = Verdicts::fold(&r);
        let coloured = render(
            &r,
            &v,
            Look {
                colour: true,
                quiet: false,
            },
        );
        assert!(
            coloured.contains(&format!("{}FAIL", style_of(Verdict::Fail))),
            "{coloured}"
        );
        // Remove every escape sequence dcrspec writes: none may be left, so none came
        // from the server (the hostile fixture's text holds ESC[31m).
        let mut ours: Vec<String> = [Verdict::Fail, Verdict::Error, Verdict::Warn]
            .into_iter()
            .flat_map(|v| [style_of(v).to_string(), format!("{:#}", style_of(v))])
            .collect();
        ours.push(Style::new().bold().to_string());
        ours.push(format!("{:#}", Style::new().bold()));
        let mut stripped = coloured.clone();
        for seq in &ours {
            stripped = stripped.replace(seq.as_str(), "");
        }
        assert!(!stripped.contains('\u{1b}'), "{stripped}");
        assert_eq!(stripped, plain(&r));
    }

    #[test]
    fn a_clean_run_is_its_summary() {
        let r = empty();
        assert_eq!(plain(&r), summary(&r, &Verdicts::fold(&r)) + "\n");
    }
}
