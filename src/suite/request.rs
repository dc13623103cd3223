//! A step's request as suite files write it: the method and target endpoint
//! (`RequestSpec`, `Endpoint`, `Method`) and how it authenticates (`AuthSpec`, with the
//! forms `auth` takes named in its errors).

use std::collections::BTreeMap;

#[cfg(test)]
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::profile::ManagementAuth;

/// The request of a step. Without `client`, `client_id` or `endpoint` it goes to the
/// registration endpoint; with `client` or `client_id`, to that client's configuration
/// endpoint; with `endpoint`, to the token endpoint (the profile's `token_path`, or the one
/// discovery found) or the metadata document.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestSpec {
    pub method: Method,
    /// Another endpoint than the registration or a configuration endpoint: `token`, `metadata`.
    #[serde(default)]
    pub endpoint: Option<Endpoint>,
    /// A registered client whose configuration endpoint is the target.
    #[serde(default)]
    pub client: Option<String>,
    /// A literal client id (template) whose configuration path is built from the profile.
    #[serde(default)]
    pub client_id: Option<String>,
    /// With `client`: that client's configuration URL with its id replaced by this one
    /// (template) — an unknown id at a URL the server itself handed out.
    #[serde(default)]
    pub as_id: Option<String>,
    #[serde(default)]
    pub auth: Option<AuthSpec>,
    #[serde(default)]
    pub query: BTreeMap<String, String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// A JSON body (templates allowed), sent as `application/json`.
    #[serde(default)]
    pub json: Option<Value>,
    /// A raw body (template), for malformed input; `content_type` says what it claims to be.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub content_type: Option<String>,
    /// Form parameters (templates allowed), sent as `application/x-www-form-urlencoded`:
    /// what the token endpoint reads (RFC 6749 §4.4.2).
    #[serde(default)]
    pub form: BTreeMap<String, String>,
}

/// An endpoint named by a step, beside the registration and configuration endpoints that
/// `client` and `client_id` choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// The token endpoint (RFC 6749 §3.2). Scenarios sending to it `require`
    /// `token-endpoint`. There, `auth` with a client authenticates as RFC 6749 §2.3.1
    /// says: `client_secret_basic` as HTTP Basic with the form-urlencoded id and secret,
    /// `client_secret_post` as `client_id` and `client_secret` form parameters in the
    /// body; without `method`, the client's own `token_endpoint_auth_method`.
    Token,
    /// The server's metadata document: the one `--issuer` discovery read, the embedded
    /// server's, or with `--target` the first of the target's
    /// `/.well-known/openid-configuration` and `/.well-known/oauth-authorization-server`
    /// that answers a JSON object (none: the scenario is skipped, unless the profile
    /// grants `metadata`).
    Metadata,
}

impl RequestSpec {
    /// A request on a registered client's own configuration endpoint, authenticated
    /// as that client (with `auth_method`, or the profile's method when `None`): what the
    /// harness itself sends to clean up or read back, outside any suite file.
    pub fn on_client(
        method: Method,
        client: &str,
        auth_method: Option<ManagementAuth>,
    ) -> RequestSpec {
        RequestSpec {
            method,
            endpoint: None,
            client: Some(client.to_string()),
            client_id: None,
            as_id: None,
            auth: Some(AuthSpec::Credentials(Credentials {
                client: Some(client.to_string()),
                method: auth_method,
                id: None,
                secret: None,
                token: None,
            })),
            query: Default::default(),
            headers: Default::default(),
            json: None,
            body: None,
            content_type: None,
            form: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub enum Method {
    GET,
    POST,
    PUT,
    DELETE,
    PATCH,
    HEAD,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::GET => "GET",
            Method::POST => "POST",
            Method::PUT => "PUT",
            Method::DELETE => "DELETE",
            Method::PATCH => "PATCH",
            Method::HEAD => "HEAD",
        }
    }
}

/// How a request authenticates. `"none"`, or credentials of a registered client (with
/// the profile's method unless `method` is given), each part overridable. Deserialised by
/// hand so that a mistake names the valid forms instead of serde's "did not match any
/// variant of untagged enum".
#[derive(Debug, Clone)]
pub enum AuthSpec {
    None(NoAuth),
    Credentials(Credentials),
}

/// The forms `auth` takes, for error messages.
pub const AUTH_FORMS: &str = "`auth` takes \"none\" or an object with `client` (a registered client) and/or `method` (client_secret_basic, client_secret_post or bearer), and optionally `id`, `secret`, `token`";

#[cfg(test)]
impl JsonSchema for AuthSpec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AuthSpec".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let credentials = generator.subschema_for::<Credentials>();
        schemars::json_schema!({
            "description": AUTH_FORMS,
            "oneOf": [{"const": "none"}, credentials]
        })
    }
}

impl<'de> Deserialize<'de> for AuthSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match Value::deserialize(d)? {
            Value::String(s) if s == "none" => Ok(AuthSpec::None(NoAuth::None)),
            v @ Value::Object(_) => serde_json::from_value(v)
                .map(AuthSpec::Credentials)
                .map_err(|e| D::Error::custom(format!("{e}; {AUTH_FORMS}"))),
            other => Err(D::Error::custom(format!("got {other}; {AUTH_FORMS}"))),
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoAuth {
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    #[serde(default)]
    pub client: Option<String>,
    #[serde(default)]
    #[cfg_attr(test, schemars(schema_with = "method_schema"))]
    pub method: Option<ManagementAuth>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
}

/// A method, or `{{each.<key>}}` in a `for_each` scenario (replaced before the typed parse).
#[cfg(test)]
fn method_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let method = generator.subschema_for::<ManagementAuth>();
    schemars::json_schema!({
        "anyOf": [method, {"type": "string", "pattern": "^\\{\\{each\\.[^{}]+\\}\\}$"}, {"type": "null"}]
    })
}
