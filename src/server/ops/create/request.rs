//! Faults in how registration reads and judges its request, before a client is issued:
//! bodies taken that should be refused (`accept-form-body`), requests that crash it
//! (`malformed-json-500`, `empty-client-id-500`), advertised metadata refused or replaced
//! (`refuse-secret-post`, `post-made-basic`), values it should not store
//! (`store-wrong-types`, `store-string-redirect-uris`, `store-bogus-method`), and the
//! loopback redirect URIs MCP clients break on.

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value, json};

use crate::server::faults::Fault;
use crate::server::metadata;
use crate::server::ops::{App, server_error};
use crate::server::reply::ApiError;

impl App {
    /// A faulted reading of the raw body, before the content type and JSON are checked:
    /// `None` reads it as a correct server does.
    pub(super) fn read_faults(
        &self,
        headers: &HeaderMap,
        raw: &Bytes,
    ) -> Option<Result<Map<String, Value>, ApiError>> {
        let media_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        match media_type.as_deref() {
            Some("application/x-www-form-urlencoded") if self.has(Fault::AcceptFormBody) => {
                Some(Ok(form_metadata(raw)))
            }
            // The parser's error escapes as an unhandled exception; null, arrays and
            // strings parse, and are refused as usual.
            Some("application/json")
                if self.has(Fault::MalformedJson500)
                    && serde_json::from_slice::<Value>(raw).is_err() =>
            {
                Some(Err(server_error()))
            }
            _ => None,
        }
    }

    /// Requests a faulted registration refuses, or crashes on, once the body is an object.
    pub(super) fn refuse_or_crash(&self, body: &Map<String, Value>) -> Result<(), ApiError> {
        let text = |name: &str| body.get(name).and_then(Value::as_str);
        if self.has(Fault::EmptyClientId500) && text("client_id") == Some("") {
            // The empty id is looked up as if it named a client, and the lookup fails.
            return Err(server_error());
        }
        if self.has(Fault::RefuseSecretPost)
            && text("token_endpoint_auth_method") == Some("client_secret_post")
        {
            // The metadata still advertises client_secret_post (DISC-CONSIST-a).
            return Err(ApiError::metadata(
                "token_endpoint_auth_method client_secret_post is not supported.",
            ));
        }
        Ok(())
    }

    /// Members a faulted registration stores as sent, though validation would refuse
    /// them: taken out of `body` here so that validation passes, and returned, to be put
    /// back by `replace_after_validation`. `store-wrong-types`: the wrongly typed members
    /// (in `body`, a string for an array becomes a one-item array, anything else is
    /// dropped); `store-string-redirect-uris`: a string redirect_uris (validated as a
    /// one-item array); `store-bogus-method`: a token_endpoint_auth_method it does not
    /// support.
    pub(super) fn set_aside(&self, body: &mut Map<String, Value>) -> Map<String, Value> {
        let mut kept = Map::new();
        if self.has(Fault::StoreWrongTypes) {
            for name in metadata::wrongly_typed(body) {
                if let Some(value) = body.get(&name) {
                    kept.insert(name.clone(), value.clone());
                }
            }
            metadata::coerce_string_arrays(body);
            for name in metadata::wrongly_typed(body) {
                body.remove(&name);
            }
        }
        if self.has(Fault::StoreStringRedirectUris)
            && let Some(Value::String(uri)) = body.get("redirect_uris").cloned()
        {
            kept.insert("redirect_uris".into(), json!(uri));
            body.insert("redirect_uris".into(), json!([uri]));
        }
        let method = "token_endpoint_auth_method";
        if self.has(Fault::StoreBogusMethod)
            && let Some(Value::String(sent)) = body.get(method)
            && !metadata::AUTH_METHODS.contains(&sent.as_str())
        {
            kept.insert(method.into(), json!(sent));
            body.remove(method);
        }
        kept
    }

    /// Faults that change validated metadata: the members `set_aside` took out put
    /// back as sent, client_secret_post registered as
    /// client_secret_basic (`post-made-basic`).
    pub(super) fn replace_after_validation(
        &self,
        set_aside: Map<String, Value>,
        metadata: &mut metadata::Metadata,
    ) {
        metadata.extend(set_aside);
        if self.has(Fault::PostMadeBasic)
            && metadata.get("token_endpoint_auth_method") == Some(&json!("client_secret_post"))
        {
            metadata.insert(
                "token_endpoint_auth_method".into(),
                json!("client_secret_basic"),
            );
        }
    }

    /// The loopback redirect URI faults MCP clients break on (`refuse-localhost-redirect`,
    /// `high-loopback-port-refused`); a correct server takes any port (RFC 8252 §7.3) and
    /// `localhost` as well as the IP literals (OpenID Connect Registration §2, native).
    pub(super) fn loopback_faults(&self, metadata: &metadata::Metadata) -> Result<(), ApiError> {
        let uris = metadata.get("redirect_uris").and_then(Value::as_array);
        for uri in uris.into_iter().flatten().filter_map(Value::as_str) {
            let Ok(parsed) = url::Url::parse(uri) else {
                continue;
            };
            let host = parsed.host_str().unwrap_or_default();
            if self.has(Fault::RefuseLocalhostRedirect) && host == "localhost" {
                return Err(ApiError::redirect_uri(
                    "Use a loopback IP literal, not localhost, in a redirect URI.",
                ));
            }
            let loopback = ["localhost", "127.0.0.1", "[::1]"].contains(&host);
            if self.has(Fault::HighLoopbackPortRefused)
                && loopback
                && parsed.port().is_some_and(|p| i16::try_from(p).is_err())
            {
                return Err(ApiError::redirect_uri(
                    "The redirect URI's port is invalid.",
                ));
            }
        }
        Ok(())
    }
}

/// A form body bound as metadata, as a framework that binds forms and JSON alike does:
/// each field a string, a string-array member's fields gathered into its array.
fn form_metadata(raw: &[u8]) -> Map<String, Value> {
    let mut body = Map::new();
    for (name, value) in url::form_urlencoded::parse(raw) {
        body.insert(name.into_owned(), Value::String(value.into_owned()));
    }
    metadata::coerce_string_arrays(&mut body);
    body
}
