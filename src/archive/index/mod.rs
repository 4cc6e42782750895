//! The index: what the list and search need from every story (title, source, date, where
//! it is, and its cleaned text for full-text search), kept in an SQLite file with FTS5, so
//! a big archive re-opens without reading its files again.
//!
//! It lives in the platform cache dir (or `--index FILE`), apart from the reading state,
//! and can be deleted at any time: [`Index::refresh`] rebuilds what is missing and updates
//! what changed, judging files by size and modification time.
//!
//! [`refresh`] brings it up to date (stat, plan, evidence, write); [`listing`] keeps each
//! root's list ready to show in a file beside it; [`saved`] tells when that list can be
//! shown before any refresh.

pub mod listing;
pub mod refresh;
pub mod saved;
mod spill;

use super::db::{self, Ctx, DbError, DbResult};
use super::paths::{chosen_file, root_range, shown_path};
use super::search::{self, Hit};
use crate::article::{LoadError, ProblemKind};
use crate::clean::Options;
use rusqlite::{params, Connection};
use std::path::{Path, PathBuf};

/// Bumped whenever what the index stores, or how it is computed, changes: an index made
/// by another version is rebuilt.
const INDEX_VERSION: i64 = 4;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS file (
    id    INTEGER PRIMARY KEY,
    path  TEXT NOT NULL UNIQUE,   -- absolute
    size  INTEGER NOT NULL,
    mtime INTEGER NOT NULL        -- nanoseconds since 1970
);
CREATE TABLE IF NOT EXISTS story (
    id     INTEGER PRIMARY KEY,   -- also the rowid of the story's text in fts
    file   INTEGER NOT NULL,
    idx    INTEGER NOT NULL,      -- position in the file
    sid    INTEGER NOT NULL,      -- StoryId, the key of the reading state
    title  TEXT NOT NULL,
    source TEXT,
    date   TEXT,                  -- the story's own, else the day it was captured
    flags  INTEGER NOT NULL DEFAULT 0  -- Entry::flags: read in the feed reader, date captured
);
CREATE INDEX IF NOT EXISTS story_file ON story (file);
CREATE TABLE IF NOT EXISTS problem (
    file   INTEGER NOT NULL,
    at     TEXT,
    reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS problem_file ON problem (file);
CREATE TABLE IF NOT EXISTS place (  -- a WARC's stories' record offsets, so one is read alone
    file INTEGER PRIMARY KEY,
    data BLOB NOT NULL             -- u64 LE per story in file order; u64::MAX: none
);
CREATE TABLE IF NOT EXISTS listing (  -- entries() of a root, ready to show; dropped on any change
    root TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS evidence (  -- Evidence::to_bytes() of a set of roots; dropped on any change
    roots TEXT PRIMARY KEY,
    data  BLOB NOT NULL
);
";

/// The full-text table: title and cleaned body, words as `unicode61` splits them, accents
/// folded. (Public so `benches/floor.rs` times inserts into the very same table.)
pub const FTS_TABLE: &str = "
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
";

/// The index file.
pub struct Index {
    conn: Connection,
    path: PathBuf,
    /// A second, read-only connection, opened for the first search of a big index.
    helper: std::sync::OnceLock<Option<std::sync::Mutex<Connection>>>,
    /// Where a damaged index found on opening was moved (see [`Index::moved_aside`]).
    moved_aside: Option<PathBuf>,
    /// Set by [`Index::build_alone`].
    alone: bool,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("path", &self.path).finish()
    }
}

/// A new index trusts no listing file (`<index>.listing-…`) left by one deleted or
/// replaced before it: they are removed, not left to take up room.
fn remove_listing_files(index: &Path) {
    for f in listing_files(index) {
        let _ = std::fs::remove_file(f);
    }
}

/// Written into the header of every index (`PRAGMA application_id`, "BSix"): a damaged
/// file that still carries it is broadsheet's own, and may be moved aside.
const APPLICATION_ID: i32 = db::Kind::Index.app_id();

/// SQLite found the file damaged: "malformed" or "not a database".
pub fn is_damage(e: &DbError) -> bool {
    match e {
        DbError::Sql { source, .. } => matches!(
            source.sqlite_error_code(),
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
        ),
        _ => false,
    }
}

/// True when the file at `path` is one broadsheet made: its header carries the index's
/// application id, or listing files made with it lie beside it, or it is the default
/// index (the platform cache dir, or `BROADSHEET_INDEX`).
fn made_by_us(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 72];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head));
    if read.is_ok()
        && head.starts_with(b"SQLite format 3\0")
        && head[68..72] == APPLICATION_ID.to_be_bytes()
    {
        return true;
    }
    if !listing_files(path).is_empty() {
        return true;
    }
    let abs = |p: &Path| std::fs::canonicalize(p).ok();
    db::default_index_path().is_some_and(|d| abs(&d).is_some() && abs(&d) == abs(path))
}

/// The listing files (`<index>.listing-…`) beside an index.
fn listing_files(index: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (index.parent(), index.file_name()) else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut prefix = name.to_os_string();
    prefix.push(".listing-");
    let prefix = prefix.as_encoded_bytes();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_name().as_encoded_bytes().starts_with(prefix))
        .map(|e| e.path())
        .collect()
}

/// Move a damaged index (and its WAL files) aside as `<index>.damaged-<unix seconds>`,
/// removing its listing files. Returns the new name.
fn move_aside(path: &Path) -> DbResult<PathBuf> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let with = |p: &Path, ext: &str| {
        let mut s = p.as_os_str().to_owned();
        s.push(ext);
        PathBuf::from(s)
    };
    let aside = with(path, &format!(".damaged-{secs}"));
    std::fs::rename(path, &aside).map_err(|source| DbError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::rename(with(path, ext), with(&aside, ext));
    }
    remove_listing_files(path);
    Ok(aside)
}

/// What the index stores depends on the cleaning options and the program's version.
fn fingerprint(opts: &Options) -> String {
    format!(
        "{}/{INDEX_VERSION}/{:?}",
        env!("CARGO_PKG_VERSION"),
        (
            opts.disabled,
            &opts.always_hide,
            &opts.always_keep,
            &opts.raw_sources
        )
    )
}

impl Index {
    /// Open the index file, creating it when missing. A file another version made is
    /// replaced by an empty index: it only holds what the archive holds. One SQLite finds
    /// damaged is moved aside ([`Index::moved_aside`]) and a new one made, when it is
    /// broadsheet's own; any other file is refused, untouched.
    pub fn open(path: &Path) -> DbResult<Index> {
        match Self::open_inner(path) {
            Ok(i) => Ok(i),
            Err(e @ DbError::Unusable { .. }) => {
                let _ = e;
                for ext in ["", "-wal", "-shm"] {
                    let mut p = path.as_os_str().to_owned();
                    p.push(ext);
                    let _ = std::fs::remove_file(PathBuf::from(p));
                }
                Self::open_inner(path)
            }
            Err(e) if is_damage(&e) => {
                if !made_by_us(path) {
                    return Err(DbError::Unusable {
                        path: path.to_path_buf(),
                        reason: format!(
                            "not broadsheet's index ({e}); left as it is: \
                             pass another --index FILE"
                        ),
                    });
                }
                let aside = move_aside(path)?;
                let mut ix = Self::open_inner(path)?;
                ix.moved_aside = Some(aside);
                Ok(ix)
            }
            Err(e) => Err(e),
        }
    }

    /// The index was found damaged when opened (or by [`Index::replace_damaged`]) and
    /// moved here; this one is new, empty until refreshed.
    pub fn moved_aside(&self) -> Option<&Path> {
        self.moved_aside.as_deref()
    }

    /// An index that SQLite found damaged while in use ([`is_damage`]): moved aside and
    /// replaced by a new, empty one ([`Index::moved_aside`] says where it went).
    pub fn replace_damaged(self) -> DbResult<Index> {
        let path = self.path.clone();
        drop(self);
        let aside = move_aside(&path)?;
        let mut ix = Self::open_inner(&path)?;
        ix.moved_aside = Some(aside);
        Ok(ix)
    }

    fn open_inner(path: &Path) -> DbResult<Index> {
        let conn = db::open(path, db::Sync::Normal)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .at(path)?;
        if version != 0 && version != INDEX_VERSION {
            return Err(DbError::Unusable {
                path: path.to_path_buf(),
                reason: format!("index version {version}, not {INDEX_VERSION}"),
            });
        }
        if version == 0 {
            remove_listing_files(path);
        }
        conn.execute_batch(SCHEMA).at(path)?;
        conn.execute_batch(FTS_TABLE).at(path)?;
        // written only when they differ: an index opened to be read is not written (no
        // WAL to checkpoint when the command ends)
        if version != INDEX_VERSION {
            conn.pragma_update(None, "user_version", INDEX_VERSION)
                .at(path)?;
        }
        let app: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .at(path)?;
        if app != APPLICATION_ID {
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .at(path)?;
        }
        Ok(Index {
            conn,
            path: path.to_path_buf(),
            helper: std::sync::OnceLock::new(),
            moved_aside: None,
            alone: false,
        })
    }

    /// Open the index at `--index FILE` if given, else `BROADSHEET_INDEX`, else the
    /// platform cache dir.
    pub fn open_default(explicit: Option<&Path>) -> DbResult<Index> {
        let path = chosen_file(
            explicit,
            db::default_index_path,
            "index.sqlite",
            "the index",
            "--index",
        )?;
        Index::open(&path)
    }

    /// Nothing else in this process reads the index while it is built (`broadsheet
    /// index`, a first search): a first build ([`Index::refresh`] of a big archive into
    /// an index that holds nothing) is then written straight into the file, once,
    /// rather than into the WAL and copied from there; about a tenth less work. Another
    /// process opening the index meanwhile waits for it (as it would for any write).
    pub fn build_alone(&mut self) {
        self.alone = true;
    }

    /// The index file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the index holds nothing under any of these paths (or was made with
    /// other cleaning options): a refresh would read every file.
    pub fn is_cold(&self, paths: &[PathBuf], opts: &Options) -> DbResult<bool> {
        if self.meta("fingerprint")?.as_deref() != Some(fingerprint(opts).as_str()) {
            return Ok(true);
        }
        for p in paths {
            let (exact, lo, hi) = root_range(p);
            let n: i64 = self
                .conn
                .query_row(
                    "SELECT count(*) FROM (SELECT 1 FROM file
                     WHERE path = ?1 OR (path >= ?2 AND path < ?3) LIMIT 1)",
                    params![exact, lo, hi],
                    |r| r.get(0),
                )
                .at(&self.path)?;
            if n > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn meta(&self, key: &str) -> DbResult<Option<String>> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .at(&self.path)
    }

    /// The problems recorded for files under the roots.
    fn stored_problems(&self, paths: &[PathBuf]) -> DbResult<Vec<LoadError>> {
        let mut out = Vec::new();
        let mut q = self
            .conn
            .prepare_cached(
                // the problems first (few), each file by its id: not every file under
                // the root looked up in the problems (100 ms on 100,000 files)
                "SELECT f.path, p.at, p.reason FROM problem p CROSS JOIN file f ON f.id = p.file
                 WHERE f.path = ?1 OR (f.path >= ?2 AND f.path < ?3) ORDER BY f.path",
            )
            .at(&self.path)?;
        for root in paths {
            let (exact, lo, hi) = root_range(root);
            let rows = q
                .query_map(params![exact, lo, hi], |r| {
                    Ok(LoadError {
                        path: PathBuf::from(r.get::<_, String>(0)?),
                        at: r.get(1)?,
                        kind: ProblemKind::Recorded,
                        reason: r.get(2)?,
                    })
                })
                .at(&self.path)?;
            for row in rows {
                let mut e = row.at(&self.path)?;
                e.path = shown_path(&e.path, paths);
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Tell this process where the stories of the WARCs the index holds are (their
    /// records' offsets, with each file's size and time), so that opening one reads its
    /// record, not the crawl. The number of files told.
    pub fn remember_places(&self) -> DbResult<usize> {
        let mut st = self
            .conn
            .prepare(
                "SELECT file.path, file.size, file.mtime, place.data
                 FROM place JOIN file ON file.id = place.file",
            )
            .at(&self.path)?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })
            .at(&self.path)?;
        let mut n = 0;
        for row in rows {
            let (path, size, mtime, data) = row.at(&self.path)?;
            let locs = data
                .chunks_exact(8)
                .map(|c| {
                    let v = u64::from_le_bytes(c.try_into().unwrap_or([0xff; 8]));
                    (v != u64::MAX).then_some(v)
                })
                .collect();
            crate::article::warc::remember_places(Path::new(&path), size as u64, mtime, locs);
            n += 1;
        }
        Ok(n)
    }

    /// The problems recorded for files under the roots.
    pub fn problems(&self, paths: &[PathBuf]) -> DbResult<Vec<LoadError>> {
        self.stored_problems(paths)
    }

    /// Full-text search under the roots: at most `limit` stories, best first (BM25, a
    /// title match weighted ten times a body match), each with a snippet of its text.
    pub fn search(&self, query: &str, paths: &[PathBuf], limit: usize) -> DbResult<Vec<Hit>> {
        let helper = || {
            self.helper
                .get_or_init(|| {
                    use rusqlite::OpenFlags;
                    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                    let c = Connection::open_with_flags(&self.path, flags).ok()?;
                    c.busy_timeout(std::time::Duration::from_secs(5)).ok()?;
                    Some(std::sync::Mutex::new(c))
                })
                .as_ref()
        };
        search::run(&self.conn, helper, &self.path, query, paths, limit)
    }
}
