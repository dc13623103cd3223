//! `dcrspec fuzz`: load the profile and contract, derive the metadata model, pick the
//! target (or start the embedded reference server), run each property with proptest,
//! print every shrunk counterexample with its seed and reproduction commands, and write
//! the same JUnit, JSON and evidence reports as `run`.

use std::path::Path;
use std::time::Duration;

use crate::cli::FuzzArgs;
use crate::commands::profile_flags::override_profile;
use crate::commands::setup;
use crate::error::LoadError;
use crate::fuzz::{self, Property, Replay, Settings, model::Model, shell_word};
use crate::outcome::Outcome;
use crate::profile::Profile;
use crate::report::{self, ReportPaths};
use crate::schema::Contract;
use crate::session;
use crate::verdict;

/// The port the printed `dcrspec serve` line uses to replay against the embedded server.
const REPLAY_PORT: u16 = 4444;

fn load(args: &FuzzArgs) -> Result<(Profile, Contract, Vec<Property>), LoadError> {
    let mut profile = Profile::resolve(&args.profile)?;
    override_profile(
        &mut profile,
        args.registration_path.as_deref(),
        &args.management_auth,
        args.client_path.as_deref(),
    )?;
    let contract = match &args.openapi {
        Some(file) => Contract::from_openapi_file(file)?,
        None => Contract::embedded()?,
    };
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
    Ok((profile, contract, properties))
}

pub fn fuzz(args: FuzzArgs) -> u8 {
    let (profile, contract, properties) = match load(&args) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let model = match Model::derive(&contract, &profile) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    // Fuzzing needs the feature on: every property registers clients.
    let prepared = setup::prepare(
        args.target.as_deref(),
        &args.faults,
        &args.transport,
        &profile,
        true,
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
    let ctx = fuzz::context(profile, contract, base_url.clone(), http);
    let deadline = Duration::from_secs(args.deadline);
    let fatal = match setup::arm(
        &runtime,
        &ctx,
        deadline,
        "the case running finishes".to_string(),
    ) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let seed = args.seed.unwrap_or_else(random_seed);
    let settings = Settings {
        seed,
        cases: args.cases,
        max_shrink_iters: args.max_shrink_iters,
        max_shrink_time: Duration::from_secs(args.max_shrink_time),
        replay: replay(&args, &ctx.profile),
    };
    let target = match &args.target {
        Some(_) => base_url.clone(),
        None => format!("{base_url} (embedded reference server)"),
    };
    println!(
        "dcrspec fuzz: seed {seed}, {} cases per property, target {target}",
        args.cases
    );
    let mut results = Vec::new();
    let mut leftovers = Vec::new();
    let mut write_error = None;
    for property in properties {
        if let Some(reason) = &fatal {
            let result = fuzz::placeholder(
                property,
                Outcome::Errored {
                    reason: reason.clone(),
                },
            );
            println!("property {} ... ERRORED", property.id());
            results.push(result);
            continue;
        }
        let run = fuzz::run_property(&ctx, &model, runtime.handle(), property, &settings);
        let verdict = match &run.result.outcome {
            Outcome::Passed => "ok",
            Outcome::Warned => "warned",
            Outcome::Failed => "FAILED",
            Outcome::Errored { .. } => "ERRORED",
            Outcome::Skipped { .. } => "skipped",
        };
        println!(
            "property {} ... {verdict} ({} cases run)",
            property.id(),
            run.runs
        );
        if let Some(c) = &run.counterexample {
            for (path, bytes) in &c.files {
                if let Err(e) = write_file(path, bytes) {
                    write_error.get_or_insert(format!("{}: {e}", path.display()));
                }
            }
            println!(
                "{}\n",
                report::clean(&report::text::scenario_message(&run.result, &ctx.catalogue))
            );
        } else if let Outcome::Errored { reason } = &run.result.outcome {
            println!("  {}", report::clean(reason));
        }
        results.push(run.result);
        leftovers.extend(run.leftovers);
    }
    // Whatever a stop left in the registry is deleted now, with one budget for the lot.
    let budget = ctx.http.timeout() * 2;
    leftovers.extend(runtime.block_on(crate::runner::drain(ctx.clone(), budget)));
    if let Some(s) = embedded {
        runtime.block_on(s.shutdown());
    }
    let fatal = fatal.or_else(|| {
        ctx.stop
            .reason()
            .map(|r| format!("{r}: the run was stopped before every property finished"))
    });
    let report = session::report(&ctx, target, started, results, leftovers, fatal.clone());
    let paths = ReportPaths {
        junit: args.junit,
        junit_cases: args.junit_cases,
        json: args.json,
        evidence: Some(args.evidence),
        html: Some(args.html),
    };
    let verdicts = verdict::Verdicts::fold(&report);
    let written = report::write_all(&report, &verdicts, &paths);
    eprintln!("{}", report::text::summary(&report, &verdicts));
    if let Some(f) = &fatal {
        eprintln!("error: {f}");
    }
    if let Some(e) = write_error {
        eprintln!("error: cannot write a reproduction payload: {e}");
    }
    if let Err(e) = written {
        eprintln!("error: {e}");
        return 2;
    }
    verdicts.exit_code
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
    if let Some(t) = &args.target {
        flag("target", t);
    }
    if args.profile != "ory" {
        flag("profile", &args.profile);
    }
    if let Some(p) = &args.registration_path {
        flag("registration-path", p);
    }
    if !args.management_auth.is_empty() {
        flag("management-auth", &args.management_auth.join(","));
    }
    if let Some(p) = &args.client_path {
        flag("client-path", p);
    }
    if let Some(c) = &args.transport.cacert {
        flag("cacert", &c.display().to_string());
    }
    if args.transport.insecure {
        flag("insecure", "");
    }
    if let Some(o) = &args.openapi {
        flag("openapi", &o.display().to_string());
    }
    if args.transport.timeout != 10 {
        flag("timeout", &args.transport.timeout.to_string());
    }
    for f in &args.faults {
        flag("fault", f);
    }
    let serve = args.target.is_none().then(|| {
        let mut serve = format!("dcrspec serve --port {REPLAY_PORT}");
        if profile.name != "ory" {
            serve.push_str(&format!(" --profile {}", shell_word(&profile.name)));
        }
        for f in &args.faults {
            serve.push_str(&format!(" --fault {}", shell_word(f)));
        }
        (serve, format!("http://127.0.0.1:{REPLAY_PORT}"))
    });
    let payload_dir = Some(
        args.json
            .parent()
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
