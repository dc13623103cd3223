//! Where dcrspec may send requests, and so credentials: the origins (scheme, host, port)
//! of the target, of the endpoints a later discovery step finds, and of `--allow-origin`.
//! A server under test is untrusted; an answer naming a URL on another origin (a
//! `registration_client_uri` at another host) must not make dcrspec hand that host a
//! registration access token or a client secret. `Http` refuses any other origin, and
//! records which origins received a credential for the reports.

use std::collections::BTreeSet;

use crate::http::Request;

/// The origins a run may talk to. The target's is always one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedOrigins {
    target: String,
    /// Every allowed origin, the target's included, ASCII-serialised (`http://h:port`,
    /// the default port left out) so that equal origins compare equal as text.
    all: BTreeSet<String>,
}

impl AllowedOrigins {
    /// The origin of `target` (a base URL) alone.
    pub fn for_target(target: &str) -> Result<AllowedOrigins, String> {
        let origin = origin_of(target).ok_or_else(|| format!("{target}: not an http(s) URL"))?;
        Ok(AllowedOrigins {
            target: origin.clone(),
            all: BTreeSet::from([origin]),
        })
    }

    /// Allow one more origin: `--allow-origin`, or an endpoint issuer discovery found.
    /// It must be an http(s) origin alone; a path would suggest a finer limit than the
    /// one applied, so it is refused.
    pub fn allow(&mut self, origin: &str) -> Result<(), String> {
        let url = url::Url::parse(origin).map_err(|e| format!("{origin}: not a URL: {e}"))?;
        let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
        let credentials = !url.username().is_empty() || url.password().is_some();
        if !bare || credentials || !origin.contains("://") {
            return Err(format!(
                "{origin}: an origin is scheme, host and port only (such as http://127.0.0.1:4445)"
            ));
        }
        let Some(o) = origin_of(origin) else {
            return Err(format!("{origin}: the scheme must be http or https"));
        };
        self.all.insert(o);
        Ok(())
    }

    /// The target's origin.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Whether a request to `url` may be sent.
    pub fn allows(&self, url: &str) -> bool {
        origin_of(url).is_some_and(|o| self.all.contains(&o))
    }

    /// Every allowed origin, the target's included, sorted.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.all.iter().map(String::as_str)
    }
}

/// The ASCII serialisation of an http(s) URL's origin, `None` for anything else.
pub fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    Some(url.origin().ascii_serialization())
}

/// Whether a request carries a credential: an `Authorization` header, a `client_secret`
/// query parameter, or a client secret or registration access token in a JSON body.
pub fn carries_credential(req: &Request) -> bool {
    if req
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("authorization"))
    {
        return true;
    }
    let in_query =
        url::Url::parse(&req.url).is_ok_and(|u| u.query_pairs().any(|(k, _)| k == "client_secret"));
    let in_body = req
        .body
        .as_deref()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .is_some_and(|j| {
            ["client_secret", "registration_access_token"]
                .iter()
                .any(|k| {
                    j.get(k)
                        .is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()))
                })
        });
    in_query || in_body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_targets_origin_until_more_are_allowed() {
        let mut o = AllowedOrigins::for_target("http://127.0.0.1:4444/base").unwrap();
        assert_eq!(o.target(), "http://127.0.0.1:4444");
        assert!(o.allows("http://127.0.0.1:4444/oauth2/register/x?client_secret=s"));
        // Another port, scheme or host is another origin, however close.
        for other in [
            "http://127.0.0.1:4445/oauth2/register/x",
            "https://127.0.0.1:4444/x",
            "http://localhost:4444/x",
            "http://127.0.0.1.evil.example:4444/x",
            "not a url",
            "ftp://127.0.0.1:4444/x",
        ] {
            assert!(!o.allows(other), "{other}");
        }
        o.allow("http://127.0.0.1:4445").unwrap();
        assert!(o.allows("http://127.0.0.1:4445/steal/x"));
        assert_eq!(
            o.all().collect::<Vec<_>>(),
            ["http://127.0.0.1:4444", "http://127.0.0.1:4445"]
        );
        // The default port is the same origin written either way.
        let mut o = AllowedOrigins::for_target("https://auth.example").unwrap();
        assert!(o.allows("https://auth.example:443/reg"));
        o.allow("HTTPS://Other.Example:443/").unwrap();
        assert!(o.allows("https://other.example/x"));
    }

    #[test]
    fn an_allowed_origin_is_an_origin_alone() {
        let mut o = AllowedOrigins::for_target("http://127.0.0.1:1").unwrap();
        for bad in [
            "http://127.0.0.1:2/steal",
            "http://127.0.0.1:2?x=1",
            "http://user:pw@127.0.0.1:2",
            "127.0.0.1:2",
            "ftp://127.0.0.1:2",
            "",
        ] {
            assert!(o.allow(bad).is_err(), "{bad}");
        }
        assert_eq!(o.all().count(), 1);
        assert!(AllowedOrigins::for_target("mailto:x@y").is_err());
    }

    #[test]
    fn credentials_are_seen_in_headers_queries_and_bodies() {
        let req = |url: &str, headers: &[(&str, &str)], body: Option<&str>| Request {
            method: "GET".into(),
            url: url.into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.map(|b| b.as_bytes().to_vec()),
        };
        assert!(!carries_credential(&req("http://h/x?a=1", &[], None)));
        assert!(carries_credential(&req(
            "http://h/x",
            &[("Authorization", "Bearer t")],
            None
        )));
        assert!(carries_credential(&req(
            "http://h/x?client_secret=s",
            &[],
            None
        )));
        assert!(carries_credential(&req(
            "http://h/x",
            &[],
            Some(r#"{"client_secret":"s"}"#)
        )));
        assert!(!carries_credential(&req(
            "http://h/x",
            &[],
            Some(r#"{"client_name":"n","client_secret":""}"#)
        )));
    }
}
