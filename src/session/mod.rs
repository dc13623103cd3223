//! A run's one pipeline, for the command line and the tests alike: [`Session::prepare`]
//! (runtime, target — a URL or the embedded reference server — and the run's context),
//! [`Session::arm`] (deadline, signals, the preflight request), [`Session::execute`]
//! (the scenarios, through `runner::execute`) and [`Session::finish`] (drain what is
//! left, stop the embedded server, fold the report). `dcrspec run`, `dcrspec fuzz`, the
//! reference and fault-matrix tests and the benchmarks all go through it.

mod issuer;
mod pipeline;
mod signals;

pub use pipeline::{Finished, Session, Stops, Target};

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::http::{Http, HttpOptions};
use crate::outcome::{Leftover, RunReport, ScenarioResult};
use crate::profile::Profile;
use crate::rules::Catalogue;
use crate::runner::{RunContext, Selection};
use crate::schema::Contract;
use crate::server::Faults;
use crate::suite::{Invariant, Scenario, Suite};

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

impl Inputs {
    /// What the session checks with, and the scenarios to run.
    pub fn split(self) -> (Checks, Vec<Scenario>) {
        let Inputs {
            profile,
            suite,
            contract,
        } = self;
        let checks = Checks {
            profile,
            contract,
            catalogue: suite.catalogue,
            invariants: suite.invariants,
            iat: None,
        };
        (checks, suite.scenarios)
    }
}

/// What a session judges with: the profile, the contract's schemas, the rules its
/// findings name and the invariants every answer is held to. A scenario run takes them
/// from the suites; a fuzz run has the fuzz rules and no invariants.
pub struct Checks {
    pub profile: Profile,
    pub contract: Contract,
    pub catalogue: Catalogue,
    pub invariants: Vec<Invariant>,
    /// The initial access token for a protected registration endpoint: a credential, not
    /// a check, carried here into the run's context (`runner::iat`).
    pub iat: Option<crate::runner::iat::Source>,
}

/// The shared context for running `checks` against `base_url`, with `http` already
/// limited to the run's origins (`Session::prepare` does that).
fn context(
    checks: Checks,
    base_url: String,
    http: Http,
    metadata: crate::discovery::MetadataSource,
) -> Arc<RunContext> {
    let Checks {
        profile,
        contract,
        catalogue,
        invariants,
        iat,
    } = checks;
    Arc::new(RunContext {
        http,
        base_url,
        profile,
        contract,
        catalogue,
        invariants,
        requests: AtomicUsize::new(0),
        stop: Default::default(),
        registry: Default::default(),
        iat,
        metadata,
        metadata_found: Default::default(),
        exhaustive: false,
    })
}

/// Fold finished scenarios into the report every format is rendered from.
fn report(
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
fn start_clock() -> (Instant, u64) {
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
/// scenario against it through the same [`Session`] a user's `dcrspec run` goes
/// through, and stop it. Call from outside any tokio runtime: the session has its own.
pub fn against_reference(inputs: Inputs, faults: Faults) -> Result<ReferenceRun, String> {
    let (checks, scenarios) = inputs.split();
    let session = reference_session(checks, faults, Judging::User)?;
    let done = session.execute(&scenarios, &Selection::all(), |_| {});
    let finished = session.finish(done, "scenario");
    Ok(ReferenceRun {
        report: finished.report,
        clients_left: finished.clients_left.unwrap_or(0),
    })
}

/// How a session judges: as every user run does, or exhaustively — the fault matrix's
/// check-level measure (`RunContext::exhaustive`), which reports the same verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judging {
    User,
    Exhaustive,
}

/// A session against a freshly started reference server with `faults`, prepared and
/// armed: the caller may execute scenarios on it more than once (suite mutation does),
/// then `finish` it. Call from outside any tokio runtime.
pub fn reference_session(
    mut checks: Checks,
    faults: Faults,
    judging: Judging,
) -> Result<Session, String> {
    // A protected profile: the server accepts a token the run mints for itself.
    let (iat, source) = crate::runner::iat::for_embedded(checks.profile.is_protected(), None)?;
    checks.iat = source;
    let target = Target::Embedded {
        faults,
        enabled: checks.profile.enabled,
        iat,
    };
    let http = Http::new(HttpOptions::default())?;
    let mut session = Session::prepare(checks, target, http, &[])?;
    Arc::get_mut(&mut session.ctx)
        .ok_or("the run context is already shared")?
        .exhaustive = judging == Judging::Exhaustive;
    session.arm(&Stops::none())?;
    Ok(session)
}
