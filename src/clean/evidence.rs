//! What the whole archive says about a block: is it another stored story's title, or a
//! line repeated across many stories of one source?

use crate::article::Article;
use crate::text::norm_key;
use std::collections::{HashMap, HashSet};

/// Stories of one source that must share a block before it counts as that source's
/// furniture (a newsletter box, a "most read" list).
pub const MIN_REPEATS: usize = 3;

/// Archive-wide evidence, computed once per archive.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Normalised title -> (title as stored, index of the story).
    titles: HashMap<String, (String, usize)>,
    /// (source key, normalised block) -> number of stories of that source holding it.
    repeats: HashMap<(String, String), usize>,
}

/// The key a block is counted under: normalised, digits folded, so "3 hours ago" and
/// "5 hours ago" count as one.
pub fn repeat_key(text: &str) -> String {
    norm_key(text)
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// The group a story's repeats are counted in: its source, or "" when unknown.
pub fn source_key(a: &Article) -> String {
    a.source.as_deref().map(norm_key).unwrap_or_default()
}

impl Evidence {
    /// Gather evidence from every article of an archive.
    pub fn gather(articles: &[Article]) -> Self {
        let mut ev = Evidence::default();
        for (i, a) in articles.iter().enumerate() {
            let k = norm_key(&a.title);
            if k.split(' ').count() >= 3 {
                ev.titles.entry(k).or_insert_with(|| (a.title.clone(), i));
            }
            let src = source_key(a);
            let mut seen = HashSet::new();
            for b in &a.blocks {
                let k = repeat_key(&b.text);
                if !k.is_empty() && seen.insert(k.clone()) {
                    *ev.repeats.entry((src.clone(), k)).or_default() += 1;
                }
            }
        }
        ev
    }

    /// The stored title this block repeats, if it is another story's title.
    pub fn title_of_other(&self, block: &str, own_title: &str) -> Option<&str> {
        let k = norm_key(block);
        if k == norm_key(own_title) {
            return None;
        }
        self.titles.get(&k).map(|(t, _)| t.as_str())
    }

    /// In how many stories of this article's source the block appears (0 when unknown).
    pub fn repeats(&self, article: &Article, block: &str) -> usize {
        if self.repeats.is_empty() {
            return 0;
        }
        self.repeats
            .get(&(source_key(article), repeat_key(block)))
            .copied()
            .unwrap_or(0)
    }

    /// Number of stored titles known.
    pub fn title_count(&self) -> usize {
        self.titles.len()
    }
}
