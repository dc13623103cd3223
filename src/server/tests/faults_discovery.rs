//! The metadata document and the discovery faults: what the correct server advertises
//! (what registration accepts, no registration endpoint when switched off), and what each
//! fault changes. Each test runs the same probe against a correct and a faulted server.

use reqwest::Method;
use serde_json::{Value, json};

use super::*;

async fn document(srv: &Srv) -> (u16, Value) {
    let resp = srv
        .send(
            Method::GET,
            "/.well-known/openid-configuration",
            &Auth::None,
            None,
        )
        .await;
    let again = srv
        .send(
            Method::GET,
            "/.well-known/oauth-authorization-server",
            &Auth::None,
            None,
        )
        .await;
    assert_eq!((resp.status, &resp.text), (again.status, &again.text));
    let body = serde_json::from_str(&resp.text).unwrap_or(Value::Null);
    (resp.status, body)
}

fn methods(doc: &Value) -> Vec<&str> {
    doc["token_endpoint_auth_methods_supported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_document_advertises_what_registration_accepts() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let base = srv.server.base_url();
        let (status, doc) = document(&srv).await;
        assert_eq!(status, 200);
        assert_eq!(doc["issuer"], json!(base));
        assert_eq!(
            doc["registration_endpoint"],
            json!(format!("{base}/oauth2/register"))
        );
        assert!(
            doc["grant_types_supported"]
                .as_array()
                .unwrap()
                .contains(&json!("authorization_code"))
        );
        assert!(
            doc["response_types_supported"]
                .as_array()
                .unwrap()
                .contains(&json!("code"))
        );
        for method in methods(&doc) {
            let mut body = json!({"redirect_uris": ["https://client.example/cb"]});
            body["token_endpoint_auth_method"] = json!(method);
            let resp = srv.create(&body).await;
            assert_eq!(resp.status, 201, "{flavor:?} {method}: {}", resp.text);
            assert_eq!(resp.json()["token_endpoint_auth_method"], json!(method));
        }
        let off = serve_disabled(flavor, &[]).await;
        let (status, doc) = document(&off).await;
        assert_eq!(status, 200);
        assert!(doc.get("registration_endpoint").is_none(), "{doc}");
        let on = serve_disabled(flavor, &["advertise-when-disabled"]).await;
        assert!(document(&on).await.1["registration_endpoint"].is_string());
    }
}

#[tokio::test]
async fn each_discovery_fault_changes_the_document_only() {
    let good = document(&serve(Flavor::Rfc7592, &[]).await).await.1;
    let faulted = |name: &'static str| async move {
        let srv = serve(Flavor::Rfc7592, &[name]).await;
        let base = srv.server.base_url();
        (document(&srv).await, base, srv)
    };
    let ((status, _), _, _) = faulted("metadata-404").await;
    assert_eq!(status, 404);
    let ((_, doc), _, _) = faulted("relative-registration-endpoint").await;
    assert_eq!(doc["registration_endpoint"], "/oauth2/register");
    let ((_, doc), base, _) = faulted("issuer-mismatch").await;
    assert_eq!(doc["issuer"], json!(format!("{base}/")));
    let ((_, doc), _, _) = faulted("http-behind-proxy").await;
    assert_eq!(
        doc["registration_endpoint"],
        "http://as.example/oauth2/register"
    );
    let ((_, doc), _, srv) = faulted("advertise-unsupported-method").await;
    assert!(methods(&doc).contains(&"client_secret_jwt"));
    assert!(!methods(&good).contains(&"client_secret_jwt"));
    let refused = srv
        .create(&json!({"redirect_uris": ["https://client.example/cb"], "token_endpoint_auth_method": "client_secret_jwt"}))
        .await;
    assert_eq!(refused.status, 400);
    let ((_, doc), _, _) = faulted("unadvertised-method").await;
    assert_eq!(methods(&doc), ["client_secret_basic"]);
    let ((_, doc), _, srv) = faulted("refuse-public-clients").await;
    assert!(methods(&doc).contains(&"none"));
    let public = json!({"redirect_uris": ["https://client.example/cb"], "token_endpoint_auth_method": "none"});
    assert_eq!(srv.create(&public).await.status, 400);
    let good_srv = serve(Flavor::Rfc7592, &[]).await;
    assert_eq!(good_srv.create(&public).await.status, 201);
}

#[tokio::test]
async fn metadata_html() {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &["metadata-html"]).await,
    );
    let (status, doc) = document(&good).await;
    assert_eq!(status, 200);
    assert!(doc["registration_endpoint"].is_string(), "{doc}");
    let (status, doc) = document(&bad).await;
    assert_eq!((status, doc), (200, Value::Null), "not JSON");
    let resp = bad
        .send(
            Method::GET,
            "/.well-known/openid-configuration",
            &Auth::None,
            None,
        )
        .await;
    assert_eq!(
        resp.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(resp.text.starts_with("<!DOCTYPE html>"), "{resp:?}");
}

#[tokio::test]
async fn narrow_discovery_faults_change_one_member_or_one_method() {
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        let (_, doc) = document(&good).await;
        let srv = serve(flavor, &["metadata-without-issuer"]).await;
        let (status, faulted) = document(&srv).await;
        assert_eq!(status, 200);
        assert!(doc.get("issuer").is_some() && faulted.get("issuer").is_none());
        let listed = |doc: &Value, member: &str, value: &str| {
            doc[member].as_array().unwrap().contains(&json!(value))
        };
        let (_, grants) = document(&serve(flavor, &["unadvertised-default-grant"]).await).await;
        assert!(listed(&doc, "grant_types_supported", "authorization_code"));
        assert!(!listed(
            &grants,
            "grant_types_supported",
            "authorization_code"
        ));
        assert!(listed(&grants, "grant_types_supported", "refresh_token"));
        let (_, responses) =
            document(&serve(flavor, &["unadvertised-default-response"]).await).await;
        assert!(listed(&doc, "response_types_supported", "code"));
        assert!(!listed(&responses, "response_types_supported", "code"));
        assert!(listed(&responses, "response_types_supported", "id_token"));
    }
    let post = json!({"redirect_uris": ["https://client.example/cb"], "token_endpoint_auth_method": "client_secret_post"});
    let good = serve(Flavor::Rfc7592, &[]).await;
    let resp = good.create(&post).await;
    assert_eq!(resp.status, 201);
    assert_eq!(
        resp.json()["token_endpoint_auth_method"],
        "client_secret_post"
    );
    let refused = serve(Flavor::Rfc7592, &["refuse-secret-post"]).await;
    assert_error(
        &refused.create(&post).await,
        400,
        "invalid_client_metadata",
        false,
    );
    assert!(methods(&document(&refused).await.1).contains(&"client_secret_post"));
    let basic = serve(Flavor::Rfc7592, &["post-made-basic"]).await;
    let resp = basic.create(&post).await;
    assert_eq!(resp.status, 201);
    assert_eq!(
        resp.json()["token_endpoint_auth_method"],
        "client_secret_basic"
    );
    assert!(methods(&document(&basic).await.1).contains(&"client_secret_post"));
}
