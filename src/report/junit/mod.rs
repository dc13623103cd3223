//! JUnit XML, valid against the strict Apache Ant schema (`vendor/junit/JUnit.xsd`), so
//! every CI server reads it. Two shapes, chosen with `--junit-cases`:
//!
//! - [`Cases::Rules`] (the default, [`rules`]): a `<testsuite>` per rule family (`ory`,
//!   `RFC7591`, …) and a `<testcase>` per rule, so test names are rule ids: stable across
//!   dcrspec versions, and what baselines name. One defect is one red test.
//! - [`Cases::Scenarios`] ([`scenarios`]): one `<testsuite name="dcrspec">` and a
//!   `<testcase>` per scenario, the shape of dcrspec 0.1.
//!
//! Both end with what the schema has no testcase-level place for in the suites'
//! `<system-out>` (the run summary, warnings: a SHOULD is not a gate, so a warned rule or
//! scenario is a passing case whose finding is written there) and `<system-err>` (the
//! fatal error, leftover clients). A fatal run error is also an `<error>` testcase
//! `dcrspec.run`, so CI goes red as the exit code does.
//!
//! The document is written with quick-xml from the small model below. Schema points met
//! by construction: `<testsuites>` has no attributes; every suite has `id`, `package`,
//! `hostname` (`localhost`, the schema's default, which keeps the file deterministic),
//! `<properties>` first (`target`, `profile`, `dcrspec.version`) and `<system-out>`,
//! `<system-err>` last, even empty; `timestamp` is `YYYY-MM-DDTHH:MM:SS` (UTC, from
//! `started_unix`); a testcase has only `name`, `classname` and `time` and at most one
//! of `<failure>`, `<error>`, `<skipped>`.
//!
//! Server text can hold anything. Every string goes through `clean` (control
//! characters and U+FFFE/U+FFFF, which XML 1.0 forbids, become U+FFFD); attributes are
//! one line (quick-xml escapes the markup characters); text in CDATA has each `]]>`
//! split across two CDATA sections, so it reads back unchanged.

use std::time::Duration;

use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, Event};

use super::{clean, first_line, utc_fields};
use crate::outcome::RunReport;
use crate::verdict::Verdicts;

pub mod rules;
pub mod scenarios;

/// What a `<testcase>` stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Cases {
    /// One testcase per rule, one testsuite per rule family.
    #[default]
    Rules,
    /// One testcase per scenario, in one testsuite.
    Scenarios,
}

/// The JUnit XML document for a run, ending in a newline. Deterministic.
pub fn render(report: &RunReport, verdicts: &Verdicts, cases: Cases) -> String {
    let suites = match cases {
        Cases::Rules => rules::suites(report, verdicts),
        Cases::Scenarios => scenarios::suites(report, verdicts),
    };
    write(&suites, report)
}

/// One `<testsuite>`, before it is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Suite {
    pub name: String,
    pub cases: Vec<Case>,
    pub time: Duration,
    pub system_out: String,
    pub system_err: String,
}

/// One `<testcase>`, before it is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Case {
    pub name: String,
    pub classname: String,
    pub time: Duration,
    pub result: CaseResult,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CaseResult {
    Passed,
    /// `<failure type message>body</failure>`
    Failure {
        type_: String,
        message: String,
        body: String,
    },
    /// `<error type message>body</error>`
    Error {
        type_: String,
        message: String,
        body: String,
    },
    /// `<skipped type="skipped" message/>`
    Skipped {
        message: String,
    },
}

/// The `dcrspec.run` testcase that turns CI red on a fatal run error.
pub(crate) fn fatal_case(fatal: &str) -> Case {
    Case {
        name: "dcrspec.run".into(),
        classname: "dcrspec".into(),
        time: Duration::ZERO,
        result: CaseResult::Error {
            type_: "fatal".into(),
            message: fatal.into(),
            body: fatal.into(),
        },
    }
}

/// The `<system-err>` every shape writes: the fatal error and the leftover clients.
pub(crate) fn run_errors(report: &RunReport) -> String {
    let mut err = String::new();
    if let Some(fatal) = &report.fatal {
        err.push_str(&format!("fatal: {fatal}\n"));
    }
    // A registration-only run leaves every client by design: that is in the summary
    // (`<system-out>`) and the properties, not among the errors.
    for l in report.undeleted() {
        err.push_str(&format!(
            "leftover client {} from scenario {}: {}\n",
            l.client_id, l.scenario, l.reason
        ));
    }
    err
}

/// `dcrspec.<name>`, reduced to characters every JUnit consumer takes in a class name.
pub(crate) fn classname(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "dcrspec".into()
    } else {
        format!("dcrspec.{name}")
    }
}

/// An attribute value: one line, XML-safe (quick-xml escapes the markup characters).
pub(crate) fn attr(s: &str, limit: usize) -> String {
    clean(&first_line(s, limit)).into_owned()
}

/// How long a `message` is cut to by the shapes, in bytes; the body has the rest.
pub(crate) const MESSAGE_LIMIT: usize = 300;

/// The writer's own bound on any attribute, a safety net above [`MESSAGE_LIMIT`] so that
/// a shape's suffix (`(+2 more)`) is never cut.
const ATTR_LIMIT: usize = 1024;

/// `YYYY-MM-DDTHH:MM:SS` in UTC, the only timestamp form the schema accepts.
fn timestamp(unix: u64) -> String {
    let (y, mo, d, h, mi, s) = utc_fields(unix);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
}

fn seconds(d: Duration) -> String {
    d.as_secs_f64().to_string()
}

const BUG: &str = "writing XML into a Vec cannot fail";

/// The whole document, indented by two spaces.
fn write(suites: &[Suite], report: &RunReport) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
        .expect(BUG);
    w.write_event(Event::Start(BytesStart::new("testsuites")))
        .expect(BUG);
    for (id, suite) in suites.iter().enumerate() {
        write_suite(&mut w, id, suite, report);
    }
    w.write_event(Event::End(BytesEnd::new("testsuites")))
        .expect(BUG);
    let mut out = String::from_utf8(w.into_inner()).expect("quick-xml writes UTF-8");
    out.push('\n');
    out
}

fn write_suite(w: &mut Writer<Vec<u8>>, id: usize, suite: &Suite, report: &RunReport) {
    let count = |f: fn(&CaseResult) -> bool| {
        suite
            .cases
            .iter()
            .filter(|c| f(&c.result))
            .count()
            .to_string()
    };
    // The name is an xs:token of at least one character.
    let name = attr(&suite.name, ATTR_LIMIT);
    let name = if name.trim().is_empty() {
        "dcrspec".to_string()
    } else {
        name
    };
    let start = BytesStart::new("testsuite").with_attributes([
        ("id", id.to_string().as_str()),
        ("name", name.as_str()),
        ("package", "dcrspec"),
        ("tests", suite.cases.len().to_string().as_str()),
        (
            "errors",
            count(|r| matches!(r, CaseResult::Error { .. })).as_str(),
        ),
        (
            "failures",
            count(|r| matches!(r, CaseResult::Failure { .. })).as_str(),
        ),
        (
            "skipped",
            count(|r| matches!(r, CaseResult::Skipped { .. })).as_str(),
        ),
        ("hostname", "localhost"),
        ("timestamp", timestamp(report.started_unix).as_str()),
        ("time", seconds(suite.time).as_str()),
    ]);
    w.write_event(Event::Start(start)).expect(BUG);
    write_properties(w, report);
    for case in &suite.cases {
        write_case(w, case);
    }
    write_cdata_element(w, BytesStart::new("system-out"), &suite.system_out);
    write_cdata_element(w, BytesStart::new("system-err"), &suite.system_err);
    w.write_event(Event::End(BytesEnd::new("testsuite")))
        .expect(BUG);
}

fn write_properties(w: &mut Writer<Vec<u8>>, report: &RunReport) {
    // Parsers fold newlines in attributes into spaces anyway; fold them here, visibly.
    let one_line = |s: &str| clean(s).replace(['\n', '\t'], " ");
    let mut props = vec![
        ("target", one_line(&report.target)),
        ("profile", one_line(&report.profile)),
        ("dcrspec.version", env!("CARGO_PKG_VERSION").to_string()),
    ];
    let left: Vec<&str> = report
        .registration_only_leftovers()
        .map(|l| l.client_id.as_str())
        .collect();
    if !left.is_empty() {
        // What a registration-only run left on the server: how many, and which.
        props.push(("dcrspec.clients-left", left.len().to_string()));
        props.push(("dcrspec.clients-left.ids", one_line(&left.join(" "))));
    }
    w.write_event(Event::Start(BytesStart::new("properties")))
        .expect(BUG);
    for (name, value) in props {
        let el = BytesStart::new("property")
            .with_attributes([("name", name), ("value", value.as_str())]);
        w.write_event(Event::Empty(el)).expect(BUG);
    }
    w.write_event(Event::End(BytesEnd::new("properties")))
        .expect(BUG);
}

fn write_case(w: &mut Writer<Vec<u8>>, case: &Case) {
    let start = BytesStart::new("testcase").with_attributes([
        ("name", attr(&case.name, ATTR_LIMIT).as_str()),
        ("time", seconds(case.time).as_str()),
        ("classname", case.classname.as_str()),
    ]);
    let (element, type_, message, body) = match &case.result {
        CaseResult::Passed => {
            w.write_event(Event::Empty(start)).expect(BUG);
            return;
        }
        CaseResult::Failure {
            type_,
            message,
            body,
        } => ("failure", type_.as_str(), message, Some(body)),
        CaseResult::Error {
            type_,
            message,
            body,
        } => ("error", type_.as_str(), message, Some(body)),
        CaseResult::Skipped { message } => ("skipped", "skipped", message, None),
    };
    w.write_event(Event::Start(start)).expect(BUG);
    let el = BytesStart::new(element).with_attributes([
        ("type", attr(type_, ATTR_LIMIT).as_str()),
        ("message", attr(message, ATTR_LIMIT).as_str()),
    ]);
    match body {
        Some(body) => write_cdata_element(w, el, body),
        None => w.write_event(Event::Empty(el)).expect(BUG),
    }
    w.write_event(Event::End(BytesEnd::new("testcase")))
        .expect(BUG);
}

/// `<el>` + the text as CDATA (split at each `]]>`) + `</el>`, on one line.
fn write_cdata_element(w: &mut Writer<Vec<u8>>, el: BytesStart, text: &str) {
    let end = BytesEnd::new(String::from_utf8_lossy(el.name().as_ref()).into_owned());
    w.write_event(Event::Start(el)).expect(BUG);
    let text = clean(text);
    let mut pieces = BytesCData::escaped(&text).peekable();
    if pieces.peek().is_none() {
        w.write_event(Event::CData(BytesCData::new(""))).expect(BUG);
    }
    for piece in pieces {
        w.write_event(Event::CData(piece)).expect(BUG);
    }
    w.write_event(Event::End(end)).expect(BUG);
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod writer_tests {
    use super::*;

    fn cdata_element(text: &str) -> String {
        let mut w = Writer::new(Vec::new());
        write_cdata_element(&mut w, BytesStart::new("x"), text);
        String::from_utf8(w.into_inner()).unwrap()
    }

    #[test]
    fn cdata_splits_every_cdata_end_and_keeps_empty_text() {
        assert_eq!(
            cdata_element("a]]>b]]>"),
            "<x><![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>]]></x>"
        );
        assert_eq!(
            cdata_element("plain ]] > ]>"),
            "<x><![CDATA[plain ]] > ]>]]></x>"
        );
        assert_eq!(cdata_element(""), "<x><![CDATA[]]></x>");
        assert_eq!(cdata_element("nul\u{0}"), "<x><![CDATA[nul\u{FFFD}]]></x>");
    }

    #[test]
    fn timestamps_and_times_have_the_schema_forms() {
        assert_eq!(timestamp(1_767_271_545), "2026-01-01T12:45:45");
        assert_eq!(seconds(Duration::ZERO), "0");
        assert_eq!(seconds(Duration::from_millis(1_500)), "1.5");
    }
}
