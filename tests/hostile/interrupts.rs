//! No client left behind when a run is cut short: SIGINT, SIGTERM and the deadline
//! delete every client created so far and still write the reports; a second SIGINT
//! aborts at once and names the clients left. The run goes through a slow relay so the
//! test can interrupt it mid-way.

use std::time::{Duration, Instant};

use dcrspec::server::{Flavor, ServerConfig};

use crate::cleanup::leftover_ids;
use crate::support::{Finished, Reference, Relay, assert_sane, outcomes, run, scratch, spawn};

/// A run against the reference server behind a relay that holds every request for
/// a while (150 ms), so the run is still going when the test interrupts it.
struct Slow {
    reference: Reference,
    relay: Relay,
}

fn slow() -> Slow {
    slow_by(Duration::from_millis(150))
}

fn slow_by(delay: Duration) -> Slow {
    let reference = Reference::start(ServerConfig::new(Flavor::Ory));
    let relay = Relay::start(&reference.url(), delay);
    Slow { reference, relay }
}

/// The run under test, through the relay. It skips discovery-issuer: the reference
/// server behind the relay names its own origin as issuer, which RFC8414-3.3-a rightly
/// fails for the relay's URL, and a failed MUST rule would set the exit code to 1
/// whenever that scenario ran before the interrupt.
fn run_args(s: &Slow) -> Vec<&str> {
    vec![
        "run",
        "--target",
        &s.relay.url,
        "--timeout",
        "5",
        "--",
        "--skip",
        "discovery-issuer",
    ]
}

/// The server holds no client, and the report names none as left over.
fn assert_nothing_left(s: &Slow, results: &serde_json::Value, f: &Finished) {
    assert_eq!(
        s.reference.client_ids(),
        Vec::<String>::new(),
        "{}",
        f.show()
    );
    assert!(leftover_ids(results).is_empty());
}

/// Wait until the server holds at least `n` clients (the run is mid-way).
fn until_clients(reference: &Reference, n: usize) {
    let started = Instant::now();
    while reference.clients() < n {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no {n} clients"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn interrupted_by(sig: libc::c_int, name: &str) {
    let s = slow();
    let dir = scratch(&format!("signal-{name}"));
    let child = spawn(&run_args(&s), &dir, &[]);
    until_clients(&s.reference, 3);
    let at = child.elapsed();
    child.signal(sig);
    // Requests in flight (150 ms each) finish, then the drain deletes the rest.
    let f = child.finish(Duration::from_secs(30));
    let results = assert_sane(&f, &dir, at + Duration::from_secs(5));
    assert_eq!(f.code, Some(2), "{}", f.show());
    assert!(
        f.stderr.contains(&format!("{name}: stopping")),
        "{}",
        f.show()
    );
    let reasons: Vec<String> = outcomes(&results)
        .into_iter()
        .filter(|(_, o, _)| o == "errored")
        .map(|(_, _, r)| r)
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with(&format!("interrupted ({name})"))),
        "{reasons:?}"
    );
    assert!(
        results["fatal"]
            .as_str()
            .is_some_and(|t| t.starts_with(&format!("interrupted ({name})"))),
        "{}",
        results["fatal"]
    );
    assert_nothing_left(&s, &results, &f);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigint_deletes_every_client_created_so_far_and_writes_the_reports() {
    interrupted_by(libc::SIGINT, "SIGINT");
}

#[test]
fn sigterm_deletes_every_client_created_so_far_and_writes_the_reports() {
    interrupted_by(libc::SIGTERM, "SIGTERM");
}

#[test]
fn the_deadline_deletes_every_client_created_so_far() {
    let s = slow();
    let dir = scratch("deadline-clients");
    let mut args = run_args(&s);
    args.splice(1..1, ["--deadline", "1"]);
    let f = run(&args, &dir, &[], Duration::from_secs(30));
    let results = assert_sane(&f, &dir, Duration::from_secs(6));
    assert!(
        outcomes(&results)
            .iter()
            .any(|(_, _, r)| r.starts_with("deadline exceeded (1 s)")),
        "{}",
        f.show()
    );
    // The run did create clients before the deadline, and deleted them all.
    assert!(
        s.relay.traffic().contains("POST /oauth2/register"),
        "no client was created"
    );
    assert!(f.stderr.contains("deadline exceeded (1 s): stopping"));
    assert_nothing_left(&s, &results, &f);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_second_sigint_aborts_at_once_and_names_the_clients_left() {
    // Each request takes 400 ms, so the first SIGINT leaves a request in flight and a
    // drain to do; the second must not wait for them.
    let s = slow_by(Duration::from_millis(400));
    let dir = scratch("double-sigint");
    let child = spawn(&run_args(&s), &dir, &[]);
    until_clients(&s.reference, 3);
    child.signal(libc::SIGINT);
    // The second signal goes once the first was handled (two signals sent together
    // may be delivered as one), as a user's second Ctrl-C would.
    child.wait_for_stderr("SIGINT: stopping", Duration::from_secs(20));
    child.signal(libc::SIGINT);
    let f = child.finish(Duration::from_secs(30));
    assert_eq!(f.code, Some(130), "{}", f.show());
    // At once: it neither finished the drain nor wrote the reports.
    assert!(
        !dir.join("reports/results.json").exists(),
        "reports were written: the abort waited for the run to end\n{}",
        f.show()
    );
    assert!(f.stderr.contains("SIGINT again: aborting"), "{}", f.show());
    let named: Vec<&str> = f
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("not deleted: client "))
        .collect();
    assert!(!named.is_empty(), "{}", f.show());
    // What it names is really there, unless a DELETE for it was already on the wire when
    // the run aborted: the relay still delivers a request its sender gave up on, as a
    // network would, and the server then deletes the client after dcrspec named it.
    let left = s.reference.client_ids();
    let traffic = s.relay.traffic();
    for line in &named {
        let id = line.split(' ').next().unwrap();
        let deleted_in_flight = traffic.contains(&format!("DELETE /oauth2/register/{id} "));
        assert!(
            left.iter().any(|l| l == id) || deleted_in_flight,
            "{id} is not on the server and was never sent a DELETE: {left:?}"
        );
    }
    assert!(!f.stderr.contains("panicked"));
    let _ = std::fs::remove_dir_all(&dir);
}
