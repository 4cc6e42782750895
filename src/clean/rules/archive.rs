//! Pass 3, archive evidence: another stored story's title, furniture repeated (or
//! nearly) across the stories of one source, never a story's own refrain.

use super::Verdict;
use crate::article::Article;
use crate::clean::evidence::{Fnv, MIN_REPEATS};
use crate::clean::limits::*;
use crate::clean::measure::Measured;
use crate::clean::{Evidence, Kind};
use crate::text::words;

/// Archive evidence: another story's title, or furniture repeated across a source.
/// A block the story itself says more than once (a refrain, a repeated subheading) is
/// the story's own and is never hidden for appearing elsewhere.
/// (`m`: the article's blocks measured.)
pub(super) fn archive_pass(
    article: &Article,
    m: &Measured,
    ev: &Evidence,
    verdicts: &mut [Verdict],
) {
    let stated = m.stated;
    let feats = &m.feats;
    let src_key = &m.source_key;
    let src_name = article
        .source
        .clone()
        .or_else(|| stated.map(|i| article.blocks[i].text.trim().to_string()));
    let keys = &m.repeat_keys;
    let first = verdicts.iter().position(|v| matches!(v, Verdict::Prose));
    let last = verdicts.iter().rposition(|v| matches!(v, Verdict::Prose));
    let inside = |j: usize| first.is_some_and(|s| j > s) && last.is_some_and(|e| j < e);
    // said twice or more inside the story, each time as a quote (a full sentence) or as
    // a heading that a paragraph follows
    let story_like = |j: usize| {
        inside(j)
            && ((feats[j].ends_sentence && feats[j].words >= 4)
                || matches!(verdicts.get(j + 1), Some(Verdict::Prose)))
    };
    // each key's blocks: how many, and whether every one is story-like (counted once,
    // not by comparing every block with every other)
    let mut by_key: std::collections::HashMap<&str, (usize, bool), Fnv> = Default::default();
    for (j, k) in keys.iter().enumerate() {
        let e = by_key.entry(k.as_str()).or_insert((0, true));
        e.0 += 1;
        e.1 &= story_like(j);
    }
    let own_refrain = |i: usize| {
        words(&article.blocks[i].text).any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
            && story_like(i)
            && by_key
                .get(keys[i].as_str())
                .is_some_and(|&(n, all_story_like)| n >= 2 && all_story_like)
    };
    let refrains: Vec<bool> = (0..keys.len()).map(own_refrain).collect();
    // stories of no known source (or a small one) are compared with the whole archive,
    // which may hold many sites: there a line is furniture only when a share of all its
    // stories carry it ("Conclusion", "Pros" and "FAQs" head sections of many stories)
    let min_repeats = if ev.source_is_large(src_key) {
        MIN_REPEATS
    } else {
        MIN_REPEATS.max(ev.stories() / ARCHIVE_SHARE)
    };
    for (i, b) in article.blocks.iter().enumerate() {
        if matches!(verdicts[i], Verdict::Hide(..)) {
            continue;
        }
        if ev.is_other_title_keyed(&m.keys[i], &m.title_key) {
            verdicts[i] = Verdict::Hide(
                Kind::RelatedHeadline,
                "the title of another story in the archive".into(),
            );
            continue;
        }
        if refrains[i] {
            continue;
        }
        let n = ev.repeats_keyed(src_key, &b.text, &keys[i]);
        // long prose repeated across stories is usually a shared paragraph of wire copy;
        // keep the story's own words and hide only furniture-sized repeats
        if n >= min_repeats
            && (feats[i].words <= ARCHIVE_PROSE_MAX_WORDS || !feats[i].ends_sentence)
        {
            let src = match &src_name {
                Some(s) if ev.source_is_large(src_key) => s.as_str(),
                _ => "this archive",
            };
            let kind = if feats[i].words >= ARCHIVE_LIST_MIN_WORDS && !feats[i].ends_sentence {
                Kind::HeadlineList
            } else {
                Kind::Promo
            };
            verdicts[i] = Verdict::Hide(kind, format!("in {n} stories of {src}"));
        }
    }
}
