//! JUnit rendering: schema validity (xmllint against the strict Ant XSD), hostile text, golden output.

use std::process::Command;

use quick_xml::events::Event;

use super::*;
use crate::report::fixtures::{
    all_outcomes, assert_golden, empty, fatal_run, hostile, scratch_dir,
};

/// The report with its verdicts folded, as `write_all` renders it.
fn render(r: &RunReport) -> String {
    super::render(r, &Verdicts::fold(r))
}

const XSD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/vendor/junit/JUnit.xsd");

/// Runs `xmllint --schema JUnit.xsd` on `xml`; panics with its output if invalid.
/// Missing xmllint is a failure, not a skip: CI installs it.
fn assert_schema_valid(xml: &str, tag: &str) {
    assert!(Path::new(XSD).is_file(), "schema not found at {XSD}");
    let dir = scratch_dir(tag);
    let file = dir.join("junit.xml");
    std::fs::write(&file, xml).unwrap();
    let out = match Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(XSD)
        .arg(&file)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            panic!("cannot run xmllint ({e}); install it: apt-get install -y libxml2-utils")
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{tag}: JUnit XML fails JUnit.xsd:\n{stderr}"
    );
    assert!(
        stderr.contains("validates"),
        "{tag}: unexpected xmllint output: {stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Parses `xml` with quick-xml, checking that elements nest and close, that every
/// attribute and text unescapes, and that every character is an XML 1.0 `Char`.
/// Returns (element names in document order, concatenated text/CDATA per element).
fn parse(xml: &str) -> (Vec<String>, Vec<(String, String)>) {
    fn xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut names, mut texts, mut stack) =
        (Vec::new(), Vec::new(), Vec::<(String, String)>::new());
    let check = |s: &str| {
        if let Some(c) = s.chars().find(|&c| !xml_char(c)) {
            panic!("not an XML character: {c:?}");
        }
    };
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("malformed XML: {e}"));
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                for a in e.attributes() {
                    let a = a.unwrap();
                    check(
                        &a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap(),
                    );
                }
                names.push(name.clone());
                if matches!(event, Event::Start(_)) {
                    stack.push((name, String::new()));
                }
            }
            Event::End(e) => {
                let (name, text) = stack.pop().expect("end without start");
                assert_eq!(name.as_bytes(), e.name().as_ref());
                texts.push((name, text));
            }
            Event::Text(t) => {
                let t = t.decode().unwrap();
                check(&t);
                assert!(
                    t.trim().is_empty() || !stack.is_empty(),
                    "text outside root"
                );
                if let Some(top) = stack.last_mut() {
                    top.1.push_str(&quick_xml::escape::unescape(&t).unwrap());
                }
            }
            Event::CData(c) => {
                let c = c.decode().unwrap();
                check(&c);
                stack.last_mut().expect("CDATA outside root").1.push_str(&c);
            }
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap();
                let c =
                    quick_xml::escape::resolve_predefined_entity(&name).expect("predefined entity");
                stack
                    .last_mut()
                    .expect("reference outside root")
                    .1
                    .push_str(c);
            }
            Event::Eof => break,
            Event::Decl(_) => {}
            other => panic!("unexpected event {other:?}"),
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    (names, texts)
}

fn text_of<'a>(texts: &'a [(String, String)], element: &str) -> Vec<&'a str> {
    texts
        .iter()
        .filter(|(n, _)| n == element)
        .map(|(_, t)| t.as_str())
        .collect()
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
fn junit_report_alone_fails_the_schema() {
    // Guards the reason `conform` exists: if a junit-report upgrade fixed its output,
    // this fails and the fix-up pass can shrink.
    let mut raw = Vec::new();
    let mut doc = Report::new();
    let r = all_outcomes();
    doc.add_testsuite(suite(&r, &Verdicts::fold(&r)));
    doc.write_xml(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    assert!(raw.contains("timestamp=\"1970-01-01T00:00:00Z\""), "{raw}");
    assert!(!raw.contains("<properties>"));
    let dir = scratch_dir("raw");
    std::fs::write(dir.join("raw.xml"), &raw).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(XSD)
        .arg(dir.join("raw.xml"))
        .output()
        .expect("xmllint missing: apt-get install -y libxml2-utils");
    assert!(
        !out.status.success(),
        "raw junit-report output unexpectedly valid"
    );
    std::fs::remove_dir_all(&dir).unwrap();
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
fn conform_completes_a_bare_suite() {
    let mut raw = Vec::new();
    let mut bare = TestSuite::new("dcrspec");
    bare.set_timestamp(OffsetDateTime::UNIX_EPOCH);
    let mut doc = Report::new();
    doc.add_testsuite(bare);
    doc.write_xml(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    assert!(
        raw.contains("<testsuite ") && raw.contains("/></testsuites>"),
        "{raw}"
    );
    let xml = conform(&raw, &empty(), 0);
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
    assert_schema_valid(&xml, "bare");
}

#[test]
fn cdata_splits_every_cdata_end() {
    assert_eq!(cdata("a]]>b]]>"), "a]]]]><![CDATA[>b]]]]><![CDATA[>");
    assert_eq!(cdata("plain ]] > ]>"), "plain ]] > ]>");
    assert_eq!(classname("suites/ory/secret.json"), "dcrspec.secret");
    assert_eq!(classname("suites/a b+c.json"), "dcrspec.a_b_c");
    assert_eq!(classname(""), "dcrspec");
    assert_eq!(timestamp(1_767_271_545), "2026-01-01T12:45:45");
}
