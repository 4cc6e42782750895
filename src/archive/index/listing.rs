//! Each root's list kept ready to show: in a file beside the index (the `listing` row
//! holding a token it must end with), read back straight into the entries' shared buffer.
//!
//! The `listing` table's encoding of a root's entries, little-endian, laid out to be read
//! back with few copies: a magic; the length of the entries' texts (8 bytes); the folders
//! under the root with their modification times when they were last seen to match the
//! index (a count of `u32::MAX`: not yet seen), each a text (a 4-byte length and UTF-8)
//! and a time; every indexed file: a count, per file its size, modification time and the
//! length of its path after the root (8 + 8 + 4 bytes), then those paths end to end (an
//! 8-byte length, then UTF-8); the entries: a count, per entry its id (8 bytes), its
//! file's number (4), its index in the file (4), the lengths of its title, source and
//! date (4 each, `u32::MAX` for none) and its flags (4, [`Entry::flags`]); then, last, those texts end to end (UTF-8), so
//! that they can be read from the file straight into the entries' buffer. Times are
//! nanoseconds since 1970 (`UNKNOWN`: not to be trusted).

use super::Index;
use crate::archive::db::{Ctx, DbError, DbResult};
use crate::archive::entry::{huge_pages, Entry, Layout, Place};
use crate::archive::paths::{root_range, walk_order, ShownPath};
use crate::archive::state::StoryId;
use crate::timing::Clock;
use rusqlite::params;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 4] = b"BSL\x05";
/// Where the folders start (after the magic and the texts' length).
const DIRS_AT: usize = 12;
/// A folder time that proves nothing (the folder changed too recently to tell).
pub(super) const UNKNOWN: i64 = i64::MIN;
/// The length of a text that is not there.
const NONE: u32 = u32::MAX;
/// The bytes of a file's record, and of an entry's.
const FILE: usize = 20;
const ENTRY: usize = 32;

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
#[cfg(test)]
pub(super) fn encode<'a, E>(
    dirs: Option<&[(String, i64)]>,
    files: &[(String, i64, i64)],
    entries: E,
) -> Vec<u8>
where
    E: IntoIterator<Item = Raw<'a>>,
    E::IntoIter: Clone + ExactSizeIterator,
{
    let mut out = Vec::new();
    encode_into(&mut out, dirs, files, entries).expect("a Vec takes every byte");
    out
}

/// A listing ([`encode`]) written to `out` as it is made (a million stories' listing is not held
/// twice).
pub(super) fn encode_into<'a, E>(
    out: &mut dyn std::io::Write,
    dirs: Option<&[(String, i64)]>,
    files: &[(String, i64, i64)],
    entries: E,
) -> std::io::Result<()>
where
    E: IntoIterator<Item = Raw<'a>>,
    E::IntoIter: Clone + ExactSizeIterator,
{
    fn texts<'a>(e: Raw<'a>) -> [Option<&'a str>; 3] {
        [Some(e.title), e.source, e.date]
    }
    let entries = entries.into_iter();
    let texts_len: usize = entries
        .clone()
        .flat_map(texts)
        .flatten()
        .map(str::len)
        .sum();
    out.write_all(MAGIC)?;
    out.write_all(&(texts_len as u64).to_le_bytes())?;
    let mut head = Vec::new();
    put_dirs(&mut head, dirs);
    out.write_all(&head)?;
    out.write_all(&(files.len() as u32).to_le_bytes())?;
    for (rel, size, mtime) in files {
        out.write_all(&size.to_le_bytes())?;
        out.write_all(&mtime.to_le_bytes())?;
        out.write_all(&(rel.len() as u32).to_le_bytes())?;
    }
    let n: usize = files.iter().map(|f| f.0.len()).sum();
    out.write_all(&(n as u64).to_le_bytes())?;
    for (rel, _, _) in files {
        out.write_all(rel.as_bytes())?;
    }
    out.write_all(&(entries.len() as u32).to_le_bytes())?;
    for e in entries.clone() {
        out.write_all(&e.id.0.to_le_bytes())?;
        out.write_all(&(e.file as u32).to_le_bytes())?;
        out.write_all(&(e.index_in_file as u32).to_le_bytes())?;
        for s in texts(e) {
            out.write_all(&s.map_or(NONE, |s| s.len() as u32).to_le_bytes())?;
        }
        out.write_all(&u32::from(e.flags).to_le_bytes())?;
    }
    for s in entries.flat_map(texts).flatten() {
        out.write_all(s.as_bytes())?;
    }
    Ok(())
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

/// A story read from the index for its listing: its texts (title, source, date) one
/// after another from `start` in a string shared by all, each's length or [`NONE`].
struct StoryRow {
    /// The file's place in walk order.
    file: u32,
    index_in_file: u32,
    id: StoryId,
    start: usize,
    lens: [u32; 3],
    flags: u8,
}

impl StoryRow {
    fn raw<'a>(&self, texts: &'a str) -> Raw<'a> {
        let mut at = self.start;
        let mut next = |len: u32| {
            (len != NONE).then(|| {
                let s = &texts[at..at + len as usize];
                at += len as usize;
                s
            })
        };
        let title = next(self.lens[0]).unwrap_or_default();
        let source = next(self.lens[1]);
        let date = next(self.lens[2]);
        Raw {
            id: self.id,
            file: self.file as usize,
            index_in_file: self.index_in_file as usize,
            title,
            source,
            date,
            flags: self.flags,
        }
    }
}

/// A story as the listing stores it.
#[derive(Clone, Copy)]
pub(super) struct Raw<'a> {
    pub id: StoryId,
    pub file: usize,
    pub index_in_file: usize,
    pub title: &'a str,
    pub source: Option<&'a str>,
    pub date: Option<&'a str>,
    pub flags: u8,
}

/// Folders (the path after the root) and their modification times.
pub(super) type Dirs<'a> = Vec<(&'a str, i64)>;

/// The folders at the start of a listing (after [`DIRS_AT`]): `Some(None)` when not yet
/// seen, `None` when they are cut short or not text.
fn dirs_of<'a>(d: &mut &'a [u8]) -> Option<Option<Dirs<'a>>> {
    let n_dirs = u32_of(d)?;
    if n_dirs == u32::MAX {
        return Some(None);
    }
    let mut dirs = Vec::with_capacity((n_dirs as usize).min(d.len() / 12));
    for _ in 0..n_dirs {
        dirs.push((text(d)?, i64_of(d)?));
    }
    Some(Some(dirs))
}

/// The folders (`None`: not yet seen) and the number of files of a listing, from its
/// first bytes alone (what [`Index::listing_start`] reads): `None` when those bytes do
/// not hold them.
pub(super) fn parse_start(start: &[u8]) -> Option<(Option<Dirs<'_>>, usize)> {
    texts_len(start)?;
    let mut d = start.get(DIRS_AT..)?;
    let dirs = dirs_of(&mut d)?;
    Some((dirs, u32_of(&mut d)? as usize))
}

/// `None` when the data is not a listing this code wrote (it is rebuilt then). The
/// data may stop where the entries' texts begin (see [`decode`]).
pub(super) fn parse(data: &[u8]) -> Option<Listing<'_>> {
    let texts_len = texts_len(data)?;
    let mut d = &data[DIRS_AT..];
    let dirs = dirs_of(&mut d)?;
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
                flags: r.4,
            });
        }
        (at == texts.len()).then_some(())
    }
}

/// An entry's record: id, file (checked against how many there are), index in the
/// file, lengths of title, source and date, flags.
fn record(r: &[u8], files: usize) -> Option<(StoryId, usize, usize, [u32; 3], u8)> {
    let word = |i: usize| u32::from_le_bytes(r[i..i + 4].try_into().expect("4 bytes"));
    let file = word(8) as usize;
    let id = StoryId(u64::from_le_bytes(r[..8].try_into().ok()?));
    let flags = u8::try_from(word(28)).ok()?;
    (file < files).then_some((
        id,
        file,
        word(12) as usize,
        [word(16), word(20), word(24)],
        flags,
    ))
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
            let path = ShownPath::of(given, l.files.get(i).0);
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
    huge_pages(out);
    for r in l.records.chunks_exact(ENTRY) {
        let (id, file, index_in_file, lens, flags) = record(r, file_at.len())?;
        let mut next = |len: u32| -> Option<Option<Place>> {
            if len == NONE {
                return Some(None);
            }
            let p = shared.place(at, at.checked_add(len as usize)?)?;
            at += len as usize;
            Some(Some(p))
        };
        let (title, source, date) = (next(lens[0])??, next(lens[1])?, next(lens[2])?);
        out.push(f(shared
            .entry(id, index_in_file, file_at[file], title, source, date)
            .with_flags(flags)));
    }
    (at == shared.len()).then_some(())
}

/// The start of a `listing` row that stands for the listing file ending with the token
/// that follows.
const LISTING_IN_FILE: &[u8] = b"BSL-file";

impl Index {
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
                if decode(&head, texts, &given, &mut out, &mut f).is_some() {
                    clock.lap("entries: saved listing");
                    continue;
                }
                out.truncate(from);
            }
            let data = self.entries_of_root(root, &mut clock)?;
            // best effort: a read-only index still lists, only slower next time
            let _ = self.store_listing(&exact, &data, None);
            clock.lap("entries: listing saved");
            decode(&data, None, &given, &mut out, &mut f).ok_or_else(|| DbError::Unusable {
                path: self.path.clone(),
                reason: "a listing could not be read back".into(),
            })?;
        }
        Ok(out)
    }

    /// Save every root's listing for the next run, as [`Index::entries`] leaves it, but
    /// without making the entries (a million of them, made only to be dropped, cost more
    /// memory than the build before them).
    pub fn save_listings(&self, paths: &[PathBuf]) -> DbResult<()> {
        let mut clock = Clock::new();
        for root in paths {
            let (exact, _, _) = root_range(root);
            if self.open_listing(&exact)?.is_some() {
                continue;
            }
            // written to its file as it is made; best effort, as in entries_with
            let _ = self.with_root_listing(root, &mut clock, |write| {
                self.store_listing_with(&exact, write, None)
            })?;
            clock.lap("entries: listing saved");
        }
        Ok(())
    }

    /// The entries of one root from the tables, encoded for `listing`.
    fn entries_of_root(&self, root: &Path, clock: &mut Clock) -> DbResult<Vec<u8>> {
        self.with_root_listing(root, clock, |write| {
            let mut out = Vec::new();
            write(&mut out).expect("a Vec takes every byte");
            out
        })
    }

    /// The listing of one root from the tables, handed to `emit` as a writer of its
    /// bytes (into a Vec, or straight into the listing file).
    fn with_root_listing<R>(
        &self,
        root: &Path,
        clock: &mut Clock,
        emit: impl FnOnce(&mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>) -> R,
    ) -> DbResult<R> {
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
            .prepare_cached("SELECT file, idx, sid, title, source, date, flags FROM story")
            .at(&self.path)?;
        let (exact, lo, hi) = root_range(root);
        // each path after the root only: all begin with it, so they sort alike
        let mut files: Vec<(i64, String, i64, i64)> = files_q
            .query_map(params![exact, lo, hi], |r| {
                let abs = r.get_ref(1)?.as_str()?;
                let rel = abs.get(exact.len()..).unwrap_or("").to_string();
                Ok((r.get(0)?, rel, r.get(2)?, r.get(3)?))
            })
            .at(&self.path)?
            .collect::<Result<_, _>>()
            .at(&self.path)?;
        clock.lap("entries: files");
        files.sort_by(|a, b| walk_order(&a.1, &b.1)); // stable: fast on sorted runs
        let pos: HashMap<i64, usize> = files.iter().enumerate().map(|(i, f)| (f.0, i)).collect();
        let head: Vec<(String, i64, i64)> = files
            .into_iter()
            .map(|(_, rel, size, mtime)| (rel, size, mtime))
            .collect();
        clock.lap("entries: sort files, paths");
        // every story's texts one after another in `texts` (a million stories' titles,
        // sources and dates held as strings of their own cost twice as much)
        let mut texts = String::new();
        let mut found: Vec<StoryRow> = Vec::with_capacity(pos.len());
        let mut rows = stories_q.query([]).at(&self.path)?;
        while let Some(r) = rows.next().at(&self.path)? {
            let file: i64 = r.get(0).at(&self.path)?;
            let Some(&pos) = pos.get(&file) else {
                continue;
            };
            let f = (|| {
                let start = texts.len();
                let mut put = |v: Option<&str>| match v {
                    Some(v) => {
                        texts.push_str(v);
                        v.len() as u32
                    }
                    None => NONE,
                };
                let lens = [
                    put(Some(r.get_ref(3)?.as_str()?)),
                    put(r.get_ref(4)?.as_str_or_null()?),
                    put(r.get_ref(5)?.as_str_or_null()?),
                ];
                Ok(StoryRow {
                    file: pos as u32,
                    index_in_file: r.get::<_, i64>(1)?.clamp(0, u32::MAX.into()) as u32,
                    id: StoryId::from_sql(r.get(2)?),
                    start,
                    lens,
                    flags: r.get::<_, i64>(6)? as u8,
                })
            })()
            .at(&self.path)?;
            found.push(f);
        }
        clock.lap("entries: stories");
        found.sort_unstable_by_key(|f| (f.file, f.index_in_file));
        let mut write = |out: &mut dyn std::io::Write| {
            encode_into(out, None, &head, found.iter().map(|f| f.raw(&texts)))
        };
        Ok(emit(&mut write))
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
    pub(super) fn load_listing(&self, abs_root: &str) -> DbResult<Option<(Vec<u8>, Vec<u8>)>> {
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
    /// texts begin for [`decode`] to read them straight into place.
    pub(super) fn open_listing(
        &self,
        abs_root: &str,
    ) -> DbResult<Option<(Vec<u8>, Option<std::fs::File>)>> {
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
            let head_len = (len - 8).checked_sub(texts_len(&start)?)?;
            let mut head = Vec::with_capacity(head_len);
            huge_pages(&head);
            head.extend_from_slice(&start);
            let rest = head_len.checked_sub(start.len())?;
            (&mut f).take(rest as u64).read_to_end(&mut head).ok()?;
            (head.len() == head_len).then_some((head, Some(f)))
        })();
        Ok(head)
    }

    /// The first `at_most` bytes of a root's listing (its token checked first, as
    /// [`Index::open_listing`] does), for [`parse_start`]: a listing's folders and its
    /// number of files without reading its files' and entries' records.
    pub(super) fn listing_start(
        &self,
        abs_root: &str,
        at_most: usize,
    ) -> DbResult<Option<Vec<u8>>> {
        use std::io::{Read, Seek, SeekFrom};
        let row = self.listing_row(abs_root)?;
        let Some(row) = row else { return Ok(None) };
        let Some(token) = row.strip_prefix(LISTING_IN_FILE) else {
            return Ok(Some(row.into_iter().take(at_most).collect()));
        };
        let start = (|| {
            let mut f = std::fs::File::open(self.listing_file(abs_root)).ok()?;
            let len = f.metadata().ok()?.len();
            let mut end = [0u8; 8];
            f.seek(SeekFrom::Start(len.checked_sub(8)?)).ok()?;
            f.read_exact(&mut end).ok()?;
            if end[..] != *token {
                return None;
            }
            f.seek(SeekFrom::Start(0)).ok()?;
            let want = (len - 8).min(at_most as u64);
            let mut start = Vec::with_capacity(want as usize);
            f.take(want).read_to_end(&mut start).ok()?;
            Some(start)
        })();
        Ok(start)
    }

    /// Store a root's listing: in its file, the row holding a fresh token (in the row
    /// itself when the file cannot be written). With `only_if`, only while the row is
    /// still that.
    pub(super) fn store_listing(
        &self,
        abs_root: &str,
        data: &[u8],
        only_if: Option<&[u8]>,
    ) -> DbResult<()> {
        self.store_listing_with(abs_root, &mut |w| w.write_all(data), only_if)
    }

    /// [`Index::store_listing`], the listing written by `write` (called again into
    /// memory when the file cannot be written).
    fn store_listing_with(
        &self,
        abs_root: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
        only_if: Option<&[u8]>,
    ) -> DbResult<()> {
        use std::io::Write;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let token = (nanos ^ (u64::from(std::process::id()) << 40)).to_le_bytes();
        let file = self.listing_file(abs_root);
        let mut tmp = file.as_os_str().to_owned();
        tmp.push(format!(".{:016x}", u64::from_le_bytes(token)));
        let mut written = || {
            let mut f = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&tmp)?);
            write(&mut f)?;
            f.write_all(&token)?;
            f.into_inner().map_err(|e| e.into_error())?;
            std::fs::rename(&tmp, &file)
        };
        let row: Vec<u8> = match written() {
            Ok(()) => [LISTING_IN_FILE, &token[..]].concat(),
            Err(_) => {
                let _ = std::fs::remove_file(&tmp);
                let mut data = Vec::new();
                write(&mut data).expect("a Vec takes every byte");
                data
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::Options;

    #[test]
    fn a_listing_decodes_to_what_was_encoded_and_damage_is_refused() {
        let files: Vec<(String, i64, i64)> = ["/a.txt", "/b/many.jsonl", "/empty.txt", "/ü.md"]
            .iter()
            .enumerate()
            .map(|(i, p)| (p.to_string(), 10 + i as i64, 1000 * i as i64))
            .collect();
        let raw = |id, file, index_in_file, title, source, date| Raw {
            id: StoryId(id),
            file,
            index_in_file,
            title,
            source,
            date,
            flags: (id % 4) as u8,
        };
        let raws = [
            raw(7, 0, 0, "First", Some("Wire"), Some("2020-02-28")),
            raw(8, 1, 0, "Été", None, Some("2021-01-01")),
            raw(9, 1, 1, "", Some("Ünïcode"), None),
            raw(u64::MAX, 3, 0, "Last", None, None),
        ];
        let dirs = [(String::new(), 5), ("/b".into(), 6)];
        let data = encode(Some(&dirs), &files, raws);
        let decode = |d: &[u8], given| {
            let mut out = Vec::new();
            super::decode(d, None, given, &mut out, &mut |e| e).map(|()| out)
        };
        // the head, and the texts read from what follows it (as from the listing file)
        let texts_len = texts_len(&data).unwrap();
        let head = &data[..data.len() - texts_len];
        let read = |given| {
            let mut out = Vec::new();
            let mut texts = &data[head.len()..];
            let r: &mut dyn std::io::Read = &mut texts;
            super::decode(head, Some(r), given, &mut out, &mut |e| e).map(|()| out)
        };
        assert_eq!(read("arch"), decode(&data, "arch"));
        assert!(decode(head, "arch").is_none(), "no texts");
        let mut short = &data[head.len()..data.len() - 1];
        let r: &mut dyn std::io::Read = &mut short;
        assert!(super::decode(head, Some(r), "a", &mut Vec::new(), &mut |e| e).is_none());
        for given in ["arch", "arch/"] {
            let got = decode(&data, given).unwrap();
            assert_eq!(got.len(), raws.len());
            for (e, r) in got.iter().zip(&raws) {
                let want = format!("arch{}", files[r.file].0);
                assert_eq!(e.path(), Path::new(&want), "{given}");
                assert_eq!((e.id, e.index_in_file), (r.id, r.index_in_file));
                assert_eq!(
                    (e.title(), e.source(), e.date(), e.flags()),
                    (r.title, r.source, r.date, r.flags)
                );
            }
        }
        let l = parse(&data).unwrap();
        assert_eq!(l.dirs, Some(vec![("", 5), ("/b", 6)]));
        assert_eq!(l.files.to_vec()[3], ("/ü.md", 13, 3000));
        let mut n = 0;
        l.each(|r| {
            assert_eq!(
                (r.id, r.file, r.title, r.flags),
                (raws[n].id, raws[n].file, raws[n].title, raws[n].flags)
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
                if let Some(l) = parse(&d) {
                    let _ = l.each(|_| ());
                    let _ = l.files.iter().count();
                }
            }
        }
        let mut old = data.clone();
        old[3] = 3; // the listing of an older broadsheet: rebuilt
        assert!(decode(&old, "a").is_none());
        let moved = with_dirs(&data, &[("/c".into(), 7)]).unwrap();
        assert_eq!(parse(&moved).unwrap().dirs, Some(vec![("/c", 7)]));
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
        ix.refresh(&roots, &opts).unwrap();
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
        ix.refresh(&roots, &opts).unwrap();
        assert_eq!(ix.entries(&roots).unwrap().len(), 2);
        let decode = |d: &[u8]| super::decode(d, None, "x", &mut Vec::new(), &mut |e| e);
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
}
