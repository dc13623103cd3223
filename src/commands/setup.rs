//! What `run` and `fuzz` make of the shared target flags (`TargetArgs`): the profile
//! with its overrides, the contract, the target — the user's URL, or the embedded
//! reference server with its `--fault`s — and the HTTP client from the transport flags:
//! everything `Session::prepare` takes. Every check happens here, before anything starts.

use std::time::Duration;

use crate::cli::TargetArgs;
use crate::error::CliError;
use crate::http::Http;
use crate::profile::Profile;
use crate::runner::iat::{self, Source};
use crate::schema::Contract;
use crate::server::Faults;
use crate::session::{Checks, Session, Stops, Target};

use super::profile_flags::override_profile;

/// The profile, the contract and where and how to send requests.
pub struct Resolved {
    pub profile: Profile,
    pub contract: Contract,
    pub target: Target,
    pub http: Http,
    /// The initial access token for a protected registration endpoint, if any.
    pub iat: Option<Source>,
}

/// Load the profile (with `--registration-path`, `--management-auth`, `--client-path`
/// over it; `disabled` switches its feature off, `--registration-protected` protects its
/// registration) and the contract, and check the target flags and the initial access
/// token (a protected profile against a server of the user's needs one). `Err` is the one-line reason to print before exiting 2.
pub fn resolve(args: &TargetArgs, disabled: bool) -> Result<Resolved, CliError> {
    let mut profile = Profile::resolve(&args.profile)?;
    if disabled {
        profile.enabled = false;
    }
    if args.registration_protected {
        profile.registration_protected = true;
    }
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
    let mut iat = Source::from_args(
        args.initial_access_token.as_deref(),
        args.initial_access_token_command.as_deref(),
        std::env::var(iat::ENV).ok(),
    )?;
    let elsewhere = args.target.as_deref().or(args.issuer.as_deref());
    if elsewhere.is_some() && profile.is_protected() && iat.is_none() && profile.enabled {
        return Err(format!(
            "profile '{}' says registration is protected: give its initial access token with \
             --initial-access-token TOKEN, the {} environment variable, or \
             --initial-access-token-command CMD",
            profile.name,
            iat::ENV
        )
        .into());
    }
    let faults = faults(elsewhere, &args.faults)?;
    let target = match (&args.target, &args.issuer) {
        (Some(url), _) => {
            super::target::check_target(url)?;
            Target::Url(url.clone())
        }
        (None, Some(issuer)) => Target::Issuer {
            issuer: crate::discovery::check_issuer(issuer)?.to_string(),
            keep_registration_path: args.registration_path.is_some(),
        },
        (None, None) => {
            let (server, source) = iat::for_embedded(profile.is_protected(), iat)?;
            iat = source;
            Target::Embedded {
                faults,
                enabled: profile.enabled,
                iat: server,
            }
        }
    };
    // Checked before anything starts; applied once the base URL is known.
    super::target::origins("http://127.0.0.1", &args.transport.allow_origin)?;
    let http = super::target::http_with(&args.transport)?;
    Ok(Resolved {
        profile,
        contract,
        target,
        http,
        iat,
    })
}

/// A command's session, prepared and armed: limited to the target's origin and
/// `--allow-origin`, stopped by `--deadline` (whose notice says what `finishing` means
/// for the command) and by Ctrl-C or SIGTERM, the target knocked on once.
pub fn start(
    checks: Checks,
    target: Target,
    http: Http,
    args: &TargetArgs,
    deadline_secs: u64,
    finishing: String,
) -> Result<Session, CliError> {
    let mut session = Session::prepare(checks, target, http, &args.transport.allow_origin)?;
    session.arm(&Stops {
        deadline: Some((Duration::from_secs(deadline_secs), finishing)),
        signals: true,
    })?;
    Ok(session)
}

/// The `--fault` names, which only make sense for the embedded server.
fn faults(elsewhere: Option<&str>, names: &[String]) -> Result<Faults, String> {
    if !names.is_empty() && elsewhere.is_some() {
        return Err(
            "--fault plants bugs in the embedded server; it cannot be combined with --target \
             or --issuer"
                .into(),
        );
    }
    Faults::from_names(&names.iter().map(String::as_str).collect::<Vec<_>>())
        .map_err(|e| format!("--fault: {e}"))
}
