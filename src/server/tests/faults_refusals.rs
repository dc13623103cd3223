//! The narrow refusal faults (ops/refusals.rs). Each test runs the same probe against a
//! correct server and a faulted one.

use serde_json::json;

use super::*;

/// `delete-ignores-secret`: a DELETE whose Basic id names the client (or that carries a
/// query secret) deletes it with a wrong secret; another client's credentials, a request
/// without any, and reads and updates with the wrong secret are still refused.
#[tokio::test]
async fn delete_ignores_secret() {
    let good = serve(Flavor::Ory, &[]).await;
    let bad = serve(Flavor::Ory, &["delete-ignores-secret"]).await;
    for (srv, wrong_delete) in [(&good, 401), (&bad, 204)] {
        let reg = srv.register_default().await;
        let other = srv.register_default().await;
        let wrong = Auth::Basic(reg.id.clone(), "guess".into());
        assert_eq!(srv.get(&reg, &wrong).await.status, 401);
        let body = json!({"client_id": reg.id, "client_name": "hijacked"});
        assert_eq!(srv.put(&reg, &wrong, &body).await.status, 401);
        assert_eq!(srv.delete(&reg, &Auth::None).await.status, 401);
        assert_eq!(srv.delete(&reg, &other.auth).await.status, 401);
        assert_eq!(srv.delete(&reg, &wrong).await.status, wrong_delete);
    }
    // The query secret of a client_secret_post client is not checked either.
    for (srv, wrong_delete) in [(&good, 401), (&bad, 204)] {
        let reg = srv
            .register(json!({
                "redirect_uris": ["https://client.example/cb"],
                "token_endpoint_auth_method": "client_secret_post"
            }))
            .await;
        let wrong = Auth::Query("guess".into());
        assert_eq!(srv.delete(&reg, &wrong).await.status, wrong_delete);
    }
}

/// `refused-update-applies`: a PUT with wrong credentials is still refused with 401, but
/// the client reads back with its body written; an accepted PUT is unchanged.
#[tokio::test]
async fn refused_update_applies() {
    for flavor in [Flavor::Ory, Flavor::Rfc7592] {
        let good = serve(flavor, &[]).await;
        let bad = serve(flavor, &["refused-update-applies"]).await;
        for (srv, name_after) in [(&good, "original"), (&bad, "hijacked")] {
            let reg = srv
                .register(json!({
                    "client_name": "original",
                    "redirect_uris": ["https://client.example/cb"]
                }))
                .await;
            let body = json!({
                "client_id": reg.id,
                "client_name": "hijacked",
                "redirect_uris": ["https://client.example/cb"]
            });
            assert_eq!(srv.put(&reg, &Auth::None, &body).await.status, 401);
            let read = srv.get(&reg, &reg.auth).await;
            assert_eq!(read.status, 200);
            assert_eq!(read.json()["client_name"], name_after, "{flavor:?}");
        }
    }
}
