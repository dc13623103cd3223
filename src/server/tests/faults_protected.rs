//! Protected registration (RFC 7591 §3) and its faults: the same probes — no token, the
//! token as a Bearer token (any spelling of the scheme), a wrong one, the token in the
//! body or the query — against a
//! correct protected server and a faulted one, under both flavours.

use reqwest::Method;
use serde_json::{Value, json};

use super::*;

const IAT: &str = "iat-0123456789";
const REGISTER: &str = "/oauth2/register";

fn metadata() -> Value {
    json!({"redirect_uris": ["https://client.example/cb"]})
}

async fn post(srv: &Srv, auth: &Auth, body: &Value) -> Resp {
    srv.send(Method::POST, REGISTER, auth, Some(body)).await
}

fn bearer(token: &str) -> Auth {
    Auth::Bearer(token.to_string())
}

#[tokio::test]
async fn a_protected_server_takes_its_token_as_a_bearer_token_and_nothing_else() {
    for flavor in FLAVORS {
        let srv = serve_protected(flavor, &[], IAT).await;
        let ok = post(&srv, &bearer(IAT), &metadata()).await;
        assert_eq!(ok.status, 201, "{flavor}: {ok:?}");
        // The scheme is case-insensitive (RFC 7235 §2.1).
        let lower = post(&srv, &Auth::Header(format!("bearer {IAT}")), &metadata()).await;
        assert_eq!(lower.status, 201, "{flavor}: {lower:?}");
        let none = post(&srv, &Auth::None, &metadata()).await;
        assert_error(&none, 401, "invalid_token", false);
        assert_eq!(
            none.header("www-authenticate"),
            Some("Bearer realm=\"dcrspec\"")
        );
        let wrong = post(&srv, &bearer("not-the-token"), &metadata()).await;
        assert_error(&wrong, 401, "invalid_token", false);
        assert_eq!(
            wrong.header("www-authenticate"),
            Some("Bearer realm=\"dcrspec\", error=\"invalid_token\"")
        );
        let mut in_body = metadata();
        in_body["access_token"] = json!(IAT);
        assert_eq!(post(&srv, &Auth::None, &in_body).await.status, 401);
        let query = srv
            .raw(
                srv.request(Method::POST, REGISTER)
                    .query(&[("access_token", IAT)])
                    .json(&metadata()),
            )
            .await;
        assert_eq!(query.status, 401, "{flavor}: {query:?}");
        // Nothing refused was registered; the token never manages a client.
        assert_eq!(srv.count(), 2, "{flavor}");
    }
}

#[tokio::test]
async fn an_open_server_registers_without_a_token() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        assert_eq!(post(&srv, &Auth::None, &metadata()).await.status, 201);
        let bad = serve(flavor, &["open-registration-refused"]).await;
        let refused = post(&bad, &Auth::None, &metadata()).await;
        assert_error(&refused, 401, "invalid_token", false);
        assert_eq!(
            refused.header("www-authenticate"),
            Some("Bearer realm=\"dcrspec\"")
        );
        // Any Authorization at all gets past it: the server knows no token to compare.
        assert_eq!(post(&bad, &bearer("x"), &metadata()).await.status, 201);
    }
}

#[tokio::test]
async fn iat_not_required_and_iat_any_token() {
    for flavor in FLAVORS {
        let bad = serve_protected(flavor, &["iat-not-required"], IAT).await;
        assert_eq!(post(&bad, &Auth::None, &metadata()).await.status, 201);
        assert_eq!(
            post(&bad, &bearer("wrong-token"), &metadata()).await.status,
            401
        );
        let bad = serve_protected(flavor, &["iat-any-token"], IAT).await;
        assert_eq!(
            post(&bad, &bearer("wrong-token"), &metadata()).await.status,
            201
        );
        assert_eq!(post(&bad, &Auth::None, &metadata()).await.status, 401);
    }
}

#[tokio::test]
async fn iat_from_body_and_iat_case_sensitive() {
    for flavor in FLAVORS {
        let mut in_body = metadata();
        in_body["access_token"] = json!(IAT);
        let bad = serve_protected(flavor, &["iat-from-body"], IAT).await;
        assert_eq!(post(&bad, &Auth::None, &in_body).await.status, 201);
        assert_eq!(post(&bad, &bearer(IAT), &metadata()).await.status, 201);
        assert_eq!(post(&bad, &Auth::None, &metadata()).await.status, 401);
        let bad = serve_protected(flavor, &["iat-case-sensitive"], IAT).await;
        assert_eq!(post(&bad, &bearer(IAT), &metadata()).await.status, 201);
        let lower = post(&bad, &Auth::Header(format!("bearer {IAT}")), &metadata()).await;
        assert_error(&lower, 401, "invalid_token", false);
    }
}

#[tokio::test]
async fn iat_403_and_iat_no_challenge() {
    for flavor in FLAVORS {
        let bad = serve_protected(flavor, &["iat-403"], IAT).await;
        let wrong = post(&bad, &bearer("wrong-token"), &metadata()).await;
        assert_error(&wrong, 403, "access_denied", false);
        assert_eq!(post(&bad, &Auth::None, &metadata()).await.status, 401);
        let bad = serve_protected(flavor, &["iat-no-challenge"], IAT).await;
        let none = post(&bad, &Auth::None, &metadata()).await;
        assert_eq!(none.status, 401);
        assert_eq!(none.header("www-authenticate"), None);
        // The wrong-token answer keeps its challenge.
        let wrong = post(&bad, &bearer("wrong-token"), &metadata()).await;
        assert!(wrong.header("www-authenticate").is_some(), "{wrong:?}");
        // A request without any token: still 401 with a Bearer challenge, but one that
        // names an error (RFC 6750 §3.1 asks for none).
        let ok = serve_protected(flavor, &[], IAT).await;
        let challenge = post(&ok, &Auth::None, &metadata()).await;
        assert!(
            !challenge
                .header("www-authenticate")
                .unwrap()
                .contains("error=")
        );
        let bad = serve_protected(flavor, &["iat-missing-error-code"], IAT).await;
        let none = post(&bad, &Auth::None, &metadata()).await;
        assert_eq!(none.status, 401);
        let challenge = none.header("www-authenticate").unwrap();
        assert!(
            challenge.starts_with("Bearer") && challenge.contains("error=\"invalid_token\""),
            "{challenge}"
        );
    }
}

#[tokio::test]
async fn iat_lowercase_scheme() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve_protected(flavor, &[], IAT).await,
            serve_protected(flavor, &["iat-lowercase-scheme"], IAT).await,
        );
        for (srv, status) in [(&good, 201), (&bad, 400)] {
            let resp = post(srv, &bearer(IAT), &metadata()).await;
            assert_eq!(resp.status, status, "{flavor}: {resp:?}");
            // Spelled "bearer", the token registers on both.
            let lower = post(srv, &Auth::Header(format!("bearer {IAT}")), &metadata()).await;
            assert_eq!(lower.status, 201, "{flavor}: {lower:?}");
            // Without a header, both challenge.
            assert_error(
                &post(srv, &Auth::None, &metadata()).await,
                401,
                "invalid_token",
                false,
            );
        }
        let resp = post(&bad, &bearer(IAT), &metadata()).await;
        assert_error(&resp, 400, "invalid_request", false);
    }
}
