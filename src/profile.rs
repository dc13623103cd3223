//! Profiles: the dialect a target speaks. A profile says where the endpoints are, how
//! a client's configuration is managed and what the server answers for an unknown
//! client. Scenarios declare the capabilities they need; a profile lacking one makes
//! the scenario skip with a reason instead of fail.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::LoadError;

/// How a client authenticates to its own configuration endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ManagementAuth {
    /// HTTP Basic with the form-urlencoded client id and secret (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// The client secret in the URL query, `?client_secret=`.
    ClientSecretPost,
    /// The registration access token from the create response, as a Bearer token (RFC 7592).
    Bearer,
}

impl ManagementAuth {
    pub fn as_str(self) -> &'static str {
        match self {
            ManagementAuth::ClientSecretBasic => "client_secret_basic",
            ManagementAuth::ClientSecretPost => "client_secret_post",
            ManagementAuth::Bearer => "bearer",
        }
    }

    /// The auth method a client registered with `token_endpoint_auth_method = m` uses.
    pub fn from_token_endpoint_auth_method(m: &str) -> Option<Self> {
        match m {
            "client_secret_basic" => Some(ManagementAuth::ClientSecretBasic),
            "client_secret_post" => Some(ManagementAuth::ClientSecretPost),
            _ => None,
        }
    }
}

/// Granted to a profile that manages clients with their own credentials (HTTP Basic or the
/// secret in the query) and never with RFC 7592's registration access token: what Ory's
/// management rules describe.
pub const CLIENT_CREDENTIALS: &str = "management:client-credentials";

/// The capability of a profile that knows its token endpoint (`token_path`, or one
/// discovery or the embedded server supplied).
pub const TOKEN_ENDPOINT: &str = "token-endpoint";

/// Why a scenario needing the token endpoint is skipped when none is known.
pub const NO_TOKEN_ENDPOINT: &str =
    "no token endpoint known (give --issuer or token_path in the profile)";

/// Where a registered client's configuration endpoint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientLocation {
    /// Built from `client_path` with the client id (Ory's `/oauth2/register/{id}`).
    #[default]
    PathTemplate,
    /// Taken verbatim from the `registration_client_uri` of the create response (RFC 7592).
    RegistrationClientUri,
}

/// A target's dialect. Built-ins live in `suites/profiles/*.toml`; users may give their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Base URL of the target; `--target` overrides it.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Path of the registration endpoint, relative to the base URL.
    pub registration_path: String,
    /// Whether the server has a client configuration endpoint (RFC 7592 or Ory's): what a
    /// run registers can then be read, updated and deleted. `false` for a
    /// registration-only server (RFC 7591 alone): the management scenarios are skipped,
    /// the clients a run registers stay on the server and every report names them, and
    /// the four fields below must be left out.
    #[serde(default = "yes")]
    pub client_management: bool,
    /// Path of a client's configuration endpoint; `{client_id}` is replaced by the id.
    /// Used for unknown ids, and for every client when `client_location` is `path_template`.
    #[serde(default)]
    pub client_path: String,
    #[serde(default)]
    pub client_location: ClientLocation,
    /// Accepted management credentials. With `bearer`, the registration access token is
    /// used; otherwise each client uses its own `token_endpoint_auth_method`.
    #[serde(default)]
    pub management_auth: Vec<ManagementAuth>,
    /// The token endpoint (RFC 6749 §3.2): a path on the base URL, or an absolute URL (on
    /// an origin `--allow-origin` names). Optional: with `--issuer` the discovered
    /// `token_endpoint` is used, and without either the token scenarios are skipped.
    #[serde(default)]
    pub token_path: Option<String>,
    /// Status for a configuration request naming a client that does not exist.
    #[serde(default)]
    pub unknown_client_status: u16,
    /// Whether dynamic registration is switched on at the target.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Whether a PUT may set a client-chosen `client_secret` (Ory's documented contract).
    #[serde(default)]
    pub client_chosen_secret: bool,
    /// Whether registration needs an initial access token (RFC 7591 §3): dcrspec then sends
    /// one (`--initial-access-token`, `DCRSPEC_INITIAL_ACCESS_TOKEN` or
    /// `--initial-access-token-command`) on every registration, and checks that a request
    /// without it, or with a wrong one, is refused. Grants `registration:protected`, else
    /// `registration:open`.
    #[serde(default)]
    pub registration_protected: bool,
    /// Extra capability names this profile grants, for suites beyond the built-in ones.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Client metadata members whose value the server decides, not the client: issued
    /// credentials and timestamps, and members only an administrator may set. RFC 7591
    /// §3.2.1 lets a server substitute any value; these are the ones this server does.
    /// `dcrspec fuzz` never generates them and does not compare them on read-back.
    #[serde(default = "default_server_provisioned")]
    pub server_provisioned: Vec<String>,
}

fn yes() -> bool {
    true
}

/// What every server provisions itself (RFC 7591 §3.2.1, RFC 7592 §3), plus the
/// timestamps of Hydra's `oAuth2Client`.
pub fn default_server_provisioned() -> Vec<String> {
    [
        "client_id",
        "client_secret",
        "client_id_issued_at",
        "client_secret_expires_at",
        "registration_access_token",
        "registration_client_uri",
        "created_at",
        "updated_at",
    ]
    .map(String::from)
    .to_vec()
}

/// The capability of a profile whose registration needs an initial access token.
pub const PROTECTED: &str = "registration:protected";

/// Built-in profiles, embedded so the binary works from any directory.
const BUILT_INS: &[(&str, &str)] = &[
    ("ory", include_str!("../suites/profiles/ory.toml")),
    ("rfc7592", include_str!("../suites/profiles/rfc7592.toml")),
    ("hydra", include_str!("../suites/profiles/hydra.toml")),
    ("rfc7591", include_str!("../suites/profiles/rfc7591.toml")),
    ("mcp", include_str!("../suites/profiles/mcp.toml")),
];

/// Why a scenario that needs the client configuration endpoint is skipped under a
/// profile without one.
pub const NO_CLIENT_MANAGEMENT: &str =
    "the profile has no client configuration endpoint (RFC 7592 is optional)";

impl Profile {
    /// Names of the built-in profiles.
    pub fn built_in_names() -> Vec<&'static str> {
        BUILT_INS.iter().map(|(n, _)| *n).collect()
    }

    /// A built-in profile by name, or a TOML file by path.
    pub fn resolve(name_or_file: &str) -> Result<Profile, LoadError> {
        if let Some((name, text)) = BUILT_INS.iter().find(|(n, _)| *n == name_or_file) {
            return Profile::parse(text, &format!("built-in profile '{name}'"));
        }
        let path = Path::new(name_or_file);
        if !path.exists() {
            return Err(LoadError::new(
                name_or_file,
                format!(
                    "no such profile: not a built-in ({}) and no such file",
                    Profile::built_in_names().join(", ")
                ),
            ));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| LoadError::new(path.display().to_string(), e.to_string()))?;
        Profile::parse(&text, &path.display().to_string())
    }

    /// Parse profile TOML; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Profile, LoadError> {
        let profile: Profile = toml::from_str(text).map_err(|e| {
            // toml reports a byte span; turn it into line and column for the user.
            let at = e
                .span()
                .map(|s| {
                    let (line, col) = line_col(text, s.start);
                    format!("line {line}, column {col}: ")
                })
                .unwrap_or_default();
            LoadError::new(origin, format!("{at}{}", e.message()))
        })?;
        profile.validate().map_err(|m| LoadError::new(origin, m))?;
        Ok(profile)
    }

    fn validate(&self) -> Result<(), String> {
        if !self.registration_path.starts_with('/') {
            return Err("registration_path must start with '/'".into());
        }
        if !self.client_management {
            // A field that describes an endpoint the profile says is not there is a
            // mistake in one or the other.
            let set = [
                ("client_path", !self.client_path.is_empty()),
                ("management_auth", !self.management_auth.is_empty()),
                ("unknown_client_status", self.unknown_client_status != 0),
            ];
            if let Some((name, _)) = set.iter().find(|(_, given)| *given) {
                return Err(format!(
                    "{name} describes a client configuration endpoint, and client_management \
                     = false says there is none: leave it out"
                ));
            }
            return Ok(());
        }
        if !self.client_path.contains("{client_id}") {
            return Err("client_path must contain '{client_id}'".into());
        }
        if self.management_auth.is_empty() {
            return Err("management_auth must name at least one method".into());
        }
        if let Some(t) = &self.token_path
            && !t.starts_with('/')
            && crate::origins::origin_of(t).is_none()
        {
            return Err("token_path must start with '/' or be an absolute http(s) URL".into());
        }
        if !(100..=599).contains(&self.unknown_client_status) {
            return Err("unknown_client_status must be an HTTP status code".into());
        }
        Ok(())
    }

    /// The capability names this profile grants; scenarios `require` some of them.
    pub fn capabilities(&self) -> BTreeSet<String> {
        let mut caps = BTreeSet::new();
        caps.insert(if self.enabled { "enabled" } else { "disabled" }.to_string());
        // A public client has no secret to manage itself with: the run can account for one
        // where the registration access token manages clients, or where nothing is
        // deleted anyway.
        if !self.client_management || self.management_auth.contains(&ManagementAuth::Bearer) {
            caps.insert("cleanup:public-client".to_string());
        }
        if !self.client_management {
            caps.insert("registration-only".to_string());
            caps.extend(self.capabilities.iter().cloned());
            return caps;
        }
        caps.insert("client-management".to_string());
        for m in &self.management_auth {
            caps.insert(format!("auth:{}", m.as_str()));
        }
        // Ory documents management with the client's own credentials; with RFC 7592's
        // registration access token, RFC 7592's rules judge management, and Ory's rules
        // that restate them (refusals, deletion, replacement) would fail a second time
        // for the same defect.
        if !self.management_auth.contains(&ManagementAuth::Bearer) {
            caps.insert(CLIENT_CREDENTIALS.to_string());
        }
        caps.insert(format!("unknown-client:{}", self.unknown_client_status));
        caps.insert(match self.client_location {
            ClientLocation::PathTemplate => "client-uri:path".to_string(),
            ClientLocation::RegistrationClientUri => {
                "client-uri:registration_client_uri".to_string()
            }
        });
        if self.client_chosen_secret {
            caps.insert("secret:client-chosen".to_string());
        }
        caps.insert(
            if self.is_protected() {
                PROTECTED
            } else {
                "registration:open"
            }
            .to_string(),
        );
        if self.token_path.is_some() {
            caps.insert(TOKEN_ENDPOINT.to_string());
        }
        caps.extend(self.capabilities.iter().cloned());
        caps
    }

    /// Whether registration needs an initial access token: the profile field, or the
    /// `registration:protected` capability granted on top (as a fault-matrix entry does),
    /// so that `registration:open` is never granted beside it.
    pub fn is_protected(&self) -> bool {
        self.registration_protected || self.capabilities.iter().any(|c| c == PROTECTED)
    }

    /// The token endpoint's URL on `base`, if known: `token_path` as it is when absolute.
    pub fn token_url(&self, base: &str) -> Option<String> {
        let path = self.token_path.as_ref()?;
        Some(if path.starts_with('/') {
            format!("{}{path}", base.trim_end_matches('/'))
        } else {
            path.clone()
        })
    }

    /// The configuration path for a client id, from `client_path`.
    pub fn client_path_for(&self, client_id: &str) -> String {
        let encoded: String = url::form_urlencoded::byte_serialize(client_id.as_bytes()).collect();
        // byte_serialize writes spaces as '+', which a path would read literally.
        self.client_path
            .replace("{client_id}", &encoded.replace('+', "%20"))
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests;
