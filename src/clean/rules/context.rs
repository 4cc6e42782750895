//! Pass 5, context: the story's span (groups of paragraphs split by runs of furniture),
//! and for each fragment its neighbours: runs of short lines, labels with no paragraph
//! beside them, subheadings, lines that read as story, other stories' headlines.

use super::Verdict;
use crate::article::{Article, Markup};
use crate::clean::features::Features;
use crate::clean::limits::*;
use crate::clean::measure::Measured;
use crate::clean::shapes::is_dateline;
use crate::clean::{Cleaned, Decision, Grounds, Kind};
use crate::text::words;

/// Where the story is: from the first to the last paragraph of prose. Outside it,
/// fragments are page furniture; inside it, short fragments are subheadings and
/// headline-length ones are other stories' headlines.
pub(super) fn context_pass(
    article: &Article,
    m: &Measured,
    verdicts: &[Verdict],
    placed: &[bool],
    out: &mut Cleaned,
) {
    let feats = &m.feats;
    let span = story_span(feats, verdicts);
    let first = span.map(|s| s.0);
    let last = span.map(|s| s.1);
    let n = verdicts.len();
    let short_run = short_runs(feats, verdicts);
    let prose_at = |j: usize| {
        verdicts.get(j).is_some_and(|v| matches!(v, Verdict::Prose))
            && feats[j].words >= NEIGHBOUR_PROSE_WORDS
    };
    for i in 0..n {
        let b = &article.blocks[i];
        let f = &feats[i];
        let (kind, shown, reason) = match &verdicts[i] {
            Verdict::Hide(k, r) => (*k, false, r.clone()),
            Verdict::Prose if span.is_some_and(|(s, e)| i < s || i > e) => (
                Kind::Promo,
                false,
                format!(
                    "a paragraph {} the story, cut off from it by {GAP} or more lines that are not prose",
                    if first.is_some_and(|s| i < s) { "above" } else { "below" }
                ),
            ),
            Verdict::Prose => (Kind::Story, true, "a paragraph of the story".to_string()),
            Verdict::Fragment => {
                let before = first.is_none_or(|s| i < s);
                let after = last.is_none_or(|e| i > e);
                if before {
                    if is_dateline(b.text.trim(), f) {
                        (
                            Kind::Byline,
                            false,
                            "a date on a line of its own above the story: a dateline".into(),
                        )
                    } else if summary_in_voice(b.text.trim(), f) {
                        (
                            Kind::Story,
                            true,
                            "a clause in the writer's voice above the story: its summary, not a byline or another story's headline".into(),
                        )
                    } else if f.words <= HEADER_LINE_MAX_WORDS {
                        (
                            Kind::Byline,
                            false,
                            "a short line above the story: byline, dateline or section".into(),
                        )
                    } else {
                        (
                            Kind::RelatedHeadline,
                            false,
                            "a headline-like line before the story starts".into(),
                        )
                    }
                } else if after {
                    (
                        Kind::RelatedHeadline,
                        false,
                        "a headline-like line after the story ends".into(),
                    )
                } else if f.words <= LABEL_MAX_WORDS
                    && !prose_at(i.wrapping_sub(1))
                    && !prose_at(i + 1)
                    && b.markup != Markup::Heading
                {
                    (
                        Kind::Promo,
                        false,
                        "a word or two with no paragraph on either side: a label, a menu item or a table cell"
                            .into(),
                    )
                } else if short_run[i] >= SHORT_RUN {
                    (
                        Kind::Promo,
                        false,
                        format!(
                            "one of {} short lines in a row: navigation, a table or a list of links",
                            short_run[i]
                        ),
                    )
                } else if b.markup == Markup::Heading || is_subheading(&b.text, f) {
                    (
                        Kind::Subheading,
                        true,
                        "a short heading inside the story".into(),
                    )
                } else if let Some(why) = inline_story_line(article, feats, verdicts, i) {
                    (Kind::Story, true, why.into())
                } else {
                    (
                        Kind::RelatedHeadline,
                        false,
                        "a headline between story paragraphs, with no sentence end".into(),
                    )
                }
            }
        };
        let grounds = match &verdicts[i] {
            _ if shown => Grounds::Shown,
            Verdict::Hide(..) if placed[i] => Grounds::Shape,
            Verdict::Hide(..) if f.words == 0 || m.keys[i] == m.title_key => Grounds::Empty,
            Verdict::Hide(..) => Grounds::Evidence,
            // a dateline's shape is evidence of what it is
            Verdict::Fragment if first.is_none_or(|s| i < s) && is_dateline(b.text.trim(), f) => {
                Grounds::Evidence
            }
            _ => Grounds::Shape,
        };
        if kind == Kind::Byline && out.byline.is_none() {
            let t = b.text.trim();
            if let Some(name) = t.strip_prefix("By ").or_else(|| t.strip_prefix("by ")) {
                out.byline = byline_name(name);
            }
        }
        out.blocks.push(Decision {
            text: b.text.clone(),
            markup: b.markup,
            kind,
            shown,
            reason,
            grounds,
        });
    }
}

/// Why a line without a full stop between story paragraphs belongs to the story rather
/// than being another story's headline, if it does: a paragraph ending with a colon
/// introduces it (a list), it starts in lower case (it continues a sentence), it carries
/// an address or a handle (an embedded post), or it has a comma and no headline-style
/// attribution at its end ("...: Name").
fn inline_story_line(
    article: &Article,
    feats: &[Features],
    verdicts: &[Verdict],
    i: usize,
) -> Option<&'static str> {
    let t = article.blocks[i].text.trim();
    // the paragraph above the run of lines this one belongs to
    let mut p = i;
    while p > 0 && matches!(verdicts[p - 1], Verdict::Fragment) {
        p -= 1;
    }
    if p > 0 && feats[p - 1].ends_colon {
        return Some("a line of a list that the paragraph above introduces with a colon");
    }
    if t.starts_with(|c: char| c.is_lowercase()) {
        return Some("starts in lower case: it continues a sentence");
    }
    if t.contains('@') || t.contains("http") || t.contains("www.") {
        return Some("carries an address or a handle: an embedded post");
    }
    if words(t).count() >= INLINE_PROSE_MIN_WORDS {
        return Some("longer than a headline");
    }
    if words(t)
        .next()
        .is_some_and(|w| FIRST_PERSON.contains(&w.replace('’', "'").as_str()))
    {
        return Some("speaks as the writer or to the reader, as another story's headline does not");
    }
    if t.contains(',') && !ends_with_attribution(t) {
        return Some("a clause with a comma, not a headline");
    }
    if is_qa_line(t) {
        return Some("a question or an answer of a Q&A (\"Q:\", \"A:\")");
    }
    None
}

/// A line of an interview set as questions and answers: "Q:" or "A:" (or "Q." and "A.")
/// and a space before the words.
fn is_qa_line(t: &str) -> bool {
    ["Q: ", "A: ", "Q. ", "A. "]
        .iter()
        .any(|m| t.starts_with(m))
}

/// A summary under the title in the writer's voice or the reader's: it opens with "Our",
/// "We", "You"... and runs on past a comma ("Our favorites are easy to use, clean
/// thoroughly, and have great accessories"). A label in that voice ("Our picks") is short.
fn summary_in_voice(t: &str, f: &Features) -> bool {
    f.words >= SUMMARY_IN_VOICE_MIN_WORDS
        && t.contains(',')
        && words(t)
            .next()
            .is_some_and(|w| FIRST_PERSON.contains(&w.replace('’', "'").as_str()))
}

/// Words opening a line in the writer's own voice or addressing the reader.
const FIRST_PERSON: &[&str] = &[
    "I", "I'm", "I've", "My", "We", "We're", "Our", "You", "You'll", "You're", "Your",
];

/// A headline that ends by naming who said it: "Fares must rise: board chair".
fn ends_with_attribution(t: &str) -> bool {
    t.rsplit_once(':').is_some_and(|(_, who)| {
        let n = words(who).count();
        (1..=3).contains(&n) && who.trim_start().starts_with(|c: char| c.is_uppercase())
    })
}

/// The story's first and last paragraph. Paragraphs fall into groups separated by
/// [`GAP`] or more lines of furniture in a row (hidden blocks, lines of one to three
/// words); longer lines without a full stop (list items, subheadings) bridge the gap.
/// The group with the most words is the story's core; the story starts at the first
/// group above it holding [`INTRO_WORDS`] or more, and a group below joins when it holds at least a fifth as many words as the story
/// so far. Groups further down (a teaser's summary, a comment, an author's note under a
/// menu) are outside the story.
fn story_span(feats: &[Features], verdicts: &[Verdict]) -> Option<(usize, usize)> {
    // groups: (first, last, words)
    let mut groups: Vec<(usize, usize, usize)> = Vec::new();
    let mut furniture = 0;
    for (i, v) in verdicts.iter().enumerate() {
        match v {
            Verdict::Prose => {
                match groups.last_mut() {
                    Some(g) if furniture < GAP => {
                        g.1 = i;
                        g.2 += feats[i].words;
                    }
                    _ => groups.push((i, i, feats[i].words)),
                }
                furniture = 0;
            }
            Verdict::Fragment if feats[i].words > SPAN_FURNITURE_MAX_WORDS => furniture = 0,
            _ => furniture += 1,
        }
    }
    let core = (0..groups.len()).max_by_key(|&g| groups[g].2)?;
    let (mut a, mut b) = (core, core);
    let mut words = groups[core].2;
    // above the core, the story starts at the first group of some substance: an
    // introduction set apart by a table or a list of contents is still the story's own,
    // a stray line of prose in the page header is not
    if let Some(top) = (0..core).find(|&g| groups[g].2 >= INTRO_WORDS) {
        a = top;
        words += groups[top..core].iter().map(|g| g.2).sum::<usize>();
    }
    while b + 1 < groups.len() && groups[b + 1].2 * SPAN_JOIN_SHARE >= words {
        b += 1;
        words += groups[b].2;
    }
    Some((groups[a].0, groups[b].1))
}

/// For each fragment, the length of the run of short fragments (five words or fewer)
/// it belongs to; 0 for other blocks.
fn short_runs(feats: &[Features], verdicts: &[Verdict]) -> Vec<usize> {
    let short = |i: usize| {
        matches!(verdicts[i], Verdict::Fragment) && feats[i].words <= SHORT_LINE_MAX_WORDS
    };
    let mut out = vec![0; verdicts.len()];
    let mut i = 0;
    while i < verdicts.len() {
        if !short(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < verdicts.len() && short(j) {
            j += 1;
        }
        out[i..j].iter_mut().for_each(|x| *x = j - i);
        i = j;
    }
    out
}

/// A subheading: a few words, no sentence end.
fn is_subheading(text: &str, f: &Features) -> bool {
    // a crosshead in capitals ("LOOK WHAT YOU MADE ME DO") may run a little longer
    let capitals = text.chars().any(char::is_uppercase) && !text.chars().any(char::is_lowercase);
    f.words <= SUBHEADING_MAX_WORDS || (capitals && f.words <= CAPITAL_SUBHEADING_MAX_WORDS)
}

/// The names of a byline, without the stamp that may follow them ("Jo Doe | May 6",
/// "Jo Doe on Monday, November 18th, 2019 at 11:08 a.m.", "Jo Doe - 06:56 AM EST").
fn byline_name(after_by: &str) -> Option<String> {
    let cut = [" | ", " • ", " · ", " - ", " – ", " — ", " on ", " at "]
        .iter()
        .filter_map(|sep| after_by.find(sep))
        .min()
        .unwrap_or(after_by.len());
    let name = after_by[..cut].trim().trim_end_matches(',');
    (!name.is_empty()).then(|| name.to_string())
}
