//! The run-wide stop: the deadline passed or the user interrupted. Once stopped, no
//! scenario starts another request; requests already in flight finish within their own
//! `--timeout` (so that dcrspec learns every client the server created and every
//! credential it changed), and the clients created so far are deleted by `drain`.

use std::fmt;
use std::time::Duration;

use tokio::sync::watch;

/// Why the run stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// `--deadline` passed.
    Deadline(Duration),
    /// A signal (SIGINT from Ctrl-C, SIGTERM).
    Signal(&'static str),
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::Deadline(d) => write!(f, "deadline exceeded ({} s)", d.as_secs()),
            StopReason::Signal(name) => write!(f, "interrupted ({name})"),
        }
    }
}

/// A stop that fires once; the first reason wins. Clones share the state.
#[derive(Debug, Clone)]
pub struct Stop {
    tx: std::sync::Arc<watch::Sender<Option<StopReason>>>,
}

impl Default for Stop {
    fn default() -> Self {
        Stop {
            tx: std::sync::Arc::new(watch::channel(None).0),
        }
    }
}

impl Stop {
    /// Stop the run; `false` when it was already stopped (the first reason stays).
    pub fn trigger(&self, reason: StopReason) -> bool {
        self.tx.send_if_modified(|current| {
            if current.is_some() {
                return false;
            }
            *current = Some(reason);
            true
        })
    }

    /// Why the run stopped, if it did.
    pub fn reason(&self) -> Option<StopReason> {
        self.tx.borrow().clone()
    }

    /// Wait until the run stops.
    pub async fn stopped(&self) -> StopReason {
        let mut rx = self.tx.subscribe();
        loop {
            if let Some(r) = rx.borrow_and_update().clone() {
                return r;
            }
            if rx.changed().await.is_err() {
                // Cannot happen: `self` holds the sender.
                std::future::pending::<()>().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_reason_wins_and_waiters_wake() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let stop = Stop::default();
        assert_eq!(stop.reason(), None);
        let waiter = {
            let stop = stop.clone();
            rt.spawn(async move { stop.stopped().await })
        };
        assert!(stop.trigger(StopReason::Signal("SIGINT")));
        assert!(!stop.trigger(StopReason::Deadline(Duration::from_secs(3))));
        assert_eq!(rt.block_on(waiter).unwrap(), StopReason::Signal("SIGINT"));
        assert_eq!(stop.reason().unwrap().to_string(), "interrupted (SIGINT)");
        assert_eq!(
            StopReason::Deadline(Duration::from_secs(3)).to_string(),
            "deadline exceeded (3 s)"
        );
        // Waiting after the fact returns at once.
        assert_eq!(rt.block_on(stop.stopped()), StopReason::Signal("SIGINT"));
    }
}
