//! The Rfc7592 flavor: a registration access token and client URI on create, Bearer
//! management bound to the client, 401 `invalid_token` with a `WWW-Authenticate`
//! challenge for every failure including unknown ids, a new token on every update (the
//! old one dead at once), and a PUT `client_secret` that must match the current one and
//! never changes it.

use reqwest::Method;
use serde_json::json;

use super::*;

/// The challenge without a token (RFC 6750 §3.1: no error code), and with a bad one.
const BARE: &str = "Bearer realm=\"dcrspec\"";
const INVALID: &str = "Bearer realm=\"dcrspec\", error=\"invalid_token\"";

#[tokio::test]
async fn create_returns_a_token_and_an_absolute_client_uri() {
    let srv = serve(Flavor::Rfc7592, &[]).await;
    let reg = srv.register_default().await;
    let token = reg.token.clone().unwrap();
    assert!(token.len() >= 32, "{token}");
    assert_eq!(
        reg.path,
        format!("{}/oauth2/register/{}", srv.server.base_url(), reg.id)
    );
    assert!(reg.path.starts_with("http://127.0.0.1:"), "{}", reg.path);
    assert!(reg.secret.is_some());
}

#[tokio::test]
async fn read_returns_token_and_uri_but_no_secret() {
    let srv = serve(Flavor::Rfc7592, &[]).await;
    let reg = srv.register_default().await;
    let resp = srv.get(&reg, &reg.auth).await;
    assert_eq!(resp.status, 200, "{resp:?}");
    let read = resp.json();
    assert_client_shape(&read);
    assert!(read.get("client_secret").is_none(), "{read}");
    assert_eq!(
        read["registration_access_token"],
        reg.body["registration_access_token"]
    );
    assert_eq!(
        read["registration_client_uri"],
        reg.body["registration_client_uri"]
    );
    let token = reg.token.clone().unwrap();
    for scheme in ["bearer", "BEARER", "bEaReR"] {
        let resp = srv
            .get(&reg, &Auth::Header(format!("{scheme} {token}")))
            .await;
        assert_eq!(resp.status, 200, "{scheme}");
    }
}

#[tokio::test]
async fn failures_are_invalid_token_with_a_challenge() {
    let srv = serve(Flavor::Rfc7592, &[]).await;
    let reg = srv.register_default().await;
    let other = srv.register_default().await;
    let (secret, token) = (reg.secret.clone().unwrap(), reg.token.clone().unwrap());
    let unknown = format!(
        "{}/oauth2/register/00000000-0000-4000-8000-000000000000",
        srv.server.base_url()
    );
    let cases = [
        // No Bearer token at all: a bare challenge (RFC 6750 §3.1).
        (reg.path.as_str(), Auth::None, BARE),
        (
            reg.path.as_str(),
            Auth::Basic(reg.id.clone(), secret.clone()),
            BARE,
        ),
        (reg.path.as_str(), Auth::Query(secret.clone()), BARE),
        (reg.path.as_str(), Auth::Header("Bearer ".into()), BARE),
        (unknown.as_str(), Auth::None, BARE),
        // A token that is wrong, or another client's, or for no client.
        (reg.path.as_str(), Auth::Bearer("wrong".into()), INVALID),
        (
            reg.path.as_str(),
            Auth::Bearer(format!("{token}x")),
            INVALID,
        ),
        (reg.path.as_str(), other.auth.clone(), INVALID),
        (unknown.as_str(), reg.auth.clone(), INVALID),
    ];
    for (path, auth, challenge) in &cases {
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            let resp = srv.send(method.clone(), path, auth, Some(&json!({}))).await;
            assert_error(&resp, 401, "invalid_token", method == Method::DELETE);
            assert_eq!(
                resp.header("www-authenticate"),
                Some(*challenge),
                "{path} {auth:?}"
            );
        }
    }
    assert_eq!(srv.count(), 2);
}

#[tokio::test]
async fn put_secret_must_match_and_never_changes() {
    let srv = serve(Flavor::Rfc7592, &[]).await;
    let mut reg = srv.register_default().await;
    let secret = reg.secret.clone().unwrap();
    for wrong in [format!("{secret}x"), "new-secret-of-my-choice".to_string()] {
        let resp = srv
            .put(
                &reg,
                &reg.auth,
                &json!({"client_id": reg.id, "client_secret": wrong}),
            )
            .await;
        assert_error(&resp, 400, "invalid_client_metadata", false);
    }
    let body = json!({"client_id": reg.id, "client_secret": 5});
    let resp = srv.put(&reg, &reg.auth, &body).await;
    assert_error(&resp, 400, "invalid_client_metadata", false);
    for body in [
        json!({"client_id": reg.id, "client_secret": secret, "client_name": "x"}),
        json!({"client_id": reg.id, "client_name": "y"}),
        json!({"client_id": reg.id, "client_secret": null}),
        json!({"client_id": reg.id, "client_secret": secret}),
    ] {
        let resp = srv.put(&reg, &reg.auth, &body).await;
        assert_eq!(resp.status, 200, "{body} {resp:?}");
        let updated = resp.json();
        assert_client_shape(&updated);
        assert!(updated.get("client_secret").is_none(), "{updated}");
        assert_eq!(
            updated["registration_client_uri"],
            reg.body["registration_client_uri"]
        );
        reg = reg.after(&resp);
    }
}

#[tokio::test]
async fn every_update_rotates_the_token_and_kills_the_old_one() {
    let srv = serve(Flavor::Rfc7592, &[]).await;
    let reg = srv.register_default().await;
    let old = reg.auth.clone();
    // Reads do not rotate.
    let read = srv.get(&reg, &old).await.json();
    assert_eq!(
        read["registration_access_token"],
        reg.body["registration_access_token"]
    );
    assert_eq!(srv.get(&reg, &old).await.status, 200);
    // A refused update does not either.
    let refused = srv.put(&reg, &old, &json!({"client_name": "no id"})).await;
    assert_error(&refused, 400, "invalid_request", false);
    assert_eq!(srv.get(&reg, &old).await.status, 200);
    let resp = srv.put(&reg, &old, &json!({"client_id": reg.id})).await;
    assert_eq!(resp.status, 200, "{resp:?}");
    let next = reg.after(&resp);
    assert_ne!(next.token, reg.token);
    assert_eq!(next.token.as_ref().unwrap().len(), 43);
    let gone = srv.get(&reg, &old).await;
    assert_error(&gone, 401, "invalid_token", false);
    assert_eq!(gone.header("www-authenticate"), Some(INVALID));
    let read = srv.get(&next, &next.auth).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.json()["registration_access_token"], json!(next.token));
    assert_eq!(srv.delete(&next, &next.auth).await.status, 204);
}

#[tokio::test]
async fn public_clients_manage_themselves_with_the_token() {
    let srv = serve(Flavor::Rfc7592, &[]).await;
    let reg = srv
        .register(json!({"token_endpoint_auth_method": "none"}))
        .await;
    assert!(reg.secret.is_none());
    assert_eq!(srv.get(&reg, &reg.auth).await.status, 200);
    let body = json!({"client_id": reg.id, "token_endpoint_auth_method": "none",
                      "client_secret": "anything-at-all"});
    assert_error(
        &srv.put(&reg, &reg.auth, &body).await,
        400,
        "invalid_client_metadata",
        false,
    );
    // Turning confidential issues a secret, which the client must learn.
    let resp = srv
        .put(
            &reg,
            &reg.auth,
            &json!({"client_id": reg.id, "token_endpoint_auth_method": "client_secret_basic"}),
        )
        .await;
    let issued = resp.json()["client_secret"].as_str().unwrap().to_string();
    assert!(issued.len() >= 32);
    let reg = reg.after(&resp);
    let body = json!({"client_id": reg.id, "client_secret": issued});
    let resp = srv.put(&reg, &reg.auth, &body).await;
    assert!(resp.json().get("client_secret").is_none());
    let reg = reg.after(&resp);
    assert_eq!(srv.delete(&reg, &reg.auth).await.status, 204);
}
