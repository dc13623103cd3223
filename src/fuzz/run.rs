//! A whole fuzz run: the context for a target, every selected property in turn, and the
//! report the JUnit, JSON and evidence renderers take; plus a run against the embedded
//! reference server for tests and the benchmark.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Instant;

use super::model::Model;
use super::{Property, PropertyRun, Settings, catalogue, run_property};
use crate::http::{Http, HttpOptions};
use crate::outcome::RunReport;
use crate::profile::Profile;
use crate::runner::RunContext;
use crate::schema::Contract;
use crate::server::{self, Faults, Flavor, ServerConfig};
use crate::session;

/// The context a fuzz run shares: the fuzz rules as its catalogue, no invariants.
pub fn context(
    profile: Profile,
    contract: Contract,
    base_url: String,
    http: Http,
) -> Arc<RunContext> {
    Arc::new(RunContext {
        http: session::limited(http, &base_url),
        base_url,
        profile,
        contract,
        catalogue: catalogue(),
        invariants: Vec::new(),
        requests: AtomicUsize::new(0),
        stop: Default::default(),
        registry: Default::default(),
    })
}

/// Every property run, and the report made of them.
#[derive(Debug)]
pub struct FuzzRun {
    pub properties: Vec<PropertyRun>,
    pub report: RunReport,
}

/// Run `properties` in order against the context's target, then delete whatever a stop
/// left in the registry. Call from outside `rt`.
pub fn run_all(
    ctx: &Arc<RunContext>,
    model: &Model,
    rt: &tokio::runtime::Handle,
    properties: &[Property],
    settings: &Settings,
    target: String,
    started: (Instant, u64),
) -> FuzzRun {
    let mut runs = Vec::new();
    for &p in properties {
        runs.push(run_property(ctx, model, rt, p, settings));
    }
    let results = runs.iter().map(|r| r.result.clone()).collect();
    let mut leftovers: Vec<_> = runs.iter().flat_map(|r| r.leftovers.clone()).collect();
    let budget = ctx.http.timeout() * 2;
    leftovers.extend(rt.block_on(crate::runner::drain(ctx.clone(), budget)));
    let fatal = ctx
        .stop
        .reason()
        .map(|r| format!("{r}: the run was stopped before every property finished"));
    let report = session::report(ctx, target, started, results, leftovers, fatal);
    FuzzRun {
        properties: runs,
        report,
    }
}

/// A fuzz run against the reference server implementing `profile` with `faults`, and how
/// many clients it left there.
pub struct ReferenceFuzz {
    pub run: FuzzRun,
    pub clients_left: usize,
}

/// Start the reference server on `rt`, fuzz it, stop it. Call from outside `rt`.
pub fn against_reference(
    rt: &tokio::runtime::Runtime,
    profile: Profile,
    faults: Faults,
    properties: &[Property],
    settings: &Settings,
) -> Result<ReferenceFuzz, String> {
    let flavor = match profile.name.as_str() {
        "rfc7592" => Flavor::Rfc7592,
        _ => Flavor::Ory,
    };
    let config = ServerConfig {
        flavor,
        enabled: true,
        faults,
    };
    let server = rt
        .block_on(server::start(config, 0))
        .map_err(|e| format!("cannot start the reference server: {e}"))?;
    let contract = Contract::embedded().map_err(|e| e.to_string())?;
    let model = Model::derive(&contract, &profile)?;
    let http = Http::new(HttpOptions::default())?;
    let ctx = context(profile, contract, server.base_url(), http);
    let started = session::start_clock();
    let run = run_all(
        &ctx,
        &model,
        rt.handle(),
        properties,
        settings,
        server.base_url(),
        started,
    );
    let clients_left = server.client_count();
    rt.block_on(server.shutdown());
    Ok(ReferenceFuzz { run, clients_left })
}
