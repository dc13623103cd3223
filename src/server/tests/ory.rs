//! The Ory flavor: management with the client's own credentials (Basic or query secret,
//! by its `token_endpoint_auth_method`), 404 for unknown clients, and a PUT that sets
//! and echoes a chosen secret.

use reqwest::Method;
use serde_json::json;

use super::*;

/// A secret that needs every part of RFC 6749 §2.3.1's encoding.
const AWKWARD: &str = "sp ace%25+plus:colon/slash-é✓";

#[tokio::test]
async fn read_with_basic_omits_the_secret() {
    let srv = serve(Flavor::Ory, &[]).await;
    let reg = srv.register_default().await;
    let resp = srv.get(&reg, &reg.auth).await;
    assert_eq!(resp.status, 200, "{resp:?}");
    assert_eq!(resp.header("content-type"), Some("application/json"));
    let mut read = resp.json();
    assert_client_shape(&read);
    assert!(read.get("client_secret").is_none(), "{read}");
    assert!(
        read.get("registration_access_token").is_none()
            && read.get("registration_client_uri").is_none()
    );
    // Otherwise the create response, member for member.
    read["client_secret"] = reg.body["client_secret"].clone();
    let mut created = reg.body.clone();
    created.as_object_mut().unwrap().sort_keys();
    read.as_object_mut().unwrap().sort_keys();
    assert_eq!(read, created);
    // The scheme name is case-insensitive.
    let secret = reg.secret.clone().unwrap();
    let lower = format!("basic {}", STANDARD.encode(format!("{}:{secret}", reg.id)));
    assert_eq!(srv.get(&reg, &Auth::Header(lower)).await.status, 200);
}

#[tokio::test]
async fn unknown_ids_are_404_whatever_the_credentials() {
    let srv = serve(Flavor::Ory, &[]).await;
    let reg = srv.register_default().await;
    let path = "/oauth2/register/00000000-0000-4000-8000-000000000000";
    for auth in [Auth::None, reg.auth.clone(), Auth::Bearer("x".into())] {
        assert_error(
            &srv.send(Method::GET, path, &auth, None).await,
            404,
            "not_found",
            false,
        );
        let resp = srv.send(Method::PUT, path, &auth, Some(&json!({}))).await;
        assert_error(&resp, 404, "not_found", false);
        assert_error(
            &srv.send(Method::DELETE, path, &auth, None).await,
            404,
            "not_found",
            true,
        );
    }
    let resp = srv
        .send(Method::GET, "/oauth2/register/%FF", &Auth::None, None)
        .await;
    assert_error(&resp, 404, "not_found", false);
}

#[tokio::test]
async fn basic_clients_accept_only_their_own_basic_credentials() {
    let srv = serve(Flavor::Ory, &[]).await;
    let reg = srv.register_default().await;
    let other = srv.register_default().await;
    let (secret, other_secret) = (reg.secret.clone().unwrap(), other.secret.clone().unwrap());
    let denied = [
        Auth::None,
        Auth::Basic(reg.id.clone(), "wrong".into()),
        Auth::Basic(reg.id.clone(), String::new()),
        Auth::Basic(reg.id.clone(), other_secret.clone()),
        Auth::Basic(other.id.clone(), other_secret.clone()),
        Auth::Basic(other.id.clone(), secret.clone()),
        Auth::Basic(reg.id.clone(), format!("{secret}x")),
        Auth::Query(secret.clone()),
        Auth::Bearer(secret.clone()),
        Auth::Header(format!("Basic {secret}")),
        Auth::Header("Basic".into()),
    ];
    for auth in &denied {
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            let resp = srv
                .send(method.clone(), &reg.path, auth, Some(&json!({})))
                .await;
            let body = assert_error(&resp, 401, "invalid_client", method == Method::DELETE);
            assert_eq!(
                resp.header("www-authenticate"),
                Some("Basic realm=\"dcrspec\""),
                "{auth:?}"
            );
            assert!(!body.to_string().contains(&secret));
        }
    }
    assert_eq!(srv.count(), 2);
    assert_eq!(srv.get(&reg, &reg.auth).await.status, 200);
}

#[tokio::test]
async fn post_clients_accept_only_the_query_secret() {
    let srv = serve(Flavor::Ory, &[]).await;
    let reg = srv
        .register(json!({"token_endpoint_auth_method": "client_secret_post"}))
        .await;
    assert!(matches!(reg.auth, Auth::Query(_)));
    let secret = reg.secret.clone().unwrap();
    assert_eq!(srv.get(&reg, &reg.auth).await.status, 200);
    for auth in [
        Auth::None,
        Auth::Basic(reg.id.clone(), secret.clone()),
        Auth::Query("wrong".into()),
        Auth::Query(String::new()),
    ] {
        assert_error(&srv.get(&reg, &auth).await, 401, "invalid_client", false);
    }
    // The secret in the body of a GET is not a credential either.
    let form = srv
        .request(Method::GET, &reg.path)
        .body(format!("client_secret={secret}"));
    let resp = srv
        .raw(form.header("content-type", "application/x-www-form-urlencoded"))
        .await;
    assert_error(&resp, 401, "invalid_client", false);
    assert_eq!(srv.delete(&reg, &reg.auth).await.status, 204);
    assert_eq!(srv.count(), 0);
}

#[tokio::test]
async fn put_with_a_secret_sets_and_echoes_it() {
    let srv = serve(Flavor::Ory, &[]).await;
    let reg = srv.register_default().await;
    let resp = srv
        .put(
            &reg,
            &reg.auth,
            &json!({"client_id": reg.id, "client_secret": AWKWARD}),
        )
        .await;
    assert_eq!(resp.status, 200, "{resp:?}");
    let updated = resp.json();
    assert_client_shape(&updated);
    assert_eq!(updated["client_secret"], AWKWARD);
    let new = Auth::Basic(reg.id.clone(), AWKWARD.into());
    assert_eq!(srv.get(&reg, &new).await.status, 200);
    assert!(
        srv.get(&reg, &new)
            .await
            .json()
            .get("client_secret")
            .is_none()
    );
    assert_error(
        &srv.get(&reg, &reg.auth).await,
        401,
        "invalid_client",
        false,
    );
    // Without the form-urlencoding step, '+' and '%25' decode differently: refused.
    assert_error(
        &srv.get(&reg, &raw_basic(&reg.id, AWKWARD)).await,
        401,
        "invalid_client",
        false,
    );
    // A secret that encodes to itself works either way.
    let plain = "plain-Secret_0123456789.~";
    assert_eq!(
        srv.put(&reg, &new, &json!({"client_secret": plain}))
            .await
            .status,
        200
    );
    assert_eq!(srv.get(&reg, &raw_basic(&reg.id, plain)).await.status, 200);
}

#[tokio::test]
async fn post_clients_take_awkward_secrets_in_the_query() {
    let srv = serve(Flavor::Ory, &[]).await;
    let reg = srv
        .register(json!({"token_endpoint_auth_method": "client_secret_post"}))
        .await;
    let body =
        json!({"token_endpoint_auth_method": "client_secret_post", "client_secret": AWKWARD});
    assert_eq!(
        srv.put(&reg, &reg.auth, &body).await.json()["client_secret"],
        AWKWARD
    );
    assert_eq!(
        srv.get(&reg, &Auth::Query(AWKWARD.into())).await.status,
        200
    );
    assert_error(
        &srv.get(&reg, &reg.auth).await,
        401,
        "invalid_client",
        false,
    );
}

#[tokio::test]
async fn put_without_a_secret_keeps_it_silently() {
    let srv = serve(Flavor::Ory, &[]).await;
    let reg = srv.register_default().await;
    for body in [
        json!({"client_name": "x"}),
        json!({"client_secret": ""}),
        json!({"client_secret": null}),
    ] {
        let resp = srv.put(&reg, &reg.auth, &body).await;
        assert_eq!(resp.status, 200, "{resp:?}");
        assert!(resp.json().get("client_secret").is_none(), "{}", resp.text);
    }
    assert_eq!(srv.get(&reg, &reg.auth).await.status, 200);
}

#[tokio::test]
async fn the_auth_method_follows_a_put() {
    let srv = serve(Flavor::Ory, &[]).await;
    let reg = srv.register_default().await;
    let secret = reg.secret.clone().unwrap();
    let body = json!({"token_endpoint_auth_method": "client_secret_post"});
    assert_eq!(srv.put(&reg, &reg.auth, &body).await.status, 200);
    assert_error(
        &srv.get(&reg, &reg.auth).await,
        401,
        "invalid_client",
        false,
    );
    assert_eq!(srv.get(&reg, &Auth::Query(secret)).await.status, 200);
}

#[tokio::test]
async fn public_clients_cannot_manage_themselves() {
    let srv = serve(Flavor::Ory, &[]).await;
    let reg = srv
        .register(json!({"token_endpoint_auth_method": "none"}))
        .await;
    for auth in [
        Auth::None,
        Auth::Basic(reg.id.clone(), String::new()),
        Auth::Basic(reg.id.clone(), "x".into()),
    ] {
        assert_error(&srv.get(&reg, &auth).await, 401, "invalid_client", false);
    }
    // Nor can a confidential client choose a secret while turning public.
    let conf = srv.register_default().await;
    let body = json!({"token_endpoint_auth_method": "none", "client_secret": "s3cret-s3cret"});
    assert_error(
        &srv.put(&conf, &conf.auth, &body).await,
        400,
        "invalid_client_metadata",
        false,
    );
    let resp = srv
        .put(
            &conf,
            &conf.auth,
            &json!({"token_endpoint_auth_method": "none"}),
        )
        .await;
    assert!(resp.json().get("client_secret").is_none());
    assert_error(
        &srv.get(&conf, &conf.auth).await,
        401,
        "invalid_client",
        false,
    );
}
