//! The index: what the list and search need from every story (title, source, date, where
//! it is, and its cleaned text for full-text search), kept in an SQLite file with FTS5, so
//! a big archive re-opens without reading its files again.
//!
//! It lives in the platform cache dir (or `--index FILE`), apart from the reading state,
//! and can be deleted at any time: [`Index::refresh`] rebuilds what is missing and updates
//! what changed, judging files by size and modification time.

use super::db::{self, Ctx, DbError, DbResult};
use super::search::{self, Hit};
use super::state::{Key, StoryId};
use super::{find_files, Story};
use crate::article::{Article, LoadError};
use crate::clean::{self, Evidence, Options};
use rusqlite::{params, Connection};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Bumped whenever what the index stores, or how it is computed, changes: an index made
/// by another version is rebuilt.
const INDEX_VERSION: i64 = 2;

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
    date   TEXT
);
CREATE INDEX IF NOT EXISTS story_file ON story (file);
CREATE TABLE IF NOT EXISTS problem (
    file   INTEGER NOT NULL,
    at     TEXT,
    reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS problem_file ON problem (file);
CREATE TABLE IF NOT EXISTS listing (  -- entries() of a root, ready to show; dropped on any change
    root TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS evidence (  -- Evidence::to_bytes() of a set of roots; dropped on any change
    roots TEXT PRIMARY KEY,
    data  BLOB NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
";

/// A story as the list shows it: no text, only what identifies and describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The content id (the key of the reading state).
    pub id: StoryId,
    /// The file, as found under the paths given (relative when they were).
    pub path: PathBuf,
    /// Position within a file that holds several stories, from 0.
    pub index_in_file: usize,
    /// The title.
    pub title: String,
    /// The source, stored or stated.
    pub source: Option<String>,
    /// `YYYY-MM-DD`, when known.
    pub date: Option<String>,
}

impl Entry {
    /// The entry of a cleaned story.
    pub fn of(story: &Story) -> Entry {
        Entry {
            id: StoryId::of(&story.article),
            path: story.article.path.clone(),
            index_in_file: story.article.index_in_file,
            title: story.article.title.clone(),
            source: story.source().map(str::to_owned),
            date: story.article.date.clone(),
        }
    }

    /// The entry of an article not yet cleaned: the source only when the file stores it
    /// (a plain-text story's source line is known once it is cleaned, by the index).
    pub fn of_article(article: &Article) -> Entry {
        Entry {
            id: StoryId::of(article),
            path: article.path.clone(),
            index_in_file: article.index_in_file,
            title: article.title.clone(),
            source: article.source.clone(),
            date: article.date.clone(),
        }
    }

    /// The key for the reading state's actions.
    pub fn key(&self) -> Key<'_> {
        Key {
            id: self.id,
            path: &self.path,
            index_in_file: self.index_in_file,
        }
    }
}

/// The quick way to a list with no index: read every file in parallel and describe each
/// story as stored, without cleaning (which is what takes time), keeping nothing else, so
/// memory stays that of the list. Entries and problems come in path order.
pub fn scan(paths: &[PathBuf]) -> (Vec<Entry>, Vec<LoadError>) {
    use rayon::prelude::*;
    let (files, mut problems) = find_files(paths);
    let per_file: Vec<(Vec<Entry>, Vec<LoadError>)> = files
        .par_iter()
        .map(|f| {
            let (mut l, mtime) = quick_load(f);
            let entries = l
                .articles
                .iter_mut()
                .map(|a| {
                    super::fill_date_with(a, mtime);
                    Entry::of_article(a)
                })
                .collect();
            (entries, l.problems)
        })
        .collect();
    let mut entries = Vec::with_capacity(per_file.len());
    for (e, p) in per_file {
        entries.extend(e);
        problems.extend(p);
    }
    (entries, problems)
}

/// Bytes read from the top of a plain-text file for its list entry.
const HEAD: usize = 4096;
/// Paragraphs (the title's and four more, where `fill_date` looks for a date) that make a
/// prefix enough for the list.
const HEAD_PARAS: usize = 5;

/// A file loaded far enough for its list entry: a plain-text file only as far as its
/// first paragraphs (title, date, the words of its id), which gives the same entry as
/// the whole file; any other format whole. With the file's modification time when it
/// was at hand.
fn quick_load(path: &Path) -> (crate::article::Loaded, Option<std::time::SystemTime>) {
    use crate::article::{format_of, txt, Format, Loaded};
    if format_of(path) != Some(Format::Text) {
        return (crate::article::load_file(path), None);
    }
    let Some((bytes, mtime)) = read_prefix(path) else {
        return (crate::article::load_file(path), None);
    };
    let mut out = Loaded::default();
    match txt::parse(path, &bytes) {
        Ok((article, warning)) => {
            out.articles.push(article);
            out.problems.extend(warning);
        }
        Err(e) => out.problems.push(e),
    }
    (out, mtime)
}

/// The first paragraphs of a file, or `None` when the head read does not hold them
/// (read the whole file then).
fn read_prefix(path: &Path) -> Option<(Vec<u8>, Option<std::time::SystemTime>)> {
    use std::io::Read;
    let f = std::fs::File::open(path).ok()?;
    let mtime = f.metadata().ok().and_then(|m| m.modified().ok());
    let mut buf = Vec::with_capacity(HEAD);
    f.take(HEAD as u64).read_to_end(&mut buf).ok()?;
    match prefix_end(&buf) {
        Some(end) => {
            buf.truncate(end);
            Some((buf, mtime))
        }
        None if buf.len() < HEAD => Some((buf, mtime)), // the whole file
        None => None,
    }
}

/// Where the first [`HEAD_PARAS`] paragraphs end, once they hold the words a
/// [`StoryId`] needs after the title: only complete lines, split where the plain-text
/// loader splits (lines of white space).
fn prefix_end(b: &[u8]) -> Option<usize> {
    let (mut paras, mut words, mut pos) = (0, 0, 0);
    let (mut in_para, mut title_seen) = (false, false);
    for line in b.split_inclusive(|&c| c == b'\n') {
        if !line.ends_with(b"\n") {
            return None; // cut by the head
        }
        pos += line.len();
        if line.iter().all(u8::is_ascii_whitespace) {
            if in_para {
                in_para = false;
                paras += 1;
                if paras >= HEAD_PARAS && words >= super::state::ID_WORDS {
                    return Some(pos);
                }
            }
        } else {
            in_para = true;
            if title_seen {
                words += line
                    .split(u8::is_ascii_whitespace)
                    .filter(|w| w.iter().any(|&c| c.is_ascii_alphanumeric() || c >= 0x80))
                    .count();
            }
            title_seen = true;
        }
    }
    None
}

/// [`scan`], also returning the articles, so the caller can go on to build the index
/// ([`Index::refresh`]) without reading the files again.
pub fn scan_articles(paths: &[PathBuf]) -> (Vec<Entry>, Vec<Article>, Vec<LoadError>) {
    use rayon::prelude::*;
    let (files, mut problems) = find_files(paths);
    let (articles, p2) = super::load_all(&files);
    problems.extend(p2);
    let entries = articles.par_iter().map(Entry::of_article).collect();
    (entries, articles, problems)
}

/// Files (or stories already loaded) read and cleaned per batch while the index is
/// written: enough to keep every core busy, few enough to hold little.
const BATCH: usize = 256;

/// The page cache (KiB) while many stories are written: FTS5 merges its segments in it.
const BIG_CACHE_KB: i64 = 16 * 1024;

/// The terms FTS5 holds in memory before it writes them out as a segment (bytes; its
/// default is 1 MiB): on 10,000 generated stories, 16 MiB with a 16 MiB page cache took
/// 8 % less time and 20 % less memory than 1 MiB with 64 MiB.
const FTS_HASH_BYTES: i64 = 16 << 20;

/// Read files a batch at a time (each batch in parallel) and count what every story
/// adds to the evidence, in the order of `files`, holding no article longer than its
/// batch. Returns the problems met.
fn observe_files(builder: &mut clean::EvidenceBuilder, files: &[PathBuf]) -> Vec<LoadError> {
    use rayon::prelude::*;
    let mut problems = Vec::new();
    for batch in files.chunks(BATCH) {
        let seen: Vec<(Vec<clean::Observed>, Vec<LoadError>)> = batch
            .par_iter()
            .map(|f| {
                let mut obs = Vec::new();
                let probs = crate::article::for_each_article(f, |a| obs.push(clean::observe(&a)));
                (obs, probs)
            })
            .collect();
        for (obs, probs) in seen {
            obs.into_iter().for_each(|o| builder.add_observed(o));
            problems.extend(probs);
        }
    }
    problems
}

/// The key of a set of roots in the `evidence` table: their absolute paths, in order.
fn roots_key(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| root_range(p).0)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A story's list entry and the text the index searches: the blocks shown as the story.
fn clean_for_index(article: Article, ev: &Evidence, opts: &Options) -> (Entry, String) {
    let cleaned = clean::clean(&article, ev, opts);
    let body = cleaned
        .body()
        .map(|d| d.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    (Entry::of(&Story { article, cleaned }), body)
}

/// Phase timings on stderr when `BROADSHEET_TIMINGS` is set (for benchmarks).
struct Clock(Option<std::time::Instant>);

impl Clock {
    fn new() -> Clock {
        Clock(std::env::var_os("BROADSHEET_TIMINGS").map(|_| std::time::Instant::now()))
    }
    fn lap(&mut self, what: &str) {
        if let Some(t) = self.0 {
            eprintln!("timing: {what}: {:.3} s", t.elapsed().as_secs_f64());
            self.0 = Some(std::time::Instant::now());
        }
    }
}

/// What a refresh did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Refresh {
    /// Files read for the first time.
    pub added: usize,
    /// Files read again because their size or time changed (or the index was stale).
    pub changed: usize,
    /// Files gone from the archive, dropped from the index.
    pub removed: usize,
    /// Files the index already had right.
    pub unchanged: usize,
}

/// A file as found on disk.
struct Found {
    given: PathBuf,
    abs: String,
    size: i64,
    mtime: i64,
}

/// The index file.
pub struct Index {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("path", &self.path).finish()
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The SQL range of `path` values at or under a root: the root itself, or `root/...`.
pub(crate) fn root_range(root: &Path) -> (String, String, String) {
    let r = absolute(root)
        .to_string_lossy()
        .trim_end_matches('/')
        .to_string();
    (r.clone(), format!("{r}/"), format!("{r}0")) // '0' is the byte after '/'
}

/// An index file that is another version's, or not a database at all, is thrown away;
/// one that is busy or unreadable for another reason is not.
fn replaceable(e: &DbError) -> bool {
    match e {
        DbError::Unusable { .. } => true,
        DbError::Sql { source, .. } => matches!(
            source.sqlite_error_code(),
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
        ),
        DbError::Io { .. } => false,
    }
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
    /// Open the index file, creating it when missing. A file another version made, or one
    /// SQLite cannot read, is replaced by an empty index: it only holds what the archive
    /// holds.
    pub fn open(path: &Path) -> DbResult<Index> {
        match Self::open_inner(path) {
            Ok(i) => Ok(i),
            Err(e) if replaceable(&e) => {
                for ext in ["", "-wal", "-shm"] {
                    let mut p = path.as_os_str().to_owned();
                    p.push(ext);
                    let _ = std::fs::remove_file(PathBuf::from(p));
                }
                Self::open_inner(path)
            }
            Err(e) => Err(e),
        }
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
        conn.execute_batch(SCHEMA).at(path)?;
        conn.pragma_update(None, "user_version", INDEX_VERSION)
            .at(path)?;
        Ok(Index {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Open the index at `--index FILE` if given, else `BROADSHEET_INDEX`, else the
    /// platform cache dir.
    pub fn open_default(explicit: Option<&Path>) -> DbResult<Index> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => db::default_index_path().ok_or_else(|| DbError::Unusable {
                path: PathBuf::from("index.sqlite"),
                reason: "no home folder to keep the index in; pass --index FILE".into(),
            })?,
        };
        Index::open(&path)
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

    /// Bring the index up to date with the files under `paths`: read new and changed
    /// files (by size and modification time), drop the ones gone. `loaded` may hold
    /// articles already read by [`scan`], so they are not read again.
    pub fn refresh(
        &mut self,
        paths: &[PathBuf],
        opts: &Options,
        loaded: Option<Vec<Article>>,
    ) -> DbResult<(Refresh, Vec<LoadError>)> {
        use rayon::prelude::*;
        let fp = fingerprint(opts);
        if self.meta("fingerprint")?.as_deref() != Some(fp.as_str()) {
            // another version or other cleaning options: everything is re-read
            self.conn
                .execute_batch(
                    "DELETE FROM fts; DELETE FROM story; DELETE FROM problem; DELETE FROM file;
                     DELETE FROM listing; DELETE FROM evidence;",
                )
                .at(&self.path)?;
            self.conn
                .execute(
                    "INSERT INTO meta (key, value) VALUES ('fingerprint', ?1)
                     ON CONFLICT (key) DO UPDATE SET value = ?1",
                    [&fp],
                )
                .at(&self.path)?;
        }
        let mut clock = Clock::new();
        let (files, mut problems) = find_files(paths);
        let found: Vec<Found> = files
            .into_par_iter()
            .filter_map(|given| {
                let m = std::fs::metadata(&given).ok()?;
                let mtime = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_nanos() as i64)
                    .unwrap_or(0);
                Some(Found {
                    abs: absolute(&given).to_string_lossy().into_owned(),
                    given,
                    size: m.len() as i64,
                    mtime,
                })
            })
            .collect();
        clock.lap("walk + stat");
        let known = self.known_files(paths)?;
        clock.lap("known files");
        let mut report = Refresh::default();
        let mut stale: Vec<&Found> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::with_capacity(found.len());
        for f in &found {
            seen.insert(&f.abs);
            match known.get(&f.abs) {
                Some(&(_, size, mtime)) if size == f.size && mtime == f.mtime => {
                    report.unchanged += 1
                }
                Some(_) => {
                    report.changed += 1;
                    stale.push(f);
                }
                None => {
                    report.added += 1;
                    stale.push(f);
                }
            }
        }
        let gone: Vec<i64> = known
            .iter()
            .filter(|(p, _)| !seen.contains(p.as_str()))
            .map(|(_, &(id, _, _))| id)
            .collect();
        report.removed = gone.len();
        if stale.is_empty() && gone.is_empty() {
            problems.extend(self.stored_problems(paths)?);
            return Ok((report, problems));
        }

        // read what is new or changed (reusing what the caller already read), twice, a
        // batch at a time: once for the evidence, once to clean and write; so memory
        // holds the evidence and a few batches, never the archive
        let stale_paths: Vec<PathBuf> = stale.iter().map(|f| f.given.clone()).collect();
        let (held, rest) = match loaded {
            Some(all) => {
                let want: HashSet<&Path> = stale_paths.iter().map(PathBuf::as_path).collect();
                let held: Vec<Article> = all
                    .into_iter()
                    .filter(|a| want.contains(a.path.as_path()))
                    .collect();
                let have: HashSet<&Path> = held.iter().map(|a| a.path.as_path()).collect();
                let rest: Vec<PathBuf> = stale_paths
                    .iter()
                    .filter(|p| !have.contains(p.as_path()))
                    .cloned()
                    .collect();
                (held, rest)
            }
            None => (Vec::new(), stale_paths),
        };

        // evidence: the titles of every other story indexed, then the stories read now
        let stale_abs: HashSet<&str> = stale.iter().map(|f| f.abs.as_str()).collect();
        let mut builder = clean::EvidenceBuilder::default();
        let n_others = self.add_other_titles(&mut builder, &stale_abs, &gone)?;
        for batch in held.chunks(BATCH) {
            let seen: Vec<clean::Observed> = batch.par_iter().map(clean::observe).collect();
            seen.into_iter().for_each(|o| builder.add_observed(o));
        }
        let load_problems = observe_files(&mut builder, &rest);
        let ev = builder.finish();
        // the whole archive's evidence when every story under the roots was read now
        let whole = report.unchanged == 0 && n_others == 0;
        clock.lap("read files + evidence");

        let abs_of: HashMap<&Path, &Found> =
            stale.iter().map(|f| (f.given.as_path(), *f)).collect();
        // a bigger page cache while writing many stories: FTS5 merges its segments in it
        let big = stale.len() > 1000;
        if big {
            self.conn
                .pragma_update(None, "cache_size", -BIG_CACHE_KB)
                .at(&self.path)?;
            // and fewer, bigger segments from FTS5's pending terms: less to merge
            self.conn
                .execute(
                    "INSERT INTO fts (fts, rank) VALUES ('hashsize', ?1)",
                    [FTS_HASH_BYTES],
                )
                .at(&self.path)?;
        }
        let tx = self.conn.unchecked_transaction().at(&self.path)?;
        tx.execute_batch("DELETE FROM listing; DELETE FROM evidence;")
            .at(&self.path)?;
        if whole {
            tx.execute(
                "INSERT INTO evidence (roots, data) VALUES (?1, ?2)",
                params![roots_key(paths), ev.to_bytes()],
            )
            .at(&self.path)?;
        }
        {
            let p = &self.path;
            let mut del_fts = tx
                .prepare("DELETE FROM fts WHERE rowid IN (SELECT id FROM story WHERE file = ?1)")
                .at(p)?;
            let mut del_story = tx.prepare("DELETE FROM story WHERE file = ?1").at(p)?;
            let mut del_problem = tx.prepare("DELETE FROM problem WHERE file = ?1").at(p)?;
            let mut del_file = tx.prepare("DELETE FROM file WHERE id = ?1").at(p)?;
            let mut clear = |id: i64| -> DbResult<()> {
                del_fts.execute([id]).at(p)?;
                del_story.execute([id]).at(p)?;
                del_problem.execute([id]).at(p)?;
                Ok(())
            };
            for &id in &gone {
                clear(id)?;
                del_file.execute([id]).at(p)?;
            }
            let mut upsert_file = tx
                .prepare(
                    "INSERT INTO file (path, size, mtime) VALUES (?1, ?2, ?3)
                     ON CONFLICT (path) DO UPDATE SET size = ?2, mtime = ?3
                     RETURNING id",
                )
                .at(p)?;
            let mut file_ids: HashMap<&str, i64> = HashMap::with_capacity(stale.len());
            for f in &stale {
                let id: i64 = upsert_file
                    .query_row(params![f.abs, f.size, f.mtime], |r| r.get(0))
                    .at(p)?;
                if known.contains_key(&f.abs) {
                    clear(id)?;
                }
                file_ids.insert(f.abs.as_str(), id);
            }
            let mut ins_story = tx
                .prepare(
                    "INSERT INTO story (file, idx, sid, title, source, date)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .at(p)?;
            let mut ins_fts = tx
                .prepare("INSERT INTO fts (rowid, title, body) VALUES (?1, ?2, ?3)")
                .at(p)?;
            // reading and cleaning (on rayon's threads, a batch at a time) overlaps
            // writing (here): the time is that of the slower, and only a few batches
            // are held at once
            let (send, recv) = std::sync::mpsc::sync_channel::<Vec<(Entry, String)>>(2);
            let ev = &ev;
            let rest = &rest;
            std::thread::scope(|scope| -> DbResult<()> {
                scope.spawn(move || {
                    let mut held = held.into_iter();
                    loop {
                        let batch: Vec<Article> = held.by_ref().take(BATCH).collect();
                        if batch.is_empty() {
                            break;
                        }
                        let done: Vec<(Entry, String)> = batch
                            .into_par_iter()
                            .map(|article| clean_for_index(article, ev, opts))
                            .collect();
                        if send.send(done).is_err() {
                            return; // the writer stopped on an error
                        }
                    }
                    for files in rest.chunks(BATCH) {
                        // a big JSON Lines file is read apart, a batch of its stories
                        // at a time; every other file of the batch whole, in parallel
                        let done: Vec<Option<Vec<(Entry, String)>>> = files
                            .par_iter()
                            .map(|f| {
                                if crate::article::is_streamed(f) {
                                    return None;
                                }
                                let loaded = crate::article::load_file(f);
                                Some(
                                    loaded
                                        .articles
                                        .into_iter()
                                        .map(|mut a| {
                                            super::fill_date(&mut a);
                                            clean_for_index(a, ev, opts)
                                        })
                                        .collect(),
                                )
                            })
                            .collect();
                        let mut out = Vec::new();
                        for (f, d) in files.iter().zip(done) {
                            match d {
                                Some(d) => out.extend(d),
                                None => {
                                    // what came before it goes first
                                    let mut ok = send.send(std::mem::take(&mut out)).is_ok();
                                    let mut batch = Vec::with_capacity(BATCH);
                                    let send_batch = |batch: Vec<Article>| {
                                        let done: Vec<(Entry, String)> = batch
                                            .into_par_iter()
                                            .map(|mut a| {
                                                super::fill_date(&mut a);
                                                clean_for_index(a, ev, opts)
                                            })
                                            .collect();
                                        send.send(done).is_ok()
                                    };
                                    crate::article::for_each_article(f, |a| {
                                        batch.push(a);
                                        if batch.len() == BATCH && ok {
                                            ok = send_batch(std::mem::take(&mut batch));
                                        }
                                    });
                                    if !ok || !send_batch(batch) {
                                        return;
                                    }
                                }
                            }
                        }
                        if send.send(out).is_err() {
                            return;
                        }
                    }
                });
                for chunk in recv {
                    for (e, body) in chunk {
                        let Some(f) = abs_of.get(e.path.as_path()) else {
                            continue;
                        };
                        let file = file_ids[f.abs.as_str()];
                        ins_story
                            .execute(params![
                                file,
                                e.index_in_file as i64,
                                e.id.to_sql(),
                                e.title,
                                e.source,
                                e.date
                            ])
                            .at(p)?;
                        let rowid = tx.last_insert_rowid();
                        ins_fts.execute(params![rowid, e.title, body]).at(p)?;
                    }
                }
                Ok(())
            })?;
            let mut ins_problem = tx
                .prepare("INSERT INTO problem (file, at, reason) VALUES (?1, ?2, ?3)")
                .at(p)?;
            for pr in &load_problems {
                if let Some(f) = abs_of.get(pr.path.as_path()) {
                    ins_problem
                        .execute(params![file_ids[f.abs.as_str()], pr.at, pr.reason])
                        .at(p)?;
                }
            }
        }
        tx.commit().at(&self.path)?;
        if big {
            self.conn
                .execute_batch("PRAGMA cache_size = -2000; PRAGMA shrink_memory;")
                .at(&self.path)?;
        }
        clock.lap("clean + write + commit");
        problems.extend(self.stored_problems(paths)?);
        Ok((report, problems))
    }

    /// Every indexed file under the roots: absolute path -> (id, size, mtime).
    fn known_files(&self, paths: &[PathBuf]) -> DbResult<HashMap<String, (i64, i64, i64)>> {
        let mut out = HashMap::new();
        let mut q = self
            .conn
            .prepare_cached(
                "SELECT path, id, size, mtime FROM file
                 WHERE path = ?1 OR (path >= ?2 AND path < ?3)",
            )
            .at(&self.path)?;
        for p in paths {
            let (exact, lo, hi) = root_range(p);
            let rows = q
                .query_map(params![exact, lo, hi], |r| {
                    Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
                })
                .at(&self.path)?;
            for row in rows {
                let (k, v) = row.at(&self.path)?;
                out.insert(k, v);
            }
        }
        Ok(out)
    }

    /// Count the title of every indexed story outside the files being re-read (as a
    /// title-only article): the archive-wide evidence that a line is another story's
    /// title. Returns how many.
    fn add_other_titles(
        &self,
        builder: &mut clean::EvidenceBuilder,
        stale: &HashSet<&str>,
        gone: &[i64],
    ) -> DbResult<usize> {
        let gone: HashSet<i64> = gone.iter().copied().collect();
        let mut q = self
            .conn
            .prepare("SELECT f.id, f.path, s.title FROM story s JOIN file f ON f.id = s.file")
            .at(&self.path)?;
        let mut rows = q.query([]).at(&self.path)?;
        let mut n = 0;
        while let Some(r) = rows.next().at(&self.path)? {
            let file: i64 = r.get(0).at(&self.path)?;
            let path = r.get_ref(1).and_then(|v| Ok(v.as_str()?)).at(&self.path)?;
            if gone.contains(&file) || stale.contains(path) {
                continue;
            }
            builder.add(&Article {
                title: r.get(2).at(&self.path)?,
                ..Article::default()
            });
            n += 1;
        }
        Ok(n)
    }

    /// The archive-wide evidence of the stories under the roots, for cleaning a story
    /// that is opened: kept in the index by the [`Index::refresh`] that read them all,
    /// else gathered now by reading the files once (and kept, when the index can be
    /// written). It is as of the last refresh.
    pub fn evidence(&self, paths: &[PathBuf]) -> DbResult<Evidence> {
        use rusqlite::OptionalExtension;
        let key = roots_key(paths);
        let saved: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT data FROM evidence WHERE roots = ?1", [&key], |r| {
                r.get(0)
            })
            .optional()
            .at(&self.path)?;
        if let Some(ev) = saved.and_then(|d| Evidence::from_bytes(&d)) {
            return Ok(ev);
        }
        let (files, _) = find_files(paths);
        let mut builder = clean::EvidenceBuilder::default();
        observe_files(&mut builder, &files);
        let ev = builder.finish();
        // best effort: a read-only index still answers, only slower next time
        let _ = self.conn.execute(
            "INSERT OR REPLACE INTO evidence (roots, data) VALUES (?1, ?2)",
            params![key, ev.to_bytes()],
        );
        Ok(ev)
    }

    /// The problems recorded for files under the roots.
    fn stored_problems(&self, paths: &[PathBuf]) -> DbResult<Vec<LoadError>> {
        let mut out = Vec::new();
        let mut q = self
            .conn
            .prepare_cached(
                "SELECT f.path, p.at, p.reason FROM problem p JOIN file f ON f.id = p.file
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

    /// Every story under the roots, in the order the folder walk finds them. This is
    /// what a reader shows at once on opening; [`Index::refresh`] (which stats every
    /// file) can follow on another thread, with its own `Index`.
    pub fn entries(&self, paths: &[PathBuf]) -> DbResult<Vec<Entry>> {
        let mut clock = Clock::new();
        let mut out = Vec::new();
        for root in paths {
            let (exact, _, _) = root_range(root);
            let given = root.to_string_lossy();
            let saved: Option<Vec<u8>> = {
                use rusqlite::OptionalExtension;
                self.conn
                    .prepare_cached("SELECT data FROM listing WHERE root = ?1")
                    .and_then(|mut q| q.query_row([&exact], |r| r.get(0)).optional())
                    .at(&self.path)?
            };
            if let Some(entries) = saved.and_then(|d| listing::decode(&d, &given)) {
                clock.lap("entries: saved listing");
                out.extend(entries);
                continue;
            }
            let (entries, data) = self.entries_of_root(root, &given, &mut clock)?;
            // best effort: a read-only index still lists, only slower next time
            let _ = self.conn.execute(
                "INSERT OR REPLACE INTO listing (root, data) VALUES (?1, ?2)",
                params![exact, data],
            );
            clock.lap("entries: listing saved");
            out.extend(entries);
        }
        Ok(out)
    }

    /// The entries of one root from the tables, and their encoding for `listing`.
    fn entries_of_root(
        &self,
        root: &Path,
        given: &str,
        clock: &mut Clock,
    ) -> DbResult<(Vec<Entry>, Vec<u8>)> {
        // two queries rather than an OR: a range scan of the path index comes in path
        // order, nearly the walk's, so the sort below has little to do
        let mut files_q = self
            .conn
            .prepare_cached(
                "SELECT id, path FROM file WHERE path = ?1
                 UNION ALL
                 SELECT id, path FROM file WHERE path >= ?2 AND path < ?3",
            )
            .at(&self.path)?;
        let mut stories_q = self
            .conn
            .prepare_cached("SELECT file, idx, sid, title, source, date FROM story")
            .at(&self.path)?;
        let (exact, lo, hi) = root_range(root);
        let mut files: Vec<(i64, String)> = files_q
            .query_map(params![exact, lo, hi], |r| Ok((r.get(0)?, r.get(1)?)))
            .at(&self.path)?
            .collect::<Result<_, _>>()
            .at(&self.path)?;
        clock.lap("entries: files");
        files.sort_by(|a, b| walk_order(&a.1, &b.1)); // stable: fast on sorted runs
                                                      // file id -> (position in walk order, path after the root, path as named)
        let shown: HashMap<i64, (usize, String, PathBuf)> = files
            .into_iter()
            .enumerate()
            .map(|(pos, (id, abs))| {
                let rel = abs.get(exact.len()..).unwrap_or("").to_string();
                let path = PathBuf::from(listing::join_given(given, &rel));
                (id, (pos, rel, path))
            })
            .collect();
        clock.lap("entries: sort files, paths");
        let mut found: Vec<(usize, i64, Entry)> = Vec::with_capacity(shown.len());
        let mut rows = stories_q.query([]).at(&self.path)?;
        while let Some(r) = rows.next().at(&self.path)? {
            let file: i64 = r.get(0).at(&self.path)?;
            let Some((pos, _, path)) = shown.get(&file) else {
                continue;
            };
            let e = (|| {
                Ok(Entry {
                    id: StoryId::from_sql(r.get(2)?),
                    path: path.clone(),
                    index_in_file: r.get::<_, i64>(1)?.max(0) as usize,
                    title: r.get(3)?,
                    source: r.get(4)?,
                    date: r.get(5)?,
                })
            })()
            .at(&self.path)?;
            found.push((*pos, file, e));
        }
        clock.lap("entries: stories");
        found.sort_unstable_by_key(|(pos, _, e)| (*pos, e.index_in_file));
        let mut data = Vec::new();
        for (_, file, e) in &found {
            listing::encode(&mut data, &shown[file].1, e);
        }
        Ok((found.into_iter().map(|(_, _, e)| e).collect(), data))
    }

    /// Full-text search under the roots: at most `limit` stories, best first (BM25, a
    /// title match weighted ten times a body match), each with a snippet of its text.
    pub fn search(&self, query: &str, paths: &[PathBuf], limit: usize) -> DbResult<Vec<Hit>> {
        search::run(&self.conn, &self.path, query, paths, limit)
    }
}

/// The `listing` table's encoding of a root's entries: per entry, the id (8 bytes), the
/// index in its file (4), then the path after the root, title, source and date, each as
/// a 4-byte length (`u32::MAX` for none) and UTF-8 bytes; little-endian.
mod listing {
    use super::{Entry, PathBuf, StoryId};

    fn put(out: &mut Vec<u8>, s: Option<&str>) {
        match s {
            Some(s) => {
                out.extend_from_slice(&(s.len() as u32).to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            None => out.extend_from_slice(&u32::MAX.to_le_bytes()),
        }
    }

    pub(super) fn encode(out: &mut Vec<u8>, rel: &str, e: &Entry) {
        out.extend_from_slice(&e.id.0.to_le_bytes());
        out.extend_from_slice(&(e.index_in_file as u32).to_le_bytes());
        put(out, Some(rel));
        put(out, Some(&e.title));
        put(out, e.source.as_deref());
        put(out, e.date.as_deref());
    }

    /// `None` when the data is not a listing this code wrote (it is rebuilt then).
    pub(super) fn decode(mut d: &[u8], given: &str) -> Option<Vec<Entry>> {
        fn take<'a>(d: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
            let (a, b) = (d.get(..n)?, d.get(n..)?);
            *d = b;
            Some(a)
        }
        fn text(d: &mut &[u8]) -> Option<Option<String>> {
            let n = u32::from_le_bytes(take(d, 4)?.try_into().ok()?);
            if n == u32::MAX {
                return Some(None);
            }
            let s = std::str::from_utf8(take(d, n as usize)?).ok()?;
            Some(Some(s.to_owned()))
        }
        let mut out = Vec::new();
        while !d.is_empty() {
            let id = u64::from_le_bytes(take(&mut d, 8)?.try_into().ok()?);
            let idx = u32::from_le_bytes(take(&mut d, 4)?.try_into().ok()?);
            let rel = text(&mut d)??;
            out.push(Entry {
                id: StoryId(id),
                path: PathBuf::from(join_given(given, &rel)),
                index_in_file: idx as usize,
                title: text(&mut d)??,
                source: text(&mut d)?,
                date: text(&mut d)?,
            });
        }
        Some(out)
    }

    /// The root as the user named it joined with the path after the root ("" or "/...").
    pub(super) fn join_given(given: &str, rel: &str) -> String {
        match rel.strip_prefix('/') {
            None => given.to_string(),
            Some(rest) if given.ends_with('/') => format!("{given}{rest}"),
            Some(_) => format!("{given}{rel}"),
        }
    }
}

/// The order [`find_files`] walks in: path by path component (a separator sorts before
/// any other byte), so `a/b/x` comes before `a/b-c/x` and `a/b.txt`.
fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |c: u8| if c == b'/' { 0 } else { c };
    a.bytes().map(key).cmp(b.bytes().map(key))
}

/// A stored absolute path as the user named it: under the root they gave, relative if
/// they gave it relative.
fn shown_path(abs: &Path, roots: &[PathBuf]) -> PathBuf {
    for r in roots {
        let ar = absolute(r);
        if abs.starts_with(&ar) {
            return relative_to(abs, &ar, r);
        }
    }
    abs.to_path_buf()
}

pub(crate) fn relative_to(abs: &Path, abs_root: &Path, given: &Path) -> PathBuf {
    match abs.strip_prefix(abs_root) {
        Ok(rest) if rest.as_os_str().is_empty() => given.to_path_buf(),
        Ok(rest) => given.join(rest),
        Err(_) => abs.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_entries_equal_whole_file_entries() {
        let dir = tempfile::tempdir().unwrap();
        let para = "Word ".repeat(30) + "end.";
        let long = format!("Title line\n\n{}\n", vec![para.as_str(); 40].join("\n\n"));
        let dated = format!(
            "Dated story\n\nShort.\n\n  \nBy A. Writer\r\n\r\n28 February 2020\n\n{}\n",
            vec![para.as_str(); 60].join("\n\n")
        );
        let few = "Only a title\nand a line\n\ntwo words\n".to_string();
        let mut paths = Vec::new();
        for (name, text) in [("long.txt", long), ("dated.txt", dated), ("few.txt", few)] {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            paths.push(p);
        }
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
        paths.push(samples);
        let (quick, _) = scan(&paths);
        let (_, full, _) = scan_articles(&paths);
        let full: Vec<Entry> = full.iter().map(Entry::of_article).collect();
        assert!(quick.len() >= 19);
        assert_eq!(quick, full);
        assert!(quick
            .iter()
            .any(|e| e.date.as_deref() == Some("2020-02-28")));
    }

    #[test]
    fn walk_order_is_component_order() {
        let mut v = vec!["a/b.txt", "a/b-c/x", "a/b/y", "a/a", "a/b/x"];
        v.sort_by(|a, b| walk_order(a, b));
        let mut p: Vec<PathBuf> = v.iter().map(PathBuf::from).collect();
        p.sort();
        assert_eq!(v, p.iter().map(|p| p.to_str().unwrap()).collect::<Vec<_>>());
        assert_eq!(listing::join_given("a/", "/x.txt"), "a/x.txt");
        assert_eq!(listing::join_given("./a", "/x.txt"), "./a/x.txt");
        assert_eq!(listing::join_given("x.txt", ""), "x.txt");
    }

    #[test]
    fn listing_round_trips_and_is_dropped_on_change() {
        let dir = tempfile::tempdir().unwrap();
        let arch = dir.path().join("news");
        std::fs::create_dir_all(&arch).unwrap();
        let story =
            "A title here\n\nThe council met on Monday and agreed the plan for the harbour.\n";
        std::fs::write(arch.join("a.txt"), story).unwrap();
        let mut ix = Index::open(&dir.path().join("i.sqlite")).unwrap();
        let roots = vec![arch.clone()];
        let opts = Options::default();
        ix.refresh(&roots, &opts, None).unwrap();
        let first = ix.entries(&roots).unwrap();
        let again = ix.entries(&roots).unwrap(); // from the saved listing
        assert_eq!(first, again);
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].path, arch.join("a.txt"));
        std::fs::write(
            arch.join("b.txt"),
            story.replace("A title", "Another title"),
        )
        .unwrap();
        ix.refresh(&roots, &opts, None).unwrap();
        assert_eq!(ix.entries(&roots).unwrap().len(), 2);
        assert_eq!(listing::decode(b"\x01\x02", "x"), None);
    }

    #[test]
    fn prefix_stops_after_enough_paragraphs() {
        let words = "a b c d e f g h i j\n";
        let text = format!("T\n\n{0}\n{0}\n{0}\n{0}\n{0}\nrest\n", words);
        let end = prefix_end(text.as_bytes()).unwrap();
        assert!(text[..end].ends_with("\n\n"));
        assert!(!text[..end].contains("rest"));
        assert_eq!(prefix_end(b"T\n\nunfinished line"), None);
    }
}
