//! `dcrspec run`: load suites, profile and contract; pick the target (or start the
//! embedded reference server); run every scenario as a trial; fold the results into
//! reports and an exit code. Reports are written whatever happens after loading.
//! The run is bounded: `--deadline` and the first SIGINT/SIGTERM stop it (scenarios end
//! as errored, every client created so far is deleted, reports are written); a second
//! signal aborts at once, naming the clients it leaves behind.

use std::io::IsTerminal;
use std::time::Duration;

use crate::baseline::{self, Baseline};
use crate::cli::RunArgs;
use crate::commands::profile_flags::override_profile;
use crate::commands::progress::Progress;
use crate::commands::setup;
use crate::error::LoadError;
use crate::profile::Profile;
use crate::report::console::Look;
use crate::report::{self, ReportPaths};
use crate::runner::{self, Selection};
use crate::schema::Contract;
use crate::session::{self, Inputs};
use crate::suite::{Suite, sources};
use crate::trials;
use crate::verdict;

/// Everything `run` needs, loaded and checked.
struct Loaded {
    profile: Profile,
    suite: Suite,
    contract: Contract,
    baseline: Option<Baseline>,
}

fn load_inputs(args: &RunArgs) -> Result<Loaded, LoadError> {
    let mut profile = Profile::resolve(&args.profile)?;
    if args.disabled {
        profile.enabled = false;
    }
    override_profile(
        &mut profile,
        args.registration_path.as_deref(),
        &args.management_auth,
        args.client_path.as_deref(),
    )?;
    let suite = sources::load(args.suites.as_deref(), &args.extra_suites)?;
    let contract = match &args.openapi {
        Some(file) => Contract::from_openapi_file(file)?,
        None => Contract::embedded()?,
    };
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    Ok(Loaded {
        profile,
        suite,
        contract,
        baseline,
    })
}

pub fn run(args: RunArgs) -> u8 {
    let runner_args = match trials::parse_args(&args.runner) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    if let Err(e) = trials::refuse_unsupported(&runner_args) {
        eprintln!("error: {e}");
        return 2;
    }
    let loaded = match load_inputs(&args) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    // The target: the user's, or our own reference server on a free loopback port.
    let prepared = setup::prepare(
        args.target.as_deref(),
        &args.faults,
        &args.transport,
        &loaded.profile,
        loaded.profile.enabled,
    );
    let setup::Prepared {
        runtime,
        http,
        base_url,
        embedded,
        started,
    } = match prepared {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let loaded_baseline = loaded.baseline;
    let inputs = Inputs {
        profile: loaded.profile,
        suite: loaded.suite,
        contract: loaded.contract,
    };
    let (ctx, scenarios) = session::context(inputs, base_url.clone(), http);
    let deadline = Duration::from_secs(args.deadline);
    let fatal = match setup::arm(
        &runtime,
        &ctx,
        deadline,
        format!(
            "requests in flight finish (at most {} s)",
            ctx.http.timeout().as_secs()
        ),
    ) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if runner_args.list {
        trials::list(&runner_args, &scenarios, &ctx.profile);
        return 0;
    }
    // GitHub Actions: workflow commands stay stopped while server text reaches stdout.
    let github = super::github::Github::start(args.format);
    let selection = Selection::from_args(&runner_args);
    let mut progress = Progress::on_stderr();
    let done = runtime.block_on(runner::execute(
        &ctx,
        &scenarios,
        &selection,
        fatal.as_deref(),
        |p| progress.show(p),
    ));
    progress.clear();
    let mut results = Vec::new();
    let mut leftovers = Vec::new();
    for (r, l) in done {
        results.push(r);
        leftovers.extend(l);
    }
    // Whatever the scenarios left in the registry (all of it after a stop) is deleted
    // now, with one budget for the lot.
    let budget = ctx.http.timeout() * 2;
    leftovers.extend(runtime.block_on(crate::runner::drain(ctx.clone(), budget)));
    if let Some(s) = embedded {
        runtime.block_on(s.shutdown());
    }
    let fatal = fatal.or_else(|| {
        ctx.stop
            .reason()
            .map(|r| format!("{r}: the run was stopped before every scenario finished"))
    });
    let target = if args.target.is_some() {
        base_url
    } else {
        format!("{base_url} (embedded reference server)")
    };
    let mut report = session::report(&ctx, target, started, results, leftovers, fatal.clone());
    let verdicts = verdict::Verdicts::fold(&report);
    report.baseline = loaded_baseline
        .as_ref()
        .map(|b| b.compare(&report, &verdicts));
    let paths = ReportPaths {
        junit: args.junit,
        junit_cases: args.junit_cases,
        json: args.json,
        evidence: Some(args.evidence),
        html: Some(args.html),
    };
    let mut written = report::write_all(&report, &verdicts, &paths);
    if let Some(path) = &args.write_baseline {
        let entries = baseline::observed(&verdicts);
        written = written.and(
            std::fs::write(path, baseline::render(&entries))
                .map_err(|e| LoadError::new(path.display().to_string(), e.to_string())),
        );
        eprintln!(
            "baseline: wrote {} failed rule(s) to {}; give each entry its reason (the TODO \
             placeholder is refused) before using it with --baseline",
            entries.len(),
            path.display()
        );
    }
    let look = Look {
        colour: std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        quiet: args.quiet,
    };
    print!("{}", report::console::render(&report, &verdicts, look));
    // dcrspec's own workflow commands, after the server text is out.
    if let Some(g) = github {
        written = written.and(g.finish(&report, &verdicts));
    }
    if let Some(c) = &report.baseline {
        eprint!("{}", baseline_lines(c));
    }
    if let Some(f) = &fatal {
        eprintln!("error: {f}");
    }
    if let Err(e) = written {
        eprintln!("error: {e}");
        return 2;
    }
    match &report.baseline {
        Some(_) if fatal.is_some() => 2,
        Some(c) => c.exit_code(),
        None => verdicts.exit_code,
    }
}

/// What a baseline comparison tells a CI user: paste-ready new entries, stale ones.
fn baseline_lines(c: &baseline::Comparison) -> String {
    let mut out = format!(
        "baseline: {} accepted failure(s) seen again, {} new, {} stale\n",
        c.matched,
        c.new.len(),
        c.stale.len()
    );
    if !c.new.is_empty() {
        out.push_str(
            "baseline: new failures (paste into the baseline with a reason to accept them):\n",
        );
        out.push_str(&baseline::render(&c.new));
    }
    if !c.stale.is_empty() {
        out.push_str("baseline: stale entries (these now pass; remove them):\n");
        out.push_str(&baseline::render(&c.stale));
    }
    out
}
