//! Property-based fuzzing of registration (`dcrspec fuzz`): hand-written scenarios cover
//! the cases someone thought of; generated metadata finds the rest, and a shrunk,
//! replayable counterexample is what an implementer can act on.
//!
//! - [`model`]: the client members and their types, read from the contract's client schema,
//!   less the members the profile says the server provisions.
//! - [`strategy`]: proptest strategies for valid metadata, invalid input and concurrent
//!   bodies, built for cheap shrinking (every shrink step costs requests).
//! - `cases`: one case of a property against the target (requests, checks, cleanup).
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
pub mod model;
mod repro;
mod run;
pub mod strategy;

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRunner};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::outcome::{Leftover, Outcome, ScenarioResult};
use crate::rules::{Catalogue, Level, Rule};
use crate::runner::RunContext;
use crate::runner::stop::Stop;

use cases::CaseReport;
pub use cases::{
    CONCURRENT_PUT, INVALID_REJECTED, SECRET_LIFECYCLE, VALID_ACCEPTED, VALID_READBACK,
};
use model::Model;
pub use repro::shell_word;
pub use run::{FuzzRun, ReferenceFuzz, against_reference, context, run_all};
use strategy::{Invalid, Metadata, Target};

/// The fuzz rules, as data (not under `suites/`: no scenario checks them).
const RULES: &str = include_str!("rules.json");
/// What reports give as the "suite file" of a property.
pub const FILE: &str = "fuzz";
/// Payloads longer than this are shown cut; curl reads them from a file.
const SHOW_LIMIT: usize = 4096;

/// The catalogue of fuzz rules.
pub fn catalogue() -> Catalogue {
    #[derive(Deserialize)]
    struct File {
        rules: Vec<Rule>,
    }
    let file: File = serde_json::from_str(RULES).expect("src/fuzz/rules.json parses (tested)");
    Catalogue::new(file.rules)
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

/// A shrunk failure and how to reproduce it.
#[derive(Debug, Clone)]
pub struct Counterexample {
    pub property: Property,
    pub seed: u64,
    /// The generated case (1-based) that failed first.
    pub case: u32,
    pub shrink_steps: u32,
    /// What stopped shrinking early (`--max-shrink-iters`, `--max-shrink-time`, the run's
    /// deadline or a signal): the payload may not be minimal.
    pub shrink_limited: Option<String>,
    /// The minimal payload as JSON: the metadata object, the array of concurrent bodies,
    /// or `{"target", "content_type", "what", "body"}` for invalid input.
    pub payload: Value,
    /// The minimal payload for people (cut at 4 KiB).
    pub shown: String,
    /// One command per line: `dcrspec fuzz ...`, the embedded server's `dcrspec serve`,
    /// then `curl` for each request of the case up to the one that broke.
    pub commands: Vec<String>,
    /// Files the curl lines read: write them before printing the commands.
    pub files: Vec<(PathBuf, Vec<u8>)>,
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
    }
}

/// What driving a property produced.
struct Driven {
    runs: usize,
    checked_requests: usize,
    leftovers: Vec<Leftover>,
    checked: BTreeSet<&'static str>,
    /// The last passing case, as a sample of the exchanges for the evidence report.
    sample: Option<CaseReport>,
    failure: Option<Failure>,
    /// proptest could not generate a case.
    aborted: Option<String>,
}

struct Failure {
    case: u32,
    steps: u32,
    /// What stopped shrinking early, if something did.
    limited: Option<String>,
    payload: (Value, String),
    report: CaseReport,
}

fn drive<T: Clone + Debug>(
    settings: &Settings,
    stop: &Stop,
    strategy: BoxedStrategy<T>,
    check: impl Fn(&T) -> CaseReport,
    show: fn(&T) -> (Value, String),
) -> Driven {
    let config = Config {
        cases: settings.cases,
        rng_seed: RngSeed::Fixed(settings.seed),
        rng_algorithm: RngAlgorithm::ChaCha,
        // No file next to a source file: this is not a #[test].
        failure_persistence: None,
        max_shrink_iters: settings.max_shrink_iters,
        max_shrink_time: u32::try_from(settings.max_shrink_time.as_millis()).unwrap_or(u32::MAX),
        verbose: 0,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config.clone());
    let mut driven = Driven {
        runs: 0,
        checked_requests: 0,
        leftovers: Vec::new(),
        checked: BTreeSet::new(),
        sample: None,
        failure: None,
        aborted: None,
    };
    let run = |value: &T, driven: &mut Driven| {
        let mut report = check(value);
        driven.runs += 1;
        driven.checked_requests += report.exchanges.len();
        driven.leftovers.append(&mut report.leftovers);
        driven.checked.extend(report.checked.iter().copied());
        report
    };
    for case in 1..=config.cases {
        if let Some(reason) = stop.reason() {
            driven.aborted = Some(format!("{reason} after {} cases", case - 1));
            return driven;
        }
        let mut tree = match strategy.new_tree(&mut runner) {
            Ok(tree) => tree,
            Err(reason) => {
                driven.aborted = Some(format!("cannot generate case {case}: {reason}"));
                return driven;
            }
        };
        let first = tree.current();
        let report = run(&first, &mut driven);
        if report.finding.is_none() {
            driven.sample = Some(report);
            continue;
        }
        // Shrink: simplify while the case still fails, complicate when it passes.
        let started = Instant::now();
        let limit = Duration::from_millis(u64::from(config.max_shrink_time));
        let (mut best, mut best_report) = (first, report);
        let (mut steps, mut limited) = (0u32, None);
        let mut more = tree.simplify();
        while more {
            limited = if steps >= config.max_shrink_iters {
                Some(format!("--max-shrink-iters {}", config.max_shrink_iters))
            } else if !limit.is_zero() && started.elapsed() > limit {
                Some(format!("--max-shrink-time {} s", limit.as_secs()))
            } else {
                stop.reason().map(|r| r.to_string())
            };
            if limited.is_some() {
                break;
            }
            steps += 1;
            let candidate = tree.current();
            let report = run(&candidate, &mut driven);
            more = if report.finding.is_some() {
                (best, best_report) = (candidate, report);
                tree.simplify()
            } else {
                tree.complicate()
            };
        }
        driven.failure = Some(Failure {
            case,
            steps,
            limited,
            payload: show(&best),
            report: best_report,
        });
        return driven;
    }
    driven
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

fn counterexample_of(
    ctx: &RunContext,
    property: Property,
    settings: &Settings,
    failure: &Failure,
) -> Counterexample {
    let mut commands = vec![format!(
        "{} --seed {} --cases {} --property {}",
        settings.replay.command,
        settings.seed,
        failure.case,
        property.id()
    )];
    let mut base = None;
    if let Some((serve, url)) = &settings.replay.serve {
        commands.push(serve.clone());
        base = Some((ctx.base_url.as_str(), url.as_str()));
    }
    let mut files = Vec::new();
    let report = &failure.report;
    let last = report
        .failed_at
        .unwrap_or(report.exchanges.len().saturating_sub(1));
    for (n, exchange) in report.exchanges.iter().enumerate().take(last + 1) {
        let raw = report.bodies.get(n).cloned().flatten();
        let body = raw.map(|bytes| match repro::inline(&bytes) {
            Some(text) => repro::Body::Inline(text),
            None => match &settings.replay.payload_dir {
                Some(dir) => {
                    let path = dir.join(format!("fuzz-{}-{}.body", property.id(), n + 1));
                    files.push((path.clone(), bytes));
                    repro::Body::File(path)
                }
                None => repro::Body::Omitted(bytes.len()),
            },
        });
        commands.push(repro::curl(&exchange.request, body, base));
    }
    let (payload, shown) = failure.payload.clone();
    Counterexample {
        property,
        seed: settings.seed,
        case: failure.case,
        shrink_steps: failure.steps,
        shrink_limited: failure.limited.clone(),
        payload,
        shown,
        commands,
        files,
    }
}

/// The finding's `at`: where in the run it was found and how to get it back.
fn at_text(c: &Counterexample) -> String {
    let limit = match &c.shrink_limited {
        Some(by) => format!(" (shrinking stopped early, {by}: it may not be minimal)"),
        None => String::new(),
    };
    let mut out = format!(
        "dcrspec fuzz property {}, seed {}: case {} failed; shrunk in {} steps{limit}\npayload: {}\nreproduce:",
        c.property.id(),
        c.seed,
        c.case,
        c.shrink_steps,
        c.shown
    );
    for line in &c.commands {
        out.push_str("\n  ");
        out.push_str(line);
    }
    out
}

fn cut(text: &str) -> String {
    if text.len() <= SHOW_LIMIT {
        return text.to_string();
    }
    let mut end = SHOW_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

fn show_metadata(m: &Metadata) -> (Value, String) {
    let value = Value::Object(m.clone());
    let text = cut(&repro::ascii_escaped(&value.to_string()));
    (value, text)
}

#[allow(clippy::ptr_arg)] // a `fn(&T)` for T = Vec<Metadata>
fn show_concurrent(bodies: &Vec<Metadata>) -> (Value, String) {
    let value = Value::Array(bodies.iter().cloned().map(Value::Object).collect());
    let text = cut(&repro::ascii_escaped(&value.to_string()));
    (value, text)
}

fn show_invalid(input: &Invalid) -> (Value, String) {
    let body = String::from_utf8_lossy(&input.body);
    let target = match input.target {
        Target::Create => "create",
        Target::Update => "update",
    };
    let value = json!({
        "target": target,
        "content_type": input.content_type,
        "what": input.what,
        "body": body,
    });
    let ct = input.content_type.as_deref().unwrap_or("no Content-Type");
    let text = format!(
        "{target} ({ct}), {}: {}",
        repro::ascii_escaped(&input.what),
        cut(&repro::ascii_escaped(
            &Value::from(body.as_ref()).to_string()
        ))
    );
    (value, text)
}

#[cfg(test)]
mod tests {
    use super::*;

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
