//! A whole fuzz run on a [`Session`]: every selected property in turn against the
//! session's target, and a run against the embedded reference server for tests and the
//! benchmark. `dcrspec fuzz` and the in-process runs share [`run_properties`], and the
//! session's prepare, arm and finish.

use super::model::Model;
use super::{Property, PropertyRun, Settings, catalogue, placeholder, run_property};
use crate::http::{Http, HttpOptions};
use crate::outcome::{Outcome, RunReport};
use crate::profile::Profile;
use crate::schema::Contract;
use crate::server::Faults;
use crate::session::{Checks, Session, Stops, Target};

/// What the session of a fuzz run checks with: the fuzz rules as its catalogue, and no
/// invariants (each property judges its own answers).
pub fn checks(profile: Profile, contract: Contract) -> Checks {
    Checks {
        profile,
        contract,
        catalogue: catalogue(),
        invariants: Vec::new(),
        iat: None,
    }
}

/// Run `properties` in order against the session's target; `each` sees every property's
/// run as it ends (the command line prints it). When the target could not be reached,
/// each property errors with the reason and sends nothing.
pub fn run_properties(
    session: &Session,
    model: &Model,
    properties: &[Property],
    settings: &Settings,
    mut each: impl FnMut(&PropertyRun),
) -> Vec<PropertyRun> {
    let mut runs = Vec::new();
    for &property in properties {
        let run = match session.fatal() {
            Some(reason) => PropertyRun {
                result: placeholder(
                    property,
                    Outcome::Errored {
                        reason: reason.to_string(),
                    },
                ),
                leftovers: Vec::new(),
                counterexample: None,
                runs: 0,
                checked_requests: 0,
            },
            None => run_property(
                &session.ctx,
                model,
                session.runtime().handle(),
                property,
                settings,
            ),
        };
        each(&run);
        runs.push(run);
    }
    runs
}

/// Every property run, and the report made of them.
#[derive(Debug)]
pub struct FuzzRun {
    pub properties: Vec<PropertyRun>,
    pub report: RunReport,
}

/// A fuzz run against the reference server implementing `profile` with `faults`, and how
/// many clients it left there.
pub struct ReferenceFuzz {
    pub run: FuzzRun,
    pub clients_left: usize,
}

/// Start the reference server, fuzz it through a [`Session`] as `dcrspec fuzz` does, stop
/// it. Call from outside any tokio runtime: the session has its own.
pub fn against_reference(
    profile: Profile,
    faults: Faults,
    properties: &[Property],
    settings: &Settings,
) -> Result<ReferenceFuzz, String> {
    let contract = Contract::embedded().map_err(|e| e.to_string())?;
    let model = Model::derive(&contract, &profile)?;
    let http = Http::new(HttpOptions::default())?;
    let (iat, source) = crate::runner::iat::for_embedded(profile.is_protected(), None)?;
    let target = Target::Embedded {
        faults,
        enabled: true,
        iat,
    };
    let mut checks = checks(profile, contract);
    checks.iat = source;
    let mut session = Session::prepare(checks, target, http, &[])?;
    session.arm(&Stops::none())?;
    let runs = run_properties(&session, &model, properties, settings, |_| {});
    let done = runs
        .iter()
        .map(|r| (r.result.clone(), r.leftovers.clone()))
        .collect();
    let finished = session.finish(done, "property");
    Ok(ReferenceFuzz {
        run: FuzzRun {
            properties: runs,
            report: finished.report,
        },
        clients_left: finished.clients_left.unwrap_or(0),
    })
}
