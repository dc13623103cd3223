//! `dcrspec serve`: the embedded reference server alone, on 127.0.0.1, until Ctrl-C.

use crate::cli::ServeArgs;
use crate::server::{self, Faults, Flavor, ServerConfig};

pub fn serve(args: ServeArgs) -> u8 {
    let flavor = match args.profile.as_str() {
        "ory" => Flavor::Ory,
        "rfc7592" => Flavor::Rfc7592,
        other => {
            eprintln!("error: --profile {other}: the reference server implements ory and rfc7592");
            return 2;
        }
    };
    let faults =
        match Faults::from_names(&args.faults.iter().map(String::as_str).collect::<Vec<_>>()) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: --fault: {e}");
                return 2;
            }
        };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 2;
        }
    };
    runtime.block_on(async {
        let config = ServerConfig {
            flavor,
            enabled: !args.disabled,
            faults,
        };
        let server = match server::start(config, args.port).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot listen on 127.0.0.1:{}: {e}", args.port);
                return 2;
            }
        };
        let state = if args.disabled { "disabled" } else { "enabled" };
        println!(
            "dcrspec reference server ({}, registration {state}) listening on {}",
            args.profile,
            server.base_url()
        );
        let _ = tokio::signal::ctrl_c().await;
        server.shutdown().await;
        0
    })
}
