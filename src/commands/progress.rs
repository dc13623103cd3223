//! The progress line on standard error while a run goes on: `[12/44] secret-retained`,
//! redrawn in place as scenarios end. Shown only on a terminal, and only once a run has
//! taken a couple of seconds, so short runs and logs stay clean.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::runner::Progress as Step;

/// How long a run goes before the progress line appears.
const AFTER: Duration = Duration::from_secs(2);

/// "Go to the start of the line and erase it": the line is redrawn in place.
const ERASE: &str = "\r\x1b[2K";

pub struct Progress<W: Write> {
    out: Option<W>,
    started: Instant,
    after: Duration,
    shown: bool,
}

impl Progress<std::io::Stderr> {
    /// The progress line on standard error, drawn only if it is a terminal.
    pub fn on_stderr() -> Self {
        use std::io::IsTerminal;
        let stderr = std::io::stderr();
        let terminal = stderr.is_terminal();
        Progress::new(terminal.then_some(stderr), AFTER)
    }
}

impl<W: Write> Progress<W> {
    /// A progress line drawn on `out` (none: never drawn) once `after` has passed.
    pub fn new(out: Option<W>, after: Duration) -> Self {
        Progress {
            out,
            started: Instant::now(),
            after,
            shown: false,
        }
    }

    /// Redraw the line for a scenario that just ended.
    pub fn show(&mut self, step: Step<'_>) {
        let Some(out) = self.out.as_mut() else {
            return;
        };
        if self.started.elapsed() < self.after {
            return;
        }
        let name: String = step.scenario.chars().take(60).collect();
        let _ = write!(out, "{ERASE}[{}/{}] {name}", step.done, step.total);
        let _ = out.flush();
        self.shown = true;
    }

    /// Erase the line, so what follows starts on a clean line.
    pub fn clear(&mut self) {
        if let Some(out) = self.out.as_mut().filter(|_| self.shown) {
            let _ = write!(out, "{ERASE}");
            let _ = out.flush();
            self.shown = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(done: usize) -> Step<'static> {
        Step {
            done,
            total: 2,
            scenario: "secret-retained",
        }
    }

    #[test]
    fn draws_in_place_and_erases_at_the_end() {
        let mut p = Progress::new(Some(Vec::new()), Duration::ZERO);
        p.show(step(1));
        p.show(step(2));
        p.clear();
        let out = String::from_utf8(p.out.unwrap()).unwrap();
        assert_eq!(
            out,
            "\r\x1b[2K[1/2] secret-retained\r\x1b[2K[2/2] secret-retained\r\x1b[2K"
        );
    }

    #[test]
    fn short_runs_and_non_terminals_show_nothing() {
        let mut p = Progress::new(Some(Vec::new()), Duration::from_secs(3600));
        p.show(step(1));
        p.clear();
        assert!(p.out.unwrap().is_empty());
        let mut none: Progress<Vec<u8>> = Progress::new(None, Duration::ZERO);
        none.show(step(1));
        none.clear();
        assert!(!none.shown);
    }
}
