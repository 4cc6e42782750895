//! The rules, in passes:
//!
//! 1. intrinsic: what each block is on its own (furniture words, captions and credits,
//!    teaser labels, bylines, copyright, headlines run together), else prose or fragment;
//! 2. the header: a standfirst the lede repeats, the lone source line (also after a
//!    standfirst, byline or date);
//! 3. archive evidence: another stored story's title, furniture repeated (or nearly) across
//!    the stories of one source, never a story's own refrain;
//! 4. repeats within the article: word-for-word repeats, pull quotes and teasers;
//! 5. context: the story's span (groups of paragraphs split by runs of furniture), and
//!    for each fragment its neighbours: runs of short lines, labels with no paragraph
//!    beside them, subheadings, lines that read as story, other stories' headlines.

use super::evidence::{Fnv, MIN_REPEATS};
use super::features::{self, sentences, Features};
use super::{Cleaned, Decision, Evidence, Grounds, Kind};
use crate::article::{Article, Markup};
use crate::text::{norm_key, words};

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
pub(super) fn decide(article: &Article, ev: &Evidence) -> Cleaned {
    let feats: Vec<Features> = article
        .blocks
        .iter()
        .map(|b| features::of(&b.text))
        .collect();
    let title_key = norm_key(&article.title);
    let mut verdicts: Vec<Verdict> = article
        .blocks
        .iter()
        .zip(&feats)
        .map(|(b, f)| intrinsic(&b.text, b.markup, f, &title_key))
        .collect();

    standfirst_pass(article, &mut verdicts);
    let mut out = Cleaned::default();
    let stated = stated_source(article);
    // hides on the header's shape alone (a lone capitalised line, what stands above it)
    let mut placed = vec![false; verdicts.len()];
    if let Some(k) = stated {
        out.source_line = Some(article.blocks[k].text.trim().to_string());
        verdicts[k] = Verdict::Hide(
            Kind::SourceLine,
            "a lone line naming the publication".into(),
        );
        placed[k] = true;
        for (v, p) in verdicts[..k].iter_mut().zip(&mut placed) {
            if matches!(v, Verdict::Prose) {
                *v = Verdict::Hide(Kind::Standfirst, "a summary above the source line".into());
                *p = true;
            }
        }
    }
    archive_pass(article, stated, ev, &feats, &mut verdicts);
    repeat_pass(article, &mut verdicts);

    context_pass(article, &feats, &verdicts, &placed, &title_key, &mut out);
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

/// The lone source line among the blocks above the story, if there is one: the first
/// block naming a publication, with only a standfirst, bylines or dates above it.
pub(super) fn stated_source(article: &Article) -> Option<usize> {
    // a header line: a standfirst (first block, a full sentence), a byline or a date
    let header = |i: usize| -> bool {
        let t = article.blocks[i].text.trim();
        let f = features::of(t);
        is_byline(t, &f)
            || is_dateline(t, &f)
            || norm_key(t) == norm_key(&article.title)
            || (i == 0 && f.ends_sentence && f.words >= 8)
    };
    // the line after it must start the story or be another header line, so that a run
    // of navigation links ("Home", "Contact") is never taken for a publication
    let story_or_header = |i: usize| -> bool {
        article.blocks.get(i).is_some_and(|b| {
            let f = features::of(&b.text);
            header(i) || (f.ends_sentence && f.words >= 8)
        })
    };
    for (i, b) in article.blocks.iter().enumerate().take(6) {
        let f = features::of(&b.text);
        // under a paragraph, a single capitalised word is more likely a subheading
        let under_prose = i > 0 && features::of(&article.blocks[i - 1].text).ends_sentence;
        let lone_word_under_prose = under_prose && f.words < 2;
        if looks_like_source(&b.text, &f)
            && !is_byline(&b.text, &f)
            && !is_furniture_line(&b.text)
            && !lone_word_under_prose
        {
            return story_or_header(i + 1).then_some(i);
        }
        if !header(i) {
            return None;
        }
    }
    None
}

/// A date or a time on its own line: a date we can read, or a short line that is mostly
/// digits ("2021年4月18日 12:05", "09/12/2019 08:15").
fn is_dateline(t: &str, f: &Features) -> bool {
    if f.words > 8 {
        return false;
    }
    if crate::text::find_date(t).is_some() {
        return true;
    }
    let alnum = t.chars().filter(|c| c.is_alphanumeric()).count();
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    digits >= 4 && digits * 5 >= alnum * 2
}

/// The publisher a copyright line names: "© 2020 Harbour Times Ltd. All rights
/// reserved." gives "Harbour Times".
pub(super) fn copyright_holder(t: &str) -> Option<String> {
    let t = t.trim();
    let rest = t
        .strip_prefix('©')
        .or_else(|| t.strip_prefix("(c)"))
        .or_else(|| t.strip_prefix("(C)"))
        .or_else(|| t.strip_prefix("Copyright"))?;
    let rest = rest.trim_start_matches(|c: char| {
        c.is_ascii_digit() || c.is_whitespace() || matches!(c, '©' | '-' | '–' | ',')
    });
    let cut = ["All rights reserved", "all rights reserved", ". ", "|"]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .unwrap_or(rest.len());
    let mut name = rest[..cut]
        .trim()
        .trim_end_matches(['.', ','])
        .trim()
        .to_string();
    for suffix in [" Ltd", " Limited", " Inc", " LLC", " plc", " GmbH", " Co"] {
        if let Some(n) = name.strip_suffix(suffix) {
            name = n.trim_end_matches([',', ' ']).to_string();
        }
    }
    let n = words(&name).count();
    ((1..=6).contains(&n) && name.starts_with(|c: char| c.is_alphabetic())).then_some(name)
}

/// "By" and a name: a byline, not a sentence.
fn is_byline(t: &str, f: &Features) -> bool {
    f.words <= 8
        && f.words >= 2
        && !f.ends_sentence
        && words(t)
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("by"))
}

/// A short line of furniture words only ("Home", "Menu").
fn is_furniture_line(text: &str) -> bool {
    let lw: Vec<String> = words(text).map(|w| w.to_lowercase()).collect();
    PROMO_MARKERS.iter().any(|m| has_phrase(&lw, m)) || furniture_only(&lw).is_some()
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
    if features::word_count(&first) >= 4 && next.starts_with(&first) && j - i <= 5 {
        verdicts[i] = Verdict::Hide(
            Kind::Standfirst,
            "a summary above the story: the first paragraph repeats its opening".into(),
        );
    }
}

/// Phrases that mark a short line as page furniture whatever the site and wherever they
/// stand in it: sharing, subscribing, advertising, navigation. Matched as whole words.
const PROMO_MARKERS: &[&str] = &[
    "subscribe",
    "newsletter",
    "newsletters",
    "sign up",
    "signup",
    "log in",
    "advertisement",
    "read more",
    "continue reading",
    "click here",
    "follow us",
    "download the app",
    "most read",
    "most viewed",
    "most shared",
    "more stories",
    "you might also like",
    "you may also like",
    "privacy policy",
    "terms of use",
    "skip to",
];

/// Words that are page furniture only in a line made of nothing else ("Share", "Home |
/// News", "12 comments", "Watch video"): each is an everyday word of a story's own lines
/// too ("Market share: 12 %", "Where to watch", "9. At-home equipment").
const FURNITURE_WORDS: &[&str] = &[
    "share",
    "shares",
    "shared",
    "tweet",
    "facebook",
    "twitter",
    "whatsapp",
    "linkedin",
    "pinterest",
    "instagram",
    "youtube",
    "email",
    "mail",
    "subscription",
    "subscribers",
    "login",
    "register",
    "advertising",
    "sponsored",
    "ad",
    "ads",
    "comments",
    "comment",
    "related",
    "trending",
    "recommended",
    "popular",
    "latest",
    "top",
    "watch",
    "video",
    "videos",
    "listen",
    "audio",
    "podcast",
    "print",
    "menu",
    "home",
    "search",
    "cookie",
    "cookies",
    "save",
    "saved",
    "copy",
    "link",
    "next",
    "previous",
    "prev",
    "back",
    "more",
    "view",
    "views",
    "all",
    "show",
    "hide",
    "close",
    "open",
    "reply",
    "replies",
    "like",
    "likes",
    "follow",
    "followers",
    "story",
    "stories",
    "article",
    "articles",
    "news",
    "page",
    "photo",
    "photos",
    "gallery",
    "image",
    "images",
    "now",
    "here",
    "this",
    "the",
    "on",
    "to",
    "us",
    "our",
    "a",
    "an",
    "and",
    "or",
    "for",
    "of",
    "in",
    "with",
    "via",
    "from",
    "up",
    "out",
    "it",
    "your",
    "you",
];

/// A line made of furniture words only, with at least one that is not a small word of
/// every sentence ("Share this article", "Home", "Comments (12)"), and the first of them.
fn furniture_only(lower_words: &[String]) -> Option<&'static str> {
    const SMALL: &[&str] = &[
        "now", "here", "this", "the", "on", "to", "us", "our", "a", "an", "and", "or", "for", "of",
        "in", "with", "via", "from", "up", "out", "it", "your", "you", "all", "more",
    ];
    let mut found = None;
    for w in lower_words {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() || w.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let known = FURNITURE_WORDS.iter().find(|m| **m == w)?;
        if found.is_none() && !SMALL.contains(known) {
            found = Some(*known);
        }
    }
    found
}

/// Words that make even a full sentence page furniture when the sentence is short:
/// sign-up boxes, cookie notices, comment forms.
const FURNITURE_SENTENCE_MARKERS: &[&str] = &[
    "subscribe",
    "subscription",
    "newsletter",
    "newsletters",
    "sign up",
    "signing up",
    "inbox",
    "cookie",
    "cookies",
    "log in",
    "logged in",
    "privacy policy",
    "terms of use",
    "terms of service",
    "leave a comment",
    "follow us",
];

/// Does a line address the reader, as a sign-up box, a cookie notice or a comment form
/// does ("Sign up for our newsletter", "We use cookies to give you...")? A story's own
/// sentence about a newsletter or a subscription reports; it does not ask.
fn speaks_to_the_reader(lower_words: &[String]) -> bool {
    const ADDRESS: &[&str] = &[
        "you", "your", "you're", "you'll", "our", "we", "we're", "us",
    ];
    const ASKS: &[&str] = &[
        "subscribe",
        "sign",
        "log",
        "register",
        "follow",
        "leave",
        "get",
        "join",
    ];
    lower_words
        .first()
        .is_some_and(|w| ASKS.contains(&w.as_str()))
        || lower_words.iter().any(|w| {
            ADDRESS.contains(
                &w.replace('’', "'")
                    .trim_matches(|c: char| !c.is_alphanumeric() && c != '\''),
            )
        })
}

/// Headings of lists of other stories; a long unpunctuated block opening with one is
/// that list run together.
const LIST_HEADINGS: &[&str] = &[
    "most read",
    "most popular",
    "most viewed",
    "most shared",
    "trending",
    "related",
    "related stories",
    "recommended",
    "more from",
    "more stories",
    "top stories",
    "latest news",
    "you may also like",
    "you might also like",
];

fn starts_with_phrase(lower_words: &[String], phrase: &str) -> bool {
    let p: Vec<&str> = phrase.split(' ').collect();
    lower_words.len() >= p.len() && lower_words.iter().zip(&p).all(|(a, b)| a == b)
}

/// Words that start or mark a caption or a picture credit.
const CAPTION_MARKERS: &[&str] = &[
    "photo",
    "photograph",
    "photos",
    "image",
    "images",
    "picture",
    "pictured",
    "credit",
    "file photo",
    "illustration",
    "caption",
    "gallery",
];

/// Does a line opening with a caption word read as a caption's label ("Photo: ...",
/// "Image credit: Jane Roe", "Picture by Jane Roe/Coast Agency") rather than a line of
/// the story that happens to start with the word ("Credit never expires")?
fn caption_label(t: &str) -> bool {
    // "Photo: ...", "Image credit: ...": the label before a colon is a word or three
    let label = t.split_once(':').is_some_and(|(head, _)| {
        (1..=3).contains(&words(head).count())
            && words(head).all(|w| {
                let w = w.to_lowercase();
                CAPTION_MARKERS.contains(&w.as_str())
                    || matches!(w.as_str(), "by" | "courtesy" | "top" | "main" | "above")
            })
    });
    label || t.contains('|') || {
        let lw: Vec<String> = words(t).take(3).map(|w| w.to_lowercase()).collect();
        lw.iter()
            .skip(1)
            .any(|w| w == "by" || w == "credit" || w == "courtesy")
    }
}

fn has_phrase(lower_words: &[String], phrase: &str) -> bool {
    let n = phrase.split(' ').count();
    let first = phrase.split(' ').next().unwrap_or_default();
    lower_words
        .windows(n)
        .any(|w| w[0] == first && w.iter().zip(phrase.split(' ')).all(|(a, b)| a == b))
}

/// What a block is on its own: its shape and the furniture words it carries.
fn intrinsic(text: &str, markup: Markup, f: &Features, title_key: &str) -> Verdict {
    let t = text.trim();
    // the furniture checks read short blocks only; the first words are enough
    let lw: Vec<String> = words(t).take(32).map(|w| w.to_lowercase()).collect();
    if f.words == 0 {
        return Verdict::Hide(Kind::Promo, "has no words".into());
    }
    if t.len() <= title_key.len() * 2 + 16 && norm_key(t) == title_key {
        return Verdict::Hide(Kind::Duplicate, "repeats the title".into());
    }
    if t.starts_with('©')
        || lw.first().is_some_and(|w| w == "copyright")
        || has_phrase(&lw, "all rights reserved")
        || t.starts_with("(c) ")
        || t.starts_with("(C) ")
    {
        return Verdict::Hide(Kind::Copyright, "a copyright line".into());
    }
    if is_byline(t, f) {
        return Verdict::Hide(
            Kind::Byline,
            "a byline: \"By\" and a name, no sentence".into(),
        );
    }
    if f.words <= 30
        && lw
            .first()
            .is_some_and(|w| CAPTION_MARKERS.contains(&w.as_str()))
        && caption_label(t)
    {
        return Verdict::Hide(Kind::Caption, "a photo caption or credit".into());
    }
    if f.words <= 40
        && (t.contains("Photo:")
            || t.contains("(Photo")
            || t.contains("Credit:")
            || t.contains("Photograph:")
            || t.contains("Credit...")
            || t.contains("Image:")
            || t.contains("(Image"))
    {
        return Verdict::Hide(Kind::Caption, "carries a picture credit".into());
    }
    if f.words <= 25 && speaks_to_the_reader(&lw) {
        if let Some(m) = FURNITURE_SENTENCE_MARKERS
            .iter()
            .find(|m| has_phrase(&lw, m))
        {
            return Verdict::Hide(
                Kind::Promo,
                format!("a short sentence of page furniture ({m:?})"),
            );
        }
    }
    if f.words > 12 && !f.ends_sentence {
        if let Some(m) = LIST_HEADINGS.iter().find(|m| starts_with_phrase(&lw, m)) {
            return Verdict::Hide(
                Kind::HeadlineList,
                format!("a list of other stories under {m:?}"),
            );
        }
    }
    if let Some(label) = teaser_label(t) {
        return Verdict::Hide(
            Kind::RelatedHeadline,
            format!("a link to another story ({label:?})"),
        );
    }
    if f.words <= 12 && !f.ends_sentence {
        if let Some(m) = PROMO_MARKERS
            .iter()
            .find(|m| has_phrase(&lw, m))
            .copied()
            .or_else(|| furniture_only(&lw))
        {
            return Verdict::Hide(
                Kind::Promo,
                format!("a short line of page furniture ({m:?})"),
            );
        }
    }
    if f.words <= 50 && has_credit_tail(t) {
        return Verdict::Hide(Kind::Caption, "ends with a picture credit".into());
    }
    if markup == Markup::Heading {
        return Verdict::Fragment;
    }
    if f.words >= 15 && !f.ends_sentence && f.inner_breaks == 0 && !f.ends_colon {
        // a bullet point is a sentence of a list, not headlines run together
        let bullet = markup == Markup::ListItem
            || t.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '*' | '•' | '–'));
        if !bullet && run_together(f, t) {
            return Verdict::Hide(
                Kind::HeadlineList,
                format!(
                    "{} words with no sentence end, where {} capitalised words follow lower-case ones: headlines run together",
                    f.words, f.joins
                ),
            );
        }
        if f.words >= 20 {
            return Verdict::Prose;
        }
    }
    if f.ends_sentence
        || f.ends_colon
        || markup == Markup::ListItem
        || (f.inner_breaks >= 1 && f.words >= 8)
    {
        Verdict::Prose
    } else {
        Verdict::Fragment
    }
}

/// Several headlines run together into one block: long, unpunctuated, and either
/// restarting with a capital again and again or capitalised throughout.
fn run_together(f: &Features, text: &str) -> bool {
    // headlines carry few commas; a clause-rich line is a sentence that lost its stop
    let commas = text.matches(',').count();
    if commas * 12 > f.words {
        return false;
    }
    f.joins >= 3
        || (f.joins >= 2 && f.words >= 25)
        || (f.words >= 20 && f.cased > 0 && f.capitalised * 4 >= f.cased * 3)
}

/// Labels that introduce a link to another story: "Read more:", "Related:", "See also:".
const TEASER_LABELS: &[&str] = &[
    "read more",
    "read also",
    "also read",
    "read",
    "related",
    "related story",
    "related article",
    "related content",
    "see also",
    "also",
    "more",
    "more from",
    "recommended",
    "watch",
    "listen",
    "don't miss",
    "must read",
    "top stories",
    "latest",
    "trending",
    "popular",
    "suggested",
];

/// The teaser label a short block opens with, if any ("Read more: Storm closes road").
fn teaser_label(t: &str) -> Option<&'static str> {
    let (head, rest) = t.split_once([':', '|', '»'])?;
    if words(rest).count() == 0 || words(t).count() > 30 {
        return None;
    }
    let h = head
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .replace('’', "'");
    TEASER_LABELS.iter().find(|l| **l == h).copied()
}

/// A picture credit at the end of a block: names joined by slashes ("Jane Roe/Coast
/// Agency", "J. Roe / Coast Agency file") after the last sentence, or a short
/// parenthesis of them ("(Coast Agency)", "(Jane Roe/Coast Agency)").
fn has_credit_tail(t: &str) -> bool {
    let t = t.trim();
    // the part after the last sentence end
    let cut = t
        .char_indices()
        .filter(|&(i, c)| {
            matches!(c, '.' | '!' | '?') && i + 1 < t.len() && {
                let rest = &t[i + 1..];
                !rest.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit())
            }
        })
        .map(|(i, _)| i + 1)
        .next_back()
        .unwrap_or(0);
    let tail = t[cut..].trim();
    let tail_words: Vec<&str> = words(tail).collect();
    let slash_between_names = tail.char_indices().any(|(i, c)| {
        c == '/'
            && t_before_alpha(tail, i)
            && tail[i + 1..]
                .trim_start()
                .starts_with(|c: char| c.is_uppercase())
    });
    let names = |ws: &[&str]| {
        ws.iter()
            .filter(|w| w.starts_with(|c: char| c.is_lowercase()))
            .count()
            <= 1
    };
    // after a sentence of three words or more (a caption), or alone with no list marks
    // (a credit line); not an item of a list ("34. Human/Technology Interaction")
    let sentence_before = cut > 0 && words(&t[..cut]).count() >= 3;
    let bare = cut == 0
        && tail.matches('/').count() >= 2
        && !tail.contains([',', ':'])
        && !tail.chars().any(|c| c.is_ascii_digit());
    if (sentence_before || bare)
        && slash_between_names
        && (2..=8).contains(&tail_words.len())
        && names(&tail_words)
    {
        return true;
    }
    // "(Coast Agency)" closing a caption-length block with a sentence before it
    if let Some(inner) = t
        .strip_suffix(')')
        .and_then(|x| x.rsplit_once('('))
        .map(|x| x.1)
    {
        let ws: Vec<&str> = words(inner).collect();
        let before = t[..t.len() - inner.len() - 2].trim_end();
        let sentence_before = before.ends_with(['.', '!', '?']);
        if sentence_before
            && (1..=5).contains(&ws.len())
            && ws.iter().all(|w| w.starts_with(|c: char| c.is_uppercase()))
            && (inner.contains('/')
                || ws
                    .iter()
                    .all(|w| w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())))
        {
            return true;
        }
    }
    false
}

fn t_before_alpha(s: &str, i: usize) -> bool {
    s[..i]
        .trim_end()
        .chars()
        .last()
        .is_some_and(|c| c.is_alphabetic())
}

/// A line repeated across stories of no known source is furniture when at least one in
/// this many of the archive's stories carries it.
const ARCHIVE_SHARE: usize = 10;

/// Archive evidence: another story's title, or furniture repeated across a source.
/// A block the story itself says more than once (a refrain, a repeated subheading) is
/// the story's own and is never hidden for appearing elsewhere.
/// (`stated` is [`stated_source`], found once by the caller.)
fn archive_pass(
    article: &Article,
    stated: Option<usize>,
    ev: &Evidence,
    feats: &[Features],
    verdicts: &mut [Verdict],
) {
    let src_key = super::evidence::source_key_with(article, stated);
    let src_name = article
        .source
        .clone()
        .or_else(|| stated.map(|i| article.blocks[i].text.trim().to_string()));
    let keys: Vec<String> = article
        .blocks
        .iter()
        .map(|b| super::evidence::repeat_key(&b.text))
        .collect();
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
    let min_repeats = if ev.source_is_large(&src_key) {
        MIN_REPEATS
    } else {
        MIN_REPEATS.max(ev.stories() / ARCHIVE_SHARE)
    };
    for (i, b) in article.blocks.iter().enumerate() {
        if matches!(verdicts[i], Verdict::Hide(..)) {
            continue;
        }
        if let Some(other) = ev.title_of_other(&b.text, &article.title) {
            verdicts[i] = Verdict::Hide(
                Kind::RelatedHeadline,
                format!("the title of another story, \u{201c}{other}\u{201d}"),
            );
            continue;
        }
        if refrains[i] {
            continue;
        }
        let n = ev.repeats_keyed(&src_key, &b.text, &keys[i]);
        // long prose repeated across stories is usually a shared paragraph of wire copy;
        // keep the story's own words and hide only furniture-sized repeats
        if n >= min_repeats && (feats[i].words <= 60 || !feats[i].ends_sentence) {
            let src = match &src_name {
                Some(s) if ev.source_is_large(&src_key) => s.as_str(),
                _ => "this archive",
            };
            let kind = if feats[i].words >= 15 && !feats[i].ends_sentence {
                Kind::HeadlineList
            } else {
                Kind::Promo
            };
            verdicts[i] = Verdict::Hide(kind, format!("in {n} stories of {src}"));
        }
    }
}

/// Repeats inside the article: a block whose every sentence is said again by other
/// blocks (a standfirst the first paragraph repeats, a pull quote) is hidden once.
///
/// Linear in the article's words. A sentence is found in a longer block where its words
/// stand, the last one perhaps the start of a longer word (as `contains` finds it; a
/// sentence of three words, all three whole). Its opening words (all but the last; all
/// three of three) are hashed, every block's runs of words of each such count are hashed
/// in one rolling pass, and where a run is an opening wanted, the start of the next word
/// is hashed too: so each sentence is looked for only in the blocks that hold it, longest
/// first. (Comparing blocks with each other took 4 s on a story of 800 KB whose
/// paragraphs all begin alike, and minutes on 5 MB.)
fn repeat_pass(article: &Article, verdicts: &mut [Verdict]) {
    use std::collections::HashMap;
    let keys: Vec<String> = article.blocks.iter().map(|b| norm_key(&b.text)).collect();
    let hidden = |v: &Verdict| matches!(v, Verdict::Hide(..));
    // never 0, which stands for "no last word" (a sentence of three)
    let word_hash = |w: &[u8]| {
        use std::hash::Hasher;
        let mut h = super::evidence::FnvHasher::default();
        h.write(w);
        h.finish() | 1
    };
    // a run of words hashed as a polynomial of its words' hashes
    const BASE: u64 = 0x0000_0100_0000_01b3;
    let run_hash = |hs: &[u64]| {
        hs.iter()
            .fold(0u64, |a, &h| a.wrapping_mul(BASE).wrapping_add(h))
    };
    // a sentence's key: the hash of its opening, how many words that is, and the hash
    // of the last word (0 for a sentence of three)
    let sentence_key = |sk: &str| -> Option<(u64, usize, u64)> {
        let ws: Vec<&str> = sk.split(' ').collect();
        if sk.is_empty() || ws.len() < 3 {
            return None;
        }
        let n = if ws.len() == 3 { 3 } else { ws.len() - 1 };
        let hs: Vec<u64> = ws[..n].iter().map(|w| word_hash(w.as_bytes())).collect();
        let last = if n == ws.len() {
            0
        } else {
            word_hash(ws[n].as_bytes())
        };
        Some((run_hash(&hs), n, last))
    };
    let sentence_keys = |i: usize| -> Vec<String> {
        sentences(&article.blocks[i].text)
            .iter()
            .map(|s| norm_key(s))
            .collect()
    };
    // the openings wanted (of sentences of blocks of 8 to 60 words), each with the
    // lengths of the last words that follow it (0: none)
    let mut wanted: HashMap<(u64, usize), Vec<usize>, Fnv> = Default::default();
    let mut counts = [false; 61];
    for (i, k) in keys.iter().enumerate() {
        if (8..=60).contains(&k.split(' ').count()) && !hidden(&verdicts[i]) {
            for sk in sentence_keys(i) {
                let Some((h, n, last)) = sentence_key(&sk) else {
                    continue;
                };
                let len = if last == 0 {
                    0
                } else {
                    sk.len() - sk.rfind(' ').map_or(0, |p| p + 1)
                };
                let lens = wanted.entry((h, n)).or_default();
                if !lens.contains(&len) {
                    lens.push(len);
                }
                counts[n.min(60)] = true;
            }
        }
    }
    // where each sentence is: the blocks, by its key
    let mut found: HashMap<(u64, usize, u64), Vec<usize>, Fnv> = Default::default();
    if !wanted.is_empty() {
        let counts: Vec<usize> = (3..=60).filter(|&n| counts[n]).collect();
        let (mut ws, mut hs): (Vec<&[u8]>, Vec<u64>) = (Vec::new(), Vec::new());
        for (j, k) in keys.iter().enumerate() {
            ws.clear();
            ws.extend(k.split(' ').map(str::as_bytes));
            hs.clear();
            hs.extend(ws.iter().map(|w| word_hash(w)));
            for &n in &counts {
                if n > hs.len() {
                    break;
                }
                // BASE^n, to take the word leaving the run out
                let top = (0..n).fold(1u64, |a, _| a.wrapping_mul(BASE));
                let mut h = run_hash(&hs[..n]);
                for w in n..=hs.len() {
                    // the run is hs[w - n..w]; the word after it, ws[w]
                    for &len in wanted.get(&(h, n)).map_or(&[][..], |l| l.as_slice()) {
                        let last = match ws.get(w) {
                            _ if len == 0 => 0,
                            Some(next) if next.len() >= len => word_hash(&next[..len]),
                            _ => continue,
                        };
                        let v = found.entry((h, n, last)).or_default();
                        if v.last() != Some(&j) {
                            v.push(j);
                        }
                    }
                    if w < hs.len() {
                        h = h
                            .wrapping_mul(BASE)
                            .wrapping_add(hs[w])
                            .wrapping_sub(hs[w - n].wrapping_mul(top));
                    }
                }
            }
        }
        // longest first: a search stops at the first block no longer than the one asked
        for v in found.values_mut() {
            v.sort_by_key(|&j| std::cmp::Reverse(keys[j].len()));
        }
    }
    let mut first_seen: HashMap<&str, usize> = Default::default();
    let mut prose_before = false;
    for i in 0..keys.len() {
        if i > 0 {
            prose_before |= matches!(verdicts[i - 1], Verdict::Prose);
        }
        if hidden(&verdicts[i]) || keys[i].split(' ').count() < 4 {
            continue;
        }
        // an exact repeat of an earlier block
        if first_seen.contains_key(keys[i].as_str()) {
            verdicts[i] = Verdict::Hide(
                Kind::Duplicate,
                "repeats an earlier block word for word".into(),
            );
            continue;
        }
        // a pull quote or teaser is a sentence or more (a short phrase is naturally
        // found inside longer paragraphs) and rarely more than a few sentences
        let n_words = keys[i].split(' ').count();
        let all_elsewhere = (8..=60).contains(&n_words) && {
            let sents = sentence_keys(i);
            !sents.is_empty()
                && sents.iter().all(|k| {
                    // a key only for a sentence of three words or more
                    sentence_key(k)
                        .and_then(|key| found.get(&key))
                        .is_some_and(|js| {
                            js.iter()
                                .take_while(|&&j| keys[j].len() > keys[i].len())
                                .any(|&j| {
                                    j != i && !hidden(&verdicts[j]) && keys[j].contains(k.as_str())
                                })
                        })
                })
        };
        if all_elsewhere {
            verdicts[i] = if !prose_before {
                Verdict::Hide(
                    Kind::Standfirst,
                    "a summary: its sentences are all in a longer paragraph below".into(),
                )
            } else {
                Verdict::Hide(
                    Kind::Duplicate,
                    "its sentences are all in a longer paragraph of the story (a pull quote or teaser)"
                        .into(),
                )
            };
        } else {
            first_seen.entry(keys[i].as_str()).or_insert(i);
        }
    }
}

/// Where the story is: from the first to the last paragraph of prose. Outside it,
/// fragments are page furniture; inside it, short fragments are subheadings and
/// headline-length ones are other stories' headlines.
fn context_pass(
    article: &Article,
    feats: &[Features],
    verdicts: &[Verdict],
    placed: &[bool],
    title_key: &str,
    out: &mut Cleaned,
) {
    let span = story_span(feats, verdicts);
    let first = span.map(|s| s.0);
    let last = span.map(|s| s.1);
    let n = verdicts.len();
    let short_run = short_runs(feats, verdicts);
    let prose_at = |j: usize| {
        verdicts.get(j).is_some_and(|v| matches!(v, Verdict::Prose)) && feats[j].words >= 6
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
                    } else if f.words <= 12 {
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
                } else if f.words <= 2
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
                } else if b.markup == Markup::Heading || is_subheading(f) {
                    (
                        Kind::Subheading,
                        true,
                        "a short heading inside the story".into(),
                    )
                } else if let Some(why) = inline_story_line(article, verdicts, i) {
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
            Verdict::Hide(..) if f.words == 0 || norm_key(&b.text) == title_key => Grounds::Empty,
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
                out.byline = Some(name.trim().to_string());
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
fn inline_story_line(article: &Article, verdicts: &[Verdict], i: usize) -> Option<&'static str> {
    let t = article.blocks[i].text.trim();
    // the paragraph above the run of lines this one belongs to
    let mut p = i;
    while p > 0 && matches!(verdicts[p - 1], Verdict::Fragment) {
        p -= 1;
    }
    if p > 0 && features::of(&article.blocks[p - 1].text).ends_colon {
        return Some("a line of a list that the paragraph above introduces with a colon");
    }
    if t.starts_with(|c: char| c.is_lowercase()) {
        return Some("starts in lower case: it continues a sentence");
    }
    if t.contains('@') || t.contains("http") || t.contains("www.") {
        return Some("carries an address or a handle: an embedded post");
    }
    if words(t).count() >= 15 {
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
    None
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

/// Lines that are not prose which, in a row, cut a paragraph off from the story.
const GAP: usize = 6;

/// Words of prose a group above the story's core needs to be taken as its introduction.
const INTRO_WORDS: usize = 50;

/// Short lines in a row that make a table, a menu or a list of links, not subheadings.
const SHORT_RUN: usize = 3;

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
            Verdict::Fragment if feats[i].words > 3 => furniture = 0,
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
    while b + 1 < groups.len() && groups[b + 1].2 * 5 >= words {
        b += 1;
        words += groups[b].2;
    }
    Some((groups[a].0, groups[b].1))
}

/// For each fragment, the length of the run of short fragments (five words or fewer)
/// it belongs to; 0 for other blocks.
fn short_runs(feats: &[Features], verdicts: &[Verdict]) -> Vec<usize> {
    let short = |i: usize| matches!(verdicts[i], Verdict::Fragment) && feats[i].words <= 5;
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

/// A lone source line: one to four words, no sentence punctuation, no digits,
/// every word capitalised (or in a script without case).
fn looks_like_source(text: &str, f: &Features) -> bool {
    let t = text.trim();
    (1..=4).contains(&f.words)
        && !f.ends_sentence
        && !t.contains(':')
        && !t.chars().any(|c| c.is_ascii_digit())
        && words(t).all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_lowercase())
        })
}

/// A subheading: a few words, no sentence end.
fn is_subheading(f: &Features) -> bool {
    f.words <= 5
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Block;

    pub(super) fn art(title: &str, blocks: &[&str]) -> Article {
        Article {
            title: title.into(),
            blocks: blocks.iter().map(|b| Block::para(*b)).collect(),
            ..Article::default()
        }
    }

    pub(super) fn kinds(a: &Article) -> Vec<(Kind, bool)> {
        decide(a, &Evidence::default())
            .blocks
            .iter()
            .map(|d| (d.kind, d.shown))
            .collect()
    }

    pub(super) const P1: &str =
        "The harbour board voted on Tuesday to raise ferry fares by ten per cent from April.";
    pub(super) const P2: &str =
        "Commuters said the rise would hurt families who cross the water every day.";
    pub(super) const P3: &str =
        "The board will review the fares again next winter, its chair said.";

    #[test]
    fn standfirst_repeated_by_body_is_hidden_once() {
        let sf = format!("{P1} {P3}");
        let a = art("Fares rise", &[&sf, P1, P2, P3]);
        assert_eq!(kinds(&a)[0], (Kind::Standfirst, false));
        assert!(kinds(&a)[1..].iter().all(|k| k.1));
    }

    #[test]
    fn lone_source_line_becomes_the_source() {
        let a = art("Fares rise", &["Harbour Times", P1, P2]);
        let c = decide(&a, &Evidence::default());
        assert_eq!(c.source_line.as_deref(), Some("Harbour Times"));
        assert_eq!(c.blocks[0].kind, Kind::SourceLine);
    }

    #[test]
    fn headline_between_paragraphs_is_related() {
        let a = art(
            "Fares rise",
            &[P1, "Storm closes the coast road for a third night", P2],
        );
        assert_eq!(kinds(&a)[1], (Kind::RelatedHeadline, false));
    }

    #[test]
    fn short_heading_inside_story_is_kept() {
        let a = art("Fares rise", &[P1, "What happens next", P2]);
        assert_eq!(kinds(&a)[1], (Kind::Subheading, true));
    }

    #[test]
    fn run_together_headlines_are_hidden() {
        let run = "Storm closes coast road Council approves new library Mayor opens bridge Local team wins cup final Bakery celebrates fifty years";
        let a = art("Fares rise", &[P1, P2, run]);
        assert_eq!(kinds(&a)[2], (Kind::HeadlineList, false));
    }

    #[test]
    fn short_quoted_sentence_in_story_is_kept() {
        let a = art("Fares rise", &[P1, "\u{201c}Please.\u{201d}", P2]);
        assert_eq!(kinds(&a)[1], (Kind::Story, true));
    }

    #[test]
    fn furniture_lines_are_hidden() {
        let a = art(
            "Fares rise",
            &[
                P1,
                "Share this article Facebook Twitter Email",
                P2,
                "© 2020 Harbour Times. All rights reserved.",
                "Photo: Jane Roe / Coast Agency",
            ],
        );
        let k = kinds(&a);
        assert_eq!(k[1], (Kind::Promo, false));
        assert_eq!(k[3], (Kind::Copyright, false));
        assert_eq!(k[4], (Kind::Caption, false));
    }

    #[test]
    fn byline_and_title_repeat() {
        let a = art(
            "Fares rise on the harbour",
            &["Fares rise on the harbour", "By Jane Doe", P1],
        );
        let k = kinds(&a);
        assert_eq!(k[0], (Kind::Duplicate, false));
        assert_eq!(k[1], (Kind::Byline, false));
    }

    #[test]
    fn another_stories_title_is_hidden_by_evidence() {
        let a = art("Fares rise", &[P1, "Council approves new library", P2]);
        let b = art("Council approves new library", &[P2]);
        let ev = Evidence::gather(&[a.clone(), b]);
        let c = decide(&a, &ev);
        assert_eq!(c.blocks[1].kind, Kind::RelatedHeadline);
        assert!(c.blocks[1].reason.contains("Council approves"));
    }

    #[test]
    fn repeats_across_a_source_are_hidden_but_not_alone() {
        let box_ = "Morning Tide brings the day's stories at seven";
        let mk = |t: &str| art(t, &[P1, box_, P2]);
        let arts = vec![
            mk("One story here"),
            mk("Two story here"),
            mk("Three story here"),
        ];
        let ev = Evidence::gather(&arts);
        assert!(decide(&arts[0], &ev).blocks[1]
            .reason
            .contains("in 3 stories"));
        // on its own the box is still a fragment between story paragraphs
        assert!(!decide(&arts[0], &Evidence::default()).blocks[1].shown);
    }
}

#[cfg(test)]
mod more_tests {
    use super::tests::{art, kinds as decided, P1, P2, P3};
    use super::*;

    const P4: &str = "Ferry crews welcomed the decision, which pays for two new engines this year.";

    #[test]
    fn standfirst_whose_opening_the_lede_repeats_is_hidden_not_the_lede() {
        let sf = format!("{P1} {P3}");
        let a = art("Fares rise", &[&sf, "Harbour Times", P1, P2]);
        let c = decide(&a, &Evidence::default());
        assert_eq!(c.blocks[0].kind, Kind::Standfirst);
        assert!(!c.blocks[0].shown);
        assert!(c.blocks[2].shown && c.blocks[3].shown);
    }

    #[test]
    fn source_line_after_a_standfirst_or_byline_is_found() {
        let a = art("Fares rise", &[P3, "Harbour Times", P1, P2]);
        let c = decide(&a, &Evidence::default());
        assert_eq!(c.source_line.as_deref(), Some("Harbour Times"));
        assert_eq!(c.blocks[0].kind, Kind::Standfirst);
        let b = art("Fares rise", &["By Jane Roe", "Harbour Times", P1, P2]);
        let c = decide(&b, &Evidence::default());
        assert_eq!(c.source_line.as_deref(), Some("Harbour Times"));
        assert_eq!(c.blocks[0].kind, Kind::Byline);
    }

    #[test]
    fn a_menu_at_the_top_is_not_a_source() {
        let a = art("Fares rise", &["Home", "Contact", "Local News", P1, P2]);
        assert_eq!(decide(&a, &Evidence::default()).source_line, None);
    }

    #[test]
    fn copyright_line_names_the_source_when_nothing_else_does() {
        let a = art(
            "Fares rise",
            &[P1, P2, "© 2021 Harbour Times Ltd. All rights reserved."],
        );
        let c = decide(&a, &Evidence::default());
        assert_eq!(c.source_line.as_deref(), Some("Harbour Times"));
    }

    #[test]
    fn pull_quote_inside_a_longer_paragraph_is_hidden_once() {
        let quote = "Commuters said the rise would hurt families who cross the water.";
        let long = format!("{quote} Several of them wrote to the board last week.");
        let k = decided(&art("Fares rise", &[P1, &long, quote, P2]));
        assert_eq!(k[2], (Kind::Duplicate, false));
        assert!(k[1].1);
    }

    #[test]
    fn a_short_phrase_found_inside_a_paragraph_is_not_a_pull_quote() {
        let k = decided(&art("Fares rise", &[P1, "The harbour board", P2, P3]));
        assert_eq!(k[1], (Kind::Subheading, true));
    }

    #[test]
    fn teaser_labels_and_picture_credits_are_hidden() {
        let k = decided(&art(
            "Fares rise",
            &[
                P1,
                "Read more: Storm closes the coast road",
                P2,
                "Jane Roe/Coast Agency/Harbour Pictures",
                P3,
                "The quay at dawn on Monday. (Jane Roe/Coast Agency)",
                P4,
            ],
        ));
        assert_eq!(k[1], (Kind::RelatedHeadline, false));
        assert_eq!(k[3], (Kind::Caption, false));
        assert_eq!(k[5], (Kind::Caption, false));
    }

    #[test]
    fn run_together_headlines_need_restarts_not_commas() {
        let list = "Storm closes coast road for third night Council approves new library on quay Mayor opens bridge Local team wins cup";
        let clause = "Commuters who cross the water every day, many of them with children, said the rise came at a hard time for families";
        let k = decided(&art("Fares rise", &[P1, P2, clause, P3, list]));
        assert_eq!(k[2], (Kind::Story, true));
        assert_eq!(k[4], (Kind::HeadlineList, false));
    }

    #[test]
    fn a_list_heading_and_its_stories_run_together_are_hidden() {
        let list =
            "Most read 1 Storm closes coast road 2 Council approves library 3 Mayor opens bridge";
        let k = decided(&art("Fares rise", &[P1, P2, list]));
        assert_eq!(k[2], (Kind::HeadlineList, false));
    }

    #[test]
    fn lines_between_paragraphs_that_read_as_story_are_kept() {
        let k = decided(&art(
            "Fares rise",
            &[
                "The board listed three reasons for the rise:",
                "Higher fuel costs over the last two winters",
                "The refit of the two oldest boats",
                P1,
                "and the crews said they agreed with all of it",
                P2,
                "Jane Roe (@janeroe) on the quay at dawn today",
                P3,
                "We asked the crews what they thought",
                P1,
                "Storm closes the coast road for a third night",
                P4,
            ],
        ));
        assert!(k[1].1 && k[2].1, "a list introduced by a colon");
        assert!(k[4].1, "lower-case continuation");
        assert!(k[6].1, "embedded post");
        assert!(k[8].1, "the writer's own voice");
        assert_eq!(k[10], (Kind::RelatedHeadline, false));
    }

    #[test]
    fn headline_with_attribution_is_not_a_clause() {
        let k = decided(&art(
            "Fares rise",
            &[P1, "Fares are fair, but must rise: Board chair", P2],
        ));
        assert_eq!(k[1], (Kind::RelatedHeadline, false));
    }

    #[test]
    fn runs_of_short_lines_inside_the_story_are_hidden() {
        let k = decided(&art(
            "Fares rise",
            &[
                P1,
                "News",
                "Sport",
                "Weather",
                "Travel",
                P2,
                "What next",
                P3,
            ],
        ));
        assert!(k[1..5].iter().all(|x| *x == (Kind::Promo, false)));
        assert_eq!(k[6], (Kind::Subheading, true));
    }

    #[test]
    fn paragraphs_cut_off_below_the_story_by_furniture_are_hidden() {
        let mut blocks = vec![P1, P2, P3, P4, P1, P2];
        blocks.extend(["News", "Sport", "Weather", "Travel", "Video", "Contact"]);
        blocks.push("Thanks for reading, and see you next time.");
        let a = art("Fares rise", &blocks);
        let k = decided(&a);
        assert_eq!(*k.last().unwrap(), (Kind::Promo, false));
    }

    #[test]
    fn an_introduction_above_a_table_stays_in_the_story() {
        let intro = "The harbour board published the new fares on Tuesday, and the table below lists every crossing with its old price and its new one, so that commuters can see what they will pay. Season tickets and the concession fares for pensioners and students are not affected by the rise, the board said in its statement.";
        let mut blocks = vec![intro];
        blocks.extend([
            "Quay", "£2.50", "£2.75", "Point", "£3.00", "£3.30", "Mill", "£1.00",
        ]);
        blocks.extend([P1, P2, P3, P4, P1, P2, P3, P4]);
        let c = decide(&art("Fares rise", &blocks), &Evidence::default());
        assert!(c.blocks[0].shown, "{}", c.blocks[0].reason);
    }

    #[test]
    fn a_word_or_two_between_non_paragraphs_is_hidden_but_a_heading_before_prose_is_kept() {
        let k = decided(&art(
            "Fares rise",
            &[
                P1,
                "Winter",
                P2,
                "Crossings on the quay, by month",
                "Quay",
                "Point",
                P3,
            ],
        ));
        assert_eq!(k[1], (Kind::Subheading, true));
        assert_eq!(k[4], (Kind::Promo, false));
    }

    #[test]
    fn furniture_sentences_are_hidden() {
        let k = decided(&art(
            "Fares rise",
            &[
                P1,
                "Please check your inbox to confirm your subscription.",
                P2,
            ],
        ));
        assert_eq!(k[1], (Kind::Promo, false));
    }

    #[test]
    fn a_storys_own_refrain_is_not_hidden_by_archive_repeats() {
        let refrain = "Nobody on this board wanted to put fares up, its chair said again.";
        let mk = |t: &str| art(t, &[P1, refrain, P2, P3, refrain, P4]);
        let arts = vec![
            mk("One story here"),
            mk("Two story here"),
            mk("Three story here"),
        ];
        let ev = Evidence::gather(&arts);
        let c = decide(&arts[0], &ev);
        assert!(c.blocks[1].shown);
    }

    #[test]
    fn near_repeats_of_a_list_that_moves_on_are_counted() {
        let heads = [
            "Fares must rise: Board",
            "Library wins approval: Council",
            "Bridge will reopen: Mayor",
            "Cup final is won: Coach",
            "Bakery turns fifty: Owner",
            "Rink opens soon: Manager",
            "Road stays shut: Police",
        ];
        let list = |n: usize| heads[..n].join(" ");
        let arts: Vec<Article> = (4..7)
            .map(|n| art(&format!("Story number {n}"), &[P1, P2, &list(n)]))
            .collect();
        let ev = Evidence::gather(&arts);
        let c = decide(&arts[2], &ev);
        assert!(!c.blocks[2].shown);
        assert!(
            c.blocks[2].reason.contains("in 3 stories"),
            "{}",
            c.blocks[2].reason
        );
    }

    #[test]
    fn repeats_are_counted_per_stated_source() {
        let box_ = "Morning Tide brings the day's stories at seven";
        let mk = |t: &str| art(t, &[P3, "Harbour Times", P1, box_, P2]);
        let arts = vec![
            mk("One story here"),
            mk("Two story here"),
            mk("Three story here"),
            mk("Four story here"),
            mk("Five story here"),
        ];
        let ev = Evidence::gather(&arts);
        let c = decide(&arts[0], &ev);
        assert!(c.blocks[3].reason.contains("in 5 stories of Harbour Times"));
    }
}
