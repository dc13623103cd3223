//! JUnit helpers shared by the shape tests: xmllint against the strict Ant XSD, a
//! checking parser, text per element.

use std::path::Path;
use std::process::Command;

use quick_xml::events::Event;

use crate::report::fixtures::scratch_dir;

mod rules;
mod scenarios;

const XSD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/vendor/junit/JUnit.xsd");

/// Runs `xmllint --schema JUnit.xsd` on `xml`; panics with its output if invalid.
/// Missing xmllint is a failure, not a skip: CI installs it.
pub(super) fn assert_schema_valid(xml: &str, tag: &str) {
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
pub(super) fn parse(xml: &str) -> (Vec<String>, Vec<(String, String)>) {
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

pub(super) fn text_of<'a>(texts: &'a [(String, String)], element: &str) -> Vec<&'a str> {
    texts
        .iter()
        .filter(|(n, _)| n == element)
        .map(|(_, t)| t.as_str())
        .collect()
}
