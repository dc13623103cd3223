//! End-to-end tests of the reference server: each starts real servers on 127.0.0.1:0
//! and talks to them over HTTP with reqwest. This file holds the shared client side:
//! starting servers, sending requests with each kind of credential, and shape checks
//! taken from Hydra's published `oAuth2Client` / `errorOAuth2` / `genericError` schemas.

mod boundary;
mod common;
mod create;
mod faults_auth;
mod faults_discovery;
mod faults_fuzz;
mod faults_management;
mod faults_narrow;
mod faults_narrow_update;
mod faults_protected;
mod faults_refusals;
mod faults_registration;
mod faults_secrets;
mod faults_shape;
mod faults_verdicts;
mod lifecycle;
mod ory;
mod registration;
mod registration_only;
mod rfc7592;
mod token;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::{Faults, Flavor, RunningServer, ServerConfig, start};

/// The flavors with a client configuration endpoint; the registration-only one has its
/// own tests (`registration_only.rs`).
pub(super) const FLAVORS: [Flavor; 2] = [Flavor::Ory, Flavor::Rfc7592];

/// A started server and an HTTP client for it.
pub(super) struct Srv {
    pub server: RunningServer,
    pub flavor: Flavor,
    http: reqwest::Client,
}

pub(super) async fn serve(flavor: Flavor, faults: &[&str]) -> Srv {
    serve_with(flavor, true, faults, None).await
}

pub(super) async fn serve_disabled(flavor: Flavor, faults: &[&str]) -> Srv {
    serve_with(flavor, false, faults, None).await
}

/// A server whose registration needs the initial access token `iat`.
pub(super) async fn serve_protected(flavor: Flavor, faults: &[&str], iat: &str) -> Srv {
    serve_with(flavor, true, faults, Some(iat.to_string())).await
}

async fn serve_with(flavor: Flavor, enabled: bool, faults: &[&str], iat: Option<String>) -> Srv {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let faults = Faults::from_names(faults).unwrap();
    let server = start(
        ServerConfig {
            flavor,
            enabled,
            faults,
            iat,
        },
        0,
    )
    .await
    .unwrap();
    // Plain HTTP on loopback: no proxy, and no system trust store to load.
    let http = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([])
        .build()
        .unwrap();
    Srv {
        server,
        flavor,
        http,
    }
}

/// Credentials to present.
#[derive(Debug, Clone)]
pub(super) enum Auth {
    None,
    /// HTTP Basic with id and secret form-urlencoded first (RFC 6749 §2.3.1).
    Basic(String, String),
    /// `?client_secret=` in the query.
    Query(String),
    Bearer(String),
    /// A verbatim `Authorization` header value.
    Header(String),
}

/// Form-urlencoding as RFC 6749 Appendix B asks.
pub(super) fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// `Basic base64(id:secret)` with id and secret taken verbatim.
pub(super) fn raw_basic(id: &str, secret: &str) -> Auth {
    Auth::Header(format!(
        "Basic {}",
        STANDARD.encode(format!("{id}:{secret}"))
    ))
}

/// An HTTP response, read whole.
#[derive(Debug)]
pub(super) struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }
}

/// A registered client, with the credentials its flavor manages it by.
#[derive(Debug, Clone)]
pub(super) struct Reg {
    pub id: String,
    pub secret: Option<String>,
    pub token: Option<String>,
    /// Where to manage it: the `registration_client_uri`, or `/oauth2/register/{id}`.
    pub path: String,
    /// The create response.
    pub body: Value,
    /// Its own credentials.
    pub auth: Auth,
}

impl Reg {
    /// This client as a successful answer left it: the Rfc7592 flavor hands out a new
    /// registration access token on every update, and the old one is dead.
    pub fn after(&self, resp: &Resp) -> Reg {
        let mut next = self.clone();
        let token = serde_json::from_str::<Value>(&resp.text)
            .ok()
            .and_then(|b| {
                b.get("registration_access_token")?
                    .as_str()
                    .map(str::to_string)
            });
        if let (Some(token), Auth::Bearer(_)) = (token, &self.auth) {
            next.auth = Auth::Bearer(token.clone());
            next.token = Some(token);
        }
        next
    }
}

impl Srv {
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.server.base_url())
        }
    }

    pub fn count(&self) -> usize {
        self.server.client_count()
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        auth: &Auth,
        body: Option<&Value>,
    ) -> Resp {
        let mut request = self.http.request(method, self.url(path));
        request = match auth {
            Auth::None => request,
            Auth::Basic(id, secret) => {
                let pair = format!("{}:{}", form_encode(id), form_encode(secret));
                request.header("authorization", format!("Basic {}", STANDARD.encode(pair)))
            }
            Auth::Query(secret) => request.query(&[("client_secret", secret)]),
            Auth::Bearer(token) => request.bearer_auth(token),
            Auth::Header(value) => request.header("authorization", value),
        };
        if let Some(body) = body {
            request = request.json(body);
        }
        self.raw(request).await
    }

    pub async fn raw(&self, request: reqwest::RequestBuilder) -> Resp {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        Resp {
            status,
            headers,
            text,
        }
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path))
    }

    pub async fn create(&self, body: &Value) -> Resp {
        self.send(Method::POST, "/oauth2/register", &Auth::None, Some(body))
            .await
    }

    /// Register a client; panics unless the server answers 2xx with a client id. A body
    /// without `redirect_uris` gets one: the default grant needs it (RFC 7591 §5).
    pub async fn register(&self, mut body: Value) -> Reg {
        if let Some(fields) = body.as_object_mut() {
            fields
                .entry("redirect_uris")
                .or_insert_with(|| serde_json::json!(["https://client.example/cb"]));
        }
        let resp = self.create(&body).await;
        assert!((200..300).contains(&resp.status), "{resp:?}");
        let body = resp.json();
        let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
        let id = text("client_id").expect("client_id");
        let secret = text("client_secret");
        let token = text("registration_access_token");
        let method = text("token_endpoint_auth_method").unwrap_or_default();
        let (path, auth) = match self.flavor {
            Flavor::Rfc7592 => (
                text("registration_client_uri").expect("registration_client_uri"),
                Auth::Bearer(token.clone().expect("registration_access_token")),
            ),
            Flavor::Ory => {
                let secret = secret.clone().unwrap_or_default();
                let auth = if method == "client_secret_post" {
                    Auth::Query(secret)
                } else {
                    Auth::Basic(id.clone(), secret)
                };
                (format!("/oauth2/register/{id}"), auth)
            }
            // No configuration endpoint: the path only ever answers 404.
            Flavor::Rfc7591 => (format!("/oauth2/register/{id}"), Auth::None),
        };
        Reg {
            id,
            secret,
            token,
            path,
            body,
            auth,
        }
    }

    /// Register a client with default metadata and one redirect URI.
    pub async fn register_default(&self) -> Reg {
        self.register(serde_json::json!({"redirect_uris": ["https://client.example/cb"]}))
            .await
    }

    pub async fn get(&self, reg: &Reg, auth: &Auth) -> Resp {
        self.send(Method::GET, &reg.path, auth, None).await
    }

    pub async fn put(&self, reg: &Reg, auth: &Auth, body: &Value) -> Resp {
        self.send(Method::PUT, &reg.path, auth, Some(body)).await
    }

    pub async fn delete(&self, reg: &Reg, auth: &Auth) -> Resp {
        self.send(Method::DELETE, &reg.path, auth, None).await
    }
}

/// Status, JSON content type, error code and the `errorOAuth2` shape (plus
/// `genericError`'s required `message` when `delete`).
pub(super) fn assert_error(resp: &Resp, status: u16, code: &str, delete: bool) -> Value {
    assert_eq!(resp.status, status, "{resp:?}");
    assert_eq!(
        resp.header("content-type"),
        Some("application/json"),
        "{resp:?}"
    );
    let body = resp.json();
    assert_eq!(body["error"], code, "{resp:?}");
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{resp:?}"
    );
    if delete {
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{resp:?}"
        );
    } else {
        assert!(body.get("message").is_none(), "{resp:?}");
    }
    body
}

/// `Cache-Control: no-store` and `Pragma: no-cache`.
pub(super) fn assert_no_store(resp: &Resp) {
    assert_eq!(resp.header("cache-control"), Some("no-store"), "{resp:?}");
    assert_eq!(resp.header("pragma"), Some("no-cache"), "{resp:?}");
}

/// Property types of Hydra v2.3.0's `oAuth2Client` schema (api.json) for what the server
/// may return: s = string, a = array of strings, i = integer, b = boolean, o = any.
#[rustfmt::skip]
const CLIENT_TYPES: &[(&str, char)] = &[
    ("client_id", 's'), ("client_secret", 's'), ("client_secret_expires_at", 'i'),
    ("client_id_issued_at", 'i'), ("registration_access_token", 's'),
    ("registration_client_uri", 's'), ("redirect_uris", 'a'), ("grant_types", 'a'),
    ("response_types", 'a'), ("contacts", 'a'), ("audience", 'a'), ("allowed_cors_origins", 'a'),
    ("post_logout_redirect_uris", 'a'), ("request_uris", 'a'), ("token_endpoint_auth_method", 's'),
    ("client_name", 's'), ("client_uri", 's'), ("logo_uri", 's'), ("policy_uri", 's'),
    ("tos_uri", 's'), ("scope", 's'), ("jwks_uri", 's'), ("jwks", 'o'), ("software_id", 's'),
    ("software_version", 's'), ("subject_type", 's'), ("sector_identifier_uri", 's'),
    ("request_object_signing_alg", 's'), ("token_endpoint_auth_signing_alg", 's'),
    ("userinfo_signed_response_alg", 's'), ("frontchannel_logout_uri", 's'),
    ("frontchannel_logout_session_required", 'b'), ("backchannel_logout_uri", 's'),
    ("backchannel_logout_session_required", 'b'), ("owner", 's'),
    ("authorization_code_grant_access_token_lifespan", 's'),
    ("authorization_code_grant_id_token_lifespan", 's'),
    ("authorization_code_grant_refresh_token_lifespan", 's'),
    ("client_credentials_grant_access_token_lifespan", 's'),
    ("implicit_grant_access_token_lifespan", 's'), ("implicit_grant_id_token_lifespan", 's'),
    ("jwt_bearer_grant_access_token_lifespan", 's'),
    ("refresh_token_grant_access_token_lifespan", 's'),
    ("refresh_token_grant_id_token_lifespan", 's'),
    ("refresh_token_grant_refresh_token_lifespan", 's'),
];

/// The body is a client the `oAuth2Client` schema accepts, with every member one the
/// server is meant to return (so unknown request members are not echoed).
pub(super) fn assert_client_shape(body: &Value) {
    let object = body
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {body}"));
    for (name, value) in object {
        let kind = CLIENT_TYPES
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, k)| *k);
        let ok = match kind {
            Some('s') => value.is_string(),
            Some('i') => value.is_i64() || value.is_u64(),
            Some('b') => value.is_boolean(),
            Some('a') => value
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string)),
            Some(_) => true,
            None => false,
        };
        assert!(
            ok,
            "member {name} = {value} does not fit the schema: {body}"
        );
    }
}
