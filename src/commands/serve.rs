//! `dcrspec serve`: the embedded reference server alone, on 127.0.0.1, until Ctrl-C.

use crate::cli::ServeArgs;
use crate::error::CliError;
use crate::server::{self, Faults, Flavor, ServerConfig};

pub fn serve(args: ServeArgs) -> Result<u8, CliError> {
    let flavor = Flavor::for_profile(&args.profile).map_err(|e| format!("--profile: {e}"))?;
    if let Some(t) = &args.initial_access_token {
        crate::runner::iat::check_token(t).map_err(|e| format!("--initial-access-token: {e}"))?;
    }
    let faults = Faults::from_names(&args.faults.iter().map(String::as_str).collect::<Vec<_>>())
        .map_err(|e| format!("--fault: {e}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let config = ServerConfig {
            flavor,
            enabled: !args.disabled,
            faults,
            iat: args.initial_access_token.clone(),
        };
        let server = server::start(config, args.port)
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
        let state = match (args.disabled, &args.initial_access_token) {
            (true, _) => "disabled",
            (false, Some(_)) => "enabled, protected by the initial access token given",
            (false, None) => "enabled",
        };
        println!(
            "dcrspec reference server ({}, registration {state}) listening on {}",
            args.profile,
            server.base_url()
        );
        let _ = tokio::signal::ctrl_c().await;
        server.shutdown().await;
        Ok(0)
    })
}
