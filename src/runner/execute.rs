//! Running a run's scenarios: the ones a [`Selection`] picks (a libtest-style filter,
//! `--skip`, `--exact`), at most `--test-threads` at once, results back in suite order,
//! with a progress callback as each one ends. `dcrspec run` and the in-process runs of
//! the tests and benchmarks go through [`execute`], so what the tests judge is what a
//! user runs.

use std::collections::HashMap;
use std::sync::Arc;

use libtest_mimic::{Arguments, Trial};
use tokio::sync::Semaphore;

use super::{RunContext, not_applicable, placeholder, run_scenario};
use crate::outcome::{Leftover, Outcome, ScenarioResult};
use crate::suite::Scenario;

/// Which scenarios run, and how many at once.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The libtest-style arguments given after `--`: their filter, `--skip` and `--exact`
    /// pick scenarios exactly as `--list` names them.
    args: Arguments,
    /// At most this many scenarios at once; `None`: no limit.
    pub threads: Option<usize>,
}

impl Selection {
    /// Every scenario, with no limit on how many run at once.
    pub fn all() -> Selection {
        Selection::default()
    }

    /// The scenarios the runner arguments pick; `--test-threads` (default: the number of
    /// cores) bounds how many run at once.
    pub fn from_args(args: &Arguments) -> Selection {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Selection {
            args: args.clone(),
            threads: Some(args.test_threads.unwrap_or(cores).max(1)),
        }
    }

    /// Whether `scenario` is picked.
    pub fn selects(&self, scenario: &Scenario) -> bool {
        !self.args.is_filtered_out(&trial(scenario))
    }
}

/// A scenario as libtest-mimic sees it, for `--list` and for filtering: its id, and its
/// suite file's stem as the kind (`[secret] secret-retained`).
pub fn trial(scenario: &Scenario) -> Trial {
    let kind = std::path::Path::new(&scenario.file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Trial::test(scenario.id.clone(), || Ok(())).with_kind(kind)
}

/// How far a run has got: called once as each selected scenario ends.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub done: usize,
    pub total: usize,
    pub scenario: &'a str,
}

/// Run the selected scenarios of `scenarios` against `ctx`'s target. A scenario left out
/// by the selection is skipped ("filtered out"), one the profile does not apply to is
/// skipped with the reason, and with `fatal` set (the target cannot be reached) every
/// selected one errors with that reason without a request. Results come back in suite
/// order, each with the clients it could not delete.
pub async fn execute(
    ctx: &Arc<RunContext>,
    scenarios: &[Scenario],
    selection: &Selection,
    fatal: Option<&str>,
    mut progress: impl FnMut(Progress<'_>),
) -> Vec<(ScenarioResult, Vec<Leftover>)> {
    let mut results: Vec<Option<(ScenarioResult, Vec<Leftover>)>> = vec![None; scenarios.len()];
    let permits = Arc::new(Semaphore::new(
        selection.threads.unwrap_or(Semaphore::MAX_PERMITS),
    ));
    let mut tasks = tokio::task::JoinSet::new();
    let mut index_of = HashMap::new();
    let mut total = 0;
    for (index, sc) in scenarios.iter().enumerate() {
        let decided = if !selection.selects(sc) {
            Some(Outcome::filtered_out())
        } else if let Some(reason) = not_applicable(sc, &ctx.profile) {
            Some(Outcome::Skipped { reason })
        } else if ctx.metadata.registration_unknown && super::metadata::metadata_only(sc) {
            // Discovery found the document but no registration endpoint: what reads
            // only the document still runs.
            None
        } else {
            fatal.map(|reason| Outcome::Errored {
                reason: reason.into(),
            })
        };
        if let Some(outcome) = decided {
            results[index] = Some((placeholder(sc, outcome), Vec::new()));
            continue;
        }
        total += 1;
        let (ctx, sc, permits) = (ctx.clone(), sc.clone(), permits.clone());
        let handle = tasks.spawn(async move {
            // The semaphore is never closed, so a permit always comes.
            let _permit = permits.acquire_owned().await;
            run_scenario(&ctx, &sc).await
        });
        index_of.insert(handle.id(), index);
    }
    let mut done = 0;
    while let Some(joined) = tasks.join_next_with_id().await {
        let (id, result) = match joined {
            Ok((id, result)) => (id, result),
            Err(e) => {
                // A scenario that panicked is reported as errored, not lost.
                let index = index_of[&e.id()];
                let reason = format!("internal error in dcrspec: {e}");
                let sc = &scenarios[index];
                (
                    e.id(),
                    (placeholder(sc, Outcome::Errored { reason }), Vec::new()),
                )
            }
        };
        let index = index_of[&id];
        done += 1;
        progress(Progress {
            done,
            total,
            scenario: &scenarios[index].id,
        });
        results[index] = Some(result);
    }
    results
        .into_iter()
        .map(|r| r.expect("every scenario is decided or run"))
        .collect()
}
