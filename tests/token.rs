//! Issued credentials at the token endpoint (suites/rfc6749): where dcrspec finds the
//! endpoint (the embedded server, `--issuer`'s metadata, a profile's `token_path`), that
//! without one the token scenarios are skipped with the reason, and that a server that
//! refuses the registration a scenario needs skips it rather than erroring.

use dcrspec::http::{Http, HttpOptions};
use dcrspec::outcome::{Outcome, RunReport};
use dcrspec::profile::NO_TOKEN_ENDPOINT;
use dcrspec::runner::Selection;
use dcrspec::server::{self, Flavor, ServerConfig};
use dcrspec::session::{Inputs, Session, Stops, Target};

/// The token scenarios of suites/rfc6749/token.json.
const TOKEN_SCENARIOS: [&str; 4] = [
    "token-basic",
    "token-post",
    "token-basic-reserved-characters",
    "token-after-delete",
];

/// Run `inputs`' scenarios whose id starts with "token-" against `target`.
fn run(inputs: Inputs, target: Target) -> (RunReport, Option<String>) {
    let (checks, scenarios) = inputs.split();
    let scenarios: Vec<_> = scenarios
        .into_iter()
        .filter(|s| s.id.starts_with("token-"))
        .collect();
    let http = Http::new(HttpOptions::default()).unwrap();
    let mut session = Session::prepare(checks, target, http, &[]).unwrap();
    let token = session.ctx.profile.token_path.clone();
    session.arm(&Stops::none()).unwrap();
    let done = session.execute(&scenarios, &Selection::all(), |_| {});
    (session.finish(done, "scenario").report, token)
}

fn outcome<'a>(report: &'a RunReport, id: &str) -> &'a Outcome {
    &report
        .scenarios
        .iter()
        .find(|s| s.id == id)
        .unwrap()
        .outcome
}

/// A reference server on its own runtime, as a user's server would be.
fn reference(flavor: Flavor) -> (tokio::runtime::Runtime, server::RunningServer) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(server::start(ServerConfig::new(flavor), 0))
        .unwrap();
    (rt, server)
}

#[test]
fn issuer_discovery_finds_the_token_endpoint() {
    let (rt, server) = reference(Flavor::Rfc7592);
    let base = server.base_url();
    let target = Target::Issuer {
        issuer: base.clone(),
        keep_registration_path: false,
    };
    let (report, token) = run(Inputs::built_in("rfc7592").unwrap(), target);
    assert_eq!(token, Some(format!("{base}/oauth2/token")));
    for id in ["token-basic", "token-post", "token-after-delete"] {
        assert_eq!(outcome(&report, id), &Outcome::Passed, "{id}");
    }
    // rfc7592 lets no PUT choose a secret.
    assert!(matches!(
        outcome(&report, "token-basic-reserved-characters"),
        Outcome::Skipped { reason } if reason.contains("secret:client-chosen")
    ));
    assert_eq!(server.client_count(), 0, "every client is deleted");
    rt.block_on(server.shutdown());
}

#[test]
fn without_a_token_endpoint_the_token_scenarios_are_skipped_with_the_reason() {
    let (rt, server) = reference(Flavor::Ory);
    let (report, token) = run(
        Inputs::built_in("ory").unwrap(),
        Target::Url(server.base_url()),
    );
    assert_eq!(token, None);
    for id in TOKEN_SCENARIOS {
        match outcome(&report, id) {
            Outcome::Skipped { reason } if id == "token-after-delete" => {
                // Two things missing: the generic reason names both.
                assert!(reason.contains("token-endpoint"), "{reason}")
            }
            Outcome::Skipped { reason } => assert_eq!(reason, NO_TOKEN_ENDPOINT),
            other => panic!("{id}: {other:?}"),
        }
    }
    assert_eq!(report.requests, 1, "only the preflight was sent");
    // A profile's token_path is the way to name it.
    let mut inputs = Inputs::built_in("ory").unwrap();
    inputs.profile.token_path = Some(server::TOKEN_PATH.into());
    let (report, _) = run(inputs, Target::Url(server.base_url()));
    for id in [
        "token-basic",
        "token-post",
        "token-basic-reserved-characters",
    ] {
        assert_eq!(outcome(&report, id), &Outcome::Passed, "{id}");
    }
    rt.block_on(server.shutdown());
}

#[test]
fn a_registration_the_server_refuses_skips_the_scenario() {
    // The reference server registers only the grant types it knows.
    let rules = r#"{"rules": [{"id": "acme:token", "level": "MUST", "source": "Acme",
        "section": "1", "quote": "q"}]}"#;
    let scenario = r#"{"scenarios": [{"id": "token-acme", "description": "d",
        "rules": ["acme:token"], "requires": ["token-endpoint"], "steps": [
        {"name": "register", "register": "c",
         "skip_if_refused": "the server does not offer urn:acme:grant",
         "request": {"method": "POST", "json": {"grant_types": ["urn:acme:grant"],
                     "response_types": [], "redirect_uris": ["https://rp.example/cb"]}}},
        {"name": "token", "request": {"method": "POST", "endpoint": "token",
         "form": {"grant_type": "urn:acme:grant"}, "auth": {"client": "c"}},
         "expect": [{"rule": "acme:token", "status": 200}]}]}]}"#;
    let mut files: Vec<(String, String)> = dcrspec::suite::embedded::FILES
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    files.push(("acme/rules.json".into(), rules.into()));
    files.push(("acme/token.json".into(), scenario.into()));
    let mut inputs = Inputs::built_in("rfc7592").unwrap();
    inputs.suite = dcrspec::suite::load::from_sources(files).unwrap();
    let (report, _) = run(
        inputs,
        Target::Embedded {
            faults: Default::default(),
            enabled: true,
            iat: None,
        },
    );
    match outcome(&report, "token-acme") {
        Outcome::Skipped { reason } => {
            assert!(
                reason.starts_with("the server does not offer urn:acme:grant"),
                "{reason}"
            );
            assert!(reason.contains("status 400"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let s = report
        .scenarios
        .iter()
        .find(|s| s.id == "token-acme")
        .unwrap();
    assert_eq!(s.exchanges.len(), 1, "nothing is sent after the refusal");
}
