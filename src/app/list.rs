//! The list: every entry with its reading state, the rows shown (text filter,
//! unread-only, one source, a sort, or a full-text search's ranked results) and the
//! selection.

use super::doc::Anchor;
use super::{App, Focus};
use crate::archive::{Entry as ListEntry, StoryId};
use std::collections::HashMap;

/// A story in the list, with its reading state: what identifies and describes it (the
/// index's [`ListEntry`], its fields reached through `Deref`), never its text (a story is
/// read from its file when opened, see
/// [`Effect::LoadStory`](super::Effect::LoadStory)). `read` and `starred` live here so
/// the storage layer can fill them in when entries arrive and persist them on change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Id, path, index in its file, title, source and date.
    pub listed: ListEntry,
    /// Read?
    pub read: bool,
    /// Starred?
    pub starred: bool,
    /// Where the reader was in this story (kept when moving to another story; the
    /// storage layer can fill and persist it).
    pub position: Anchor,
}

impl std::ops::Deref for Entry {
    type Target = ListEntry;
    fn deref(&self) -> &ListEntry {
        &self.listed
    }
}

impl Entry {
    /// A new, unstarred entry: unread, unless the feed reader it came from has it read
    /// (until the reading state says otherwise).
    pub fn new(listed: ListEntry) -> Entry {
        Entry {
            read: listed.feed_read(),
            listed,
            starred: false,
            position: Anchor::default(),
        }
    }
    /// Does the list filter `q` (lower case) match the title or the source?
    pub(super) fn matches(&self, q: &str) -> bool {
        q.is_empty()
            || contains_folded(self.title(), q)
            || self.source().is_some_and(|s| contains_folded(s, q))
    }
}

/// Does `text`, lower-cased, contain `q` (lower case)? Without allocating for ASCII text,
/// so filtering 100,000 titles per keystroke stays cheap.
fn contains_folded(text: &str, q: &str) -> bool {
    if text.is_ascii() {
        let (t, q) = (text.as_bytes(), q.as_bytes());
        q.len() <= t.len()
            && t.windows(q.len())
                .any(|w| w.iter().zip(q).all(|(a, b)| a.to_ascii_lowercase() == *b))
    } else {
        text.to_lowercase().contains(q)
    }
}

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// As the archive holds them.
    #[default]
    Archive,
    /// Newest first (undated last).
    Date,
    /// By source, then newest first.
    Source,
    /// By title.
    Title,
}

impl Sort {
    /// The setting's value and the word shown.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Archive => "archive",
            Sort::Date => "date",
            Sort::Source => "source",
            Sort::Title => "title",
        }
    }
    /// From a setting's value.
    pub fn parse(s: &str) -> Option<Sort> {
        [Sort::Archive, Sort::Date, Sort::Source, Sort::Title]
            .into_iter()
            .find(|x| x.name() == s)
    }
    pub(super) fn next(self) -> Sort {
        match self {
            Sort::Archive => Sort::Date,
            Sort::Date => Sort::Source,
            Sort::Source => Sort::Title,
            Sort::Title => Sort::Archive,
        }
    }
}

/// A full-text search whose ranked results the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FullText {
    /// As typed.
    pub query: String,
    /// The entries found, best first.
    pub ranked: Vec<usize>,
    /// The matched words (lower case), highlighted in the reading pane.
    pub terms: Vec<String>,
}

impl App {
    /// The selected entry, if any.
    pub fn selected_entry(&self) -> Option<&Entry> {
        self.visible.get(self.selected).map(|&i| &self.entries[i])
    }

    /// The listed entry with this id (what an [`Effect`](super::Effect) names): the
    /// selected one, the open one or the next row first, as effects name those, else the
    /// first in the list.
    pub fn entry_of(&self, id: StoryId) -> Option<&Entry> {
        let near = [
            self.visible.get(self.selected).copied(),
            self.reader.as_ref().map(|r| r.entry),
            self.visible.get(self.selected + 1).copied(),
        ];
        near.into_iter()
            .flatten()
            .filter_map(|i| self.entries.get(i))
            .find(|e| e.id == id)
            .or_else(|| self.entries.iter().find(|e| e.id == id))
    }

    /// Add entries; listed if they pass the filters (the list re-sorted if sorted).
    pub(super) fn add(&mut self, mut entries: Vec<Entry>) {
        let q = self.filter.to_lowercase();
        let from = self.entries.len();
        if from == 0 {
            self.entries = entries; // the whole list at once: taken, not copied
        } else {
            self.entries.append(&mut entries);
        }
        if self.search.is_none() {
            self.visible.reserve(self.entries.len() - from);
            for (i, e) in self.entries.iter().enumerate().skip(from) {
                if self.keeps(e, &q) {
                    self.visible.push(i);
                }
            }
        }
        // sorted once loading is over (not per batch: a big archive arrives in hundreds)
        if self.sort != Sort::Archive && self.progress.finished {
            self.refilter();
        }
    }

    /// Does the list show `e` (with the text filter `q`, lower case)?
    pub(super) fn keeps(&self, e: &Entry, q: &str) -> bool {
        e.matches(q)
            && !(self.unread_only && e.read)
            && self.source.as_deref().is_none_or(|s| e.source() == Some(s))
    }

    /// Fill in remembered reading state for the entries from `from` on: read, starred
    /// and the paragraph they were scrolled to. Called by the shell as stories arrive.
    pub(super) fn fill_state(
        &mut self,
        from: usize,
        mut state: impl FnMut(StoryId) -> (bool, bool, Option<u32>),
    ) {
        for e in self.entries.iter_mut().skip(from) {
            let (read, starred, scroll) = state(e.id);
            e.read = read;
            e.starred = starred;
            if let Some(p) = scroll.filter(|&p| p != e.position.para) {
                e.position = Anchor { para: p, sub: 0 };
            }
        }
        // the open story goes to its remembered place (a find in it stays)
        let max = self.max_top();
        if let Some(r) = self.reader.as_mut().filter(|r| r.entry >= from) {
            let p = self.entries[r.entry].position;
            if p.para != r.anchor.para {
                r.anchor = p;
                r.top = r.doc.pos_of(p).min(max);
            }
        }
        if self.unread_only {
            self.refilter();
        }
        self.sync();
    }

    /// Select the story with this id if it is listed (the last selection, restored).
    pub(super) fn select_id(&mut self, id: StoryId) -> bool {
        let Some(row) = self.visible.iter().position(|&i| self.entries[i].id == id) else {
            return false;
        };
        self.select(row as isize);
        self.sync();
        true
    }

    /// Filter the list to stories whose title or source contains `text`.
    pub(super) fn set_filter(&mut self, text: String) {
        self.filter = text;
        self.search = None;
        self.refilter();
    }

    /// List what passes the filters (or the full-text results, best first), in the
    /// list's order; the selected story stays selected if it is still listed.
    pub(super) fn refilter(&mut self) {
        let keep = self.visible.get(self.selected).copied();
        let before = self.selected;
        if let Some(s) = &self.search {
            self.visible = s
                .ranked
                .iter()
                .copied()
                .filter(|&i| self.keeps(&self.entries[i], ""))
                .collect();
        } else {
            let q = self.filter.to_lowercase();
            let mut v: Vec<usize> = (0..self.entries.len())
                .filter(|&i| self.keeps(&self.entries[i], &q))
                .collect();
            let e = &self.entries;
            let date = |i: usize| std::cmp::Reverse(e[i].date());
            // stable sorts (ties keep the archive's order), with nothing made per story:
            // 100,000 keys made and dropped cost more than the first frame
            match self.sort {
                Sort::Archive => {}
                Sort::Date => v.sort_by_key(|&i| (e[i].date().is_none(), date(i))),
                Sort::Source => {
                    // each story's source and date as their places among all of them
                    let source = ranks(e, |x| x.source().map(str::to_lowercase));
                    let day = ranks(e, |x| x.date().map(std::cmp::Reverse));
                    sort_by_prefix(
                        &mut v,
                        |i| u128::from(source[i]) << 32 | u128::from(day[i]),
                        |_| (),
                    );
                }
                Sort::Title => sort_by_prefix(
                    &mut v,
                    |i| lowercase_prefix(e[i].title()),
                    |i| e[i].title().to_lowercase(),
                ),
            }
            self.visible = v;
        }
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(before.min(self.visible.len().saturating_sub(1)));
        self.list_offset = 0;
        self.keep_selection_visible();
    }

    /// The answer to a full-text search.
    pub(super) fn searched(&mut self, query: String, found: Result<super::SearchAnswer, String>) {
        if query != self.filter {
            return; // the filter changed since: an old answer
        }
        match found {
            Err(why) => self.message = Some(format!("full-text search not available: {why}")),
            Ok(a) if a.stories.is_empty() => {
                self.message = Some(format!("no story's text matches {query:?}"));
            }
            Ok(super::SearchAnswer {
                stories: ids,
                terms,
            }) => {
                let at: std::collections::HashMap<StoryId, usize> = self
                    .entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.id, i))
                    .collect();
                let mut ranked: Vec<usize> =
                    ids.iter().filter_map(|id| at.get(id).copied()).collect();
                let mut seen = std::collections::HashSet::new();
                ranked.retain(|i| seen.insert(*i));
                self.message = Some(format!(
                    "{} {} found for {query:?}, best first",
                    ranked.len(),
                    if ranked.len() == 1 {
                        "story"
                    } else {
                        "stories"
                    }
                ));
                self.search = Some(FullText {
                    query,
                    ranked,
                    terms,
                });
                self.selected = 0;
                self.refilter();
                self.selected = 0;
                self.keep_selection_visible();
            }
        }
    }

    /// The source filter: the next source (alphabetical) after the current one, then all.
    pub(super) fn next_source(&mut self) {
        let mut sources: Vec<&str> = self.entries.iter().filter_map(|e| e.source()).collect();
        sources.sort_unstable();
        sources.dedup();
        let next = match &self.source {
            None => sources.first(),
            Some(cur) => sources.iter().find(|s| **s > cur.as_str()),
        }
        .map(|s| s.to_string());
        let none = sources.is_empty();
        self.source = next;
        self.refilter();
        self.message = Some(match &self.source {
            Some(s) => format!("source: {s} ({} listed)", self.visible.len()),
            None if none => "no story states its source".into(),
            None => "all sources".into(),
        });
    }

    /// Select a list row (clamped); the reading pane follows.
    pub(super) fn select(&mut self, row: isize) {
        if self.visible.is_empty() {
            return;
        }
        let row = row.clamp(0, self.visible.len() as isize - 1) as usize;
        if row != self.selected {
            self.selected = row;
            if self.focus == Focus::Reader {
                self.open_selected();
            }
        }
        self.keep_selection_visible();
    }

    pub(super) fn keep_selection_visible(&mut self) {
        let rows = self.layout().list_rows();
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + rows {
            self.list_offset = self.selected + 1 - rows;
        }
        // no empty rows below the last story when the pane grows
        self.list_offset = self
            .list_offset
            .min(self.visible.len().saturating_sub(rows));
    }

    /// The whole list again: reading state, the search, the selection and the open
    /// story are kept by id.
    pub(super) fn relist(&mut self, new: Vec<Entry>) {
        let state: HashMap<StoryId, (bool, bool, Anchor)> = self
            .entries
            .iter()
            .map(|e| (e.id, (e.read, e.starred, e.position)))
            .collect();
        let selected = self.selected_entry().map(|e| e.id);
        let open = self.reader.as_ref().map(|r| self.entries[r.entry].id);
        let ranked: Option<Vec<StoryId>> = self
            .search
            .as_ref()
            .map(|s| s.ranked.iter().map(|&i| self.entries[i].id).collect());
        self.entries = new;
        for x in &mut self.entries {
            if let Some(&(read, starred, position)) = state.get(&x.id) {
                (x.read, x.starred, x.position) = (read, starred, position);
            }
        }
        let mut at: HashMap<StoryId, usize> = HashMap::with_capacity(self.entries.len());
        for (i, e) in self.entries.iter().enumerate() {
            at.entry(e.id).or_insert(i);
        }
        if let (Some(s), Some(ids)) = (&mut self.search, ranked) {
            s.ranked = ids.iter().filter_map(|id| at.get(id).copied()).collect();
        }
        match open.and_then(|id| at.get(&id)) {
            Some(&i) => {
                if let Some(r) = &mut self.reader {
                    r.entry = i;
                }
            }
            None => self.reader = None,
        }
        self.visible.clear();
        self.selected = 0;
        self.refilter();
        if let Some(row) =
            selected.and_then(|id| self.visible.iter().position(|&i| self.entries[i].id == id))
        {
            self.selected = row;
        }
        self.keep_selection_visible();
    }
}

/// Each entry's place in the order of the values `key` gives (the same place for equal
/// values), those with none last; made once per distinct value, not per comparison.
fn ranks<'e, K: Ord + std::hash::Hash>(
    entries: &'e [Entry],
    key: impl Fn(&'e Entry) -> Option<K>,
) -> Vec<u32> {
    let keys: Vec<Option<K>> = entries.iter().map(&key).collect();
    let mut distinct: Vec<&K> = keys.iter().flatten().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let place: std::collections::HashMap<&K, u32> = distinct
        .iter()
        .enumerate()
        .map(|(n, k)| (*k, n as u32))
        .collect();
    keys.iter()
        .map(|k| k.as_ref().map_or(u32::MAX, |k| place[k]))
        .collect()
}

/// Sort the list's indices by a number that orders them as far as it goes (`prefix`),
/// then each run of equal numbers by `rest`, ties in the archive's order: a sort of
/// plain numbers, with keys made only where those are the same.
fn sort_by_prefix<K: Ord>(
    v: &mut Vec<usize>,
    prefix: impl Fn(usize) -> u128,
    rest: impl Fn(usize) -> K,
) {
    let mut keyed: Vec<(u128, usize)> = v.iter().map(|&i| (prefix(i), i)).collect();
    keyed.sort_unstable();
    let mut start = 0;
    while start < keyed.len() {
        let end = start + keyed[start..].partition_point(|k| k.0 == keyed[start].0);
        if end - start > 1 {
            // stable: the run is in the archive's order already
            keyed[start..end].sort_by_cached_key(|k| rest(k.1));
        }
        start = end;
    }
    v.clear();
    v.extend(keyed.into_iter().map(|k| k.1));
}

/// The first 16 bytes of a text's lower-case form as a number that orders as they do
/// (shorter texts padded with zero bytes, which no title holds).
fn lowercase_prefix(t: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let mut n = 0;
    let mut buf = [0u8; 4];
    'chars: for c in t.chars() {
        for l in c.to_lowercase() {
            for &b in l.encode_utf8(&mut buf).as_bytes() {
                if n == bytes.len() {
                    break 'chars;
                }
                bytes[n] = b;
                n += 1;
            }
        }
    }
    u128::from_be_bytes(bytes)
}
