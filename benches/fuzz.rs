//! Benchmark: `dcrspec fuzz` (every property) against the embedded reference server.
//! Reports fuzz throughput, checked requests per second (requests whose answers a
//! property judged; cleanup deletes not counted), as the median over several runs, with
//! wall time. Same seed every run, so every run does the same work. Run with
//! `cargo bench --bench fuzz`; `DCRSPEC_BENCH_RUNS` sets the runs, `DCRSPEC_BENCH_CASES`
//! the cases per property. Not a test: it asserts nothing about speed, it measures.

use std::time::{Duration, Instant};

use dcrspec::fuzz::{self, Property, Replay, Settings};
use dcrspec::profile::Profile;
use dcrspec::server::Faults;

fn env(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let runs = env("DCRSPEC_BENCH_RUNS", 7).max(1) as usize;
    let cases = env("DCRSPEC_BENCH_CASES", 64);
    let settings = Settings {
        seed: 1,
        cases,
        max_shrink_iters: 256,
        max_shrink_time: Duration::from_secs(60),
        replay: Replay::default(),
    };
    for profile in ["ory", "rfc7592"] {
        let mut samples: Vec<(f64, Duration, usize, usize)> = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            let run = fuzz::against_reference(
                Profile::resolve(profile).expect("built-in profile"),
                Faults::default(),
                &Property::ALL,
                &settings,
            )
            .expect("run completes");
            let elapsed = started.elapsed();
            let checked: usize = run.run.properties.iter().map(|p| p.checked_requests).sum();
            let all = run.run.report.requests;
            samples.push((
                checked as f64 / elapsed.as_secs_f64(),
                elapsed,
                checked,
                all,
            ));
        }
        samples.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (median, min, max) = (samples[runs / 2], samples[0], samples[runs - 1]);
        println!(
            "fuzz/{profile}: median {:.0} checked requests/s (min {:.0}, max {:.0}) over {runs} runs; \
             {} checked + {} cleanup requests per run, {} cases per property x 3 properties, {:.1} ms at the median",
            median.0,
            min.0,
            max.0,
            median.2,
            median.3 - median.2,
            cases,
            median.1.as_secs_f64() * 1000.0
        );
    }
}
