//! Faults added for the false verdicts real servers showed (issue 15, section 2): two
//! defects (a wrong-type refusal coded unknown_error, a missing token answered 400) and
//! two allowed replacements the checks must tell from defects (a public client made
//! confidential, a string coerced into an array). Each test runs the same probe against a
//! correct server and a faulted one.

use serde_json::json;

use super::*;

#[tokio::test]
async fn wrong_type_unknown_error() {
    let (good, bad) = (
        serve(Flavor::Rfc7592, &[]).await,
        serve(Flavor::Rfc7592, &["wrong-type-unknown-error"]).await,
    );
    let body = json!({"redirect_uris": "https://client.example/cb"});
    let (g, b) = (good.create(&body).await, bad.create(&body).await);
    assert_error(&g, 400, "invalid_client_metadata", false);
    assert_error(&b, 400, "unknown_error", false);
}

#[tokio::test]
async fn missing_token_400() {
    let (good, bad) = (
        serve(Flavor::Rfc7592, &[]).await,
        serve(Flavor::Rfc7592, &["missing-token-400"]).await,
    );
    let (rg, rb) = (good.register_default().await, bad.register_default().await);
    let (g, b) = (
        good.get(&rg, &Auth::None).await,
        bad.get(&rb, &Auth::None).await,
    );
    assert_eq!(g.status, 401, "{g:?}");
    assert!(g.header("www-authenticate").is_some(), "{g:?}");
    assert_eq!(b.status, 400, "{b:?}");
    assert_eq!(b.json()["error"], "invalid_request", "{b:?}");
    assert!(b.header("www-authenticate").is_none(), "{b:?}");
}

#[tokio::test]
async fn public_made_confidential() {
    let (good, bad) = (
        serve(Flavor::Rfc7592, &[]).await,
        serve(Flavor::Rfc7592, &["public-made-confidential"]).await,
    );
    let body = json!({
        "redirect_uris": ["https://client.example/cb"],
        "token_endpoint_auth_method": "none"
    });
    let (g, b) = (good.create(&body).await, bad.create(&body).await);
    assert_eq!((g.status, b.status), (201, 201));
    assert_eq!(g.json()["token_endpoint_auth_method"], "none");
    assert!(g.json().get("client_secret").is_none(), "{g:?}");
    assert_eq!(
        b.json()["token_endpoint_auth_method"],
        "client_secret_basic"
    );
    assert!(b.json()["client_secret"].is_string(), "{b:?}");
}

#[tokio::test]
async fn coerce_string_arrays() {
    let (good, bad) = (
        serve(Flavor::Rfc7592, &[]).await,
        serve(Flavor::Rfc7592, &["coerce-string-arrays"]).await,
    );
    let body = json!({"redirect_uris": "https://client.example/cb"});
    let (g, b) = (good.create(&body).await, bad.create(&body).await);
    assert_error(&g, 400, "invalid_client_metadata", false);
    assert_eq!(b.status, 201, "{b:?}");
    assert_eq!(
        b.json()["redirect_uris"],
        json!(["https://client.example/cb"])
    );
}
