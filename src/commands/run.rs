//! `dcrspec run`: load suites, profile and contract; prepare a session for the target (or
//! the embedded reference server); run the selected scenarios; fold the results into
//! reports and an exit code. Reports are written whatever happens after loading.
//! The run is bounded: `--deadline` and the first SIGINT/SIGTERM stop it (scenarios end
//! as errored, every client created so far is deleted, reports are written); a second
//! signal aborts at once, naming the clients it leaves behind.

use std::io::IsTerminal;

use crate::baseline::{self, Baseline};
use crate::cli::RunArgs;
use crate::commands::progress::Progress;
use crate::commands::setup;
use crate::error::{CliError, LoadError};
use crate::report;
use crate::report::console::Look;
use crate::runner::Selection;
use crate::session::Inputs;
use crate::suite::sources;
use crate::trials;
use crate::verdict;

pub fn run(args: RunArgs) -> Result<u8, CliError> {
    let runner_args = trials::parse_args(&args.runner).map_err(|e| {
        let _ = e.print();
        CliError::Exit(if e.use_stderr() { 2 } else { 0 })
    })?;
    trials::refuse_unsupported(&runner_args)?;
    let resolved = setup::resolve(&args.target, args.disabled)?;
    let suite = sources::load(args.suites.as_deref(), &args.extra_suites)?;
    let loaded_baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let inputs = Inputs {
        profile: resolved.profile,
        suite,
        contract: resolved.contract,
    };
    let (mut checks, scenarios) = inputs.split();
    checks.iat = resolved.iat;
    if runner_args.list {
        // Listing needs no target: nothing is started, nothing is sent.
        trials::list(&runner_args, &scenarios, &checks.profile);
        return Ok(0);
    }
    let notice = report::console::registration_only_notice(&checks.profile);
    let finishing = format!(
        "requests in flight finish (at most {} s)",
        resolved.http.timeout().as_secs()
    );
    let session = setup::start(
        checks,
        resolved.target,
        resolved.http,
        &args.target,
        args.deadline,
        finishing,
    )?;
    // Said once, before anything is registered: nothing registered here can be deleted.
    if let Some(notice) = &notice {
        print!("{notice}");
    }
    // GitHub Actions: workflow commands stay stopped while server text reaches stdout.
    let github = super::github::Github::start(args.format);
    let mut progress = Progress::on_stderr();
    let done = session.execute(&scenarios, &Selection::from_args(&runner_args), |p| {
        progress.show(p)
    });
    progress.clear();
    let mut report = session.finish(done, "scenario").report;
    let fatal = report.fatal.clone();
    let verdicts = verdict::Verdicts::fold(&report);
    report.baseline = loaded_baseline
        .as_ref()
        .map(|b| b.compare(&report, &verdicts));
    let paths = args.reports.paths("");
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
    written?;
    Ok(match &report.baseline {
        Some(_) if fatal.is_some() => 2,
        Some(c) => c.exit_code(),
        None => verdicts.exit_code,
    })
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
