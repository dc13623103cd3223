//! Benchmark: the full built-in suite against the embedded reference server, under each
//! built-in profile it implements (ory, rfc7592, and the registration-only rfc7591 and mcp).
//! Reports wall time (median, min, max over several runs) and the HTTP requests one
//! run makes. Run with `cargo bench --bench suite`; `DCRSPEC_BENCH_RUNS` sets the count.
//! Not a test: it asserts nothing about speed, it measures.

use std::time::{Duration, Instant};

use dcrspec::server::Faults;
use dcrspec::session::{self, Inputs};

fn main() {
    let runs: usize = std::env::var("DCRSPEC_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(9);
    for profile in ["ory", "rfc7592", "rfc7591", "mcp"] {
        let mut times: Vec<Duration> = Vec::new();
        let mut requests = 0;
        for _ in 0..runs {
            let inputs = Inputs::built_in(profile).expect("built-in inputs load");
            let started = Instant::now();
            let run = session::against_reference(inputs, Faults::default()).expect("run completes");
            times.push(started.elapsed());
            requests = run.report.requests;
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "suite/{profile}: median {:.1} ms, min {:.1} ms, max {:.1} ms over {runs} runs; {requests} HTTP requests per run ({:.0} requests/s at the median)",
            ms(times[runs / 2]),
            ms(times[0]),
            ms(times[runs - 1]),
            requests as f64 / times[runs / 2].as_secs_f64()
        );
    }
}
