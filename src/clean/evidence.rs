//! What the whole archive says about a block: is it another stored story's title, or a
//! line repeated across many stories of one source?

use crate::article::Article;
use crate::hash::mix;
use crate::text::norm_key;
use std::collections::{HashMap, HashSet};

pub(super) use crate::hash::{Fnv as FnvHasher, FnvBuild as Fnv};

/// Stories of one source that must share a block before it counts as that source's
/// furniture (a newsletter box, a "most read" list).
pub const MIN_REPEATS: usize = 3;

/// Archive-wide evidence, computed once per archive.
///
/// Compact, so that a big archive's evidence is small: text is kept as 64-bit hashes
/// (a collision is as unlikely as two stories sharing a random 64-bit id), sources are
/// numbered, and a block seen in one story only is not kept (the rules ask whether a
/// block is in [`MIN_REPEATS`] stories or more; [`Evidence::repeats`] answers 0 for it).
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Hashes of the stored titles ([`norm_key`]), sorted, each once: a block is
    /// another story's title when its key's hash is here (the titles themselves are not
    /// kept: a million of them would be most of a big build's memory).
    titles: Vec<u64>,
    /// Hashes of (source number, repeat key) seen in two stories or more, sorted, and
    /// beside them the number of stories of that source holding the block (number 0 is
    /// the whole archive).
    repeat_keys: Vec<u64>,
    repeat_counts: Vec<u32>,
    /// Source key -> its number in `sources`.
    source_ids: HashMap<String, u32>,
    /// By number: the source key, its number of stories, its name as stored or stated.
    /// Number 0 is the empty key: stories of unknown source, and the whole archive.
    sources: Vec<Source>,
    /// Stories in the whole archive.
    stories: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Source {
    key: String,
    stories: usize,
    name: Option<String>,
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type IdHash = std::hash::BuildHasherDefault<IdHasher>;

/// A 64-bit hash of text, the same on every machine and in every build (the evidence is
/// kept in the index): eight bytes at a time, each folded in by a 128-bit multiply.
pub(crate) fn hash64(bytes: &[u8]) -> u64 {
    const K1: u64 = 0x9E37_79B9_7F4A_7C15;
    const K2: u64 = 0xBF58_476D_1CE4_E5B9;
    fn fold(a: u64, b: u64) -> u64 {
        let m = u128::from(a) * u128::from(b);
        (m as u64) ^ ((m >> 64) as u64)
    }
    let mut h = K1 ^ (bytes.len() as u64).wrapping_mul(K2);
    let mut chunks = bytes.chunks_exact(8);
    for c in chunks.by_ref() {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = fold(h ^ w, K2);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = fold(h ^ u64::from_le_bytes(b), K2);
    }
    mix(h)
}

/// The hash a repeat is counted under: its group (a source's number, 0 for the whole
/// archive) and the hash of its key.
fn group_hash(group: u32, key: u64) -> u64 {
    mix(key ^ (u64::from(group) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// A source with fewer stories than this is too small to show its own furniture; its
/// stories are compared with the whole archive instead.
const MIN_SOURCE_STORIES: usize = 5;

/// The key a block is counted under: normalised, digits folded, so "3 hours ago" and
/// "5 hours ago" count as one.
pub fn repeat_key(text: &str) -> String {
    crate::text::norm_key_with(text, true)
}

/// Words at the opening of a long block that make it a near-repeat of another.
const OPENING_WORDS: usize = 10;

/// The key a long block without a final full stop is also counted under: its opening
/// words, so that a list of headlines that grows, shrinks or moves on from story to story
/// still counts as one ("near-repeats"). Prose (ending in a full stop) is left out: wire
/// copy shares openings without being furniture.
/// This is computed from a block and its [`repeat_key`].
fn opening_of(text: &str, key: &str) -> Option<String> {
    let ends = text
        .trim()
        .trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with(['.', '!', '?']);
    if ends {
        return None;
    }
    let ws: Vec<&str> = key.split(' ').collect();
    (ws.len() > OPENING_WORDS * 3 / 2).then(|| format!("{} …", ws[..OPENING_WORDS].join(" ")))
}

/// The group a story's repeats are counted in: its stored source, else the source its
/// lone source line states, or "" when unknown.
pub fn source_key(a: &Article) -> String {
    match a.source.as_deref() {
        Some(s) => norm_key(s),
        None => source_key_with(a, super::shapes::stated_source(a)),
    }
}

/// [`source_key`] with the stated source line (`shapes::stated_source`) already found.
pub(super) fn source_key_with(a: &Article, stated: Option<usize>) -> String {
    match a.source.as_deref() {
        Some(s) => norm_key(s),
        None => stated
            .map(|i| norm_key(&a.blocks[i].text))
            .unwrap_or_default(),
    }
}

/// What one article adds to the evidence, worked out on its own (so that many can be
/// worked out in parallel) and then counted in order by [`EvidenceBuilder::add_observed`].
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// Hash of the normalised title, when it has three words or more.
    title: Option<u64>,
    /// [`source_key`].
    source: String,
    /// The source's name as stored or stated (only for a known source).
    name: Option<String>,
    /// Hashes of the distinct repeat keys (exact and opening) of the blocks, in order.
    keys: Vec<u64>,
}

/// Work out what one article adds to the evidence.
pub fn observe(a: &Article) -> Observed {
    let k = norm_key(&a.title);
    let title = (k.split(' ').count() >= 3).then(|| hash64(k.as_bytes()));
    // as source_key(a), finding the stated source once
    let (source, name) = match &a.source {
        Some(s) => (norm_key(s), Some(s.clone())),
        None => match super::shapes::stated_source(a) {
            Some(i) => (
                norm_key(&a.blocks[i].text),
                Some(a.blocks[i].text.trim().to_string()),
            ),
            None => (String::new(), None),
        },
    };
    let name = name.filter(|_| !source.is_empty());
    let mut keys: Vec<u64> = Vec::with_capacity(a.blocks.len() + 2);
    let mut seen: HashSet<u64, IdHash> = HashSet::default();
    for b in &a.blocks {
        let exact = repeat_key(&b.text);
        if exact.is_empty() {
            continue;
        }
        let opening = opening_of(&b.text, &exact);
        for k in std::iter::once(exact.as_str()).chain(opening.as_deref()) {
            let h = hash64(k.as_bytes());
            if seen.insert(h) {
                keys.push(h);
            }
        }
    }
    Observed {
        title,
        source,
        name,
        keys,
    }
}

/// Evidence gathered one article at a time, so an archive can be read as a stream
/// without holding its articles: `add` each (or [`observe`] each, in parallel, and
/// `add_observed` them in order), then `finish`.
#[derive(Debug, Default)]
pub struct EvidenceBuilder {
    ev: Evidence,
    /// Every (group, key) hash counted so far, once per story: sorted and counted by
    /// `finish` (eight bytes a block, where a map would take twice that and more).
    seen: Vec<u64>,
}

impl EvidenceBuilder {
    /// Count one article.
    pub fn add(&mut self, a: &Article) {
        self.add_observed(observe(a));
    }

    /// Count one article, already [`observe`]d.
    pub fn add_observed(&mut self, o: Observed) {
        let ev = &mut self.ev;
        if ev.sources.is_empty() {
            ev.sources.push(Source::default());
            ev.source_ids.insert(String::new(), 0);
        }
        // sorted and made unique by `finish`
        ev.titles.extend(o.title);
        let id = match ev.source_ids.get(&o.source) {
            Some(&id) => id,
            None => {
                let id = ev.sources.len() as u32;
                ev.source_ids.insert(o.source.clone(), id);
                ev.sources.push(Source {
                    key: o.source,
                    ..Source::default()
                });
                id
            }
        };
        ev.stories += 1;
        let src = &mut ev.sources[id as usize];
        src.stories += 1;
        if src.name.is_none() {
            src.name = o.name;
        }
        for k in o.keys {
            if id != 0 {
                self.seen.push(group_hash(id, k));
            }
            self.seen.push(group_hash(0, k));
        }
    }

    /// How many hashes are held in memory (eight bytes each): what
    /// [`EvidenceBuilder::take_sorted`] would hand over.
    pub fn held(&self) -> usize {
        self.seen.len()
    }

    /// Hand over the hashes held so far, sorted, so that a big archive's are kept
    /// elsewhere (a file) rather than in memory; give them back to
    /// [`EvidenceBuilder::finish_with`] as one of its runs, in the same order.
    pub fn take_sorted(&mut self) -> Vec<u64> {
        let mut seen = std::mem::take(&mut self.seen);
        seen.sort_unstable();
        seen
    }

    /// The evidence of every article added.
    pub fn finish(self) -> Evidence {
        self.finish_with(Vec::new())
    }

    /// The evidence of every article added, with the hashes handed over by
    /// [`EvidenceBuilder::take_sorted`] given back as `runs` (each sorted): merged with
    /// those still held, and counted, a hash at a time.
    pub fn finish_with<'a>(self, runs: Vec<Box<dyn Iterator<Item = u64> + 'a>>) -> Evidence {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let mut ev = self.ev;
        let mut seen = self.seen;
        seen.sort_unstable();
        let mut runs = runs;
        runs.push(Box::new(seen.into_iter()));
        // the smallest hash of every run next, with its run
        let mut heads: BinaryHeap<Reverse<(u64, usize)>> = runs
            .iter_mut()
            .enumerate()
            .filter_map(|(r, run)| Some(Reverse((run.next()?, r))))
            .collect();
        // every hash in order, each run refilling the heap as it is taken from
        let mut merged = std::iter::from_fn(|| {
            let Reverse((k, r)) = heads.pop()?;
            if let Some(next) = runs[r].next() {
                heads.push(Reverse((next, r)));
            }
            Some(k)
        })
        .peekable();
        while let Some(k) = merged.next() {
            let mut n = 1u32;
            while merged.next_if_eq(&k).is_some() {
                n += 1;
            }
            if n >= 2 {
                ev.repeat_keys.push(k);
                ev.repeat_counts.push(n);
            }
        }
        drop(merged);
        drop(runs);
        ev.repeat_keys.shrink_to_fit();
        ev.repeat_counts.shrink_to_fit();
        ev.titles.sort_unstable();
        ev.titles.dedup();
        ev.titles.shrink_to_fit();
        ev
    }
}

impl Evidence {
    /// Gather evidence from every article of an archive.
    pub fn gather(articles: &[Article]) -> Self {
        let mut b = EvidenceBuilder::default();
        for a in articles {
            b.add(a);
        }
        b.finish()
    }

    /// Is this block another stored story's title?
    pub fn is_other_title(&self, block: &str, own_title: &str) -> bool {
        !self.titles.is_empty() && self.is_other_title_keyed(&norm_key(block), &norm_key(own_title))
    }

    /// [`Evidence::is_other_title`] with the block's and the own title's [`norm_key`]s
    /// already computed.
    pub(super) fn is_other_title_keyed(&self, key: &str, own_title_key: &str) -> bool {
        key != own_title_key
            && !self.titles.is_empty()
            && self.titles.binary_search(&hash64(key.as_bytes())).is_ok()
    }

    /// In how many stories of this article's source the block appears; for a story of
    /// unknown source, in how many stories of the whole archive. A block found in one
    /// story only counts 0.
    pub fn repeats(&self, article: &Article, block: &str) -> usize {
        self.repeats_in(&source_key(article), block)
    }

    /// In how many stories of the source with this key ([`source_key`]) the block appears.
    pub fn repeats_in(&self, source_key: &str, block: &str) -> usize {
        self.repeats_keyed(source_key, block, &repeat_key(block))
    }

    /// [`Evidence::repeats_in`] with the block's [`repeat_key`] already computed.
    pub fn repeats_keyed(&self, source_key: &str, block: &str, key: &str) -> usize {
        if self.repeat_keys.is_empty() || key.is_empty() {
            return 0;
        }
        let group = match self.source_ids.get(source_key) {
            Some(&id) if self.sources[id as usize].stories >= MIN_SOURCE_STORIES => id,
            _ => 0,
        };
        let count = |k: &str| {
            let h = group_hash(group, hash64(k.as_bytes()));
            self.repeat_keys
                .binary_search(&h)
                .map_or(0, |i| self.repeat_counts[i] as usize)
        };
        let exact = count(key);
        opening_of(block, key).map_or(exact, |k| exact.max(count(&k)))
    }

    /// The number of stories in the whole archive.
    pub fn stories(&self) -> usize {
        self.stories
    }

    /// Has this source enough stories for its own repeats to count?
    pub fn source_is_large(&self, source_key: &str) -> bool {
        !source_key.is_empty()
            && self
                .source_ids
                .get(source_key)
                .is_some_and(|&id| self.sources[id as usize].stories >= MIN_SOURCE_STORIES)
    }

    /// The longest known source name (stored or stated by other stories) that this
    /// text contains from the start of a word, e.g. in a copyright line.
    pub fn source_named_in(&self, text: &str) -> Option<&str> {
        if self.sources.len() <= 1 {
            return None;
        }
        let k = format!(" {} ", norm_key(text));
        self.sources
            .iter()
            .filter_map(|s| Some((s.key.as_str(), s.name.as_deref()?)))
            .filter(|(key, _)| k.contains(&format!(" {key}")))
            // the longest name; between names as long, the first in order, so that the
            // answer never depends on the order sources were met
            .max_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| b.0.cmp(a.0)))
            .map(|(_, name)| name)
    }

    /// Number of stored titles known.
    pub fn title_count(&self) -> usize {
        self.titles.len()
    }

    /// The evidence as bytes, to keep (in the index); [`Evidence::from_bytes`] reads
    /// them back.
    pub fn to_bytes(&self) -> Vec<u8> {
        fn put_str(out: &mut Vec<u8>, s: &str) {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        let mut out = Vec::with_capacity(
            64 + self.titles.len() * 8 + self.repeat_keys.len() * 12 + self.sources.len() * 64,
        );
        out.extend_from_slice(BLOB_MAGIC);
        out.extend_from_slice(&(self.titles.len() as u32).to_le_bytes());
        for h in &self.titles {
            out.extend_from_slice(&h.to_le_bytes());
        }
        out.extend_from_slice(&(self.sources.len() as u32).to_le_bytes());
        for s in &self.sources {
            put_str(&mut out, &s.key);
            out.extend_from_slice(&(s.stories as u64).to_le_bytes());
            match &s.name {
                Some(n) => {
                    out.push(1);
                    put_str(&mut out, n);
                }
                None => out.push(0),
            }
        }
        out.extend_from_slice(&(self.repeat_keys.len() as u32).to_le_bytes());
        for k in &self.repeat_keys {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for c in &self.repeat_counts {
            out.extend_from_slice(&c.to_le_bytes());
        }
        out
    }

    /// Evidence kept by [`Evidence::to_bytes`]; `None` when the bytes are not that.
    pub fn from_bytes(mut d: &[u8]) -> Option<Evidence> {
        fn take<'a>(d: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
            let (a, b) = (d.get(..n)?, d.get(n..)?);
            *d = b;
            Some(a)
        }
        fn u32_(d: &mut &[u8]) -> Option<u32> {
            Some(u32::from_le_bytes(take(d, 4)?.try_into().ok()?))
        }
        fn u64_(d: &mut &[u8]) -> Option<u64> {
            Some(u64::from_le_bytes(take(d, 8)?.try_into().ok()?))
        }
        fn str_<'a>(d: &mut &'a [u8]) -> Option<&'a str> {
            let n = u32_(d)? as usize;
            std::str::from_utf8(take(d, n)?).ok()
        }
        if take(&mut d, BLOB_MAGIC.len())? != BLOB_MAGIC {
            return None;
        }
        let mut ev = Evidence::default();
        let n = u32_(&mut d)?;
        for _ in 0..n {
            ev.titles.push(u64_(&mut d)?);
        }
        if !ev.titles.windows(2).all(|w| w[0] < w[1]) {
            return None;
        }
        let n = u32_(&mut d)?;
        for i in 0..n {
            let key = str_(&mut d)?.to_string();
            let stories = u64_(&mut d)? as usize;
            let name = match take(&mut d, 1)?[0] {
                0 => None,
                1 => Some(str_(&mut d)?.to_string()),
                _ => return None,
            };
            ev.source_ids.insert(key.clone(), i);
            ev.stories += stories;
            ev.sources.push(Source { key, stories, name });
        }
        let n = u32_(&mut d)? as usize;
        let keys = take(&mut d, n.checked_mul(8)?)?;
        let counts = take(&mut d, n.checked_mul(4)?)?;
        ev.repeat_keys = keys
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        ev.repeat_counts = counts
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect();
        let sorted = ev.repeat_keys.windows(2).all(|w| w[0] < w[1]);
        (d.is_empty() && sorted).then_some(ev)
    }
}

/// The first bytes of [`Evidence::to_bytes`] (with the format's version).
const BLOB_MAGIC: &[u8] = b"broadsheet-evidence-2\n";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Block;

    fn art(title: &str, source: Option<&str>, blocks: &[&str]) -> Article {
        Article {
            title: title.into(),
            source: source.map(str::to_owned),
            blocks: blocks.iter().map(|t| Block::para(*t)).collect(),
            ..Article::default()
        }
    }

    fn sample() -> Vec<Article> {
        let list = "Ferry fares rise again Council meets on the bridge plan Harbour wall \
                    repaired at last Schools close early for storm Market hall to reopen \
                    next spring";
        let mut v = Vec::new();
        for i in 0..7 {
            v.push(art(
                &format!("Story number {i} of the week"),
                Some("The Daily Example"),
                &[
                    "Sign up for our newsletter",
                    &format!("{list} {i}"),
                    &format!(
                        "A paragraph of its own, on {}, ends here.",
                        ["a", "b", "c", "d", "e", "f", "g"][i]
                    ),
                    "Updated 3 hours ago",
                ],
            ));
        }
        v.push(art(
            "Story number 2 of the week",
            None,
            &["Sign up for our newsletter"],
        ));
        v.push(art(
            "Small one",
            Some("Tiny Gazette"),
            &["Sign up for our newsletter"],
        ));
        v
    }

    #[test]
    fn counts_titles_sources_and_near_repeats() {
        let arts = sample();
        let ev = Evidence::gather(&arts);
        assert_eq!(ev.title_count(), 7); // "Small one" has two words
        assert!(ev.is_other_title("Story number 3 of the week!", &arts[0].title));
        // its own title, and no title
        assert!(!ev.is_other_title("story number 0 of the week", &arts[0].title));
        assert!(!ev.is_other_title("Not a title at all", &arts[0].title));
        assert_eq!(ev.repeats(&arts[0], "Sign up for our newsletter"), 7);
        assert_eq!(ev.repeats(&arts[0], "Updated 5 hours ago"), 7); // digits folded
                                                                    // the list moves on but its opening is the same
        assert_eq!(
            ev.repeats(&arts[0], &format!("{} x", arts[1].blocks[1].text)),
            7
        );
        assert_eq!(ev.repeats(&arts[0], &arts[0].blocks[2].text), 0); // in one story
                                                                      // a small source and an unknown one are compared with the whole archive
        assert_eq!(ev.repeats(&arts[8], "Sign up for our newsletter"), 9);
        assert_eq!(ev.repeats(&arts[7], "Sign up for our newsletter"), 9);
        assert!(ev.source_is_large("the daily example"));
        assert!(!ev.source_is_large("tiny gazette"));
        assert!(!ev.source_is_large(""));
        assert_eq!(
            ev.source_named_in("Copyright 2020 The Daily Example Ltd"),
            Some("The Daily Example")
        );
        assert_eq!(ev.source_named_in("Copyright 2020 Nobody"), None);
    }

    #[test]
    fn observed_in_parallel_is_gathered_in_order() {
        let arts = sample();
        let mut b = EvidenceBuilder::default();
        for o in arts.iter().map(observe).collect::<Vec<_>>() {
            b.add_observed(o);
        }
        assert_eq!(b.finish().to_bytes(), Evidence::gather(&arts).to_bytes());
    }

    #[test]
    fn hashes_handed_over_in_runs_count_as_if_held() {
        let arts = sample();
        assert!(
            Evidence::gather(&arts).repeat_keys.len() > 2,
            "the sample repeats"
        );
        for every in 1..=arts.len() {
            let mut b = EvidenceBuilder::default();
            let mut runs: Vec<Vec<u64>> = Vec::new();
            for (i, a) in arts.iter().enumerate() {
                b.add(a);
                if (i + 1) % every == 0 {
                    let run = b.take_sorted();
                    assert!(run.windows(2).all(|w| w[0] <= w[1]));
                    runs.push(run);
                }
            }
            assert_eq!(b.held() == 0, arts.len() % every == 0);
            let runs = runs
                .into_iter()
                .map(|r| Box::new(r.into_iter()) as Box<dyn Iterator<Item = u64>>)
                .collect();
            let ev = b.finish_with(runs);
            assert_eq!(ev.to_bytes(), Evidence::gather(&arts).to_bytes(), "{every}");
        }
    }

    #[test]
    fn evidence_round_trips_through_bytes() {
        let arts = sample();
        let ev = Evidence::gather(&arts);
        let bytes = ev.to_bytes();
        let back = Evidence::from_bytes(&bytes).expect("reads back");
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.repeats(&arts[0], "Sign up for our newsletter"), 7);
        assert!(back.is_other_title("Story number 3 of the week", "x"));
        assert!(Evidence::from_bytes(&bytes[..bytes.len() - 1]).is_none());
        assert!(Evidence::from_bytes(b"something else").is_none());
        let empty = Evidence::default();
        assert_eq!(
            Evidence::from_bytes(&empty.to_bytes())
                .unwrap()
                .title_count(),
            0
        );
    }

    #[test]
    fn hashes_are_fixed() {
        // kept in the index: must not change between builds
        assert_eq!(hash64(b""), 0xe220_a839_7b1d_cdaf);
        assert_eq!(hash64(b"sign up for our newsletter"), 0x5392_25a1_6a01_7618);
        assert_ne!(hash64(b"a"), hash64(b"a\0"));
        assert_ne!(hash64(b"abcdefgh"), hash64(b"abcdefgh\0"));
        assert_ne!(group_hash(0, 1), group_hash(1, 1));
    }
}
