//! The shrink loop: generate up to `--cases` cases from a seeded proptest `TestRunner`,
//! and on the first failure simplify while it still fails and complicate when it passes,
//! within `--max-shrink-iters` steps, `--max-shrink-time` and the run's stop.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::time::{Duration, Instant};

use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRunner};
use serde_json::Value;

use super::Settings;
use super::cases::CaseReport;
use crate::outcome::Leftover;
use crate::runner::stop::Stop;

/// What driving a property produced.
pub(super) struct Driven {
    pub(super) runs: usize,
    pub(super) checked_requests: usize,
    pub(super) leftovers: Vec<Leftover>,
    pub(super) checked: BTreeSet<&'static str>,
    /// The last passing case, as a sample of the exchanges for the evidence report.
    pub(super) sample: Option<CaseReport>,
    pub(super) failure: Option<Failure>,
    /// proptest could not generate a case.
    pub(super) aborted: Option<String>,
}

pub(super) struct Failure {
    pub(super) case: u32,
    pub(super) steps: u32,
    /// What stopped shrinking early, if something did.
    pub(super) limited: Option<String>,
    pub(super) payload: (Value, String),
    pub(super) report: CaseReport,
}

pub(super) fn drive<T: Clone + Debug>(
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
        if let Some(why) = &report.errored {
            // Rate limited, or no management to judge: the property cannot be judged, only errored.
            driven.aborted = Some(format!("case {case} was not judged: {why}"));
            return driven;
        }
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
            if let Some(why) = report.errored {
                // Unjudged: the smallest failing case so far stands.
                limited = Some(why);
                break;
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Exchange, Finding, RequestRecord};
    use crate::rules::Level;
    use proptest::strategy::Strategy;

    fn settings() -> Settings {
        Settings {
            seed: 1,
            cases: 8,
            max_shrink_iters: 64,
            max_shrink_time: Duration::ZERO,
            replay: Default::default(),
        }
    }

    /// A case that fails (`fails`), or is not judged (`limited`), or passes.
    fn report(fails: bool, limited: bool) -> CaseReport {
        let exchange = Exchange {
            request: RequestRecord {
                method: "POST".into(),
                url: "http://127.0.0.1:9/x".into(),
                headers: Vec::new(),
                body: None,
            },
            response: None,
            error: None,
            elapsed_ms: 0,
        };
        CaseReport {
            finding: fails.then(|| Finding {
                rule: "fuzz:valid-accepted".into(),
                level: Level::Must,
                step: "create".into(),
                expected: "201".into(),
                actual: "400".into(),
                at: String::new(),
                exchange: exchange.clone(),
            }),
            failed_at: fails.then_some(0),
            exchanges: vec![exchange],
            bodies: vec![None],
            checked: BTreeSet::new(),
            leftovers: Vec::new(),
            errored: limited.then(|| "create: rate limited (429 Too Many Requests)".into()),
        }
    }

    fn show(v: &u32) -> (Value, String) {
        (Value::from(*v), v.to_string())
    }

    #[test]
    fn an_unjudged_case_errors_the_property_and_never_fails_it() {
        // Every case is rate limited: no failure, the property is aborted with the reason.
        let strategy = (0u32..1000).boxed();
        let d = drive(
            &settings(),
            &Stop::default(),
            strategy.clone(),
            |_| report(true, true),
            show,
        );
        assert!(d.failure.is_none());
        assert_eq!(
            d.aborted.as_deref(),
            Some("case 1 was not judged: create: rate limited (429 Too Many Requests)")
        );
        assert_eq!(d.runs, 1);
        // Values at or above 100 fail; below, the limiter answers: shrinking stops at the
        // first unjudged candidate and the smallest judged failure stands.
        let d = drive(
            &settings(),
            &Stop::default(),
            (100u32..1000).boxed(),
            |v| report(*v >= 100, false),
            show,
        );
        let smallest = d.failure.expect("fails").payload.0;
        assert_eq!(smallest, Value::from(100));
        let d = drive(
            &settings(),
            &Stop::default(),
            strategy,
            |v| report(*v >= 100, *v < 100),
            show,
        );
        let failure = d.failure.expect("a judged failure stands");
        assert!(failure.payload.0.as_u64().unwrap() >= 100);
        assert_eq!(
            failure.limited.as_deref(),
            Some("create: rate limited (429 Too Many Requests)")
        );
        assert!(d.aborted.is_none());
    }
}
