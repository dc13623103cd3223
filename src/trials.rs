//! The libtest-mimic glue: every scenario becomes a trial, so filters, `--list`,
//! `--exact` and `--test-threads` work as in `cargo test`. Trials run scenarios on the
//! run's one tokio runtime and deposit their results for the reports.

use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Completion, Failed, Trial};

use crate::outcome::{Leftover, Outcome, ScenarioResult};
use crate::runner::{self, RunContext};
use crate::suite::Scenario;

/// Results by scenario index, filled in as trials finish.
pub type Slots = Arc<Mutex<Vec<Option<(ScenarioResult, Vec<Leftover>)>>>>;

/// How the trials should run.
pub struct Plan {
    pub ctx: Arc<RunContext>,
    pub runtime: tokio::runtime::Handle,
    /// Set when the target cannot be reached: every scenario errors with this reason.
    pub fatal: Option<String>,
}

/// One trial per scenario, in suite order.
pub fn build(plan: &Plan, scenarios: &[Scenario], slots: &Slots) -> Vec<Trial> {
    scenarios
        .iter()
        .enumerate()
        .map(|(index, sc)| {
            let kind = std::path::Path::new(&sc.file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let skip = runner::not_applicable(sc, &plan.ctx.profile);
            let (ctx, rt, fatal, slots, sc) = (
                plan.ctx.clone(),
                plan.runtime.clone(),
                plan.fatal.clone(),
                slots.clone(),
                sc.clone(),
            );
            Trial::ignorable_test(sc.id.clone(), move || {
                let (result, leftovers) = match (skip, fatal) {
                    (Some(reason), _) => (
                        runner::placeholder(&sc, Outcome::Skipped { reason }),
                        Vec::new(),
                    ),
                    (None, Some(reason)) => (
                        runner::placeholder(&sc, Outcome::Errored { reason }),
                        Vec::new(),
                    ),
                    (None, None) => rt.block_on(runner::run_scenario(&ctx, &sc)),
                };
                let verdict = match &result.outcome {
                    Outcome::Passed | Outcome::Warned => Ok(Completion::Completed),
                    Outcome::Skipped { reason } => Ok(Completion::ignored_with(reason.clone())),
                    Outcome::Failed | Outcome::Errored { .. } => Err(Failed::from(
                        crate::report::text::scenario_message(&result, &ctx.catalogue),
                    )),
                };
                slots
                    .lock()
                    .expect("no trial panics while holding the lock")[index] =
                    Some((result, leftovers));
                verdict
            })
            .with_kind(kind)
        })
        .collect()
}

/// Parse the runner arguments given after `--`, as libtest would.
pub fn parse_args(args: &[String]) -> Result<Arguments, clap::Error> {
    <Arguments as clap::Parser>::try_parse_from(
        std::iter::once("dcrspec run --".to_string()).chain(args.iter().cloned()),
    )
}
