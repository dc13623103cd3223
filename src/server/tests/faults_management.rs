//! The RFC 7592 management faults: each probe runs against a correct Rfc7592 server and
//! a faulted one, and shows the one difference the fault makes.

use reqwest::Method;
use serde_json::{Value, json};

use super::*;

const BARE: &str = "Bearer realm=\"dcrspec\"";
const INVALID: &str = "Bearer realm=\"dcrspec\", error=\"invalid_token\"";

async fn pair(fault: &str) -> (Srv, Srv) {
    (
        serve(Flavor::Rfc7592, &[]).await,
        serve(Flavor::Rfc7592, &[fault]).await,
    )
}

/// The client's configuration URL with its id replaced by one that names no client.
fn unknown(reg: &Reg) -> String {
    reg.path
        .replace(&reg.id, "00000000-0000-4000-8000-000000000000")
}

#[tokio::test]
async fn unknown_404_and_unknown_invalid_client() {
    for (fault, status, code) in [
        ("unknown-404", 404, "not_found"),
        ("unknown-invalid-client", 401, "invalid_client"),
    ] {
        let (good, bad) = pair(fault).await;
        for (srv, status, code) in [(&good, 401, "invalid_token"), (&bad, status, code)] {
            let reg = srv.register_default().await;
            let resp = srv.send(Method::GET, &unknown(&reg), &reg.auth, None).await;
            assert_error(&resp, status, code, false);
            // A wrong token at a known client is unchanged.
            let wrong = srv.get(&reg, &Auth::Bearer("guess".into())).await;
            assert_error(&wrong, 401, "invalid_token", false);
        }
    }
}

#[tokio::test]
async fn invalid_token_400_and_error_on_missing_token() {
    let (good, bad) = pair("invalid-token-400").await;
    for (srv, status, code) in [(&good, 401, "invalid_token"), (&bad, 400, "access_denied")] {
        let reg = srv.register_default().await;
        let resp = srv.get(&reg, &Auth::Bearer("guess".into())).await;
        assert_error(&resp, status, code, false);
        assert_eq!(resp.header("www-authenticate").is_some(), status == 401);
        assert_eq!(srv.get(&reg, &Auth::None).await.status, 401);
    }
    let (good, bad) = pair("error-on-missing-token").await;
    for (srv, challenge) in [(&good, BARE), (&bad, INVALID)] {
        let reg = srv.register_default().await;
        let resp = srv.get(&reg, &Auth::None).await;
        assert_eq!(resp.header("www-authenticate"), Some(challenge));
    }
}

#[tokio::test]
async fn bearer_case_sensitive() {
    let (good, bad) = pair("bearer-case-sensitive").await;
    for (srv, status) in [(&good, 200), (&bad, 401)] {
        let reg = srv.register_default().await;
        let token = reg.token.clone().unwrap();
        let lower = srv
            .get(&reg, &Auth::Header(format!("bearer {token}")))
            .await;
        assert_eq!(lower.status, status);
        assert_eq!(srv.get(&reg, &reg.auth).await.status, 200);
    }
}

#[tokio::test]
async fn delete_needs_client_secret() {
    let (good, bad) = pair("delete-needs-client-secret").await;
    for (srv, bearer) in [(&good, 204), (&bad, 401)] {
        let reg = srv.register_default().await;
        let resp = srv.delete(&reg, &reg.auth).await;
        assert_eq!(resp.status, bearer, "{resp:?}");
        if bearer == 401 {
            assert_eq!(
                resp.header("www-authenticate"),
                Some("Basic realm=\"dcrspec\"")
            );
            let basic = Auth::Basic(reg.id.clone(), reg.secret.clone().unwrap());
            assert_eq!(srv.delete(&reg, &basic).await.status, 204);
        }
        assert_eq!(srv.count(), 0);
    }
}

#[tokio::test]
async fn unauthorized_leaks_client() {
    let (good, bad) = pair("unauthorized-leaks-client").await;
    for (srv, leaks) in [(&good, false), (&bad, true)] {
        let reg = srv.register(json!({"client_name": "Leaky"})).await;
        let resp = srv.get(&reg, &Auth::None).await;
        assert_eq!(resp.status, 401);
        assert_eq!(resp.text.contains("Leaky"), leaks, "{resp:?}");
        assert_eq!(resp.text.contains(reg.token.as_deref().unwrap()), leaks);
    }
}

#[tokio::test]
async fn read_answer_faults() {
    let (good, bad) = pair("read-wrong-content-type").await;
    for (srv, ct) in [
        (&good, "application/json"),
        (&bad, "text/plain; charset=utf-8"),
    ] {
        let reg = srv.register_default().await;
        let resp = srv.get(&reg, &reg.auth).await;
        assert_eq!((resp.status, resp.header("content-type")), (200, Some(ct)));
    }
    let (good, bad) = pair("client-id-uppercased").await;
    for (srv, upper) in [(&good, false), (&bad, true)] {
        let reg = srv.register_default().await;
        let read = srv.get(&reg, &reg.auth).await.json();
        let put = srv
            .put(&reg, &reg.auth, &json!({"client_id": reg.id}))
            .await
            .json();
        for body in [read, put] {
            let want = if upper {
                reg.id.to_uppercase()
            } else {
                reg.id.clone()
            };
            assert_eq!(body["client_id"], want);
        }
    }
    let (good, bad) = pair("read-omits-defaults").await;
    for (srv, omitted) in [(&good, false), (&bad, true)] {
        let reg = srv
            .register(json!({"grant_types": ["authorization_code", "refresh_token"]}))
            .await;
        let read = srv.get(&reg, &reg.auth).await.json();
        assert_eq!(read.get("response_types").is_none(), omitted, "{read}");
        assert_eq!(read.get("token_endpoint_auth_method").is_none(), omitted);
        // Not a default: kept.
        assert_eq!(
            read["grant_types"],
            json!(["authorization_code", "refresh_token"])
        );
    }
    let (good, bad) = pair("read-omits-registration-credentials").await;
    for (srv, omitted) in [(&good, false), (&bad, true)] {
        let reg = srv.register_default().await;
        let read = srv.get(&reg, &reg.auth).await.json();
        assert_eq!(read.get("registration_access_token").is_none(), omitted);
        assert_eq!(read.get("registration_client_uri").is_none(), omitted);
    }
}

#[tokio::test]
async fn read_reapplies_defaults_and_read_rotates() {
    let (good, bad) = pair("read-reapplies-defaults").await;
    for (srv, changes) in [(&good, false), (&bad, true)] {
        let reg = srv.register_default().await;
        let first = srv.get(&reg, &reg.auth).await.json();
        let second = srv.get(&reg, &reg.auth).await.json();
        assert_eq!(first["grant_types"], reg.body["grant_types"]);
        assert_eq!(first != second, changes, "{first} {second}");
    }
    let (good, bad) = pair("read-rotates").await;
    for (srv, rotates) in [(&good, false), (&bad, true)] {
        let reg = srv.register_default().await;
        let resp = srv.get(&reg, &reg.auth).await;
        let next = reg.after(&resp);
        assert_eq!(next.token != reg.token, rotates);
        assert_eq!(srv.get(&reg, &reg.auth).await.status == 401, rotates);
        assert_eq!(srv.get(&next, &next.auth).await.status, 200);
    }
}

#[tokio::test]
async fn update_answer_and_rotation_faults() {
    let (good, bad) = pair("update-answers-stale").await;
    for (srv, stale) in [(&good, false), (&bad, true)] {
        let reg = srv.register(json!({"client_name": "Before"})).await;
        let body = json!({"client_id": reg.id, "client_name": "After"});
        let resp = srv.put(&reg, &reg.auth, &body).await;
        let name = if stale { "Before" } else { "After" };
        assert_eq!(resp.json()["client_name"], name);
        let reg = reg.after(&resp);
        assert_eq!(
            srv.get(&reg, &reg.auth).await.json()["client_name"],
            "After"
        );
    }
    let (good, bad) = pair("update-answers-old-token").await;
    for (srv, stuck) in [(&good, false), (&bad, true)] {
        let reg = srv.register_default().await;
        let resp = srv
            .put(&reg, &reg.auth, &json!({"client_id": reg.id}))
            .await;
        assert_eq!(resp.status, 200);
        let next = reg.after(&resp);
        assert_eq!(next.token == reg.token, stuck);
        assert_eq!(srv.get(&next, &next.auth).await.status == 401, stuck);
    }
    let (good, bad) = pair("old-token-survives-rotation").await;
    for (srv, survives) in [(&good, false), (&bad, true)] {
        let reg = srv.register_default().await;
        let resp = srv
            .put(&reg, &reg.auth, &json!({"client_id": reg.id}))
            .await;
        let next = reg.after(&resp);
        assert_ne!(next.token, reg.token);
        assert_eq!(srv.get(&reg, &reg.auth).await.status == 200, survives);
        assert_eq!(srv.get(&next, &next.auth).await.status, 200);
    }
}

#[tokio::test]
async fn put_body_faults() {
    let (good, bad) = pair("put-appends-arrays").await;
    for (srv, appended) in [(&good, false), (&bad, true)] {
        let reg = srv
            .register(
                json!({"redirect_uris": ["https://a.example/cb"], "contacts": ["x@a.example"]}),
            )
            .await;
        let body = json!({"client_id": reg.id, "redirect_uris": ["https://a.example/new"]});
        let updated = srv.put(&reg, &reg.auth, &body).await.json();
        let want = if appended {
            json!(["https://a.example/cb", "https://a.example/new"])
        } else {
            json!(["https://a.example/new"])
        };
        assert_eq!(updated["redirect_uris"], want);
        assert_eq!(
            updated["contacts"],
            json!([]),
            "omitted arrays are still cleared"
        );
    }
    let (good, bad) = pair("put-missing-client-id-accepted").await;
    for (srv, status) in [(&good, 400), (&bad, 200)] {
        let reg = srv.register_default().await;
        let resp = srv.put(&reg, &reg.auth, &json!({"client_name": "x"})).await;
        assert_eq!(resp.status, status);
    }
    let (good, bad) = pair("put-ignores-client-id-mismatch").await;
    for (srv, status) in [(&good, 400), (&bad, 200)] {
        let reg = srv.register_default().await;
        let other = srv.register_default().await;
        let body = json!({"client_id": other.id, "client_name": "x"});
        let resp = srv.put(&reg, &reg.auth, &body).await;
        assert_eq!(resp.status, status);
        if status == 200 {
            assert_eq!(resp.json()["client_id"], reg.id.as_str());
        }
        assert_eq!(
            srv.get(&other, &other.auth).await.json()["client_id"],
            other.id.as_str()
        );
    }
    let (good, bad) = pair("put-applies-server-managed").await;
    for (srv, applied) in [(&good, false), (&bad, true)] {
        let reg = srv.register_default().await;
        let body = json!({"client_id": reg.id, "registration_client_uri": "https://evil.example/",
                          "client_id_issued_at": 123456789});
        let resp = srv.put(&reg, &reg.auth, &body).await;
        assert_eq!(resp.status, if applied { 200 } else { 400 });
        let reg = reg.after(&resp);
        let read = srv.get(&reg, &reg.auth).await.json();
        assert_eq!(
            read["registration_client_uri"] == "https://evil.example/",
            applied
        );
        assert_eq!(read["client_id_issued_at"] == 123456789, applied);
    }
}

#[tokio::test]
async fn put_secret_validation_and_null_faults() {
    let (good, bad) = pair("put-adopts-chosen-secret").await;
    for (srv, adopted) in [(&good, false), (&bad, true)] {
        let reg = srv.register_default().await;
        let body = json!({"client_id": reg.id, "client_secret": "chosen-by-the-client"});
        let resp = srv.put(&reg, &reg.auth, &body).await;
        assert_eq!(resp.status, if adopted { 200 } else { 400 });
        assert_eq!(resp.text.contains("chosen-by-the-client"), adopted);
    }
    let (good, bad) = pair("put-skips-validation").await;
    for (srv, status) in [(&good, 400), (&bad, 200)] {
        let reg = srv.register_default().await;
        let body = json!({"client_id": reg.id, "redirect_uris": ["https://a.example/#x"]});
        assert_eq!(srv.put(&reg, &reg.auth, &body).await.status, status);
        // Create still validates.
        let create = srv
            .create(&json!({"redirect_uris": ["https://a.example/#x"]}))
            .await;
        assert_eq!(create.status, 400);
    }
    let (good, bad) = pair("put-null-resets").await;
    for (srv, status) in [(&good, 400), (&bad, 200)] {
        let reg = srv.register(json!({"client_name": "Kept"})).await;
        let request = srv
            .request(Method::PUT, &reg.path)
            .bearer_auth(reg.token.clone().unwrap())
            .header("content-type", "application/json")
            .body("null");
        let resp = srv.raw(request).await;
        assert_eq!(resp.status, status, "{resp:?}");
        let reg = reg.after(&resp);
        let read = srv.get(&reg, &reg.auth).await.json();
        assert_eq!(read.get("client_name").is_none(), status == 200, "{read}");
    }
}

#[tokio::test]
async fn patch_merges() {
    let (good, bad) = pair("patch-merges").await;
    for (srv, merged) in [(&good, false), (&bad, true)] {
        let reg = srv
            .register(json!({"client_name": "Before", "contacts": ["x@a.example"]}))
            .await;
        let resp = srv
            .send(
                Method::PATCH,
                &reg.path,
                &reg.auth,
                Some(&json!({"client_name": "After"})),
            )
            .await;
        if merged {
            let patched: Value = resp.json();
            assert_eq!(
                (resp.status, &patched["client_name"]),
                (200, &json!("After"))
            );
            assert_eq!(patched["contacts"], json!(["x@a.example"]));
        } else {
            assert_error(&resp, 405, "method_not_allowed", false);
            let allow = resp.header("allow").unwrap();
            assert!(
                ["GET", "PUT", "DELETE"].iter().all(|m| allow.contains(m)),
                "{allow}"
            );
        }
    }
}
