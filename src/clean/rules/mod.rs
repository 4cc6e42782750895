//! The rules, in passes:
//!
//! 1. intrinsic: what each block is on its own (furniture words, captions and credits,
//!    teaser labels, bylines, copyright, headlines run together, share bars), else prose
//!    or fragment; then the headlines under a list label ("You may also like...");
//! 2. the header: a standfirst the lede repeats, the lone source line (also after a
//!    standfirst, byline or date);
//! 3. archive evidence: another stored story's title, furniture repeated (or nearly) across
//!    the stories of one source, never a story's own refrain;
//! 4. repeats within the article: word-for-word repeats, pull quotes and teasers;
//! 5. context: the story's span (groups of paragraphs split by runs of furniture), and
//!    for each fragment its neighbours: runs of short lines, labels with no paragraph
//!    beside them, subheadings, lines that read as story, other stories' headlines.
//!
//! Files: `mod.rs` (the [`Verdict`], [`decide`] and the header pass), `intrinsic.rs`,
//! `archive.rs`, `repeats.rs`, `context.rs`; the header shapes are in `clean::shapes`,
//! the thresholds in `clean::limits`.

mod archive;
mod context;
mod intrinsic;
mod notes;
mod repeats;

use super::features::{self, sentences};
use super::limits::*;
use super::measure::Measured;
use super::shapes::copyright_holder;
use super::{Cleaned, Evidence, Kind};
use crate::article::Article;
use crate::text::norm_key;
use archive::archive_pass;
use context::context_pass;
use intrinsic::{comments_pass, intrinsic, list_pass, writer_note_pass};
pub(super) use intrinsic::{evidence_of_itself, subscription_note, READER_COMMENT};
use repeats::repeat_pass;

/// Hides whose evidence is the block's own words, which the model (reading no words)
/// may not overrule: these, a time or a date standing alone, a breadcrumb trail, a label
/// over a list of other stories and the headlines under it, a note on the writer under
/// its label.
pub(in crate::clean) const DECISIVE: &[&str] = &[
    notes::SHORTCODE,
    notes::ICON,
    notes::COMMENT_RULE,
    notes::COOKIE,
    notes::CONTRIBUTED_CREDIT,
    notes::CONTACT,
    notes::CITATION,
    notes::ARROW_LINK,
    crate::clean::shapes::STAMP_ALONE,
    crate::clean::shapes::BREADCRUMB,
    intrinsic::LIST_LABEL,
    intrinsic::LIST_ITEM,
    intrinsic::ABOUT_THE_WRITER,
];

/// A verdict before context: hidden with a kind and reason, or a candidate.
#[derive(Debug, Clone)]
enum Verdict {
    /// Decided: hidden as this kind, for this reason.
    Hide(Kind, String),
    /// A full sentence or more: story, unless context says otherwise.
    Prose,
    /// Short and unpunctuated: a subheading inside the story, or a headline outside it.
    Fragment,
}

/// Run every pass over an article.
#[cfg(test)]
pub(super) fn decide(article: &Article, ev: &Evidence) -> Cleaned {
    decide_measured(article, ev, &Measured::of(article))
}

/// Run every pass over an article whose blocks are measured (`m`).
pub(super) fn decide_measured(article: &Article, ev: &Evidence, m: &Measured) -> Cleaned {
    let feats = &m.feats;
    let title_key = &m.title_key;
    let mut verdicts: Vec<Verdict> = article
        .blocks
        .iter()
        .zip(feats)
        .zip(&m.keys)
        .map(|((b, f), k)| intrinsic(&b.text, b.markup, f, k == title_key))
        .collect();

    list_pass(article, feats, &mut verdicts);
    writer_note_pass(article, feats, &mut verdicts);
    comments_pass(article, feats, title_key, &mut verdicts);
    standfirst_pass(article, &mut verdicts);
    let mut out = Cleaned::default();
    let stated = m.stated;
    // hides on the header's shape alone (a lone capitalised line, what stands above it)
    let mut placed = vec![false; verdicts.len()];
    if let Some(k) = stated {
        out.source_line = Some(article.blocks[k].text.trim().to_string());
        verdicts[k] = Verdict::Hide(
            Kind::SourceLine,
            "a lone line naming the publication".into(),
        );
        // the name of a publication with stories of its own in the archive is evidence
        // of what the line is; an unknown capitalised line is a hide on its shape
        placed[k] = !ev.source_is_large(&norm_key(&article.blocks[k].text));
        for (v, p) in verdicts[..k].iter_mut().zip(&mut placed) {
            if matches!(v, Verdict::Prose) {
                *v = Verdict::Hide(Kind::Standfirst, "a summary above the source line".into());
                *p = true;
            }
        }
    }
    archive_pass(article, m, ev, &mut verdicts);
    repeat_pass(article, &m.keys, &mut verdicts);

    context_pass(article, m, &verdicts, &placed, &mut out);
    if out.source_line.is_none() {
        // no source line: the publisher a copyright line names, if the story has one
        out.source_line = out
            .blocks
            .iter()
            .filter(|d| d.kind == Kind::Copyright)
            .find_map(|d| {
                ev.source_named_in(&d.text)
                    .map(str::to_string)
                    .or_else(|| copyright_holder(&d.text))
            });
    }
    out
}

/// A standfirst: the first paragraph above the story whose opening sentence the next
/// paragraph repeats (the lede restates the summary). The lede keeps its words.
fn standfirst_pass(article: &Article, verdicts: &mut [Verdict]) {
    let Some(i) = verdicts.iter().position(|v| matches!(v, Verdict::Prose)) else {
        return;
    };
    let Some(j) = (i + 1..verdicts.len()).find(|&j| matches!(verdicts[j], Verdict::Prose)) else {
        return;
    };
    let first = sentences(&article.blocks[i].text)
        .into_iter()
        .next()
        .map(|s| norm_key(&s))
        .unwrap_or_default();
    let next = norm_key(&article.blocks[j].text);
    if features::word_count(&first) >= STANDFIRST_OPENING_WORDS
        && next.starts_with(&first)
        && j - i <= STANDFIRST_REACH
    {
        verdicts[i] = Verdict::Hide(
            Kind::Standfirst,
            "a summary above the story: the first paragraph repeats its opening".into(),
        );
    }
}

#[cfg(test)]
mod more_tests;
#[cfg(test)]
mod tests;
