//! Credentials go only where the run's target is. A server whose `registration_client_uri`
//! names another origin (a second listener, the sink, which records every request) gets
//! none of the run's credentials sent there unless `--allow-origin` names it; the rule
//! RFC7592-3-c says so; cleanup still deletes at the target. And a run under `rfc7592`
//! never puts a client secret in a URL query, not even while cleaning up.

use std::time::Duration;

use dcrspec::server::{Fault, Faults, Flavor, ServerConfig};
use serde_json::Value;

use crate::hostile_server::{Hostile, Mode};
use crate::support::{Finished, Reference, Relay, assert_sane, read_json, run, scratch};

/// `dcrspec run --profile rfc7592` against a server whose configuration endpoints are
/// on the sink's port, with `--allow-origin` naming the sink if `allow`. The results
/// carry the evidence report's text under "evidence.md".
fn against_split_origins(name: &str, allow: bool) -> (Hostile, Hostile, Finished, Value) {
    let sink = Hostile::start(Mode::Status500);
    let port: u16 = sink.url.rsplit(':').next().unwrap().parse().unwrap();
    let server = Hostile::start(Mode::ClientUriElsewhere(port));
    let dir = scratch(name);
    let mut args = vec!["run", "--target", &server.url, "--profile", "rfc7592"];
    args.extend_from_slice(&["--timeout", "2", "--deadline", "20"]);
    if allow {
        args.extend_from_slice(&["--allow-origin", &sink.url]);
    }
    let f = run(&args, &dir, &[], Duration::from_secs(40));
    let mut results = assert_sane(&f, &dir, Duration::from_secs(30));
    let evidence = std::fs::read_to_string(dir.join("reports/evidence.md")).unwrap();
    results["evidence.md"] = Value::String(evidence);
    let _ = std::fs::remove_dir_all(&dir);
    (sink, server, f, results)
}

fn verdict(results: &Value, rule: &str) -> String {
    results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == rule)
        .and_then(|r| r["verdict"].as_str())
        .unwrap_or("absent")
        .to_string()
}

#[test]
fn a_registration_client_uri_on_another_origin_gets_no_request_and_is_a_finding() {
    let (sink, server, f, results) = against_split_origins("client-uri-elsewhere", false);
    // The reproduction of issue 13 sent the sink 277 requests, tokens and secrets in them.
    assert_eq!(
        sink.requests(),
        0,
        "{:?}\n{}",
        sink.request_lines(),
        f.show()
    );
    assert_eq!(verdict(&results, "RFC7592-3-c"), "warn", "{}", f.show());
    // The scenarios that need the endpoint are errored, naming the origin and the flag.
    // (Others error on this server's other shortcomings: it is no full server.)
    let sink_origin = sink.url.clone();
    let refused: Vec<&str> = results["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["outcome"] == "errored")
        .filter_map(|s| s["reason"].as_str())
        .filter(|r| r.contains("not sent"))
        .collect();
    assert!(refused.len() > 5, "{}", f.show());
    let why = format!(
        "not sent: {sink_origin} is another origin than the target's ({})",
        server.url
    );
    let flag = format!("--allow-origin {sink_origin}");
    assert!(
        refused
            .iter()
            .all(|r| r.contains(&why) && r.contains(&flag)),
        "{refused:#?}"
    );
    // Cleanup deleted every client at the target, with its token, and nowhere else.
    let issued = server.issued.lock().unwrap().clone();
    assert!(issued.len() > 5, "{}", f.show());
    let heads = server.heads.lock().unwrap().clone();
    for id in &issued {
        assert!(
            heads.iter().any(|h| {
                h.starts_with(&format!("DELETE /oauth2/register/{id} "))
                    && h.to_ascii_lowercase()
                        .contains("authorization: bearer hostile-token-")
            }),
            "{id} was not deleted at the target"
        );
    }
    assert_eq!(
        results["leftovers"],
        Value::Array(Vec::new()),
        "{}",
        f.show()
    );
    // Only the target's origin received credentials, and the reports say so.
    assert_eq!(
        results["credentialed_origins"],
        serde_json::json!([server.url])
    );
    let evidence = results["evidence.md"].as_str().unwrap();
    assert!(
        evidence.contains(&format!("| Credentials sent to | `{}` |", server.url)),
        "{evidence}"
    );
}

#[test]
fn allow_origin_sends_there_and_the_reports_list_it() {
    let (sink, server, f, results) = against_split_origins("client-uri-allowed", true);
    // The run proceeds as it did before issue 13: the sink is managed with the tokens.
    let heads = sink.heads.lock().unwrap().clone();
    assert!(
        heads.iter().any(|h| h
            .to_ascii_lowercase()
            .contains("authorization: bearer hostile-token-")),
        "{:?}\n{}",
        sink.request_lines(),
        f.show()
    );
    assert_eq!(verdict(&results, "RFC7592-3-c"), "pass", "{}", f.show());
    // Here every credential went to the sink: nothing this server's target answers
    // needs one.
    assert_eq!(
        results["credentialed_origins"],
        serde_json::json!([sink.url]),
        "{}",
        server.url
    );
    let evidence = results["evidence.md"].as_str().unwrap();
    assert!(
        evidence.contains(&format!("| Credentials sent to | `{}` |", sink.url)),
        "{evidence}"
    );
}

#[test]
fn an_allow_origin_that_is_not_an_origin_is_refused_in_one_line() {
    let dir = scratch("allow-origin-bad");
    let f = run(
        &["run", "--allow-origin", "http://127.0.0.1:1/steal"],
        &dir,
        &[],
        Duration::from_secs(30),
    );
    assert_eq!(f.code, Some(2), "{}", f.show());
    assert_eq!(f.stderr.trim().lines().count(), 1, "{}", f.show());
    assert!(
        f.stderr
            .starts_with("error: --allow-origin http://127.0.0.1:1/steal: "),
        "{}",
        f.show()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_run_under_rfc7592_never_puts_a_client_secret_in_a_query() {
    // With a correct server, and with one whose DELETE refuses the token: cleanup used
    // to try every credential it held, the secret in a query among them.
    for faults in [
        Faults::default(),
        Faults::from(Fault::DeleteNeedsClientSecret),
    ] {
        let reference = Reference::start(ServerConfig {
            flavor: Flavor::Rfc7592,
            enabled: true,
            faults: faults.clone(),
            iat: None,
        });
        let relay = Relay::start(&reference.url(), Duration::ZERO);
        let dir = scratch(&format!("no-query-secret-{faults}"));
        let url = reference.url();
        let f = run(
            &["run", "--target", &url, "--profile", "rfc7592"],
            &dir,
            &[("HTTP_PROXY", &relay.url)],
            Duration::from_secs(30),
        );
        assert!(matches!(f.code, Some(0..=2)), "{}", f.show());
        let traffic = relay.traffic();
        let requests: Vec<&str> = traffic
            .split("\r\n")
            .filter(|l| l.ends_with(" HTTP/1.1"))
            .collect();
        assert!(requests.len() > 50, "{faults}: {} requests", requests.len());
        let with_secret: Vec<&&str> = requests
            .iter()
            .filter(|l| l.contains("client_secret="))
            .collect();
        assert!(with_secret.is_empty(), "{faults}: {with_secret:?}");
        // Nor Basic: the profile manages clients with the Bearer token only.
        assert!(
            !traffic
                .to_ascii_lowercase()
                .contains("authorization: basic"),
            "{faults}: a Basic credential was sent"
        );
        let results = read_json(&dir.join("reports/results.json"));
        assert_eq!(
            results["credentialed_origins"],
            serde_json::json!([reference.url()])
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
