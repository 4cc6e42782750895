//! Never lose the story: the last word on every decision the rules and the model made.
//!
//! A block is hidden for what it is, never for where it stands. A hide on the block's own
//! evidence ([`Grounds::Evidence`]: furniture words, a caption or credit, a byline or
//! dateline, a repeat, another story's title, the archive's repeats) stands. A hide on
//! place, shape or the model's reading ([`Grounds::Shape`]) stands only where evidence
//! backs it:
//!
//! - in an unbroken run of hidden blocks holding a block hidden on evidence (the list of
//!   headlines under "Most read", the row of links beside a share bar);
//! - below the story's first sentence, in a story that carries evidence of clutter
//!   somewhere (a scraped page: what trails the story is read by its shape);
//! - never above the story's start on shape alone (place names, a heading or a date that
//!   open a story are not bylines), and never the story's first sentence: the first block
//!   that reads as a sentence is shown unless it is hidden on evidence of its own.
//!
//! So a story in which nothing is clutter on evidence (stored clean: a dataset, a feed's
//! full text, an extracted dump) is shown whole.

use super::features;
use super::model;
use super::{Cleaned, Decision, Grounds, Kind};
use crate::article::Markup;

/// Words a block needs, ending like a sentence, to be read as the story's first sentence.
const LEDE_MIN_WORDS: usize = 4;

/// Words a paragraph between the story's first sentence and the rest of it needs to be
/// read as the story's own.
const OPENING_PARAGRAPH_MIN_WORDS: usize = 12;

/// Most characters of a divider line.
const DIVIDER_MAX_CHARS: usize = 40;

/// Apply the guarantees to an article's decisions.
#[cfg(test)]
pub(super) fn keep_the_story(out: &mut Cleaned) {
    let feats: Vec<features::Features> = out.blocks.iter().map(|d| features::of(&d.text)).collect();
    keep_the_story_with(out, &feats, "");
}

/// [`keep_the_story`] with each block's features (`feats`, by block) measured, for the
/// story titled `title`.
pub(super) fn keep_the_story_with(out: &mut Cleaned, feats: &[features::Features], title: &str) {
    // each block: hidden on evidence of clutter around the story
    let page: Vec<bool> = out
        .blocks
        .iter()
        .zip(feats)
        .map(|(d, f)| of_the_page(d, f))
        .collect();
    let carries_evidence = page.contains(&true);
    // the story's first sentence: the first block that reads as one, unless it is hidden
    // on evidence of its own (it is shown, below)
    let lede = out.blocks.iter().zip(feats).position(|(d, f)| {
        !matches!(d.grounds, Grounds::Evidence | Grounds::Empty) && reads_as_sentence(d, f)
    });
    let beside = supported_by_evidence(&out.blocks, &page, lede);
    for (i, (d, beside)) in out.blocks.iter_mut().zip(beside).enumerate() {
        // the first sentence itself is judged below
        if d.grounds != Grounds::Shape || lede == Some(i) {
            continue;
        }
        // below the story's start, clutter found anywhere in the story backs a hide on
        // shape (the rest of a "most read" list, a row of links after the share bar);
        // above it (where a story opens with its place names, a heading, a date) only
        // clutter beside the block does
        let below_the_start = lede.is_some_and(|l| i > l);
        // above the story's start, the evidence must stand between the block and the
        // story: a heading just above the first sentence, under a byline, opens the story
        // (a lone source line, found among the header's lines, is the header's own)
        let beside = beside.0 && (below_the_start || beside.1 || d.kind == Kind::SourceLine);
        if !(beside || (carries_evidence && below_the_start)) {
            let why = if carries_evidence {
                "hidden for its place or shape alone, above the story's start with no evidence of clutter beside it"
            } else {
                "nothing in this story is clutter on evidence, so nothing is hidden for its place or shape"
            };
            restore(d, why);
        }
    }
    if !carries_evidence {
        // a divider ("* * *", "___") of a story with no clutter is the story's own
        for d in out.blocks.iter_mut().filter(|d| is_divider(d)) {
            restore(
                d,
                "a divider of the story, in which nothing is clutter on evidence",
            );
        }
    }
    // a headline set just above the story's first paragraph of prose (as the model reads
    // prose) that speaks of what the title does heads the story, whatever lines that read
    // as sentences (a newsletter's "Watch this on YouTube", a promo's slogan) stand above
    // it: taken for another story's headline on its shape alone, it is shown
    let prose = (0..out.blocks.len()).find(|&j| out.blocks[j].shown && model::is_prose(&feats[j]));
    if let Some(p) = prose.filter(|&p| p > 0) {
        let d = &mut out.blocks[p - 1];
        if d.grounds == Grounds::Shape
            && d.kind == Kind::RelatedHeadline
            && speaks_of(title, &d.text)
        {
            restore(
                d,
                "a headline just above the story's first paragraph, hidden on no evidence of its own",
            );
        }
    }
    let Some(lede) = lede else {
        return;
    };
    let d = &mut out.blocks[lede];
    if d.grounds == Grounds::Shape {
        restore(
            d,
            if carries_evidence {
                "the story's first sentence, hidden on no evidence of its own"
            } else {
                "nothing in this story is clutter on evidence, so nothing is hidden for its place or shape"
            },
        );
    }
    // the story has started at its first sentence: a paragraph between it and the rest
    // of the story (a table or a share bar between them) is the story's, unless hidden
    // on evidence of its own
    let rest = (lede + 1..out.blocks.len())
        .find(|&j| out.blocks[j].shown)
        .unwrap_or(lede + 1);
    let between = out.blocks.iter_mut().zip(feats).take(rest).skip(lede + 1);
    for (d, f) in between {
        if d.grounds == Grounds::Shape
            && reads_as_sentence(d, f)
            && f.words >= OPENING_PARAGRAPH_MIN_WORDS
        {
            restore(
                d,
                "a paragraph between the story's first sentence and the rest of it, hidden on no evidence of its own",
            );
        }
    }
}

/// For each block, does a hide on its shape have evidence beside it: is it in an unbroken
/// run of hidden blocks that holds a block hidden on evidence (the "Most read" heading
/// above a list of headlines, the share bar beside a row of links)? A story in which
/// nothing is clutter on evidence is then shown whole.
///
/// Each block gets (the run holds evidence, evidence stands in the run after the block
/// and above the story's first sentence, `lede`). (`page`: [`of_the_page`], by block.)
fn supported_by_evidence(
    blocks: &[Decision],
    page: &[bool],
    lede: Option<usize>,
) -> Vec<(bool, bool)> {
    let mut out = vec![(false, false); blocks.len()];
    let mut i = 0;
    while i < blocks.len() {
        if blocks[i].shown {
            i += 1;
            continue;
        }
        let end = (i..blocks.len())
            .find(|&j| blocks[j].shown)
            .unwrap_or(blocks.len());
        let evidence = page[i..end].contains(&true);
        let mut after = false;
        for j in (i..end).rev() {
            out[j] = (evidence, after);
            // evidence between a block and the story's first sentence
            after |= page[j] && lede.is_none_or(|l| j < l);
        }
        i = end;
    }
    out
}

/// Letters a word needs to say what a text is about (not "the", "for", "and").
const SUBJECT_WORD_CHARS: usize = 4;

/// Does `text` speak of what `title` does: does it hold at least two of the title's
/// words of [`SUBJECT_WORD_CHARS`] letters or more, and a third of them?
fn speaks_of(title: &str, text: &str) -> bool {
    let subject = |t: &str| -> Vec<String> {
        let mut ws: Vec<String> = crate::text::words(t)
            .filter(|w| w.chars().count() >= SUBJECT_WORD_CHARS)
            .map(str::to_lowercase)
            .collect();
        ws.sort_unstable();
        ws.dedup();
        ws
    };
    let (title, text) = (subject(title), subject(text));
    let shared = title
        .iter()
        .filter(|w| text.binary_search(w).is_ok())
        .count();
    shared >= 2 && 3 * shared >= title.len()
}

/// A line of marks with no words between a story's parts ("* * *", "___", "—").
fn is_divider(d: &Decision) -> bool {
    let t = d.text.trim();
    d.grounds == Grounds::Empty
        && !t.is_empty()
        && t.chars().count() <= DIVIDER_MAX_CHARS
        && !t.chars().any(char::is_alphanumeric)
}

/// Is the block hidden on evidence of page clutter around the story? A picture's caption
/// or credit, a note on what the site earns from its links, a shop's button and a credit
/// to the story's contributors are evidence of themselves only: stories stored clean
/// keep theirs.
/// (`f`: the block's features.)
fn of_the_page(d: &Decision, f: &features::Features) -> bool {
    d.grounds == Grounds::Evidence
        && d.kind != Kind::Caption
        && !(matches!(d.kind, Kind::Promo | Kind::Byline)
            && super::rules::evidence_of_itself(&d.text, f))
}

/// Does the block read as a sentence (the kind of block a story opens with)?
/// (`f`: the block's features.)
fn reads_as_sentence(d: &Decision, f: &features::Features) -> bool {
    // a heading reads as a sentence only when it ends like one (a standfirst set as a
    // heading: "The retailer earned $2.8 billion in the third quarter.")
    if d.markup == Markup::Heading {
        return f.words >= LEDE_MIN_WORDS && f.ends_sentence;
    }
    f.words >= LEDE_MIN_WORDS && (f.ends_sentence || f.inner_breaks >= 1)
}

/// Show a block hidden on its shape alone, saying what it was taken for.
fn restore(d: &mut Decision, why: &str) {
    d.reason = format!(
        "shown: {why} (by its place or shape alone it read as {}: {})",
        d.kind.as_str(),
        d.reason
    );
    d.kind = Kind::Story;
    d.shown = true;
    d.grounds = Grounds::Shown;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str, grounds: Grounds) -> Decision {
        Decision {
            text: text.into(),
            markup: Markup::Paragraph,
            kind: if grounds == Grounds::Shown {
                Kind::Story
            } else {
                Kind::Clutter
            },
            shown: grounds == Grounds::Shown,
            reason: "test".into(),
            grounds,
        }
    }

    fn shown(out: &Cleaned) -> Vec<bool> {
        out.blocks.iter().map(|d| d.shown).collect()
    }

    #[test]
    fn a_story_without_evidence_of_clutter_is_shown_whole() {
        let mut out = Cleaned {
            blocks: vec![
                block(
                    "Heavy snow closed more than 200 schools on Monday.",
                    Grounds::Shape,
                ),
                block("Forecasters expect more snow overnight.", Grounds::Shown),
                block("Results", Grounds::Shape),
                block("", Grounds::Empty),
            ],
            ..Cleaned::default()
        };
        keep_the_story(&mut out);
        assert_eq!(shown(&out), [true, true, true, false]);
        assert!(out.blocks[0]
            .reason
            .contains("nothing in this story is clutter"));
        assert!(out.blocks[0].reason.contains("clutter: test"));
    }

    #[test]
    fn the_first_sentence_is_shown_unless_evidence_hides_it() {
        let mut out = Cleaned {
            blocks: vec![
                block("Menu", Grounds::Shape),
                block("Photo: Jane Roe/Coast Agency.", Grounds::Evidence),
                block(
                    "The new rules take effect on 1 April. Here is what changes.",
                    Grounds::Shape,
                ),
                block("A second paragraph the model hid.", Grounds::Shape),
            ],
            ..Cleaned::default()
        };
        keep_the_story(&mut out);
        // evidence elsewhere: shape hides stand, but not the first sentence's
        assert_eq!(shown(&out), [false, false, true, false]);
        assert!(out.blocks[2].reason.contains("first sentence"));
    }

    #[test]
    fn a_heading_above_the_first_sentence_needs_evidence_below_it() {
        let mut out = Cleaned {
            blocks: vec![
                block("Menu", Grounds::Shape),
                block("By Jo Doe | May 6, 2025", Grounds::Evidence),
                block("What this handout is about", Grounds::Shape),
                block(
                    "Fares across the harbour will rise in April.",
                    Grounds::Shown,
                ),
            ],
            ..Cleaned::default()
        };
        keep_the_story(&mut out);
        // the menu has the byline between it and the story; the heading has nothing
        assert_eq!(shown(&out), [false, false, true, true]);
        assert!(out.blocks[2].reason.contains("above the story's start"));
    }

    #[test]
    fn a_headline_on_the_titles_subject_above_the_first_paragraph_heads_the_story() {
        let prose = "The harbour board voted on Tuesday to raise ferry fares by ten per cent from April, the first rise in six years, saying fuel and crew costs had both doubled since the last review.";
        let story = |heading: &str| {
            let mut h = block(heading, Grounds::Shape);
            h.kind = Kind::RelatedHeadline;
            Cleaned {
                blocks: vec![
                    block("Watch this newsletter on YouTube now.", Grounds::Shown),
                    block("Sign up for our newsletter", Grounds::Evidence),
                    h,
                    block(prose, Grounds::Shown),
                ],
                ..Cleaned::default()
            }
        };
        let run = |mut out: Cleaned| {
            let feats: Vec<_> = out.blocks.iter().map(|d| features::of(&d.text)).collect();
            keep_the_story_with(&mut out, &feats, "Harbour ferry fares rise again");
            out
        };
        let ours = run(story("What the new ferry fares mean for you"));
        assert_eq!(shown(&ours), [true, false, true, true]);
        assert!(ours.blocks[2].reason.contains("first paragraph"));
        // another story's headline there stays hidden
        let other = run(story("Council names new harbour master"));
        assert_eq!(shown(&other), [true, false, false, true]);
    }

    #[test]
    fn a_standfirst_set_as_a_heading_is_the_first_sentence() {
        let mut dek = block(
            "The retailer earned $2.8 billion in the third quarter.",
            Grounds::Shape,
        );
        dek.markup = Markup::Heading;
        let mut out = Cleaned {
            blocks: vec![
                block("Published 1 day ago", Grounds::Shape),
                dek,
                block(
                    "The company reported earnings that topped estimates.",
                    Grounds::Shown,
                ),
                // evidence below the story's start backs nothing above it
                block("Continue reading below", Grounds::Evidence),
            ],
            ..Cleaned::default()
        };
        keep_the_story(&mut out);
        assert_eq!(shown(&out), [true, true, true, false]);
    }

    #[test]
    fn a_paragraph_between_the_first_sentence_and_the_rest_is_the_storys() {
        let para = "The company reported quarterly earnings that topped estimates as revenue fell short of what analysts expected.";
        let mut out = Cleaned {
            blocks: vec![
                block(
                    "The retailer earned $2.8 billion in the quarter.",
                    Grounds::Shown,
                ),
                // hidden for being cut off from the story by a table
                block(para, Grounds::Shape),
                block("Continue reading below", Grounds::Evidence),
                block("Ticker", Grounds::Shape),
                block("Change %", Grounds::Shape),
                block(
                    "Its shares fell 5 per cent in early trading on Tuesday.",
                    Grounds::Shown,
                ),
                // below the rest of the story, a hide on shape stands in a scraped page
                block(para, Grounds::Shape),
            ],
            ..Cleaned::default()
        };
        keep_the_story(&mut out);
        assert_eq!(shown(&out), [true, true, false, false, false, true, false]);
        assert!(out.blocks[1]
            .reason
            .contains("between the story's first sentence"));
    }

    #[test]
    fn a_divider_is_hidden_only_in_a_story_that_carries_clutter() {
        let story = |first: Grounds| Cleaned {
            blocks: vec![
                block("Share this story", first),
                block(
                    "Fares across the harbour will rise in April.",
                    Grounds::Shown,
                ),
                block("* * *", Grounds::Empty),
                block("The ferry company said costs had doubled.", Grounds::Shown),
            ],
            ..Cleaned::default()
        };
        let mut clean = story(Grounds::Shown);
        keep_the_story(&mut clean);
        assert_eq!(shown(&clean), [true, true, true, true]);
        let mut scraped = story(Grounds::Evidence);
        keep_the_story(&mut scraped);
        assert_eq!(shown(&scraped), [false, true, false, true]);
    }

    #[test]
    fn a_first_sentence_hidden_on_evidence_stays_hidden() {
        let mut out = Cleaned {
            blocks: vec![
                block("Sign up for our newsletter today.", Grounds::Evidence),
                block(
                    "Fares across the harbour will rise in April.",
                    Grounds::Shown,
                ),
            ],
            ..Cleaned::default()
        };
        let before = out.clone();
        keep_the_story(&mut out);
        assert_eq!(out, before);
    }
}
