//! Pass 1, intrinsic: what each block is on its own (furniture words, captions and
//! credits, teaser labels, bylines, copyright, headlines run together), else prose or a
//! fragment.

use super::Verdict;
use crate::article::{Article, Markup};
use crate::clean::features::Features;
use crate::clean::limits::*;
use crate::clean::shapes::{
    action_button, agency_credit, buy_button, furniture_only, has_phrase, is_byline,
    story_metadata, PROMO_MARKERS,
};
use crate::clean::shapes::{AsciiWords, PhraseSet, REPORTING};
use crate::clean::Kind;
use crate::text::words;

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
    "affiliate commission",
    "earn a commission",
    "moderating all comments",
    "community standards",
    "community guidelines",
    "community rules",
    "submission guidelines",
    "other commenters",
    "support our journalism",
    "support independent journalism",
    "click here to support",
    "enjoyed this article",
    "liked this article",
];

/// [`FURNITURE_SENTENCE_MARKERS`], filed by first word.
static FURNITURE_SENTENCE_SET: PhraseSet = PhraseSet::new(FURNITURE_SENTENCE_MARKERS);

/// Notices about the page itself, not the story: how its links open, what the reader's
/// browser or device cannot play. Furniture in a short sentence that ends with one,
/// whoever it addresses ("These are external links and will open in a new window").
const PAGE_NOTICE_ENDS: &[&str] = &[
    "opens in new window",
    "open in new window",
    "opens in new tab",
    "open in a new window",
    "opens in a new window",
    "open in a new tab",
    "opens in a new tab",
    "unsupported on your device",
    "not supported on your device",
];

/// [`PAGE_NOTICE_ENDS`] that may stand anywhere in the sentence: the page's technical
/// notes and its comment form's (cookie notices: `notes::COOKIE_NOTICES`).
const PAGE_NOTICES: &[&str] = &[
    "requires javascript",
    "devi essere connesso per inviare un commento",
    "your email address will not be published",
    "required fields are marked",
    "o seu endereço de e-mail não será publicado",
    "campos obrigatórios são marcados",
    "tu dirección de correo electrónico no será publicada",
    "los campos obligatorios están marcados",
    "il tuo indirizzo email non sarà pubblicato",
    "votre adresse e-mail ne sera pas publiée",
    "ihre e-mail-adresse wird nicht veröffentlicht",
    "your browser does not support",
    "your browser doesn't support",
    "enable javascript",
    "javascript is disabled",
    "link copied",
    // a form's messages, saved with the page
    "something went wrong while submitting",
    "your submission has been received",
];

/// [`PAGE_NOTICES`], filed by first word.
static PAGE_NOTICE_SET: PhraseSet = PhraseSet::new(PAGE_NOTICES);

/// A site's note that it earns from what the reader buys through its links ("BGR may
/// receive a commission", "If you buy something through this post, we may get a share of
/// the sale"): furniture in a short sentence, whoever it names, unless reported.
const AFFILIATE_NOTES: &[&str] = &[
    "may receive a commission",
    "may earn a commission",
    "may get a commission",
    "may receive compensation",
    "may be compensated",
    "share of the sale",
    "contains affiliate links",
    "may contain affiliate links",
    "may generate small commissions",
    "may generate a small commission",
    "may earn a small commission",
    "may earn commissions",
];

/// The [`AFFILIATE_NOTES`] phrase a short sentence holds, unless it reports one.
fn affiliate_marker(lower_words: &[String]) -> Option<&'static &'static str> {
    AFFILIATE_NOTES
        .iter()
        .find(|m| has_phrase(lower_words, m))
        .filter(|_| !lower_words.iter().any(|w| REPORTING.contains(&w.as_str())))
}

/// Is a block hidden as page furniture evidence of itself only, like a caption: a site's
/// note on what it earns from its links, or a shop's button? A blog's or a deals post's
/// own text stored clean carries both. (`f`: the block's features.)
pub(in crate::clean) fn evidence_of_itself(text: &str, f: &Features) -> bool {
    if buy_button(text, f).is_some()
        || action_button(text, f).is_some()
        || super::notes::story_credit(text, f)
    {
        return true;
    }
    let lw: Vec<String> = words(text)
        .take(FURNITURE_READ_WORDS)
        .map(|w| w.to_lowercase())
        .collect();
    lw.len() <= FURNITURE_SENTENCE_MAX_WORDS && affiliate_marker(&lw).is_some()
}

/// Newsletter and sign-up bids in Japanese, found inside the words around them ("潮見新報
/// メールマガジン ... 登録はこちら": the paper's mail magazine, sign up here), and links to
/// the page in the other Chinese script.
const UNSPACED_PROMOS: &[&str] = &[
    "メールマガジン",
    "メルマガ",
    "登録はこちら",
    "ニュースレター",
    // links to the page in the other Chinese script ("阅读简体中文版")
    "简体中文版",
    "繁體中文版",
];

/// Bids to share the page, furniture in a short sentence whoever it addresses ("Like
/// this story? Share it with a friend!").
const SHARE_BIDS: &[&str] = &[
    "share it with a friend",
    "share it with your friends",
    "share this story",
    "share this article",
    "share this post",
];

/// [`SHARE_BIDS`], filed by first word.
static SHARE_BID_SET: PhraseSet = PhraseSet::new(SHARE_BIDS);

/// Networks and services a share bar names.
const SHARE_TARGETS: &[&str] = &[
    "facebook",
    "twitter",
    "linkedin",
    "reddit",
    "whatsapp",
    "pinterest",
    "tumblr",
    "telegram",
    "flipboard",
    "pocket",
    "email",
    "google+",
    "messenger",
];

/// Words a share bar holds besides the networks ("Share on: Facebook Twitter Google+").
const SHARE_BAR_WORDS: &[&str] = &[
    "on", "to", "via", "by", "and", "or", "this", "the", "article", "story", "post", "page",
    "print", "copy", "link", "more", "google", "x", "buttons", "addthis",
];

/// A share bar: a line with no sentence end made (three words in four, or all of it when
/// it does not say "share") of the networks to share on, two or more of them, and the
/// words around them ("Share on: Facebook Twitter Reddit Google+", "Share to
/// LinkedInLinkedInShare to FacebookFacebook", "Facebook Twitter WhatsApp Email"). A
/// headline about the networks ("Shares in Facebook and Twitter fell") says more.
fn share_bar(t: &str, f: &Features) -> bool {
    if f.ends_sentence || f.words > SHARE_BAR_MAX_WORDS {
        return false;
    }
    let lower = t.to_lowercase();
    let named = SHARE_TARGETS.iter().filter(|n| lower.contains(**n)).count();
    if named < 2 {
        return false;
    }
    let bar_word = |w: &str| {
        w.contains("shar")
            || SHARE_BAR_WORDS.contains(&w)
            || SHARE_TARGETS
                .iter()
                .any(|n| w.contains(n.trim_end_matches('+')))
    };
    let (all, bar) = words(&lower).fold((0, 0), |(a, b), w| (a + 1, b + usize::from(bar_word(w))));
    if lower.contains("shar") {
        bar * 4 >= all * 3
    } else {
        named >= 3 && bar == all
    }
}

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

/// What a newsletter says to its reader about the letter itself: how to leave it, set
/// what it sends, read it elsewhere, and why it came.
pub(super) const SUBSCRIPTION_MARKERS: &[&str] = &[
    "unsubscribe",
    "manage preferences",
    "manage your preferences",
    "email preferences",
    "update your preferences",
    "update preferences",
    "modify your preferences",
    "subscription preferences",
    "manage your subscription",
    "manage subscription",
    "view this email",
    "view this message",
    "view in browser",
    "view in your browser",
    "view it in your browser",
    "read it in your browser",
    "view it online",
    "view online",
    "receiving this email",
    "received this email",
    "receiving this message",
    "received this message",
    "receiving this newsletter",
    "received this newsletter",
    "receiving these emails",
    "stop receiving",
    "you are subscribed",
    "you're subscribed",
    "you signed up",
    "you subscribed",
    "successfully subscribed",
    "activate your subscription",
    "confirm your subscription",
    "thanks for subscribing",
    "thank you for subscribing",
];

/// [`SUBSCRIPTION_MARKERS`], filed by first word.
static SUBSCRIPTION_MARKER_SET: PhraseSet = PhraseSet::new(SUBSCRIPTION_MARKERS);

/// Letters every one of [`SUBSCRIPTION_MARKERS`] holds one of.
pub(super) const SUBSCRIPTION_KEYS: &[&str] = &[
    "subscri",
    "preferences",
    "view",
    "browser",
    "receiv",
    "signed",
];

/// Is this block a newsletter's note to its reader about the subscription ("You are
/// receiving this because you signed up...", "Unsubscribe | Manage your preferences",
/// "View this email in your browser")? It names one of [`SUBSCRIPTION_MARKERS`] and
/// speaks to the reader (or bids them: "Unsubscribe", "Manage", "Update", "View"), and
/// is short, quotes no one and reports nothing: a story's sentence about subscribers
/// ("Subscribers who unsubscribe from the print edition...", "..., the editor said")
/// stays.
pub(in crate::clean) fn subscription_note(t: &str, f: &Features) -> Option<&'static str> {
    if f.words > SUBSCRIPTION_NOTE_MAX_WORDS || t.contains(['"', '“', '”', '‘', '«', '»']) {
        return None;
    }
    // most blocks hold no marker's key: no words are made for them
    if !SUBSCRIPTION_KEY_SET.in_text(t) {
        return None;
    }
    let lw: Vec<String> = words(t).map(|w| w.to_lowercase()).collect();
    let marker = SUBSCRIPTION_MARKER_SET.find(&lw)?;
    if lw.iter().any(|w| REPORTING.contains(&w.as_str())) {
        return None;
    }
    let bids = lw
        .first()
        .is_some_and(|w| matches!(w.as_str(), "unsubscribe" | "manage" | "update" | "view"));
    (bids || speaks_to_the_reader(&lw)).then_some(marker)
}

/// Phrases of a notice that the page's text is not to be copied.
const REPRODUCTION_NOTICES: &[&str] = &[
    "may not be reproduced",
    "may not be republished",
    "without the prior written permission",
    "without prior written permission",
    "without the express written permission",
    "without express written permission",
];

/// What a site's notice against copying speaks of: the page itself.
const NOTICE_SUBJECTS: &[&str] = &[
    "this site",
    "this website",
    "this page",
    "this article",
    "this material",
    "the material",
    "this content",
    "the content",
    "our content",
];

/// A site's notice that its pages may not be copied ("The material on this site may not
/// be reproduced, distributed, transmitted, cached or otherwise used, except with the
/// prior written permission of ..."). A story's sentence about such a rule reports it
/// (said, ruled) or quotes it, and a story's line about other things ("the photos were
/// published without prior written permission") does not speak of the page.
fn reproduction_notice(t: &str, f: &Features) -> bool {
    if f.words > NOTICE_MAX_WORDS
        || t.contains(['"', '“', '”', '«', '»'])
        || !REPRODUCTION_KEYS.in_text(t)
    {
        return false;
    }
    let lw: Vec<String> = words(t).map(|w| w.to_lowercase()).collect();
    let reports = lw
        .iter()
        .any(|w| REPORTING.contains(&w.as_str()) || w == "ruled");
    // the notice speaks of the page itself
    let of_the_page = NOTICE_SUBJECTS.iter().any(|p| has_phrase(&lw, p));
    !reports && of_the_page && REPRODUCTION_NOTICES.iter().any(|p| has_phrase(&lw, p))
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
    "アクセスランキング",
    "関連記事",
    "人気記事",
];

/// Labels that head a list of links to other stories, each the whole of its line.
const LIST_LABELS: &[&str] = &[
    "related",
    "related stories",
    "related articles",
    "related links",
    "other posts",
    "recent posts",
    "latest posts",
    "popular posts",
    "more posts",
    "other articles",
    "related posts",
    "related news",
    "related coverage",
    "recommended",
    "recommended stories",
    "recommended posts",
    "recommended articles",
    "recommended reading",
    "recommended for you",
    "explore further",
    "most read",
    "most popular",
    "most viewed",
    "most shared",
    "more stories",
    "top stories",
    "latest news",
    "latest stories",
    "you may also like",
    "you might also like",
    "you may also be interested in",
    "you might also be interested in",
    "you may be interested in",
    "you might be interested in",
    "more on this story",
    "more on this topic",
    "read next",
    "what to read next",
    "editor's picks",
    "editors' picks",
    "see also",
    "also read",
    "read also",
    // other languages' everyday labels: German, French, Spanish, Portuguese, Italian,
    // Dutch, Russian
    "mehr zum thema",
    "lesen sie auch",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "weitere artikel",
    "weitere beiträge",
    "weitere beiträge zum thema",
    "ähnliche artikel",
    "meistgelesen",
    "meistgelesene artikel",
    "lire aussi",
    "à lire aussi",
    "sur le même sujet",
    "articles similaires",
    "les plus lus",
    "vous aimerez aussi",
    "à voir aussi",
    "te puede interesar",
    "también te puede interesar",
    "noticias relacionadas",
    "artículos relacionados",
    "lo más leído",
    "lee también",
    "más noticias",
    "leia também",
    "veja também",
    "notícias relacionadas",
    "artigos relacionados",
    "mais lidas",
    "você também pode gostar",
    "leggi anche",
    "articoli correlati",
    "potrebbe interessarti",
    "ti potrebbe interessare",
    "i più letti",
    "lees ook",
    "meest gelezen",
    "gerelateerde artikelen",
    "читайте также",
    "материалы по теме",
    "по теме",
    "похожие материалы",
    "похожие статьи",
    "самое читаемое",
    "вам также может быть интересно",
    "вам может быть интересно",
    "смотрите также",
    // Japanese: ranking by reads, related articles, popular articles
    "アクセスランキング",
    "関連記事",
    // Korean: most viewed, related, popular, recommended
    "많이 본 뉴스",
    "많이 본 기사",
    "많이 본 칼럼",
    "가장 많이 본 뉴스",
    "관련 기사",
    "관련기사",
    "인기 기사",
    "인기기사",
    "추천 기사",
    "人気記事",
];

/// A label that heads a list only when it says so: with a colon or trailing off
/// ("More:", "More..."), not alone ("More").
const OPENING_LABELS: &[&str] = &["more", "read more", "related"];

/// A short line that is only a label heading a list of other stories ("You may also
/// like...", "Related links:", "More from Space..."): it trails off, opens a list (a
/// colon) or has no sentence end. A label ending in a full stop or a question mark is a
/// sentence; "More from" takes a name (capitalised words), nothing else.
fn list_label(t: &str, f: &Features, lower_words: &[String]) -> Option<&'static str> {
    if f.words > LIST_LABEL_MAX_WORDS
        || (f.ends_sentence && !trails_off(t))
        || t.trim_end_matches(':').contains(':')
    {
        return None;
    }
    let whole = lower_words.join(" ");
    if let Some(m) = LIST_LABELS.iter().find(|m| **m == whole) {
        return Some(m);
    }
    if t.ends_with(':') || trails_off(t) {
        if let Some(m) = OPENING_LABELS.iter().find(|m| **m == whole) {
            return Some(m);
        }
    }
    let named = words(t)
        .skip(2)
        .all(|w| w.starts_with(|c: char| c.is_uppercase()));
    // "Elsewhere on pv magazine...": a name in any case, trailing off
    let named = named || trails_off(t);
    [
        "more from",
        "more in",
        "next up in",
        "popular on",
        "related roundup",
        "elsewhere on",
        "you may also like",
        "you might also like",
        "you may also enjoy",
    ]
    .into_iter()
    .find(|p| starts_with_phrase(lower_words, p) && lower_words.len() > 2 && named)
}

/// Pass 1b: the headlines a list label heads ("Related links:", "You may also like...").
/// From each label down, the blocks shaped as headlines (three words or more, no sentence
/// end, trailing off, or a short question) are links to other stories, up to the first
/// block that is not: a paragraph that ends like a sentence ends the list, and so does a
/// headline right above one (a subheading, or a teaser with its summary: the story may
/// have started again). Blocks hidden already are passed over.
pub(super) fn list_pass(article: &Article, feats: &[Features], verdicts: &mut [Verdict]) {
    let n = verdicts.len();
    let mut i = 0;
    while i < n {
        let label = match &verdicts[i] {
            Verdict::Hide(..) if feats[i].words <= LIST_LABEL_MAX_WORDS => {
                let t = article.blocks[i].text.trim();
                let lw: Vec<String> = words(t).map(|w| w.to_lowercase()).collect();
                list_label(t, &feats[i], &lw)
            }
            _ => None,
        };
        let Some(label) = label else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < n && j - i <= LIST_REACH {
            if !matches!(verdicts[j], Verdict::Hide(..)) {
                let t = article.blocks[j].text.trim();
                // a headline over a paragraph is that paragraph's subheading, or a
                // teaser's: the list has ended, or may have
                let over_prose = matches!(verdicts.get(j + 1), Some(Verdict::Prose))
                    && !headline_shaped(article.blocks[j + 1].text.trim(), &feats[j + 1]);
                if !headline_shaped(t, &feats[j]) || over_prose {
                    break;
                }
                verdicts[j] = Verdict::Hide(
                    Kind::RelatedHeadline,
                    format!("{LIST_ITEM} {label:?}: a link to another story"),
                );
            }
            j += 1;
        }
        i = j;
    }
}

/// How the hide of a headline under a list label begins its reason (the model reads it:
/// what marks the headline is the label above it, which the model does not see).
pub(in crate::clean) const LIST_ITEM: &str = "a headline in the list under";

/// How the hide of a list label begins its reason (the model reads it: a label's words
/// are its evidence, which the model does not read).
pub(in crate::clean) const LIST_LABEL: &str = "a label over a list of other stories";

/// What a writer's note about themself calls them ("Jo Doe is a staff writer at ...").
const WRITER_ROLES: &[&str] = &[
    "writer",
    "reporter",
    "editor",
    "correspondent",
    "contributor",
    "columnist",
    "journalist",
    "freelancer",
    "blogger",
    "author",
];

/// A note on the writer: a name (two to four capitalised words, perhaps an address in
/// brackets after it) that "is a", "is an" or "is the" writer, reporter, editor...
/// within a few words ("Jo Doe (jo@example.com) is the editor of The Review, and a
/// senior staff writer with Space News.").
fn writer_note(t: &str, f: &Features) -> bool {
    if !f.ends_sentence || f.words > WRITER_NOTE_MAX_WORDS {
        return false;
    }
    let ws: Vec<&str> = t.split_whitespace().collect();
    let Some(is) = ws.iter().take(7).position(|w| *w == "is") else {
        return false;
    };
    let name = ws[..is]
        .iter()
        .filter(|w| !(w.starts_with('(') || w.ends_with(')')));
    let named = (2..=4).contains(&name.clone().count())
        && name
            .clone()
            .all(|w| w.starts_with(|c: char| c.is_uppercase()));
    let article = ws
        .get(is + 1)
        .is_some_and(|w| matches!(*w, "a" | "an" | "the" | "our"));
    let role = ws.iter().skip(is + 2).take(5).any(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        WRITER_ROLES.contains(&w.as_str())
    });
    named && article && role
}

/// Pass 1c: a note on the writer where the story ends: no paragraph of the story follows
/// it (only other notes, or clutter). A note of that shape inside the story is the
/// story's ("Jo Doe is a reporter for the Herald who broke the news in May.").
pub(super) fn writer_note_pass(article: &Article, feats: &[Features], verdicts: &mut [Verdict]) {
    about_the_author(article, verdicts);
    let Some(last_prose) = verdicts
        .iter()
        .enumerate()
        .rev()
        .find(|(i, v)| {
            matches!(v, Verdict::Prose) && !writer_note(article.blocks[*i].text.trim(), &feats[*i])
        })
        .map(|(i, _)| i)
    else {
        return;
    };
    for i in last_prose + 1..verdicts.len() {
        if matches!(verdicts[i], Verdict::Prose)
            && writer_note(article.blocks[i].text.trim(), &feats[i])
        {
            verdicts[i] = Verdict::Hide(
                Kind::Byline,
                "a note on the writer where the story ends: a name that is a writer, reporter or editor".into(),
            );
        }
    }
}

/// The reason of a note on the writer hidden under its label ([`about_the_author`]).
pub(in crate::clean) const ABOUT_THE_WRITER: &str = "a note on the writer, under its label";

/// Labels over a note on the writer, in the languages most met.
const ABOUT_THE_AUTHOR: &[&str] = &[
    "about the author",
    "about the writer",
    "about the reporter",
    "über den autor",
    "über die autorin",
    "sobre o autor",
    "sobre a autora",
    "sobre el autor",
    "sobre la autora",
    "à propos de l'auteur",
    "a proposito dell'autore",
    "over de auteur",
];

/// A note on the writer under its label ("About the author", "Über den Autor"): the label
/// is hidden, with what it heads, the paragraph below it; a label that begins its block
/// ("About the Author Jo Doe is a writer at ...") is hidden whole.
fn about_the_author(article: &Article, verdicts: &mut [Verdict]) {
    for i in 0..verdicts.len() {
        let t = article.blocks[i].text.trim();
        // every label opens with one of these letters; most blocks are passed over here
        if !t.starts_with(['A', 'a', 'Ü', 'ü', 'S', 's', 'À', 'à', 'O', 'o']) {
            continue;
        }
        let cut = (0..=t.len().min(32))
            .rev()
            .find(|&n| t.is_char_boundary(n))
            .unwrap_or(0);
        let head = &t[..cut];
        let head = head.to_lowercase().replace('’', "'");
        let Some(label) = ABOUT_THE_AUTHOR.iter().find(|l| head.starts_with(**l)) else {
            continue;
        };
        // the label ends where its word does ("About the authorities..." is a sentence),
        // or where a glued name begins ("About the AuthorTOI Desk")
        let next = t.chars().nth(label.chars().count());
        if next.is_some_and(|c| c.is_alphanumeric() && !c.is_uppercase()) {
            continue;
        }
        let rest = head[label.len()..].trim_start_matches([':', ' ']);
        verdicts[i] = Verdict::Hide(Kind::Byline, ABOUT_THE_WRITER.into());
        if rest.is_empty() {
            // the label alone: the note is the next block the rules kept
            if let Some(j) =
                (i + 1..verdicts.len()).find(|&j| !matches!(verdicts[j], Verdict::Hide(..)))
            {
                if matches!(verdicts[j], Verdict::Prose) {
                    verdicts[j] = Verdict::Hide(Kind::Byline, ABOUT_THE_WRITER.into());
                }
            }
        }
    }
}

/// How a hide of a reader's comment begins its reason (the model reads it: a comment is
/// prose, and what marks it is the heading above it, which the model does not see).
pub(in crate::clean) const READER_COMMENT: &str = "a reader's comment";

/// The heading of the readers' comments under a story: a count of them on the story's
/// own title ("10 thoughts on “Harbour fares rise”", "34 responses to “...”").
fn comments_heading(t: &str, title_key: &str) -> bool {
    const ON: &[&str] = &[
        "thoughts on",
        "responses to",
        "comments on",
        "comments to",
        "replies to",
        "reactions to",
    ];
    let Some((count, rest)) = t.split_once(' ') else {
        return false;
    };
    let Some(on) = ON.iter().find(|p| {
        rest.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    }) else {
        return false;
    };
    let quoted = rest[on.len()..].trim();
    !title_key.is_empty()
        && (count.parse::<u32>().is_ok() || count.eq_ignore_ascii_case("one"))
        && crate::text::norm_key(quoted).starts_with(
            title_key
                .get(..title_key.len().min(COMMENTS_TITLE_KEY_CHARS))
                .unwrap_or(title_key),
        )
}

/// Pass 1d: the readers' comments under a story, from their heading ("10 thoughts on
/// “<the story's title>”") or the first comment's header ("Jo Doe on November 15, 2018
/// at 10:12 am said:") down: every block below is a reader's, not the story's. Only below
/// the story's own paragraphs (three at least above it).
pub(super) fn comments_pass(
    article: &Article,
    feats: &[Features],
    title_key: &str,
    verdicts: &mut [Verdict],
) {
    let mut prose = 0;
    let start = (0..verdicts.len()).find(|&i| {
        let t = article.blocks[i].text.trim();
        let found = prose >= COMMENTS_MIN_PROSE_ABOVE
            && (comments_heading(t, title_key)
                || crate::clean::shapes::comment_header(t, &feats[i]));
        if matches!(verdicts[i], Verdict::Prose) && feats[i].words >= NEIGHBOUR_PROSE_WORDS {
            prose += 1;
        }
        found
    });
    let Some(start) = start else {
        return;
    };
    let label: String = article.blocks[start].text.trim().chars().take(40).collect();
    verdicts[start] = Verdict::Hide(
        Kind::Promo,
        "the heading of the readers' comments below the story".into(),
    );
    for v in &mut verdicts[start + 1..] {
        if !matches!(v, Verdict::Hide(..)) {
            *v = Verdict::Hide(Kind::Promo, format!("{READER_COMMENT}, below {label:?}"));
        }
    }
}

/// A line shaped as a headline: three words or more, at most a teaser's, and no sentence
/// end (or one that trails off, or a short question).
fn headline_shaped(t: &str, f: &Features) -> bool {
    let question = t.ends_with('?') && f.words <= LIST_QUESTION_MAX_WORDS;
    (3..=TEASER_MAX_WORDS).contains(&f.words)
        && (!f.ends_sentence || trails_off(t) || question)
        && !f.ends_colon
}

/// Does the line trail off ("More from Space...")?
fn trails_off(t: &str) -> bool {
    t.ends_with("...") || t.ends_with('\u{2026}')
}

fn starts_with_phrase(lower_words: &[String], phrase: &str) -> bool {
    let p: Vec<&str> = phrase.split(' ').collect();
    lower_words.len() >= p.len() && lower_words.iter().zip(&p).all(|(a, b)| a == b)
}

/// A caption or credit as scraped pages keep them, under the label a screen reader hears:
/// "Image caption Crowds gathered...", "Image copyright Getty Images", "Media
/// captionWho is Jo Doe?" (the label glued to what follows). Returns the label. A credit
/// ("copyright", "source") names its holder in a few words and no sentence; a caption
/// may be a sentence.
fn picture_label(t: &str, f: &Features) -> Option<String> {
    const WHAT: &[&str] = &["image", "media", "video", "photo", "picture"];
    const LABELS: &[&str] = &["caption", "copyright", "source", "credit"];
    let mut ws = t.split_whitespace();
    let (first, second) = (ws.next()?, ws.next()?);
    if !WHAT.iter().any(|w| first.eq_ignore_ascii_case(w)) {
        return None;
    }
    let label = LABELS.iter().find(|l| {
        second.len() >= l.len()
            && second.is_char_boundary(l.len())
            && second[..l.len()].eq_ignore_ascii_case(l)
            // the label alone, or glued to a capital: "captionWho", not "sourced"
            && second[l.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_uppercase() || c == ':')
    })?;
    if f.words > CAPTION_MAX_WORDS {
        return None;
    }
    if *label != "caption" {
        // a credit names its holder: "Image copyright Getty Images", not "Image
        // copyright law explained"
        let rest = second[label.len()..].trim_start_matches(':');
        let holder = if rest.is_empty() {
            ws.next()
        } else {
            Some(rest)
        };
        let named = holder
            .and_then(|w| w.chars().next())
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if f.ends_sentence || f.words > PICTURE_CREDIT_MAX_WORDS || !named {
            return None;
        }
    }
    Some(format!("{} {label}", first.to_lowercase()))
}

/// An embedded post's credit line ("A post shared by Jo Doe (@jodoe)") or a template's
/// placeholder text ("Lorem ipsum dolor sit amet..."): the page's, not the story's.
fn embed_or_placeholder(t: &str) -> Option<&'static str> {
    let opens = |p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    if opens("a post shared by ") && t.contains("(@") {
        Some("an embedded post's credit line")
    } else if opens("lorem ipsum") {
        Some("a template's placeholder text")
    } else {
        None
    }
}

/// A bid to follow the site on a social network: it opens with "Follow" and names a
/// network or a handle ("Follow us on Twitter", "Follow The Times on Facebook and
/// Instagram", "Follow @Deals on Twitter to keep up...") or breaks off at "on" where the
/// page's icons stood ("Follow RT on"). A story's sentence reports who follows what.
fn follow_bid(t: &str, f: &Features, lower_words: &[String]) -> bool {
    if f.words > FURNITURE_SENTENCE_MAX_WORDS
        || lower_words.first().map(String::as_str) != Some("follow")
    {
        return false;
    }
    let lower = t.to_lowercase();
    let reports = lower_words.iter().any(|w| REPORTING.contains(&w.as_str()));
    let names = SHARE_TARGETS.iter().any(|n| lower.contains(n))
        || lower.contains("instagram")
        || t.split_whitespace()
            .any(|w| w.starts_with('@') && w.len() > 1);
    let breaks_off = !f.ends_sentence && lower_words.last().map(String::as_str) == Some("on");
    !reports && (names || (breaks_off && f.words <= FOLLOW_LINE_MAX_WORDS))
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

/// What a block is on its own: its shape and the furniture words it carries.
/// (`is_title`: the block's key is the title's.)
pub(super) fn intrinsic(text: &str, markup: Markup, f: &Features, is_title: bool) -> Verdict {
    let t = text.trim();
    // the furniture checks read short blocks only; the first words are enough (in lower
    // case, made when a check first needs them: most blocks are long prose that none
    // reads)
    let lw_once = std::cell::OnceCell::new();
    let lw = || -> &Vec<String> {
        lw_once.get_or_init(|| {
            words(t)
                .take(FURNITURE_READ_WORDS)
                .map(|w| w.to_lowercase())
                .collect()
        })
    };
    if f.words == 0 {
        return Verdict::Hide(Kind::Promo, "has no words".into());
    }
    if is_title {
        return Verdict::Hide(Kind::Duplicate, "repeats the title".into());
    }
    if t.starts_with('©')
        || words(t)
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("copyright"))
        || (RESERVED.in_text(t) && has_phrase(lw(), "all rights reserved"))
        || t.starts_with("(c) ")
        || t.starts_with("(C) ")
    {
        return Verdict::Hide(Kind::Copyright, "a copyright line".into());
    }
    if reproduction_notice(t, f) {
        return Verdict::Hide(
            Kind::Copyright,
            "a copyright notice: the page may not be reproduced without permission".into(),
        );
    }
    if is_byline(t, f) {
        return Verdict::Hide(
            Kind::Byline,
            "a byline: \"By\" and a name, no sentence".into(),
        );
    }
    if agency_credit(t, f) {
        return Verdict::Hide(Kind::Caption, "a picture credit: an agency's name".into());
    }
    if let Some(what) = story_metadata(t, f, || lw().as_slice()) {
        return Verdict::Hide(Kind::Byline, format!("{what}: the story's metadata"));
    }
    if let Some(what) = embed_or_placeholder(t) {
        return Verdict::Hide(Kind::Promo, what.into());
    }
    if let Some(label) = picture_label(t, f) {
        return Verdict::Hide(
            Kind::Caption,
            format!("a picture's caption or credit, labelled {label:?}"),
        );
    }
    if let Some((kind, why)) = super::notes::page_note(t, f) {
        return Verdict::Hide(kind, why.into());
    }
    let opens_follow = || {
        words(t)
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("follow"))
    };
    if f.words <= FURNITURE_SENTENCE_MAX_WORDS && opens_follow() && follow_bid(t, f, lw()) {
        return Verdict::Hide(
            Kind::Promo,
            "a bid to follow the site on a social network".into(),
        );
    }
    if f.words <= CAPTION_MAX_WORDS
        && lw()
            .first()
            .is_some_and(|w| CAPTION_MARKERS.contains(&w.as_str()))
        && caption_label(t)
    {
        return Verdict::Hide(Kind::Caption, "a photo caption or credit".into());
    }
    if f.words <= CREDIT_MAX_WORDS
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
    if let Some(m) = subscription_note(t, f) {
        return Verdict::Hide(
            Kind::Promo,
            format!("a newsletter's note to the reader about the subscription ({m:?})"),
        );
    }
    if f.words <= FURNITURE_SENTENCE_MAX_WORDS {
        let marker = || {
            FURNITURE_SENTENCE_SET
                .find(lw())
                .filter(|_| speaks_to_the_reader(lw()))
        };
        let notice = || {
            let ends = |m: &&&str| {
                let n = m.split(' ').count();
                lw().len() >= n && has_phrase(&lw()[lw().len() - n..], m)
            };
            PAGE_NOTICE_ENDS
                .iter()
                .find(ends)
                .copied()
                .filter(|_| lw().len() < FURNITURE_READ_WORDS)
                .or_else(|| PAGE_NOTICE_SET.find(lw()))
        };
        let bid = || SHARE_BID_SET.find(lw());
        let affiliate = || affiliate_marker(lw()).copied();
        // scripts written without spaces hold the phrase inside a longer word
        let unspaced = || {
            UNSPACED_PROMOS
                .iter()
                .find(|m| !t.is_ascii() && t.contains(**m))
                .copied()
        };
        if let Some(m) = marker()
            .or_else(notice)
            .or_else(bid)
            .or_else(affiliate)
            .or_else(unspaced)
        {
            return Verdict::Hide(
                Kind::Promo,
                format!("a short sentence of page furniture ({m:?})"),
            );
        }
    }
    if f.words > LIST_MIN_WORDS && !f.ends_sentence {
        if let Some(m) = LIST_HEADINGS.iter().find(|m| starts_with_phrase(lw(), m)) {
            return Verdict::Hide(
                Kind::HeadlineList,
                format!("a list of other stories under {m:?}"),
            );
        }
    }
    if share_bar(t, f) {
        return Verdict::Hide(
            Kind::Promo,
            "a share bar: the networks to share the page on".into(),
        );
    }
    if let Some(m) = (f.words <= LIST_LABEL_MAX_WORDS)
        .then(|| list_label(t, f, lw()))
        .flatten()
    {
        return Verdict::Hide(Kind::Promo, format!("{LIST_LABEL} ({m:?})"));
    }
    if let Some(label) = teaser_label(t) {
        return Verdict::Hide(
            Kind::RelatedHeadline,
            format!("a link to another story ({label:?})"),
        );
    }
    if f.words <= FURNITURE_LINE_MAX_WORDS && !f.ends_sentence {
        if let Some(m) = PROMO_MARKERS
            .iter()
            .find(|m| has_phrase(lw(), m))
            .copied()
            .or_else(|| furniture_only(lw()))
        {
            return Verdict::Hide(
                Kind::Promo,
                format!("a short line of page furniture ({m:?})"),
            );
        }
    }
    if let Some(m) = buy_button(t, f) {
        return Verdict::Hide(Kind::Promo, format!("a shop's button ({m:?})"));
    }
    if let Some(m) = action_button(t, f) {
        return Verdict::Hide(
            Kind::Promo,
            format!("a button asking the reader to act ({m:?})"),
        );
    }
    if f.words <= CREDIT_TAIL_MAX_WORDS && has_credit_tail(t) {
        return Verdict::Hide(Kind::Caption, "ends with a picture credit".into());
    }
    if markup == Markup::Heading {
        return Verdict::Fragment;
    }
    if f.words >= RUN_TOGETHER_MIN_WORDS && !f.ends_sentence && f.inner_breaks == 0 && !f.ends_colon
    {
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
        if f.words >= UNPUNCTUATED_PROSE_WORDS {
            return Verdict::Prose;
        }
    }
    if f.ends_sentence
        || f.ends_colon
        || markup == Markup::ListItem
        || (f.inner_breaks >= 1 && f.words >= BROKEN_PROSE_WORDS)
    {
        Verdict::Prose
    } else {
        Verdict::Fragment
    }
}

/// The words of a copyright notice's reservation and of a reproduction notice.
static RESERVED: AsciiWords = AsciiWords::new(&["reserved"]);
static REPRODUCTION_KEYS: AsciiWords =
    AsciiWords::new(&["reproduced", "republished", "permission"]);
/// [`SUBSCRIPTION_KEYS`] as one automaton.
static SUBSCRIPTION_KEY_SET: AsciiWords = AsciiWords::new(SUBSCRIPTION_KEYS);

/// Several headlines run together into one block: long, unpunctuated, and either
/// restarting with a capital again and again or capitalised throughout.
fn run_together(f: &Features, text: &str) -> bool {
    // headlines carry few commas; a clause-rich line is a sentence that lost its stop
    let commas = text.matches(',').count();
    if commas * WORDS_PER_COMMA > f.words {
        return false;
    }
    f.joins >= RESTARTS
        || (f.joins >= RESTARTS_IN_LONG && f.words >= LONG_RUN_WORDS)
        || (f.words >= CAPITALISED_RUN_WORDS && f.cased > 0 && f.capitalised * 4 >= f.cased * 3)
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
    if words(rest).count() == 0 || words(t).count() > TEASER_MAX_WORDS {
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
    let sentence_before = cut > 0 && words(&t[..cut]).nth(2).is_some();
    let bare = cut == 0
        && tail.matches('/').count() >= 2
        && !tail.contains([',', ':'])
        && !tail.chars().any(|c| c.is_ascii_digit());
    if (sentence_before || bare)
        && slash_between_names
        && (2..=CREDIT_NAMES_MAX_WORDS).contains(&tail_words.len())
        && names(&tail_words)
    {
        return true;
    }
    // "Jo Doe, the harbour master (AFP)": an agency's name, written as the agency writes
    // it, closing a caption-length line ("... die Patientenakte (ePA)" names no agency)
    if let Some((before, inner)) = t.strip_suffix(')').and_then(|x| x.rsplit_once('(')) {
        let n = words(before).count();
        if (3..=CAPTION_AGENCY_MAX_WORDS).contains(&n)
            && inner.starts_with(|c: char| c.is_uppercase())
            && crate::clean::shapes::is_agency(inner)
        {
            return true;
        }
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
            && (1..=CREDIT_PAREN_MAX_WORDS).contains(&ws.len())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_of_the_words_is_found_by_the_automaton_as_each_alone() {
        let texts = [
            "",
            "View this email in your BROWSER",
            "Über die Präferenzen: preferences",
            "receiving",
            "no marker at all here",
            "subscri",
            "subscr",
            "ends with vie",
            "é view é",
            "SuBsCrIbE",
            "Moderación: los comentarios",
            "MODÉRATION des commentaires",
            "All Rights RESERVED.",
            "reserve",
        ];
        let lists: [(&AsciiWords, &[&str]); 3] = [
            (&SUBSCRIPTION_KEY_SET, SUBSCRIPTION_KEYS),
            (&RESERVED, &["reserved"]),
            (
                &super::super::notes::NOTE_KEY_SET,
                super::super::notes::NOTE_KEYS,
            ),
        ];
        for t in texts {
            for (set, words) in lists {
                assert_eq!(
                    set.in_text(t),
                    crate::clean::shapes::holds_any_ascii_word(t, words),
                    "{t:?} {words:?}"
                );
            }
        }
        assert!(RESERVED.in_text("All Rights RESERVED."));
        assert!(!RESERVED.in_text("reserve"));
    }
}
