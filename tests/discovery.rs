//! Discovery from the command line: `--issuer` against metadata documents that are
//! missing, not JSON, not an object or without a registration endpoint (one-line error
//! naming the URLs tried, exit 2, reports written, the metadata rules still judged), an
//! issuer whose registration is switched off, and `--target` at a server that publishes no
//! metadata (the metadata scenarios skipped with the reason).

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;

use common::{dcrspec, scratch};
use dcrspec::server::{self, Faults, Flavor, ServerConfig};
use serde_json::Value;

/// A server answering every request with 200 and `body` (`ISSUER` replaced by its base
/// URL) labelled JSON, on a thread of its own; its base URL.
fn fixed_server(body: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let body = body.replace("ISSUER", &base);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    base
}

fn results(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
        .unwrap()
}

fn verdict(results: &Value, rule: &str) -> String {
    results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == rule)
        .map(|r| r["verdict"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no rule {rule}"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn unusable_metadata_is_one_line_naming_the_urls_and_the_metadata_rules_still_judge_it() {
    let cases = [
        ("not-json", "<html>hello</html>", "not JSON"),
        ("not-object", "[1]", "not a JSON object"),
        (
            "no-endpoint",
            r#"{"issuer": "ISSUER", "response_types_supported": ["code"]}"#,
            "no registration_endpoint",
        ),
        (
            "relative",
            r#"{"issuer": "ISSUER", "registration_endpoint": "/reg"}"#,
            "not an absolute http(s) URL",
        ),
    ];
    for (name, body, says) in cases {
        // The issuer member is the server's own, so that only the endpoint is wrong.
        let base = fixed_server(body);
        let dir = scratch("discovery", name);
        let out = dcrspec(&["run", "--issuer", &base, "--profile", "rfc7592"], &dir);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let line = stderr
            .lines()
            .find(|l| l.starts_with("error: "))
            .unwrap_or_else(|| panic!("{name}: no error line in {stderr}"));
        assert!(line.contains("no usable metadata for issuer"), "{line}");
        assert!(line.contains(says), "{name}: {line}");
        for url in [
            "/.well-known/openid-configuration",
            "/.well-known/oauth-authorization-server",
        ] {
            assert!(line.contains(&format!("{base}{url}")), "{name}: {line}");
        }
        let r = results(&dir);
        assert_eq!(
            r["fatal"].as_str(),
            Some(&line["error: ".len()..]),
            "{name}"
        );
        // RECOMMENDED by OpenID Connect Discovery: a warning, and the run exits 2 as
        // nothing else could be checked.
        assert_eq!(verdict(&r, "RFC8414-2-a"), "warn", "{name}");
        assert_eq!(verdict(&r, "RFC7591-3.1-a"), "error", "{name}");
        assert_eq!(r["rule_summary"]["fail"], 0, "{name}: {r}");
        assert!(dir.join("reports/junit.xml").exists());
    }
}

/// With registration off, a document without `registration_endpoint` is right: the run
/// checks the feature-off rules at the profile's paths on the issuer's origin and passes;
/// a document that still advertises the endpoint fails DCR-OFF-a.
#[test]
fn an_issuer_with_registration_off_is_checked_at_the_profiles_paths() {
    let rt = runtime();
    for (faults, code, off_a) in [
        (&[][..], 0, "pass"),
        (&["advertise-when-disabled"][..], 1, "fail"),
    ] {
        let config = ServerConfig {
            flavor: Flavor::Rfc7592,
            enabled: false,
            faults: Faults::from_names(faults).unwrap(),
            iat: None,
        };
        let reference = rt.block_on(server::start(config, 0)).unwrap();
        let issuer = reference.base_url();
        let dir = scratch("discovery", &format!("off-{}", faults.len()));
        let out = dcrspec(
            &[
                "run",
                "--issuer",
                &issuer,
                "--profile",
                "rfc7592",
                "--disabled",
            ],
            &dir,
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{faults:?}: {stdout}{stderr}"
        );
        let r = results(&dir);
        assert_eq!(verdict(&r, "DCR-OFF-a"), off_a, "{faults:?}");
        assert_eq!(verdict(&r, "DCR-OFF-b"), "pass", "{faults:?}");
        assert_eq!(r["rule_summary"]["error"], 0, "{faults:?}: {r}");
        if faults.is_empty() {
            let target = r["target"].as_str().unwrap();
            assert!(
                target.contains("names no registration endpoint"),
                "{target}"
            );
        }
        rt.block_on(reference.shutdown());
    }
}

/// `--target` at a server without metadata: the metadata scenarios are skipped with the
/// URLs tried, the rest runs; a profile granting `metadata` has them judged instead.
#[test]
fn a_target_without_metadata_skips_the_metadata_scenarios_with_the_reason() {
    let rt = runtime();
    let config = ServerConfig {
        flavor: Flavor::Rfc7592,
        enabled: true,
        faults: Faults::from_names(&["metadata-404"]).unwrap(),
        iat: None,
    };
    let reference = rt.block_on(server::start(config, 0)).unwrap();
    let base = reference.base_url();
    let dir = scratch("discovery", "target-no-metadata");
    let out = dcrspec(
        &[
            "run",
            "--target",
            &base,
            "--profile",
            "rfc7592",
            "--",
            "discovery",
        ],
        &dir,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let r = results(&dir);
    let scenarios = r["scenarios"].as_array().unwrap();
    let issuer = scenarios
        .iter()
        .find(|s| s["id"] == "discovery-issuer")
        .unwrap();
    assert_eq!(issuer["outcome"], "skipped");
    let reason = issuer["reason"].as_str().unwrap();
    assert!(
        reason.contains("publishes no metadata document")
            && reason.contains(&format!(
                "{base}/.well-known/openid-configuration: status 404"
            ))
            && reason.contains("/.well-known/oauth-authorization-server: status 404"),
        "{reason}"
    );
    assert_eq!(verdict(&r, "RFC8414-2-a"), "skip");

    // The profile says the server publishes metadata: its absence is judged.
    let profile = dir.join("with-metadata.toml");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("suites/profiles/rfc7592.toml"),
    )
    .unwrap()
    .replace(
        "capabilities = [\n",
        "capabilities = [\n    \"metadata\",\n",
    );
    std::fs::write(&profile, text).unwrap();
    let out = dcrspec(
        &[
            "run",
            "--target",
            &base,
            "--profile",
            profile.to_str().unwrap(),
            "--",
            "discovery",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    let r = results(&dir);
    assert_eq!(verdict(&r, "RFC8414-2-a"), "warn");
    rt.block_on(reference.shutdown());
}
