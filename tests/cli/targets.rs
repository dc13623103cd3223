//! Targets beyond a plain URL: the in-process session against the same server as the
//! command line, an `--issuer` found by its metadata (or why not), and a protected
//! registration endpoint with its initial access token.

use crate::common::{self, dcrspec, read_json, scratch};

/// What the tests judge is what a user runs: the command line and the in-process session
/// the reference and fault-matrix tests use give the same verdict for every rule, against
/// the same faulted server.
#[test]
fn the_command_line_and_the_in_process_session_give_identical_verdicts() {
    let dir = scratch("cli", "one-pipeline");
    let faults = ["null-arrays", "secret-on-get", "no-cache-headers"];
    let mut args = vec!["run", "--profile", "rfc7592"];
    for f in &faults {
        args.extend(["--fault", f]);
    }
    let out = dcrspec(&args, &dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results = read_json(&dir.join("reports/results.json"));
    let cli: Vec<(String, String)> = results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();

    let inputs = dcrspec::session::Inputs::built_in("rfc7592").unwrap();
    let run = dcrspec::session::against_reference(
        inputs,
        dcrspec::server::Faults::from_names(&faults).unwrap(),
    )
    .unwrap();
    let in_process: Vec<(String, String)> = dcrspec::verdict::Verdicts::fold(&run.report)
        .rules
        .iter()
        .map(|r| (r.id.clone(), r.verdict.as_str().to_string()))
        .collect();
    assert!(cli.iter().any(|(_, v)| v == "fail"), "{cli:?}");
    assert!(cli.iter().any(|(_, v)| v == "warn"), "{cli:?}");
    assert_eq!(cli, in_process);
}

/// `--issuer`: the registration endpoint comes from the server's metadata; an issuer
/// with no usable metadata errors every scenario with the reason, in one line, and the
/// reports are still written.
#[test]
fn an_issuer_is_found_by_its_metadata_or_the_run_says_why_not() {
    use dcrspec::server::{self, Flavor, ServerConfig};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let reference = rt
        .block_on(server::start(ServerConfig::new(Flavor::Rfc7592), 0))
        .unwrap();
    let issuer = reference.base_url();
    let dir = scratch("cli", "issuer");
    let out = dcrspec(&["run", "--issuer", &issuer, "--profile", "rfc7592"], &dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let results = read_json(&dir.join("reports/results.json"));
    let target = results["target"].as_str().unwrap();
    assert!(
        target.starts_with(&format!("{issuer}/oauth2/register (registration endpoint from {issuer}/.well-known/openid-configuration")),
        "{target}"
    );
    assert_eq!(results["rule_summary"]["error"], 0);

    // A path the server publishes no metadata under.
    let nowhere = format!("{issuer}/tenant");
    let out = dcrspec(&["run", "--issuer", &nowhere, "--profile", "rfc7592"], &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let line = stderr.lines().find(|l| l.starts_with("error: ")).unwrap();
    assert!(line.contains("no usable metadata for issuer"), "{stderr}");
    assert!(
        line.contains("/.well-known/oauth-authorization-server/tenant: status 404"),
        "{stderr}"
    );
    let results = read_json(&dir.join("reports/results.json"));
    assert_eq!(results["rule_summary"]["pass"], 0, "{results}");
    assert!(results["summary"]["errored"].as_u64().unwrap() > 0);
    rt.block_on(reference.shutdown());
}

#[test]
fn protected_registration_needs_a_token_and_a_failing_mint_errors_without_a_secret() {
    use dcrspec::server::{self, Flavor, ServerConfig};
    let dir = scratch("cli", "protected");
    // A protected profile against a server of the user's: no token, no start.
    for env in [vec![], vec![("DCRSPEC_INITIAL_ACCESS_TOKEN", "")]] {
        let out = common::dcrspec_with_env(
            &[
                "run",
                "--target",
                "http://127.0.0.1:9",
                "--profile",
                "rfc7592",
                "--registration-protected",
            ],
            &dir,
            &env,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        for needle in [
            "--initial-access-token",
            "DCRSPEC_INITIAL_ACCESS_TOKEN",
            "--initial-access-token-command",
        ] {
            assert!(stderr.contains(needle), "{stderr}");
        }
    }
    // The embedded server mints its own token: a protected run passes.
    let out = dcrspec(
        &["run", "--profile", "rfc7592", "--registration-protected"],
        &dir,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let results = read_json(&dir.join("reports/results.json"));
    let verdict = |id: &str| {
        results["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["verdict"].as_str().unwrap().to_string())
    };
    assert_eq!(verdict("RFC7591-3.1-e").as_deref(), Some("pass"));
    assert_eq!(verdict("RFC7591-3.1-d").as_deref(), Some("skip"));

    // A command that fails: every registration errors with one line that shows none of
    // its output; the reports are written and the run exits 2.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let reference = rt
        .block_on(server::start(
            ServerConfig {
                iat: Some("the-real-token-123".into()),
                ..ServerConfig::new(Flavor::Rfc7592)
            },
            0,
        ))
        .unwrap();
    let url = reference.base_url();
    let out = dcrspec(
        &[
            "run",
            "--target",
            &url,
            "--profile",
            "rfc7592",
            "--registration-protected",
            "--initial-access-token-command",
            "echo leaked-admin-password >&2; echo half-a-token; exit 3",
        ],
        &dir,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("--initial-access-token-command failed (exit status: 3)"),
        "{stdout}"
    );
    for file in [
        "reports/results.json",
        "reports/evidence.md",
        "reports/junit.xml",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        for (what, output) in [
            (file, text.as_str()),
            ("stdout", &stdout),
            ("stderr", &stderr),
        ] {
            for secret in ["leaked-admin-password", "half-a-token"] {
                assert!(!output.contains(secret), "{what} shows {secret}");
            }
        }
    }
    // A wrong token: each registration errors (the token was refused), none fails.
    let out = common::dcrspec_with_env(
        &[
            "run",
            "--target",
            &url,
            "--profile",
            "rfc7592",
            "--registration-protected",
        ],
        &dir,
        &[("DCRSPEC_INITIAL_ACCESS_TOKEN", "a-used-up-token")],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("refused the initial access token (401)"),
        "{stdout}"
    );
    let results = read_json(&dir.join("reports/results.json"));
    assert_eq!(results["rule_summary"]["fail"], 0, "{results}");
    assert!(!stdout.contains("a-used-up-token"), "{stdout}");
    rt.block_on(reference.shutdown());
}
