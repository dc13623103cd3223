//! The token endpoint (`POST /oauth2/token`, client_credentials) and its `token-*`
//! faults: the same probe against a correct server and a faulted one.

use reqwest::Method;
use serde_json::{Value, json};

use super::*;

/// How a token request authenticates.
enum By<'a> {
    Basic(&'a str, &'a str),
    /// Id and secret as form parameters in the body.
    Post(&'a str, &'a str),
    /// Id and secret in the URL query only.
    Query(&'a str, &'a str),
    /// A verbatim Authorization header.
    Header(String),
}

impl Srv {
    /// A client registered for client_credentials with `method`.
    async fn cc_client(&self, method: &str) -> Reg {
        self.register(json!({
            "grant_types": ["client_credentials"],
            "response_types": [],
            "token_endpoint_auth_method": method,
        }))
        .await
    }

    async fn token(&self, by: By<'_>) -> Resp {
        let mut form = vec![("grant_type", "client_credentials".to_string())];
        let mut request = self.request(Method::POST, super::super::TOKEN_PATH);
        match by {
            By::Basic(id, secret) => {
                let pair = format!("{}:{}", form_encode(id), form_encode(secret));
                request =
                    request.header("authorization", format!("Basic {}", STANDARD.encode(pair)));
            }
            By::Post(id, secret) => {
                form.push(("client_id", id.to_string()));
                form.push(("client_secret", secret.to_string()));
            }
            By::Query(id, secret) => {
                request = request.query(&[("client_id", id), ("client_secret", secret)]);
            }
            By::Header(value) => request = request.header("authorization", value),
        }
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&form)
            .finish();
        let request = request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.raw(request).await
    }
}

fn assert_granted(resp: &Resp) {
    assert_eq!(resp.status, 200, "{resp:?}");
    let body = resp.json();
    assert!(
        body["access_token"].as_str().is_some_and(|t| t.len() >= 32),
        "{resp:?}"
    );
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_u64().is_some_and(|s| s > 0));
    assert_no_store(resp);
}

fn assert_invalid_client(resp: &Resp, status: u16, challenge: bool) {
    assert_eq!(resp.status, status, "{resp:?}");
    assert_eq!(resp.json()["error"], "invalid_client", "{resp:?}");
    assert_eq!(
        resp.header("www-authenticate")
            .is_some_and(|h| h.starts_with("Basic ")),
        challenge,
        "{resp:?}"
    );
    assert!(resp.json().get("access_token").is_none());
}

#[tokio::test]
async fn issued_credentials_get_tokens_both_ways() {
    for flavor in FLAVORS {
        let srv = serve(flavor, &[]).await;
        let basic = srv.cc_client("client_secret_basic").await;
        let post = srv.cc_client("client_secret_post").await;
        for c in [&basic, &post] {
            let secret = c.secret.as_deref().unwrap();
            assert_granted(&srv.token(By::Basic(&c.id, secret)).await);
            assert_granted(&srv.token(By::Post(&c.id, secret)).await);
            // Two tokens are two random values.
            let a = srv.token(By::Post(&c.id, secret)).await.json();
            let b = srv.token(By::Post(&c.id, secret)).await.json();
            assert_ne!(a["access_token"], b["access_token"]);
        }
    }
}

#[tokio::test]
async fn refusals_say_invalid_client_or_why() {
    let srv = serve(Flavor::Rfc7592, &[]).await;
    let c = srv.cc_client("client_secret_basic").await;
    let secret = c.secret.clone().unwrap();
    // RFC 6749 §5.2: a failed Basic authentication is 401 with a Basic challenge.
    assert_invalid_client(&srv.token(By::Basic(&c.id, "wrong")).await, 401, true);
    assert_invalid_client(&srv.token(By::Basic("nobody", &secret)).await, 401, true);
    assert_invalid_client(&srv.token(By::Post(&c.id, "wrong")).await, 401, true);
    assert_invalid_client(&srv.token(By::Header("Basic !!".into())).await, 401, true);
    // §2.3.1: never in the URI.
    let query = srv.token(By::Query(&c.id, &secret)).await;
    assert_error(&query, 400, "invalid_request", false);
    // A client registered for another grant gets no client_credentials token.
    let code = srv.register_default().await;
    let resp = srv
        .token(By::Basic(&code.id, code.secret.as_deref().unwrap()))
        .await;
    assert_error(&resp, 400, "unauthorized_client", false);
    // A JSON body is not a token request.
    let json_body = srv
        .raw(
            srv.request(Method::POST, super::super::TOKEN_PATH)
                .json(&json!({"grant_type": "client_credentials"})),
        )
        .await;
    assert_error(&json_body, 400, "invalid_request", false);
}

#[tokio::test]
async fn basic_credentials_are_form_urldecoded() {
    let srv = serve(Flavor::Ory, &[]).await;
    let bad = serve(Flavor::Ory, &["token-basic-raw"]).await;
    for (srv, works) in [(&srv, true), (&bad, false)] {
        let c = srv.cc_client("client_secret_basic").await;
        let reserved = "s p%a+c:e/ü";
        let body = json!({"client_id": c.id, "client_secret": reserved,
            "grant_types": ["client_credentials"], "response_types": [],
            "redirect_uris": ["https://client.example/cb"]});
        assert_eq!(srv.put(&c, &c.auth, &body).await.status, 200);
        let resp = srv.token(By::Basic(&c.id, reserved)).await;
        assert_eq!(resp.status == 200, works, "{resp:?}");
        // The raw form is what the faulted server compares.
        let raw = format!("Basic {}", STANDARD.encode(format!("{}:{reserved}", c.id)));
        assert_eq!(srv.token(By::Header(raw)).await.status == 200, !works);
    }
}

#[tokio::test]
async fn token_faults_each_break_one_thing() {
    // (fault, flavor, the probe that a correct server passes and the faulted one fails)
    for flavor in FLAVORS {
        let good = serve(flavor, &[]).await;
        for fault in [
            "token-refuses-basic",
            "token-refuses-post",
            "token-post-any-secret",
            "token-basic-400",
            "token-query-credentials",
        ] {
            let bad = serve(flavor, &[fault]).await;
            for (srv, faulted) in [(&good, false), (&bad, true)] {
                let c = srv.cc_client("client_secret_basic").await;
                let secret = c.secret.clone().unwrap();
                let basic = srv.token(By::Basic(&c.id, &secret)).await.status;
                let post = srv.token(By::Post(&c.id, &secret)).await.status;
                let wrong_post = srv.token(By::Post(&c.id, "wrong")).await.status;
                let wrong_basic = srv.token(By::Basic(&c.id, "wrong")).await;
                let query = srv.token(By::Query(&c.id, &secret)).await.status;
                let broken = match fault {
                    "token-refuses-basic" => basic != 200,
                    "token-refuses-post" => post != 200,
                    "token-post-any-secret" => wrong_post == 200,
                    "token-basic-400" => {
                        wrong_basic.status == 400
                            && wrong_basic.header("www-authenticate").is_none()
                    }
                    _ => query == 200,
                };
                assert_eq!(broken, faulted, "{fault} under {flavor}");
                // Everything else stays correct.
                let others = [
                    ("token-refuses-basic", basic == 200),
                    ("token-refuses-post", post == 200),
                    ("token-post-any-secret", wrong_post != 200),
                    ("token-basic-400", wrong_basic.status == 401),
                    ("token-query-credentials", query != 200),
                ];
                for (other, fine) in others.iter().filter(|(o, _)| *o != fault) {
                    assert!(fine, "{fault} under {flavor} broke what {other} is about");
                }
            }
        }
    }
}

#[tokio::test]
async fn deleted_clients_get_no_tokens() {
    let (good, bad) = (
        serve(Flavor::Rfc7592, &[]).await,
        serve(Flavor::Rfc7592, &["token-after-delete"]).await,
    );
    for (srv, after) in [(&good, 401), (&bad, 200)] {
        let c = srv.cc_client("client_secret_post").await;
        let secret = c.secret.clone().unwrap();
        assert_eq!(srv.token(By::Post(&c.id, &secret)).await.status, 200);
        assert_eq!(srv.delete(&c, &c.auth).await.status, 204);
        assert_eq!(srv.token(By::Post(&c.id, &secret)).await.status, after);
        // The registration access token is refused either way.
        assert_eq!(srv.get(&c, &c.auth).await.status, 401);
    }
}

#[tokio::test]
async fn metadata_advertises_the_token_endpoint() {
    let srv = serve(Flavor::Rfc7592, &[]).await;
    let doc: Value = srv
        .send(
            Method::GET,
            "/.well-known/openid-configuration",
            &Auth::None,
            None,
        )
        .await
        .json();
    let base = srv.server.base_url();
    assert_eq!(doc["token_endpoint"], format!("{base}/oauth2/token"));
    // The methods the token endpoint authenticates with are among those advertised.
    let methods = doc["token_endpoint_auth_methods_supported"]
        .as_array()
        .unwrap();
    for m in ["client_secret_basic", "client_secret_post"] {
        assert!(methods.contains(&json!(m)), "{m} not in {methods:?}");
    }
}
