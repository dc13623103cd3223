//! Property-based fuzzing of registration (`dcrspec fuzz`): hand-written scenarios cover
//! the cases someone thought of; generated metadata finds the rest, and a shrunk,
//! replayable counterexample is what an implementer can act on.
//!
//! - [`model`]: the client members and their types, read from the contract's client schema,
//!   less the members the profile says the server provisions.
//! - [`strategy`]: proptest strategies for valid metadata, invalid input and concurrent
//!   bodies, built for cheap shrinking (every shrink step costs requests).
//! - `cases`: one case of a property against the target (requests, checks, cleanup).
//! - `shrink`: the generate-and-shrink loop of one property.
//! - `counterexample`: the shrunk payload, shown, and the commands that reproduce it.
//! - `repro`: the one-line `curl` commands that replay a counterexample.
//!
//! Each [`Property`] runs on a proptest `TestRunner` seeded with `--seed`: it generates
//! up to `--cases` cases, and on the first failure shrinks it (simplify while it still
//! fails, complicate when it passes) within `--max-shrink-iters` steps and
//! `--max-shrink-time`. The loop is driven here rather than by `TestRunner::run`, which
//! prints its own messages when a limit stops shrinking and does not say which case
//! failed; the algorithm is the same. The same seed always gives the same cases, so
//! `--seed S --cases N` replays a failure found at case N. Every property becomes a
//! `ScenarioResult` whose finding carries the seed, the minimal payload and the commands
//! that reproduce it, so the JUnit, JSON and evidence reports show them like any finding.
//!
//! Runs are synchronous: each case calls `block_on` on the run's one runtime, from a
//! thread outside it.

mod cases;
mod counterexample;
pub mod model;
mod repro;
mod run;
mod shrink;
pub mod strategy;

use std::fmt::Debug;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::outcome::{Leftover, Outcome, ScenarioResult};
use crate::rules::{Catalogue, Level, Rule};
use crate::runner::RunContext;

pub use cases::{
    CONCURRENT_PUT, INVALID_REJECTED, SECRET_LIFECYCLE, VALID_ACCEPTED, VALID_READBACK,
};
pub use counterexample::Counterexample;
use counterexample::{at_text, counterexample_of, show_concurrent, show_invalid, show_metadata};
use model::Model;
pub use repro::shell_word;
pub use run::{FuzzRun, ReferenceFuzz, against_reference, checks, run_properties};
use shrink::{Driven, drive};

/// The fuzz rules, as data (not under `suites/`: no scenario checks them).
const RULES: &str = include_str!("rules.json");
/// What reports give as the "suite file" of a property.
pub const FILE: &str = "fuzz";

/// The catalogue of fuzz rules.
pub fn catalogue() -> Catalogue {
    #[derive(Deserialize)]
    struct File {
        rules: Vec<Rule>,
    }
    let file: File = serde_json::from_str(RULES).expect("src/fuzz/rules.json parses (tested)");
    Catalogue::new(file.rules).with_digest(crate::suite::digest::suites_digest([(
        "fuzz/rules.json",
        RULES.as_bytes(),
    )]))
}

/// One property: a strategy, a check per case, and the rules the check holds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Property {
    ValidMetadata,
    InvalidInput,
    ConcurrentPut,
}

impl Property {
    pub const ALL: [Property; 3] = [
        Property::ValidMetadata,
        Property::InvalidInput,
        Property::ConcurrentPut,
    ];

    /// Whether the property's cases read or update the client (RFC 7592 management).
    /// Under a profile with no management these properties have nothing to judge: skip
    /// them (`runs_under`); a target that turns out to offer none ends each case
    /// unjudged (`fuzz::cases`), never failed (issue 15, 2f).
    pub fn needs_management(self) -> bool {
        matches!(self, Property::ValidMetadata | Property::ConcurrentPut)
    }

    /// Whether the property runs under a profile that can (`manages`) or cannot manage
    /// the clients it registers. Invalid input needs only the registration endpoint.
    pub fn runs_under(self, manages: bool) -> bool {
        manages || !self.needs_management()
    }

    pub fn id(self) -> &'static str {
        match self {
            Property::ValidMetadata => "valid-metadata",
            Property::InvalidInput => "invalid-input",
            Property::ConcurrentPut => "concurrent-put",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Property::ValidMetadata => {
                "generated valid metadata registers, reads back equal, survives PUT then GET, and keeps the secret rules"
            }
            Property::InvalidInput => {
                "generated invalid input to create or update gets a documented 4xx JSON error and creates nothing"
            }
            Property::ConcurrentPut => {
                "concurrent PUTs on one client leave it equal to one of the bodies sent"
            }
        }
    }

    pub fn rules(self) -> &'static [&'static str] {
        match self {
            Property::ValidMetadata => &[VALID_ACCEPTED, VALID_READBACK, SECRET_LIFECYCLE],
            Property::InvalidInput => &[INVALID_REJECTED],
            Property::ConcurrentPut => &[CONCURRENT_PUT],
        }
    }

    pub fn from_id(id: &str) -> Result<Property, String> {
        Property::ALL
            .into_iter()
            .find(|p| p.id() == id)
            .ok_or_else(|| {
                let known: Vec<&str> = Property::ALL.iter().map(|p| p.id()).collect();
                format!("unknown property '{id}' (known: {})", known.join(", "))
            })
    }
}

/// How hard to fuzz, and how to say how to reproduce.
#[derive(Debug, Clone)]
pub struct Settings {
    pub seed: u64,
    /// Generated cases per property (before shrinking).
    pub cases: u32,
    /// Shrink steps at most; each is a case, so a few requests.
    pub max_shrink_iters: u32,
    /// Time spent shrinking at most (zero: no limit).
    pub max_shrink_time: Duration,
    pub replay: Replay,
}

/// What the reproduction lines need to know about the run.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    /// `dcrspec fuzz` with this run's target, profile and fault flags (no seed, cases or
    /// property: those are added).
    pub command: String,
    /// For the embedded server: the `dcrspec serve` line that starts it on a fixed port,
    /// and that server's base URL, for the curl lines.
    pub serve: Option<(String, String)>,
    /// Where bodies too large or too binary to show inline are written (curl reads them
    /// with `--data-binary @FILE`); `None`: such bodies are only described.
    pub payload_dir: Option<PathBuf>,
}

/// A property's result for the reports, its leftovers and its counterexample.
#[derive(Debug, Clone)]
pub struct PropertyRun {
    pub result: ScenarioResult,
    pub leftovers: Vec<Leftover>,
    pub counterexample: Option<Counterexample>,
    /// Cases run, shrink steps included.
    pub runs: usize,
    /// Requests sent and judged by those cases (cleanup not counted).
    pub checked_requests: usize,
}

/// Run one property against the context's target. Call from outside the runtime.
pub fn run_property(
    ctx: &RunContext,
    model: &Model,
    rt: &tokio::runtime::Handle,
    property: Property,
    settings: &Settings,
) -> PropertyRun {
    let started = Instant::now();
    let driven = match property {
        Property::ValidMetadata => drive(
            settings,
            &ctx.stop,
            strategy::metadata(model, true),
            |m| rt.block_on(cases::valid(ctx, model, m)),
            show_metadata,
        ),
        Property::InvalidInput => drive(
            settings,
            &ctx.stop,
            strategy::invalid(model),
            |i| rt.block_on(cases::invalid(ctx, i)),
            show_invalid,
        ),
        Property::ConcurrentPut => drive(
            settings,
            &ctx.stop,
            strategy::concurrent(model),
            |b| rt.block_on(cases::concurrent(ctx, b)),
            show_concurrent,
        ),
    };
    assemble(ctx, property, settings, driven, started.elapsed())
}

/// A result for a property that did not run, with `outcome`.
pub fn placeholder(property: Property, outcome: Outcome) -> ScenarioResult {
    ScenarioResult {
        id: property.id().to_string(),
        description: property.description().to_string(),
        file: FILE.to_string(),
        rules: property.rules().iter().map(|r| r.to_string()).collect(),
        outcome,
        findings: Vec::new(),
        checked: Vec::new(),
        exchanges: Vec::new(),
        duration: Duration::ZERO,
        broken_checks: Vec::new(),
    }
}

fn assemble(
    ctx: &RunContext,
    property: Property,
    settings: &Settings,
    driven: Driven,
    duration: Duration,
) -> PropertyRun {
    let mut result = placeholder(property, Outcome::Passed);
    result.checked = driven.checked.iter().map(|r| r.to_string()).collect();
    result.exchanges = driven
        .sample
        .as_ref()
        .map(|s| s.exchanges.clone())
        .unwrap_or_default();
    result.duration = duration;
    if let Some(reason) = driven.aborted {
        result.outcome = Outcome::Errored { reason };
    }
    let mut counterexample = None;
    if let Some(failure) = driven.failure {
        let example = counterexample_of(ctx, property, settings, &failure);
        let mut finding = failure
            .report
            .finding
            .clone()
            .expect("a failure has a finding");
        finding.at = at_text(&example);
        result.outcome = if finding.level == Level::Must {
            Outcome::Failed
        } else {
            Outcome::Warned
        };
        result.findings.push(finding);
        result.exchanges = failure.report.exchanges.clone();
        counterexample = Some(example);
    }
    PropertyRun {
        result,
        leftovers: driven.leftovers,
        counterexample,
        runs: driven.runs,
        checked_requests: driven.checked_requests,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn without_management_only_invalid_input_runs() {
        let run: Vec<Property> = Property::ALL
            .into_iter()
            .filter(|p| p.runs_under(false))
            .collect();
        assert_eq!(run, [Property::InvalidInput]);
        assert!(Property::ALL.into_iter().all(|p| p.runs_under(true)));
    }

    #[test]
    fn rules_parse_and_every_property_names_known_rules() {
        let c = catalogue();
        assert_eq!(c.len(), 5);
        for rule in c.iter() {
            assert!(rule.id.starts_with("fuzz:"), "{}", rule.id);
            assert!(rule.summary.is_some(), "{}", rule.id);
        }
        let mut covered = BTreeSet::new();
        for p in Property::ALL {
            for r in p.rules() {
                assert!(c.contains(r), "{r}");
                covered.insert(*r);
            }
            assert_eq!(Property::from_id(p.id()), Ok(p));
        }
        assert_eq!(covered.len(), c.len(), "every rule has a property");
        assert!(
            Property::from_id("nope")
                .unwrap_err()
                .contains("valid-metadata")
        );
    }
}
