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

/// Which of broadsheet's files a database is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The index (a cache of the archive).
    Index,
    /// The reading state.
    State,
}

impl Kind {
    /// The `application_id` broadsheet stamps on its files of this kind ("BSix", "BSst").
    pub(crate) const fn app_id(self) -> i32 {
        match self {
            Kind::Index => 0x4253_6978,
            Kind::State => 0x4253_7374,
        }
    }
    fn other(self) -> Kind {
        match self {
            Kind::Index => Kind::State,
            Kind::State => Kind::Index,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Kind::Index => "index",
            Kind::State => "reading state file",
        }
    }
    /// A table only this kind of file holds, which tells a file made before files were
    /// stamped.
    fn table(self) -> &'static str {
        match self {
            Kind::Index => "fts",
            Kind::State => "setting",
        }
    }
}

/// Open (creating the file and its folder) an SQLite database in WAL mode. The index
/// opens with [`Sync::Normal`], the state with [`Sync::Full`]: that tells which file
/// is expected (see [`open_as`]).
pub(crate) fn open(path: &Path, sync: Sync) -> DbResult<Connection> {
    let kind = match sync {
        Sync::Normal => Kind::Index,
        Sync::Full => Kind::State,
    };
    open_as(path, sync, kind)
}

/// [`open`] a file that must be broadsheet's own of this kind, or absent (or empty, as
/// SQLite leaves a file it was killed while creating). Any other file, a text file or
/// the other kind of broadsheet file say, is refused with an error naming it, and left
/// as it was, byte for byte. The refusal is an [`DbError::Io`], which no caller takes as
/// a reason to replace the file.
pub(crate) fn open_as(path: &Path, sync: Sync, kind: Kind) -> DbResult<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| DbError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    }
    let stamped = match owner(path, kind) {
        Ok(stamped) => stamped,
        Err(reason) => {
            return Err(DbError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other(format!(
                    "{reason}; not broadsheet's {}, so it is left as it is (name another file)",
                    kind.name()
                )),
            })
        }
    };
    let conn = Connection::open(path).at(path)?;
    if !stamped {
        // before the switch to WAL, so a new file has it in its header at once
        conn.pragma_update(None, "application_id", kind.app_id())
            .at(path)?;
    }
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

/// Is the file at `path` broadsheet's own of this kind, or absent? `Ok(true)` when it
/// is stamped as such, `Ok(false)` when it is to be stamped (new, empty, or made before
/// files were stamped), else why it is not. Only reads.
fn owner(path: &Path, kind: Kind) -> Result<bool, String> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(format!("cannot be checked ({e})")),
    };
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() == 0 {
        return Ok(false);
    }
    let mut head = Vec::with_capacity(100);
    std::fs::File::open(path)
        .and_then(|f| f.take(100).read_to_end(&mut head))
        .map_err(|e| format!("cannot be read ({e})"))?;
    if !head.starts_with(b"SQLite format 3\0") {
        return Err("not an SQLite database".into());
    }
    let id_in = |h: &[u8]| {
        h.get(68..72)
            .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let judge = |id: i32| -> Option<Result<bool, String>> {
        if id == kind.app_id() {
            Some(Ok(true))
        } else if id == kind.other().app_id() {
            Some(Err(format!("this is broadsheet's {}", kind.other().name())))
        } else if id != 0 {
            Some(Err("another program's SQLite database".into()))
        } else {
            None
        }
    };
    if let Some(verdict) = id_in(&head).and_then(judge) {
        return verdict;
    }
    // not stamped in the file's header: ask SQLite (a stamp may wait in the WAL), then
    // look at the tables, for a file made before files were stamped
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| format!("an SQLite file broadsheet cannot read ({e})"))?;
    let looked = (|| -> rusqlite::Result<(i32, Vec<String>)> {
        let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let mut q = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
        let names = q
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok((id, names))
    })();
    let (id, tables) =
        looked.map_err(|e| format!("an SQLite file broadsheet cannot read ({e})"))?;
    if let Some(verdict) = judge(id) {
        return verdict;
    }
    let has = |t: &str| tables.iter().any(|n| n == t);
    if tables.is_empty() || (has(kind.table()) && !has(kind.other().table())) {
        Ok(false)
    } else if has(kind.other().table()) {
        Err(format!("this is broadsheet's {}", kind.other().name()))
    } else {
        Err("an SQLite database of other tables".into())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_made_before_stamping_are_told_by_their_tables() {
        let dir = tempfile::tempdir().unwrap();
        let old_state = dir.path().join("s.sqlite");
        let c = Connection::open(&old_state).unwrap();
        c.execute_batch("CREATE TABLE story (id INTEGER); CREATE TABLE setting (k TEXT);")
            .unwrap();
        drop(c);
        assert_eq!(owner(&old_state, Kind::State), Ok(false));
        assert!(owner(&old_state, Kind::Index)
            .unwrap_err()
            .contains("reading state"));
        drop(open_as(&old_state, Sync::Full, Kind::State).unwrap());
        assert_eq!(owner(&old_state, Kind::State), Ok(true));
        let other = dir.path().join("o.sqlite");
        let c = Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE photos (id INTEGER);")
            .unwrap();
        drop(c);
        let before = std::fs::read(&other).unwrap();
        for kind in [Kind::State, Kind::Index] {
            assert!(owner(&other, kind).unwrap_err().contains("other tables"));
            assert!(open_as(&other, Sync::Normal, kind).is_err());
        }
        assert_eq!(std::fs::read(&other).unwrap(), before);
    }
}
