//! A whole run without the command line: the loaded inputs, a context for a target,
//! and a run against the embedded reference server. Tests, benchmarks and the fault
//! matrix use this; `dcrspec run` shares its pieces.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::http::{Http, HttpOptions};
use crate::origins::AllowedOrigins;
use crate::outcome::{Leftover, RunReport, ScenarioResult};
use crate::profile::Profile;
use crate::runner::{self, RunContext};
use crate::schema::Contract;
use crate::server::{self, Faults, Flavor, ServerConfig};
use crate::suite::Suite;

/// Suites, profile and contract, loaded and checked.
pub struct Inputs {
    pub profile: Profile,
    pub suite: Suite,
    pub contract: Contract,
}

impl Inputs {
    /// The built-in suites and contract with a built-in profile.
    pub fn built_in(profile: &str) -> Result<Inputs, crate::error::LoadError> {
        Ok(Inputs {
            profile: Profile::resolve(profile)?,
            suite: crate::suite::load::embedded()?,
            contract: Contract::embedded()?,
        })
    }
}

/// The shared context for running `inputs` against `base_url`.
pub fn context(
    inputs: Inputs,
    base_url: String,
    http: Http,
) -> (Arc<RunContext>, Vec<crate::suite::Scenario>) {
    let Inputs {
        profile,
        suite,
        contract,
    } = inputs;
    let ctx = RunContext {
        http: limited(http, &base_url),
        base_url,
        profile,
        contract,
        catalogue: suite.catalogue,
        invariants: suite.invariants,
        requests: AtomicUsize::new(0),
        stop: Default::default(),
        registry: Default::default(),
    };
    (Arc::new(ctx), suite.scenarios)
}

/// `http` limited to the target's origin, unless the caller already limited it (to
/// more origins, with `--allow-origin`): no run sends anything to an origin it was not
/// told about.
pub fn limited(http: Http, base_url: &str) -> Http {
    match (http.origins(), AllowedOrigins::for_target(base_url)) {
        (None, Ok(origins)) => http.limited_to(origins),
        _ => http,
    }
}

/// Fold finished scenarios into the report every format is rendered from.
pub fn report(
    ctx: &RunContext,
    target: String,
    started: (Instant, u64),
    scenarios: Vec<ScenarioResult>,
    leftovers: Vec<Leftover>,
    fatal: Option<String>,
) -> RunReport {
    RunReport {
        target,
        profile: ctx.profile.name.clone(),
        started_unix: started.1,
        duration: started.0.elapsed(),
        catalogue: ctx.catalogue.clone(),
        scenarios,
        leftovers,
        fatal,
        requests: ctx.requests.load(Ordering::Relaxed),
        credentialed_origins: ctx.http.credentialed_origins(),
        baseline: None,
    }
}

/// Now, as a run start: a clock for the duration and Unix seconds for the reports.
pub fn start_clock() -> (Instant, u64) {
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    (Instant::now(), unix)
}

/// What a run against the embedded server produced, and how many clients it left.
pub struct ReferenceRun {
    pub report: RunReport,
    pub clients_left: usize,
}

/// Start the reference server implementing `inputs.profile` with `faults`, run every
/// scenario against it, and stop it.
pub async fn against_reference(inputs: Inputs, faults: Faults) -> Result<ReferenceRun, String> {
    let flavor = match inputs.profile.name.as_str() {
        "rfc7592" => Flavor::Rfc7592,
        _ => Flavor::Ory,
    };
    let config = ServerConfig {
        flavor,
        enabled: inputs.profile.enabled,
        faults,
    };
    let server = server::start(config, 0)
        .await
        .map_err(|e| format!("cannot start the reference server: {e}"))?;
    let http = Http::new(HttpOptions::default())?;
    let started = start_clock();
    let (ctx, scenarios) = context(inputs, server.base_url(), http);
    let (results, leftovers) = runner::run_all(ctx.clone(), &scenarios).await;
    let clients_left = server.client_count();
    let report = report(&ctx, server.base_url(), started, results, leftovers, None);
    server.shutdown().await;
    Ok(ReferenceRun {
        report,
        clients_left,
    })
}
