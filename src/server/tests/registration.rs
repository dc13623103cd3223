//! RFC 7591 registration rules the reference server enforces on create only (RFC 7591
//! §2, §2.1, §5), and the RFC 7591 registration faults: each changes what create does
//! and nothing else.

use reqwest::Method;
use serde_json::json;

use super::*;

const CB: &str = "https://client.example/cb";

#[tokio::test]
async fn create_enforces_the_registration_rules() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        for (body, code) in [
            (json!({}), "invalid_redirect_uri"),
            (json!({"redirect_uris": []}), "invalid_redirect_uri"),
            (
                json!({"grant_types": ["implicit"], "response_types": ["token"]}),
                "invalid_redirect_uri",
            ),
            (
                json!({"redirect_uris": [CB], "grant_types": ["urn:example:bogus"]}),
                "invalid_client_metadata",
            ),
            (
                json!({"redirect_uris": [CB], "jwks_uri": "https://client.example/jwks",
                       "jwks": {"keys": []}}),
                "invalid_client_metadata",
            ),
            (
                json!({"redirect_uris": [CB], "grant_types": ["implicit"],
                       "response_types": ["code"]}),
                "invalid_client_metadata",
            ),
            (
                json!({"redirect_uris": [CB], "response_types": ["code id_token"]}),
                "invalid_client_metadata",
            ),
        ] {
            let resp = srv.create(&body).await;
            assert_error(&resp, 400, code, false);
        }
        assert_eq!(srv.count(), 0);
        // A client without a redirect-based grant needs no redirect URI.
        let resp = srv
            .create(&json!({"grant_types": ["client_credentials"], "response_types": []}))
            .await;
        assert_eq!(resp.status, 201, "{resp:?}");
        let resp = srv
            .create(
                &json!({"redirect_uris": [CB], "grant_types": ["authorization_code", "implicit"],
                           "response_types": ["code", "code id_token", "token"]}),
            )
            .await;
        assert_eq!(resp.status, 201, "{resp:?}");
    }
}

#[tokio::test]
async fn only_the_rfc7592_flavor_refuses_remote_plain_http_redirects() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let resp = srv
            .create(&json!({"redirect_uris": ["http://client.example/cb"]}))
            .await;
        match flavor {
            Flavor::Rfc7592 | Flavor::Rfc7591 => {
                assert_error(&resp, 400, "invalid_redirect_uri", false);
            }
            Flavor::Ory => assert_eq!(resp.status, 201, "{resp:?}"),
        }
        for uri in [
            "http://127.0.0.1:8080/cb",
            "http://localhost/cb",
            "http://[::1]/cb",
            "com.example.app:/cb",
            "https://client.example/cb",
        ] {
            let resp = srv.create(&json!({"redirect_uris": [uri]})).await;
            assert_eq!(resp.status, 201, "{uri}: {resp:?}");
        }
    }
}

#[tokio::test]
async fn only_the_ory_flavor_holds_implicit_clients_to_https() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        for uri in ["http://127.0.0.1/cb", "https://localhost/cb"] {
            let resp = srv
                .create(&json!({"redirect_uris": [uri], "grant_types": ["implicit"],
                                "response_types": ["id_token"]}))
                .await;
            match flavor {
                Flavor::Ory => {
                    assert_error(&resp, 400, "invalid_redirect_uri", false);
                }
                Flavor::Rfc7592 | Flavor::Rfc7591 => {
                    assert_eq!(resp.status, 201, "{uri}: {resp:?}")
                }
            }
        }
        let resp = srv
            .create(&json!({"redirect_uris": [CB], "grant_types": ["implicit"],
                            "response_types": ["id_token"]}))
            .await;
        assert_eq!(resp.status, 201, "{resp:?}");
    }
    let (g, b, _) = both(
        "implicit-http-redirect",
        Flavor::Ory,
        &json!({"redirect_uris": ["http://client.example/cb"], "grant_types": ["implicit"],
                "response_types": ["id_token"]}),
    )
    .await;
    assert_eq!((g.status, b.status), (400, 201));
}

#[tokio::test]
async fn updates_are_not_held_to_the_registration_rules() {
    // The registration-only checks are create's: a PUT may still omit redirect_uris.
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let reg = srv.register_default().await;
        let resp = srv
            .put(&reg, &reg.auth, &json!({"client_id": reg.id}))
            .await;
        assert_eq!(resp.status, 200, "{resp:?}");
    }
}

/// The create response of a fresh server with `fault` (and of one without), for `body`.
async fn both(fault: &str, flavor: Flavor, body: &Value) -> (Resp, Resp, Srv) {
    let (good, bad) = (serve(flavor, &[]).await, serve(flavor, &[fault]).await);
    let (g, b) = (good.create(body).await, bad.create(body).await);
    (g, b, bad)
}

#[tokio::test]
async fn request_faults() {
    let rich = json!({"redirect_uris": [CB]});
    let srv = serve(Flavor::Ory, &["json-charset-refused"]).await;
    let req = srv
        .request(Method::POST, "/oauth2/register")
        .header("content-type", "application/json; charset=utf-8")
        .body(rich.to_string());
    assert_eq!(srv.raw(req).await.status, 415);
    assert_eq!(srv.create(&rich).await.status, 201);

    let srv = serve(Flavor::Ory, &["lenient-content-type"]).await;
    let req = srv
        .request(Method::POST, "/oauth2/register")
        .header("content-type", "text/plain")
        .body(rich.to_string());
    assert_eq!(srv.raw(req).await.status, 201);

    let srv = serve(Flavor::Ory, &["null-body-500"]).await;
    for text in ["null", "[]", "\"x\""] {
        let req = srv
            .request(Method::POST, "/oauth2/register")
            .header("content-type", "application/json")
            .body(text);
        assert_error(&srv.raw(req).await, 500, "server_error", false);
    }

    let body = json!({"redirect_uris": [CB], "zz_unknown": "x"});
    let (g, b, _) = both("reject-unknown", Flavor::Ory, &body).await;
    assert_eq!(g.status, 201);
    assert_error(&b, 400, "invalid_client_metadata", false);

    let (_, b, _) = both("type-errors-500", Flavor::Rfc7592, &json!({"contacts": 5})).await;
    assert_error(&b, 500, "server_error", false);
}

#[tokio::test]
async fn validation_faults() {
    for (fault, body) in [
        ("redirect-optional", json!({})),
        (
            "accept-fragment",
            json!({"redirect_uris": ["https://c.example/cb#f"]}),
        ),
        (
            "accept-relative-redirect",
            json!({"redirect_uris": ["/cb"]}),
        ),
        (
            "allow-http-redirect",
            json!({"redirect_uris": ["http://c.example/cb"]}),
        ),
        (
            "accept-jwks-and-uri",
            json!({"redirect_uris": [CB], "jwks": {"keys": []}, "jwks_uri": "https://c.example/j"}),
        ),
        (
            "accept-inconsistent-types",
            json!({"redirect_uris": [CB], "grant_types": ["implicit"], "response_types": ["code"]}),
        ),
        (
            "store-bogus-grant",
            json!({"redirect_uris": [CB], "grant_types": ["authorization_code", "urn:example:bogus"]}),
        ),
    ] {
        let (g, b, _) = both(fault, Flavor::Rfc7592, &body).await;
        assert_eq!((g.status, b.status), (400, 201), "{fault}");
    }
    let body = json!({"grant_types": ["client_credentials"], "response_types": []});
    let (g, b, _) = both("redirect-always-required", Flavor::Ory, &body).await;
    assert_eq!(g.status, 201);
    assert_error(&b, 400, "invalid_redirect_uri", false);
}

#[tokio::test]
async fn response_faults() {
    let plain = json!({"redirect_uris": [CB]});
    let (g, b, _) = both("no-secret-expiry", Flavor::Ory, &plain).await;
    assert_eq!(g.json()["client_secret_expires_at"], 0);
    assert!(b.json().get("client_secret_expires_at").is_none());

    let (g, b, _) = both("issued-at-millis", Flavor::Ory, &plain).await;
    let (g, b) = (g.json(), b.json());
    let (gs, bs) = (
        g["client_id_issued_at"].as_u64().unwrap(),
        b["client_id_issued_at"].as_u64().unwrap(),
    );
    assert!(bs / 1000 >= gs && bs > 100_000_000_000, "{gs} {bs}");

    let (g, b, _) = both("omit-defaults", Flavor::Ory, &plain).await;
    assert_eq!(
        g.json()["token_endpoint_auth_method"],
        "client_secret_basic"
    );
    let b = b.json();
    for name in [
        "token_endpoint_auth_method",
        "grant_types",
        "response_types",
        "contacts",
    ] {
        assert!(b.get(name).is_none(), "{name}: {b}");
    }
    assert_eq!(b["redirect_uris"], json!([CB]));

    let body = json!({"redirect_uris": ["https://RP.example", CB]});
    let (g, b, _) = both("normalize-redirect-uris", Flavor::Ory, &body).await;
    assert_eq!(g.json()["redirect_uris"], body["redirect_uris"]);
    assert_eq!(
        b.json()["redirect_uris"],
        json!(["https://rp.example/", CB])
    );

    let (_, b, _) = both("empty-string-uris", Flavor::Ory, &plain).await;
    assert_eq!(b.json()["logo_uri"], "");

    let body = json!({"redirect_uris": [CB], "jwks_uri": "https://client.example/jwks"});
    let (g, b, _) = both("jwks-with-jwks-uri", Flavor::Ory, &body).await;
    assert!(g.json().get("jwks").is_none());
    assert_eq!(b.json()["jwks"], json!({}));

    let (g, b, _) = both("client-uri-without-token", Flavor::Ory, &plain).await;
    assert!(g.json().get("registration_client_uri").is_none());
    let b = b.json();
    assert!(
        b["registration_client_uri"].is_string() && b.get("registration_access_token").is_none()
    );

    let body = json!({"redirect_uris": [CB], "client_id": "", "zz": 1});
    let (g, b, _) = both("echo-request-members", Flavor::Ory, &body).await;
    assert!(
        g.json()["client_id"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert!(g.json().get("zz").is_none());
    assert_eq!(
        (b.json()["client_id"].clone(), b.json()["zz"].clone()),
        (json!(""), json!(1))
    );

    let srv = serve(Flavor::Ory, &["create-text-plain"]).await;
    let resp = srv.create(&plain).await;
    assert_eq!(
        (resp.status, resp.header("content-type")),
        (201, Some("text/plain; charset=utf-8"))
    );
    assert_error(
        &srv.create(&json!({})).await,
        400,
        "invalid_redirect_uri",
        false,
    );
}

#[tokio::test]
async fn credential_faults() {
    let plain = json!({"redirect_uris": [CB]});
    let srv = serve(Flavor::Rfc7592, &["client-id-from-name"]).await;
    let named = json!({"redirect_uris": [CB], "client_name": "My App"});
    let (a, b) = (
        srv.create(&named).await.json(),
        srv.create(&named).await.json(),
    );
    assert_eq!(a["client_id"], "client-my-app");
    assert_eq!(
        a, b,
        "the second registration is answered with the first client"
    );
    assert_eq!(srv.count(), 1);

    let srv = serve(Flavor::Rfc7592, &["shared-secret"]).await;
    let (a, b) = (
        srv.create(&plain).await.json(),
        srv.create(&plain).await.json(),
    );
    assert_ne!(a["client_id"], b["client_id"]);
    assert_eq!(a["client_secret"], b["client_secret"]);

    let public = json!({"redirect_uris": [CB], "token_endpoint_auth_method": "none"});
    let (g, b, _) = both("secret-for-public", Flavor::Rfc7592, &public).await;
    assert!(g.json().get("client_secret").is_none());
    assert!(b.json()["client_secret"].is_string());

    let (_, b, _) = both("no-secret-for-default-method", Flavor::Ory, &plain).await;
    let b = b.json();
    assert_eq!(b["token_endpoint_auth_method"], "client_secret_basic");
    assert!(b.get("client_secret").is_none(), "{b}");

    let (_, b, _) = both("default-grant-client-credentials", Flavor::Ory, &plain).await;
    assert_eq!(b.json()["grant_types"], json!(["client_credentials"]));
    let (_, b, _) = both("default-response-token", Flavor::Ory, &plain).await;
    assert_eq!(b.json()["response_types"], json!(["token"]));
}

#[tokio::test]
async fn error_faults() {
    let bad = json!({"redirect_uris": ["https://client.example/cb#f"]});
    let (g, b, _) = both("invalid-request-code", Flavor::Ory, &bad).await;
    assert_error(&g, 400, "invalid_redirect_uri", false);
    assert_error(&b, 400, "invalid_request", false);
    let (_, b, _) = both("error-422", Flavor::Ory, &bad).await;
    assert_error(&b, 422, "invalid_redirect_uri", false);
    let (_, b, _) = both("body-in-description", Flavor::Ory, &bad).await;
    let description = b.json()["error_description"].as_str().unwrap().to_string();
    assert!(
        description.ends_with(&format!("Request body: {bad}")),
        "{description}"
    );
    let (g, b, srv) = both("client-on-error", Flavor::Ory, &bad).await;
    assert!(g.json().get("client_id").is_none());
    assert_eq!(b.status, 400);
    assert!(b.json()["client_id"].is_string(), "{b:?}");
    assert_eq!(srv.count(), 0);
    // Not a registration error: the faults leave the feature-off answer alone.
    let off = serve_disabled(Flavor::Ory, &["error-422", "client-on-error"]).await;
    assert_error(&off.create(&bad).await, 404, "not_found", false);
}
