//! Initial access tokens (protected registration) in no output: a token given by the
//! environment or minted by `--initial-access-token-command` is searched for, in every form,
//! in stdout, stderr and every report of `dcrspec run` and `dcrspec fuzz` (whose curl
//! reproduction lines included), and the captured traffic shows it on registration requests
//! only, one minted token per request. The runs print how many registrations carry a token:
//! the figure the README gives users of single-use tokens.

use std::collections::BTreeSet;
use std::time::Duration;

use dcrspec::server::{Fault, Faults, Flavor, ServerConfig};

use crate::secrets::{forms, secrets_in};
use crate::support::{Reference, Relay, run, scratch};

/// Each request in `traffic`, as its method and path (no query) and its text (head and
/// body, up to the next request line).
fn requests(traffic: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for line in traffic.split("\r\n") {
        // A body has no final CRLF: the next request line follows it on the same line.
        let start = ["GET ", "POST ", "PUT ", "DELETE ", "PATCH ", "HEAD "]
            .iter()
            .filter_map(|m| line.rfind(m))
            .max()
            .unwrap_or(0);
        let words: Vec<&str> = line[start..].split(' ').collect();
        if let [method, target, "HTTP/1.1"] = words[..] {
            if let Some(last) = found.last_mut() {
                last.1.push_str(&line[..start]);
            }
            // Through a proxy the target is absolute: keep its path.
            let path = match target.split_once("://") {
                Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
                None => target,
            };
            let path = path.split('?').next().unwrap_or(path);
            found.push((format!("{method} {path}"), line[start..].to_string()));
        } else if let Some(last) = found.last_mut() {
            last.1.push_str(line);
            last.1.push('\n');
        }
    }
    found
}

/// The requests (method and path) in `traffic` whose head or body holds `secret`.
fn requests_carrying(traffic: &str, secret: &str) -> BTreeSet<String> {
    requests(traffic)
        .into_iter()
        .filter(|(_, text)| text.contains(secret))
        .map(|(line, _)| line)
        .collect()
}

/// Every output of a finished run in `dir`: stdout, stderr and the reports with `prefix`.
fn outputs(
    f: &crate::support::Finished,
    dir: &std::path::Path,
    prefix: &str,
) -> Vec<(String, String)> {
    let mut outputs = vec![
        ("stdout".to_string(), f.stdout.clone()),
        ("stderr".to_string(), f.stderr.clone()),
    ];
    for file in ["junit.xml", "results.json", "evidence.md", "report.html"] {
        let path = dir.join("reports").join(format!("{prefix}{file}"));
        outputs.push((file.to_string(), std::fs::read_to_string(&path).unwrap()));
    }
    outputs
}

fn assert_absent(what: &str, secret: &str, outputs: &[(String, String)]) {
    for form in forms(secret) {
        for (name, text) in outputs {
            assert!(
                !text.contains(&form),
                "{what}: {name} contains the secret {secret:?} as {form:?}"
            );
        }
    }
}

/// A protected registration endpoint, its token given by the environment: the token is in
/// no output, and crosses the wire only on registration requests.
#[test]
fn an_initial_access_token_from_the_environment_leaks_nowhere() {
    for flavor in [Flavor::Ory, Flavor::Rfc7592] {
        let iat = format!("dcrspec-hostile-iat-{}", dcrspec::runner::random_token());
        let reference = Reference::start(ServerConfig {
            iat: Some(iat.clone()),
            ..ServerConfig::new(flavor)
        });
        let relay = Relay::start(&reference.url(), Duration::ZERO);
        let dir = scratch(&format!("iat-env-{flavor}"));
        let url = reference.url();
        let args = [
            "run",
            "--target",
            &url,
            "--profile",
            flavor.name(),
            "--registration-protected",
        ];
        let env = [
            ("HTTP_PROXY", relay.url.as_str()),
            ("DCRSPEC_INITIAL_ACCESS_TOKEN", iat.as_str()),
        ];
        let f = run(&args, &dir, &env, Duration::from_secs(30));
        assert_eq!(f.code, Some(0), "{}", f.show());
        let traffic = relay.traffic();
        assert_eq!(
            requests_carrying(&traffic, &iat),
            BTreeSet::from(["POST /oauth2/register".to_string()]),
            "{flavor}: the token went elsewhere than registration"
        );
        let all = requests(&traffic);
        let posts = all
            .iter()
            .filter(|(line, _)| line == "POST /oauth2/register")
            .count();
        let carried = all.iter().filter(|(_, text)| text.contains(&iat)).count();
        eprintln!(
            "iat {flavor}: {carried} of {posts} registration POSTs in a protected run carry the token"
        );
        let outputs = outputs(&f, &dir, "");
        assert_absent(&format!("iat {flavor}"), &iat, &outputs);
        for secret in secrets_in(&traffic) {
            assert_absent(&format!("iat {flavor}"), &secret, &outputs);
        }
        assert_eq!(reference.clients(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Single-use tokens: the command is run once per registration that carries a token,
/// each token goes on exactly one request, and none shows in any output, fuzz
/// counterexamples and their curl lines included.
#[test]
fn minted_initial_access_tokens_are_one_per_registration_and_leak_nowhere() {
    let iat = format!("dcrspec-minted-iat-{}", dcrspec::runner::random_token());
    let reference = Reference::start(ServerConfig {
        iat: Some(iat.clone()),
        faults: Faults::from(Fault::LongName500),
        ..ServerConfig::new(Flavor::Rfc7592)
    });
    let relay = Relay::start(&reference.url(), Duration::ZERO);
    let dir = scratch("iat-command");
    let count = dir.join("minted");
    // The reference server takes one token: the command stands for one that mints a
    // fresh one each time, and counts how often it was asked.
    let command = format!("printf x >> '{}'; printf '%s\\n' '{iat}'", count.display());
    let url = reference.url();
    let env = [("HTTP_PROXY", relay.url.as_str())];
    let f = run(
        &[
            "run",
            "--target",
            &url,
            "--profile",
            "rfc7592",
            "--registration-protected",
            "--initial-access-token-command",
            &command,
        ],
        &dir,
        &env,
        Duration::from_secs(30),
    );
    assert_eq!(f.code, Some(0), "{}", f.show());
    let minted = std::fs::read_to_string(&count).unwrap().len();
    let traffic = relay.traffic();
    let all = requests(&traffic);
    let carried = all.iter().filter(|(_, text)| text.contains(&iat)).count();
    let posts = all
        .iter()
        .filter(|(line, _)| line == "POST /oauth2/register")
        .count();
    eprintln!(
        "iat command: {minted} tokens minted for a protected rfc7592 run of {posts} \
         registration POSTs"
    );
    assert_eq!(
        minted, carried,
        "every minted token goes on exactly one request"
    );
    assert_eq!(
        traffic.matches(iat.as_str()).count(),
        carried,
        "no request carries a token twice"
    );
    assert_absent("iat command", &iat, &outputs(&f, &dir, ""));

    // The fuzzer's registrations carry a token too; its reproduction lines do not.
    let f = run(
        &[
            "fuzz",
            "--target",
            &url,
            "--profile",
            "rfc7592",
            "--registration-protected",
            "--property",
            "valid-metadata",
            "--cases",
            "16",
            "--seed",
            "7",
            "--max-shrink-time",
            "5",
        ],
        &dir,
        &[
            ("HTTP_PROXY", relay.url.as_str()),
            ("DCRSPEC_INITIAL_ACCESS_TOKEN", iat.as_str()),
        ],
        Duration::from_secs(60),
    );
    assert_eq!(f.code, Some(1), "long-name-500 is found:\n{}", f.show());
    assert!(f.stdout.contains("curl"), "{}", f.show());
    assert_absent("iat fuzz", &iat, &outputs(&f, &dir, "fuzz-"));
    assert_eq!(reference.clients(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
