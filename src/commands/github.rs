//! GitHub Actions at the edge of `dcrspec run`: whether to speak to it (`--format`, else
//! `GITHUB_ACTIONS=true`), and the I/O: workflow commands on stdout, the step summary
//! appended to `$GITHUB_STEP_SUMMARY`. What is said is `report::github`'s.
//!
//! While the scenarios run, workflow commands are stopped (`::stop-commands::<token>`,
//! with a token the server cannot guess): findings echo server text to stdout, and a
//! server must not be able to write annotations, masks or anything else into the log.
//! They are resumed before dcrspec's own commands, and on drop whatever happens.

use std::io::Write as _;

use crate::cli::OutputFormat;
use crate::error::LoadError;
use crate::outcome::RunReport;
use crate::report::github;
use crate::verdict::Verdicts;

/// A run that speaks to GitHub Actions; its workflow commands are stopped until
/// [`Github::finish`] (or drop).
pub struct Github {
    token: String,
    resumed: bool,
}

/// Whether to write GitHub Actions output: `--format` decides, else `GITHUB_ACTIONS`.
pub fn wanted(format: Option<OutputFormat>, github_actions: Option<&str>) -> bool {
    match format {
        Some(OutputFormat::Github) => true,
        Some(OutputFormat::Plain) => false,
        None => github_actions == Some("true"),
    }
}

impl Github {
    /// Starts GitHub output if [`wanted`]: stops workflow commands until [`finish`].
    ///
    /// [`finish`]: Github::finish
    pub fn start(format: Option<OutputFormat>) -> Option<Github> {
        if !wanted(format, std::env::var("GITHUB_ACTIONS").ok().as_deref()) {
            return None;
        }
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the OS random source works");
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        print_flush(&github::stop_commands(&token));
        Some(Github {
            token,
            resumed: false,
        })
    }

    /// Resumes workflow commands, prints one per failed, errored and warned rule, and
    /// appends the step summary to `$GITHUB_STEP_SUMMARY` when it is set.
    pub fn finish(mut self, report: &RunReport, verdicts: &Verdicts) -> Result<(), LoadError> {
        self.resume();
        print_flush(&github::commands(report, verdicts));
        let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
            return Ok(());
        };
        let shown = std::path::Path::new(&path).display().to_string();
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(github::step_summary(report, verdicts).as_bytes()))
            .map_err(|e| LoadError::new(shown, format!("cannot append the step summary: {e}")))
    }

    fn resume(&mut self) {
        if !self.resumed {
            print_flush(&github::resume_commands(&self.token));
            self.resumed = true;
        }
    }
}

impl Drop for Github {
    fn drop(&mut self) {
        self.resume();
    }
}

fn print_flush(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_decides_else_the_environment() {
        assert!(wanted(Some(OutputFormat::Github), None));
        assert!(!wanted(Some(OutputFormat::Plain), Some("true")));
        assert!(wanted(None, Some("true")));
        assert!(!wanted(None, Some("false")));
        assert!(!wanted(None, Some("1")));
        assert!(!wanted(None, None));
    }
}
