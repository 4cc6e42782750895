//! The shapes of header and furniture lines, read by the rules and by the archive's
//! evidence alike: the stated source line, bylines, datelines, the publisher a copyright
//! line names, and lines made of furniture words only. Depends on `features` and
//! `text` only, so that `rules` and `evidence` both use it without importing each other.

use super::features::{self, Features};
use super::limits::*;
use crate::article::Article;
use crate::text::{norm_key, words};

/// The lone source line among the blocks above the story, if there is one: the first
/// block naming a publication, with only a standfirst, bylines or dates above it.
pub(super) fn stated_source(article: &Article) -> Option<usize> {
    let n = article.blocks.len().min(HEADER_BLOCKS + 1);
    let feats: Vec<Features> = article.blocks[..n]
        .iter()
        .map(|b| features::of(&b.text))
        .collect();
    let title_key = norm_key(&article.title);
    stated_source_with(article, &feats, |i| {
        norm_key(&article.blocks[i].text) == title_key
    })
}

/// [`stated_source`] with the blocks already measured: `feats` holds (at least) the
/// first `HEADER_BLOCKS + 1` blocks' features, and `is_title(i)` says whether block `i`
/// repeats the title.
pub(super) fn stated_source_with(
    article: &Article,
    feats: &[Features],
    is_title: impl Fn(usize) -> bool,
) -> Option<usize> {
    // a header line: a standfirst (first block, a full sentence), a byline or a date
    let header = |i: usize| -> bool {
        let t = article.blocks[i].text.trim();
        let f = &feats[i];
        is_byline(t, f)
            || is_dateline(t, f)
            || is_title(i)
            || (i == 0 && f.ends_sentence && f.words >= PARAGRAPH_MIN_WORDS)
    };
    // the line after it must start the story or be another header line, so that a run
    // of navigation links ("Home", "Contact") is never taken for a publication
    let story_or_header = |i: usize| -> bool {
        feats
            .get(i)
            .is_some_and(|f| header(i) || (f.ends_sentence && f.words >= PARAGRAPH_MIN_WORDS))
    };
    for (i, b) in article.blocks.iter().enumerate().take(HEADER_BLOCKS) {
        let f = &feats[i];
        // under a paragraph, a single capitalised word is more likely a subheading
        let under_prose = i > 0 && feats[i - 1].ends_sentence;
        let lone_word_under_prose = under_prose && f.words < 2;
        if looks_like_source(&b.text, f)
            && !is_byline(&b.text, f)
            && !is_furniture_line(&b.text)
            && !agency_credit(&b.text, f)
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
pub(super) fn is_dateline(t: &str, f: &Features) -> bool {
    if f.words > DATELINE_MAX_WORDS {
        // a longer line is a date stamp when it holds a date and a time of day and no
        // sentence ("Monday, November 18, 2019, 04:05 pm PT (07:05 pm ET)")
        return f.words <= TIMESTAMP_MAX_WORDS
            && (!f.ends_sentence || ends_in_meridiem(t))
            && has_clock_time(t)
            && crate::text::find_date(t).is_some();
    }
    if crate::text::find_date(t).is_some() {
        return true;
    }
    // a line mostly of digits, as dates written in numbers are ("27.09.2018 15:24"), but
    // not a row of figures (a line score, "Rockledge 14 11 6 15 — 44") nor sums of money
    // ("Normal Range: $19,473 - $88,340")
    let tokens = || t.split_whitespace();
    let figures = tokens()
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
        .count();
    if figures >= ROW_MIN_FIGURES {
        return false;
    }
    let money = |w: &str| {
        w.trim_start_matches(['(', '-', '+'])
            .starts_with(['$', '€', '£', '¥'])
    };
    let alnum = t.chars().filter(|c| c.is_alphanumeric()).count();
    let digits: usize = tokens()
        .filter(|w| !money(w))
        .map(|w| w.chars().filter(|c| c.is_ascii_digit()).count())
        .sum();
    digits >= DATELINE_MIN_DIGITS && digits * 5 >= alnum * 2
}

/// Does the line end in a time of day's "a.m." or "p.m." ("... at 11:08 a.m.")?
pub(super) fn ends_in_meridiem(t: &str) -> bool {
    let t = t.trim_end();
    ["a.m.", "p.m.", "A.M.", "P.M."].iter().any(|m| {
        t.strip_suffix(m)
            .is_some_and(|head| head.trim_end().ends_with(|c: char| c.is_ascii_digit()))
    })
}

/// The header of a reader's comment: who wrote it and when, then "said:" ("Jo Doe on
/// November 15, 2018 at 10:12 am said:"): short, dated, and ending in the verb.
pub(super) fn comment_header(t: &str, f: &Features) -> bool {
    const VERBS: &[&str] = &[
        "said:",
        "says:",
        "wrote:",
        "writes:",
        "commented:",
        "replied:",
    ];
    f.words <= TIMESTAMP_MAX_WORDS
        && t.split_whitespace()
            .last()
            .is_some_and(|w| VERBS.iter().any(|v| w.eq_ignore_ascii_case(v)))
        && (has_clock_time(t) && crate::text::find_date(t).is_some())
}

/// Does the text hold a time of day: hours and minutes ("04:05", "7:45 am", "09:01")?
fn has_clock_time(t: &str) -> bool {
    let b = t.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b':'
            && i >= 1
            && b[i - 1].is_ascii_digit()
            // at most two digits of hours ("2019 7:45" holds a time; "12345:67" none)
            && !(i >= 3 && b[i - 2].is_ascii_digit() && b[i - 3].is_ascii_digit())
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && b.get(i + 2).is_some_and(u8::is_ascii_digit)
            && !b.get(i + 3).is_some_and(u8::is_ascii_digit)
            && b[i + 1] <= b'5'
    })
}

/// "1 day ago", "an hour ago", "Nov 19, 2019 at 9:08 GMT1 day ago": a count, a unit of
/// time and "ago" (glued to what came before, as pages run their stamps together).
fn relative_time(last3: &[String]) -> bool {
    const UNITS: &[&str] = &[
        "second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours",
        "hr", "hrs", "day", "days", "week", "weeks", "month", "months", "year", "years",
    ];
    let [n, unit, ago] = last3 else {
        return false;
    };
    let count =
        n.ends_with(|c: char| c.is_ascii_digit()) || matches!(n.as_str(), "a" | "an" | "one");
    count && UNITS.contains(&unit.as_str()) && ago == "ago"
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
    ((1..=HOLDER_MAX_WORDS).contains(&n) && name.starts_with(|c: char| c.is_alphabetic()))
        .then_some(name)
}

/// "By" and a name: a byline, not a sentence.
pub(super) fn is_byline(t: &str, f: &Features) -> bool {
    f.words <= BYLINE_MAX_WORDS
        && f.words >= 2
        && !f.ends_sentence
        && words(t)
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("by"))
}

/// A line of the story's metadata, not of the story, and what it is: a reading time ("4
/// min read", "Reading time: 8 minutes"), a byline that carries a date or a separator
/// ("By Jo Doe | May 6, 2025", "Written by Jo Doe, RD on May 6", "Updated May 6, 2025"),
/// a lone social handle ("@jodoe"), a breadcrumb trail ("Home » Guides » Costs").
/// (`lower_words`: the line's first words in lower case, as the furniture checks read
/// them.)
pub(super) fn story_metadata<'a>(
    t: &str,
    f: &Features,
    lower_words: impl FnOnce() -> &'a [String],
) -> Option<&'static str> {
    if f.words == 0 || f.words > METADATA_MAX_WORDS {
        return None;
    }
    if f.ends_colon {
        let label = t.trim_end_matches([':', '：']).trim().to_lowercase();
        if TAG_LABELS.contains(&label.as_str()) {
            return Some("the label of the story's tags");
        }
        return comment_header(t, f).then_some("a comment's header: who wrote it and when");
    }
    // "Additional reporting by Jo Doe; Editing by Max Roe.": who reported and edited
    // (the first word read before the line is put in lower case: most lines are not)
    let first = words(t).next().unwrap_or_default();
    let may_credit = CREDIT_OPENINGS.iter().any(|p| {
        p.split(' ')
            .next()
            .is_some_and(|w| first.eq_ignore_ascii_case(w))
    });
    // a stamp that ends in its time of day ("... at 11:08 a.m.") ends in no sentence
    if f.ends_sentence && !ends_in_meridiem(t) && !may_credit {
        return None;
    }
    let lower_words = lower_words();
    let opens = |p: &&str| {
        let n = p.split(' ').count();
        lower_words.len() >= n && p.split(' ').zip(lower_words).all(|(a, b)| a == b)
    };
    if may_credit && CREDIT_OPENINGS.iter().any(opens) {
        return Some("a credit for the reporting or the editing");
    }
    if f.ends_sentence && !ends_in_meridiem(t) {
        return None;
    }
    let lw = &lower_words[..lower_words.len().min(READ_TIME_LINE_MAX_WORDS)];
    let at = |i: usize| lw.get(i).map(String::as_str).unwrap_or_default();
    // "4 min read", "8-minute read", "Reading time: 8 minutes", "Lesezeit: 3 Min."
    let minutes = |w: &str| {
        matches!(
            w,
            "min" | "mins" | "minute" | "minutes" | "minuten" | "minuto" | "minutos" | "minuti"
        ) || w
            .strip_suffix("-minute")
            .is_some_and(|n| n.parse::<u32>().is_ok())
            || w.strip_suffix("min")
                .is_some_and(|n| n.parse::<u32>().is_ok())
    };
    // "... • 2 min read" closing a dateline
    let min_read = lw.windows(2).any(|w| minutes(&w[0]) && w[1] == "read");
    if (f.words <= READ_TIME_MAX_WORDS
        && lw.iter().any(|w| minutes(w))
        && (READING_TIME.iter().any(|p| has_phrase(lw, p)) || lw.iter().any(|w| w == "read")))
        || (f.words <= READ_TIME_LINE_MAX_WORDS && min_read)
    {
        return Some("a reading time");
    }
    // bylines and stamps that carry a date, a separator or an address
    // (a time of day dates it too: "Updated Nov 19, 6:55 AM", "By Jo Doe - 06:56 AM EST")
    let dated = || crate::text::find_date(t).is_some() || has_clock_time(t);
    let by_within = |n: usize| lw.iter().take(n).any(|w| w == "by");
    let signed = match at(0) {
        "by" => t.contains(['|', '•', '⋅', '·', '@']) || dated(),
        "written" | "reviewed" | "edited" | "fact" | "medically" => by_within(3),
        "posted" => by_within(lw.len()) || dated(),
        "updated" | "published" => dated(),
        // "Von Jo Doe publiziert am 30. Juli 2018"
        "von" => {
            lw.iter()
                .any(|w| matches!(w.as_str(), "publiziert" | "veröffentlicht" | "aktualisiert"))
                && t.chars().any(|c| c.is_ascii_digit())
        }
        "first" => matches!(at(1), "published" | "posted") && dated(),
        "last" => {
            crate::text::find_date(t).is_some()
                || (matches!(at(1), "updated" | "modified")
                    && (has_clock_time(t) || month_and_year(lw)))
        }
        _ => false,
    };
    // "Staff Reports", "From staff and wire reports": a byline without a name
    let whole = lw.join(" ");
    let signed = signed
        || (lower_words.len() == lw.len()
            && matches!(
                whole.strip_prefix("from ").unwrap_or(&whole),
                "staff reports" | "staff report" | "staff and wire reports" | "wire reports"
            ));
    // "Monday November 18, 2019 7:45 am PST by Jo Doe": a date and a time of day with
    // "by" and a name
    let signed = signed
        || (crate::text::find_date(t).is_some()
            && has_clock_time(t)
            && t.split_whitespace()
                .collect::<Vec<_>>()
                .windows(2)
                .any(|w| w[0].eq_ignore_ascii_case("by") && w[1].starts_with(char::is_uppercase)));
    if signed {
        return Some("a byline or a date stamp");
    }
    // "1 day ago", "3 hours ago": when the page was made, as its clock told it (the
    // line's own last words, so only a line `lw` holds whole)
    if lower_words.len() == lw.len() && lw.len() >= 3 && relative_time(&lw[lw.len() - 3..]) {
        return Some("how long ago the page was published");
    }
    // "November 19, 2019 at 5:10 pm", "Mon, Dec 22, 2025 @ 4:00 pm": a date and its time
    // of day and nothing else, when a post or a comment was made (a live report's "4:14
    // p.m." over its entry, or a calendar's "March 16, 2026" over its event, is the
    // story's; "2:05:33", a race's time, is neither)
    if lower_words.len() == lw.len()
        && stamp_alone(lw)
        && has_clock_time(t)
        && crate::text::find_date(t).is_some()
    {
        return Some(STAMP_ALONE);
    }
    // "You are here: Home / News / Harbour": where the page stands in the site
    if lw.len() >= 3 && lw[..3] == ["you", "are", "here"] {
        return Some(BREADCRUMB);
    }
    // "Wordcount: 717"
    if let Some((head, n)) = t.split_once(':') {
        let head = head.trim().to_lowercase();
        if matches!(head.as_str(), "wordcount" | "word count")
            && n.trim().chars().all(|c| c.is_ascii_digit() || c == ',')
        {
            return Some("the story's word count");
        }
    }
    // "Tags: Ferries, Harbour", "Filed under: Transport": the story's tags
    if f.words <= TAGS_MAX_WORDS {
        let head = t.split_once(':').map(|(h, _)| h.trim().to_lowercase());
        if head.is_some_and(|h| TAG_LABELS.contains(&h.as_str())) {
            return Some("the story's tags");
        }
    }
    // "@jodoe"
    if t.trim().starts_with('@') && !t.trim().contains(char::is_whitespace) {
        return Some("a social media handle");
    }
    // "Home » Guides » Costs": short steps between two or more arrows; from "Home", the
    // last step may be the story's whole title ("Home » Blogs » Smartphone Basics for
    // Older Adults: ...")
    let arrows = t.matches(['»', '›']).count();
    let steps: Vec<usize> = t.split(['»', '›']).map(|s| words(s).count()).collect();
    let short = |n: &usize| (1..=BREADCRUMB_STEP_MAX_WORDS).contains(n);
    let from_home = at(0) == "home" && steps.first() == Some(&1);
    if arrows >= 2
        && (steps.iter().all(short)
            || (from_home
                && steps[..steps.len() - 1].iter().all(short)
                && steps[steps.len() - 1] > 0))
    {
        return Some(BREADCRUMB);
    }
    // "BC-EU--Britain-Brexit-Election, 1st Ld-Writethru": a news agency's slug
    let first = t.split_whitespace().next().unwrap_or_default();
    if first.contains("--")
        && first
            .split('-')
            .next()
            .is_some_and(|p| p.len() >= 2 && p.chars().all(|c| c.is_ascii_uppercase()))
    {
        return Some("a news agency's slug");
    }
    None
}

/// Does a line, read as lower-case words, name a month and a year ("Last Updated
/// January, 2025")?
fn month_and_year(lw: &[String]) -> bool {
    lw.iter().any(|w| crate::text::month_number(w).is_some())
        && lw.iter().any(|w| {
            w.len() == 4
                && w.bytes().all(|c| c.is_ascii_digit())
                && (w.as_str() >= "1900" && w.as_str() < "2100")
        })
}

/// [`story_metadata`]'s reason for a date and time on a line of their own.
pub(super) const STAMP_ALONE: &str = "a date and a time of day on a line of their own";

/// [`story_metadata`]'s reason for a breadcrumb trail.
pub(super) const BREADCRUMB: &str = "a breadcrumb trail";

/// Is a line, read as lower-case words, only a time of day or a date, marked as a
/// clock's or a calendar's: its numbers, month and day names, "at", "on", a.m. or p.m.
/// and time zones, with a month's name, a.m. or p.m. or a time zone among them?
fn stamp_alone(lw: &[String]) -> bool {
    const ZONES: &[&str] = &[
        "am", "pm", "gmt", "utc", "bst", "cet", "cest", "est", "edt", "cst", "cdt", "mst", "mdt",
        "pst", "pdt", "et", "pt", "ct", "ist", "jst", "kst", "aest",
    ];
    const DAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thurs",
        "fri",
        "sat",
        "sun",
    ];
    let month = |w: &str| crate::text::month_number(w).is_some();
    let numeric = |w: &str| {
        let d = w.trim_end_matches(|c: char| c.is_ascii_lowercase());
        !d.is_empty()
            && d.bytes().all(|c| c.is_ascii_digit())
            && matches!(&w[d.len()..], "" | "st" | "nd" | "rd" | "th" | "h")
    };
    // "a.m." is read as the words "a" and "m"
    let meridiem = |i: usize| {
        matches!(lw[i].as_str(), "a" | "p") && lw.get(i + 1).is_some_and(|w| w == "m")
            || (lw[i] == "m" && i > 0 && matches!(lw[i - 1].as_str(), "a" | "p"))
    };
    let marked =
        (0..lw.len()).any(|i| ZONES.contains(&lw[i].as_str()) || meridiem(i) || month(&lw[i]));
    !lw.is_empty()
        && marked
        && (0..lw.len()).all(|i| {
            let w = lw[i].as_str();
            numeric(w)
                || month(w)
                || meridiem(i)
                || ZONES.contains(&w)
                || DAYS.contains(&w)
                || matches!(w, "at" | "on")
        })
}

/// "Reading time" in the languages most met (with a count of minutes it is a reading time).
const READING_TIME: &[&str] = &[
    "reading time",
    "lesezeit",
    "tempo de leitura",
    "tiempo de lectura",
    "temps de lecture",
    "tempo di lettura",
    "leestijd",
];

/// Openings of a line crediting the reporting or the editing.
const CREDIT_OPENINGS: &[&str] = &[
    "additional reporting by",
    "reporting by",
    "editing by",
    "compiled by",
];

/// Labels of a line listing the story's tags or topics.
const TAG_LABELS: &[&str] = &[
    "tags",
    "tag",
    "tagged",
    "tagged with",
    "filed under",
    "topics",
    "in this article",
];

/// Picture and wire agencies, whose names alone on a short line, or closing one after a
/// comma or a slash, credit a picture ("Getty", "Jane Roe, Associated Press").
const AGENCIES: &[&str] = &[
    "associated press",
    "ap",
    "ap photo",
    "reuters",
    "afp",
    "afp photo",
    "getty",
    "getty images",
    "epa",
    "epa-efe",
    "shutterstock",
    "istock",
    "istockphoto",
    "alamy",
    "ansa",
    "dpa",
    "xinhua",
    "anadolu",
    "tass",
];

/// Is this (in any case) the name of a picture or wire agency ("AFP", "Getty Images")?
pub(super) fn is_agency(name: &str) -> bool {
    let key: Vec<String> = words(name).map(|w| w.to_lowercase()).collect();
    AGENCIES.contains(&key.join(" ").as_str())
}

/// A picture credit on a short line of its own: an agency's name alone or after a
/// comma or a slash ("Getty", "Jane Roe, Associated Press", "Jane Roe/AFP via Getty
/// Images"), or "Courtesy" and a name.
pub(super) fn agency_credit(t: &str, f: &Features) -> bool {
    if f.ends_sentence || f.words == 0 || f.words > CREDIT_LINE_MAX_WORDS {
        return false;
    }
    let t = t.trim();
    // "Getty Images / Jo Doe": the agency before the photographer
    let head: Vec<String> = t
        .split('/')
        .next()
        .map(|h| words(h).map(|w| w.to_lowercase()).collect())
        .unwrap_or_default();
    if t.contains('/') && AGENCIES.contains(&head.join(" ").as_str()) {
        return true;
    }
    let tail = t.rsplit([',', '/', '|']).next().unwrap_or(t);
    let tail = tail.rsplit(" via ").next().unwrap_or(tail);
    let key: Vec<String> = words(tail).map(|w| w.to_lowercase()).collect();
    let courtesy = words(t)
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("courtesy"));
    courtesy || AGENCIES.contains(&key.join(" ").as_str())
}

/// A short line of furniture words only ("Home", "Menu").
fn is_furniture_line(text: &str) -> bool {
    let lw: Vec<String> = words(text).map(|w| w.to_lowercase()).collect();
    PROMO_MARKER_SET.any(&lw) || furniture_only(&lw).is_some()
}

/// Phrases that mark a short line as page furniture whatever the site and wherever they
/// stand in it: sharing, subscribing, advertising, navigation. Matched as whole words.
pub(super) const PROMO_MARKERS: &[&str] = &[
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
    "why you can trust",
    "scroll to top",
    "view more",
    "back to overview",
    "zurück zur übersicht",
    "browse all posts",
    "back to all posts",
    "request reprint",
    "reprints & permissions",
    "reprints and permissions",
    "submit a correction",
    "submit correction",
    "most read",
    "most viewed",
    "most shared",
    "more stories",
    "you might also like",
    "you may also like",
    "privacy policy",
    "terms of use",
    "skip to",
    "back to top",
    "text size",
    "font size",
    "select page",
    "link copied",
    "copy link",
    "table of contents",
    "jump to recipe",
    "jump to video",
    "print mode",
    "short url",
    "email me",
    "comments powered by",
    "read full review",
    "read the review",
    "read review",
    "book a demo",
    "get the recipe",
    "click to share",
    "click to email",
    "click to print",
    "leave a reply",
    "cancel reply",
    "deixe uma resposta",
    "cancelar resposta",
    "deja una respuesta",
    "cancelar respuesta",
];

/// [`PROMO_MARKERS`], filed by first word.
static PROMO_MARKER_SET: PhraseSet = PhraseSet::new(PROMO_MARKERS);

/// A shop's buttons: furniture of the page, but evidence of themselves only (a deals
/// post stored clean keeps its "Buy now" under each product, as a caption stays a caption).
pub(super) const BUY_MARKERS: &[&str] = &[
    "buy now",
    "get it on amazon",
    "shop now",
    "buy on amazon",
    "view on amazon",
    "check price",
    "see price",
    "view deal",
];

/// [`BUY_MARKERS`], filed by first word.
static BUY_MARKER_SET: PhraseSet = PhraseSet::new(BUY_MARKERS);

/// A short line with no sentence end that is a shop's button ("Buy Now", "See price at
/// Harbour Books"), and the words that make it one.
pub(super) fn buy_button(text: &str, f: &Features) -> Option<&'static str> {
    if f.ends_sentence || f.words > FURNITURE_LINE_MAX_WORDS {
        return None;
    }
    let lw: Vec<String> = words(text).map(|w| w.to_lowercase()).collect();
    BUY_MARKER_SET.find(&lw)
}

/// A page's buttons that ask the reader to act, each the whole of its line ("Learn
/// More", "Book now", "Get in touch"), or its opening before a name ("Read Review!", "Start
/// course", "Check their rates and availability"): evidence of themselves only, as a
/// shop's buttons are.
const ACTION_BUTTONS: &[&str] = &[
    "learn more",
    "find out more",
    "book now",
    "apply now",
    "enroll now",
    "enrol now",
    "register now",
    "order now",
    "download now",
    "start now",
    "start course",
    "get started",
    "get in touch",
    "contact us",
    "read review",
    "read the review",
    "read full review",
    "to the review",
    "jump to review",
    "see details",
    "view details",
    "see deal",
    "get deal",
    "view plans",
    "see plans",
    "check rates",
    "check their rates",
    "check availability",
    "try it free",
    "try for free",
    "start free trial",
    "start your free trial",
    "request a demo",
    "request a quote",
    "get a quote",
];

/// Most words of a line that is a page's button asking the reader to act.
const ACTION_BUTTON_MAX_WORDS: usize = 6;

/// A short line that is a page's button asking the reader to act ([`ACTION_BUTTONS`]):
/// no sentence, or one that ends in "!" ("Read Review!"), opening with the button's words.
pub(super) fn action_button(text: &str, f: &Features) -> Option<&'static str> {
    let t = text.trim();
    // the first words of the buttons, compared before any word is put in lower case
    const FIRST: &[&str] = &[
        "learn", "find", "book", "apply", "enroll", "enrol", "register", "order", "download",
        "start", "get", "contact", "read", "to", "jump", "see", "view", "check", "try", "request",
    ];
    if !words(t)
        .next()
        .is_some_and(|w| FIRST.iter().any(|f| w.eq_ignore_ascii_case(f)))
    {
        return None;
    }
    // (a label ending in a colon introduces what follows: "Learn more:" over links)
    if f.words > ACTION_BUTTON_MAX_WORDS || f.ends_colon || (f.ends_sentence && !t.ends_with('!')) {
        return None;
    }
    let lw: Vec<String> = words(t).map(|w| w.to_lowercase()).collect();
    ACTION_BUTTONS
        .iter()
        .find(|m| {
            let n = m.split(' ').count();
            lw.len() >= n && has_phrase(&lw[..n], m)
        })
        .copied()
}

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
    "reddit",
    "flipboard",
    "tumblr",
    "telegram",
    "messenger",
    "sms",
    "submit",
    "sharing",
    "buttons",
    "youtube",
    "email",
    "mail",
    "subscription",
    "subscribers",
    "login",
    "register",
    "advertising",
    "advert",
    "adverts",
    "advertisement",
    "広告",
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
pub(super) fn furniture_only(lower_words: &[String]) -> Option<&'static str> {
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

/// ASCII words (lower case) looked for anywhere in a text, in any ASCII case, as
/// substrings: "subscri" is found in "Subscribe" and "unsubscribed". One automaton per
/// list, built the first time it is asked: most blocks hold none of the words, and the
/// rules ask on every block (a byte loop comparing each word where its first letter
/// stood took 8 % of the cleaner's time). The checks behind such a filter read the text
/// put in lower case, where a non-ASCII letter becomes ASCII only in the Kelvin sign ("K"
/// to "k"): so no word of a list may hold a "k" ("cookie" is looked for apart).
pub(in crate::clean) struct AsciiWords {
    words: &'static [&'static str],
    found: std::sync::OnceLock<aho_corasick::AhoCorasick>,
}

impl AsciiWords {
    pub(in crate::clean) const fn new(words: &'static [&'static str]) -> AsciiWords {
        AsciiWords {
            words,
            found: std::sync::OnceLock::new(),
        }
    }

    /// Does `text` hold any of the words, in any ASCII case?
    pub(in crate::clean) fn in_text(&self, text: &str) -> bool {
        self.found
            .get_or_init(|| {
                debug_assert!(
                    self.words.iter().all(|w| !w.contains('k')),
                    "{:?}",
                    self.words
                );
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(self.words)
                    .expect("a few short words make an automaton")
            })
            .is_match(text)
    }
}

/// Words that make a sentence a report of what someone said: the story's, not a note of
/// the page's own (a newsletter's, the comments' rules).
pub(in crate::clean) const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "warned",
    "wrote",
    "according",
    "asked",
    "announced",
];

/// [`AsciiWords::in_text`] the slow way, a word at a time: what a test compares it with.
#[cfg(test)]
pub(in crate::clean) fn holds_any_ascii_word(text: &str, words: &[&str]) -> bool {
    let lower = text.to_ascii_lowercase();
    words.iter().any(|w| lower.contains(w))
}

/// A list of phrases (words in lower case, one space between) looked for among a
/// block's words in lower case, as [`has_phrase`] finds each: the phrases are filed by
/// their first word the first time the list is asked, so each of the block's words is
/// looked up once rather than every phrase compared along the block (the lists of
/// furniture markers, sixty phrases and more, were a twelfth of the cleaner's time).
pub(super) struct PhraseSet {
    phrases: &'static [&'static str],
    /// First word -> (the phrase's place in the list, the words after the first).
    by_first: std::sync::OnceLock<FirstWords>,
}

type FirstWords =
    std::collections::HashMap<&'static str, Vec<(usize, Vec<&'static str>)>, crate::hash::FnvBuild>;

impl PhraseSet {
    pub(super) const fn new(phrases: &'static [&'static str]) -> PhraseSet {
        PhraseSet {
            phrases,
            by_first: std::sync::OnceLock::new(),
        }
    }

    /// The first phrase of the list (in the list's order) that `lower_words` hold:
    /// `phrases.iter().find(|m| has_phrase(lower_words, m))`.
    pub(super) fn find(&self, lower_words: &[String]) -> Option<&'static str> {
        let by_first = self.by_first.get_or_init(|| {
            let mut m = FirstWords::default();
            for (k, p) in self.phrases.iter().enumerate() {
                let mut ws = p.split(' ');
                let first = ws.next().unwrap_or_default();
                m.entry(first).or_default().push((k, ws.collect()));
            }
            m
        });
        let mut best: Option<usize> = None;
        for (i, w) in lower_words.iter().enumerate() {
            let Some(cands) = by_first.get(w.as_str()) else {
                continue;
            };
            for (k, rest) in cands {
                if best.is_some_and(|b| b <= *k) {
                    continue;
                }
                let follows = rest
                    .iter()
                    .enumerate()
                    .all(|(j, r)| lower_words.get(i + 1 + j).is_some_and(|x| x == r));
                if follows {
                    best = Some(*k);
                }
            }
        }
        best.map(|k| self.phrases[k])
    }

    /// Do `lower_words` hold any of the phrases?
    pub(super) fn any(&self, lower_words: &[String]) -> bool {
        self.find(lower_words).is_some()
    }
}

pub(super) fn has_phrase(lower_words: &[String], phrase: &str) -> bool {
    // the phrase is split only where its first word is found (most lines hold none)
    let (first, rest) = phrase.split_once(' ').unwrap_or((phrase, ""));
    lower_words.iter().enumerate().any(|(i, w)| {
        w == first
            && (rest.is_empty()
                || rest
                    .split(' ')
                    .enumerate()
                    .all(|(k, p)| lower_words.get(i + 1 + k).is_some_and(|x| x == p)))
    })
}

/// A lone source line: one to four words, no sentence punctuation, no digits,
/// every word capitalised (or in a script without case).
pub(super) fn looks_like_source(text: &str, f: &Features) -> bool {
    let t = text.trim();
    (1..=SOURCE_MAX_WORDS).contains(&f.words)
        && !f.ends_sentence
        && !t.contains(':')
        && !t.chars().any(|c| c.is_ascii_digit())
        && words(t).all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_lowercase())
        })
}

#[cfg(test)]
mod phrase_set_tests {
    use super::*;

    /// Every list filed by first word finds what [`has_phrase`] finds, the first phrase in
    /// the list's order, on lines made from the list's own phrases, pieces of them and
    /// lines that hold several.
    #[test]
    fn a_phrase_set_finds_the_first_phrase_has_phrase_finds() {
        const LIST: &[&str] = &["sign up", "sign up now", "up", "follow us on", "share"];
        let lists: [(&PhraseSet, &[&str]); 3] = [
            (&PhraseSet::new(LIST), LIST),
            (&PROMO_MARKER_SET, PROMO_MARKERS),
            (&BUY_MARKER_SET, BUY_MARKERS),
        ];
        for (set, phrases) in lists {
            let mut lines: Vec<String> = vec![String::new(), "nothing to see here".into()];
            for (k, p) in phrases.iter().enumerate() {
                let next = phrases[(k + 1) % phrases.len()];
                lines.push(p.to_string());
                lines.push(format!("please {p} today"));
                lines.push(format!("{next} and then {p}"));
                // the phrase without its last word
                lines.push(p.rsplit_once(' ').map_or("", |(a, _)| a).to_string());
            }
            for line in &lines {
                let lw: Vec<String> = line
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(String::from)
                    .collect();
                let want = phrases.iter().find(|m| has_phrase(&lw, m)).copied();
                assert_eq!(set.find(&lw), want, "{line:?}");
                assert_eq!(set.any(&lw), want.is_some(), "{line:?}");
            }
        }
        let lw: Vec<String> = ["x", "sign", "up", "now"].map(String::from).to_vec();
        assert_eq!(
            PhraseSet::new(LIST).find(&lw),
            Some("sign up"),
            "the list's order"
        );
    }
}

#[cfg(test)]
mod dateline_tests {
    use super::*;

    #[test]
    fn dates_in_numbers_are_datelines_rows_of_figures_and_money_are_not() {
        let dateline = |t: &str| is_dateline(t, &features::of(t));
        for t in [
            "27.09.2018 15:24",
            "09/12/2019 08:15",
            "2025•01•08",
            "15:23 2019",
        ] {
            assert!(dateline(t), "{t}");
        }
        for t in [
            "Aldmoor 10 12 9 10 — 41",
            "Quayside 14 15 16 13 — 58",
            "Normal Range: $19,473 - $88,340",
            "Fares: £12.50 to £14.75",
        ] {
            assert!(!dateline(t), "{t}");
        }
    }
}
