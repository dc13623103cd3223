//! The libtest face of a run: `dcrspec run -- --list` lists the scenarios as libtest
//! lists tests (`[secret] secret-retained: test`), and the arguments after `--` are
//! parsed as libtest parses them, so a filter, `--exact`, `--skip` and `--test-threads`
//! mean what they mean in `cargo test`. Running is `runner::execute`'s.

use libtest_mimic::Arguments;

use crate::profile::Profile;
use crate::runner::{self, execute::trial};
use crate::suite::Scenario;

/// Print the scenarios, as libtest's `--list` does; inapplicable ones are ignored tests.
pub fn list(args: &Arguments, scenarios: &[Scenario], profile: &Profile) {
    let trials = scenarios
        .iter()
        .map(|sc| trial(sc).with_ignored_flag(runner::not_applicable(sc, profile).is_some()))
        .collect();
    let _ = libtest_mimic::run(args, trials);
}

/// Parse the runner arguments given after `--`, as libtest would (`--help` included).
pub fn parse_args(args: &[String]) -> Result<Arguments, clap::Error> {
    <Arguments as clap::Parser>::try_parse_from(
        std::iter::once("dcrspec run --".to_string()).chain(args.iter().cloned()),
    )
}

/// The runner options that shape libtest's own output or pick what it runs in ways
/// dcrspec has no use for are refused with a one-line reason: dcrspec writes its own
/// output (see `--json`), and scenarios a profile does not apply to cannot be forced.
pub fn refuse_unsupported(args: &Arguments) -> Result<(), String> {
    let unsupported = [
        ("--format", args.format.is_some()),
        ("--logfile", args.logfile.is_some()),
        ("--ignored", args.ignored),
        ("--include-ignored", args.include_ignored),
        ("--bench", args.bench),
    ];
    match unsupported.iter().find(|(_, given)| *given) {
        Some((flag, _)) => Err(format!(
            "runner option {flag} is not supported by dcrspec run (after --: a filter, \
             --exact, --skip, --list, --test-threads)"
        )),
        None => Ok(()),
    }
}
