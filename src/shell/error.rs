//! What can go wrong in the shell's work ([`ShellError`]), said in the status line.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A failure of something the reader asked the shell to do.
#[derive(Debug)]
pub(crate) enum ShellError {
    /// A link not given to the browser: why, and the link as shown (sanitised, cut to 60
    /// characters, quoted).
    NotOpened {
        /// Why it was refused.
        why: &'static str,
        /// The link as shown.
        link: String,
    },
    /// The platform's opener could not be started.
    Opener {
        /// The program (`xdg-open`, `open`).
        program: &'static str,
        /// Why.
        error: io::Error,
    },
    /// The clipboard sequence could not be written.
    Copy(io::Error),
    /// An export file could not be written.
    Export {
        /// The file.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
    /// A story to export could not be read (the reason as the loader gave it).
    Unreadable(String),
    /// The state worker has stopped: what was asked is not saved.
    WorkerStopped,
    /// The story reader thread has stopped.
    ReaderStopped,
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShellError::NotOpened { why, link } => write!(f, "not opened: {why}: {link}"),
            ShellError::Opener { program, error } => {
                write!(f, "could not start {program}: {error}")
            }
            ShellError::Copy(e) => write!(f, "could not copy: {e}"),
            ShellError::Export { path, error } => {
                write!(f, "could not export to {}: {error}", path.display())
            }
            ShellError::Unreadable(why) => f.write_str(why),
            ShellError::WorkerStopped => {
                f.write_str("the reading state's worker stopped (not saved)")
            }
            ShellError::ReaderStopped => f.write_str("the story reader stopped"),
        }
    }
}

impl std::error::Error for ShellError {}
