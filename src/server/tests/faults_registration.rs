//! The registration faults that each break one check of a registration step (issue 12):
//! bodies taken or crashed on, values stored as sent, answers that leave out or mistype
//! what RFC 7591 §3.2.1 requires. Each test sends the same request to a correct and a
//! faulted server.

use reqwest::Method;
use serde_json::{Value, json};

use super::*;

fn metadata() -> Value {
    json!({"client_name": "probe", "redirect_uris": ["https://client.example/cb"]})
}

async fn post_raw(srv: &Srv, content_type: &str, body: &str) -> Resp {
    let request = srv
        .request(Method::POST, "/oauth2/register")
        .header("content-type", content_type)
        .body(body.to_string());
    srv.raw(request).await
}

#[tokio::test]
async fn accept_form_body() {
    let form = "client_name=probe&redirect_uris=https%3A%2F%2Fclient.example%2Fcb";
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        let resp = post_raw(&good, "application/x-www-form-urlencoded", form).await;
        assert_error(&resp, 400, "invalid_client_metadata", false);
        let bad = serve(flavor, &["accept-form-body"]).await;
        let resp = post_raw(&bad, "application/x-www-form-urlencoded", form).await;
        assert_eq!(resp.status, 201, "{flavor}: {resp:?}");
        assert_eq!(
            resp.json()["redirect_uris"],
            json!(["https://client.example/cb"])
        );
        // JSON labelled text/plain is still refused.
        let text = post_raw(&bad, "text/plain", &metadata().to_string()).await;
        assert_eq!(text.status, 400, "{flavor}: {text:?}");
    }
}

#[tokio::test]
async fn malformed_json_500() {
    let truncated = r#"{"client_name": "probe", "redirect_uris": ["https://client.example/cb""#;
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        let bad = serve(flavor, &["malformed-json-500"]).await;
        for (srv, status) in [(&good, 400), (&bad, 500)] {
            let resp = post_raw(srv, "application/json", truncated).await;
            assert_eq!(resp.status, status, "{flavor}: {resp:?}");
            // A body that parses but is no object is refused by both.
            let null = post_raw(srv, "application/json", "null").await;
            assert_error(&null, 400, "invalid_client_metadata", false);
        }
    }
}

#[tokio::test]
async fn empty_client_id_500() {
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        let bad = serve(flavor, &["empty-client-id-500"]).await;
        let mut empty = metadata();
        empty["client_id"] = json!("");
        for (srv, status) in [(&good, 201), (&bad, 500)] {
            let resp = srv.create(&empty).await;
            assert_eq!(resp.status, status, "{flavor}: {resp:?}");
            assert_eq!(srv.create(&metadata()).await.status, 201);
        }
    }
}

#[tokio::test]
async fn answer_credentials_only() {
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        let bad = serve(flavor, &["answer-credentials-only"]).await;
        let full = good.create(&metadata()).await.json();
        let resp = bad.create(&metadata()).await;
        assert_eq!(resp.status, 201);
        let short = resp.json();
        for member in ["redirect_uris", "token_endpoint_auth_method", "client_name"] {
            assert!(
                full.get(member).is_some() && short.get(member).is_none(),
                "{member}"
            );
        }
        for member in ["client_id", "client_secret", "client_secret_expires_at"] {
            assert!(
                short[member].is_string() || short[member].is_number(),
                "{member}"
            );
        }
        // The client is stored in full: a read shows its metadata.
        let reg = bad.register(metadata()).await;
        let read = bad.get(&reg, &reg.auth).await.json();
        assert_eq!(read["redirect_uris"], json!(["https://client.example/cb"]));
    }
}

#[tokio::test]
async fn store_bogus_method() {
    let mut bogus = metadata();
    bogus["token_endpoint_auth_method"] = json!("urn:example:bogus");
    let good = serve(Flavor::Rfc7592, &[]).await;
    assert_error(
        &good.create(&bogus).await,
        400,
        "invalid_client_metadata",
        false,
    );
    let bad = serve(Flavor::Rfc7592, &["store-bogus-method"]).await;
    let resp = bad.create(&bogus).await;
    assert_eq!(resp.status, 201, "{resp:?}");
    assert_eq!(
        resp.json()["token_endpoint_auth_method"],
        "urn:example:bogus"
    );
}

#[tokio::test]
async fn store_wrong_types() {
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        let bad = serve(flavor, &["store-wrong-types"]).await;
        let mut wrong = metadata();
        wrong["redirect_uris"] = json!("https://client.example/cb");
        wrong["contacts"] = json!(5);
        assert_error(
            &good.create(&wrong).await,
            400,
            "invalid_client_metadata",
            false,
        );
        let resp = bad.create(&wrong).await;
        assert_eq!(resp.status, 201, "{flavor}: {resp:?}");
        assert_eq!(resp.json()["redirect_uris"], "https://client.example/cb");
        assert_eq!(resp.json()["contacts"], 5);
        // Validation still runs on what the values say: a fragment is refused.
        wrong["redirect_uris"] = json!("https://client.example/cb#frag");
        assert_eq!(bad.create(&wrong).await.status, 400);
    }
}

#[tokio::test]
async fn numeric_client_id() {
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        assert!(good.create(&metadata()).await.json()["client_id"].is_string());
        let bad = serve(flavor, &["numeric-client-id"]).await;
        let resp = bad.create(&metadata()).await;
        assert_eq!(resp.status, 201);
        let id = resp.json()["client_id"].as_u64().expect("a number");
        // Its digits name the client.
        assert_eq!(bad.server.client_ids(), vec![id.to_string()]);
        if let Some(uri) = resp.json()["registration_client_uri"].as_str() {
            assert!(uri.ends_with(&format!("/oauth2/register/{id}")), "{uri}");
        }
    }
}

#[tokio::test]
async fn public_expiry_null() {
    let public = json!({"redirect_uris": ["http://127.0.0.1:3000/cb"], "token_endpoint_auth_method": "none"});
    let good = serve(Flavor::Rfc7591, &[]).await;
    // The correct server answers 0: the client has no secret to expire.
    assert_eq!(
        good.create(&public).await.json()["client_secret_expires_at"],
        0
    );
    let bad = serve(Flavor::Rfc7591, &["public-expiry-null"]).await;
    let resp = bad.create(&public).await.json();
    assert_eq!(resp.get("client_secret_expires_at"), Some(&Value::Null));
    // A confidential client's expiry is a number as before.
    assert!(bad.create(&metadata()).await.json()["client_secret_expires_at"].is_u64());
}

#[tokio::test]
async fn answer_in_array() {
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        assert!(good.create(&metadata()).await.json().is_object());
        let bad = serve(flavor, &["answer-in-array"]).await;
        let resp = bad.create(&metadata()).await;
        assert_eq!(resp.status, 201);
        assert_eq!(resp.header("content-type"), Some("application/json"));
        let rows = resp.json();
        let id = rows[0]["client_id"]
            .as_str()
            .expect("the client, in an array");
        // The client is stored as issued.
        assert_eq!(bad.server.client_ids(), vec![id.to_string()]);
    }
}

#[tokio::test]
async fn store_string_redirect_uris() {
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        let bad = serve(flavor, &["store-string-redirect-uris"]).await;
        let mut one = metadata();
        one["redirect_uris"] = json!("https://client.example/cb");
        assert_error(
            &good.create(&one).await,
            400,
            "invalid_client_metadata",
            false,
        );
        let resp = bad.create(&one).await;
        assert_eq!(resp.status, 201, "{flavor}: {resp:?}");
        assert_eq!(resp.json()["redirect_uris"], "https://client.example/cb");
        // Other wrong types are refused as before; the string is still validated.
        let mut contacts = metadata();
        contacts["contacts"] = json!(5);
        assert_eq!(bad.create(&contacts).await.status, 400);
        one["redirect_uris"] = json!("https://client.example/cb#frag");
        assert_eq!(bad.create(&one).await.status, 400);
    }
}

#[tokio::test]
async fn answer_omits_grant_or_response_types() {
    let mut sent = metadata();
    sent["grant_types"] = json!(["authorization_code", "refresh_token"]);
    sent["response_types"] = json!(["code"]);
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        let full = good.create(&sent).await.json();
        assert!(full["grant_types"].is_array() && full["response_types"].is_array());
        for (fault, member, other) in [
            ("answer-omits-grant-types", "grant_types", "response_types"),
            (
                "answer-omits-response-types",
                "response_types",
                "grant_types",
            ),
        ] {
            let bad = serve(flavor, &[fault]).await;
            let resp = bad.create(&sent).await.json();
            assert!(resp.get(member).is_none(), "{fault}: {resp}");
            assert_eq!(resp[other], full[other], "{fault}");
            // The client is stored with them: a read answers them.
            let reg = bad.register(sent.clone()).await;
            let read = bad.get(&reg, &reg.auth).await.json();
            assert_eq!(read[member], full[member], "{fault}");
        }
    }
}
