//! Error kinds, their hints, and the exit-code table (a contract: scripts depend on it).

use std::fmt;

/// What went wrong, at the granularity a script can act on. Each kind has one exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An operation failed: a unit could not be reached, a remote step failed.
    Failed,
    /// The command line or an input is invalid: a malformed name or address, an unknown worker,
    /// a config.ini that Python would not read.
    Usage,
    /// config.ini could not be read or written (permissions, missing folder, full disk).
    ConfigIo,
    /// Another pio held the config.ini lock for longer than the wait allows.
    LockTimeout,
    /// The command needs confirmation, and there is no terminal to ask and no `--yes`.
    NeedsConfirmation,
    /// Stopped by Ctrl-C.
    Interrupted,
}

/// The exit-code table printed in `pio --help` and the README.
pub const EXIT_CODES: &[(u8, &str)] = &[
    (0, "success"),
    (1, "an operation failed (e.g. a unit could not be reached)"),
    (
        2,
        "usage error or invalid input (arguments, names, addresses, config.ini contents)",
    ),
    (3, "config.ini could not be read or written"),
    (4, "config.ini stayed locked by another pio past the wait"),
    (5, "confirmation needed but no terminal and no --yes"),
    (130, "interrupted (Ctrl-C)"),
];

impl Kind {
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Failed => 1,
            Kind::Usage => 2,
            Kind::ConfigIo => 3,
            Kind::LockTimeout => 4,
            Kind::NeedsConfirmation => 5,
            Kind::Interrupted => 130,
        }
    }
}

/// An error to show the operator: what happened (with where), and how to fix it.
#[derive(Clone, Debug)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
    /// Set when the report was already printed (e.g. per-unit failures) and only the exit code
    /// remains to be returned.
    pub already_reported: bool,
}

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            hint: None,
            already_reported: false,
        }
    }

    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(Kind::Usage, message)
    }

    pub fn failed(message: impl Into<String>) -> Error {
        Error::new(Kind::Failed, message)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }

    /// An exit code with nothing more to print: the command already said what failed.
    pub fn reported(kind: Kind) -> Error {
        Error {
            kind,
            message: String::new(),
            hint: None,
            already_reported: true,
        }
    }

    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Error {
        match e.downcast::<Error>() {
            Ok(e) => e,
            Err(e) => Error::failed(format!("{e:#}")),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// The table as text for `--help` and the README.
pub fn exit_code_table() -> String {
    let mut s = String::from("Exit codes:\n");
    for (code, meaning) in EXIT_CODES {
        s.push_str(&format!("  {code:>3}  {meaning}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_in_the_table() {
        for kind in [
            Kind::Failed,
            Kind::Usage,
            Kind::ConfigIo,
            Kind::LockTimeout,
            Kind::NeedsConfirmation,
            Kind::Interrupted,
        ] {
            assert!(EXIT_CODES.iter().any(|(c, _)| *c == kind.exit_code()));
        }
    }
}
