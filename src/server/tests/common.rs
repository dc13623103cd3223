//! Behaviour both flavors share apart from create: unusable bodies, unmatched routes and
//! methods, the disabled switch, cache headers, full-replacement PUT, and delete.

use reqwest::Method;
use serde_json::{Value, json};

use super::*;

/// Malformed JSON, non-objects and wrong content types, on POST and (authenticated) PUT.
#[tokio::test]
async fn unusable_bodies_are_invalid_client_metadata() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let reg = srv.register_default().await;
        let bodies: [(Option<&str>, &str); 7] = [
            (Some("application/json"), "{\"client_name\": "),
            (Some("application/json"), "[]"),
            (Some("application/json"), "\"text\""),
            (Some("application/json"), ""),
            (Some("text/plain"), "{}"),
            (Some("application/x-www-form-urlencoded"), "client_name=x"),
            (None, "{}"),
        ];
        for (content_type, text) in bodies {
            for (method, path) in [
                (Method::POST, "/oauth2/register"),
                (Method::PUT, reg.path.as_str()),
            ] {
                let mut request = srv.request(method.clone(), path).body(text.to_string());
                if let Some(ct) = content_type {
                    request = request.header("content-type", ct);
                }
                request = match (&reg.auth, method == Method::PUT) {
                    (Auth::Basic(id, secret), true) => request.basic_auth(id, Some(secret)),
                    (Auth::Bearer(token), true) => request.bearer_auth(token),
                    _ => request,
                };
                let resp = srv.raw(request).await;
                assert_error(&resp, 400, "invalid_client_metadata", false);
            }
        }
        assert_eq!(srv.count(), 1);
        // A charset parameter is fine.
        let request = srv
            .request(Method::POST, "/oauth2/register")
            .body(r#"{"redirect_uris": ["https://client.example/cb"]}"#);
        let resp = srv
            .raw(request.header("content-type", "Application/JSON; charset=utf-8"))
            .await;
        assert_eq!(resp.status, 201, "{resp:?}");
    }
}

#[tokio::test]
async fn unmatched_paths_and_methods_answer_json() {
    let srv = serve(Flavor::Ory, &[]).await;
    let reg = srv.register_default().await;
    for path in [
        "/",
        "/oauth2/register/",
        "/oauth2/register/a/b",
        "/oauth2/registerx",
    ] {
        let resp = srv.send(Method::GET, path, &Auth::None, None).await;
        assert_error(&resp, 404, "not_found", false);
        assert_no_store(&resp);
    }
    let resp = srv
        .send(Method::DELETE, "/nowhere", &Auth::None, None)
        .await;
    assert_error(&resp, 404, "not_found", true);
    let resp = srv
        .send(Method::PATCH, &reg.path, &reg.auth, Some(&json!({})))
        .await;
    assert_error(&resp, 405, "method_not_allowed", false);
    assert_no_store(&resp);
    let allow = resp.header("allow").unwrap();
    assert!(
        ["GET", "PUT", "DELETE"].iter().all(|m| allow.contains(m)),
        "{allow}"
    );
    let resp = srv
        .send(Method::GET, "/oauth2/register", &Auth::None, None)
        .await;
    assert_error(&resp, 405, "method_not_allowed", false);
    assert_eq!(resp.header("allow"), Some("POST"));
    let resp = srv
        .send(Method::DELETE, "/oauth2/register", &Auth::None, None)
        .await;
    assert_error(&resp, 405, "method_not_allowed", true);
}

#[tokio::test]
async fn disabled_answers_404_before_auth_or_body() {
    for flavor in FLAVORS {
        let srv = serve_disabled(flavor, &[]).await;
        let expected = json!({
            "error": "not_found",
            "error_description": "Dynamic client registration is not enabled."
        });
        let bad = Auth::Basic("x".into(), "y".into());
        let post = srv
            .request(Method::POST, "/oauth2/register")
            .body("not json");
        let put = srv
            .request(Method::PUT, "/oauth2/register/abc")
            .body("[1]")
            .bearer_auth("t");
        let responses = [
            srv.raw(post.header("content-type", "text/plain")).await,
            srv.send(Method::GET, "/oauth2/register/abc", &bad, None)
                .await,
            srv.raw(put.header("content-type", "application/json"))
                .await,
            srv.send(Method::DELETE, "/oauth2/register/abc", &Auth::None, None)
                .await,
        ];
        for (i, resp) in responses.iter().enumerate() {
            let delete = i == 3;
            let body = assert_error(resp, 404, "not_found", delete);
            let mut expected = expected.clone();
            if delete {
                expected["message"] = expected["error_description"].clone();
            }
            assert_eq!(body, expected);
            assert_no_store(resp);
        }
        assert_eq!(srv.count(), 0);
    }
}

#[tokio::test]
async fn read_update_delete_carry_cache_headers() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let reg = srv.register_default().await;
        let read = srv.get(&reg, &reg.auth).await;
        let put = srv
            .put(
                &reg,
                &reg.auth,
                &json!({"client_id": reg.id, "client_name": "x"}),
            )
            .await;
        let reg = reg.after(&put);
        let denied = srv.get(&reg, &Auth::None).await;
        let delete = srv.delete(&reg, &reg.auth).await;
        for (resp, status) in [(&read, 200), (&put, 200), (&denied, 401), (&delete, 204)] {
            assert_eq!(resp.status, status, "{resp:?}");
            assert_no_store(resp);
        }
        assert_eq!(delete.text, "");
        assert_eq!(delete.header("content-type"), None);
    }
}

#[tokio::test]
async fn put_replaces_metadata_in_full() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let reg = srv
            .register(json!({
                "redirect_uris": ["https://client.example/cb"],
                "client_name": "Before",
                "contacts": ["a@client.example"],
                "grant_types": ["authorization_code", "refresh_token"],
                "scope": "openid",
            }))
            .await;
        let body = json!({"client_id": reg.id, "redirect_uris": ["https://client.example/new"], "nonesuch": 1});
        let resp = srv.put(&reg, &reg.auth, &body).await;
        assert_eq!(resp.status, 200, "{resp:?}");
        assert_eq!(resp.header("content-type"), Some("application/json"));
        let updated = resp.json();
        assert_client_shape(&updated);
        assert_eq!(
            updated["redirect_uris"],
            json!(["https://client.example/new"])
        );
        assert_eq!(updated["contacts"], json!([]));
        assert_eq!(updated["grant_types"], json!(["authorization_code"]));
        assert!(
            updated.get("client_name").is_none() && updated.get("scope").is_none(),
            "{updated}"
        );
        assert!(updated.get("nonesuch").is_none() && updated.get("client_secret").is_none());
        let reg = reg.after(&resp);
        let read = srv.get(&reg, &reg.auth).await.json();
        assert_eq!(read, updated);
    }
}

#[tokio::test]
async fn put_keeps_server_managed_fields_and_checks_client_id() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let reg = srv.register_default().await;
        let other = srv.register_default().await;
        for id in [json!(other.id), json!("nonesuch"), json!(5)] {
            let resp = srv.put(&reg, &reg.auth, &json!({"client_id": id})).await;
            assert_error(&resp, 400, "invalid_client_metadata", false);
        }
        let managed = [
            ("client_id_issued_at", json!(1)),
            ("client_secret_expires_at", json!(99)),
            ("registration_access_token", json!("mine")),
            ("registration_client_uri", json!("https://evil.example/")),
        ];
        if flavor == Flavor::Rfc7592 {
            // RFC 7592 §2.2: the update "MUST NOT include" them, nor omit client_id.
            let mut reg = reg.clone();
            for (name, value) in &managed {
                let mut body = json!({"client_id": reg.id});
                body[*name] = value.clone();
                let resp = srv.put(&reg, &reg.auth, &body).await;
                let error = assert_error(&resp, 400, "invalid_request", false);
                assert!(error["error_description"].as_str().unwrap().contains(name));
                // null counts as absent.
                body[*name] = Value::Null;
                let resp = srv.put(&reg, &reg.auth, &body).await;
                assert_eq!(resp.status, 200, "{resp:?}");
                reg = reg.after(&resp);
            }
            let resp = srv.put(&reg, &reg.auth, &json!({"client_name": "x"})).await;
            assert_error(&resp, 400, "invalid_request", false);
            continue;
        }
        let body = Value::Object(
            managed
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        );
        let updated = srv.put(&reg, &reg.auth, &body).await.json();
        for name in [
            "client_id",
            "client_id_issued_at",
            "client_secret_expires_at",
        ] {
            assert_eq!(updated[name], reg.body[name], "{name}");
        }
        for name in ["registration_access_token", "registration_client_uri"] {
            assert_eq!(updated.get(name), reg.body.get(name), "{name}");
        }
        assert_eq!(
            srv.get(&reg, &reg.auth).await.status,
            200,
            "the old credentials still work"
        );
    }
}

#[tokio::test]
async fn put_validates_like_create() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let reg = srv.register_default().await;
        let resp = srv
            .put(
                &reg,
                &reg.auth,
                &json!({"client_id": reg.id, "redirect_uris": ["https://a.example/#x"]}),
            )
            .await;
        assert_error(&resp, 400, "invalid_redirect_uri", false);
        let resp = srv
            .put(
                &reg,
                &reg.auth,
                &json!({"client_id": reg.id, "contacts": "a@b.example"}),
            )
            .await;
        assert_error(&resp, 400, "invalid_client_metadata", false);
        let read = srv.get(&reg, &reg.auth).await.json();
        assert_eq!(
            read["redirect_uris"], reg.body["redirect_uris"],
            "a failed PUT changes nothing"
        );
    }
}

#[tokio::test]
async fn delete_removes_the_client_and_its_credentials() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let reg = srv.register_default().await;
        let keep = srv.register_default().await;
        let resp = srv.delete(&reg, &reg.auth).await;
        assert_eq!((resp.status, resp.text.as_str()), (204, ""), "{resp:?}");
        assert_eq!(srv.count(), 1);
        let (gone, code) = if flavor == Flavor::Ory {
            (404, "not_found")
        } else {
            (401, "invalid_token")
        };
        assert_error(&srv.get(&reg, &reg.auth).await, gone, code, false);
        assert_error(&srv.delete(&reg, &reg.auth).await, gone, code, true);
        assert_eq!(srv.get(&keep, &keep.auth).await.status, 200);
    }
}

#[tokio::test]
async fn oversized_bodies_are_json_errors() {
    let srv = serve(Flavor::Ory, &[]).await;
    let huge = format!("{{\"client_name\": \"{}\"}}", "x".repeat(3 << 20));
    let request = srv.request(Method::POST, "/oauth2/register").body(huge);
    let resp = srv
        .raw(request.header("content-type", "application/json"))
        .await;
    assert_error(&resp, 413, "invalid_request", false);
    assert_no_store(&resp);
    assert_eq!(srv.count(), 0);
}
