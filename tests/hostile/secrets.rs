//! No secret in any output. Each run goes through a relay used as `HTTP_PROXY`, which
//! sees every byte: every client secret, registration access token, access token and
//! Authorization value that crossed it (issued by the server, or set by the suite itself, such as the
//! reserved-characters secret) is then searched for, in plain and encoded forms, in
//! stdout, stderr, the JUnit, JSON, evidence and HTML reports.

use std::collections::BTreeSet;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use dcrspec::server::{Fault, Faults, Flavor, ServerConfig};

use crate::support::{Reference, Relay, run, scratch};

/// Every credential in the captured traffic.
pub(crate) fn secrets_in(traffic: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    // JSON members, in request and response bodies.
    for name in ["client_secret", "registration_access_token", "access_token"] {
        let key = format!("\"{name}\":");
        for (i, _) in traffic.match_indices(&key) {
            let rest = traffic[i + key.len()..].trim_start();
            if let Some(value) = json_string_prefix(rest) {
                found.insert(value);
            }
        }
    }
    for line in traffic.split("\r\n") {
        // Authorization headers, whole and decoded.
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("authorization")
        {
            let value = value.trim();
            found.insert(value.to_string());
            if let Some((scheme, token)) = value.split_once(' ') {
                found.insert(token.to_string());
                if scheme.eq_ignore_ascii_case("basic")
                    && let Ok(raw) = STANDARD.decode(token)
                {
                    let raw = String::from_utf8_lossy(&raw).into_owned();
                    if let Some((_, secret)) = raw.split_once(':') {
                        found.insert(form_decode(secret));
                    }
                }
            }
        }
        // `?client_secret=` on request lines.
        if let Some(query) = line.split(' ').nth(1).and_then(|t| t.split_once('?')) {
            for (k, v) in url::form_urlencoded::parse(query.1.as_bytes()) {
                if k == "client_secret" {
                    found.insert(v.into_owned());
                }
            }
        }
    }
    // `client_secret=` in form bodies (token requests) and queries alike.
    for (i, _) in traffic.match_indices("client_secret=") {
        let rest = &traffic[i + "client_secret=".len()..];
        let end = rest
            .find(|c: char| c == '&' || c.is_whitespace())
            .unwrap_or(rest.len());
        found.insert(form_decode(&rest[..end]));
    }
    // The redaction only promises values of 6 characters or more by value (shorter ones
    // are removed by position); no secret here is that short, but a stray empty one is.
    found.retain(|s| s.len() >= 6 && s != "[redacted]");
    found
}

/// The JSON string at the start of `text`, unescaped.
fn json_string_prefix(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return serde_json::from_str(&text[..=i]).ok(),
            _ => i += 1,
        }
    }
    None
}

fn form_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The forms a secret could take in an output.
pub(crate) fn forms(secret: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let json = serde_json::to_string(secret).unwrap();
    let mut forms = vec![
        secret.to_string(),
        form.clone(),
        form.replace('+', "%20"),
        STANDARD.encode(secret),
        json.trim_matches('"').to_string(),
    ];
    // As the XML and HTML reports escape them (`&` → `&amp;`, quotes, angle brackets).
    let escaped: Vec<String> = forms
        .iter()
        .map(|f| quick_xml::escape::escape(f.as_str()).into_owned())
        .filter(|e| !forms.contains(e))
        .collect();
    forms.extend(escaped);
    forms
}

/// Run against the reference server with `faults`, through the relay; return how many
/// secrets the run saw, after checking that none of them is in any output.
fn no_secret_leaks(name: &str, flavor: Flavor, faults: Faults) -> usize {
    leaks_of(name, flavor, faults, "--target")
}

/// As [`no_secret_leaks`], with the server named by `how` (`--target`, or `--issuer`,
/// which also finds the token endpoint, so that the token scenarios run).
fn leaks_of(name: &str, flavor: Flavor, faults: Faults, how: &str) -> usize {
    let reference = Reference::start(ServerConfig {
        flavor,
        enabled: true,
        faults,
        iat: None,
    });
    let relay = Relay::start(&reference.url(), Duration::ZERO);
    let dir = scratch(&format!("secrets-{name}"));
    let url = reference.url();
    let args = ["run", how, &url, "--profile", flavor.name()];
    let f = run(
        &args,
        &dir,
        &[("HTTP_PROXY", &relay.url)],
        Duration::from_secs(30),
    );
    assert!(matches!(f.code, Some(0..=2)), "{}", f.show());
    // The run went through the proxy: HTTP_PROXY is honoured.
    assert!(relay.connections() > 0, "HTTP_PROXY was not used");
    let secrets = secrets_in(&relay.traffic());
    let mut outputs = vec![
        ("stdout".to_string(), f.stdout.clone()),
        ("stderr".to_string(), f.stderr.clone()),
    ];
    for file in ["junit.xml", "results.json", "evidence.md", "report.html"] {
        let path = dir.join("reports").join(file);
        outputs.push((file.to_string(), std::fs::read_to_string(&path).unwrap()));
    }
    for secret in &secrets {
        for form in forms(secret) {
            for (what, text) in &outputs {
                assert!(
                    !text.contains(&form),
                    "{name}: {what} contains the secret {secret:?} as {form:?}"
                );
            }
        }
    }
    // The outputs do show where credentials were, masked.
    assert!(outputs.iter().any(|(_, t)| t.contains("[redacted]")));
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("secrets {name}: {} credentials searched for", secrets.len());
    secrets.len()
}

#[test]
fn a_passing_run_leaks_no_secret() {
    let seen = no_secret_leaks("ory", Flavor::Ory, Faults::default());
    // Issued secrets, the suite's own (reserved characters, wrong ones), Basic headers.
    assert!(seen > 40, "only {seen} secrets captured");
    let seen = no_secret_leaks("rfc7592", Flavor::Rfc7592, Faults::default());
    assert!(seen > 20, "only {seen} secrets captured");
}

#[test]
fn a_registration_only_run_leaks_no_secret() {
    // Every client stays on the server and is named in every report: by id, never by secret.
    let seen = no_secret_leaks("rfc7591", Flavor::Rfc7591, Faults::default());
    assert!(seen > 10, "only {seen} secrets captured");
    // Warned and failed findings whose answers carry registration access tokens (for an
    // endpoint that is not there) and a public client's secret.
    let faults =
        Faults::from_names(&["dangling-registration-credentials", "secret-for-public"]).unwrap();
    let seen = no_secret_leaks("rfc7591-dangling", Flavor::Rfc7591, faults);
    assert!(seen > 20, "only {seen} secrets captured");
}

#[test]
fn failing_runs_leak_no_secret_in_their_evidence() {
    // Faults whose findings carry exchanges full of credentials.
    for (fault, flavor) in [
        (Fault::SecretOnGet, Flavor::Ory),
        (Fault::EchoOnSilentPut, Flavor::Ory),
        (Fault::KeepOldSecretOnSet, Flavor::Ory),
        (Fault::NewSecretOnSilentPut, Flavor::Ory),
        (Fault::BasicNoUrldecode, Flavor::Ory),
        (Fault::UnboundClientId, Flavor::Ory),
        (Fault::AcceptAnySecret, Flavor::Rfc7592),
        (Fault::EchoOnSilentPut, Flavor::Rfc7592),
        (Fault::SecretOnGet, Flavor::Rfc7592),
    ] {
        let seen = no_secret_leaks(&format!("{fault}-{flavor}"), flavor, Faults::from(fault));
        assert!(seen > 10, "{fault} {flavor}: only {seen} secrets captured");
    }
}

#[test]
fn token_endpoint_runs_leak_no_secret() {
    // Issued access tokens, form-body secrets, wrong secrets, Basic headers, credentials in
    // a token request's query; passing, and with the faults that hand out tokens wrongly.
    for (fault, flavor) in [
        (None, Flavor::Ory),
        (None, Flavor::Rfc7592),
        (Some(Fault::TokenPostAnySecret), Flavor::Rfc7592),
        (Some(Fault::TokenQueryCredentials), Flavor::Ory),
        (Some(Fault::TokenBasicRaw), Flavor::Ory),
        (Some(Fault::TokenAfterDelete), Flavor::Rfc7592),
    ] {
        let faults = fault.map(Faults::from).unwrap_or_default();
        let name = format!("token-{}-{flavor}", fault.map_or("none", |f| f.name()));
        let seen = leaks_of(&name, flavor, faults, "--issuer");
        assert!(seen > 20, "{name}: only {seen} secrets captured");
    }
}

#[test]
fn no_proxy_bypasses_the_proxy() {
    let reference = Reference::start(ServerConfig::new(Flavor::Ory));
    let relay = Relay::start(&reference.url(), Duration::ZERO);
    let dir = scratch("no-proxy");
    let url = reference.url();
    let env = [
        ("HTTP_PROXY", relay.url.as_str()),
        ("NO_PROXY", "127.0.0.1"),
    ];
    let f = run(
        &["run", "--target", &url],
        &dir,
        &env,
        Duration::from_secs(30),
    );
    assert_eq!(f.code, Some(0), "{}", f.show());
    assert_eq!(relay.connections(), 0, "NO_PROXY was not honoured");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_secret_extraction_finds_every_kind() {
    let traffic = "PUT /c/1?client_secret=qq%20s%C3%BC-secret HTTP/1.1\r\n\
        Authorization: Basic aWQ6cytwJTI1YS1sb25n\r\n\r\n\
        {\"client_secret\":\"json\\\"secret\",\"registration_access_token\": \"token-123\"}";
    let found = secrets_in(traffic);
    for want in [
        "qq sü-secret",
        "Basic aWQ6cytwJTI1YS1sb25n",
        "aWQ6cytwJTI1YS1sb25n",
        "s p%a-long",
        "json\"secret",
        "token-123",
    ] {
        assert!(found.contains(want), "{want} not in {found:?}");
    }
}
