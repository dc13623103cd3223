//! Registration-only servers (profiles `rfc7591` and `mcp`, issue 10 parts 3 and 5): the
//! embedded registration-only server passes every rule that applies; the management
//! scenarios are skipped with the reason; every client the run registers is left on the
//! server by design, named in every report, and not a harness error (exit 0).

mod common;

use std::collections::BTreeSet;

use common::{assert_junit_matches_rule_verdicts, dcrspec, scratch, xmllint};
use dcrspec::outcome::{LeftoverCause, Outcome};
use dcrspec::profile::NO_CLIENT_MANAGEMENT;
use dcrspec::server::Faults;
use dcrspec::session::{self, Inputs};
use dcrspec::verdict::{Verdict, rule_verdicts};

fn run(profile: &str) -> session::ReferenceRun {
    session::against_reference(Inputs::built_in(profile).unwrap(), Faults::default()).unwrap()
}

/// The rule ids of a built-in rules file.
fn rules_of(text: &str) -> Vec<String> {
    let file: serde_json::Value = serde_json::from_str(text).unwrap();
    file["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every scenario passes or is skipped; each one that needs the configuration endpoint is
/// skipped for that reason; every RFC 7591 rule is judged and holds (but the OpenID Connect
/// readings and the feature-off rule); no RFC 7592 management rule is; every client the
/// run registered is left, named as registration-only. Returns the rule verdicts.
fn check_registration_only(run: &session::ReferenceRun) -> Vec<(String, Verdict)> {
    let suite = dcrspec::suite::load::embedded().unwrap();
    for s in &run.report.scenarios {
        let sc = suite.scenarios.iter().find(|x| x.id == s.id).unwrap();
        let manages = sc.requires.iter().any(|r| r == "client-management");
        match &s.outcome {
            Outcome::Skipped { reason } if manages => {
                assert_eq!(reason, NO_CLIENT_MANAGEMENT, "{}", s.id)
            }
            Outcome::Passed | Outcome::Skipped { .. } => assert!(!manages, "{}", s.id),
            other => panic!(
                "scenario {} did not pass: {other:?}\n{}",
                s.id,
                dcrspec::report::text::scenario_message(s, &run.report.catalogue)
            ),
        }
    }
    let v: Vec<(String, Verdict)> = rule_verdicts(&run.report)
        .into_iter()
        .map(|r| (r.id, r.verdict))
        .collect();
    let verdict = |id: &str| v.iter().find(|(r, _)| r == id).unwrap().1;
    for id in rules_of(include_str!("../suites/rfc7591/rules.json")) {
        let want = if matches!(id.as_str(), "OIDCR-3.2-a" | "OIDCR-2-b" | "DCR-OFF-b") {
            Verdict::Skip
        } else {
            Verdict::Pass
        };
        assert_eq!(verdict(&id), want, "{id}");
    }
    for id in rules_of(include_str!("../suites/rfc7592/rules.json")) {
        assert_eq!(verdict(&id), Verdict::Skip, "{id}");
    }
    // Registration-only: no credentials handed out (a pass), none asked for (a skip).
    assert_eq!(verdict("RFC7592-OPT-a"), Verdict::Pass);
    assert_eq!(verdict("RFC7592-3-a"), Verdict::Skip);
    let left = &run.report.leftovers;
    assert!(!left.is_empty());
    assert_eq!(left.len(), run.clients_left, "every client left is named");
    assert!(
        left.iter()
            .all(|l| l.cause == LeftoverCause::RegistrationOnly),
        "{left:?}"
    );
    let ids: BTreeSet<&str> = left.iter().map(|l| l.client_id.as_str()).collect();
    assert_eq!(ids.len(), left.len(), "each client named once");
    v
}

#[test]
fn rfc7591_profile_passes_every_registration_rule_and_names_what_it_leaves() {
    let run = run("rfc7591");
    let v = check_registration_only(&run);
    for id in ["MCP-DCR-a", "RFC8252-7.3-a"] {
        assert!(v.contains(&(id.to_string(), Verdict::Skip)), "{id}");
    }
    // The registrations this profile costs (each one stays on the server): measured, and
    // stated in README.md; a change here is a change to what users are left with.
    eprintln!("rfc7591: {} clients left", run.report.leftovers.len());
}

#[test]
fn mcp_profile_adds_the_mcp_scenarios() {
    let run = run("mcp");
    let v = check_registration_only(&run);
    for id in ["MCP-DCR-a", "RFC8252-7.3-a", "RFC7591-2-e"] {
        assert!(v.contains(&(id.to_string(), Verdict::Pass)), "{id}");
    }
    let base = self::run("rfc7591").report.leftovers.len();
    // The MCP client's registration and the two on ephemeral ports.
    assert_eq!(run.report.leftovers.len(), base + 3);
    eprintln!("mcp: {} clients left", run.report.leftovers.len());
}

#[test]
fn a_registration_only_run_exits_0_says_so_up_front_and_names_its_clients_in_every_report() {
    let dir = scratch("regonly", "rfc7591");
    let out = dcrspec(&["run", "--profile", "rfc7591"], &dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let notice = "has no client configuration endpoint (RFC 7592 is optional): dcrspec cannot \
                  delete the clients it registers";
    assert!(stdout.starts_with("note: profile 'rfc7591' "), "{stdout}");
    assert_eq!(stdout.matches(notice).count(), 1, "said once: {stdout}");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
            .unwrap();
    let left = results["leftovers"].as_array().unwrap();
    assert!(!left.is_empty());
    let ids: Vec<&str> = left
        .iter()
        .map(|l| {
            assert_eq!(l["cause"], "registration_only", "{l}");
            l["client_id"].as_str().unwrap()
        })
        .collect();
    let line = format!(
        "registration-only: {} client(s) left on the server",
        ids.len()
    );
    assert!(stdout.contains(&line), "{stdout}");
    let junit = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    xmllint(&dir.join("reports/junit.xml"));
    assert_junit_matches_rule_verdicts(&dir.join("reports/junit.xml"), &results);
    assert!(
        junit.contains(&format!(
            "<property name=\"dcrspec.clients-left\" value=\"{}\"/>",
            ids.len()
        )),
        "{junit}"
    );
    // Not an error: nothing about them in <system-err>.
    assert!(!junit.contains("leftover client"), "{junit}");
    let evidence = std::fs::read_to_string(dir.join("reports/evidence.md")).unwrap();
    let html = std::fs::read_to_string(dir.join("reports/report.html")).unwrap();
    for id in &ids {
        for (name, text) in [
            ("stdout", &*stdout),
            ("junit", &junit),
            ("evidence", &evidence),
            ("html", &html),
        ] {
            assert!(text.contains(id), "{id} missing from {name}");
        }
    }
    assert!(evidence.contains("## Clients left on a registration-only server"));
    assert!(html.contains("on a registration-only server"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn with_the_feature_off_nothing_is_registered_and_nothing_is_announced() {
    let dir = scratch("regonly", "disabled");
    let out = dcrspec(&["run", "--profile", "rfc7591", "--disabled"], &dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        !stdout.contains("note:") && !stdout.contains("registration-only:"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_profile_without_management_refuses_management_flags_and_fuzzing() {
    let dir = scratch("regonly", "flags");
    for args in [
        &["run", "--profile", "mcp", "--management-auth", "bearer"][..],
        &["fuzz", "--profile", "rfc7591", "--cases", "1"][..],
    ] {
        let out = dcrspec(args, &dir);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("no client configuration endpoint") && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
