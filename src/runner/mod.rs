//! Running one scenario: send each step's request, judge its expectations and the
//! suite's invariants, follow the clients it creates, and delete them at the end.
//! The result is data (`ScenarioResult`); formatting is the reports' business.

mod applies;
mod capture;
pub mod cleanup;
pub mod clients;
pub mod execute;
mod findings;
pub mod iat;
mod judge;
pub mod metadata;
mod offered;
pub mod registry;
pub mod request;
pub mod retry;
mod scenario;
pub mod stop;

use std::sync::atomic::AtomicUsize;

use crate::http::{Http, Response};
use crate::outcome::{Outcome, ScenarioResult};
use crate::profile::Profile;
use crate::rules::Catalogue;
use crate::schema::Contract;
use crate::suite::{Invariant, Scenario};

pub use applies::not_applicable;

use registry::Registry;
use stop::Stop;

pub use cleanup::{cleanup, drain};
pub use execute::{Progress, Selection, execute};
pub use scenario::run_scenario;

/// Everything a scenario needs from the run; shared by all scenarios.
pub struct RunContext {
    pub http: Http,
    pub base_url: String,
    pub profile: Profile,
    pub contract: Contract,
    pub catalogue: Catalogue,
    pub invariants: Vec<Invariant>,
    /// HTTP requests sent so far, cleanup included.
    pub requests: AtomicUsize,
    /// Fires on the deadline or an interrupt: scenarios start no new request.
    pub stop: Stop,
    /// Every client created and not yet deleted, for `drain`.
    pub registry: Registry,
    /// The initial access token for a protected registration endpoint (`iat.rs`).
    pub iat: Option<iat::Source>,
    /// Where the metadata document is, for `"endpoint": "metadata"` steps.
    pub metadata: crate::discovery::MetadataSource,
    /// The metadata document's URL once found (`metadata::url`), or why there is none.
    pub metadata_found: tokio::sync::OnceCell<Result<String, String>>,
    /// The fault matrix's measure (`session::reference_session`), never a user run: judge
    /// every expectation of a step and go on past a broken MUST check while the steps'
    /// preconditions hold, naming what broke in `ScenarioResult::broken_checks`. What the
    /// result reports (outcome, findings, checked rules, exchanges) stays what a user
    /// run gives: `tests/fault_matrix.rs` compares the two.
    pub exhaustive: bool,
}

/// A result for a scenario that did not run.
pub fn placeholder(sc: &Scenario, outcome: Outcome) -> ScenarioResult {
    ScenarioResult {
        id: sc.id.clone(),
        description: sc.description.clone(),
        file: sc.file.clone(),
        rules: sc.rules.clone(),
        outcome,
        findings: Vec::new(),
        checked: Vec::new(),
        exchanges: Vec::new(),
        duration: Default::default(),
        broken_checks: Vec::new(),
    }
}

fn elapsed_ms(r: &Result<Response, String>) -> u64 {
    r.as_ref()
        .map(|r| r.elapsed.as_millis() as u64)
        .unwrap_or(0)
}

/// 16 random bytes as hex: unique names and secrets for each scenario run.
pub fn random_token() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
