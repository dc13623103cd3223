//! The full suite against the embedded reference server, under each built-in profile:
//! a correct server must pass every applicable rule, error nowhere and keep no client.

use dcrspec::outcome::Outcome;
use dcrspec::server::Faults;
use dcrspec::session::{self, Inputs};
use dcrspec::verdict::Verdict;
use dcrspec::verdict::rule_verdicts;

fn run(profile: &str, enabled: bool) -> session::ReferenceRun {
    run_with(profile, enabled, &[])
}

/// A run with `extra` capabilities granted to the profile.
fn run_with(profile: &str, enabled: bool, extra: &[&str]) -> session::ReferenceRun {
    let mut inputs = Inputs::built_in(profile).unwrap();
    inputs.profile.enabled = enabled;
    inputs
        .profile
        .capabilities
        .extend(extra.iter().map(|c| c.to_string()));
    session::against_reference(inputs, Faults::default()).unwrap()
}

/// Rule id → verdict, with every non-passing scenario's message on failure.
fn verdicts(run: &session::ReferenceRun) -> Vec<(String, Verdict)> {
    for s in &run.report.scenarios {
        assert!(
            matches!(s.outcome, Outcome::Passed | Outcome::Skipped { .. }),
            "scenario {} did not pass: {:?}\n{}",
            s.id,
            s.outcome,
            dcrspec::report::text::scenario_message(s, &run.report.catalogue)
        );
    }
    rule_verdicts(&run.report)
        .into_iter()
        .map(|v| (v.id, v.verdict))
        .collect()
}

/// The ids of a rules file's rules.
fn rule_ids(file: &str) -> Vec<String> {
    let file: serde_json::Value = serde_json::from_str(file).unwrap();
    file["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// The RFC 7592 management rules (suites/rfc7592): judged only under Bearer management.
fn management_rules() -> Vec<String> {
    rule_ids(include_str!("../suites/rfc7592/rules.json"))
}

/// Ory's rules (suites/ory): judged only under Ory's contract (`contract:ory`).
fn ory_rules() -> Vec<String> {
    rule_ids(include_str!("../suites/ory/rules.json"))
}

/// The protected-registration rules (suites/protected) judged only when registration is
/// protected: all but RFC7591-3.1-d, which is judged only when it is open.
fn protected_rules() -> Vec<String> {
    let mut ids = rule_ids(include_str!("../suites/protected/rules.json"));
    ids.retain(|id| id != "RFC7591-3.1-d");
    ids
}

/// Every one of `ids` has the verdict `want` in `v`.
fn assert_each<I: AsRef<str>>(
    v: &[(String, Verdict)],
    ids: impl IntoIterator<Item = I>,
    want: Verdict,
) {
    for id in ids {
        let id = id.as_ref();
        assert!(
            v.contains(&(id.to_string(), want)),
            "{id} should be {want:?}: {v:?}"
        );
    }
}

#[test]
fn protected_registration_passes_under_both_flavours_and_changes_nothing_else() {
    for profile in ["ory", "rfc7592"] {
        let open = verdicts(&run(profile, true));
        let run = run_with(profile, true, &["registration:protected"]);
        let protected = verdicts(&run);
        for id in protected_rules() {
            assert!(
                protected.contains(&(id.clone(), Verdict::Pass)),
                "{profile}: {id} should pass: {protected:?}"
            );
        }
        // The RFC 6750 answers are judged on the registration endpoint, Ory's too.
        for id in ["RFC6750-3-a", "RFC6750-3-b", "RFC6750-3.1-a"] {
            assert!(
                protected.contains(&(id.to_string(), Verdict::Pass)),
                "{profile}: {id} should pass: {protected:?}"
            );
        }
        assert!(
            open.contains(&("RFC7591-3.1-d".to_string(), Verdict::Pass)),
            "{profile}: {open:?}"
        );
        assert!(
            protected.contains(&("RFC7591-3.1-d".to_string(), Verdict::Skip)),
            "{profile}: {protected:?}"
        );
        let skipped = run
            .report
            .scenarios
            .iter()
            .find(|s| s.id == "protected-open-registration")
            .unwrap();
        assert!(
            matches!(&skipped.outcome, Outcome::Skipped { reason } if reason.contains("registration:open")),
            "{:?}",
            skipped.outcome
        );
        // The token reaches every registration: what passes open passes protected.
        for (id, verdict) in &open {
            if *verdict == Verdict::Pass && id != "RFC7591-3.1-d" {
                assert!(
                    protected.contains(&(id.clone(), Verdict::Pass)),
                    "{profile}: {id} passes open but not protected"
                );
            }
        }
        assert_eq!(run.clients_left, 0, "{profile}: clients left on the server");
    }
}

#[test]
fn ory_profile_passes_every_rule_but_the_feature_off_one() {
    let run = run("ory", true);
    let management = management_rules();
    // RFC 7591 rules whose scenarios need a reading or a capability Ory's contract lacks.
    let not_ory = [
        "RFC7591-2-e",   // cleanup:public-client (a public client cannot be deleted otherwise)
        "RFC7592-3-a",   // auth:bearer (the registration access token manages clients)
        "RFC7592-OPT-a", // registration-only
        "MCP-DCR-a",     // mcp:client-registration
        "RFC8252-7.3-a", // mcp:client-registration
        "RFC7591-5-b",   // rfc7591:redirect-schemes
        "RFC7591-3.2.2-c", // rfc7591:error-codes
        "RFC7591-2-b",   // rfc7591:non-redirect-clients
        "DCR-OFF-b",     // the feature off
        "DCR-OFF-a",     // the feature off
        "RFC7591-3-a",   // tls:judge: the embedded server is on loopback
    ];
    let protected = protected_rules();
    for (id, verdict) in verdicts(&run) {
        let want = if id == "ory:disabled"
            || management.contains(&id)
            || protected.contains(&id)
            || not_ory.contains(&id.as_str())
        {
            Verdict::Skip
        } else {
            Verdict::Pass
        };
        assert_eq!(verdict, want, "{id}");
    }
    assert_eq!(run.clients_left, 0, "clients left on the server");
    assert!(
        run.report.leftovers.is_empty(),
        "{:?}",
        run.report.leftovers
    );
}

#[test]
fn ory_profile_with_the_feature_off_checks_only_the_disabled_rule() {
    let run = run("ory", false);
    for (id, verdict) in verdicts(&run) {
        // The 404s of the feature-off scenario are errors, so their shape is judged too.
        let judged = matches!(
            id.as_str(),
            "ory:disabled" | "ory:error-shape" | "DCR-OFF-b" | "DCR-OFF-a"
        );
        let want = if judged { Verdict::Pass } else { Verdict::Skip };
        assert_eq!(verdict, want, "{id}");
    }
}

#[test]
fn rfc7592_profile_passes_every_applicable_rule() {
    let run = run("rfc7592", true);
    let v = verdicts(&run);
    assert!(
        v.iter()
            .all(|(_, verdict)| matches!(verdict, Verdict::Pass | Verdict::Skip)),
        "{v:?}"
    );
    // Ory's rules are Ory's contract: under RFC 7592 alone none is judged, so a defect
    // fails the RFC rule it breaks and not an Ory restatement of it as well.
    assert_each(&v, ory_rules(), Verdict::Skip);
    // OpenID Connect's reading (oidc:registration), and the feature off.
    assert_each(&v, ["OIDCR-3.2-a", "OIDCR-2-b", "DCR-OFF-b"], Verdict::Skip);
    // Every RFC 7592 management rule applies.
    assert_each(&v, management_rules(), Verdict::Pass);
    // Every other RFC 7591 registration rule is judged, and holds.
    let mut registration = rule_ids(include_str!("../suites/rfc7591/rules.json"));
    registration.retain(|id| !matches!(id.as_str(), "OIDCR-3.2-a" | "OIDCR-2-b" | "DCR-OFF-b"));
    assert_each(&v, registration, Verdict::Pass);
    assert_eq!(run.clients_left, 0);
    assert!(
        run.report.leftovers.is_empty(),
        "{:?}",
        run.report.leftovers
    );
}

/// The choices rfc7592.toml leaves to the target (see its comments): the reference server
/// makes every one of them, so the scenarios that need them pass too.
const CHOICES: &[&str] = &[
    "rat:rotates-on-update",
    "rat:stable-on-read",
    "put:refuses-other-secret",
    "put:rejects-server-managed",
    "method:405",
];

#[test]
fn rfc7592_profile_with_the_reference_servers_choices_passes_every_scenario() {
    let base = run("rfc7592", true);
    let strict = run_with("rfc7592", true, CHOICES);
    let v = verdicts(&strict);
    assert!(
        v.iter()
            .all(|(_, verdict)| matches!(verdict, Verdict::Pass | Verdict::Skip)),
        "{v:?}"
    );
    let ran = |r: &session::ReferenceRun| {
        r.report
            .scenarios
            .iter()
            .filter(|s| !matches!(s.outcome, Outcome::Skipped { .. }))
            .count()
    };
    // Each choice lets exactly one more scenario run.
    assert_eq!(ran(&strict), ran(&base) + CHOICES.len());
    assert_eq!(strict.clients_left, 0);
}

#[test]
fn no_profile_without_ory_s_contract_judges_an_ory_rule() {
    // rfc7592 with the feature on is held to it above; off, Ory's 404 is not judged either.
    for (profile, enabled) in [("rfc7591", true), ("mcp", true), ("rfc7592", false)] {
        let v = verdicts(&run(profile, enabled));
        for id in ory_rules() {
            assert!(
                v.contains(&(id.clone(), Verdict::Skip)),
                "{profile} (enabled: {enabled}): {id} should skip: {v:?}"
            );
        }
    }
}

/// Hydra's shape: Ory's contract with the registration access token and 401 for unknown
/// clients (what the `hydra` profile claims), on the Bearer reference server. Ory's rules
/// about the client's body and secret apply, and hold; its management rules (refusals,
/// deletion, replacement) restate RFC 7592's, which judge them here, so they skip.
#[test]
fn ory_contract_with_bearer_management_leaves_management_to_rfc7592() {
    let run = run_with("rfc7592", true, &["contract:ory"]);
    let v = verdicts(&run);
    assert_each(
        &v,
        [
            "ory:create",
            "ory:secret-silent",
            "ory:secret-unreadable",
            "ory:error-shape",
            "ory:client-schema",
        ],
        Verdict::Pass,
    );
    assert_each(
        &v,
        ["ory:auth-rejects", "ory:delete", "ory:update-replaces"],
        Verdict::Skip,
    );
    assert_each(&v, management_rules(), Verdict::Pass);
    assert_eq!(run.clients_left, 0);
}

/// TLS is judged off loopback only; granted on loopback (as the fault matrix does), the
/// embedded server's own loopback http endpoint is no failure, and every discovery rule
/// passes.
#[test]
fn the_discovery_rules_pass_with_tls_judged_on_loopback() {
    let run = run_with("rfc7592", true, &["tls:judge"]);
    let v = verdicts(&run);
    assert_each(
        &v,
        [
            "RFC7591-3-a",
            "RFC8414-2-a",
            "RFC8414-3.3-a",
            "DISC-CONSIST-a",
            "DISC-CONSIST-b",
        ],
        Verdict::Pass,
    );
}
