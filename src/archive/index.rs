//! The index: what the list and search need from every story (title, source, date, where
//! it is, and its cleaned text for full-text search), kept in an SQLite file with FTS5, so
//! a big archive re-opens without reading its files again.
//!
//! It lives in the platform cache dir (or `--index FILE`), apart from the reading state,
//! and can be deleted at any time: [`Index::refresh`] rebuilds what is missing and updates
//! what changed, judging files by size and modification time.

use super::db::{self, Ctx, DbError, DbResult};
pub use super::entry::Entry;
use super::entry::{EntryBuilder, Layout, Place};
use super::search::{self, Hit};
use super::state::StoryId;
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

/// The quick way to a list with no index: read every file in parallel and describe each
/// story as stored, without cleaning (which is what takes time), keeping nothing else, so
/// memory stays that of the list. Entries and problems come in path order.
pub fn scan(paths: &[PathBuf]) -> (Vec<Entry>, Vec<LoadError>) {
    let (mut entries, mut problems) = (Vec::new(), Vec::new());
    let _ = scan_each(paths, |e, p| -> Result<(), ()> {
        entries.extend(e);
        problems.extend(p);
        Ok(())
    });
    (entries, problems)
}

/// Files read per batch of [`scan_each`].
const SCAN_BATCH: usize = 1024;

/// [`scan`], a batch at a time, in path order: `sink` gets each batch's entries and
/// problems while the next batch is read (on rayon's threads) and the folders walked
/// further (on another), so showing the list overlaps finding it. An error from `sink`
/// stops the scan and is returned.
pub fn scan_each<E>(
    paths: &[PathBuf],
    mut sink: impl FnMut(Vec<Entry>, Vec<LoadError>) -> Result<(), E>,
) -> Result<(), E> {
    use rayon::prelude::*;
    use std::sync::mpsc::sync_channel;
    type Batch = (Vec<super::Found>, Vec<LoadError>);
    let (found_tx, found_rx) = sync_channel::<Batch>(4);
    let (read_tx, read_rx) = sync_channel::<(Vec<Quick>, Vec<LoadError>)>(4);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut batch: Batch = (Vec::with_capacity(SCAN_BATCH), Vec::new());
            let mut stopped = false;
            super::find_each_at(paths, true, &mut |found| {
                if stopped {
                    return;
                }
                match found {
                    Ok(f) => batch.0.push(f),
                    Err(e) => batch.1.push(e),
                }
                if batch.0.len() == SCAN_BATCH {
                    let full =
                        std::mem::replace(&mut batch, (Vec::with_capacity(SCAN_BATCH), Vec::new()));
                    stopped = found_tx.send(full).is_err();
                }
            });
            let empty = batch.0.is_empty() && batch.1.is_empty();
            if !stopped && !empty {
                let _ = found_tx.send(batch);
            }
        });
        scope.spawn(move || {
            for (files, problems) in found_rx {
                let read: Vec<Quick> = files
                    .into_par_iter()
                    .map_init(|| Vec::with_capacity(HEAD), |buf, f| quick_load(f, buf))
                    .collect();
                if read_tx.send((read, problems)).is_err() {
                    break; // the sink stopped
                }
            }
        });
        for (read, mut problems) in read_rx {
            let mut entries = Vec::with_capacity(read.len());
            for q in read {
                match q {
                    Quick::One(e) => entries.push(e),
                    Quick::Loaded(e, p) => {
                        entries.extend(e);
                        problems.extend(p);
                    }
                }
            }
            sink(entries, problems)?; // dropping the receiver stops the others
        }
        Ok(())
    })
}

/// Bytes read from the top of a plain-text file for its list entry, at most.
const HEAD: usize = 4096;
/// Bytes read first: in the news corpora of ../shared (950 stories) every story's
/// first paragraphs end within 2 KB (97 % within 1 KB), so a second read is rare and
/// less is copied than the whole head.
const FIRST_READ: usize = 2048;
/// Paragraphs (the title's and four more, where `fill_date` looks for a date) that make a
/// prefix enough for the list.
const HEAD_PARAS: usize = 5;

/// A file's part of the list.
enum Quick {
    /// A plain-text story read the quick way.
    One(Entry),
    /// Entries and problems from a file loaded as the full loader loads it.
    Loaded(Vec<Entry>, Vec<LoadError>),
}

/// A file loaded far enough for its list entry: a plain-text file only as far as its
/// first paragraphs (title, date, the words of its id), which gives the same entry as
/// the whole file; any other format whole. `buf` is the caller's, reused from file to
/// file.
fn quick_load(found: super::Found, buf: &mut Vec<u8>) -> Quick {
    use crate::article::{txt, Format, Loaded};
    let whole = |path: &Path| {
        let mut l = crate::article::load_file(path);
        let entries = l
            .articles
            .iter_mut()
            .map(|a| {
                super::fill_date_with(a, None);
                Entry::of_article(a)
            })
            .collect();
        Quick::Loaded(entries, l.problems)
    };
    if found.format != Some(Format::Text) || found.is_gz_name() {
        return whole(&found.path);
    }
    let Some((end, mtime)) = read_prefix(&found, buf) else {
        return whole(&found.path);
    };
    let path = found.path;
    let head = &buf[..end];
    if head.starts_with(&[0x1f, 0x8b]) {
        return whole(&path); // packed, whatever its name says
    }
    if let Some((title, rest)) = plain_head(head) {
        // the entry the loader would give, without building the article
        let title = title.replace('\t', " ");
        let id = StoryId::from_text(&title, [rest]);
        let date = mtime.map(crate::text::date_of);
        return Quick::One(Entry::new(id, &path, 0, &title, None, date.as_deref()));
    }
    let mut out = Loaded::default();
    match txt::parse(&path, head) {
        Ok((article, warning)) => {
            out.articles.push(article);
            out.problems.extend(warning);
        }
        Err(e) => out.problems.push(e),
    }
    let entries = out
        .articles
        .iter_mut()
        .map(|a| {
            super::fill_date_with(a, mtime);
            Entry::of_article(a)
        })
        .collect();
    Quick::Loaded(entries, out.problems)
}

/// The head of a plain-text file split as the loader would, when that is simple: printable
/// ASCII (tabs and newlines too), so nothing is decoded, sanitised or joined in a way
/// that changes a title or a word; and none of the first four blocks holds the four
/// digits of a date, so the date is the file's. Gives the title line (trimmed) and the
/// text after it, whose words are the blocks' words.
fn plain_head(head: &[u8]) -> Option<(&str, &str)> {
    // no early exit: this way the check runs many bytes at a time
    let odd = |c: u8| !(c == b'\n' || c == b'\t' || (b' '..=b'~').contains(&c));
    if head.iter().fold(false, |bad, &c| bad | odd(c)) {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?; // ASCII: no work
    let blank = |l: &str| l.bytes().all(|c| c == b' ' || c == b'\t');
    let mut lines = text.split('\n');
    let mut at = 0;
    let title = loop {
        let line = lines.next()?; // none: an empty file, which the loader reports
        at += line.len() + 1;
        if !blank(line) {
            break line.trim();
        }
    };
    let rest = text.get(at..).unwrap_or("");
    // counted in bytes, a chunk at a time, so the count runs many bytes at a time
    let digit_count = |t: &str| {
        t.as_bytes()
            .chunks(255)
            .map(|c| usize::from(c.iter().fold(0u8, |n, c| n + u8::from(c.is_ascii_digit()))))
            .sum::<usize>()
    };
    if digit_count(rest) < 4 {
        return Some((title, rest));
    }
    // the blocks: the title paragraph's other lines, then each paragraph
    let (mut blocks, mut digits, mut in_block) = (0, 0, false);
    for line in lines {
        if blank(line) {
            if in_block {
                if digits >= 4 {
                    return None;
                }
                blocks += 1;
                (digits, in_block) = (0, false);
                if blocks == 4 {
                    return Some((title, rest));
                }
            }
        } else {
            in_block = true;
            digits += digit_count(line);
        }
    }
    (digits < 4).then_some((title, rest))
}

/// Read the first paragraphs of a file into `buf`: where they end, and the file's
/// modification time; `None` when the head read does not hold them (read the whole file
/// then). `buf` holds [`HEAD`] bytes once the first file is read, kept from file to file.
fn read_prefix(
    found: &super::Found,
    buf: &mut Vec<u8>,
) -> Option<(usize, Option<std::time::SystemTime>)> {
    let mut f = found.open().ok()?;
    let meta = f.metadata().ok()?;
    // as much as the file holds, up to the first step, then up to the head: one read,
    // mostly, and none to find the end
    let size = usize::try_from(meta.len()).unwrap_or(HEAD);
    if buf.len() < HEAD {
        buf.resize(HEAD, 0);
    }
    let mut got = 0;
    for step in [FIRST_READ, HEAD] {
        let want = step.min(size);
        if got >= want {
            break; // the file is read
        }
        got += read_up_to(&mut f, &mut buf[got..want])?;
        if let Some(end) = prefix_end(&buf[..got]) {
            return Some((end, meta.modified().ok()));
        }
        if got < want {
            break; // the file is shorter than it was
        }
    }
    // the whole file, when it is shorter than the head
    (got < HEAD).then(|| (got, meta.modified().ok()))
}

/// Read into `buf` until it is full or the file ends: how many bytes were read.
fn read_up_to(f: &mut std::fs::File, buf: &mut [u8]) -> Option<usize> {
    use std::io::Read;
    let mut got = 0;
    while got < buf.len() {
        match f.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(got)
}

/// Where the first [`HEAD_PARAS`] paragraphs end, once they hold the words a
/// [`StoryId`] needs after the title: only complete lines, split where the plain-text
/// loader splits (lines of white space).
fn prefix_end(b: &[u8]) -> Option<usize> {
    let (mut paras, mut words, mut start) = (0, 0, 0);
    let (mut in_para, mut title_seen) = (false, false);
    for nl in memchr::memchr_iter(b'\n', b) {
        let line = &b[start..nl];
        start = nl + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            if in_para {
                in_para = false;
                paras += 1;
                if paras >= HEAD_PARAS && words >= super::state::ID_WORDS {
                    return Some(start);
                }
            }
        } else {
            in_para = true;
            if title_seen && words < super::state::ID_WORDS {
                // pieces between white space that hold a letter or a digit, each at least
                // one of the id's words: in one pass without branches over ASCII; a line
                // with more is counted again by its characters (a dash past ASCII is no
                // word)
                let (mut wordy, mut seen, mut line_words) = (0, 0, 0);
                for &c in line {
                    let class = BYTE_CLASS[usize::from(c)];
                    let space = class & SPACE; // 0 or 1
                    line_words += usize::from(wordy & space);
                    wordy = (wordy | ((class & WORDY) >> 1)) & (space ^ 1);
                    seen |= class;
                }
                line_words += usize::from(wordy);
                if seen & PAST_ASCII != 0 {
                    line_words = String::from_utf8_lossy(line)
                        .split(|c: char| c.is_ascii_whitespace())
                        .filter(|piece| piece.chars().any(char::is_alphanumeric))
                        .count();
                }
                words += line_words;
            }
            title_seen = true;
        }
    }
    None // the last line is cut by the head, or too few paragraphs
}

/// [`BYTE_CLASS`] of ASCII white space.
const SPACE: u8 = 1;
/// [`BYTE_CLASS`] of an ASCII letter or digit.
const WORDY: u8 = 2;
/// [`BYTE_CLASS`] of a byte past ASCII.
const PAST_ASCII: u8 = 4;
/// What [`prefix_end`] counts words by: [`SPACE`], [`WORDY`], [`PAST_ASCII`] or 0
/// (punctuation).
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_whitespace() {
            t[c] = SPACE;
        } else if b.is_ascii_alphanumeric() {
            t[c] = WORDY;
        } else if b >= 0x80 {
            t[c] = PAST_ASCII;
        }
        c += 1;
    }
    t
};

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
fn observe_files<P: AsRef<Path> + Sync>(
    builder: &mut clean::EvidenceBuilder,
    files: &[P],
) -> Vec<LoadError> {
    use rayon::prelude::*;
    let mut problems = Vec::new();
    for batch in files.chunks(BATCH) {
        let seen: Vec<(Vec<clean::Observed>, Vec<LoadError>)> = batch
            .par_iter()
            .map(|f| {
                let mut obs = Vec::new();
                let probs =
                    crate::article::for_each_article(f.as_ref(), |a| obs.push(clean::observe(&a)));
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
    /// A second, read-only connection, opened for the first search of a big index.
    helper: std::sync::OnceLock<Option<std::sync::Mutex<Connection>>>,
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

/// A new index trusts no listing file (`<index>.listing-…`) left by one deleted or
/// replaced before it: they are removed, not left to take up room.
fn remove_listing_files(index: &Path) {
    let (Some(dir), Some(name)) = (index.parent(), index.file_name()) else {
        return;
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
        return;
    };
    for e in entries.flatten() {
        if e.file_name().as_encoded_bytes().starts_with(prefix) {
            let _ = std::fs::remove_file(e.path());
        }
    }
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
        if version == 0 {
            remove_listing_files(path);
        }
        conn.execute_batch(SCHEMA).at(path)?;
        conn.pragma_update(None, "user_version", INDEX_VERSION)
            .at(path)?;
        Ok(Index {
            conn,
            path: path.to_path_buf(),
            helper: std::sync::OnceLock::new(),
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
        let stale_paths: Vec<&Path> = stale.iter().map(|f| f.given.as_path()).collect();
        let (held, rest) = match loaded {
            Some(all) => {
                let want: HashSet<&Path> = stale_paths.iter().copied().collect();
                let held: Vec<Article> = all
                    .into_iter()
                    .filter(|a| want.contains(a.path.as_path()))
                    .collect();
                let have: HashSet<&Path> = held.iter().map(|a| a.path.as_path()).collect();
                let rest: Vec<&Path> = stale_paths
                    .iter()
                    .filter(|p| !have.contains(**p))
                    .copied()
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
                        let Some(f) = abs_of.get(e.path()) else {
                            continue;
                        };
                        let file = file_ids[f.abs.as_str()];
                        ins_story
                            .execute(params![
                                file,
                                e.index_in_file as i64,
                                e.id.to_sql(),
                                e.title(),
                                e.source(),
                                e.date()
                            ])
                            .at(p)?;
                        let rowid = tx.last_insert_rowid();
                        ins_fts.execute(params![rowid, e.title(), body]).at(p)?;
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
        self.entries_with(paths, |e| e)
    }

    /// [`Index::entries`], each made at once into what the caller keeps (so that a list
    /// of 100,000 is built once, not copied).
    pub fn entries_with<T>(
        &self,
        paths: &[PathBuf],
        mut f: impl FnMut(Entry) -> T,
    ) -> DbResult<Vec<T>> {
        let mut clock = Clock::new();
        let mut out = Vec::new();
        for root in paths {
            let (exact, _, _) = root_range(root);
            let given = root.to_string_lossy();
            let from = out.len();
            if let Some((head, mut file)) = self.open_listing(&exact)? {
                clock.lap("entries: saved listing's head read");
                let texts = file.as_mut().map(|f| f as &mut dyn std::io::Read);
                if listing::decode(&head, texts, &given, &mut out, &mut f).is_some() {
                    clock.lap("entries: saved listing");
                    continue;
                }
                out.truncate(from);
            }
            let data = self.entries_of_root(root, &mut clock)?;
            // best effort: a read-only index still lists, only slower next time
            let _ = self.store_listing(&exact, &data, None);
            clock.lap("entries: listing saved");
            listing::decode(&data, None, &given, &mut out, &mut f).ok_or_else(|| {
                DbError::Unusable {
                    path: self.path.clone(),
                    reason: "a listing could not be read back".into(),
                }
            })?;
        }
        Ok(out)
    }

    /// The entries of one root from the tables, encoded for `listing`.
    fn entries_of_root(&self, root: &Path, clock: &mut Clock) -> DbResult<Vec<u8>> {
        // two queries rather than an OR: a range scan of the path index comes in path
        // order, nearly the walk's, so the sort below has little to do
        let mut files_q = self
            .conn
            .prepare_cached(
                "SELECT id, path, size, mtime FROM file WHERE path = ?1
                 UNION ALL
                 SELECT id, path, size, mtime FROM file WHERE path >= ?2 AND path < ?3",
            )
            .at(&self.path)?;
        let mut stories_q = self
            .conn
            .prepare_cached("SELECT file, idx, sid, title, source, date FROM story")
            .at(&self.path)?;
        let (exact, lo, hi) = root_range(root);
        let mut files: Vec<(i64, String, i64, i64)> = files_q
            .query_map(params![exact, lo, hi], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .at(&self.path)?
            .collect::<Result<_, _>>()
            .at(&self.path)?;
        clock.lap("entries: files");
        files.sort_by(|a, b| walk_order(&a.1, &b.1)); // stable: fast on sorted runs
        let pos: HashMap<i64, usize> = files.iter().enumerate().map(|(i, f)| (f.0, i)).collect();
        let head: Vec<(String, i64, i64)> = files
            .into_iter()
            .map(|(_, abs, size, mtime)| {
                let rel = abs.get(exact.len()..).unwrap_or("").to_string();
                (rel, size, mtime)
            })
            .collect();
        clock.lap("entries: sort files, paths");
        // (file's position in walk order, index in file, id, title, source, date)
        type Found = (
            usize,
            usize,
            StoryId,
            String,
            Option<String>,
            Option<String>,
        );
        let mut found: Vec<Found> = Vec::with_capacity(pos.len());
        let mut rows = stories_q.query([]).at(&self.path)?;
        while let Some(r) = rows.next().at(&self.path)? {
            let file: i64 = r.get(0).at(&self.path)?;
            let Some(&pos) = pos.get(&file) else {
                continue;
            };
            let f = (|| {
                Ok((
                    pos,
                    r.get::<_, i64>(1)?.max(0) as usize,
                    StoryId::from_sql(r.get(2)?),
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })()
            .at(&self.path)?;
            found.push(f);
        }
        clock.lap("entries: stories");
        found.sort_unstable_by_key(|f| (f.0, f.1));
        let raws: Vec<listing::Raw<'_>> = found
            .iter()
            .map(
                |(file, index_in_file, id, title, source, date)| listing::Raw {
                    id: *id,
                    file: *file,
                    index_in_file: *index_in_file,
                    title,
                    source: source.as_deref(),
                    date: date.as_deref(),
                },
            )
            .collect();
        Ok(listing::encode(None, &head, &raws))
    }

    /// The saved listings of the roots, when no file can have been added, removed or
    /// renamed under them since the listings were last seen to match the archive: every
    /// folder (and a root that is a file) still has the modification time it had then.
    /// `None` when that cannot be told: refresh, then [`Index::entries`]. A file changed
    /// in place leaves its folder's time alone: [`Saved::changed_files`] finds those.
    pub fn saved_listing(&self, paths: &[PathBuf]) -> DbResult<Option<Saved>> {
        let mut roots = Vec::with_capacity(paths.len());
        for root in paths {
            let (exact, _, _) = root_range(root);
            let Some((_, data)) = self.load_listing(&exact)? else {
                return Ok(None);
            };
            let Some(l) = listing::parse(&data) else {
                return Ok(None);
            };
            let Some(dirs) = &l.dirs else {
                return Ok(None);
            };
            let unchanged = |rel: &str, want: i64| {
                want != listing::UNKNOWN && mtime_of(&format!("{exact}{rel}")) == Some(want)
            };
            if !dirs.iter().all(|&(rel, mtime)| unchanged(rel, mtime)) {
                return Ok(None);
            }
            if dirs.is_empty()
                && (l.files.is_empty() || !l.files.iter().all(|(rel, _, t)| unchanged(rel, t)))
            {
                return Ok(None); // a root that is a file
            }
            drop(l);
            roots.push(SavedRoot {
                given: root.to_string_lossy().into_owned(),
                abs: exact,
                data,
            });
        }
        Ok(Some(Saved { roots }))
    }

    /// Keep with the roots' listings the times of their folders, taken by [`folders`]
    /// before the refresh that the listings now follow, so that [`Index::saved_listing`]
    /// can trust them. A listing that changed meanwhile is left alone.
    pub fn keep_folders(&self, folders: &Folders) -> DbResult<()> {
        for (abs, dirs) in &folders.0 {
            let Some((row, old)) = self.load_listing(abs)? else {
                continue;
            };
            let Some(l) = listing::parse(&old) else {
                continue;
            };
            let same = l.dirs.as_ref().is_some_and(|d| {
                d.len() == dirs.len() && d.iter().zip(dirs).all(|(a, b)| a.0 == b.0 && a.1 == b.1)
            });
            if same {
                continue;
            }
            drop(l);
            let Some(new) = listing::with_dirs(&old, dirs) else {
                continue;
            };
            self.store_listing(abs, &new, Some(&row))?;
        }
        Ok(())
    }

    /// The file beside the index that holds a root's listing: read whole at once, where
    /// SQLite reads a big value page by page (tens of milliseconds for 100,000 stories).
    fn listing_file(&self, abs_root: &str) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(
            ".listing-{:016x}",
            StoryId::from_text(abs_root, []).0
        ));
        PathBuf::from(name)
    }

    /// A root's listing row as stored: the listing, or a token naming the listing file.
    fn listing_row(&self, abs_root: &str) -> DbResult<Option<Vec<u8>>> {
        use rusqlite::OptionalExtension;
        self.conn
            .prepare_cached("SELECT data FROM listing WHERE root = ?1")
            .and_then(|mut q| q.query_row([abs_root], |r| r.get(0)).optional())
            .at(&self.path)
    }

    /// A root's listing: the row as stored and the listing it stands for. The row holds
    /// the listing, or a token that the listing file must end with (one left by an
    /// earlier listing, or another process, is not trusted). Refreshing drops the row,
    /// and with it any trust in the file.
    fn load_listing(&self, abs_root: &str) -> DbResult<Option<(Vec<u8>, Vec<u8>)>> {
        let row = self.listing_row(abs_root)?;
        let Some(row) = row else { return Ok(None) };
        let Some(token) = row.strip_prefix(LISTING_IN_FILE) else {
            let data = row.clone();
            return Ok(Some((row, data)));
        };
        let Ok(mut data) = std::fs::read(self.listing_file(abs_root)) else {
            return Ok(None);
        };
        if token.len() != 8 || !data.ends_with(token) {
            return Ok(None);
        }
        data.truncate(data.len() - 8);
        Ok(Some((row, data)))
    }

    /// A root's listing for [`Index::entries_with`]: the row's listing, or the head of
    /// the listing file (its token checked first), the file left where the entries'
    /// texts begin for `listing::decode` to read them straight into place.
    fn open_listing(&self, abs_root: &str) -> DbResult<Option<(Vec<u8>, Option<std::fs::File>)>> {
        use std::io::{Read, Seek, SeekFrom};
        let row = self.listing_row(abs_root)?;
        let Some(row) = row else { return Ok(None) };
        let Some(token) = row.strip_prefix(LISTING_IN_FILE) else {
            return Ok(Some((row, None)));
        };
        let head = (|| {
            let mut f = std::fs::File::open(self.listing_file(abs_root)).ok()?;
            let len = usize::try_from(f.metadata().ok()?.len()).ok()?;
            let mut end = [0u8; 8];
            f.seek(SeekFrom::Start(len.checked_sub(8)? as u64)).ok()?;
            f.read_exact(&mut end).ok()?;
            if end[..] != *token {
                return None;
            }
            f.seek(SeekFrom::Start(0)).ok()?;
            let mut start = [0u8; 12];
            f.read_exact(&mut start).ok()?;
            let head_len = (len - 8).checked_sub(listing::texts_len(&start)?)?;
            let mut head = Vec::with_capacity(head_len);
            super::entry::huge_pages(&head);
            head.extend_from_slice(&start);
            let rest = head_len.checked_sub(start.len())?;
            (&mut f).take(rest as u64).read_to_end(&mut head).ok()?;
            (head.len() == head_len).then_some((head, Some(f)))
        })();
        Ok(head)
    }

    /// Store a root's listing: in its file, the row holding a fresh token (in the row
    /// itself when the file cannot be written). With `only_if`, only while the row is
    /// still that.
    fn store_listing(&self, abs_root: &str, data: &[u8], only_if: Option<&[u8]>) -> DbResult<()> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let token = (nanos ^ (u64::from(std::process::id()) << 40)).to_le_bytes();
        let file = self.listing_file(abs_root);
        let mut tmp = file.as_os_str().to_owned();
        tmp.push(format!(".{:016x}", u64::from_le_bytes(token)));
        let written = (|| {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(data)?;
            f.write_all(&token)?;
            drop(f);
            std::fs::rename(&tmp, &file)
        })();
        let row: Vec<u8> = match written {
            Ok(()) => [LISTING_IN_FILE, &token[..]].concat(),
            Err(_) => {
                let _ = std::fs::remove_file(&tmp);
                data.to_vec()
            }
        };
        match only_if {
            Some(old) => self.conn.execute(
                "UPDATE listing SET data = ?1 WHERE root = ?2 AND data = ?3",
                params![row, abs_root, old],
            ),
            None => self.conn.execute(
                "INSERT OR REPLACE INTO listing (root, data) VALUES (?1, ?2)",
                params![abs_root, row],
            ),
        }
        .at(&self.path)?;
        Ok(())
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

/// The start of a `listing` row that stands for the listing file ending with the token
/// that follows.
const LISTING_IN_FILE: &[u8] = b"BSL-file";

/// A file's or folder's modification time, as the index keeps it.
fn mtime_of(path: &str) -> Option<i64> {
    let m = std::fs::metadata(path).ok()?;
    Some(nanos(&m))
}

/// The modification time in nanoseconds since 1970 (0 when unknown).
fn nanos(m: &std::fs::Metadata) -> i64 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

/// The folders under some roots, each with its modification time taken before its
/// entries were read (hidden ones skipped, as [`find_files`] skips them).
#[derive(Debug, Default)]
pub struct Folders(Vec<(String, Vec<(String, i64)>)>);

/// A folder changed this recently may change again within the same tick of its clock,
/// unseen: its time is not trusted.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

/// The folders under the roots (none for a root that is a file), with their times.
pub fn folders(paths: &[PathBuf]) -> Folders {
    fn walk(abs: &str, rel: String, now: i64, out: &mut Vec<(String, i64)>) {
        let path = format!("{abs}{rel}");
        let Some(mtime) = mtime_of(&path) else {
            out.push((rel, listing::UNKNOWN));
            return;
        };
        let settled = now.saturating_sub(mtime) > SETTLED.as_nanos() as i64;
        out.push((rel.clone(), if settled { mtime } else { listing::UNKNOWN }));
        let Ok(entries) = std::fs::read_dir(&path) else {
            return;
        };
        let mut subs: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .collect();
        subs.sort_unstable();
        for name in subs {
            walk(abs, format!("{rel}/{name}"), now, out);
        }
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0);
    let mut out = Vec::new();
    for root in paths {
        let (abs, _, _) = root_range(root);
        let mut dirs = Vec::new();
        if std::fs::metadata(&abs).is_ok_and(|m| m.is_dir()) {
            walk(&abs, String::new(), now, &mut dirs);
        }
        out.push((abs, dirs));
    }
    Folders(out)
}

/// Saved listings that [`Index::saved_listing`] found current.
#[derive(Debug)]
pub struct Saved {
    roots: Vec<SavedRoot>,
}

#[derive(Debug)]
struct SavedRoot {
    given: String,
    abs: String,
    data: Vec<u8>,
}

/// A story of a saved listing, borrowed from it.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The content id.
    pub id: StoryId,
    /// The file as named under the root given.
    pub path: ShownPath<'a>,
    /// Position within its file.
    pub index_in_file: usize,
    /// The title.
    pub title: &'a str,
    /// The source.
    pub source: Option<&'a str>,
    /// `YYYY-MM-DD`.
    pub date: Option<&'a str>,
}

/// A path under a root, shown as the root was named: the root, then the rest.
#[derive(Debug, Clone, Copy)]
pub struct ShownPath<'a>(pub &'a str, pub &'a str);

impl std::fmt::Display for ShownPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)?;
        f.write_str(self.1)
    }
}

impl ShownPath<'_> {
    fn of<'a>(given: &'a str, rel: &'a str) -> ShownPath<'a> {
        match rel.strip_prefix('/') {
            Some(rest) if given.ends_with('/') => ShownPath(given, rest),
            _ => ShownPath(given, rel),
        }
    }
}

impl Row<'_> {
    /// The entry, owned.
    pub fn entry(&self) -> Entry {
        let mut b = EntryBuilder::with_capacity(1, 0);
        let p = self.path;
        b.push_parts(
            self.id,
            (p.0, p.1),
            self.index_in_file,
            self.title,
            self.source,
            self.date,
        );
        b.finish().pop().expect("one entry")
    }
}

impl Saved {
    /// Every story, in the order of [`Index::entries`], until `f` fails.
    pub fn each<E>(&self, mut f: impl FnMut(Row<'_>) -> Result<(), E>) -> Result<(), E> {
        for r in &self.roots {
            let Some(l) = listing::parse(&r.data) else {
                continue; // parsed once already
            };
            let mut result = Ok(());
            l.each(|raw| {
                if result.is_ok() {
                    result = f(Row {
                        id: raw.id,
                        path: ShownPath::of(&r.given, l.files.get(raw.file).0),
                        index_in_file: raw.index_in_file,
                        title: raw.title,
                        source: raw.source,
                        date: raw.date,
                    });
                }
            });
            result?;
        }
        Ok(())
    }

    /// The files whose size or modification time is no longer what the index read (or
    /// that are gone), as named under the roots given: a stat of every file, in parallel.
    pub fn changed_files(&self) -> Vec<PathBuf> {
        use rayon::prelude::*;
        let mut out = Vec::new();
        for r in &self.roots {
            let Some(l) = listing::parse(&r.data) else {
                continue;
            };
            let changed: Vec<PathBuf> = l
                .files
                .to_vec()
                .par_iter()
                .filter(|&&(rel, size, mtime)| {
                    let m = std::fs::metadata(format!("{}{rel}", r.abs));
                    !m.is_ok_and(|m| m.len() as i64 == size && nanos(&m) == mtime)
                })
                .map(|&(rel, _, _)| PathBuf::from(ShownPath::of(&r.given, rel).to_string()))
                .collect();
            out.extend(changed);
        }
        out
    }
}

/// The `listing` table's encoding of a root's entries, little-endian, laid out to be read
/// back with few copies: a magic; the length of the entries' texts (8 bytes); the folders
/// under the root with their modification times when they were last seen to match the
/// index (a count of `u32::MAX`: not yet seen), each a text (a 4-byte length and UTF-8)
/// and a time; every indexed file: a count, per file its size, modification time and the
/// length of its path after the root (8 + 8 + 4 bytes), then those paths end to end (an
/// 8-byte length, then UTF-8); the entries: a count, per entry its id (8 bytes), its
/// file's number (4), its index in the file (4) and the lengths of its title, source and
/// date (4 each, `u32::MAX` for none); then, last, those texts end to end (UTF-8), so
/// that they can be read from the file straight into the entries' buffer. Times are
/// nanoseconds since 1970 ([`listing::UNKNOWN`]: not to be trusted).
mod listing {
    use super::{Entry, Layout, Place, StoryId};

    const MAGIC: &[u8; 4] = b"BSL\x04";
    /// Where the folders start (after the magic and the texts' length).
    const DIRS_AT: usize = 12;
    /// A folder time that proves nothing (the folder changed too recently to tell).
    pub(super) const UNKNOWN: i64 = i64::MIN;
    /// The length of a text that is not there.
    const NONE: u32 = u32::MAX;
    /// The bytes of a file's record, and of an entry's.
    const FILE: usize = 20;
    const ENTRY: usize = 28;

    fn put_dirs(out: &mut Vec<u8>, dirs: Option<&[(String, i64)]>) {
        match dirs {
            None => out.extend_from_slice(&u32::MAX.to_le_bytes()),
            Some(dirs) => {
                out.extend_from_slice(&(dirs.len() as u32).to_le_bytes());
                for (rel, mtime) in dirs {
                    out.extend_from_slice(&(rel.len() as u32).to_le_bytes());
                    out.extend_from_slice(rel.as_bytes());
                    out.extend_from_slice(&mtime.to_le_bytes());
                }
            }
        }
    }

    /// A listing: the folders (`None`: not yet seen), the files (path after the root,
    /// size, time) and the entries (`file` numbering the files).
    pub(super) fn encode(
        dirs: Option<&[(String, i64)]>,
        files: &[(String, i64, i64)],
        entries: &[Raw<'_>],
    ) -> Vec<u8> {
        fn texts<'a>(e: &Raw<'a>) -> [Option<&'a str>; 3] {
            [Some(e.title), e.source, e.date]
        }
        let texts_len: usize = entries.iter().flat_map(texts).flatten().map(str::len).sum();
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(texts_len as u64).to_le_bytes());
        put_dirs(&mut out, dirs);
        out.extend_from_slice(&(files.len() as u32).to_le_bytes());
        for (rel, size, mtime) in files {
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&mtime.to_le_bytes());
            out.extend_from_slice(&(rel.len() as u32).to_le_bytes());
        }
        let n: usize = files.iter().map(|f| f.0.len()).sum();
        out.extend_from_slice(&(n as u64).to_le_bytes());
        for (rel, _, _) in files {
            out.extend_from_slice(rel.as_bytes());
        }
        out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        for e in entries {
            out.extend_from_slice(&e.id.0.to_le_bytes());
            out.extend_from_slice(&(e.file as u32).to_le_bytes());
            out.extend_from_slice(&(e.index_in_file as u32).to_le_bytes());
            for s in texts(e) {
                out.extend_from_slice(&s.map_or(NONE, |s| s.len() as u32).to_le_bytes());
            }
        }
        for s in entries.iter().flat_map(texts).flatten() {
            out.extend_from_slice(s.as_bytes());
        }
        out
    }

    /// The same listing with these folders.
    pub(super) fn with_dirs(old: &[u8], dirs: &[(String, i64)]) -> Option<Vec<u8>> {
        let l = parse(old)?;
        let mut new = Vec::with_capacity(old.len() + dirs.len() * 24);
        new.extend_from_slice(&old[..DIRS_AT]);
        put_dirs(&mut new, Some(dirs));
        new.extend_from_slice(&old[l.files_at..]);
        Some(new)
    }

    /// The length of the entries' texts, from a listing's first bytes.
    pub(super) fn texts_len(start: &[u8]) -> Option<usize> {
        let mut d = start.strip_prefix(MAGIC)?;
        usize::try_from(i64_of(&mut d)?).ok()
    }

    fn take<'a>(d: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (a, b) = (d.get(..n)?, d.get(n..)?);
        *d = b;
        Some(a)
    }
    fn u32_of(d: &mut &[u8]) -> Option<u32> {
        Some(u32::from_le_bytes(take(d, 4)?.try_into().ok()?))
    }
    fn i64_of(d: &mut &[u8]) -> Option<i64> {
        Some(i64::from_le_bytes(take(d, 8)?.try_into().ok()?))
    }
    fn text<'a>(d: &mut &'a [u8]) -> Option<&'a str> {
        let n = u32_of(d)?;
        std::str::from_utf8(take(d, n as usize)?).ok()
    }

    /// A listing read in place.
    pub(super) struct Listing<'a> {
        /// Folders and their times, `None` when not yet seen.
        pub dirs: Option<Vec<(&'a str, i64)>>,
        /// Files: path after the root, size, time.
        pub files: Files<'a>,
        /// Where the files begin (all that follows the folders).
        pub files_at: usize,
        records: &'a [u8],
        texts_len: usize,
        /// The entries' texts, or nothing when only the head was read.
        rest: &'a [u8],
    }

    /// The files of a listing.
    pub(super) struct Files<'a> {
        recs: &'a [u8],
        paths: &'a str,
        /// Where each path ends in `paths`.
        ends: Vec<usize>,
    }

    impl<'a> Files<'a> {
        pub fn len(&self) -> usize {
            self.ends.len()
        }
        pub fn is_empty(&self) -> bool {
            self.ends.is_empty()
        }
        /// File `i`: path after the root, size, time.
        pub fn get(&self, i: usize) -> (&'a str, i64, i64) {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            let r = &self.recs[i * FILE..][..16];
            let num = |b: &[u8]| i64::from_le_bytes(b.try_into().expect("8 bytes"));
            (&self.paths[start..self.ends[i]], num(&r[..8]), num(&r[8..]))
        }
        pub fn iter(&self) -> impl Iterator<Item = (&'a str, i64, i64)> + '_ {
            (0..self.len()).map(|i| self.get(i))
        }
        /// Every file, at once.
        pub fn to_vec(&self) -> Vec<(&'a str, i64, i64)> {
            self.iter().collect()
        }
    }

    /// A story as the listing stores it.
    pub(super) struct Raw<'a> {
        pub id: StoryId,
        pub file: usize,
        pub index_in_file: usize,
        pub title: &'a str,
        pub source: Option<&'a str>,
        pub date: Option<&'a str>,
    }

    /// `None` when the data is not a listing this code wrote (it is rebuilt then). The
    /// data may stop where the entries' texts begin (see [`decode`]).
    pub(super) fn parse(data: &[u8]) -> Option<Listing<'_>> {
        let texts_len = texts_len(data)?;
        let mut d = &data[DIRS_AT..];
        let n_dirs = u32_of(&mut d)?;
        let dirs = if n_dirs == u32::MAX {
            None
        } else {
            let mut dirs = Vec::with_capacity((n_dirs as usize).min(d.len() / 12));
            for _ in 0..n_dirs {
                dirs.push((text(&mut d)?, i64_of(&mut d)?));
            }
            Some(dirs)
        };
        let files_at = data.len() - d.len();
        let n = u32_of(&mut d)? as usize;
        let recs = take(&mut d, n.checked_mul(FILE)?)?;
        let len = usize::try_from(i64_of(&mut d)?).ok()?;
        let paths = std::str::from_utf8(take(&mut d, len)?).ok()?;
        let mut ends = Vec::with_capacity(n);
        let mut end = 0;
        for r in recs.chunks_exact(FILE) {
            end += u32::from_le_bytes(r[16..].try_into().ok()?) as usize;
            if !paths.is_char_boundary(end) {
                return None; // past the end, or inside a character
            }
            ends.push(end);
        }
        if end != paths.len() {
            return None;
        }
        let n = u32_of(&mut d)? as usize;
        let records = take(&mut d, n.checked_mul(ENTRY)?)?;
        if !d.is_empty() && d.len() != texts_len {
            return None;
        }
        Some(Listing {
            dirs,
            files: Files { recs, paths, ends },
            files_at,
            records,
            texts_len,
            rest: d,
        })
    }

    impl<'a> Listing<'a> {
        /// Every entry in order, until the data is found damaged (`None`); the data
        /// must be whole.
        pub fn each(&self, mut f: impl FnMut(Raw<'a>)) -> Option<()> {
            if self.rest.len() != self.texts_len {
                return None;
            }
            let texts = std::str::from_utf8(self.rest).ok()?;
            let mut at = 0usize;
            for r in self.records.chunks_exact(ENTRY) {
                let r = record(r, self.files.len())?;
                let mut next = |len: u32| -> Option<Option<&'a str>> {
                    if len == NONE {
                        return Some(None);
                    }
                    let s = texts.get(at..at.checked_add(len as usize)?)?;
                    at += len as usize;
                    Some(Some(s))
                };
                f(Raw {
                    id: r.0,
                    file: r.1,
                    index_in_file: r.2,
                    title: next(r.3[0])??,
                    source: next(r.3[1])?,
                    date: next(r.3[2])?,
                });
            }
            (at == texts.len()).then_some(())
        }
    }

    /// An entry's record: id, file (checked against how many there are), index in the
    /// file, lengths of title, source and date.
    fn record(r: &[u8], files: usize) -> Option<(StoryId, usize, usize, [u32; 3])> {
        let word = |i: usize| u32::from_le_bytes(r[i..i + 4].try_into().expect("4 bytes"));
        let file = word(8) as usize;
        let id = StoryId(u64::from_le_bytes(r[..8].try_into().ok()?));
        (file < files).then_some((id, file, word(12) as usize, [word(16), word(20), word(24)]))
    }

    /// The entries, paths as named by `given`, each made into what `out` keeps by `f`;
    /// `None` when the data is not a listing this code wrote (`out` may have some of them
    /// then). `data` is the whole listing, or its head when `texts` reads the entries'
    /// texts (what follows the head): those go straight into the buffer the entries
    /// share, after every file's path as named.
    pub(super) fn decode<T>(
        data: &[u8],
        texts: Option<&mut dyn std::io::Read>,
        given: &str,
        out: &mut Vec<T>,
        f: &mut impl FnMut(Entry) -> T,
    ) -> Option<()> {
        let l = parse(data)?;
        let paths = l.files.paths.len() + l.files.len() * given.len();
        let mut lay = Layout::with_capacity(paths + l.texts_len);
        let file_at: Vec<Place> = (0..l.files.len())
            .map(|i| {
                let path = super::ShownPath::of(given, l.files.get(i).0);
                lay.push(&[path.0, path.1])
            })
            .collect::<Option<_>>()?;
        let mut at = lay.len();
        match texts {
            None if l.rest.len() == l.texts_len => lay.push_bytes(l.rest)?,
            Some(r) if l.rest.is_empty() => lay.read(r, l.texts_len)?,
            _ => return None,
        }
        let shared = lay.seal()?;
        out.reserve(l.records.len() / ENTRY);
        super::super::entry::huge_pages(out);
        for r in l.records.chunks_exact(ENTRY) {
            let (id, file, index_in_file, lens) = record(r, file_at.len())?;
            let mut next = |len: u32| -> Option<Option<Place>> {
                if len == NONE {
                    return Some(None);
                }
                let p = shared.place(at, at.checked_add(len as usize)?)?;
                at += len as usize;
                Some(Some(p))
            };
            let (title, source, date) = (next(lens[0])??, next(lens[1])?, next(lens[2])?);
            out.push(f(shared.entry(
                id,
                index_in_file,
                file_at[file],
                title,
                source,
                date,
            )));
        }
        (at == shared.len()).then_some(())
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
        let gz = |text: &str| {
            use std::io::Write;
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(text.as_bytes()).unwrap();
            e.finish().unwrap()
        };
        let files: Vec<(&str, Vec<u8>)> = vec![
            ("long.txt", long.clone().into()),
            ("dated.txt", dated.into()),
            ("few.txt", few.into()),
            // the quick way's own reading, and each way out of it
            (
                "tabs.txt",
                format!("\n \n\tA\ttabbed title \nmore of it\n{long}").into(),
            ),
            ("crlf.txt", long.replace('\n', "\r\n").into()),
            (
                "accents.txt",
                format!("Café story\n\nÉté, naïve words.\n{long}").into(),
            ),
            (
                "control.txt",
                format!("Bell\u{7} title\n\nA wo\u{7}rd split.\n{long}").into(),
            ),
            (
                "digits.txt",
                format!("Numbers\n\nIn 1999 and 2001.\n\n{long}").into(),
            ),
            (
                "later.txt",
                format!("Numbers late\n\na\nb\n\nc\n\nd\n\n2020-02-28\n{long}").into(),
            ),
            (
                "too_late.txt",
                format!("Too late\n\na\n\nb\n\nc\n\nd\n\n2020-02-28\n{long}").into(),
            ),
            (
                "iso.txt",
                format!("Iso\n\nx\n\ny\n\n2021-03-04 news\n\n{long}").into(),
            ),
            (
                "hyphen.txt",
                format!("Wrapped\n\nA well-\nknown wrap-\nper and {para}\n{long}").into(),
            ),
            (
                // pieces that are not words (dashes) do not count as the id's words
                "dashes.txt",
                format!(
                    "Dashes\n\nA b c\n\n{}\n\nx\n\ny\n\nz\n\n{long}",
                    "— ".repeat(40)
                )
                .into(),
            ),
            (
                "cyrillic.txt",
                format!(
                    "Заголовок\n\n{}\n\nх\n\nу\n\n{}\n\nz\n\n{long}",
                    "Слово — ".repeat(12),
                    "ещё — ".repeat(30)
                )
                .into(),
            ),
            ("empty.txt", b" \n\t\n".to_vec()),
            ("packed.txt", gz(&long)),
            ("story.gz", gz("Packed story\n\nIt was packed.\n")),
            ("unpacked.txt.gz", b"Not packed\n\nat all.\n".to_vec()),
        ];
        let mut paths = Vec::new();
        for (name, bytes) in files {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            paths.push(p);
        }
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
        paths.push(samples);
        let (quick, quick_problems) = scan(&paths);
        let (_, full, full_problems) = scan_articles(&paths);
        let full: Vec<Entry> = full.iter().map(Entry::of_article).collect();
        assert!(quick.len() >= 30);
        assert_eq!(quick, full);
        assert_eq!(quick_problems, full_problems);
        for (name, date) in [
            ("dated", "2020-02-28"),
            ("later", "2020-02-28"),
            ("iso", "2021-03-04"),
        ] {
            let e = quick
                .iter()
                .find(|e| e.path().ends_with(format!("{name}.txt")))
                .unwrap();
            assert_eq!(e.date(), Some(date), "{name}");
        }
        let titles: Vec<&str> = quick.iter().map(|e| e.title()).collect();
        let too_late = quick.iter().find(|e| e.title() == "Too late").unwrap();
        assert_ne!(too_late.date(), Some("2020-02-28"));
        for t in ["A tabbed title", "Packed story", "Café story", "Bell title"] {
            assert!(titles.contains(&t), "{t:?} in {titles:?}");
        }
    }

    #[test]
    fn walk_order_is_component_order() {
        let mut v = vec!["a/b.txt", "a/b-c/x", "a/b/y", "a/a", "a/b/x"];
        v.sort_by(|a, b| walk_order(a, b));
        let mut p: Vec<PathBuf> = v.iter().map(PathBuf::from).collect();
        p.sort();
        assert_eq!(v, p.iter().map(|p| p.to_str().unwrap()).collect::<Vec<_>>());
        let join = |given, rel| ShownPath::of(given, rel).to_string();
        assert_eq!(join("a/", "/x.txt"), "a/x.txt");
        assert_eq!(join("./a", "/x.txt"), "./a/x.txt");
        assert_eq!(join("x.txt", ""), "x.txt");
    }

    #[test]
    fn evidence_is_kept_by_a_full_refresh_and_gathered_again_after_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let arch = dir.path().join("news");
        std::fs::create_dir_all(&arch).unwrap();
        let write = |name: &str, title: &str| {
            let text = format!(
                "{title}\n\nSign up for our newsletter\n\nThe council met on {name} and agreed the plan.\n"
            );
            std::fs::write(arch.join(format!("{name}.txt")), text).unwrap();
        };
        for (name, title) in [
            ("mon", "Ferry fares rise again"),
            ("tue", "Bridge plan agreed at last"),
        ] {
            write(name, title);
        }
        write("wed", "Schools close early for the storm");
        let roots = vec![arch.clone()];
        let gathered = || {
            let (_, arts, _) = scan_articles(&roots);
            Evidence::gather(&arts).to_bytes()
        };
        let mut ix = Index::open(&dir.path().join("i.sqlite")).unwrap();
        let opts = Options::default();
        ix.refresh(&roots, &opts, None).unwrap();
        let saved: i64 = ix
            .conn
            .query_row("SELECT count(*) FROM evidence", [], |r| r.get(0))
            .unwrap();
        assert_eq!(saved, 1);
        let ev = ix.evidence(&roots).unwrap();
        assert_eq!(ev.to_bytes(), gathered());
        assert_eq!(ev.title_count(), 3);
        assert_eq!(
            ev.repeats_in("", "Sign up for our newsletter"),
            3,
            "repeated in every story"
        );
        // a changed file: the kept evidence is dropped, and gathered again when asked
        write("thu", "Market hall to reopen next spring");
        ix.refresh(&roots, &opts, None).unwrap();
        let saved: i64 = ix
            .conn
            .query_row("SELECT count(*) FROM evidence", [], |r| r.get(0))
            .unwrap();
        assert_eq!(saved, 0);
        let ev = ix.evidence(&roots).unwrap();
        assert_eq!(ev.title_count(), 4);
        assert_eq!(ev.to_bytes(), gathered());
        assert_eq!(ix.evidence(&roots).unwrap().to_bytes(), gathered()); // kept now
    }

    #[test]
    fn a_listing_decodes_to_what_was_encoded_and_damage_is_refused() {
        let files: Vec<(String, i64, i64)> = ["/a.txt", "/b/many.jsonl", "/empty.txt", "/ü.md"]
            .iter()
            .enumerate()
            .map(|(i, p)| (p.to_string(), 10 + i as i64, 1000 * i as i64))
            .collect();
        let raw = |id, file, index_in_file, title, source, date| listing::Raw {
            id: StoryId(id),
            file,
            index_in_file,
            title,
            source,
            date,
        };
        let raws = [
            raw(7, 0, 0, "First", Some("Wire"), Some("2020-02-28")),
            raw(8, 1, 0, "Été", None, Some("2021-01-01")),
            raw(9, 1, 1, "", Some("Ünïcode"), None),
            raw(u64::MAX, 3, 0, "Last", None, None),
        ];
        let dirs = [(String::new(), 5), ("/b".into(), 6)];
        let data = listing::encode(Some(&dirs), &files, &raws);
        let decode = |d: &[u8], given| {
            let mut out = Vec::new();
            listing::decode(d, None, given, &mut out, &mut |e| e).map(|()| out)
        };
        // the head, and the texts read from what follows it (as from the listing file)
        let texts_len = listing::texts_len(&data).unwrap();
        let head = &data[..data.len() - texts_len];
        let read = |given| {
            let mut out = Vec::new();
            let mut texts = &data[head.len()..];
            let r: &mut dyn std::io::Read = &mut texts;
            listing::decode(head, Some(r), given, &mut out, &mut |e| e).map(|()| out)
        };
        assert_eq!(read("arch"), decode(&data, "arch"));
        assert!(decode(head, "arch").is_none(), "no texts");
        let mut short = &data[head.len()..data.len() - 1];
        let r: &mut dyn std::io::Read = &mut short;
        assert!(listing::decode(head, Some(r), "a", &mut Vec::new(), &mut |e| e).is_none());
        for given in ["arch", "arch/"] {
            let got = decode(&data, given).unwrap();
            assert_eq!(got.len(), raws.len());
            for (e, r) in got.iter().zip(&raws) {
                let want = format!("arch{}", files[r.file].0);
                assert_eq!(e.path(), Path::new(&want), "{given}");
                assert_eq!((e.id, e.index_in_file), (r.id, r.index_in_file));
                assert_eq!(
                    (e.title(), e.source(), e.date()),
                    (r.title, r.source, r.date)
                );
            }
        }
        let l = listing::parse(&data).unwrap();
        assert_eq!(l.dirs, Some(vec![("", 5), ("/b", 6)]));
        assert_eq!(l.files.to_vec()[3], ("/ü.md", 13, 3000));
        let mut n = 0;
        l.each(|r| {
            assert_eq!(
                (r.id, r.file, r.title),
                (raws[n].id, raws[n].file, raws[n].title)
            );
            n += 1;
        })
        .unwrap();
        assert_eq!(n, raws.len());
        // cut short anywhere: refused; any byte changed: refused or read, never a panic
        for end in 0..data.len() {
            assert!(decode(&data[..end], "a").is_none(), "cut at {end}");
        }
        for at in 0..data.len() {
            for bit in [0x01, 0x80] {
                let mut d = data.clone();
                d[at] ^= bit;
                let _ = decode(&d, "a");
                if let Some(l) = listing::parse(&d) {
                    let _ = l.each(|_| ());
                    let _ = l.files.iter().count();
                }
            }
        }
        let mut old = data.clone();
        old[3] = 3; // the listing of an older broadsheet: rebuilt
        assert!(decode(&old, "a").is_none());
        let moved = listing::with_dirs(&data, &[("/c".into(), 7)]).unwrap();
        assert_eq!(listing::parse(&moved).unwrap().dirs, Some(vec![("/c", 7)]));
        assert_eq!(decode(&moved, "arch"), decode(&data, "arch"));
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
        // kept in a file beside the index, trusted only with the row's token
        let file = ix.listing_file(&root_range(&arch).0);
        let kept = std::fs::read(&file).unwrap();
        let mut other = kept.clone();
        *other.last_mut().unwrap() ^= 1;
        std::fs::write(&file, &other).unwrap();
        assert!(ix.load_listing(&root_range(&arch).0).unwrap().is_none());
        assert_eq!(ix.entries(&roots).unwrap(), first); // rebuilt
        assert_ne!(std::fs::read(&file).unwrap(), other);
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].path(), arch.join("a.txt"));
        std::fs::write(
            arch.join("b.txt"),
            story.replace("A title", "Another title"),
        )
        .unwrap();
        ix.refresh(&roots, &opts, None).unwrap();
        assert_eq!(ix.entries(&roots).unwrap().len(), 2);
        let decode = |d: &[u8]| listing::decode(d, None, "x", &mut Vec::new(), &mut |e| e);
        assert_eq!(decode(b"\x01\x02"), None);

        // the index deleted: a new one removes the listing files the old one left, and
        // nothing else beside it
        drop(ix);
        let keep = dir.path().join("i.sqlite.notes");
        std::fs::write(&keep, "mine").unwrap();
        assert!(file.exists());
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.path().join(format!("i.sqlite{ext}")));
        }
        let ix = Index::open(&dir.path().join("i.sqlite")).unwrap();
        assert!(!file.exists(), "the old index's listing file is removed");
        assert!(keep.exists() && arch.join("a.txt").exists());
        // an index re-opened keeps its own
        ix.entries(&roots).unwrap();
        drop(ix);
        let ix = Index::open(&dir.path().join("i.sqlite")).unwrap();
        assert!(file.exists());
        drop(ix);
    }

    /// Set a file's or folder's modification time `secs` seconds back.
    fn age(path: &Path, secs: u64) {
        let t = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
        std::fs::File::open(path).unwrap().set_modified(t).unwrap();
    }

    #[test]
    fn saved_listing_is_shown_only_while_the_folders_are_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let arch = dir.path().join("news");
        std::fs::create_dir_all(arch.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(arch.join("empty")).unwrap();
        let story = |t: &str| format!("{t}\n\nThe council met on Monday and agreed the plan.\n");
        std::fs::write(arch.join("a.txt"), story("A title")).unwrap();
        std::fs::write(arch.join("sub/deeper/b.txt"), story("B title")).unwrap();
        let settle = || {
            for d in ["sub/deeper", "sub", "empty", ""] {
                age(&arch.join(d), 60);
            }
        };
        settle();
        let mut ix = Index::open(&dir.path().join("i.sqlite")).unwrap();
        let roots = vec![arch.clone()];
        let opts = Options::default();
        let rows = |saved: &Saved| {
            let mut v = Vec::new();
            saved
                .each(|r| -> Result<(), ()> {
                    v.push(r.entry());
                    Ok(())
                })
                .unwrap();
            v
        };
        // the way `list` goes: folders, refresh, entries, keep the folders' times
        let list = |ix: &mut Index| {
            let folders = folders(&roots);
            ix.refresh(&roots, &opts, None).unwrap();
            let entries = ix.entries(&roots).unwrap();
            ix.keep_folders(&folders).unwrap();
            entries
        };
        assert!(
            ix.saved_listing(&roots).unwrap().is_none(),
            "nothing saved yet"
        );
        let entries = list(&mut ix);
        assert_eq!(entries.len(), 2);
        let saved = ix
            .saved_listing(&roots)
            .unwrap()
            .expect("folders unchanged");
        assert_eq!(rows(&saved), entries);
        assert!(saved.changed_files().is_empty());

        // a file changed in place: its folder's time stays, the stat of files finds it
        std::fs::write(arch.join("a.txt"), story("A new title")).unwrap();
        let saved = ix
            .saved_listing(&roots)
            .unwrap()
            .expect("folders unchanged");
        assert_eq!(saved.changed_files(), vec![arch.join("a.txt")]);
        let entries = list(&mut ix);
        assert!(entries.iter().any(|e| e.title() == "A new title"));
        let saved = ix.saved_listing(&roots).unwrap().unwrap();
        assert_eq!(rows(&saved), entries);

        // a file added deep down, or into a folder that held none, or removed: not shown
        for change in ["deep", "empty", "removed"] {
            match change {
                "deep" => std::fs::write(arch.join("sub/deeper/c.txt"), story("C")).unwrap(),
                "empty" => std::fs::write(arch.join("empty/d.txt"), story("D")).unwrap(),
                _ => std::fs::remove_file(arch.join("a.txt")).unwrap(),
            }
            assert!(ix.saved_listing(&roots).unwrap().is_none(), "{change}");
            settle();
            let entries = list(&mut ix);
            let saved = ix.saved_listing(&roots).unwrap().expect(change);
            assert_eq!(rows(&saved), entries, "{change}");
        }
        assert_eq!(rows(&ix.saved_listing(&roots).unwrap().unwrap()).len(), 3);

        // a folder changed a moment ago is not trusted
        std::fs::write(arch.join("e.txt"), story("E")).unwrap();
        list(&mut ix);
        assert!(ix.saved_listing(&roots).unwrap().is_none());

        // a root that is a file, and one that is gone
        let one = vec![arch.join("sub/deeper/b.txt")];
        age(&one[0], 60);
        let folders_one = folders(&one);
        ix.refresh(&one, &opts, None).unwrap();
        ix.entries(&one).unwrap();
        ix.keep_folders(&folders_one).unwrap();
        let saved = ix.saved_listing(&one).unwrap().expect("a file root");
        assert_eq!(rows(&saved)[0].path(), one[0]);
        std::fs::remove_file(&one[0]).unwrap();
        assert!(ix.saved_listing(&one).unwrap().is_none());
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
