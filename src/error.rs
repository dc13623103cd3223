//! Errors that stop dcrspec before or outside a verdict: bad input files, bad flags,
//! an unreachable target. Each renders as one line naming the file or thing at fault.

use std::fmt;

/// A file or flag given to dcrspec could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file (or flag, or built-in name) at fault, as the user would recognise it.
    pub source: String,
    /// What is wrong with it, including line and column where the parser knows them.
    pub message: String,
}

impl LoadError {
    pub fn new(source: impl Into<String>, message: impl Into<String>) -> Self {
        LoadError {
            source: source.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, whatever the parser put in its message.
        let message = self.message.replace('\n', " ");
        write!(f, "{}: {}", self.source, message)
    }
}

impl std::error::Error for LoadError {}

/// Why a command ends without a verdict: exit 2 after one line on stderr, or an exit
/// code for what was already printed (clap's help for the runner arguments).
#[derive(Debug)]
pub enum CliError {
    /// Printed as `error: …`; exit 2.
    Message(String),
    /// Already printed; exit with this code.
    Exit(u8),
}

impl From<LoadError> for CliError {
    fn from(e: LoadError) -> Self {
        CliError::Message(e.to_string())
    }
}

impl From<String> for CliError {
    fn from(e: String) -> Self {
        CliError::Message(e)
    }
}

impl CliError {
    /// Print what is left to print and give the exit code.
    pub fn report(self) -> u8 {
        match self {
            CliError::Message(m) => {
                eprintln!("error: {m}");
                2
            }
            CliError::Exit(code) => code,
        }
    }
}
