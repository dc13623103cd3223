//! The `--issuer` target: discovery of the registration endpoint from the issuer's
//! metadata, and what the run takes from it (the registration and token paths, the
//! origins it may send to, where the metadata document is), or why it found none.

use crate::discovery::{self, Discovered, MetadataSource};
use crate::http::{Http, Request};

use super::Checks;

/// What `--issuer` gives [`Session::prepare`](super::Session::prepare): the target, the
/// metadata source, and either the discovered document or why there is none.
pub(super) struct FromIssuer {
    pub base: String,
    pub metadata: MetadataSource,
    pub discovered: Option<Discovered>,
    /// No registration endpoint to check: every scenario but the metadata-only ones errors.
    pub fatal: Option<String>,
    /// Registration is off and the metadata rightly names no endpoint (DCR-OFF-a).
    pub off_without_endpoint: bool,
}

/// Discover the registration endpoint from `issuer`'s metadata: adjusts the profile's
/// paths (unless `keep_registration_path`) and the allowed origins; `sent` counts the
/// requests.
pub(super) fn resolve(
    runtime: &tokio::runtime::Runtime,
    http: &Http,
    checks: &mut Checks,
    allow: &mut Vec<String>,
    sent: &mut usize,
    issuer: String,
    keep_registration_path: bool,
) -> FromIssuer {
    // As given, but for the '/' of a path-less URL, which parsing `--issuer`
    // adds: "identical" (RFC 8414 §3.3) is a string comparison.
    let named = issuer.clone();
    let issuers = discovery::identical_issuers(&issuer);
    // The issuer's own origin serves the metadata; the registration
    // endpoint's is the target.
    if let Some(o) = crate::origins::origin_of(&issuer) {
        allow.push(o.clone());
    }
    let origin = crate::origins::origin_of(&issuer).unwrap_or(issuer.clone());
    match runtime.block_on(discover(http, &issuer, sent)) {
        Ok(found) => {
            let (base, path) = found.base_and_path();
            if !keep_registration_path {
                checks.profile.registration_path = path;
            }
            // The advertised token endpoint is the one the issued credentials
            // are for; its origin is the server's own, like the registration
            // endpoint's.
            if let Some(token) = &found.token_endpoint {
                checks.profile.token_path = Some(token.clone());
                allow.extend(crate::origins::origin_of(token));
            }
            let mut metadata = MetadataSource::known(found.from.clone(), &named);
            metadata.issuers = issuers;
            FromIssuer {
                base,
                metadata,
                discovered: Some(found),
                fatal: None,
                off_without_endpoint: false,
            }
        }
        Err(NotFound { reason, document }) => {
            let url = document.clone().unwrap_or_else(|| {
                let first = url::Url::parse(&issuer)
                    .map(|u| discovery::metadata_urls(&u))
                    .unwrap_or_default();
                first.into_iter().next().unwrap_or_default()
            });
            let mut metadata = MetadataSource::known(url, &named);
            metadata.issuers = issuers;
            let (mut fatal, mut off_without_endpoint) = (None, false);
            if checks.profile.enabled || document.is_none() {
                // No registration endpoint to check: what reads only the
                // metadata still runs, the rest errors with the reason.
                fatal = Some(reason);
                metadata.registration_unknown = true;
            } else {
                // Registration is off and the metadata rightly names no
                // endpoint (DCR-OFF-a): the profile's paths at the issuer's
                // origin are where the feature-off checks knock.
                off_without_endpoint = true;
            }
            FromIssuer {
                base: origin,
                metadata,
                discovered: None,
                fatal,
                off_without_endpoint,
            }
        }
    }
}

/// Why discovery found no registration endpoint: one line naming every URL tried and
/// what each answered, and the first URL that did answer a JSON object, if any.
struct NotFound {
    reason: String,
    document: Option<String>,
}

/// Fetch the issuer's metadata: the first metadata URL that answers 200 with a document
/// naming a registration endpoint. `Err` names every URL tried and what each answered.
/// `sent` counts the requests.
async fn discover(http: &Http, issuer: &str, sent: &mut usize) -> Result<Discovered, NotFound> {
    let url = url::Url::parse(issuer).map_err(|e| NotFound {
        reason: format!("--issuer {issuer}: {e}"),
        document: None,
    })?;
    let mut tried = Vec::new();
    let mut document = None;
    for from in discovery::metadata_urls(&url) {
        let req = Request {
            method: "GET".into(),
            url: from.clone(),
            headers: vec![("accept".into(), "application/json".into())],
            body: None,
        };
        *sent += 1;
        match http.send(&req).await {
            Ok(r) if r.status == 200 => match discovery::parse(&from, &r.body) {
                Ok(found) => return Ok(found),
                Err(e) => {
                    if document.is_none()
                        && matches!(
                            serde_json::from_slice::<serde_json::Value>(&r.body),
                            Ok(serde_json::Value::Object(_))
                        )
                    {
                        document = Some(from.clone());
                    }
                    tried.push(e)
                }
            },
            Ok(r) => tried.push(format!("{from}: status {}", r.status)),
            Err(e) => tried.push(format!("{from}: {e}")),
        }
    }
    Err(NotFound {
        reason: format!(
            "no usable metadata for issuer {issuer}: {}",
            tried.join("; ")
        ),
        document,
    })
}
