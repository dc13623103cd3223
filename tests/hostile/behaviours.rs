//! One run of the real binary per hostile behaviour. Every run ends on its own within
//! its bound, exits 1 or 2, stays well under 100 MB, writes valid reports, and gives
//! every scenario a verdict with a reason that names what the server did.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::hostile_server::{Hostile, Mode};
use crate::support::{Finished, assert_sane, outcomes, run, scratch};

/// Each run: 1 s per request, 3 s for the whole run.
const TIMEOUT: u64 = 1;
const DEADLINE: u64 = 3;

/// The longest a run may take: the deadline, a request in flight when it passes, the
/// cleanup budget (twice the timeout), and a second for start-up and reports.
fn bound(timeout: u64, deadline: u64) -> Duration {
    Duration::from_secs(deadline + timeout + 2 * timeout + 1)
}

struct Ran {
    results: Value,
    finished: Finished,
    server: Hostile,
    dir: PathBuf,
}

impl Ran {
    /// Every scenario that applies (not skipped) ended with this outcome.
    fn all(&self, outcome: &str) -> Vec<(String, String, String)> {
        self.all_in(&[outcome])
    }

    /// Every scenario that applies (not skipped) ended with one of these outcomes.
    fn all_in(&self, allowed: &[&str]) -> Vec<(String, String, String)> {
        let applicable: Vec<_> = outcomes(&self.results)
            .into_iter()
            .filter(|(_, o, _)| o != "skipped")
            .collect();
        assert!(applicable.len() > 5, "{}", self.finished.show());
        for (id, o, reason) in &applicable {
            assert!(
                allowed.contains(&o.as_str()),
                "{id}: {o} {reason}\n{}",
                self.finished.show()
            );
            if o == "errored" {
                assert!(!reason.is_empty(), "{id} errored without a reason");
            }
        }
        applicable
    }

    /// The whole JSON report as text, for needles.
    fn json_text(&self) -> String {
        self.results.to_string()
    }

    /// Every finding's one-line message.
    fn messages(&self) -> Vec<String> {
        self.results["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["findings"].as_array().cloned().unwrap_or_default())
            .map(|f| f["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    fn done(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn against(name: &str, mode: Mode, extra: &[&str]) -> Ran {
    against_with(name, Hostile::start(mode), (TIMEOUT, DEADLINE), extra)
}

fn against_with(name: &str, server: Hostile, (t, d): (u64, u64), extra: &[&str]) -> Ran {
    let dir = scratch(name);
    let limit = bound(t, d);
    let (timeout, deadline) = (t.to_string(), d.to_string());
    let mut args = vec!["run", "--target", &server.url, "--timeout", &timeout];
    args.extend_from_slice(&["--deadline", &deadline]);
    args.extend_from_slice(extra);
    let finished = run(&args, &dir, &[], limit + Duration::from_secs(10));
    let results = assert_sane(&finished, &dir, limit);
    // The numbers behind the table in the report: `cargo test -- --nocapture`.
    eprintln!(
        "hostile {name}: exit {:?} in {} ms, peak RSS {} KiB, {} requests; {}",
        finished.code,
        finished.elapsed.as_millis(),
        finished.max_rss_kib,
        server.requests(),
        results["summary"]
    );
    Ran {
        results,
        finished,
        server,
        dir,
    }
}

#[test]
fn a_server_that_never_answers_is_cut_by_the_timeout_and_the_deadline() {
    let ran = against("hang", Mode::HangBeforeHeaders, &[]);
    let errored = ran.all("errored");
    assert!(
        errored.iter().any(|(_, _, r)| r.contains("timed out")),
        "{errored:?}"
    );
    assert!(
        errored
            .iter()
            .any(|(_, _, r)| r.starts_with("deadline exceeded (3 s)")),
        "{errored:?}"
    );
    // It really waited for the deadline, no longer than the bound (checked in assert_sane).
    assert!(ran.finished.elapsed >= Duration::from_secs(DEADLINE));
    assert_eq!(ran.finished.code, Some(2));
    assert!(
        ran.finished
            .stderr
            .contains("deadline exceeded (3 s): stopping")
    );
    assert!(
        ran.results["fatal"]
            .as_str()
            .unwrap()
            .starts_with("deadline exceeded (3 s)"),
        "{}",
        ran.results["fatal"]
    );
    ran.done();
}

#[test]
fn a_probe_that_never_answers_is_cut_by_the_deadline() {
    // The deadline (1 s) is shorter than the request timeout (5 s).
    let server = Hostile::start(Mode::HangAll);
    let ran = against_with("hang-all", server, (5, 1), &[]);
    // Not the 5 s of the request timeout: the deadline ends the probe. The reasons below
    // say so; the clock only confirms that nothing waited for the timeout.
    assert!(
        ran.finished.elapsed < Duration::from_secs(5),
        "{}",
        ran.finished.show()
    );
    for (id, outcome, reason) in ran.all("errored") {
        assert!(
            reason.starts_with("deadline exceeded (1 s) before the target answered"),
            "{id}: {outcome} {reason}"
        );
    }
    ran.done();
}

#[test]
fn a_server_dripping_one_byte_a_second_is_cut_by_the_timeout() {
    let ran = against("drip", Mode::Drip, &[]);
    let errored = ran.all("errored");
    assert!(
        errored.iter().any(|(_, _, r)| r.contains("timed out")),
        "{errored:?}"
    );
    ran.done();
}

#[test]
fn a_100_mb_body_is_cut_at_max_body_and_the_reports_say_so() {
    let ran = against("huge", Mode::Huge, &[]);
    ran.all("failed");
    let text = ran.json_text();
    assert!(
        text.contains("body cut at 1048576 bytes (--max-body); the rest was not read"),
        "{}",
        &text[..2000.min(text.len())]
    );
    assert!(
        ran.messages()
            .iter()
            .any(|m| m.contains("the body was cut at 1048576 bytes, --max-body")),
        "{:?}",
        ran.messages()
    );
    let evidence = std::fs::read_to_string(ran.dir.join("reports/evidence.md")).unwrap();
    assert!(evidence.contains("[body cut at 1048576 bytes (--max-body)"));
    ran.done();

    let ran = against("huge-small", Mode::Huge, &["--max-body", "1000"]);
    ran.all("failed");
    assert!(
        ran.json_text()
            .contains("body cut at 1000 bytes (--max-body)")
    );
    ran.done();
}

#[test]
fn invalid_utf8_in_headers_and_body_fails_the_checks() {
    let ran = against("utf8", Mode::InvalidUtf8, &[]);
    ran.all("failed");
    assert!(
        ran.messages()
            .iter()
            .any(|m| m.contains("not JSON") && m.contains("invalid unicode")),
        "{:?}",
        ran.messages()
    );
    ran.done();
}

#[test]
fn json_nested_100k_deep_is_refused_without_overflowing_the_stack() {
    let ran = against("deep", Mode::DeepJson, &[]);
    ran.all("failed");
    assert!(
        ran.messages()
            .iter()
            .any(|m| m.contains("not JSON (recursion limit exceeded")),
        "{:?}",
        ran.messages()
    );
    ran.done();
}

#[test]
fn json_nested_to_the_parser_limit_is_walked_by_every_check_and_redaction() {
    let ran = against("deep-valid", Mode::DeepValidJson, &[]);
    // The registration parsed (so clients were used and deleted): the deep body went
    // through the checks, the schema validator, the client state and the redaction.
    let lines = ran.server.request_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("DELETE /oauth2/register/hostile-client")),
        "{lines:?}"
    );
    assert!(ran.json_text().contains(&"[".repeat(120)));
    assert!(!ran.json_text().contains("hostile-secret-0123456789"));
    ran.done();
}

#[test]
fn html_error_pages_fail_the_error_shape_and_keep_the_reports_valid() {
    let ran = against("html", Mode::HtmlErrors, &[]);
    ran.all("failed");
    assert!(
        ran.messages()
            .iter()
            .any(|m| m.contains("status 400") || m.contains("text/html")),
        "{:?}",
        ran.messages()
    );
    ran.done();
}

#[test]
fn a_content_type_that_lies_fails_the_checks() {
    let ran = against("ctlie", Mode::ContentTypeLie, &[]);
    ran.all("failed");
    assert!(
        ran.messages()
            .iter()
            .any(|m| m.contains("not JSON") && m.contains("I lied")),
        "{:?}",
        ran.messages()
    );
    ran.done();
}

#[test]
fn a_content_length_longer_than_the_body_is_a_transport_error() {
    let ran = against("long", Mode::LengthTooLong, &[]);
    for (id, _, reason) in ran.all("errored") {
        assert!(
            reason.contains("end of file before message length reached"),
            "{id}: {reason}"
        );
    }
    ran.done();
}

#[test]
fn a_content_length_shorter_than_the_body_is_read_as_announced() {
    let ran = against("short", Mode::LengthTooShort, &[]);
    ran.all("failed");
    assert!(
        ran.messages()
            .iter()
            .any(|m| m.contains("not JSON (EOF while parsing")),
        "{:?}",
        ran.messages()
    );
    ran.done();
}

#[test]
fn a_reset_mid_body_is_a_transport_error() {
    let ran = against("reset", Mode::ResetMidBody, &[]);
    for (id, _, reason) in ran.all("errored") {
        assert!(
            reason.contains("Connection reset by peer"),
            "{id}: {reason}"
        );
    }
    ran.done();
}

#[test]
fn status_500_fails_the_checks() {
    let ran = against("500", Mode::Status500, &[]);
    ran.all("failed");
    assert!(
        ran.messages().iter().any(|m| m.contains("status 500")),
        "{:?}",
        ran.messages()
    );
    ran.done();
}

#[test]
fn a_redirect_loop_is_judged_as_answered_and_not_followed() {
    let ran = against("loop", Mode::RedirectLoop, &[]);
    // Failed where the 307 breaks a rule, warned where that rule is a SHOULD (open
    // registration, RFC7591-3.1-d), errored where it breaks a setup step.
    let applicable = ran.all_in(&["failed", "warned", "errored"]);
    assert!(
        ran.messages().iter().any(|m| m.contains("status 307")),
        "{:?}",
        ran.messages()
    );
    assert!(
        applicable
            .iter()
            .filter(|(_, o, _)| o == "errored")
            .all(|(_, _, r)| r.contains("got status 307")),
        "{applicable:?}"
    );
    // One request per scenario (each stops at its first broken MUST), the probe, and the
    // two well-known metadata URLs, read once per run (both 307: the metadata scenarios
    // are skipped): not a single redirect was followed.
    assert_eq!(ran.server.requests(), applicable.len() + 1 + 2);
    ran.done();
}

#[test]
fn credentials_never_follow_a_redirect_to_another_origin() {
    let sink = Hostile::start(Mode::Status500);
    let port: u16 = sink.url.rsplit(':').next().unwrap().parse().unwrap();
    let ran = against("elsewhere", Mode::RedirectElsewhere(port), &[]);
    // Clients were registered and then managed with their credentials: every such
    // request answered 307 to the sink, and none went there.
    let lines = ran.server.request_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("GET /oauth2/register/hostile-client")),
        "{lines:?}"
    );
    let heads = ran.server.heads.lock().unwrap().clone();
    assert!(
        heads
            .iter()
            .any(|h| h.to_ascii_lowercase().contains("authorization: basic")),
        "no credentialed request was made: {lines:?}"
    );
    assert_eq!(sink.connections(), 0, "{:?}", sink.request_lines());
    assert!(ran.messages().iter().any(|m| m.contains("status 307")));
    // The client could not be deleted through the redirect: named with its id.
    let leftovers = ran.results["leftovers"].as_array().unwrap();
    assert!(
        leftovers.iter().any(|l| l["client_id"] == "hostile-client"
            && l["reason"]
                .as_str()
                .unwrap()
                .contains("DELETE answered 307")),
        "{leftovers:?}"
    );
    assert!(ran.finished.stdout.contains("hostile-client"));
    ran.done();
}

#[test]
fn a_connection_closed_before_the_headers_is_a_transport_error() {
    let ran = against("close", Mode::CloseBeforeHeaders, &[]);
    for (id, _, reason) in ran.all("errored") {
        assert!(
            reason.contains("connection closed before message completed"),
            "{id}: {reason}"
        );
    }
    ran.done();
}
