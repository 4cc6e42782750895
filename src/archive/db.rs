//! What the state store and the index share: the error type, opening an SQLite file
//! with the settings that make it crash-safe, and the platform's default locations.

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// An SQLite file could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite refused.
    #[error("{}: {source}", path.display())]
    Sql {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The file system refused (e.g. the folder cannot be created).
    #[error("{}: {source}", path.display())]
    Io {
        /// The database file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a database this version can use.
    #[error("{}: {reason}", path.display())]
    Unusable {
        /// The database file.
        path: PathBuf,
        /// Why, for a person.
        reason: String,
    },
}

/// Shorthand for results about one database file.
pub type DbResult<T> = Result<T, DbError>;

/// Attach the database's path to an error.
pub(crate) trait Ctx<T> {
    fn at(self, path: &Path) -> DbResult<T>;
}

impl<T> Ctx<T> for rusqlite::Result<T> {
    fn at(self, path: &Path) -> DbResult<T> {
        self.map_err(|source| DbError::Sql {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// How much a commit waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sync {
    /// Every commit reaches the disk before it returns (the state store: a power cut
    /// loses nothing acknowledged).
    Full,
    /// WAL's NORMAL: a killed process loses nothing committed, a power cut may lose the
    /// last commits but never corrupts (the index, which can be rebuilt).
    Normal,
}

/// Open (creating the file and its folder) an SQLite database in WAL mode.
pub(crate) fn open(path: &Path, sync: Sync) -> DbResult<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| DbError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    }
    let conn = Connection::open(path).at(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .at(path)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .at(path)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(DbError::Unusable {
            path: path.to_path_buf(),
            reason: format!("cannot switch to WAL mode (journal_mode is {mode})"),
        });
    }
    let sync = match sync {
        Sync::Full => "FULL",
        Sync::Normal => "NORMAL",
    };
    conn.pragma_update(None, "synchronous", sync).at(path)?;
    conn.pragma_update(None, "foreign_keys", "ON").at(path)?;
    Ok(conn)
}

/// The platform's folders for broadsheet (`~/.local/share/broadsheet`, `~/.cache/broadsheet`
/// on Linux), if the home folder is known.
fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "broadsheet")
}

/// Where the reading state lives unless `--state` or `BROADSHEET_STATE` says otherwise.
pub fn default_state_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BROADSHEET_STATE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    Some(dirs()?.data_dir().join("state.sqlite"))
}

/// Where the index lives unless `--index` or `BROADSHEET_INDEX` says otherwise. It can be
/// deleted at any time: it is rebuilt from the archive.
pub fn default_index_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BROADSHEET_INDEX").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    Some(dirs()?.cache_dir().join("index.sqlite"))
}
