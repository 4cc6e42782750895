//! What the whole archive says about a block: is it another stored story's title, or a
//! line repeated across many stories of one source?

use crate::article::Article;
use crate::text::norm_key;
use std::collections::{HashMap, HashSet};

/// A small fast hasher (FNV-1a) for the short keys of one article.
#[derive(Default)]
pub(super) struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(super) type Fnv = std::hash::BuildHasherDefault<FnvHasher>;

/// Stories of one source that must share a block before it counts as that source's
/// furniture (a newsletter box, a "most read" list).
pub const MIN_REPEATS: usize = 3;

/// Archive-wide evidence, computed once per archive.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Normalised title -> (title as stored, index of the story).
    titles: HashMap<String, (String, usize)>,
    /// (source key, normalised block) -> number of stories of that source holding it.
    repeats: HashMap<(String, String), usize, Fnv>,
    /// Source key -> number of stories of that source.
    stories: HashMap<String, usize>,
    /// Source key -> the source's name as stored or stated.
    names: HashMap<String, String>,
}

/// A source with fewer stories than this is too small to show its own furniture; its
/// stories are compared with the whole archive instead.
const MIN_SOURCE_STORIES: usize = 5;

/// The key a block is counted under: normalised, digits folded, so "3 hours ago" and
/// "5 hours ago" count as one.
pub fn repeat_key(text: &str) -> String {
    norm_key(text)
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
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
        None => super::rules::stated_source(a)
            .map(|i| norm_key(&a.blocks[i].text))
            .unwrap_or_default(),
    }
}

/// Evidence gathered one article at a time, so an archive can be read as a stream
/// without holding its articles: `add` each, then `finish`.
#[derive(Debug, Default)]
pub struct EvidenceBuilder {
    ev: Evidence,
    added: usize,
}

impl EvidenceBuilder {
    /// Count one article (its index is the number added before it).
    pub fn add(&mut self, a: &Article) {
        self.ev.add(self.added, a);
        self.added += 1;
    }
    /// The evidence of every article added.
    pub fn finish(self) -> Evidence {
        self.ev
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

    fn add(&mut self, i: usize, a: &Article) {
        let ev = self;
        {
            let k = norm_key(&a.title);
            if k.split(' ').count() >= 3 {
                ev.titles.entry(k).or_insert_with(|| (a.title.clone(), i));
            }
            let src = source_key(a);
            *ev.stories.entry(src.clone()).or_default() += 1;
            if !src.is_empty() {
                let name = a.source.clone().or_else(|| {
                    super::rules::stated_source(a).map(|i| a.blocks[i].text.trim().to_string())
                });
                if let Some(name) = name {
                    ev.names.entry(src.clone()).or_insert(name);
                }
            }
            let mut seen = HashSet::new();
            for b in &a.blocks {
                let exact = repeat_key(&b.text);
                let opening = opening_of(&b.text, &exact);
                let mut keys = vec![exact];
                keys.extend(opening);
                for k in keys {
                    if k.is_empty() || !seen.insert(k.clone()) {
                        continue;
                    }
                    if !src.is_empty() {
                        *ev.repeats.entry((src.clone(), k.clone())).or_default() += 1;
                    }
                    *ev.repeats.entry((String::new(), k)).or_default() += 1;
                }
            }
        }
    }

    /// The stored title this block repeats, if it is another story's title.
    pub fn title_of_other(&self, block: &str, own_title: &str) -> Option<&str> {
        let k = norm_key(block);
        if k == norm_key(own_title) {
            return None;
        }
        self.titles.get(&k).map(|(t, _)| t.as_str())
    }

    /// In how many stories of this article's source the block appears; for a story of
    /// unknown source, in how many stories of the whole archive.
    pub fn repeats(&self, article: &Article, block: &str) -> usize {
        self.repeats_in(&source_key(article), block)
    }

    /// In how many stories of the source with this key ([`source_key`]) the block appears.
    pub fn repeats_in(&self, source_key: &str, block: &str) -> usize {
        self.repeats_keyed(source_key, block, &repeat_key(block))
    }

    /// [`Evidence::repeats_in`] with the block's [`repeat_key`] already computed.
    pub fn repeats_keyed(&self, source_key: &str, block: &str, key: &str) -> usize {
        if self.repeats.is_empty() {
            return 0;
        }
        let small = self.stories.get(source_key).copied().unwrap_or(0) < MIN_SOURCE_STORIES;
        let group = if small { "" } else { source_key };
        let count = |k: String| {
            self.repeats
                .get(&(group.to_string(), k))
                .copied()
                .unwrap_or(0)
        };
        let exact = count(key.to_string());
        opening_of(block, key).map_or(exact, |k| exact.max(count(k)))
    }

    /// Has this source enough stories for its own repeats to count?
    pub fn source_is_large(&self, source_key: &str) -> bool {
        !source_key.is_empty()
            && self.stories.get(source_key).copied().unwrap_or(0) >= MIN_SOURCE_STORIES
    }

    /// The longest known source name (stored or stated by other stories) that this
    /// text contains from the start of a word, e.g. in a copyright line.
    pub fn source_named_in(&self, text: &str) -> Option<&str> {
        let k = format!(" {} ", norm_key(text));
        self.names
            .iter()
            .filter(|(key, _)| k.contains(&format!(" {key}")))
            // the longest name; between names as long, the first in order, so that the
            // answer never depends on the map's order
            .max_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| b.0.cmp(a.0)))
            .map(|(_, name)| name.as_str())
    }

    /// Number of stored titles known.
    pub fn title_count(&self) -> usize {
        self.titles.len()
    }
}
