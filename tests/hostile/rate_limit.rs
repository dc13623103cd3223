//! A rate limiter in front of the reference server (issue 15): 429 is never a verdict.
//! The limiter is a plain-HTTP forward proxy (`HTTP_PROXY`, so the target and every
//! `registration_client_uri` keep their origin) that answers some registration POSTs
//! with 429 itself and forwards the rest. A limiter that lets go after one 429 per
//! request must leave every verdict as it is without it; one that never lets go must
//! leave the affected scenarios errored "rate limited", never passed or failed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dcrspec::server::{Faults, Flavor, ServerConfig};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::hostile_server::read_request;
use crate::support::{Reference, assert_sane, outcomes, read_json, run, runtime, scratch};

/// Which registration POSTs the limiter answers with 429.
#[derive(Debug, Clone, Copy)]
enum Policy {
    /// The first sending of each distinct request (request line and body); its retry goes
    /// through. The 429s carry `Retry-After: 0`, a past HTTP-date, or nothing (backoff),
    /// in turn.
    OncePerRequest,
    /// Every one, with `Retry-After: 3600`: more than dcrspec waits.
    Always,
}

struct Limiter {
    url: String,
    /// Requests received, 429s included.
    received: Arc<AtomicUsize>,
    /// Requests answered 429.
    limited: Arc<AtomicUsize>,
    _rt: tokio::runtime::Runtime,
}

impl Limiter {
    fn start(upstream: &str, policy: Policy) -> Limiter {
        let upstream = upstream.trim_start_matches("http://").to_string();
        let rt = runtime();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(AtomicUsize::new(0));
        let limited = Arc::new(AtomicUsize::new(0));
        let seen: Arc<Mutex<BTreeSet<Vec<u8>>>> = Arc::default();
        let (r, l) = (received.clone(), limited.clone());
        rt.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (r, l, seen, upstream) = (r.clone(), l.clone(), seen.clone(), upstream.clone());
                tokio::spawn(async move {
                    let _ = serve(client, &upstream, policy, &r, &l, &seen).await;
                });
            }
        });
        Limiter {
            url,
            received,
            limited,
            _rt: rt,
        }
    }
}

/// One connection: requests in a row until one is limited or forwarded (each answer
/// closes the connection, so that the proxy never has to frame upstream's answers).
async fn serve(
    mut client: TcpStream,
    upstream: &str,
    policy: Policy,
    received: &AtomicUsize,
    limited: &AtomicUsize,
    seen: &Mutex<BTreeSet<Vec<u8>>>,
) -> std::io::Result<()> {
    let Some((head, body)) = read_request(&mut client).await? else {
        return Ok(());
    };
    received.fetch_add(1, Ordering::SeqCst);
    let line = head.lines().next().unwrap_or_default().to_string();
    let registration = line.starts_with("POST ") && line.contains("/oauth2/register HTTP/");
    let mut key = line.clone().into_bytes();
    key.extend_from_slice(&body);
    let limit = registration
        && match policy {
            Policy::Always => true,
            Policy::OncePerRequest => seen.lock().unwrap().insert(key),
        };
    if limit {
        let n = limited.fetch_add(1, Ordering::SeqCst);
        let retry_after = match (policy, n % 3) {
            (Policy::Always, _) => "retry-after: 3600\r\n",
            (_, 0) => "retry-after: 0\r\n",
            (_, 1) => "retry-after: Thu, 01 Jan 1970 00:00:00 GMT\r\n",
            _ => "",
        };
        let body = r#"{"error":"too_many_requests","error_description":"slow down"}"#;
        let answer = format!(
            "HTTP/1.1 429 Too Many Requests\r\n{retry_after}content-type: application/json\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        client.write_all(answer.as_bytes()).await?;
        return client.shutdown().await;
    }
    let mut server = TcpStream::connect(upstream).await?;
    // Upstream closes after its answer; the answer says so to dcrspec too.
    let rest = head.split_once("\r\n").map_or("", |(_, r)| r);
    let rest: String = rest
        .split("\r\n")
        .filter(|h| !h.to_ascii_lowercase().starts_with("connection:"))
        .map(|h| format!("{h}\r\n"))
        .collect();
    let mut out = format!(
        "{line}\r\nconnection: close\r\n{}",
        rest.trim_end_matches("\r\n")
    );
    out.push_str("\r\n\r\n");
    server.write_all(out.as_bytes()).await?;
    server.write_all(&body).await?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer).await?;
    client.write_all(&answer).await?;
    client.shutdown().await
}

/// `dcrspec run` against a fresh reference server of `flavor`, through `policy` when
/// given: the results and, through a limiter, what it counted.
fn run_through(flavor: Flavor, policy: Option<Policy>, tag: &str) -> (Value, usize) {
    let reference = Reference::start(ServerConfig {
        flavor,
        enabled: true,
        faults: Faults::default(),
        iat: None,
    });
    let limiter = policy.map(|p| Limiter::start(&reference.url(), p));
    let dir = scratch(&format!("rate-limit-{tag}-{}", flavor.name()));
    let url = reference.url();
    let args = ["run", "--target", &url, "--profile", flavor.name()];
    let env: Vec<(&str, &str)> = limiter
        .as_ref()
        .map(|l| vec![("HTTP_PROXY", l.url.as_str())])
        .unwrap_or_default();
    let limit = Duration::from_secs(180);
    let f = run(&args, &dir, &env, limit);
    let results = match policy {
        // Errored scenarios: exit 2, and every sanity check of a hostile run.
        Some(Policy::Always) => assert_sane(&f, &dir, limit),
        _ => {
            assert!(matches!(f.code, Some(0..=1)), "{tag}: {}", f.show());
            read_json(&dir.join("reports/results.json"))
        }
    };
    assert!(!f.stdout.contains("panicked") && !f.stderr.contains("panicked"));
    assert!(
        results["leftovers"].as_array().unwrap().is_empty() && reference.clients() == 0,
        "{tag}: clients left: {}",
        results["leftovers"]
    );
    let counted = limiter.as_ref().map_or(0, |l| {
        assert_eq!(
            results["requests"].as_u64().unwrap() as usize,
            l.received.load(Ordering::SeqCst),
            "{tag}: every request, retries included, is counted"
        );
        l.limited.load(Ordering::SeqCst)
    });
    let _ = std::fs::remove_dir_all(&dir);
    (results, counted)
}

fn verdicts(results: &Value) -> BTreeMap<String, String> {
    results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let id = r["id"].as_str().unwrap().to_string();
            (id, r["verdict"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn a_limiter_that_lets_go_changes_no_verdict() {
    for flavor in [Flavor::Rfc7592, Flavor::Ory] {
        let (direct, _) = run_through(flavor, None, "direct");
        let (limited, answered_429) = run_through(flavor, Some(Policy::OncePerRequest), "once");
        assert!(answered_429 >= 20, "{flavor}: only {answered_429} 429s");
        assert_eq!(
            verdicts(&limited),
            verdicts(&direct),
            "{flavor}: verdicts behind a rate limiter differ"
        );
        assert_eq!(limited["summary"], direct["summary"], "{flavor}");
    }
}

#[test]
fn a_limiter_that_never_lets_go_errors_scenarios_and_decides_no_rule() {
    let (results, answered_429) = run_through(Flavor::Rfc7592, Some(Policy::Always), "always");
    assert!(answered_429 >= 20, "only {answered_429} 429s");
    let verdicts = verdicts(&results);
    // The verdicts issue 15 found turned by the MCP TypeScript SDK's rate limit.
    for rule in [
        "RFC6749-3.1.2-a",
        "RFC7591-5-a",
        "RFC7591-5-b",
        "RFC7591-3.2.2-a",
        "RFC7591-3.2.2-c",
        "RFC7591-3.2.2-d",
    ] {
        let v = verdicts.get(rule).map(String::as_str);
        assert_eq!(v, Some("error"), "{rule}");
    }
    let mut errored = 0;
    for (id, outcome, reason) in outcomes(&results) {
        assert!(
            outcome != "failed" && outcome != "warned",
            "{id} {outcome}: a 429 was judged"
        );
        if outcome == "errored" {
            errored += 1;
            assert!(
                reason.contains(
                    "rate limited (429 Too Many Requests): Retry-After asks for 3600 s, \
                     more than the 10 s dcrspec waits"
                ),
                "{id}: {reason}"
            );
        }
    }
    assert!(errored >= 20, "{errored}");
    // Every rule a registration decides is undecided, so at least as many as errored.
    let decided = verdicts.values().filter(|v| *v == "pass").count();
    let undecided = verdicts.values().filter(|v| *v == "error").count();
    assert!(undecided > decided, "{undecided} errors, {decided} passes");
}

/// `dcrspec fuzz` behind a limiter that never lets go: no property passes or fails on a
/// 429; each errors, saying the case was not judged, and every request is counted.
#[test]
fn a_fuzz_run_that_is_never_let_through_errors_every_property() {
    let reference = Reference::start(ServerConfig {
        flavor: Flavor::Rfc7592,
        enabled: true,
        faults: Faults::default(),
        iat: None,
    });
    let limiter = Limiter::start(&reference.url(), Policy::Always);
    let dir = scratch("rate-limit-fuzz");
    let url = reference.url();
    let args = [
        "fuzz",
        "--target",
        &url,
        "--profile",
        "rfc7592",
        "--cases",
        "8",
        "--seed",
        "1",
    ];
    let f = run(
        &args,
        &dir,
        &[("HTTP_PROXY", &limiter.url)],
        Duration::from_secs(60),
    );
    assert_eq!(f.code, Some(2), "{}", f.show());
    let results = read_json(&dir.join("reports/fuzz-results.json"));
    let properties = outcomes(&results);
    assert_eq!(properties.len(), 3, "{properties:?}");
    for (id, outcome, reason) in properties {
        assert_eq!(outcome, "errored", "{id}: {reason}");
        assert!(
            reason.starts_with("case 1 was not judged: ")
                && reason.contains("rate limited (429 Too Many Requests)"),
            "{id}: {reason}"
        );
    }
    assert_eq!(
        results["requests"].as_u64().unwrap() as usize,
        limiter.received.load(Ordering::SeqCst)
    );
    assert_eq!(reference.clients(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
