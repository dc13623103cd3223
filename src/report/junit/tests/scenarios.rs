//! `--junit-cases scenarios`: schema validity, hostile text, golden output — the shape
//! of dcrspec 0.1, kept byte for byte.

use quick_xml::events::Event;

use super::{assert_schema_valid, parse, text_of};
use crate::outcome::RunReport;
use crate::report::fixtures::{all_outcomes, assert_golden, empty, fatal_run, hostile};
use crate::report::junit::{Cases, classname};
use crate::report::text::{scenario_message, summary};
use crate::verdict::Verdicts;

/// The report with its verdicts folded, as `write_all` renders it.
fn render(r: &RunReport) -> String {
    crate::report::junit::render(r, &Verdicts::fold(r), Cases::Scenarios)
}

#[test]
fn golden_all_outcomes() {
    assert_golden("all-outcomes.junit.xml", &render(&all_outcomes()));
}

#[test]
fn all_outcomes_is_valid_against_the_schema() {
    assert_schema_valid(&render(&all_outcomes()), "all-outcomes");
}

#[test]
fn hostile_text_is_valid_against_the_schema() {
    assert_schema_valid(&render(&hostile()), "hostile");
}

#[test]
fn empty_report_is_valid_against_the_schema() {
    assert_schema_valid(&render(&empty()), "empty");
}

#[test]
fn fatal_run_is_valid_against_the_schema() {
    assert_schema_valid(&render(&fatal_run()), "fatal");
}

#[test]
fn hostile_text_is_well_formed_and_reads_back() {
    let xml = render(&hostile());
    let (_, texts) = parse(&xml);
    let failure = text_of(&texts, "failure");
    assert_eq!(failure.len(), 1);
    // `]]>` survives the CDATA split; forbidden characters became U+FFFD; emoji stay.
    assert!(
        failure[0].contains("CDATA-end]]> BOM-ish\u{FFFD}\u{FFFD} emoji🦀 <tag a=\"q\"> &"),
        "{}",
        &failure[0][..300]
    );
    assert!(failure[0].contains("NUL\u{FFFD} ESC\u{FFFD}[31m"));
    assert!(
        failure[0].len() > 100 * 1024,
        "the 100 KB actual value is kept in the body"
    );
    let err = text_of(&texts, "system-err");
    assert!(err[0].starts_with(&format!("fatal: {}", "x".repeat(100))));
    assert!(err[0].contains("leftover client NUL\u{FFFD} ESC"));
    assert!(!xml.contains('\u{0}') && !xml.contains('\u{1b}') && !xml.contains('\u{FFFE}'));
    assert!(xml.contains(
        "<property name=\"target\" value=\"NUL\u{FFFD} ESC\u{FFFD}[31m CDATA-end]]&gt; BOM-ish\u{FFFD}\u{FFFD} emoji🦀 &lt;tag a=&quot;q&quot;&gt; &amp; &apos;apos&apos;  \u{FFFD}\"/>"
    ));
}

#[test]
fn hostile_attributes_are_escaped() {
    let xml = render(&hostile());
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut names = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"testcase" => {
                let a = e.try_get_attribute("name").unwrap().unwrap();
                names.push(
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // One line, forbidden characters replaced, markup characters read back as text.
    assert_eq!(
        names[0],
        "NUL\u{FFFD} ESC\u{FFFD}[31m CDATA-end]]> BOM-ish\u{FFFD}\u{FFFD} emoji🦀 <tag a=\"q\"> & 'apos' "
    );
    assert_eq!(names[1..], ["warned", "errored", "skipped", "dcrspec.run"]);
}

#[test]
fn outcomes_map_to_the_right_elements() {
    let xml = render(&all_outcomes());
    let (names, texts) = parse(&xml);
    let children: Vec<_> = names
        .iter()
        .filter(|n| {
            [
                "testcase",
                "failure",
                "error",
                "skipped",
                "properties",
                "system-out",
                "system-err",
            ]
            .contains(&n.as_str())
        })
        .map(String::as_str)
        .collect();
    assert_eq!(
        children,
        [
            "properties",
            "testcase",
            "testcase",
            "failure",
            "testcase",
            "testcase",
            "error",
            "testcase",
            "skipped",
            "system-out",
            "system-err"
        ]
    );
    assert!(xml.contains(
        r#"<testsuite id="0" name="dcrspec" package="dcrspec" tests="5" errors="1" failures="1" skipped="1" hostname="localhost" timestamp="2026-01-01T12:45:45" time="1.5">"#
    ), "{xml}");
    assert!(xml.contains(r#"<property name="target" value="http://127.0.0.1:4445"/>"#));
    assert!(xml.contains(r#"<property name="profile" value="ory"/>"#));
    assert!(xml.contains(
        r#"<testcase name="create-returns-201" time="0.25" classname="dcrspec.create"/>"#
    ));
    assert!(xml.contains(
        r#"<failure type="ory:secret-retained" message="ory:secret-retained (MUST): expected /client_secret absent, actual &quot;[redacted]&quot; (+1 more)">"#
    ), "{xml}");
    assert!(xml.contains(r#"<error type="errored" message="setup step &quot;register&quot; failed: connection refused">"#));
    assert!(
        xml.contains(r#"<skipped type="skipped" message="profile ory lacks capability jwks"/>"#)
    );
    let r = all_outcomes();
    assert_eq!(
        text_of(&texts, "failure"),
        [scenario_message(&r.scenarios[1], &r.catalogue) + "\n"]
    );
    let out = text_of(&texts, "system-out")[0];
    assert!(out.starts_with(&summary(&r, &Verdicts::fold(&r))));
    assert!(
        out.contains("WARNED bad-metadata-is-json-error"),
        "warnings reach system-out"
    );
    assert_eq!(
        text_of(&texts, "system-err"),
        ["leftover client c1 from scenario put-keeps-secret: DELETE returned 500\n"]
    );
}

#[test]
fn fatal_error_is_an_error_testcase() {
    let xml = render(&fatal_run());
    assert!(
        xml.contains(
            "    <testcase name=\"dcrspec.run\" time=\"0\" classname=\"dcrspec\">\n      \
             <error type=\"fatal\" message=\"target http://127.0.0.1:4445 is unreachable: connection refused\">\
             <![CDATA[target http://127.0.0.1:4445 is unreachable: connection refused]]></error>\n    \
             </testcase>\n"
        ),
        "{xml}"
    );
    let (_, texts) = parse(&xml);
    assert_eq!(
        text_of(&texts, "error"),
        ["target http://127.0.0.1:4445 is unreachable: connection refused"]
    );
    assert!(
        xml.contains(r#"tests="1" errors="1" failures="0" skipped="0""#),
        "{xml}"
    );
}

#[test]
fn empty_report_has_every_required_element() {
    let xml = render(&empty());
    let (names, _) = parse(&xml);
    assert_eq!(
        names,
        [
            "testsuites",
            "testsuite",
            "properties",
            "property",
            "property",
            "property",
            "system-out",
            "system-err"
        ]
    );
    assert!(
        xml.contains(r#"timestamp="1970-01-01T00:00:00" time="0""#),
        "{xml}"
    );
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(render(&all_outcomes()), render(&all_outcomes()));
    assert_eq!(render(&hostile()), render(&hostile()));
}

#[test]
fn classnames_are_the_file_stem() {
    assert_eq!(
        classname(&super::super::scenarios::file_stem(
            "suites/ory/secret.json"
        )),
        "dcrspec.secret"
    );
    assert_eq!(classname("a b+c"), "dcrspec.a_b_c");
    assert_eq!(classname(""), "dcrspec");
}
