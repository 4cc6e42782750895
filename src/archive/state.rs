//! What the reader remembers about each story: read or unread, starred, the scroll
//! position (a paragraph index), and the last story selected.
//!
//! Kept outside the archive, in an SQLite file of its own (the platform data dir, or
//! `--state FILE`), in WAL mode with `synchronous = FULL`: every action is one committed
//! transaction, so killing the process at any moment loses at most the action in flight
//! and never leaves a broken file.
//!
//! Stories are keyed by a [`StoryId`] computed from their content (title and first
//! words), so state survives renaming a file, moving the archive folder and rebuilding
//! the index. The path is kept too, as a second way to find a story whose text was
//! edited (see [`Store::reconcile`]).

use super::db::{self, Ctx, DbError, DbResult};
use super::paths::{absolute, chosen_file};
use crate::article::Article;
use crate::hash::Fnv;
use crate::text::{norm_key, words};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// How many words of the body go into a story's id after its title.
pub(crate) const ID_WORDS: usize = 40;

/// A story's identity, from its content: the same story has the same id wherever its file
/// is and whatever it is called. A story edited in its title or first words gets a new id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoryId(pub u64);

impl StoryId {
    /// The id of an article: a hash of its normalised title and the first words of its
    /// blocks as stored (before cleaning, so that changes to the cleaning rules never
    /// change ids; normalised, so that re-wrapping, case and punctuation do not either).
    pub fn of(article: &Article) -> StoryId {
        Self::from_text(
            &article.title,
            article.blocks.iter().map(|b| b.text.as_str()),
        )
    }

    /// The id from a title and the story's blocks in order.
    pub fn from_text<'a>(title: &str, blocks: impl IntoIterator<Item = &'a str>) -> StoryId {
        let mut h = Fnv::new();
        if !ascii_norm_key(&mut h, title) {
            h.bytes(norm_key(title).as_bytes());
        }
        h.bytes(b"\x00");
        let mut n = 0;
        'outer: for b in blocks {
            // ASCII text a byte at a time; a block found not to be ASCII is hashed again
            // from its start the general way
            let at_start = (h, n);
            match ascii_words(&mut h, &mut n, b.as_bytes()) {
                Words::Ended => continue,
                Words::Enough => break,
                Words::NotAscii => (h, n) = at_start,
            }
            for w in words(b) {
                if n == ID_WORDS {
                    break 'outer;
                }
                // norm_key of one word, without allocating: its letters and digits, lower case
                if w.is_ascii() {
                    for b in w.bytes().filter(u8::is_ascii_alphanumeric) {
                        h.bytes(&[b.to_ascii_lowercase()]);
                    }
                } else {
                    let mut buf = [0u8; 4];
                    for c in w.chars().filter(|c| c.is_alphanumeric()) {
                        for l in c.to_lowercase() {
                            h.bytes(l.encode_utf8(&mut buf).as_bytes());
                        }
                    }
                }
                h.bytes(b" ");
                n += 1;
            }
        }
        StoryId(h.mixed())
    }

    /// As stored in SQLite (the same 64 bits, signed).
    pub fn to_sql(self) -> i64 {
        self.0 as i64
    }

    /// From its SQLite form.
    pub fn from_sql(v: i64) -> StoryId {
        StoryId(v as u64)
    }
}

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl std::str::FromStr for StoryId {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        u64::from_str_radix(s, 16).map(StoryId)
    }
}

/// How [`ascii_words`] stopped.
enum Words {
    /// At the end of the block.
    Ended,
    /// At the start of a word after the last one an id takes.
    Enough,
    /// At a byte that is not ASCII: the words of this block are not all hashed yet.
    NotAscii,
}

/// Each byte's letter or digit in lower case, else 0.
static ALNUM_LOWER: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() {
            t[c] = b.to_ascii_lowercase();
        }
        c += 1;
    }
    t
};

/// Hash the words of an ASCII block as [`StoryId::from_text`] does (runs of letters,
/// digits and apostrophes, each its letters and digits in lower case and a space), in
/// one pass, counting them in `n`. Branch-free but for the rare stops: word lengths do
/// not follow a pattern a branch predictor could learn.
#[inline]
fn ascii_words(h: &mut Fnv, n: &mut usize, b: &[u8]) -> Words {
    let mut in_word = false;
    for &c in b {
        if c >= 0x80 {
            return Words::NotAscii;
        }
        let lower = ALNUM_LOWER[usize::from(c)];
        let alnum = lower != 0;
        let word_byte = alnum | (c == b'\'');
        if word_byte & !in_word & (*n == ID_WORDS) {
            return Words::Enough;
        }
        let ends = in_word & !word_byte;
        // a letter or digit hashes as itself, the end of a word as a space
        h.byte_if(if alnum { lower } else { b' ' }, alnum | ends);
        *n += usize::from(ends);
        in_word = word_byte;
    }
    if in_word {
        h.byte(b' ');
        *n += 1;
    }
    Words::Ended
}

/// Hash `norm_key(title)` without making it, for an ASCII title (`false` for any other,
/// leaving `h` as it was): runs of letters and digits in lower case, one space between
/// runs parted by anything but an apostrophe.
fn ascii_norm_key(h: &mut Fnv, title: &str) -> bool {
    if !title.is_ascii() {
        return false;
    }
    let (mut gap, mut any) = (false, false);
    for &c in title.as_bytes() {
        let lower = ALNUM_LOWER[usize::from(c)];
        if lower != 0 {
            if gap & any {
                h.byte(b' ');
            }
            h.byte(lower);
            (gap, any) = (false, true);
        } else if c != b'\'' {
            gap = true;
        }
    }
    true
}

/// Which story an action is about: its id, and where it is now (the second way to find
/// it, and what a person sees in the state file).
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    /// The content id.
    pub id: StoryId,
    /// The file holding the story.
    pub path: &'a Path,
    /// Position within a file that holds several stories, from 0.
    pub index_in_file: usize,
}

impl<'a> Key<'a> {
    /// The key of a loaded article.
    pub fn of(article: &'a Article) -> Key<'a> {
        Key {
            id: StoryId::of(article),
            path: &article.path,
            index_in_file: article.index_in_file,
        }
    }
}

/// What is remembered about one story. The default is a story never touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryState {
    /// Read?
    pub read: bool,
    /// Starred?
    pub starred: bool,
    /// The paragraph the reading pane was scrolled to, if the story was opened.
    pub scroll: Option<u32>,
    /// Where the story was when last touched (absolute path, index in file).
    pub path: Option<(PathBuf, usize)>,
}

const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS story (
    id      INTEGER PRIMARY KEY,  -- StoryId: hash of title and first words
    path    TEXT,                 -- absolute path when last touched
    idx     INTEGER NOT NULL DEFAULT 0,
    read    INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    scroll  INTEGER,
    updated INTEGER NOT NULL      -- unix seconds
);
CREATE INDEX IF NOT EXISTS story_path ON story (path, idx);
CREATE TABLE IF NOT EXISTS setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
";

/// The reading state: an SQLite file, with every story's state held in memory too
/// (only touched stories have a row), so lookups for a list of any length are cheap.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    stories: HashMap<StoryId, StoryState>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("stories", &self.stories.len())
            .finish()
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Store {
    /// Open the state file, creating it (and its folder) when missing.
    pub fn open(path: &Path) -> DbResult<Store> {
        let conn = db::open_as(path, db::Sync::Full, db::Kind::State)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .at(path)?;
        if version > SCHEMA_VERSION {
            return Err(DbError::Unusable {
                path: path.to_path_buf(),
                reason: format!(
                    "state file version {version} is newer than this broadsheet understands ({SCHEMA_VERSION})"
                ),
            });
        }
        conn.execute_batch(SCHEMA).at(path)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
            .at(path)?;
        let mut stories = HashMap::new();
        {
            let mut q = conn
                .prepare("SELECT id, path, idx, read, starred, scroll FROM story")
                .at(path)?;
            let rows = q
                .query_map([], |r| {
                    let path: Option<String> = r.get(1)?;
                    let idx: i64 = r.get(2)?;
                    Ok((
                        StoryId::from_sql(r.get(0)?),
                        StoryState {
                            read: r.get(3)?,
                            starred: r.get(4)?,
                            scroll: r.get::<_, Option<i64>>(5)?.map(|s| s.max(0) as u32),
                            path: path.map(|p| (PathBuf::from(p), idx.max(0) as usize)),
                        },
                    ))
                })
                .at(path)?;
            for row in rows {
                let (id, st) = row.at(path)?;
                stories.insert(id, st);
            }
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            stories,
        })
    }

    /// Open the state at `--state FILE` if given, else `BROADSHEET_STATE`, else the
    /// platform data dir.
    pub fn open_default(explicit: Option<&Path>) -> DbResult<Store> {
        let path = chosen_file(
            explicit,
            db::default_state_path,
            "state.sqlite",
            "the reading state",
            "--state",
        )?;
        Store::open(&path)
    }

    /// The state file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Everything remembered about a story (the default if nothing is).
    pub fn get(&self, id: StoryId) -> StoryState {
        self.stories.get(&id).cloned().unwrap_or_default()
    }

    /// Has the story been read?
    pub fn is_read(&self, id: StoryId) -> bool {
        self.stories.get(&id).is_some_and(|s| s.read)
    }

    /// Is the story starred?
    pub fn is_starred(&self, id: StoryId) -> bool {
        self.stories.get(&id).is_some_and(|s| s.starred)
    }

    /// The paragraph the story was last scrolled to.
    pub fn scroll(&self, id: StoryId) -> Option<u32> {
        self.stories.get(&id).and_then(|s| s.scroll)
    }

    /// Read, starred and the paragraph scrolled to, at once (one lookup, for filling
    /// in a whole list).
    pub fn marks(&self, id: StoryId) -> (bool, bool, Option<u32>) {
        self.marks_or(id, false)
    }

    /// [`Store::marks`], read as `read_elsewhere` says when broadsheet has no record of
    /// the story of its own (a story newsboat has read starts read; once read or unread
    /// here, broadsheet's own record is what counts).
    pub fn marks_or(&self, id: StoryId, read_elsewhere: bool) -> (bool, bool, Option<u32>) {
        self.stories
            .get(&id)
            .map_or((read_elsewhere, false, None), |s| {
                (s.read, s.starred, s.scroll)
            })
    }

    /// How many stories have any state.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    /// True when no story has any state.
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// Mark a story read or unread. One committed transaction.
    pub fn set_read(&mut self, key: Key<'_>, read: bool) -> DbResult<()> {
        self.update(key, |s| s.read = read)
    }

    /// Star or unstar a story.
    pub fn set_starred(&mut self, key: Key<'_>, starred: bool) -> DbResult<()> {
        self.update(key, |s| s.starred = starred)
    }

    /// Flip the star; returns the new value.
    pub fn toggle_star(&mut self, key: Key<'_>) -> DbResult<bool> {
        let starred = !self.is_starred(key.id);
        self.set_starred(key, starred)?;
        Ok(starred)
    }

    /// Remember the paragraph the reading pane shows at its top.
    pub fn set_scroll(&mut self, key: Key<'_>, paragraph: u32) -> DbResult<()> {
        if self.scroll(key.id) == Some(paragraph) {
            return Ok(());
        }
        self.update(key, |s| s.scroll = Some(paragraph))
    }

    fn update(&mut self, key: Key<'_>, f: impl FnOnce(&mut StoryState)) -> DbResult<()> {
        let mut st = self.get(key.id);
        f(&mut st);
        let abs = absolute(key.path);
        self.conn
            .prepare_cached(
                "INSERT INTO story (id, path, idx, read, starred, scroll, updated)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET path = ?2, idx = ?3, read = ?4,
                   starred = ?5, scroll = ?6, updated = ?7",
            )
            .and_then(|mut q| {
                q.execute(params![
                    key.id.to_sql(),
                    abs.to_string_lossy(),
                    key.index_in_file as i64,
                    st.read,
                    st.starred,
                    st.scroll.map(i64::from),
                    now()
                ])
            })
            .at(&self.path)?;
        st.path = Some((abs, key.index_in_file));
        self.stories.insert(key.id, st);
        Ok(())
    }

    /// The story selected when the reader last closed.
    pub fn last_selection(&self) -> Option<StoryId> {
        self.setting("last_selection")?.parse().ok()
    }

    /// Remember the selected story.
    pub fn set_last_selection(&mut self, id: StoryId) -> DbResult<()> {
        self.set_setting("last_selection", &id.to_string())
    }

    /// A remembered setting of the reader (sort order, unread-only, ...).
    pub fn setting(&self, key: &str) -> Option<String> {
        self.conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .ok()
            .flatten()
    }

    /// Remember a setting of the reader.
    pub fn set_setting(&mut self, key: &str, value: &str) -> DbResult<()> {
        self.conn
            .execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = ?2",
                [key, value],
            )
            .at(&self.path)?;
        Ok(())
    }

    /// Match the remembered state to the stories now in the archive, by path where the
    /// content id no longer matches: a story whose text was edited (so its id changed)
    /// gets back the state of the story that was at the same path and index, if that
    /// story's id is nowhere in the archive now. Also records where moved stories are.
    /// Returns how many stories' state was carried over to a new id.
    pub fn reconcile<'a>(&mut self, stories: impl IntoIterator<Item = Key<'a>>) -> DbResult<usize> {
        let stories: Vec<Key<'a>> = stories.into_iter().collect();
        let present: HashSet<StoryId> = stories.iter().map(|k| k.id).collect();
        // state whose story is not in the archive under its id, by where it was
        let orphans: HashMap<(PathBuf, usize), StoryId> = self
            .stories
            .iter()
            .filter(|(id, _)| !present.contains(id))
            .filter_map(|(id, s)| Some((s.path.clone()?, *id)))
            .collect();
        if orphans.is_empty() {
            return Ok(0);
        }
        let mut moved = 0;
        let tx = self.conn.unchecked_transaction().at(&self.path)?;
        for k in &stories {
            if self.stories.contains_key(&k.id) {
                continue;
            }
            let Some(&old) = orphans.get(&(absolute(k.path), k.index_in_file)) else {
                continue;
            };
            let Some(st) = self.stories.remove(&old) else {
                continue;
            };
            tx.execute(
                "UPDATE story SET id = ?1, updated = ?2 WHERE id = ?3",
                params![k.id.to_sql(), now(), old.to_sql()],
            )
            .at(&self.path)?;
            self.stories.insert(k.id, st);
            moved += 1;
        }
        tx.commit().at(&self.path)?;
        Ok(moved)
    }

    /// SQLite's own check of the file: `Ok(())` when it is sound.
    pub fn check(&self) -> DbResult<()> {
        let r: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .at(&self.path)?;
        if r == "ok" {
            Ok(())
        } else {
            Err(DbError::Unusable {
                path: self.path.clone(),
                reason: format!("integrity check failed: {r}"),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Block;

    fn art(path: &str, title: &str, body: &[&str]) -> Article {
        Article {
            path: PathBuf::from(path),
            title: title.into(),
            blocks: body.iter().map(|b| Block::para(*b)).collect(),
            ..Article::default()
        }
    }

    #[test]
    fn a_feed_readers_flag_counts_until_a_record_of_our_own() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("s.sqlite")).unwrap();
        let a = art("cache.db", "Seal count", &["Volunteers found 212 pups."]);
        let id = StoryId::of(&a);
        assert_eq!(s.marks_or(id, true), (true, false, None));
        assert_eq!(s.marks_or(id, false), (false, false, None));
        let key = Key {
            id,
            path: &a.path,
            index_in_file: 0,
        };
        s.set_read(key, false).unwrap();
        assert_eq!(
            s.marks_or(id, true),
            (false, false, None),
            "our own record wins"
        );
        s.set_read(key, true).unwrap();
        assert!(s.marks_or(id, false).0);
    }

    #[test]
    fn id_ignores_path_wrapping_case_and_punctuation() {
        let a = art(
            "a/1.txt",
            "Ferry fares rise",
            &["The board said, on Friday."],
        );
        let b = art(
            "b/zz.txt",
            "ferry fares  rise!",
            &["The board", "said on friday"],
        );
        assert_eq!(StoryId::of(&a), StoryId::of(&b));
        let c = art(
            "a/1.txt",
            "Ferry fares fall",
            &["The board said, on Friday."],
        );
        assert_ne!(StoryId::of(&a), StoryId::of(&c));
    }

    #[test]
    fn id_words_hash_as_their_norm_key() {
        // the id hashes each word as norm_key would write it, ASCII or not
        let a = art("x.txt", "T", &["Ünïcode ÉTÉ don’t İstanbul 42x"]);
        let mut h = Fnv::new();
        h.bytes(norm_key("T").as_bytes());
        h.bytes(b"\x00");
        for w in words("Ünïcode ÉTÉ don’t İstanbul 42x") {
            h.bytes(norm_key(w).as_bytes());
            h.bytes(b" ");
        }
        assert_eq!(StoryId::of(&a), StoryId(h.mixed()));
    }

    /// The id the word-at-a-time way, for any text: what the one-pass way must give.
    fn id_word_by_word(title: &str, blocks: &[&str]) -> StoryId {
        let mut h = Fnv::new();
        h.bytes(norm_key(title).as_bytes());
        h.bytes(b"\x00");
        let ws = blocks.iter().flat_map(|b| words(b)).take(ID_WORDS);
        let mut buf = [0u8; 4];
        for w in ws {
            for c in w.chars().filter(|c| c.is_alphanumeric()) {
                for l in c.to_lowercase() {
                    h.bytes(l.encode_utf8(&mut buf).as_bytes());
                }
            }
            h.bytes(b" ");
        }
        StoryId(h.mixed())
    }

    #[test]
    fn one_pass_ids_equal_word_by_word_ids() {
        let mut seed: u64 = 11;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize
        };
        // mostly ASCII, with letters, an apostrophe and a dash that are not
        let alphabet = [
            "a", "Z", "9", "'", " ", " ", "\t", "\n", ".", "-", "é", "’", "—", "Ä",
        ];
        for round in 0..3000 {
            let ascii_only = round % 2 == 0;
            let mut text = |len: usize| -> String {
                (0..len)
                    .map(|_| alphabet[next() % if ascii_only { 10 } else { alphabet.len() }])
                    .collect()
            };
            let blocks: Vec<String> = (0..1 + round % 4).map(|_| text(round % 400)).collect();
            let blocks: Vec<&str> = blocks.iter().map(String::as_str).collect();
            let title = text(round % 60);
            assert_eq!(
                StoryId::from_text(&title, blocks.iter().copied()),
                id_word_by_word(&title, &blocks),
                "{title:?} {blocks:?}"
            );
        }
    }

    #[test]
    fn ascii_blocks_hash_as_any_other() {
        // the byte-at-a-time way for ASCII blocks against norm_key of each word
        let mut seed: u64 = 7;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize
        };
        let alphabet = b"aZ9' \t\n.,-_'x";
        for _ in 0..300 {
            let len = next() % 300;
            let text: String = (0..len)
                .map(|_| alphabet[next() % alphabet.len()] as char)
                .collect();
            let mut h = Fnv::new();
            h.bytes(norm_key("T").as_bytes());
            h.bytes(b"\x00");
            for w in words(&text).take(ID_WORDS) {
                h.bytes(norm_key(w).as_bytes());
                h.bytes(b" ");
            }
            let id = StoryId::from_text("T", [text.as_str()]);
            assert_eq!(id, StoryId(h.mixed()), "{text:?}");
        }
        // a block boundary separates words, ASCII or not
        assert_eq!(
            StoryId::from_text("T", ["one two", "thrée"]),
            StoryId::from_text("T", ["one two thrée"])
        );
        assert_eq!(
            StoryId::from_text("T", ["one tw", "o"]),
            StoryId::from_text("T", ["one tw o"])
        );
    }

    #[test]
    fn id_is_stable_across_builds() {
        // pinned: ids are stored on disk, so the hash must never change
        let a = art("x.txt", "Title", &["One two three."]);
        assert_eq!(StoryId::of(&a).to_string(), "ecfc2f78308bc511");
        assert_eq!(
            StoryId::of(&a).to_string().parse::<StoryId>().unwrap(),
            StoryId::of(&a)
        );
        let sql = StoryId(u64::MAX - 1).to_sql();
        assert_eq!(StoryId::from_sql(sql), StoryId(u64::MAX - 1));
    }

    #[test]
    fn actions_persist_and_reconcile_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("s/state.sqlite");
        let a = art("x/1.txt", "Title", &["Body words here."]);
        {
            let mut s = Store::open(&db).unwrap();
            s.set_read(Key::of(&a), true).unwrap();
            assert!(s.toggle_star(Key::of(&a)).unwrap());
            s.set_scroll(Key::of(&a), 7).unwrap();
            s.set_last_selection(StoryId::of(&a)).unwrap();
        }
        let edited = art("x/1.txt", "Title, edited", &["Body words here."]);
        let mut s = Store::open(&db).unwrap();
        s.check().unwrap();
        assert!(s.is_read(StoryId::of(&a)) && s.is_starred(StoryId::of(&a)));
        assert_eq!(s.scroll(StoryId::of(&a)), Some(7));
        assert_eq!(s.last_selection(), Some(StoryId::of(&a)));
        assert!(!s.is_read(StoryId::of(&edited)));
        assert_eq!(s.reconcile([Key::of(&edited)]).unwrap(), 1);
        assert!(s.is_read(StoryId::of(&edited)));
        drop(s);
        let s = Store::open(&db).unwrap();
        assert!(s.is_starred(StoryId::of(&edited)));
        assert_eq!(s.len(), 1);
    }
}
