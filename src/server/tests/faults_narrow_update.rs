//! The narrow RFC 7592 faults of issue 12 (`ops/narrow.rs`) on updates, the 405 path and
//! client POSTs: each probe runs against a correct server and a faulted one, and shows the
//! one difference the fault makes.

use reqwest::Method;
use serde_json::json;

use super::faults_narrow::{name, pair, put_raw, put_update, update};
use super::*;

#[tokio::test]
async fn update_201_and_update_wrong_content_type_keep_the_body() {
    let (good, bad) = pair("update-201").await;
    for (srv, status) in [(&good, 200), (&bad, 201)] {
        let reg = srv.register_default().await;
        let resp = put_update(srv, &reg, json!({"client_name": "New"})).await;
        assert_eq!(
            (resp.status, &resp.json()["client_name"]),
            (status, &json!("New"))
        );
    }
    let (good, bad) = pair("update-wrong-content-type").await;
    for (srv, ct) in [
        (&good, "application/json"),
        (&bad, "text/plain; charset=utf-8"),
    ] {
        let reg = srv.register_default().await;
        let resp = put_update(srv, &reg, json!({"client_name": "New"})).await;
        assert_eq!((resp.status, resp.header("content-type")), (200, Some(ct)));
        assert_eq!(resp.json()["client_name"], json!("New"));
        // Reads are unchanged.
        let reg = reg.after(&resp);
        let read = srv.get(&reg, &reg.auth).await;
        assert_eq!(read.header("content-type"), Some("application/json"));
    }
}

#[tokio::test]
async fn update_client_id_uppercased_in_update_answers_only() {
    let (good, bad) = pair("update-client-id-uppercased").await;
    for (srv, upper) in [(&good, false), (&bad, true)] {
        let reg = srv.register_default().await;
        let resp = srv.put(&reg, &reg.auth, &update(&reg, json!({}))).await;
        let shown = if upper {
            reg.id.to_uppercase()
        } else {
            reg.id.clone()
        };
        assert_eq!(
            (resp.status, resp.json()["client_id"].clone()),
            (200, json!(shown))
        );
        let reg = reg.after(&resp);
        let read = srv.get(&reg, &reg.auth).await.json();
        assert_eq!(read["client_id"], json!(reg.id));
    }
}

#[tokio::test]
async fn put_errors_500_and_put_body_crashes() {
    let (good, bad) = pair("put-errors-500").await;
    for (srv, status) in [(&good, 400), (&bad, 500)] {
        let reg = srv.register(json!({"client_name": "Kept"})).await;
        let no_id =
            json!({"client_name": "Changed", "redirect_uris": ["https://client.example/cb"]});
        assert_eq!(srv.put(&reg, &reg.auth, &no_id).await.status, status);
        assert_eq!(put_raw(srv, &reg, "[]").await.status, status);
        assert_eq!(name(srv, &reg).await, json!("Kept"));
    }
    for (fault, crashes, refused) in [
        ("put-array-500", "[]", "{\"client_name\": "),
        ("put-malformed-500", "{\"client_name\": ", "[]"),
    ] {
        let (good, bad) = pair(fault).await;
        for (srv, status) in [(&good, 400), (&bad, 500)] {
            let reg = srv.register(json!({"client_name": "Kept"})).await;
            assert_eq!(put_raw(srv, &reg, crashes).await.status, status, "{fault}");
            assert_eq!(put_raw(srv, &reg, refused).await.status, 400, "{fault}");
            assert_eq!(put_raw(srv, &reg, "null").await.status, 400, "{fault}");
            assert_eq!(name(srv, &reg).await, json!("Kept"));
        }
    }
}

#[tokio::test]
async fn put_updates_body_client_writes_to_the_client_the_body_names() {
    let (good, bad) = pair("put-updates-body-client").await;
    for (srv, status) in [(&good, 400), (&bad, 200)] {
        let a = srv.register(json!({"client_name": "A"})).await;
        let b = srv.register(json!({"client_name": "B"})).await;
        let body = update(&b, json!({"client_name": "Hijack"}));
        let resp = srv.put(&a, &a.auth, &body).await;
        assert_eq!(resp.status, status, "{resp:?}");
        let a = a.after(&resp);
        assert_eq!(name(srv, &a).await, json!("A"));
        let b_name = if status == 200 { "Hijack" } else { "B" };
        assert_eq!(name(srv, &b).await, json!(b_name));
    }
}

#[tokio::test]
async fn put_registration_token_echoed_or_adopted() {
    let bogus = "dcrspec-bogus";
    let (good, echoes) = pair("put-echoes-registration-token").await;
    let adopts = serve(Flavor::Rfc7592, &["put-adopts-registration-token"]).await;
    for (srv, status, bogus_works) in [
        (&good, 400, None),
        (&echoes, 200, Some(401)),
        (&adopts, 200, Some(200)),
    ] {
        let reg = srv.register_default().await;
        let body = update(
            &reg,
            json!({"registration_access_token": bogus, "client_id_issued_at": 1}),
        );
        let resp = srv.put(&reg, &reg.auth, &body).await;
        assert_eq!(resp.status, status, "{resp:?}");
        let Some(bogus_works) = bogus_works else {
            continue;
        };
        let answer = resp.json();
        assert_eq!(answer["registration_access_token"], json!(bogus));
        // The other server-managed members are ignored.
        assert_ne!(answer["client_id_issued_at"], json!(1));
        let with_bogus = srv.get(&reg, &Auth::Bearer(bogus.into())).await;
        assert_eq!(with_bogus.status, bogus_works);
    }
}

#[tokio::test]
async fn put_chosen_secret_saved_in_metadata_or_before_refusal() {
    let chosen = "dcrspec-chosen";
    let (good, bad) = pair("put-saves-secret-in-metadata").await;
    for (srv, status) in [(&good, 400), (&bad, 200)] {
        let reg = srv.register_default().await;
        let resp = put_update(srv, &reg, json!({ "client_secret": chosen })).await;
        assert_eq!(resp.status, status, "{resp:?}");
        assert!(!resp.text.contains(chosen));
        let reg = reg.after(&resp);
        let read = srv.get(&reg, &reg.auth).await;
        assert_eq!(read.text.contains(chosen), status == 200, "{read:?}");
    }
    let (good, bad) = pair("put-refusal-keeps-chosen-secret").await;
    for (srv, issued) in [(&good, 200), (&bad, 400)] {
        let reg = srv.register_default().await;
        let resp = put_update(srv, &reg, json!({ "client_secret": chosen })).await;
        assert_eq!(resp.status, 400, "{resp:?}");
        let current = json!({"client_secret": reg.secret.clone().unwrap()});
        let resp = srv.put(&reg, &reg.auth, &update(&reg, current)).await;
        assert_eq!(resp.status, issued, "{resp:?}");
    }
}

#[tokio::test]
async fn update_token_rotation_faults() {
    let (good, bad) = pair("update-answers-unsaved-token").await;
    for (srv, answered_works) in [(&good, 200), (&bad, 401)] {
        let reg = srv.register_default().await;
        let resp = srv.put(&reg, &reg.auth, &update(&reg, json!({}))).await;
        assert_eq!(resp.status, 200);
        let next = reg.after(&resp);
        assert_ne!(next.token, reg.token);
        assert_eq!(srv.get(&next, &next.auth).await.status, answered_works);
        assert_eq!(srv.get(&reg, &reg.auth).await.status, 401);
    }
    let (good, bad) = pair("update-keeps-token").await;
    for (srv, kept) in [(&good, false), (&bad, true)] {
        let reg = srv.register_default().await;
        let resp = srv.put(&reg, &reg.auth, &update(&reg, json!({}))).await;
        assert_eq!(resp.status, 200);
        assert_eq!(reg.after(&resp).token == reg.token, kept);
        let old = if kept { 200 } else { 401 };
        assert_eq!(srv.get(&reg, &reg.auth).await.status, old);
    }
}

#[tokio::test]
async fn client_post_500_and_allow_omits() {
    let (good, bad) = pair("client-post-500").await;
    for (srv, status) in [(&good, 405), (&bad, 500)] {
        let reg = srv.register(json!({"client_name": "Kept"})).await;
        let body = update(&reg, json!({"client_name": "Posted"}));
        let resp = srv
            .send(Method::POST, &reg.path, &reg.auth, Some(&body))
            .await;
        assert_eq!(resp.status, status, "{resp:?}");
        assert_eq!(name(srv, &reg).await, json!("Kept"));
        // PATCH is still refused 405.
        let patch = srv
            .send(Method::PATCH, &reg.path, &reg.auth, Some(&body))
            .await;
        assert_eq!(patch.status, 405);
    }
    for (fault, missing) in [
        ("allow-omits-get", "GET"),
        ("allow-omits-put", "PUT"),
        ("allow-omits-delete", "DELETE"),
    ] {
        let (good, bad) = pair(fault).await;
        for (srv, omitted) in [(&good, false), (&bad, true)] {
            let reg = srv.register_default().await;
            let resp = srv
                .send(Method::PATCH, &reg.path, &reg.auth, Some(&json!({})))
                .await;
            assert_error(&resp, 405, "method_not_allowed", false);
            let allow = resp.header("allow").unwrap();
            for method in ["GET", "PUT", "DELETE"] {
                let gone = omitted && method == missing;
                assert_eq!(!allow.contains(method), gone, "{fault}: {allow}");
            }
            // The registration endpoint's own 405 is untouched.
            let get = srv
                .send(Method::GET, "/oauth2/register", &Auth::None, None)
                .await;
            assert_eq!(get.header("allow"), Some("POST"));
        }
    }
}

/// `put-array-500` shows under Ory's management too (the same update handler).
#[tokio::test]
async fn put_array_500_under_ory() {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &["put-array-500"]).await,
    );
    let array = json!(["not", "an", "object"]);
    for (srv, status) in [(&good, 400), (&bad, 500)] {
        let reg = srv.register(json!({"client_name": "Kept"})).await;
        assert_eq!(srv.put(&reg, &reg.auth, &array).await.status, status);
        assert_eq!(name(srv, &reg).await, json!("Kept"));
    }
}

/// `put-upserts-body-client`: the body's client is overwritten, token included, so its
/// own token no longer reads it; the URL's client keeps its metadata.
#[tokio::test]
async fn put_upserts_body_client_takes_over_its_token() {
    let (good, bad) = pair("put-upserts-body-client").await;
    for (srv, status, b_read) in [(&good, 400, 200), (&bad, 200, 401)] {
        let a = srv.register(json!({"client_name": "A"})).await;
        let b = srv.register(json!({"client_name": "B"})).await;
        let body = update(&b, json!({"client_name": "Hijack"}));
        let resp = srv.put(&a, &a.auth, &body).await;
        assert_eq!(resp.status, status, "{resp:?}");
        let a = a.after(&resp);
        assert_eq!(name(srv, &a).await, json!("A"));
        assert_eq!(srv.get(&b, &b.auth).await.status, b_read);
    }
}
