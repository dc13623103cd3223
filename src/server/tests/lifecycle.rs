//! Starting and stopping: loopback only, a chosen port, a port freed by `shutdown`, and
//! config/name plumbing the command line relies on.

use serde_json::json;

use super::*;
use crate::server::Fault;

#[tokio::test]
async fn shutdown_frees_the_port_for_a_new_server() {
    let srv = serve(Flavor::Ory, &[]).await;
    let base = srv.server.base_url();
    assert!(
        base.starts_with("http://127.0.0.1:") && !base.ends_with('/'),
        "{base}"
    );
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    assert_eq!(
        srv.create(&json!({"redirect_uris": ["https://client.example/cb"]}))
            .await
            .status,
        201
    );
    srv.server.shutdown().await;
    let probe = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([])
        .build()
        .unwrap();
    assert!(
        probe
            .get(format!("{base}/oauth2/register/x"))
            .send()
            .await
            .is_err()
    );
    // The same port, chosen explicitly, serves a fresh (empty) server.
    let again = start(ServerConfig::new(Flavor::Rfc7592), port)
        .await
        .unwrap();
    assert_eq!(again.base_url(), base);
    assert_eq!(again.client_count(), 0);
    let resp = probe
        .post(format!("{base}/oauth2/register"))
        .json(&json!({"redirect_uris": ["https://client.example/cb"]}))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(body["registration_access_token"].is_string(), "{body}");
    again.shutdown().await;
}

#[tokio::test]
async fn a_busy_port_is_an_io_error() {
    let srv = serve(Flavor::Ory, &[]).await;
    let port: u16 = srv
        .server
        .base_url()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(start(ServerConfig::new(Flavor::Ory), port).await.is_err());
}

#[test]
fn config_and_flavor_names() {
    let config = ServerConfig::new(Flavor::Rfc7592);
    assert!(config.enabled && config.faults.is_empty());
    for flavor in FLAVORS {
        assert_eq!(flavor.name().parse::<Flavor>(), Ok(flavor));
        assert_eq!(flavor.to_string(), flavor.name());
    }
    assert!(
        "hydra"
            .parse::<Flavor>()
            .unwrap_err()
            .contains("ory, rfc7592")
    );
    let faults = Faults::from(Fault::NullArrays);
    assert_eq!(faults.iter().collect::<Vec<_>>(), [Fault::NullArrays]);
}
