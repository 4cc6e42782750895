//! An article measured once: every block's shape ([`Features`]), its key (normalised
//! words) and its repeat key (digits folded), the title's key, the lone source line the
//! article states and the key its repeats are counted under. The rules, the model and
//! the guard read these instead of splitting the blocks' words again.

use super::evidence::source_key_with;
use super::features::{self, Features};
use super::shapes::stated_source_with;
use crate::article::Article;
use crate::text::norm_key;

/// What every pass reads about an article's blocks, by block number.
#[derive(Debug, Clone)]
pub(super) struct Measured {
    /// Each block's shape.
    pub feats: Vec<Features>,
    /// Each block's [`norm_key`].
    pub keys: Vec<String>,
    /// Each block's repeat key (`evidence::repeat_key`: the key with digits folded).
    pub repeat_keys: Vec<String>,
    /// The title's [`norm_key`].
    pub title_key: String,
    /// The lone source line's block (`shapes::stated_source`).
    pub stated: Option<usize>,
    /// The key the article's repeats are counted under (`evidence::source_key`).
    pub source_key: String,
}

impl Measured {
    /// Measure every block of an article.
    pub fn of(article: &Article) -> Measured {
        let feats: Vec<Features> = article
            .blocks
            .iter()
            .map(|b| features::of(&b.text))
            .collect();
        let keys: Vec<String> = article.blocks.iter().map(|b| norm_key(&b.text)).collect();
        let repeat_keys = keys.iter().map(|k| fold_digits(k)).collect();
        let title_key = norm_key(&article.title);
        let stated = stated_source_with(article, &feats, |i| keys[i] == title_key);
        let source_key = source_key_with(article, stated);
        Measured {
            feats,
            keys,
            repeat_keys,
            title_key,
            stated,
            source_key,
        }
    }
}

/// A [`norm_key`] with its ASCII digits written `#`: the block's repeat key
/// (`norm_key_with(text, true)`; only an ASCII digit is written as one in a key).
fn fold_digits(key: &str) -> String {
    if !key.bytes().any(|b| b.is_ascii_digit()) {
        return key.to_string();
    }
    key.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Block;

    #[test]
    fn measured_once_as_each_pass_would_measure() {
        let texts = [
            "Harbour Times",
            "Updated 3 hours ago — 12 comments",
            "İstanbul KELVIN \u{212A} Σ 42x and ½ and ٣ done.",
            "  The board met on Tuesday.  ",
            "",
        ];
        let a = Article {
            title: "Ferry fares rise".into(),
            blocks: texts.iter().map(|t| Block::para(*t)).collect(),
            ..Article::default()
        };
        let m = Measured::of(&a);
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(m.keys[i], norm_key(t));
            assert_eq!(m.repeat_keys[i], super::super::evidence::repeat_key(t));
            assert_eq!(m.feats[i].words, features::of(t).words);
        }
        assert_eq!(m.stated, super::super::shapes::stated_source(&a));
        assert_eq!(m.source_key, super::super::evidence::source_key(&a));
    }
}
