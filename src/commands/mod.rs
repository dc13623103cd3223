//! The subcommands, each a function from parsed arguments to an exit code.

pub mod fuzz;
pub mod github;
pub mod profile_flags;
pub mod progress;
pub mod rules;
pub mod run;
pub mod serve;
pub mod setup;
pub mod target;
