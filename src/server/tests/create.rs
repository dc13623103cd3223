//! Create, in both flavors: the full client with defaults, fresh ids and credentials,
//! no secret for public clients, type and redirect URI validation, and concurrency.

use serde_json::{Value, json};

use super::*;

#[tokio::test]
async fn create_returns_the_full_client_with_defaults() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let before = super::super::store::now();
        let body = json!({
            "redirect_uris": ["https://client.example/cb"],
            "client_name": "Demo",
            "contacts": ["ops@client.example"],
            "jwks": {"keys": []},
            "frontchannel_logout_session_required": true,
            "software_statement": "eyJ...",
            "nonesuch": {"a": 1},
        });
        let resp = srv.create(&body).await;
        let after = super::super::store::now();
        assert_eq!(resp.status, 201, "{resp:?}");
        assert_eq!(resp.header("content-type"), Some("application/json"));
        assert_no_store(&resp);
        let client = resp.json();
        assert_client_shape(&client);
        let id = client["client_id"].as_str().unwrap();
        assert_eq!(id.len(), 36, "{id}");
        let secret = client["client_secret"].as_str().unwrap();
        assert!(secret.len() >= 32, "{secret}");
        assert!(
            secret
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c)),
            "{secret}"
        );
        assert_eq!(client["client_secret_expires_at"], 0);
        let issued = client["client_id_issued_at"].as_u64().unwrap();
        assert!((before..=after).contains(&issued));
        assert_eq!(client["token_endpoint_auth_method"], "client_secret_basic");
        assert_eq!(client["grant_types"], json!(["authorization_code"]));
        assert_eq!(client["response_types"], json!(["code"]));
        assert_eq!(client["redirect_uris"], body["redirect_uris"]);
        assert_eq!(client["client_name"], "Demo");
        assert_eq!(client["contacts"], body["contacts"]);
        assert_eq!(client["jwks"], body["jwks"]);
        assert_eq!(client["frontchannel_logout_session_required"], true);
        for array in [
            "audience",
            "allowed_cors_origins",
            "post_logout_redirect_uris",
            "request_uris",
        ] {
            assert_eq!(client[array], json!([]), "{array}");
        }
        assert!(client.get("nonesuch").is_none() && client.get("software_statement").is_none());
        assert!(client.get("scope").is_none() && client.get("client_uri").is_none());
        let rfc = flavor == Flavor::Rfc7592;
        assert_eq!(
            client.get("registration_access_token").is_some(),
            rfc,
            "{client}"
        );
        assert_eq!(
            client.get("registration_client_uri").is_some(),
            rfc,
            "{client}"
        );
        assert_eq!(srv.count(), 1);
    }
}

#[tokio::test]
async fn clients_get_distinct_ids_and_secrets() {
    let srv = serve(Flavor::Rfc7592, &[]).await;
    let (a, b) = (srv.register_default().await, srv.register_default().await);
    assert_ne!(a.id, b.id);
    assert_ne!(a.secret, b.secret);
    assert_ne!(a.token, b.token);
    assert_ne!(a.secret, a.token);
}

#[tokio::test]
async fn public_clients_get_no_secret() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let resp = srv
            .create(&json!({"token_endpoint_auth_method": "none", "redirect_uris": ["https://client.example/cb"]}))
            .await;
        assert_eq!(resp.status, 201);
        let client = resp.json();
        assert!(client.get("client_secret").is_none(), "{client}");
        assert_eq!(client["token_endpoint_auth_method"], "none");
        assert_client_shape(&client);
    }
}

#[tokio::test]
async fn create_rejects_badly_typed_metadata() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        for body in [
            json!({"redirect_uris": "https://client.example/cb"}),
            json!({"grant_types": ["authorization_code", 1]}),
            json!({"client_name": 5}),
            json!({"scope": ["openid"]}),
            json!({"jwks": []}),
            json!({"backchannel_logout_session_required": "true"}),
            json!({"token_endpoint_auth_method": "private_key_jwt"}),
            json!({"token_endpoint_auth_method": 1}),
            json!({"client_secret": "chosen-by-the-client"}),
            json!({"client_secret": 1}),
        ] {
            let resp = srv.create(&body).await;
            assert_error(&resp, 400, "invalid_client_metadata", false);
            assert_no_store(&resp);
        }
        assert_eq!(srv.count(), 0);
        // An empty or null client_secret asks for nothing, so it is accepted.
        for secret in [json!(""), Value::Null] {
            let client = srv
                .create(&json!({"client_secret": secret, "redirect_uris": ["https://client.example/cb"]}))
                .await
                .json();
            assert!(
                client["client_secret"]
                    .as_str()
                    .is_some_and(|s| s.len() >= 32),
                "{client}"
            );
        }
    }
}

#[tokio::test]
async fn create_rejects_bad_redirect_uris() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        for uri in [
            "/relative/cb",
            "client.example/cb",
            "https://client.example/cb#frag",
            "",
        ] {
            let resp = srv
                .create(&json!({"redirect_uris": ["https://ok.example/", uri]}))
                .await;
            assert_error(&resp, 400, "invalid_redirect_uri", false);
        }
        assert_eq!(srv.count(), 0);
        let resp = srv
            .create(&json!({"redirect_uris": ["com.example.app:/cb"]}))
            .await;
        assert_eq!(resp.status, 201, "{resp:?}");
    }
}

#[tokio::test]
async fn concurrent_creates_are_all_stored() {
    let srv = serve(Flavor::Ory, &[]).await;
    let http = reqwest::Client::builder()
        .tls_certs_only([])
        .build()
        .unwrap();
    let url = srv.url("/oauth2/register");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..32 {
        let (http, url) = (http.clone(), url.clone());
        tasks.spawn(async move {
            let resp = http
                .post(url)
                .json(&json!({
                    "client_name": format!("c{i}"),
                    "redirect_uris": ["https://client.example/cb"],
                }))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 201);
            resp.json::<Value>().await.unwrap()["client_id"]
                .as_str()
                .unwrap()
                .to_string()
        });
    }
    let ids: std::collections::BTreeSet<String> = tasks.join_all().await.into_iter().collect();
    assert_eq!(ids.len(), 32);
    assert_eq!(srv.count(), 32);
}
