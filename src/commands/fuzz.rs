//! `dcrspec fuzz`: load the profile and contract, derive the metadata model, prepare a
//! session for the target (or the embedded reference server), run each property with
//! proptest, print every shrunk counterexample with its seed and reproduction commands,
//! and write the same JUnit, JSON and evidence reports as `run`.

use std::path::Path;
use std::time::Duration;

use crate::cli::FuzzArgs;
use crate::commands::setup;
use crate::error::{CliError, LoadError};
use crate::fuzz::{self, Property, Replay, Settings, model::Model, shell_word};
use crate::outcome::Outcome;
use crate::profile::Profile;
use crate::report;
use crate::verdict;

/// The port the printed `dcrspec serve` line uses to replay against the embedded server.
const REPLAY_PORT: u16 = 4444;

fn properties(args: &FuzzArgs) -> Result<Vec<Property>, LoadError> {
    let mut properties = Vec::new();
    for name in &args.properties {
        let p = Property::from_id(name).map_err(|e| LoadError::new("--property", e))?;
        if !properties.contains(&p) {
            properties.push(p);
        }
    }
    if properties.is_empty() {
        properties = Property::ALL.to_vec();
    }
    if args.cases == 0 {
        return Err(LoadError::new("--cases", "must be at least 1"));
    }
    Ok(properties)
}

pub fn fuzz(args: FuzzArgs) -> Result<u8, CliError> {
    // Fuzzing needs the feature on: every property registers clients.
    let resolved = setup::resolve(&args.target, false)?;
    if !resolved.profile.client_management {
        // Every property reads back or updates what it registers, and deletes it.
        return Err(LoadError::new(
            "--profile",
            format!(
                "dcrspec fuzz reads back, updates and deletes the clients it registers; \
                 profile '{}' has no client configuration endpoint (client_management = \
                 false): use dcrspec run",
                resolved.profile.name
            ),
        )
        .into());
    }
    let properties = properties(&args)?;
    let model = Model::derive(&resolved.contract, &resolved.profile)?;
    let replay = replay(&args, &resolved.profile);
    let mut checks = fuzz::checks(resolved.profile, resolved.contract);
    checks.iat = resolved.iat;
    let finishing = "the case running finishes".to_string();
    let session = setup::start(
        checks,
        resolved.target,
        resolved.http,
        &args.target,
        args.deadline,
        finishing,
    )?;
    let seed = args.seed.unwrap_or_else(random_seed);
    let settings = Settings {
        seed,
        cases: args.cases,
        max_shrink_iters: args.max_shrink_iters,
        max_shrink_time: Duration::from_secs(args.max_shrink_time),
        replay,
    };
    println!(
        "dcrspec fuzz: seed {seed}, {} cases per property, target {}",
        args.cases,
        session.label()
    );
    let mut write_error = None;
    let runs = fuzz::run_properties(&session, &model, &properties, &settings, |run| {
        let verdict = match &run.result.outcome {
            Outcome::Passed => "ok",
            Outcome::Warned => "warned",
            Outcome::Failed => "FAILED",
            Outcome::Errored { .. } => "ERRORED",
            Outcome::Skipped { .. } => "skipped",
        };
        println!(
            "property {} ... {verdict} ({} cases run)",
            run.result.id, run.runs
        );
        if let Some(c) = &run.counterexample {
            for (path, bytes) in &c.files {
                if let Err(e) = write_file(path, bytes) {
                    write_error.get_or_insert(format!("{}: {e}", path.display()));
                }
            }
            println!(
                "{}\n",
                report::clean(&report::text::scenario_message(
                    &run.result,
                    &session.ctx.catalogue
                ))
            );
        } else if let Outcome::Errored { reason } = &run.result.outcome {
            println!("  {}", report::clean(reason));
        }
    });
    let done = runs.into_iter().map(|r| (r.result, r.leftovers)).collect();
    let report = session.finish(done, "property").report;
    let verdicts = verdict::Verdicts::fold(&report);
    let written = report::write_all(&report, &verdicts, &args.reports.paths("fuzz-"));
    eprintln!("{}", report::text::summary(&report, &verdicts));
    if let Some(f) = &report.fatal {
        eprintln!("error: {f}");
    }
    if let Some(e) = write_error {
        eprintln!("error: cannot write a reproduction payload: {e}");
    }
    written?;
    Ok(verdicts.exit_code)
}

/// The `dcrspec fuzz` (and, for the embedded server, `dcrspec serve`) flags that make a
/// printed command replay this run's target.
fn replay(args: &FuzzArgs, profile: &Profile) -> Replay {
    let mut command = String::from("dcrspec fuzz");
    let mut flag = |name: &str, value: &str| {
        command.push_str(&format!(" --{name}"));
        if !value.is_empty() {
            command.push_str(&format!(" {}", shell_word(value)));
        }
    };
    let t = &args.target;
    if let Some(url) = &t.target {
        flag("target", url);
    }
    if t.profile != "ory" {
        flag("profile", &t.profile);
    }
    if let Some(p) = &t.registration_path {
        flag("registration-path", p);
    }
    if !t.management_auth.is_empty() {
        flag("management-auth", &t.management_auth.join(","));
    }
    if let Some(p) = &t.client_path {
        flag("client-path", p);
    }
    // The initial access token (or its command) is never written out: the replay takes
    // it from DCRSPEC_INITIAL_ACCESS_TOKEN.
    if t.registration_protected {
        flag("registration-protected", "");
    }
    if let Some(c) = &t.transport.cacert {
        flag("cacert", &c.display().to_string());
    }
    if t.transport.insecure {
        flag("insecure", "");
    }
    for o in &t.transport.allow_origin {
        flag("allow-origin", o);
    }
    if let Some(o) = &t.openapi {
        flag("openapi", &o.display().to_string());
    }
    if t.transport.timeout != 10 {
        flag("timeout", &t.transport.timeout.to_string());
    }
    for f in &t.faults {
        flag("fault", f);
    }
    let serve = t.target.is_none().then(|| {
        let mut serve = format!("dcrspec serve --port {REPLAY_PORT}");
        if profile.name != "ory" {
            serve.push_str(&format!(" --profile {}", shell_word(&profile.name)));
        }
        for f in &t.faults {
            serve.push_str(&format!(" --fault {}", shell_word(f)));
        }
        (serve, format!("http://127.0.0.1:{REPLAY_PORT}"))
    });
    let json = args.reports.paths("fuzz-").json;
    let payload_dir = Some(
        json.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
    );
    Replay {
        command,
        serve,
        payload_dir,
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)
}

fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    // Keep seeds short enough to type: 0 .. 2^32.
    u64::from(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}
