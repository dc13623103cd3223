//! The dcrspec binary: parse the command line, run the subcommand, exit with its code
//! (0 conformant, 1 a MUST rule failed, 2 could not tell: bad input or unreachable target).

use std::process::ExitCode;

use clap::Parser;
use dcrspec::cli::{Cli, Command};
use dcrspec::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => commands::run::run(*args),
        Command::Serve(args) => commands::serve::serve(args),
        Command::Rules(args) => commands::rules::rules(args),
        Command::Fuzz(args) => commands::fuzz::fuzz(args),
    };
    ExitCode::from(result.unwrap_or_else(|e| e.report()))
}
