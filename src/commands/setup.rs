//! What `run` and `fuzz` share before their first request: the one tokio runtime, the
//! faults for the embedded server, and the target — the user's URL, or the embedded
//! reference server on a free loopback port.

use crate::error::LoadError;
use crate::profile::Profile;
use crate::server::{self, Faults, Flavor, RunningServer, ServerConfig};

/// The run's one multi-thread runtime (see rust-stack-notes: never nest `block_on`).
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

/// The `--fault` names, which only make sense for the embedded server.
pub fn faults(target: Option<&str>, names: &[String]) -> Result<Faults, String> {
    if !names.is_empty() && target.is_some() {
        return Err(
            "--fault plants bugs in the embedded server; it cannot be combined with --target"
                .into(),
        );
    }
    Faults::from_names(&names.iter().map(String::as_str).collect::<Vec<_>>())
        .map_err(|e| format!("--fault: {e}"))
}

/// The base URL to check and, when dcrspec started it, the embedded server behind it.
pub fn target(
    runtime: &tokio::runtime::Runtime,
    target: Option<&str>,
    profile: &Profile,
    enabled: bool,
    faults: Faults,
) -> Result<(String, Option<RunningServer>), String> {
    if let Some(t) = target {
        return Ok((t.trim_end_matches('/').to_string(), None));
    }
    let flavor = flavor_for(profile).map_err(|e| e.to_string())?;
    let config = ServerConfig {
        flavor,
        enabled,
        faults,
    };
    let server = runtime
        .block_on(server::start(config, 0))
        .map_err(|e| format!("cannot start the embedded reference server: {e}"))?;
    Ok((server.base_url(), Some(server)))
}

/// The reference server flavour that implements a profile, for runs without --target.
pub(crate) fn flavor_for(profile: &Profile) -> Result<Flavor, LoadError> {
    match profile.name.as_str() {
        "ory" => Ok(Flavor::Ory),
        "rfc7592" => Ok(Flavor::Rfc7592),
        other => Err(LoadError::new(
            "--profile",
            format!(
                "the embedded server implements ory and rfc7592 only; give --target for profile '{other}'"
            ),
        )),
    }
}

/// Everything a run needs before its first request to the target.
pub struct Prepared {
    pub runtime: tokio::runtime::Runtime,
    pub http: crate::http::Http,
    pub base_url: String,
    /// The embedded server, when dcrspec started one; shut it down at the end.
    pub embedded: Option<RunningServer>,
    /// When the run started, for the reports.
    pub started: (std::time::Instant, u64),
}

/// The shared start of `run` and `fuzz`: check `--fault` and `--target`, build the HTTP
/// client from the transport flags, start the runtime, and pick or start the target.
/// `Err` is the one-line reason to print before exiting 2.
pub fn prepare(
    target: Option<&str>,
    fault_names: &[String],
    transport: &crate::cli::TransportArgs,
    profile: &Profile,
    enabled: bool,
) -> Result<Prepared, String> {
    let faults = faults(target, fault_names)?;
    if let Some(t) = target {
        super::target::check_target(t)?;
    }
    // Checked before anything starts; applied once the base URL is known.
    super::target::origins("http://127.0.0.1", &transport.allow_origin)?;
    let http = super::target::http_with(transport)?;
    let runtime = runtime()?;
    let started = crate::session::start_clock();
    let (base_url, embedded) = self::target(&runtime, target, profile, enabled, faults)?;
    // From here on nothing is sent to another origin than these.
    let http = http.limited_to(super::target::origins(&base_url, &transport.allow_origin)?);
    Ok(Prepared {
        runtime,
        http,
        base_url,
        embedded,
        started,
    })
}

/// Arm the run's stops and knock on the target: the deadline (its notice says what
/// `finishing` means for this command), Ctrl-C and SIGTERM, then one preflight request.
/// `Ok` carries the fatal reason when the target could not be reached; `Err` means the
/// signals could not be watched.
pub fn arm(
    runtime: &tokio::runtime::Runtime,
    ctx: &std::sync::Arc<crate::runner::RunContext>,
    deadline: std::time::Duration,
    finishing: String,
) -> Result<Option<String>, String> {
    {
        let ctx = ctx.clone();
        runtime.spawn(async move {
            tokio::time::sleep(deadline).await;
            if ctx
                .stop
                .trigger(crate::runner::stop::StopReason::Deadline(deadline))
            {
                eprintln!(
                    "deadline exceeded ({} s): stopping; {finishing}, then the {} clients created \
                     so far are deleted and the reports written",
                    deadline.as_secs(),
                    ctx.registry.len()
                );
            }
        });
    }
    super::signals::watch_signals(runtime, ctx.clone())
        .map_err(|e| format!("cannot watch for Ctrl-C: {e}"))?;
    Ok(runtime.block_on(async {
        tokio::select! {
            f = super::target::preflight(ctx) => f,
            r = ctx.stop.stopped() => Some(format!("{r} before the target answered")),
        }
    }))
}
