//! Crashes on particular metadata (the faults `dcrspec fuzz` is proven against, and the
//! unknown values the RFC 7591 scenarios send), and a PUT that is not atomic. Each test
//! runs the same probe against a correct server and a faulted one.

use serde_json::{Value, json};

use super::*;

/// Registration needs a redirect URI for the default grant (RFC 7591 §5).
const CB: &str = "https://client.example/cb";

/// Create and update `body` on a correct and a faulted server: the statuses seen.
async fn statuses(fault: &str, body: &Value) -> [u16; 4] {
    let (good, bad) = (
        serve(Flavor::Ory, &[]).await,
        serve(Flavor::Ory, &[fault]).await,
    );
    let (g, b) = (good.register_default().await, bad.register_default().await);
    let mut put = body.clone();
    put["client_id"] = json!(g.id);
    let good_put = good.put(&g, &g.auth, &put).await.status;
    put["client_id"] = json!(b.id);
    let bad_put = bad.put(&b, &b.auth, &put).await.status;
    [
        good.create(body).await.status,
        good_put,
        bad.create(body).await.status,
        bad_put,
    ]
}

#[tokio::test]
async fn long_name_500() {
    let long = json!({"client_name": "a".repeat(201), "redirect_uris": [CB]});
    assert_eq!(statuses("long-name-500", &long).await, [201, 200, 500, 500]);
    // Characters, not bytes: 200 two-byte characters are fine.
    let limit = json!({"client_name": "é".repeat(200), "redirect_uris": [CB]});
    assert_eq!(
        statuses("long-name-500", &limit).await,
        [201, 200, 201, 200]
    );
}

#[tokio::test]
async fn non_ascii_name_500() {
    let name = json!({"client_name": "Ѩ", "redirect_uris": [CB]});
    assert_eq!(
        statuses("non-ascii-name-500", &name).await,
        [201, 200, 500, 500]
    );
    let ascii = json!({"client_name": "plain ASCII ~", "redirect_uris": [CB]});
    assert_eq!(
        statuses("non-ascii-name-500", &ascii).await,
        [201, 200, 201, 200]
    );
}

#[tokio::test]
async fn null_field_500() {
    let null = json!({"scope": null, "redirect_uris": [CB]});
    assert_eq!(
        statuses("null-field-500", &null).await,
        [201, 200, 500, 500]
    );
    let srv = serve(Flavor::Ory, &["null-field-500"]).await;
    let resp = srv.create(&null).await;
    assert_error(&resp, 500, "server_error", false);
    assert_eq!(srv.count(), 0, "a crash stores nothing");
}

#[tokio::test]
async fn torn_put_stores_the_same_as_a_put_when_alone() {
    for flavor in FLAVORS {
        let (good, bad) = (serve(flavor, &[]).await, serve(flavor, &["torn-put"]).await);
        let mut seen = Vec::new();
        for srv in [&good, &bad] {
            let reg = srv
                .register(json!({"client_name": "a", "scope": "x"}))
                .await;
            let body =
                json!({"client_id": reg.id, "client_name": "b", "contacts": ["c@d.example"]});
            assert_eq!(srv.put(&reg, &reg.auth, &body).await.status, 200);
            let mut got = srv.get(&reg, &reg.auth).await.json();
            for k in [
                "client_id",
                "client_id_issued_at",
                "registration_access_token",
                "registration_client_uri",
            ] {
                got.as_object_mut().unwrap().remove(k);
            }
            seen.push(got);
        }
        let sorted = |v: &Value| {
            let mut m: Vec<_> = v.as_object().unwrap().iter().collect();
            m.sort_by(|a, b| a.0.cmp(b.0));
            format!("{m:?}")
        };
        assert_eq!(sorted(&seen[0]), sorted(&seen[1]), "{flavor}");
        assert!(seen[1].get("scope").is_none(), "replaced, not merged");
    }
}

/// `unknown-grant-type-500`, `unknown-auth-method-500`: a value the server does not know
/// is neither registered nor refused; a known one still registers.
#[tokio::test]
async fn unknown_values_500() {
    let cb = json!(["https://client.example/cb"]);
    for (fault, unknown, known) in [
        (
            "unknown-grant-type-500",
            json!({"redirect_uris": cb, "grant_types": ["authorization_code", "urn:x:unknown"]}),
            json!({"redirect_uris": cb, "grant_types": ["authorization_code", "refresh_token"]}),
        ),
        (
            "unknown-auth-method-500",
            json!({"redirect_uris": cb, "token_endpoint_auth_method": "urn:x:unknown"}),
            json!({"redirect_uris": cb, "token_endpoint_auth_method": "client_secret_post"}),
        ),
    ] {
        let (good, bad) = (
            serve(Flavor::Rfc7592, &[]).await,
            serve(Flavor::Rfc7592, &[fault]).await,
        );
        assert_error(
            &good.create(&unknown).await,
            400,
            "invalid_client_metadata",
            false,
        );
        assert_error(&bad.create(&unknown).await, 500, "server_error", false);
        assert_eq!(bad.count(), 0, "{fault}: a crash stores nothing");
        assert_eq!(bad.create(&known).await.status, 201, "{fault}");
    }
}
