//! Faults in issuing and keeping client secrets. Each test runs the same probe against a
//! correct server and a faulted one and shows the difference is the intended one.

use serde_json::{Value, json};

use super::*;

/// Member names of a JSON object, sorted.
fn keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn create_200() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["create-200"]).await,
        );
        let body = json!({"client_name": "x", "redirect_uris": ["https://client.example/cb"]});
        let (g, b) = (good.create(&body).await, bad.create(&body).await);
        assert_eq!((g.status, b.status), (201, 200));
        assert_eq!(keys(&g.json()), keys(&b.json()));
        assert_eq!(bad.count(), 1);
    }
}

#[tokio::test]
async fn create_no_secret() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["create-no-secret"]).await,
        );
        let (g, b) = (
            good.register_default().await.body,
            bad.register_default().await.body,
        );
        assert!(
            g["client_secret"].is_string() && b.get("client_secret").is_none(),
            "{b}"
        );
        let mut expected = keys(&g);
        expected.retain(|k| k != "client_secret");
        assert_eq!(keys(&b), expected);
    }
}

#[tokio::test]
async fn secret_on_get() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["secret-on-get"]).await,
        );
        let g = good.register_default().await;
        let b = bad.register_default().await;
        assert!(
            good.get(&g, &g.auth)
                .await
                .json()
                .get("client_secret")
                .is_none()
        );
        let read = bad.get(&b, &b.auth).await.json();
        assert_eq!(read["client_secret"], b.body["client_secret"], "{read}");
        // Create and update are unaffected.
        assert!(
            bad.put(&b, &b.auth, &json!({}))
                .await
                .json()
                .get("client_secret")
                .is_none()
        );
    }
}

#[tokio::test]
async fn no_echo_on_set() {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &["no-echo-on-set"]).await,
    );
    for (srv, echoed) in [(&good, true), (&bad, false)] {
        let reg = srv.register_default().await;
        let resp = srv
            .put(
                &reg,
                &reg.auth,
                &json!({"client_secret": "chosen-secret-0123456789"}),
            )
            .await;
        assert_eq!(resp.status, 200);
        assert_eq!(
            resp.json().get("client_secret").is_some(),
            echoed,
            "{}",
            resp.text
        );
        // The secret is set all the same.
        let new = Auth::Basic(reg.id.clone(), "chosen-secret-0123456789".into());
        assert_eq!(srv.get(&reg, &new).await.status, 200);
    }
}

#[tokio::test]
async fn echo_on_silent_put() {
    for flavor in FLAVORS {
        let (good, bad) = (
            serve(flavor, &[]).await,
            serve(flavor, &["echo-on-silent-put"]).await,
        );
        let g = good.register_default().await;
        let b = bad.register_default().await;
        let body = |id: &str| json!({"client_id": id, "client_name": "x"});
        assert!(
            good.put(&g, &g.auth, &body(&g.id))
                .await
                .json()
                .get("client_secret")
                .is_none()
        );
        let resp = bad.put(&b, &b.auth, &body(&b.id)).await;
        let updated = resp.json();
        assert_eq!(
            updated["client_secret"], b.body["client_secret"],
            "{updated}"
        );
        let b = b.after(&resp);
        assert_eq!(
            bad.get(&b, &b.auth).await.status,
            200,
            "the secret itself is unchanged"
        );
    }
}

#[tokio::test]
async fn new_secret_on_silent_put() {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &["new-secret-on-silent-put"]).await,
    );
    for (srv, kept) in [(&good, true), (&bad, false)] {
        let reg = srv.register_default().await;
        let resp = srv.put(&reg, &reg.auth, &json!({"client_name": "x"})).await;
        assert!(resp.json().get("client_secret").is_none(), "{}", resp.text);
        assert_eq!(srv.get(&reg, &reg.auth).await.status == 200, kept);
    }
    // Rfc7592: the old secret no longer matches on the next PUT.
    let good = serve(Flavor::Rfc7592, &[]).await;
    let bad = serve(Flavor::Rfc7592, &["new-secret-on-silent-put"]).await;
    for (srv, status) in [(&good, 200), (&bad, 400)] {
        let reg = srv.register_default().await;
        let resp = srv
            .put(&reg, &reg.auth, &json!({"client_id": reg.id}))
            .await;
        assert_eq!(resp.status, 200);
        let reg = reg.after(&resp);
        let again = json!({"client_id": reg.id, "client_secret": reg.secret.clone().unwrap()});
        assert_eq!(srv.put(&reg, &reg.auth, &again).await.status, status);
    }
}

#[tokio::test]
async fn keep_old_secret_on_set() {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &["keep-old-secret-on-set"]).await,
    );
    for (srv, switched) in [(&good, true), (&bad, false)] {
        let reg = srv.register_default().await;
        let resp = srv
            .put(
                &reg,
                &reg.auth,
                &json!({"client_secret": "chosen-secret-0123456789"}),
            )
            .await;
        assert_eq!(
            resp.json()["client_secret"],
            "chosen-secret-0123456789",
            "echoed either way"
        );
        let new = Auth::Basic(reg.id.clone(), "chosen-secret-0123456789".into());
        assert_eq!(srv.get(&reg, &new).await.status == 200, switched);
        assert_eq!(srv.get(&reg, &reg.auth).await.status == 200, !switched);
    }
}

#[tokio::test]
async fn set_secret_201() {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &["set-secret-201"]).await,
    );
    for (srv, status) in [(&good, 200), (&bad, 201)] {
        let reg = srv.register_default().await;
        let resp = srv
            .put(
                &reg,
                &reg.auth,
                &json!({"client_secret": "chosen-secret-0123456789"}),
            )
            .await;
        assert_eq!(resp.status, status, "{}", resp.text);
        assert_eq!(resp.json()["client_secret"], "chosen-secret-0123456789");
        // A PUT that sets no secret is answered 200 by both.
        let new = Auth::Basic(reg.id.clone(), "chosen-secret-0123456789".into());
        let body = json!({"client_id": reg.id, "redirect_uris": ["https://client.example/cb"]});
        let silent = srv.put(&reg, &new, &body).await;
        assert_eq!(silent.status, 200, "{}", silent.text);
    }
}
