//! The [`Session`]: prepare → arm → execute → finish, the one path every run takes.
//! Each step is a method, so a caller cannot skip the end of a run (drain, stop the
//! embedded server, say why a stopped run stopped, fold the report): it is written once,
//! in [`Session::finish`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Checks, context, issuer, report, signals, start_clock};
use crate::discovery::{self, Discovered, MetadataSource};
use crate::http::{Http, Request};
use crate::outcome::{Leftover, RunReport, ScenarioResult};
use crate::runner::stop::StopReason;
use crate::runner::{self, Progress, RunContext, Selection};
use crate::server::{self, Faults, Flavor, RunningServer, ServerConfig};
use crate::suite::Scenario;

/// Where a session sends its requests.
pub enum Target {
    /// The user's server, by base URL.
    Url(String),
    /// The embedded reference server, started on a free loopback port with `faults`,
    /// implementing the session's profile; with `iat`, its registration is protected by
    /// that initial access token.
    Embedded {
        faults: Faults,
        enabled: bool,
        iat: Option<String>,
    },
    /// A server found by its issuer's metadata: its registration endpoint becomes the
    /// target (origin) and the profile's registration path, unless the user gave one.
    Issuer {
        issuer: String,
        keep_registration_path: bool,
    },
}

/// How a run may be stopped early. The command line arms all of it; in-process runs
/// (tests, benchmarks) arm nothing but still knock on the target first.
pub struct Stops {
    /// Stop after this long; the notice says what `finishing` means for the command.
    pub deadline: Option<(Duration, String)>,
    /// Ctrl-C and SIGTERM stop the run; a second one aborts.
    pub signals: bool,
}

impl Stops {
    pub fn none() -> Stops {
        Stops {
            deadline: None,
            signals: false,
        }
    }
}

/// A prepared run.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    pub ctx: Arc<RunContext>,
    embedded: Option<RunningServer>,
    started: (Instant, u64),
    /// The target as the reports name it.
    label: String,
    /// Why no scenario can reach a verdict (the target could not be reached).
    fatal: Option<String>,
    /// What issuer discovery found, for a [`Target::Issuer`].
    pub discovered: Option<Discovered>,
}

/// What a finished session produced.
pub struct Finished {
    pub report: RunReport,
    /// For the embedded server: how many clients it still held at the end.
    pub clients_left: Option<usize>,
}

impl Session {
    /// Start the runtime and, for [`Target::Embedded`], the reference server; build the
    /// run's context with `http` limited to the target's origin and `allow_origins`.
    /// `Err` is a one-line reason.
    pub fn prepare(
        checks: Checks,
        target: Target,
        http: Http,
        allow_origins: &[String],
    ) -> Result<Session, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the async runtime: {e}"))?;
        let started = start_clock();
        let mut checks = checks;
        let mut allow: Vec<String> = allow_origins.to_vec();
        let (mut fatal, mut discovered, mut sent) = (None, None, 0);
        let mut off_without_endpoint = false;
        let (base_url, embedded, metadata) = match target {
            Target::Url(url) => {
                let base = url.trim_end_matches('/').to_string();
                // Skipped when absent, unless the profile says the server publishes it.
                let required = checks.profile.capabilities().contains("metadata");
                let metadata = MetadataSource::at_target(&base, required);
                (base, None, metadata)
            }
            Target::Issuer {
                issuer,
                keep_registration_path,
            } => {
                let found = issuer::resolve(
                    &runtime,
                    &http,
                    &mut checks,
                    &mut allow,
                    &mut sent,
                    issuer,
                    keep_registration_path,
                );
                discovered = found.discovered;
                fatal = found.fatal;
                off_without_endpoint = found.off_without_endpoint;
                (found.base, None, found.metadata)
            }
            Target::Embedded {
                faults,
                enabled,
                iat,
            } => {
                let config = ServerConfig {
                    flavor: Flavor::for_profile(&checks.profile.name)?,
                    enabled,
                    faults,
                    iat,
                };
                let server = runtime
                    .block_on(server::start(config, 0))
                    .map_err(|e| format!("cannot start the embedded reference server: {e}"))?;
                // The reference server knows where its token endpoint is, as its metadata
                // document says; a profile's own token_path stays.
                checks
                    .profile
                    .token_path
                    .get_or_insert_with(|| server::TOKEN_PATH.to_string());
                let base = server.base_url();
                let metadata = MetadataSource::known(
                    format!("{base}/.well-known/openid-configuration"),
                    &base,
                );
                (base, Some(server), metadata)
            }
        };
        // TLS is judged off loopback (RFC7591-3-a): a local test server speaks plain http.
        if !discovery::is_loopback(&base_url) {
            checks.profile.capabilities.push("tls:judge".into());
        }
        let label = match (&embedded, &discovered) {
            (Some(_), _) => format!("{base_url} (embedded reference server)"),
            (None, Some(d)) => format!(
                "{} (registration endpoint from {})",
                d.registration_endpoint, d.from
            ),
            (None, None) if off_without_endpoint => format!(
                "{base_url} (registration off: the metadata at {} names no registration endpoint)",
                metadata
                    .candidates
                    .first()
                    .map(String::as_str)
                    .unwrap_or_default()
            ),
            (None, None) => base_url.clone(),
        };
        // From here on nothing is sent to another origin than these.
        let mut origins = crate::origins::AllowedOrigins::for_target(&base_url)?;
        for o in &allow {
            origins
                .allow(o)
                .map_err(|e| format!("--allow-origin {e}"))?;
        }
        let ctx = context(checks, base_url, http.limited_to(origins), metadata);
        // The discovery requests count with the run's, like every request the server sees.
        ctx.requests
            .fetch_add(sent, std::sync::atomic::Ordering::Relaxed);
        Ok(Session {
            runtime,
            ctx,
            embedded,
            started,
            label,
            fatal,
            discovered,
        })
    }

    /// The runtime the session's requests run on; call `block_on` from outside it.
    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.runtime
    }

    /// Arm the stops, then send one request to the registration endpoint: any answer
    /// means the target is there; none means no scenario can reach a verdict, and every
    /// scenario will error with the reason ([`Session::fatal`]).
    pub fn arm(&mut self, stops: &Stops) -> Result<(), String> {
        if let Some((deadline, finishing)) = &stops.deadline {
            let (ctx, deadline, finishing) = (self.ctx.clone(), *deadline, finishing.clone());
            self.runtime.spawn(async move {
                tokio::time::sleep(deadline).await;
                if ctx.stop.trigger(StopReason::Deadline(deadline)) {
                    eprintln!(
                        "deadline exceeded ({} s): stopping; {finishing}, then the {} clients \
                         created so far are deleted and the reports written",
                        deadline.as_secs(),
                        ctx.registry.len()
                    );
                }
            });
        }
        if stops.signals {
            signals::watch_signals(&self.runtime, self.ctx.clone())
                .map_err(|e| format!("cannot watch for Ctrl-C: {e}"))?;
        }
        if self.fatal.is_some() {
            // Discovery already found no target: nothing to knock on.
            return Ok(());
        }
        let ctx = &self.ctx;
        self.fatal = self.runtime.block_on(async {
            tokio::select! {
                f = preflight(ctx) => f,
                r = ctx.stop.stopped() => Some(format!("{r} before the target answered")),
            }
        });
        Ok(())
    }

    /// Why no scenario can reach a verdict, if the preflight found the target gone.
    pub fn fatal(&self) -> Option<&str> {
        self.fatal.as_deref()
    }

    /// The target as the reports name it.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Run the selected scenarios (see `runner::execute`).
    pub fn execute(
        &self,
        scenarios: &[Scenario],
        selection: &Selection,
        progress: impl FnMut(Progress<'_>),
    ) -> Vec<(ScenarioResult, Vec<Leftover>)> {
        self.runtime.block_on(runner::execute(
            &self.ctx,
            scenarios,
            selection,
            self.fatal.as_deref(),
            progress,
        ))
    }

    /// The end of every run: delete whatever the registry still holds (all of it after a
    /// stop) with one budget for the lot, count what the embedded server kept, stop it,
    /// say why a stopped run stopped, and fold the report. `unit` names what a stop left
    /// unfinished ("scenario", "property").
    pub fn finish(self, done: Vec<(ScenarioResult, Vec<Leftover>)>, unit: &str) -> Finished {
        let mut results = Vec::with_capacity(done.len());
        let mut leftovers = Vec::new();
        for (r, l) in done {
            results.push(r);
            leftovers.extend(l);
        }
        let budget = self.ctx.http.timeout() * 2;
        leftovers.extend(
            self.runtime
                .block_on(runner::drain(self.ctx.clone(), budget)),
        );
        let clients_left = self.embedded.as_ref().map(RunningServer::client_count);
        if let Some(server) = self.embedded {
            self.runtime.block_on(server.shutdown());
        }
        let fatal = self.fatal.or_else(|| {
            self.ctx
                .stop
                .reason()
                .map(|r| format!("{r}: the run was stopped before every {unit} finished"))
        });
        let report = report(
            &self.ctx,
            self.label,
            self.started,
            results,
            leftovers,
            fatal,
        );
        Finished {
            report,
            clients_left,
        }
    }
}

/// One request to the registration endpoint, counted with the run's requests like every
/// other request the target sees.
async fn preflight(ctx: &RunContext) -> Option<String> {
    let base_url = &ctx.base_url;
    let req = Request {
        method: "GET".into(),
        url: format!("{base_url}{}", ctx.profile.registration_path),
        headers: Vec::new(),
        body: None,
    };
    ctx.requests
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    match ctx.http.send(&req).await {
        Ok(_) => None,
        Err(e) => Some(format!("cannot reach the target {base_url}: {e}")),
    }
}
