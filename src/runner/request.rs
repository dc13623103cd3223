//! Turning a step's request spec into a concrete HTTP request: the target URL from the
//! profile, templates filled, credentials in the form the profile (or the step) asks.

use base64::Engine;

use crate::http::Request;
use crate::profile::{ClientLocation, ManagementAuth, Profile};
use crate::schema::Operation;
use crate::suite::{AuthSpec, Endpoint, Method, RequestSpec};
use crate::template::{self, Vars};

use super::clients::Client;

/// A request and the DCR operation it performs, if it is one.
pub struct Built {
    pub request: Request,
    pub operation: Option<Operation>,
    /// The JSON body as sent, for following client state.
    pub json: Option<serde_json::Value>,
}

/// Build the request of a step. `Err` means the scenario cannot go on (a missing
/// credential, a client with no configuration URI): an error, not a failure.
pub fn build(
    spec: &RequestSpec,
    base: &str,
    profile: &Profile,
    clients: &[Client],
    vars: &Vars,
) -> Result<Built, String> {
    let find = |name: &str| {
        clients
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| format!("client '{name}' was never registered"))
    };
    let base = base.trim_end_matches('/');
    let token = spec.endpoint == Some(Endpoint::Token);
    let mut url = match (&spec.client, &spec.client_id) {
        _ if token => profile
            .token_url(base)
            .ok_or_else(|| crate::profile::NO_TOKEN_ENDPOINT.to_string())?,
        (Some(name), _) => {
            let c = find(name)?;
            let url = match profile.client_location {
                ClientLocation::PathTemplate => {
                    format!("{base}{}", profile.client_path_for(&c.client_id))
                }
                ClientLocation::RegistrationClientUri => c
                    .registration_client_uri
                    .clone()
                    .ok_or_else(|| format!("client '{name}' has no registration_client_uri"))?,
            };
            match &spec.as_id {
                Some(id) => swap_id(&url, &c.client_id, &template::fill(id, vars)?)?,
                None => url,
            }
        }
        (None, Some(id)) => format!(
            "{base}{}",
            profile.client_path_for(&template::fill(id, vars)?)
        ),
        (None, None) => format!("{base}{}", profile.registration_path),
    };
    let mut query: Vec<(String, String)> = Vec::new();
    for (k, v) in &spec.query {
        query.push((k.clone(), template::fill(v, vars)?));
    }
    let mut form: Vec<(String, String)> = Vec::new();
    for (k, v) in &spec.form {
        form.push((k.clone(), template::fill(v, vars)?));
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    if let Some(AuthSpec::Credentials(cred)) = &spec.auth {
        let client = cred.client.as_deref().map(find).transpose()?;
        let named = || client.expect("checked at load: method or client");
        let method = match cred.method {
            Some(m) => m,
            None if token => token_method(named())?,
            None => management_method(profile, named())?,
        };
        let pick = |given: &Option<String>,
                    known: Option<&String>,
                    what: &str|
         -> Result<String, String> {
            match given {
                Some(t) => template::fill(t, vars),
                None => known
                    .cloned()
                    .ok_or_else(|| format!("no {what} known for this request")),
            }
        };
        match method {
            ManagementAuth::ClientSecretBasic => {
                let id = pick(&cred.id, client.map(|c| &c.client_id), "client id")?;
                let secret = pick(
                    &cred.secret,
                    client.and_then(|c| c.client_secret.as_ref()),
                    "client secret",
                )?;
                headers.push(("authorization".into(), basic(&id, &secret)));
            }
            ManagementAuth::ClientSecretPost => {
                let secret = pick(
                    &cred.secret,
                    client.and_then(|c| c.client_secret.as_ref()),
                    "client secret",
                )?;
                if token {
                    // RFC 6749 §2.3.1: both in the request body, never in the URI.
                    let id = pick(&cred.id, client.map(|c| &c.client_id), "client id")?;
                    form.push(("client_id".into(), id));
                    form.push(("client_secret".into(), secret));
                } else {
                    query.push(("client_secret".into(), secret));
                }
            }
            ManagementAuth::Bearer => {
                let token = pick(
                    &cred.token,
                    client.and_then(|c| c.registration_access_token.as_ref()),
                    "registration access token",
                )?;
                headers.push(("authorization".into(), format!("Bearer {token}")));
            }
        }
    }
    if !query.is_empty() {
        let mut parsed = url::Url::parse(&url).map_err(|e| format!("bad URL {url}: {e}"))?;
        parsed.query_pairs_mut().extend_pairs(&query);
        url = parsed.to_string();
    }
    let (body, json) = match (&spec.json, &spec.body) {
        (Some(j), _) => {
            let filled = template::fill_value(j, vars)?;
            let ct = spec
                .content_type
                .clone()
                .unwrap_or_else(|| "application/json".into());
            headers.push(("content-type".into(), ct));
            (
                Some(serde_json::to_vec(&filled).expect("a JSON value serialises")),
                Some(filled),
            )
        }
        (None, Some(raw)) => {
            if let Some(ct) = &spec.content_type {
                headers.push(("content-type".into(), ct.clone()));
            }
            (Some(template::fill(raw, vars)?.into_bytes()), None)
        }
        (None, None) if !form.is_empty() => {
            headers.push((
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
            let encoded = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&form)
                .finish();
            (Some(encoded.into_bytes()), None)
        }
        (None, None) => (None, None),
    };
    for (k, v) in &spec.headers {
        let k = k.to_ascii_lowercase();
        headers.retain(|(name, _)| *name != k);
        headers.push((k, template::fill(v, vars)?));
    }
    let targets_client = spec.client.is_some() || spec.client_id.is_some();
    let operation = match (spec.method, targets_client) {
        _ if token => None,
        (Method::POST, false) => Some(Operation::Create),
        (Method::GET, true) => Some(Operation::Read),
        (Method::PUT, true) => Some(Operation::Update),
        (Method::DELETE, true) => Some(Operation::Delete),
        _ => None,
    };
    Ok(Built {
        request: Request {
            method: spec.method.as_str().into(),
            url,
            headers,
            body,
        },
        operation,
        json,
    })
}

/// `url` with the (last) occurrence of `old_id`, raw or percent-encoded, replaced by
/// `new_id` percent-encoded for a path.
fn swap_id(url: &str, old_id: &str, new_id: &str) -> Result<String, String> {
    let enc = |s: &str| {
        url::form_urlencoded::byte_serialize(s.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    for form in [old_id.to_string(), enc(old_id)] {
        if let Some(at) = url.rfind(&form) {
            return Ok(format!(
                "{}{}{}",
                &url[..at],
                enc(new_id),
                &url[at + form.len()..]
            ));
        }
    }
    Err(format!(
        "the configuration URL {url} does not contain the client id, so it cannot name another"
    ))
}

/// How the profile manages this client: Bearer when the profile uses registration
/// access tokens, else the client's own token endpoint auth method.
pub fn management_method(profile: &Profile, client: &Client) -> Result<ManagementAuth, String> {
    if profile.management_auth.contains(&ManagementAuth::Bearer) {
        return Ok(ManagementAuth::Bearer);
    }
    let own = client.method.as_deref().unwrap_or("client_secret_basic");
    match ManagementAuth::from_token_endpoint_auth_method(own) {
        Some(m) if profile.management_auth.contains(&m) => Ok(m),
        _ => Err(format!(
            "profile '{}' cannot manage client '{}': its method {own} is not among management_auth",
            profile.name, client.name
        )),
    }
}

/// How a client authenticates at the token endpoint: its own registered
/// `token_endpoint_auth_method` (RFC 7591 §2), `client_secret_basic` when it has none.
fn token_method(client: &Client) -> Result<ManagementAuth, String> {
    let own = client.method.as_deref().unwrap_or("client_secret_basic");
    ManagementAuth::from_token_endpoint_auth_method(own).ok_or_else(|| {
        format!(
            "client '{}' uses {own} at the token endpoint, which dcrspec cannot send",
            client.name
        )
    })
}

/// HTTP Basic credentials as RFC 6749 §2.3.1 wants them: id and secret each
/// form-urlencoded, then joined with ':' and base64-encoded.
pub fn basic(id: &str, secret: &str) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let raw = format!("{}:{}", enc(id), enc(secret));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_form_urlencodes_before_base64() {
        let header = basic("id 1", "a b%c+d:e/ü");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(&header[6..])
            .unwrap();
        assert_eq!(
            String::from_utf8(decoded).unwrap(),
            "id+1:a+b%25c%2Bd%3Ae%2F%C3%BC"
        );
    }

    fn token_spec(auth: serde_json::Value) -> RequestSpec {
        serde_json::from_value(serde_json::json!({
            "method": "POST", "endpoint": "token",
            "form": {"grant_type": "client_credentials"}, "auth": auth,
        }))
        .unwrap()
    }

    fn client(method: &str) -> Client {
        let body = serde_json::json!({"client_id": "id:1", "client_secret": "s+/=%",
                                      "token_endpoint_auth_method": method});
        Client::from_registration("c", &body, None).unwrap()
    }

    #[test]
    fn token_requests_authenticate_as_rfc_6749_says() {
        let mut profile = Profile::resolve("rfc7592").unwrap();
        let vars = Vars::new();
        let header = |b: &Built, name: &str| {
            b.request
                .headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        // No token endpoint known: the reason the scenarios are skipped for.
        let spec = token_spec(serde_json::json!({"client": "c"}));
        let err = build(
            &spec,
            "http://h",
            &profile,
            &[client("client_secret_basic")],
            &vars,
        )
        .err()
        .unwrap();
        assert_eq!(err, crate::profile::NO_TOKEN_ENDPOINT);
        profile.token_path = Some("/oauth2/token".into());
        // The client's own method: Basic, id and secret form-urlencoded.
        let b = build(
            &spec,
            "http://h/",
            &profile,
            &[client("client_secret_basic")],
            &vars,
        )
        .unwrap();
        assert_eq!(b.request.url, "http://h/oauth2/token");
        assert_eq!(header(&b, "authorization"), Some(basic("id:1", "s+/=%")));
        assert_eq!(
            b.request.body.as_deref(),
            Some(&b"grant_type=client_credentials"[..])
        );
        assert_eq!(
            header(&b, "content-type").as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        assert!(b.operation.is_none(), "a token request is no DCR operation");
        // client_secret_post: both in the body, nothing in the URL or header.
        let b = build(
            &spec,
            "http://h",
            &profile,
            &[client("client_secret_post")],
            &vars,
        )
        .unwrap();
        assert_eq!(b.request.url, "http://h/oauth2/token");
        assert_eq!(header(&b, "authorization"), None);
        assert_eq!(
            String::from_utf8(b.request.body.unwrap()).unwrap(),
            "grant_type=client_credentials&client_id=id%3A1&client_secret=s%2B%2F%3D%25"
        );
        // A wrong secret in place of the issued one; an absolute token endpoint as given.
        profile.token_path = Some("https://as.example/token".into());
        let spec = token_spec(serde_json::json!({"client": "c", "secret": "bad"}));
        let b = build(
            &spec,
            "http://h",
            &profile,
            &[client("client_secret_basic")],
            &vars,
        )
        .unwrap();
        assert_eq!(b.request.url, "https://as.example/token");
        assert_eq!(header(&b, "authorization"), Some(basic("id:1", "bad")));
    }
}
