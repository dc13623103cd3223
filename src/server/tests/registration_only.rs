//! The registration-only flavor (`Flavor::Rfc7591`, profiles `rfc7591` and `mcp`) and the
//! faults of its rules: no configuration endpoint and no registration credentials, the
//! credential faults that tell it from a managed server (RFC7592-3-a, RFC7592-OPT-a),
//! and the faults MCP clients break on. Each fault test sends the same probe to a correct
//! and a faulted server.

use reqwest::Method;
use serde_json::{Value, json};

use super::*;

const CB: &str = "https://client.example/cb";

/// What an MCP client registers (suites/mcp/registration.json), with these redirect URIs.
fn mcp_client(uris: &[&str]) -> Value {
    json!({
        "client_name": "MCP client",
        "redirect_uris": uris,
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
        "application_type": "native",
    })
}

#[tokio::test]
async fn registers_without_credentials_and_has_no_configuration_endpoint() {
    let srv = serve(Flavor::Rfc7591, &[]).await;
    let reg = srv.register_default().await;
    assert!(
        reg.body.get("registration_access_token").is_none(),
        "{}",
        reg.body
    );
    assert!(
        reg.body.get("registration_client_uri").is_none(),
        "{}",
        reg.body
    );
    assert!(
        reg.secret.is_some(),
        "a client_secret_basic client gets its secret"
    );
    let path = format!("/oauth2/register/{}", reg.id);
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let resp = srv
            .send(method.clone(), &path, &Auth::None, Some(&json!({})))
            .await;
        // DELETE's error body carries genericError's message too (Ory's documented shape).
        assert_error(&resp, 404, "not_found", method == Method::DELETE);
    }
    let patch = srv.send(Method::PATCH, &path, &Auth::None, None).await;
    assert_eq!(patch.status, 405, "{patch:?}");
    assert_eq!(srv.count(), 1, "nothing deletes it");
    // Registration is the Rfc7592 flavor's: remote plain-http redirect URIs are refused.
    let http = srv
        .create(&json!({"redirect_uris": ["http://client.example/cb"]}))
        .await;
    assert_error(&http, 400, "invalid_redirect_uri", false);
}

#[tokio::test]
async fn no_registration_credentials() {
    let (good, bad) = (
        serve(Flavor::Rfc7592, &[]).await,
        serve(Flavor::Rfc7592, &["no-registration-credentials"]).await,
    );
    let (g, b) = (
        good.create(&json!({"redirect_uris": [CB]})).await,
        bad.create(&json!({"redirect_uris": [CB]})).await,
    );
    assert_eq!((g.status, b.status), (201, 201));
    for name in ["registration_access_token", "registration_client_uri"] {
        assert!(g.json()[name].is_string(), "{name}");
        assert!(b.json().get(name).is_none(), "{name}");
    }
}

#[tokio::test]
async fn dangling_registration_credentials() {
    let (good, bad) = (
        serve(Flavor::Rfc7591, &[]).await,
        serve(Flavor::Rfc7591, &["dangling-registration-credentials"]).await,
    );
    let g = good.create(&json!({"redirect_uris": [CB]})).await.json();
    let b = bad.create(&json!({"redirect_uris": [CB]})).await.json();
    assert!(g.get("registration_access_token").is_none(), "{g}");
    let token = b["registration_access_token"].as_str().unwrap().to_string();
    let uri = b["registration_client_uri"].as_str().unwrap().to_string();
    // The credentials lead nowhere: the URI answers 404 even with the token.
    let read = bad
        .send(Method::GET, &uri, &Auth::Bearer(token), None)
        .await;
    assert_error(&read, 404, "not_found", false);
}

#[tokio::test]
async fn refuse_localhost_redirect() {
    let (good, bad) = (
        serve(Flavor::Rfc7591, &[]).await,
        serve(Flavor::Rfc7591, &["refuse-localhost-redirect"]).await,
    );
    let localhost = mcp_client(&["http://localhost:3000/callback"]);
    let literal = mcp_client(&["http://127.0.0.1:3000/callback"]);
    assert_eq!(good.create(&localhost).await.status, 201);
    assert_error(
        &bad.create(&localhost).await,
        400,
        "invalid_redirect_uri",
        false,
    );
    assert_eq!(bad.create(&literal).await.status, 201);
}

#[tokio::test]
async fn high_loopback_port_refused() {
    let (good, bad) = (
        serve(Flavor::Rfc7591, &[]).await,
        serve(Flavor::Rfc7591, &["high-loopback-port-refused"]).await,
    );
    for port in [49152, 65535] {
        let body = mcp_client(&[&format!("http://127.0.0.1:{port}/callback")]);
        assert_eq!(good.create(&body).await.status, 201, "{port}");
        assert_error(&bad.create(&body).await, 400, "invalid_redirect_uri", false);
    }
    let low = mcp_client(&[
        "http://127.0.0.1:32767/callback",
        "http://localhost:3000/callback",
    ]);
    assert_eq!(bad.create(&low).await.status, 201);
    // Not a loopback host: the port does not matter.
    let remote = json!({"redirect_uris": ["https://client.example:50000/cb"]});
    assert_eq!(bad.create(&remote).await.status, 201);
}

#[tokio::test]
async fn null_omitted_members() {
    let (good, bad) = (
        serve(Flavor::Rfc7591, &[]).await,
        serve(Flavor::Rfc7591, &["null-omitted-members"]).await,
    );
    let body = mcp_client(&["http://127.0.0.1:3000/callback"]);
    let (g, b) = (
        good.create(&body).await.json(),
        bad.create(&body).await.json(),
    );
    assert!(
        g["contacts"].is_array() && g.get("client_uri").is_none(),
        "{g}"
    );
    assert!(
        b["contacts"].is_null() && b.get("contacts").is_some(),
        "{b}"
    );
    assert!(
        b["client_uri"].is_null() && b.get("client_uri").is_some(),
        "{b}"
    );
    // What the request sent is answered as sent.
    assert_eq!(b["client_name"], "MCP client");
    assert_eq!(b["redirect_uris"], g["redirect_uris"]);
}

#[tokio::test]
async fn a_public_mcp_client_gets_no_secret_unless_the_fault_says_so() {
    let (good, bad) = (
        serve(Flavor::Rfc7591, &[]).await,
        serve(Flavor::Rfc7591, &["secret-for-public"]).await,
    );
    let body = mcp_client(&[
        "http://127.0.0.1:3000/callback",
        "http://localhost:3000/callback",
    ]);
    let (g, b) = (
        good.create(&body).await.json(),
        bad.create(&body).await.json(),
    );
    assert!(g.get("client_secret").is_none(), "{g}");
    assert!(b["client_secret"].is_string(), "{b}");
    assert_eq!(b["client_secret_expires_at"], 0);
}
