//! Finding a server by its issuer: the metadata URLs to try (OpenID Connect Discovery's
//! `/.well-known/openid-configuration` appended to the issuer, RFC 8414's
//! `/.well-known/oauth-authorization-server` inserted before the issuer's path, and
//! appended, as some servers serve it), and what a metadata document gives dcrspec: the
//! registration and token endpoints. Pure: fetching is the session's (`Session::prepare`).

use serde_json::Value;
use url::Url;

/// Where a run reads the target's metadata document, for the scenarios whose steps name
/// `"endpoint": "metadata"` (suites/discovery/), and the issuer it must name.
#[derive(Debug, Clone, Default)]
pub struct MetadataSource {
    /// The URLs to try, in order: the first that answers 200 with a JSON object is the
    /// document. One URL (`--issuer`, the embedded server) is used as it is.
    pub candidates: Vec<String>,
    /// The issuer the document is fetched for (RFC 8414 §3.3): `--issuer`, else the
    /// target's base URL.
    pub issuer: String,
    /// The `issuer` values identical to the one the document was fetched for: `--issuer`
    /// exactly; for `--target` without a path both `https://as.example` and
    /// `https://as.example/`, since the base URL does not say which the server's is (both
    /// give the same metadata URL, RFC 8414 §3.1).
    pub issuers: Vec<String>,
    /// Whether the server is known to publish metadata (`--issuer`, the embedded server, a
    /// profile granting `metadata`): then a missing document fails the checks; otherwise
    /// the metadata scenarios are skipped, with the reason.
    pub required: bool,
    /// `--issuer` found no registration endpoint: only the scenarios that read nothing but
    /// the metadata run; the others error with the run's reason.
    pub registration_unknown: bool,
}

impl MetadataSource {
    /// For `--target URL`: the target's well-known documents, required only if the
    /// profile says the server publishes them.
    pub fn at_target(base: &str, required: bool) -> MetadataSource {
        let base = base.trim_end_matches('/');
        MetadataSource {
            issuers: identical_issuers(base),
            candidates: vec![
                format!("{base}/.well-known/openid-configuration"),
                format!("{base}/.well-known/oauth-authorization-server"),
            ],
            issuer: base.to_string(),
            required,
            registration_unknown: false,
        }
    }

    /// One known document of a known issuer.
    pub fn known(url: String, issuer: &str) -> MetadataSource {
        MetadataSource {
            issuers: vec![issuer.to_string()],
            candidates: vec![url],
            issuer: issuer.to_string(),
            required: true,
            registration_unknown: false,
        }
    }
}

/// The issuer values identical to `issuer` as far as dcrspec knows it: for a URL without a
/// path both `https://as.example` and `https://as.example/` (a parsed URL, as `--issuer` is,
/// and a base URL do not keep which was meant; both give the same metadata URL, RFC 8414
/// §3.1); otherwise `issuer` alone.
pub fn identical_issuers(issuer: &str) -> Vec<String> {
    match Url::parse(issuer) {
        Ok(u) if u.path() == "/" => {
            let bare = issuer.trim_end_matches('/');
            vec![bare.to_string(), format!("{bare}/")]
        }
        _ => vec![issuer.to_string()],
    }
}

/// Whether `url`'s host is a loopback address or `localhost`: where a local test server
/// speaks plain http (RFC7591-3-a is judged on other hosts only).
pub fn is_loopback(url: &str) -> bool {
    match Url::parse(url)
        .ok()
        .and_then(|u| u.host().map(|h| h.to_owned()))
    {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// What a discovery document told dcrspec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// The metadata URL that answered.
    pub from: String,
    /// The registration endpoint, absolute.
    pub registration_endpoint: String,
    /// The token endpoint, when advertised.
    pub token_endpoint: Option<String>,
}

impl Discovered {
    /// The base URL (the registration endpoint's origin) and the registration path on it,
    /// as a profile names them.
    pub fn base_and_path(&self) -> (String, String) {
        let url = Url::parse(&self.registration_endpoint).expect("checked when parsed");
        let base = url.origin().ascii_serialization();
        let mut path = url.path().to_string();
        if let Some(q) = url.query() {
            path.push('?');
            path.push_str(q);
        }
        (base, path)
    }
}

/// Check an `--issuer` value: an absolute http(s) URL without query or fragment
/// (RFC 8414 §2).
pub fn check_issuer(issuer: &str) -> Result<Url, String> {
    let url = Url::parse(issuer).map_err(|e| format!("--issuer {issuer}: not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "--issuer {issuer}: must be an http(s) URL with a host"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "--issuer {issuer}: an issuer has no query or fragment (RFC 8414 §2)"
        ));
    }
    Ok(url)
}

/// The metadata URLs to try for `issuer`, in order, without repeats.
pub fn metadata_urls(issuer: &Url) -> Vec<String> {
    let origin = issuer.origin().ascii_serialization();
    let path = issuer.path().trim_end_matches('/');
    let mut urls = vec![
        format!("{origin}{path}/.well-known/openid-configuration"),
        format!("{origin}/.well-known/oauth-authorization-server{path}"),
        format!("{origin}{path}/.well-known/oauth-authorization-server"),
    ];
    urls.dedup();
    urls
}

/// Read one metadata document: a JSON object with an absolute http(s)
/// `registration_endpoint`. `Err` says what is wrong with it, in one line.
pub fn parse(from: &str, body: &[u8]) -> Result<Discovered, String> {
    let doc: Value = serde_json::from_slice(body).map_err(|e| format!("{from}: not JSON ({e})"))?;
    let Some(doc) = doc.as_object() else {
        return Err(format!("{from}: not a JSON object"));
    };
    let endpoint = |name: &str| -> Result<Option<String>, String> {
        match doc.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => match Url::parse(s) {
                Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(Some(s.clone())),
                _ => Err(format!(
                    "{from}: {name} is not an absolute http(s) URL: {s:?}"
                )),
            },
            Some(other) => Err(format!("{from}: {name} is not a string: {other}")),
        }
    };
    let Some(registration_endpoint) = endpoint("registration_endpoint")? else {
        return Err(format!(
            "{from}: no registration_endpoint: the server does not advertise dynamic client \
             registration (give --target and --registration-path if it has it anyway)"
        ));
    };
    Ok(Discovered {
        from: from.to_string(),
        registration_endpoint,
        token_endpoint: endpoint("token_endpoint")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_less_issuer_is_identical_with_or_without_its_slash() {
        assert_eq!(
            identical_issuers("https://as.example/"),
            ["https://as.example", "https://as.example/"]
        );
        assert_eq!(
            identical_issuers("https://as.example"),
            ["https://as.example", "https://as.example/"]
        );
        assert_eq!(
            identical_issuers("https://as.example/t"),
            ["https://as.example/t"]
        );
        assert_eq!(
            identical_issuers("https://as.example/t/"),
            ["https://as.example/t/"]
        );
    }

    #[test]
    fn loopback_hosts_are_told_from_others() {
        for url in [
            "http://127.0.0.1:4444/reg",
            "http://127.9.0.1/",
            "http://[::1]:80/",
            "http://LOCALHOST:3000",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in ["http://as.example/reg", "https://10.0.0.1/", "not a url"] {
            assert!(!is_loopback(url), "{url}");
        }
    }

    #[test]
    fn metadata_urls_append_and_insert_the_well_known_path() {
        let root = check_issuer("https://as.example").unwrap();
        assert_eq!(
            metadata_urls(&root),
            [
                "https://as.example/.well-known/openid-configuration",
                "https://as.example/.well-known/oauth-authorization-server",
            ]
        );
        let tenant = check_issuer("http://127.0.0.1:8080/realms/dcr/").unwrap();
        assert_eq!(
            metadata_urls(&tenant),
            [
                "http://127.0.0.1:8080/realms/dcr/.well-known/openid-configuration",
                "http://127.0.0.1:8080/.well-known/oauth-authorization-server/realms/dcr",
                "http://127.0.0.1:8080/realms/dcr/.well-known/oauth-authorization-server",
            ]
        );
    }

    #[test]
    fn issuers_are_absolute_http_urls_without_query_or_fragment() {
        assert!(check_issuer("https://as.example/t").is_ok());
        for bad in [
            "as.example",
            "ftp://as.example",
            "https://as.example/?a=1",
            "https://as.example/#x",
        ] {
            let e = check_issuer(bad).unwrap_err();
            assert!(e.starts_with("--issuer "), "{e}");
            assert_eq!(e.lines().count(), 1);
        }
    }

    #[test]
    fn a_document_gives_the_endpoints_or_says_what_is_wrong() {
        let d = parse(
            "u",
            br#"{"issuer":"https://as.example","registration_endpoint":"https://as.example/reg?x=1","token_endpoint":"https://as.example/token"}"#,
        )
        .unwrap();
        assert_eq!(
            d.base_and_path(),
            ("https://as.example".into(), "/reg?x=1".into())
        );
        assert_eq!(
            d.token_endpoint.as_deref(),
            Some("https://as.example/token")
        );
        let cases: [(&[u8], &str); 5] = [
            (b"<html>", "not JSON"),
            (b"[1]", "not a JSON object"),
            (br#"{"issuer":"x"}"#, "no registration_endpoint"),
            (
                br#"{"registration_endpoint":"/reg"}"#,
                "not an absolute http(s) URL",
            ),
            (br#"{"registration_endpoint":5}"#, "not a string"),
        ];
        for (body, says) in cases {
            let e = parse("https://as.example/.well-known/x", body).unwrap_err();
            assert!(e.contains(says), "{e}");
            assert_eq!(e.lines().count(), 1, "{e}");
        }
    }
}
