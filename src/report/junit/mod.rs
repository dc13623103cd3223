//! JUnit XML, valid against the strict Apache Ant schema (`JUnit.xsd`), so every CI
//! server reads it.
//!
//! One `<testsuite name="dcrspec">` inside `<testsuites>`; one `<testcase>` per scenario,
//! `name` the scenario id, `classname` `dcrspec.<suite file stem>`:
//!
//! | outcome | testcase |
//! |---|---|
//! | passed  | empty (success) |
//! | warned  | empty (success); the scenario report goes to the suite's `<system-out>` |
//! | failed  | `<failure type="<rule id>" message="<rule> (MUST): expected …, actual …">` + full report |
//! | errored | `<error type="errored" message="<reason>">` + full report |
//! | skipped | `<skipped type="skipped" message="<reason>"/>` |
//!
//! A fatal run error is an extra `<testcase name="dcrspec.run" classname="dcrspec">` with an
//! `<error type="fatal">`, so CI goes red as the exit code does. Leftover clients (which
//! do not change the exit code) and the fatal error are listed in the suite's
//! `<system-err>`; the run summary opens `<system-out>`.
//!
//! The document is built with `junit-report` and then passed once through quick-xml to fix
//! what the schema rejects in junit-report 0.9.1's output:
//! - `timestamp` is RFC 3339 with a zone (`…Z`, and fractional seconds unless whole);
//!   the schema wants `YYYY-MM-DDTHH:MM:SS`. Rewritten from `started_unix` (UTC).
//! - `<properties>` is required as the suite's first child and junit-report has none;
//!   inserted with `target`, `profile` and `dcrspec.version`.
//! - `<system-out>` and `<system-err>` are required after the testcases; junit-report
//!   writes them only when set, so both are always set (possibly empty).
//! - The suite `time` is the sum of the case times; replaced by the run's wall time.
//! - The optional `skipped` count is missing; added.
//!
//! Other schema points are met by how the document is built rather than fixed after:
//! `classname` is always set (required; optional in junit-report), and testcase `file`,
//! testcase `<system-out>`/`<system-err>` (not in the schema) are never used; `id` and
//! `package` are required on a suite inside `<testsuites>` and junit-report writes them;
//! `hostname` stays junit-report's `localhost`, which the schema names as the default
//! and which keeps the file deterministic.
//!
//! Server text can hold anything. Every string goes through [`clean`] (control
//! characters and U+FFFE/U+FFFF, which XML 1.0 forbids, become U+FFFD); text that lands
//! in CDATA has each `]]>` split across two CDATA sections, as quick-xml's
//! `BytesCData::escaped` does, so it reads back unchanged. junit-report writes both as is.

use std::path::Path;

use junit_report::{Duration, OffsetDateTime, Report, TestCase, TestSuite};
use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesEnd, BytesStart, Event};

use super::text::{finding_headline, scenario_message, summary};
use super::{clean, first_line, utc_fields};
use crate::outcome::{Outcome, RunReport, ScenarioResult};
use crate::verdict::Verdicts;

/// The JUnit XML document for a run, ending in a newline. Deterministic.
pub fn render(report: &RunReport, verdicts: &Verdicts) -> String {
    let suite = suite(report, verdicts);
    let skipped = suite.skipped();
    let mut raw = Vec::new();
    let mut doc = Report::new();
    doc.add_testsuite(suite);
    doc.write_xml(&mut raw)
        .expect("writing XML into a Vec cannot fail");
    let raw = String::from_utf8(raw).expect("junit-report writes UTF-8");
    conform(&raw, report, skipped)
}

fn suite(report: &RunReport, verdicts: &Verdicts) -> TestSuite {
    let mut suite = TestSuite::new("dcrspec");
    suite.package = "dcrspec".into();
    // Overwritten by `conform`; set so junit-report never reads the clock for us.
    suite.set_timestamp(OffsetDateTime::UNIX_EPOCH);
    for s in &report.scenarios {
        suite.add_testcase(testcase(s, report));
    }
    if let Some(fatal) = &report.fatal {
        let mut tc = TestCase::error("dcrspec.run", Duration::ZERO, "fatal", &attr(fatal));
        tc.set_classname("dcrspec");
        set_trace(&mut tc, fatal);
        suite.add_testcase(tc);
    }

    let mut out = summary(report, verdicts) + "\n";
    for s in report
        .scenarios
        .iter()
        .filter(|s| s.outcome == Outcome::Warned)
    {
        out.push('\n');
        out.push_str(&scenario_message(s, &report.catalogue));
        out.push('\n');
    }
    suite.set_system_out(&cdata(&out));

    let mut err = String::new();
    if let Some(fatal) = &report.fatal {
        err.push_str(&format!("fatal: {fatal}\n"));
    }
    for l in &report.leftovers {
        err.push_str(&format!(
            "leftover client {} from scenario {}: {}\n",
            l.client_id, l.scenario, l.reason
        ));
    }
    suite.set_system_err(&cdata(&err));
    suite
}

fn testcase(s: &ScenarioResult, report: &RunReport) -> TestCase {
    let name = attr(&s.id);
    let time = Duration::try_from(s.duration).unwrap_or(Duration::MAX);
    let mut tc = match &s.outcome {
        Outcome::Passed | Outcome::Warned => TestCase::success(&name, time),
        Outcome::Failed => {
            // The first broken MUST is what failed the scenario.
            let first = s
                .findings
                .iter()
                .find(|f| f.level.is_failure())
                .or(s.findings.first());
            let (type_, mut message) = match first {
                Some(f) => (attr(&f.rule), attr(&finding_headline(f))),
                None => (
                    "failed".to_string(),
                    "failed without a recorded finding".to_string(),
                ),
            };
            if s.findings.len() > 1 {
                message.push_str(&format!(" (+{} more)", s.findings.len() - 1));
            }
            TestCase::failure(&name, time, &type_, &message)
        }
        Outcome::Errored { reason } => TestCase::error(&name, time, "errored", &attr(reason)),
        Outcome::Skipped { reason } => {
            let mut tc = TestCase::skipped_with_cause(&name, "skipped", &attr(reason));
            tc.time = time;
            tc
        }
    };
    tc.set_classname(&classname(&s.file));
    if matches!(s.outcome, Outcome::Failed | Outcome::Errored { .. }) {
        set_trace(&mut tc, &(scenario_message(s, &report.catalogue) + "\n"));
    }
    tc
}

/// Sets the CDATA body of a failure or error.
fn set_trace(tc: &mut TestCase, text: &str) {
    use junit_report::TestResult::{Error, Failure};
    if let Error { cause, .. } | Failure { cause, .. } = &mut tc.result {
        *cause = Some(cdata(text));
    }
}

/// `dcrspec.<file stem>`, reduced to characters every JUnit consumer takes in a class name.
fn classname(file: &str) -> String {
    let stem = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        "dcrspec".into()
    } else {
        format!("dcrspec.{stem}")
    }
}

/// An attribute value: one line, XML-safe (quick-xml escapes the markup characters).
fn attr(s: &str) -> String {
    clean(&first_line(s, 300)).into_owned()
}

/// Text for a CDATA section: XML-safe, with `]]>` split across two sections.
fn cdata(s: &str) -> String {
    let s = clean(s);
    if s.contains("]]>") {
        s.replace("]]>", "]]]]><![CDATA[>")
    } else {
        s.into_owned()
    }
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, the only timestamp form the schema accepts.
fn timestamp(unix: u64) -> String {
    let (y, mo, d, h, mi, s) = utc_fields(unix);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
}

/// Copies junit-report's document, fixing the suite element as the module doc lists,
/// and indents it. The input is junit-report's own well-formed output.
fn conform(raw: &str, report: &RunReport, skipped: usize) -> String {
    let mut reader = quick_xml::Reader::from_str(raw);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let bug = "junit-report output is well-formed and fits in memory";
    loop {
        match reader.read_event().expect(bug) {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"testsuite" => {
                w.write_event(Event::Start(suite_start(&e, report, skipped)))
                    .expect(bug);
                write_properties(&mut w, report);
            }
            Event::Empty(e) if e.name().as_ref() == b"testsuite" => {
                // junit-report leaves out what was never set; the schema wants it all.
                w.write_event(Event::Start(suite_start(&e, report, skipped)))
                    .expect(bug);
                write_properties(&mut w, report);
                for name in ["system-out", "system-err"] {
                    w.create_element(name)
                        .write_cdata_content(BytesCData::new(""))
                        .expect(bug);
                }
                w.write_event(Event::End(BytesEnd::new("testsuite")))
                    .expect(bug);
            }
            other => w.write_event(other).expect(bug),
        }
    }
    let mut out = String::from_utf8(w.into_inner()).expect("quick-xml writes UTF-8");
    out.push('\n');
    out
}

fn suite_start(e: &BytesStart, report: &RunReport, skipped: usize) -> BytesStart<'static> {
    let mut fixed = BytesStart::new("testsuite");
    for a in e.attributes() {
        let a = a.expect("junit-report writes valid attributes");
        match a.key.as_ref() {
            b"timestamp" => {
                fixed.push_attribute(("timestamp", timestamp(report.started_unix).as_str()))
            }
            b"time" => {
                fixed.push_attribute(("time", report.duration.as_secs_f64().to_string().as_str()))
            }
            b"failures" => {
                fixed.push_attribute(a);
                fixed.push_attribute(("skipped", skipped.to_string().as_str()));
            }
            // The value is still escaped as written, so it is pushed back unchanged.
            _ => fixed.push_attribute(a),
        }
    }
    fixed.into_owned()
}

fn write_properties(w: &mut Writer<Vec<u8>>, report: &RunReport) {
    // Parsers fold newlines in attributes into spaces anyway; fold them here, visibly.
    let one_line = |s: &str| clean(s).replace(['\n', '\t'], " ");
    let props = [
        ("target", one_line(&report.target)),
        ("profile", one_line(&report.profile)),
        ("dcrspec.version", env!("CARGO_PKG_VERSION").to_string()),
    ];
    let bug = "writing XML into a Vec cannot fail";
    w.write_event(Event::Start(BytesStart::new("properties")))
        .expect(bug);
    for (name, value) in props {
        let el = BytesStart::new("property")
            .with_attributes([("name", name), ("value", value.as_str())]);
        w.write_event(Event::Empty(el)).expect(bug);
    }
    w.write_event(Event::End(BytesEnd::new("properties")))
        .expect(bug);
}

#[cfg(test)]
mod tests;
