//! SIGINT and SIGTERM during `run` and `fuzz`: the first stops the run like the
//! deadline; the second aborts at once, naming the clients left behind.

use std::sync::Arc;

use crate::runner::RunContext;
use crate::runner::stop::StopReason;

/// SIGINT (Ctrl-C) and SIGTERM: the first stops the run as the deadline does; the
/// second aborts at once, naming every client not yet deleted (exit 130 or 143).
#[cfg(unix)]
pub(crate) fn watch_signals(
    runtime: &tokio::runtime::Runtime,
    ctx: Arc<RunContext>,
) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    // Registered here, before any request: from now on a signal never kills the run
    // halfway through creating a client.
    let _entered = runtime.enter();
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    runtime.spawn(async move {
        let mut seen = 0;
        loop {
            let (name, code) = tokio::select! {
                _ = int.recv() => ("SIGINT", 130),
                _ = term.recv() => ("SIGTERM", 143),
            };
            seen += 1;
            if seen == 1 {
                ctx.stop.trigger(StopReason::Signal(name));
                eprintln!(
                    "{name}: stopping; requests in flight finish (at most {} s), then the {} \
                     clients created so far are deleted and the reports written; \
                     send it again to abort at once",
                    ctx.http.timeout().as_secs(),
                    ctx.registry.len()
                );
                continue;
            }
            let left = ctx.registry.ids();
            eprintln!(
                "{name} again: aborting; no reports written; {} clients may be left on the target",
                left.len()
            );
            for (id, scenario) in left {
                eprintln!("not deleted: client {id} (scenario {scenario})");
            }
            std::process::exit(code);
        }
    });
    Ok(())
}

/// Ctrl-C only, where there are no Unix signals.
#[cfg(not(unix))]
pub(crate) fn watch_signals(
    runtime: &tokio::runtime::Runtime,
    ctx: Arc<RunContext>,
) -> std::io::Result<()> {
    runtime.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            ctx.stop.trigger(StopReason::Signal("Ctrl-C"));
            if tokio::signal::ctrl_c().await.is_ok() {
                for (id, scenario) in ctx.registry.ids() {
                    eprintln!("not deleted: client {id} (scenario {scenario})");
                }
                std::process::exit(130);
            }
        }
    });
    Ok(())
}
