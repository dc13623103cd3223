//! `--junit-cases rules`: a suite per family, a case per rule, failures equal to the
//! failed rules, one defect in many scenarios reported once; valid against the schema.

use super::{assert_schema_valid, parse, text_of};
use crate::outcome::{Outcome, RunReport};
use crate::report::fixtures::{
    all_outcomes, assert_golden, empty, exchange, fatal_run, finding, hostile, report, rule,
    scenario,
};
use crate::report::junit::{Cases, render};
use crate::rules::Level;
use crate::verdict::Verdict;
use crate::verdict::Verdicts;

fn rules_xml(r: &RunReport) -> String {
    render(r, &Verdicts::fold(r), Cases::Rules)
}

/// `(case name, classname, result element or "")`.
type CaseShape = (String, String, String);

/// Every `(suite name, cases)`, in order.
fn shape(xml: &str) -> Vec<(String, Vec<CaseShape>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut suites: Vec<(String, Vec<CaseShape>)> = Vec::new();
    let get = |e: &quick_xml::events::BytesStart, name: &str| {
        e.try_get_attribute(name)
            .unwrap()
            .unwrap()
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .unwrap()
            .into_owned()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => suites.push((get(&e, "name"), Vec::new())),
                b"testcase" => suites.last_mut().unwrap().1.push((
                    get(&e, "name"),
                    get(&e, "classname"),
                    String::new(),
                )),
                n @ (b"failure" | b"error" | b"skipped") => {
                    let case = suites.last_mut().unwrap().1.last_mut().unwrap();
                    case.2 = String::from_utf8(n.to_vec()).unwrap();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    suites
}

/// One defect (a MUST rule) broken in three scenarios, twice in the second, as a server
/// that sends empty arrays as `null` does; a second rule that holds.
fn one_defect_everywhere() -> RunReport {
    let catalogue = vec![
        rule(
            "ory:client-schema",
            Level::Must,
            "Ory API reference",
            "oAuth2Client",
            "Every client body matches the documented oAuth2Client schema.",
        ),
        rule(
            "RFC7591-3.2.1-a",
            Level::Must,
            "RFC 7591",
            "3.2.1",
            "The server responds with an HTTP 201 Created status code.",
        ),
    ];
    let ex = |n: u32| {
        exchange(
            "GET",
            &format!("http://127.0.0.1:4445/oauth2/register/c{n}"),
            None,
            200,
            r#"{"client_id":"c1","contacts":null}"#,
        )
    };
    let scenarios = (1..=3)
        .map(|n| {
            let mut s = scenario(
                &format!("scenario-{n}"),
                Outcome::Failed,
                &["RFC7591-3.2.1-a"],
            );
            s.checked.push("ory:client-schema".into());
            s.findings.push(finding(
                "ory:client-schema",
                Level::Must,
                "body matches oAuth2Client",
                &format!("/contacts: null is not of type \"array\" (scenario {n})"),
                ex(n),
            ));
            if n == 2 {
                let mut again = s.findings[0].clone();
                again.step = "read back".into();
                s.findings.push(again);
            }
            s
        })
        .collect();
    report(catalogue, scenarios)
}

#[test]
fn golden_all_outcomes() {
    assert_golden("all-outcomes.rules.junit.xml", &rules_xml(&all_outcomes()));
}

#[test]
fn every_fixture_is_valid_against_the_schema() {
    for (tag, r) in [
        ("rules-all-outcomes", all_outcomes()),
        ("rules-hostile", hostile()),
        ("rules-empty", empty()),
        ("rules-fatal", fatal_run()),
        ("rules-one-defect", one_defect_everywhere()),
    ] {
        assert_schema_valid(&rules_xml(&r), tag);
    }
}

#[test]
fn a_suite_per_family_and_a_case_per_rule_with_its_verdict() {
    let r = all_outcomes();
    let s = shape(&rules_xml(&r));
    let case = |name: &str, class: &str, el: &str| (name.into(), class.into(), el.to_string());
    assert_eq!(
        s,
        vec![
            (
                "RFC7591".into(),
                vec![
                    case("RFC7591-3.2.1/created", "dcrspec.RFC7591", ""),
                    case("RFC7591-3.2.2/error-json", "dcrspec.RFC7591", ""),
                ]
            ),
            (
                "ory".into(),
                vec![case("ory:secret-retained", "dcrspec.ory", "failure")]
            ),
            (
                "RFC7592".into(),
                vec![
                    case("RFC7592-2.3/delete-204", "dcrspec.RFC7592", "error"),
                    case("RFC7592-3/rat-present", "dcrspec.RFC7592", "skipped"),
                ]
            ),
            (
                "OIDCR".into(),
                vec![case("OIDCR-2/jwks", "dcrspec.OIDCR", "skipped")]
            ),
            ("dcrspec".into(), vec![]),
        ]
    );
    // The failing cases are exactly the failed rules, the errors the errored ones.
    let v = Verdicts::fold(&r);
    let with = |el: &str| -> Vec<String> {
        let mut ids: Vec<String> = s
            .iter()
            .flat_map(|(_, cases)| cases)
            .filter(|c| c.2 == el)
            .map(|c| c.0.clone())
            .collect();
        ids.sort();
        ids
    };
    let ids = |verdict: Verdict| -> Vec<String> {
        let mut ids: Vec<String> = v.with(verdict).map(|r| r.id.clone()).collect();
        ids.sort();
        ids
    };
    assert_eq!(with("failure"), ids(Verdict::Fail));
    assert_eq!(with("error"), ids(Verdict::Error));
    assert_eq!(with("skipped"), ids(Verdict::Skip));
}

#[test]
fn suite_counts_follow_the_cases() {
    let xml = rules_xml(&all_outcomes());
    for needle in [
        r#"<testsuite id="0" name="RFC7591" package="dcrspec" tests="2" errors="0" failures="0" skipped="0" hostname="localhost" timestamp="2026-01-01T12:45:45" time="1">"#,
        r#"<testsuite id="1" name="ory" package="dcrspec" tests="1" errors="0" failures="1" skipped="0""#,
        r#"<testsuite id="2" name="RFC7592" package="dcrspec" tests="2" errors="1" failures="0" skipped="1""#,
        r#"<testsuite id="4" name="dcrspec" package="dcrspec" tests="0" errors="0" failures="0" skipped="0" hostname="localhost" timestamp="2026-01-01T12:45:45" time="1.5">"#,
    ] {
        assert!(xml.contains(needle), "missing {needle}\n{xml}");
    }
}

#[test]
fn one_defect_in_many_scenarios_is_one_failure_naming_the_first_and_counting_the_rest() {
    let r = one_defect_everywhere();
    let xml = rules_xml(&r);
    let s = shape(&xml);
    let failures: Vec<_> = s
        .iter()
        .flat_map(|(_, c)| c)
        .filter(|c| c.2 == "failure")
        .collect();
    assert_eq!(failures.len(), 1, "{xml}");
    assert_eq!(failures[0].0, "ory:client-schema");
    // The scenario-level failures of the same run: one per scenario.
    assert_eq!(
        render(&r, &Verdicts::fold(&r), Cases::Scenarios)
            .matches("<failure ")
            .count(),
        3
    );
    assert!(
        xml.contains(
            r#"<failure type="MUST" message="ory:client-schema (MUST) &quot;Every client body matches the documented oAuth2Client schema.&quot;: broke in 3 scenarios; first in scenario-1: expected body matches oAuth2Client, actual /contacts: null is not of type &quot;array&quot; (scenario 1)">"#
        ),
        "{xml}"
    );
    let (_, texts) = parse(&xml);
    let body = text_of(&texts, "failure")[0];
    assert_eq!(
        body.lines().take(9).collect::<Vec<_>>(),
        [
            "FAILED ory:client-schema (MUST)",
            "  \"Every client body matches the documented oAuth2Client schema.\"",
            "  source: Ory API reference, oAuth2Client",
            "  broke in 3 scenarios (4 findings):",
            "    scenario-1 (step update without client_secret)",
            "    scenario-2 (step update without client_secret, +1 more)",
            "    scenario-3 (step update without client_secret)",
            "",
            "  first finding, in scenario scenario-1 (suites/ory/basic.json):",
        ],
        "{body}"
    );
    // The first finding in full, with its exchange; the others only counted.
    assert!(
        body.contains("     actual:   /contacts: null is not of type \"array\" (scenario 1)\n"),
        "{body}"
    );
    assert!(
        body.contains("     < {\"client_id\":\"c1\",\"contacts\":null}\n"),
        "{body}"
    );
    assert!(!body.contains("(scenario 2)"), "{body}");
    assert!(
        body.ends_with("  + 3 more findings: every finding is in the JSON and evidence reports\n"),
        "{body}"
    );
}

#[test]
fn a_warned_rule_passes_with_its_report_in_the_family_output() {
    let xml = rules_xml(&all_outcomes());
    assert!(
        xml.contains(
            r#"<testcase name="RFC7591-3.2.2/error-json" time="0.5" classname="dcrspec.RFC7591"/>"#
        ),
        "{xml}"
    );
    let (_, texts) = parse(&xml);
    let out = text_of(&texts, "system-out");
    assert!(
        out[0].starts_with("RFC7591: 0 fail, 0 error, 1 warn, 1 pass, 0 skip (2 rules)\n\nWARNED RFC7591-3.2.2/error-json (SHOULD)\n"),
        "{}",
        out[0]
    );
    assert!(out[0].contains("  broke in 2 scenarios (2 findings):\n"));
    // The run suite's output is the summary.
    assert!(
        out.last()
            .unwrap()
            .starts_with("rules: 1 fail, 1 error, 1 warn, 1 pass, 2 skip (6 in all)\n")
    );
}

#[test]
fn errored_and_skipped_rules_say_why() {
    let xml = rules_xml(&all_outcomes());
    assert!(
        xml.contains(
            r#"<error type="error" message="RFC7592-2.3/delete-204 (MUST) &quot;If a client has been successfully deprovisioned, the authorization server MUST respond with an HTTP 204 No Content messa…&quot;: no verdict in 1 scenario; first delete-returns-204: setup step &quot;register&quot; failed: connection refused">"#
        ),
        "{xml}"
    );
    assert!(xml.contains(
        "  no verdict in 1 scenario:\n    delete-returns-204: setup step \"register\" failed: connection refused\n"
    ));
    assert!(xml.contains(
        r#"<testcase name="OIDCR-2/jwks" time="0.25" classname="dcrspec.OIDCR">
      <skipped type="skipped" message="profile ory lacks capability jwks"/>"#
    ));
    assert!(xml.contains(
        r#"<testcase name="RFC7592-3/rat-present" time="0" classname="dcrspec.RFC7592">
      <skipped type="skipped" message="no scenario of this run checks it"/>"#
    ));
}

#[test]
fn an_errored_rule_that_also_warned_says_why_it_has_no_verdict_first() {
    let mut r = all_outcomes();
    // The SHOULD rule that warned is also declared by the errored scenario.
    r.scenarios[3].rules.push("RFC7591-3.2.2/error-json".into());
    let v = Verdicts::fold(&r);
    assert_eq!(
        v.get("RFC7591-3.2.2/error-json").unwrap().verdict,
        Verdict::Error
    );
    let xml = rules_xml(&r);
    assert!(
        xml.contains(r#"<error type="error" message="RFC7591-3.2.2/error-json (SHOULD) &quot;The server responds with an HTTP 400 status code and a body of type &quot;application/json&quot;.&quot;: no verdict in 1 scenario; first delete-returns-204: setup step"#),
        "{xml}"
    );
    // The body has both: where it broke and where it could not be judged.
    let (_, texts) = parse(&xml);
    let body = text_of(&texts, "error")
        .into_iter()
        .find(|b| b.starts_with("ERROR RFC7591-3.2.2/error-json"))
        .unwrap();
    assert!(
        body.contains("  broke in 2 scenarios (2 findings):\n"),
        "{body}"
    );
    assert!(
        body.contains("\n  no verdict in 1 scenario:\n    delete-returns-204: "),
        "{body}"
    );
}

#[test]
fn a_fatal_run_is_an_error_case_in_the_run_suite_with_leftovers_beside_it() {
    let xml = rules_xml(&fatal_run());
    assert_eq!(
        shape(&xml),
        vec![(
            "dcrspec".to_string(),
            vec![(
                "dcrspec.run".to_string(),
                "dcrspec".to_string(),
                "error".to_string()
            )]
        )]
    );
    let (_, texts) = parse(&rules_xml(&all_outcomes()));
    assert_eq!(
        text_of(&texts, "system-err"),
        [
            "",
            "",
            "",
            "",
            "leftover client c1 from scenario put-keeps-secret: DELETE returned 500\n"
        ]
    );
}

#[test]
fn hostile_rules_read_back_and_the_family_name_stays_a_token() {
    let xml = rules_xml(&hostile());
    let (_, texts) = parse(&xml);
    let failure = text_of(&texts, "failure");
    assert_eq!(failure.len(), 1);
    assert!(failure[0].contains("CDATA-end]]> BOM-ish\u{FFFD}\u{FFFD} emoji🦀"));
    assert!(!xml.contains('\u{0}') && !xml.contains('\u{1b}'));
    // A rule id with no family text still lands in a named suite.
    let mut r = all_outcomes();
    r.catalogue = crate::rules::Catalogue::new(vec![rule("-x", Level::Must, "s", "1", "q")]);
    let xml = rules_xml(&r);
    assert!(xml.contains(r#"name="dcrspec" package"#), "{xml}");
    assert_schema_valid(&xml, "rules-empty-family");
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(rules_xml(&all_outcomes()), rules_xml(&all_outcomes()));
    assert_eq!(rules_xml(&hostile()), rules_xml(&hostile()));
}
