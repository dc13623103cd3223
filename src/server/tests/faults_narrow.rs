//! The narrow RFC 7592 faults of issue 12 (`ops/narrow.rs`) on reads, and the probes
//! their tests share (the update faults' tests are in `faults_narrow_update`): each probe
//! runs against a correct Rfc7592 server and a faulted one, and shows the one difference
//! the fault makes.

use reqwest::Method;
use serde_json::{Value, json};

use super::*;

pub(super) async fn pair(fault: &str) -> (Srv, Srv) {
    (
        serve(Flavor::Rfc7592, &[]).await,
        serve(Flavor::Rfc7592, &[fault]).await,
    )
}

/// A PUT of `body` (sent as is, `application/json`) with the client's token.
pub(super) async fn put_raw(srv: &Srv, reg: &Reg, body: &'static str) -> Resp {
    let request = srv
        .request(Method::PUT, &reg.path)
        .bearer_auth(reg.token.clone().unwrap())
        .header("content-type", "application/json")
        .body(body);
    srv.raw(request).await
}

/// The client's `client_name` as a read with its token shows it.
pub(super) async fn name(srv: &Srv, reg: &Reg) -> Value {
    srv.get(reg, &reg.auth).await.json()["client_name"].clone()
}

/// An update body for `reg` with `extra` members.
pub(super) fn update(reg: &Reg, extra: Value) -> Value {
    let mut body = json!({"client_id": reg.id, "redirect_uris": ["https://client.example/cb"]});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

/// A PUT of `reg`'s update with `extra` members, with its own credentials.
pub(super) async fn put_update(srv: &Srv, reg: &Reg, extra: Value) -> Resp {
    srv.put(reg, &reg.auth, &update(reg, extra)).await
}

#[tokio::test]
async fn read_token_cache_miss_refuses_a_clients_first_read_only() {
    let (good, bad) = pair("read-token-cache-miss").await;
    for (srv, first) in [(&good, 200), (&bad, 401)] {
        let reg = srv.register_default().await;
        let resp = srv.get(&reg, &reg.auth).await;
        assert_eq!(resp.status, first, "{resp:?}");
        // The miss filled the cache: the same token works from now on.
        assert_eq!(srv.get(&reg, &reg.auth).await.status, 200);
        assert_eq!(
            srv.put(&reg, &reg.auth, &update(&reg, json!({})))
                .await
                .status,
            200
        );
    }
}

#[tokio::test]
async fn read_revokes_token_hands_out_no_new_one() {
    let (good, bad) = pair("read-revokes-token").await;
    for (srv, second) in [(&good, 200), (&bad, 401)] {
        let reg = srv.register_default().await;
        let first = srv.get(&reg, &reg.auth).await;
        assert_eq!(first.status, 200);
        assert_eq!(first.json()["registration_access_token"], json!(reg.token));
        let reg = reg.after(&first);
        assert_eq!(srv.get(&reg, &reg.auth).await.status, second);
    }
}

#[tokio::test]
async fn read_omits_leaves_out_one_member() {
    const MEMBERS: [&str; 6] = [
        "client_name",
        "redirect_uris",
        "contacts",
        "client_uri",
        "policy_uri",
        "tos_uri",
    ];
    let body = json!({
        "client_name": "Rich",
        "redirect_uris": ["https://rp.example/cb"],
        "contacts": ["ops@rp.example"],
        "client_uri": "https://rp.example/",
        "policy_uri": "https://rp.example/policy",
        "tos_uri": "https://rp.example/tos",
    });
    for member in MEMBERS {
        let fault = format!("read-omits-{}", member.replace('_', "-"));
        let (good, bad) = pair(&fault).await;
        for (srv, omitted) in [(&good, false), (&bad, true)] {
            let reg = srv.register(body.clone()).await;
            assert_eq!(reg.body[member], body[member], "{fault}");
            let read = srv.get(&reg, &reg.auth).await.json();
            for m in MEMBERS {
                let gone = omitted && m == member;
                assert_eq!(read.get(m).is_none(), gone, "{fault}: {m} in {read}");
            }
            // Update answers still carry it.
            let updated = srv.put(&reg, &reg.auth, &update(&reg, body.clone())).await;
            assert_eq!(updated.json()[member], body[member], "{fault}");
        }
    }
}

#[tokio::test]
async fn read_omits_leaves_out_one_provisioned_member() {
    const MEMBERS: [&str; 5] = [
        "token_endpoint_auth_method",
        "grant_types",
        "response_types",
        "registration_access_token",
        "registration_client_uri",
    ];
    for member in MEMBERS {
        let fault = format!("read-omits-{}", member.replace('_', "-"));
        let (good, bad) = pair(&fault).await;
        for (srv, omitted) in [(&good, false), (&bad, true)] {
            let reg = srv.register_default().await;
            let read = srv.get(&reg, &reg.auth).await.json();
            for m in MEMBERS {
                let gone = omitted && m == member;
                assert_eq!(read.get(m).is_none(), gone, "{fault}: {m} in {read}");
            }
        }
    }
}

#[tokio::test]
async fn read_saves_back_one_member_changed() {
    let body = json!({
        "client_name": "dcrspec 0123456789abcdef0123456789abcdef",
        "redirect_uris": ["https://rp.example/cb"],
        "contacts": ["ops@rp.example"],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
    });
    let faults = [
        ("read-resaves-name-truncated", "client_name"),
        ("read-resaves-redirect-slash", "redirect_uris"),
        ("read-resaves-contacts-mailto", "contacts"),
        ("read-reapplies-response-type", "response_types"),
    ];
    for (fault, member) in faults {
        let (good, bad) = pair(fault).await;
        for (srv, differs) in [(&good, false), (&bad, true)] {
            let reg = srv.register(body.clone()).await;
            let first = srv.get(&reg, &reg.auth).await.json();
            let second = srv.get(&reg, &reg.auth).await.json();
            for (m, _) in body.as_object().unwrap() {
                // The first read is right; only the fault's member differs on the second.
                assert_eq!(first[m], body[m], "{fault}: {m}");
                let changed = differs && m == member;
                assert_eq!(first[m] != second[m], changed, "{fault}: {m} in {second}");
            }
        }
    }
}
