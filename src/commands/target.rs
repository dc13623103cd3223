//! Reaching the target, shared by `run` and `fuzz`: the `--target` URL check, the HTTP
//! client from `--timeout`, `--max-body`, `--cacert` and `--insecure`, and the
//! `--allow-origin` values (the session limits the client to them and the target's
//! origin).

use std::time::Duration;

use crate::cli::TransportArgs;
use crate::http::{Http, HttpOptions};
use crate::origins::AllowedOrigins;

/// `--target` must be an absolute http(s) URL with a host.
pub(crate) fn check_target(target: &str) -> Result<(), String> {
    let url = url::Url::parse(target).map_err(|e| format!("--target {target}: not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "--target {target}: the scheme must be http or https, not {}",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("--target {target}: the URL has no host"));
    }
    Ok(())
}

/// `--timeout`, `--max-body`, `--cacert` and `--insecure` as an HTTP client (shared by
/// `run` and `fuzz`).
pub(crate) fn http_with(transport: &TransportArgs) -> Result<Http, String> {
    let TransportArgs {
        timeout,
        max_body,
        cacert,
        insecure,
        allow_origin: _,
    } = transport;
    let (timeout, max_body, insecure, cacert) = (*timeout, *max_body, *insecure, cacert.as_deref());
    let extra_roots_pem = match cacert {
        Some(path) => Some(
            std::fs::read(path)
                .map_err(|e| format!("{}: cannot read the --cacert file: {e}", path.display()))?,
        ),
        None => None,
    };
    if insecure {
        eprintln!(
            "warning: --insecure: TLS certificates are NOT verified; anyone on the path to the \
             target can read and change the traffic, client secrets included"
        );
    }
    let options = HttpOptions {
        timeout: Duration::from_secs(timeout.max(1)),
        body_limit: usize::try_from(max_body).unwrap_or(usize::MAX),
        extra_roots_pem,
        insecure,
    };
    Http::new(options).map_err(|e| match cacert {
        Some(path) => format!("{}: not a usable --cacert file: {e}", path.display()),
        None => format!("cannot set up the HTTP client: {e}"),
    })
}

/// The origins a run may send to: the target's and every `--allow-origin`.
pub(crate) fn origins(base_url: &str, allowed: &[String]) -> Result<AllowedOrigins, String> {
    let mut origins = AllowedOrigins::for_target(base_url)?;
    for o in allowed {
        origins
            .allow(o)
            .map_err(|e| format!("--allow-origin {e}"))?;
    }
    Ok(origins)
}
