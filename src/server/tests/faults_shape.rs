//! Faults in the shape of answers: error formats, the disabled switch, null arrays,
//! delete, PUT semantics and cache headers. Each test runs the same probe against a
//! correct server and a faulted one.

use reqwest::Method;
use serde_json::json;

use super::*;

#[tokio::test]
async fn html_errors() {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &["html-errors"]).await,
    );
    let body = json!({"client_name": 5});
    let (g, b) = (good.create(&body).await, bad.create(&body).await);
    assert_error(&g, 400, "invalid_client_metadata", false);
    assert_eq!(b.status, 400);
    assert_eq!(b.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(
        b.text.starts_with("<!DOCTYPE html>") && b.text.contains("client_name must be"),
        "{b:?}"
    );
    let resp = bad.send(Method::GET, "/nowhere", &Auth::None, None).await;
    assert_eq!(
        (resp.status, resp.header("content-type")),
        (404, Some("text/html; charset=utf-8"))
    );
    // Successes stay JSON.
    let resp = bad
        .create(&json!({"redirect_uris": ["https://client.example/cb"]}))
        .await;
    assert_eq!(
        (resp.status, resp.header("content-type")),
        (201, Some("application/json"))
    );
}

#[tokio::test]
async fn text_errors() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["text-errors"]).await,
        );
        let (g, b) = (good.register_default().await, bad.register_default().await);
        let (gr, br) = (
            good.get(&g, &Auth::None).await,
            bad.get(&b, &Auth::None).await,
        );
        assert_eq!((gr.status, br.status), (401, 401));
        assert_eq!(gr.header("content-type"), Some("application/json"));
        assert_eq!(br.header("content-type"), Some("text/plain; charset=utf-8"));
        let code = gr.json()["error"].as_str().unwrap().to_string();
        assert!(br.text.starts_with(&format!("{code}: ")), "{br:?}");
        assert!(serde_json::from_str::<serde_json::Value>(&br.text).is_err());
        assert_eq!(gr.header("www-authenticate"), br.header("www-authenticate"));
    }
}

#[tokio::test]
async fn disabled_403() {
    let good = serve_disabled(Flavor::Ory, &[]).await;
    let bad = serve_disabled(Flavor::Ory, &["disabled-403"]).await;
    let (g, b) = (good.create(&json!({})).await, bad.create(&json!({})).await);
    assert_eq!((g.status, b.status), (404, 403));
    assert_eq!(g.json(), b.json(), "only the status differs");
    assert_eq!(
        bad.send(Method::GET, "/oauth2/register/x", &Auth::None, None)
            .await
            .status,
        403
    );
    // An enabled server with the fault is unaffected.
    let enabled = serve(Flavor::Ory, &["disabled-403"]).await;
    assert_eq!(
        enabled
            .create(&json!({"redirect_uris": ["https://client.example/cb"]}))
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn disabled_200() {
    for flavor in FLAVORS {
        let good = serve_disabled(flavor, &[]).await;
        let bad = serve_disabled(flavor, &["disabled-200"]).await;
        for (method, path) in [
            (Method::POST, "/oauth2/register"),
            (Method::GET, "/oauth2/register/x"),
            (Method::PUT, "/oauth2/register/x"),
            (Method::DELETE, "/oauth2/register/x"),
        ] {
            let g = good
                .send(method.clone(), path, &Auth::None, Some(&json!({})))
                .await;
            let b = bad
                .send(method.clone(), path, &Auth::None, Some(&json!({})))
                .await;
            assert_eq!(g.status, 404);
            assert_eq!((b.status, b.json()), (200, json!({})), "{method} {path}");
        }
        assert_eq!(bad.count(), 0);
    }
}

#[tokio::test]
async fn null_arrays() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["null-arrays"]).await,
        );
        let (g, b) = (good.register_default().await, bad.register_default().await);
        assert_eq!(g.body["contacts"], json!([]));
        assert!(
            b.body["contacts"].is_null() && b.body["audience"].is_null(),
            "{}",
            b.body
        );
        // Non-empty arrays are untouched.
        assert_eq!(b.body["redirect_uris"], g.body["redirect_uris"]);
        assert_eq!(b.body["grant_types"], json!(["authorization_code"]));
        assert!(bad.get(&b, &b.auth).await.json()["request_uris"].is_null());
        assert!(good.get(&g, &g.auth).await.json()["request_uris"].is_array());
    }
}

#[tokio::test]
async fn delete_keeps() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["delete-keeps"]).await,
        );
        let gone = if flavor == Flavor::Ory { 404 } else { 401 };
        for (srv, left, read) in [(&good, 0, gone), (&bad, 1, 200)] {
            let reg = srv.register_default().await;
            let resp = srv.delete(&reg, &reg.auth).await;
            assert_eq!((resp.status, resp.text.as_str()), (204, ""));
            assert_eq!(srv.count(), left);
            assert_eq!(srv.get(&reg, &reg.auth).await.status, read);
        }
    }
}

#[tokio::test]
async fn delete_200() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["delete-200"]).await,
        );
        let (g, b) = (good.register_default().await, bad.register_default().await);
        let gr = good.delete(&g, &g.auth).await;
        let br = bad.delete(&b, &b.auth).await;
        assert_eq!((gr.status, gr.text.as_str()), (204, ""));
        assert_eq!(br.status, 200);
        assert_eq!(br.header("content-type"), Some("application/json"));
        assert_eq!(br.json()["client_id"], b.id.as_str());
        assert_eq!((good.count(), bad.count()), (0, 0), "both delete");
    }
}

#[tokio::test]
async fn put_merges() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["put-merges"]).await,
        );
        for (srv, kept) in [(&good, false), (&bad, true)] {
            let reg = srv
                .register(json!({"client_name": "Before", "contacts": ["a@client.example"]}))
                .await;
            let updated = srv
                .put(
                    &reg,
                    &reg.auth,
                    &json!({"client_id": reg.id, "client_uri": "https://client.example/"}),
                )
                .await
                .json();
            assert_eq!(updated["client_uri"], "https://client.example/");
            assert_eq!(updated.get("client_name").is_some(), kept, "{updated}");
            assert_eq!(
                updated["contacts"] == json!(["a@client.example"]),
                kept,
                "{updated}"
            );
        }
    }
}

#[tokio::test]
async fn no_cache_headers() {
    let (good, bad) = (
        serve(Flavor::Rfc7592, &[]).await,
        serve(Flavor::Rfc7592, &["no-cache-headers"]).await,
    );
    for (srv, present) in [(&good, true), (&bad, false)] {
        let reg = srv.register_default().await;
        let denied = srv.get(&reg, &Auth::None).await;
        let missing = srv.send(Method::GET, "/nowhere", &Auth::None, None).await;
        let read = srv.get(&reg, &reg.auth).await;
        for resp in [&denied, &missing, &read] {
            assert_eq!(resp.header("cache-control").is_some(), present, "{resp:?}");
            assert_eq!(resp.header("pragma").is_some(), present, "{resp:?}");
        }
        assert_eq!(read.status, 200);
    }
}

#[tokio::test]
async fn delete_error_no_message() {
    for enabled in [true, false] {
        let start = |faults: &'static [&'static str]| async move {
            if enabled {
                serve(Flavor::Ory, faults).await
            } else {
                serve_disabled(Flavor::Ory, faults).await
            }
        };
        let (good, bad) = (start(&[]).await, start(&["delete-error-no-message"]).await);
        let path = "/oauth2/register/nobody";
        let g = good.send(Method::DELETE, path, &Auth::None, None).await;
        let b = bad.send(Method::DELETE, path, &Auth::None, None).await;
        assert!(g.status >= 400 && g.status == b.status, "{g:?} {b:?}");
        assert!(g.json()["message"].is_string(), "{g:?}");
        assert!(b.json().get("message").is_none(), "{b:?}");
        assert!(b.json()["error"].is_string(), "{b:?}");
        // Other methods keep their shape.
        let g = good.send(Method::GET, path, &Auth::None, None).await;
        let b = bad.send(Method::GET, path, &Auth::None, None).await;
        assert_eq!((g.status, g.json()), (b.status, b.json()));
    }
}

#[tokio::test]
async fn unknown_sentence_error() {
    let (good, bad) = (
        serve(Flavor::Rfc7592, &[]).await,
        serve(Flavor::Rfc7592, &["unknown-sentence-error"]).await,
    );
    let body = json!({"redirect_uris": ["https://client.example/cb"], "x_unknown": 1});
    let (g, b) = (good.create(&body).await, bad.create(&body).await);
    assert_eq!(g.status, 201, "{g:?}");
    assert_eq!(b.status, 400, "{b:?}");
    let error = b.json()["error"].as_str().unwrap().to_string();
    assert!(
        error.contains("\"x_unknown\"") && error.contains(' '),
        "{b:?}"
    );
}

#[tokio::test]
async fn multiline_type_errors() {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &["multiline-type-errors"]).await,
    );
    let body = json!({"client_name": 5});
    let (g, b) = (good.create(&body).await, bad.create(&body).await);
    let good_text = assert_error(&g, 400, "invalid_client_metadata", false)["error_description"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!good_text.contains(['\n', '"']), "{g:?}");
    let bad_text = assert_error(&b, 400, "invalid_client_metadata", false)["error_description"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(bad_text.contains('\n') && bad_text.contains('"'), "{b:?}");
}

/// `create-500-stored`, `read-500`, `update-500-stored`: the work is done and the body is
/// right; only the status says 500. Errors keep their own status.
#[tokio::test]
async fn success_answered_500() {
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        let body = json!({"client_name": "Stored", "redirect_uris": ["https://client.example/cb"]});
        let created = good.create(&body).await;
        assert_eq!(created.status, 201);

        let bad = serve(flavor, &["create-500-stored"]).await;
        let created = bad.create(&body).await;
        assert_eq!(created.status, 500);
        assert_eq!(created.json()["client_name"], "Stored", "{created:?}");
        assert_eq!(bad.count(), 1, "the client is stored");
        assert_eq!(bad.create(&json!({"client_name": 5})).await.status, 400);

        for (fault, method) in [
            ("read-500", Method::GET),
            ("update-500-stored", Method::PUT),
        ] {
            let (good, bad) = (serve(flavor, &[]).await, serve(flavor, &[fault]).await);
            for (srv, status) in [(&good, 200), (&bad, 500)] {
                let reg = srv.register(body.clone()).await;
                let update = json!({
                    "client_id": reg.id,
                    "client_name": "Updated",
                    "redirect_uris": ["https://client.example/cb"],
                });
                let resp = match method {
                    Method::GET => srv.get(&reg, &reg.auth).await,
                    _ => srv.put(&reg, &reg.auth, &update).await,
                };
                assert_eq!(resp.status, status, "{fault}: {resp:?}");
                assert_eq!(resp.json()["client_id"], reg.id.as_str());
                // A refused request keeps its 4xx.
                assert_eq!(
                    srv.send(method.clone(), &reg.path, &Auth::None, Some(&update))
                        .await
                        .status
                        / 100,
                    4
                );
            }
        }
    }
}

/// `id-collision-500`: the first client registers; any registration while it exists
/// answers 500 and stores nothing; once it is deleted the next one registers again.
#[tokio::test]
async fn id_collision_500() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["id-collision-500"]).await,
        );
        let body = json!({"redirect_uris": ["https://client.example/cb"]});
        let first = bad.register(body.clone()).await;
        assert_eq!(bad.create(&body).await.status, 500);
        assert_eq!(bad.count(), 1);
        assert_eq!(bad.delete(&first, &first.auth).await.status, 204);
        assert_eq!(bad.create(&body).await.status, 201);
        good.register(body.clone()).await;
        assert_eq!(good.create(&body).await.status, 201);
        assert_eq!(good.count(), 2);
    }
}
