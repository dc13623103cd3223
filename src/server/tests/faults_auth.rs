//! Faults in authenticating management requests and in answering for unknown clients.
//! Each test runs the same probe against a correct server and a faulted one.

use reqwest::Method;
use serde_json::json;

use super::*;

const UNKNOWN: &str = "/oauth2/register/00000000-0000-4000-8000-000000000000";

#[tokio::test]
async fn accept_any_secret() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["accept-any-secret"]).await,
        );
        for (srv, status) in [(&good, 401), (&bad, 200)] {
            let reg = srv.register_default().await;
            let wrong = match flavor {
                Flavor::Ory => Auth::Basic(reg.id.clone(), "guess".into()),
                Flavor::Rfc7592 | Flavor::Rfc7591 => Auth::Bearer("guess".into()),
            };
            assert_eq!(srv.get(&reg, &wrong).await.status, status);
            // Still not without any credential.
            assert_eq!(srv.get(&reg, &Auth::None).await.status, 401);
        }
    }
}

#[tokio::test]
async fn unbound_client_id() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["unbound-client-id"]).await,
        );
        for (srv, status) in [(&good, 401), (&bad, 200)] {
            let reg = srv.register_default().await;
            let other = srv.register_default().await;
            assert_eq!(srv.get(&reg, &other.auth).await.status, status, "{flavor}");
            // A wrong secret or token is still refused.
            let wrong = match flavor {
                Flavor::Ory => Auth::Basic(other.id.clone(), "guess".into()),
                Flavor::Rfc7592 | Flavor::Rfc7591 => Auth::Bearer("guess".into()),
            };
            assert_eq!(srv.get(&reg, &wrong).await.status, 401);
        }
    }
}

#[tokio::test]
async fn ignore_query_secret() {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &["ignore-query-secret"]).await,
    );
    for (srv, status) in [(&good, 200), (&bad, 401)] {
        let post = srv
            .register(json!({"token_endpoint_auth_method": "client_secret_post"}))
            .await;
        assert_eq!(srv.get(&post, &post.auth).await.status, status);
        let basic = srv.register_default().await;
        assert_eq!(srv.get(&basic, &basic.auth).await.status, 200);
    }
}

#[tokio::test]
async fn basic_no_urldecode() {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &["basic-no-urldecode"]).await,
    );
    let awkward = "a b+c%2Fd:é";
    for (srv, encoded_ok) in [(&good, true), (&bad, false)] {
        let reg = srv.register_default().await;
        // A url-safe secret encodes to itself, so it works either way.
        assert_eq!(srv.get(&reg, &reg.auth).await.status, 200);
        assert_eq!(
            srv.put(&reg, &reg.auth, &json!({"client_secret": awkward}))
                .await
                .status,
            200
        );
        let encoded = Auth::Basic(reg.id.clone(), awkward.into());
        assert_eq!(srv.get(&reg, &encoded).await.status == 200, encoded_ok);
        assert_eq!(
            srv.get(&reg, &raw_basic(&reg.id, awkward)).await.status == 200,
            !encoded_ok
        );
    }
}

#[tokio::test]
async fn unknown_401() {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &["unknown-401"]).await,
    );
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let delete = method == Method::DELETE;
        let resp = good
            .send(method.clone(), UNKNOWN, &Auth::None, Some(&json!({})))
            .await;
        assert_error(&resp, 404, "not_found", delete);
        let resp = bad
            .send(method.clone(), UNKNOWN, &Auth::None, Some(&json!({})))
            .await;
        assert_error(&resp, 401, "invalid_client", delete);
    }
}

#[tokio::test]
async fn unknown_200() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["unknown-200"]).await,
        );
        let expected = if flavor == Flavor::Ory { 404 } else { 401 };
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            let resp = good
                .send(method.clone(), UNKNOWN, &Auth::None, Some(&json!({})))
                .await;
            assert_eq!(resp.status, expected);
            let resp = bad
                .send(method.clone(), UNKNOWN, &Auth::None, Some(&json!({})))
                .await;
            assert_eq!((resp.status, resp.json()), (200, json!({})));
        }
        let reg = bad.register_default().await;
        assert_eq!(
            bad.get(&reg, &Auth::None).await.status,
            401,
            "known clients still need credentials"
        );
    }
}

#[tokio::test]
async fn unknown_500() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["unknown-500"]).await,
        );
        let resp = good.send(Method::GET, UNKNOWN, &Auth::None, None).await;
        assert!(resp.status == 404 || resp.status == 401);
        let resp = bad.send(Method::GET, UNKNOWN, &Auth::None, None).await;
        assert_error(&resp, 500, "server_error", false);
        let resp = bad.send(Method::DELETE, UNKNOWN, &Auth::None, None).await;
        assert_error(&resp, 500, "server_error", true);
    }
}

#[tokio::test]
async fn no_www_authenticate() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["no-www-authenticate"]).await,
        );
        let (g, b) = (good.register_default().await, bad.register_default().await);
        let (gr, br) = (
            good.get(&g, &Auth::None).await,
            bad.get(&b, &Auth::None).await,
        );
        assert!(gr.header("www-authenticate").is_some(), "{gr:?}");
        assert_eq!(br.header("www-authenticate"), None, "{br:?}");
        assert_eq!(
            (gr.status, gr.json()),
            (br.status, br.json()),
            "only the header differs"
        );
    }
}

#[tokio::test]
async fn anonymous_read_update_delete() {
    let good = serve(Flavor::Ory, &[]).await;
    let read = serve(Flavor::Ory, &["anonymous-read"]).await;
    let update = serve(Flavor::Ory, &["anonymous-update"]).await;
    let delete = serve(Flavor::Ory, &["anonymous-delete"]).await;
    let body = |reg: &Reg| json!({"client_id": reg.id, "client_name": "hijacked"});
    for (srv, get, put, del) in [
        (&good, 401, 401, 401),
        (&read, 200, 401, 401),
        (&update, 401, 200, 401),
        (&delete, 401, 401, 204),
    ] {
        let reg = srv.register_default().await;
        // Only a request without any credential slips through: a wrong secret does not.
        let wrong = Auth::Basic(reg.id.clone(), "guess".into());
        assert_eq!(srv.get(&reg, &wrong).await.status, 401);
        assert_eq!(srv.get(&reg, &Auth::None).await.status, get);
        assert_eq!(srv.put(&reg, &Auth::None, &body(&reg)).await.status, put);
        assert_eq!(srv.delete(&reg, &Auth::None).await.status, del);
    }
}

/// Under Bearer management: `anonymous-read` answers a GET without a token, and the
/// `*-unissued-token` faults let a token no client holds through on their one method,
/// while another client's token is still refused.
#[tokio::test]
async fn bearer_anonymous_and_unissued_tokens() {
    let good = serve(Flavor::Rfc7592, &[]).await;
    let anonymous = serve(Flavor::Rfc7592, &["anonymous-read"]).await;
    let read = serve(Flavor::Rfc7592, &["read-unissued-token"]).await;
    let delete = serve(Flavor::Rfc7592, &["delete-unissued-token"]).await;
    let unissued = Auth::Bearer("never-issued".into());
    // (GET without a token, GET with an unissued one, DELETE with an unissued one)
    for (srv, none, get, del) in [
        (&good, 401, 401, 401),
        (&anonymous, 200, 401, 401),
        (&read, 401, 200, 401),
        (&delete, 401, 401, 204),
    ] {
        let victim = srv.register_default().await;
        let other = srv.register_default().await;
        assert_eq!(srv.get(&victim, &other.auth).await.status, 401);
        assert_eq!(srv.delete(&victim, &other.auth).await.status, 401);
        assert_eq!(srv.get(&victim, &Auth::None).await.status, none);
        assert_eq!(srv.get(&victim, &unissued).await.status, get);
        assert_eq!(srv.delete(&victim, &unissued).await.status, del);
    }
}

/// Each `*-refuses-basic` fault refuses Basic on its own operation only, and keeps the
/// query secret of a client_secret_post client working there.
#[tokio::test]
async fn refuses_basic_on_one_operation() {
    let post = json!({"redirect_uris": ["https://client.example/cb"], "token_endpoint_auth_method": "client_secret_post"});
    for (fault, refused) in [
        ("read-refuses-basic", Method::GET),
        ("update-refuses-basic", Method::PUT),
        ("delete-refuses-basic", Method::DELETE),
    ] {
        let (good, bad) = (
            serve(Flavor::Ory, &[]).await,
            serve(Flavor::Ory, &[fault]).await,
        );
        for (srv, faulted) in [(&good, false), (&bad, true)] {
            for method in [Method::GET, Method::PUT, Method::DELETE] {
                let reg = srv.register_default().await;
                let body =
                    json!({"client_id": reg.id, "redirect_uris": ["https://client.example/cb"]});
                let resp = srv
                    .send(
                        method.clone(),
                        &reg.path,
                        &reg.auth,
                        Some(&body).filter(|_| method == Method::PUT),
                    )
                    .await;
                if faulted && method == refused {
                    assert_error(&resp, 401, "invalid_client", method == Method::DELETE);
                } else {
                    assert!(
                        resp.status == 200 || resp.status == 204,
                        "{fault} {method}: {resp:?}"
                    );
                }
                let query = srv.register(post.clone()).await;
                let body = json!({"client_id": query.id, "redirect_uris": ["https://client.example/cb"], "token_endpoint_auth_method": "client_secret_post"});
                let resp = srv
                    .send(
                        method.clone(),
                        &query.path,
                        &query.auth,
                        Some(&body).filter(|_| method == Method::PUT),
                    )
                    .await;
                assert!(
                    resp.status == 200 || resp.status == 204,
                    "{fault} {method} query: {resp:?}"
                );
            }
        }
    }
}
