//! Pass 1, more of what a block is on its own: page markup left in the text (a
//! shortcode, an icon's name), the page's notes (the comments' rules, a cookie notice at
//! length, how to cite the page) and the story's credits (who contributed to the report,
//! how to write to the writer). Each is evidence of what the block is, whatever stands
//! around it.

use crate::clean::features::Features;
use crate::clean::limits::*;
use crate::clean::shapes::has_phrase;
use crate::clean::shapes::{AsciiWords, PhraseSet, REPORTING};
use crate::clean::Kind;
use crate::text::words;

// the reasons given, each the evidence itself
pub(super) const SHORTCODE: &str = "page markup left in the text: a shortcode with its settings";
pub(super) const ICON: &str = "an icon's name left in a link's text";
pub(super) const COMMENT_RULE: &str = "a note on the rules of the readers' comments";
pub(super) const COOKIE: &str = "the site's cookie notice";
pub(super) const CONTRIBUTED_CREDIT: &str = "a credit for a contribution to the report";
pub(super) const CONTACT: &str = "how to write to the writer";
pub(super) const CITATION: &str = "how to cite the page";
pub(super) const ARROW_LINK: &str = "a link's label, ending in its arrow";

/// Notes on the readers' comments: their rules, and that they are read before they are
/// shown. Furniture in a sentence that speaks to the reader.
const COMMENT_RULES: &[&str] = &[
    "other commenters",
    "as you comment",
    "when commenting",
    "before commenting",
    "comment policy",
    "commenting policy",
    "comments policy",
    "submission guidelines",
    "community guidelines",
    "community standards",
    "comments are moderated",
    "comments will be moderated",
];

/// [`COMMENT_RULES`], filed by first word.
static COMMENT_RULE_SET: PhraseSet = PhraseSet::new(COMMENT_RULES);

/// The same notes in the other languages most met, plain enough to need no address to
/// the reader: the comments are moderated, or approved by the moderator.
const COMMENT_RULES_ELSEWHERE: &[&str] = &[
    "aprovados pelo moderador",
    "comentários são moderados",
    "comentários serão moderados",
    "aprobados por el moderador",
    "los comentarios son moderados",
    "approvati dal moderatore",
    "i commenti sono moderati",
    "approuvés par le modérateur",
    "les commentaires sont modérés",
    "kommentare werden moderiert",
    "vom moderator freigeschaltet",
];

/// A site's cookie notice, which runs longer than a short sentence ("We use cookies to
/// ensure that we give you the best experience on our website. If you continue...").
const COOKIE_NOTICES: &[&str] = &[
    "we use cookies",
    "this site uses cookies",
    "this website uses cookies",
    "our site uses cookies",
    "our website uses cookies",
    "utilizziamo i cookie",
    "questo sito utilizza cookie",
    "utilizamos cookies",
    "este sitio web utiliza cookies",
    "nous utilisons des cookies",
    "wir verwenden cookies",
    "diese website verwendet cookies",
];

/// How a credit for the reporting ends ("Jo Doe contributed to this report.").
const CONTRIBUTED: &[&str] = &[
    "contributed to this report",
    "contributed to this story",
    "contributed to this article",
    "contributed reporting",
];

/// The first part of the name of an icon drawn from a font by its name, whose name is
/// left in a link's text when the page is saved as text ("chevron_left Browse All Posts").
const ICON_NAMES: &[&str] = &[
    "chevron_",
    "arrow_",
    "keyboard_arrow_",
    "keyboard_backspace",
    "navigate_",
    "expand_more",
    "expand_less",
    "open_in_new",
];

/// Letters one of which every block [`page_note`] reads past its markup holds (besides
/// "cookie").
pub(super) const NOTE_KEYS: &[&str] = &[
    "comment",
    "moder",
    "modé",
    "contributed",
    "citation",
    "write to",
    "reached at",
    "contacted at",
    "guidelines",
    "standards",
];

/// [`NOTE_KEYS`] as one automaton.
pub(super) static NOTE_KEY_SET: AsciiWords = AsciiWords::new(NOTE_KEYS);

/// Most words of a link's label ending in its arrow ("Explore solutions →").
const ARROW_LINK_MAX_WORDS: usize = 5;

/// Most words of a line carrying an icon's name.
const ICON_LINE_MAX_WORDS: usize = 6;

/// Most words of a credit for the reporting or a line on how to reach the writer.
const CREDIT_LINE_MAX_WORDS: usize = 40;

/// What a block is, on evidence of its own words, among the page's markup, notes and
/// credits: the kind and the reason, or `None`.
pub(super) fn page_note(t: &str, f: &Features) -> Option<(Kind, &'static str)> {
    if shortcode(t) {
        return Some((Kind::Promo, SHORTCODE));
    }
    // (a question with an icon beside it is an FAQ's, the story's own)
    if f.words <= ICON_LINE_MAX_WORDS && !t.contains('?') && icon_name(t) {
        return Some((Kind::Promo, ICON));
    }
    if f.words <= ARROW_LINK_MAX_WORDS && arrow_link(t) {
        return Some((Kind::Promo, ARROW_LINK));
    }
    // most blocks hold none of the words the checks below read: one pass over the bytes
    // says so before anything is put in lower case ("cookie" has a k, which a Kelvin
    // sign also lower-cases to: looked for apart)
    if f.words > NOTICE_MAX_WORDS
        || !(NOTE_KEY_SET.in_text(t) || t.contains("ookie") || t.contains("OOKIE"))
        || t.contains(['"', '“', '”', '«', '»'])
    {
        return None;
    }
    let lower = t.to_lowercase();
    let lw: Vec<String> = words(&lower).map(str::to_string).collect();
    // a report of what someone said or ruled is the story's, not the page's own note
    if lw
        .iter()
        .any(|w| REPORTING.contains(&w.as_str()) || w == "ruled")
    {
        return None;
    }
    let speaks = lw.iter().any(|w| {
        matches!(
            w.replace('’', "'").as_str(),
            "you" | "your" | "you're" | "you'll" | "please" | "our" | "we"
        )
    });
    if speaks && COMMENT_RULE_SET.any(&lw) {
        return Some((Kind::Promo, COMMENT_RULE));
    }
    if COMMENT_RULES_ELSEWHERE.iter().any(|m| lower.contains(m)) {
        return Some((Kind::Promo, COMMENT_RULE));
    }
    if COOKIE_NOTICES.iter().any(|m| lower.contains(m)) {
        return Some((Kind::Promo, COOKIE));
    }
    if let Some(why) = credit(&lower, &lw, f) {
        return Some((Kind::Byline, why));
    }
    // "Citation: <title> (2019, November 18) retrieved 20 November 2019 from https://..."
    if lower.starts_with("citation:") && lower.contains("retrieved") && lower.contains("http") {
        return Some((Kind::Promo, CITATION));
    }
    None
}

/// A credit to the story's contributors or a way to reach its writer ("Jo Doe contributed
/// to this report.", "Write to Jo Doe at jo@example.com"), read from the block in lower
/// case (`lower`, its words `lw`): the reason, or `None`.
fn credit(lower: &str, lw: &[String], f: &Features) -> Option<&'static str> {
    if f.words > CREDIT_LINE_MAX_WORDS {
        return None;
    }
    let tail = lower.trim_end_matches(|c: char| !c.is_alphanumeric());
    if CONTRIBUTED.iter().any(|m| tail.ends_with(m)) || has_phrase(lw, "contributed reporting") {
        return Some(CONTRIBUTED_CREDIT);
    }
    // "Write to Jo Doe at jo@example.com", "Jo Doe may be reached at jo@..."
    let reach = lower.starts_with("write to ")
        || has_phrase(lw, "be reached at")
        || has_phrase(lw, "be contacted at");
    (reach && lower.contains('@')).then_some(CONTACT)
}

/// Is the block a credit to the story's contributors or a way to reach its writer? A
/// story stored clean carries these as its own last lines: they are evidence of
/// themselves only, not of clutter around the story.
pub(in crate::clean) fn story_credit(t: &str, f: &Features) -> bool {
    if !t.contains("contributed") && !t.contains('@') {
        return false;
    }
    let lower = t.to_lowercase();
    let lw: Vec<String> = words(&lower).map(str::to_string).collect();
    credit(&lower, &lw, f).is_some()
}

/// A shortcode left in the text: `[name key="value" ...]`, the way a blog's editor
/// writes a button or a gallery (`[button link="..." type="big"]`). A story's brackets
/// hold words, not settings.
fn shortcode(t: &str) -> bool {
    let b = t.as_bytes();
    let mut at = 0;
    while let Some(p) = memchr::memchr(b'[', &b[at..]) {
        let s = &t[at + p + 1..];
        at += p + 1;
        let name_len = s
            .bytes()
            .take_while(|c| c.is_ascii_lowercase() || *c == b'_' || *c == b'-')
            .count();
        if name_len < 2 || !s[name_len..].starts_with(' ') {
            continue;
        }
        let rest = &s[name_len + 1..];
        let key_len = rest
            .bytes()
            .take_while(|c| c.is_ascii_lowercase() || *c == b'_' || *c == b'-')
            .count();
        if key_len >= 2
            && rest[key_len..].starts_with('=')
            && rest[key_len + 1..].starts_with(['"', '”', '“', '\'', '″'])
        {
            return true;
        }
    }
    false
}

/// A link's label ending in the arrow a page draws after it ("Explore Solutions →", "See
/// all »"): words, then an arrow, with no sentence between them.
fn arrow_link(t: &str) -> bool {
    let Some(head) = t.trim_end().strip_suffix(['→', '➔', '➜', '⟶', '»', '›']) else {
        return false;
    };
    let head = head.trim_end();
    !head.is_empty()
        && !head.ends_with(['.', '!', '?', ':', '→', '»', '›'])
        && head.chars().any(char::is_alphabetic)
}

/// Does a line hold an icon's name ("chevron_left", "arrow_forward") as a word of its
/// own?
fn icon_name(t: &str) -> bool {
    t.contains('_')
        && t.split_whitespace().any(|w| {
            w.bytes().all(|c| c.is_ascii_lowercase() || c == b'_')
                && ICON_NAMES.iter().any(|n| w.starts_with(n))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::features;

    fn note(t: &str) -> Option<&'static str> {
        page_note(t, &features::of(t)).map(|(_, why)| why)
    }

    #[test]
    fn the_note_words_are_found_by_the_automaton_as_each_alone() {
        for t in [
            "",
            "Modération des commentaires",
            "MODERACIÓN",
            "Jo Doe CONTRIBUTED reporting",
            "write to the editor",
            "Write  to",
            "no key here",
            "Citation:",
        ] {
            assert_eq!(
                NOTE_KEY_SET.in_text(t),
                crate::clean::shapes::holds_any_ascii_word(t, NOTE_KEYS),
                "{t:?}"
            );
        }
        assert!(NOTE_KEY_SET.in_text("Modération"));
    }

    #[test]
    fn shortcodes_and_icon_names_are_markup() {
        assert!(
            note("[button link=”https://example.com/send/” type=”big”] Send us your photos")
                .is_some()
        );
        assert!(note("[gallery ids=\"12,14\"]").is_some());
        assert!(note("chevron_left Back to all posts").is_some());
        // brackets of a story hold words
        assert_eq!(note("The judge [Ms Roe] said the ruling stands."), None);
        assert_eq!(note("[Editor's note: the vote was moved to Friday.]"), None);
        // a word with an underscore is not an icon's name
        assert_eq!(note("The file was named harbour_plan_final."), None);
    }

    #[test]
    fn notes_on_the_comments_rules() {
        assert!(note("As you comment, please be respectful of other commenters and other viewpoints. Our goal is a civil discussion.").is_some());
        assert!(note("Comentários ofensivos não serão aprovados pelo moderador.").is_some());
        // the story's own sentence about a site's rules reports them
        assert_eq!(
            note("The forum's community guidelines ban personal attacks, the company said."),
            None
        );
        assert_eq!(
            note("Critics say the community guidelines are applied unevenly across the platform."),
            None
        );
    }

    #[test]
    fn cookie_notices_at_length() {
        assert!(note("We use cookies to ensure that we give you the best experience on our website. If you continue to use this site we will assume that you are happy with it.").is_some());
        assert!(note("Utilizziamo i cookie per essere sicuri che tu possa avere la migliore esperienza sul nostro sito.").is_some());
        assert_eq!(
            note("The regulator said the website uses cookies to track visitors without consent."),
            None
        );
    }

    #[test]
    fn credits_and_ways_to_reach_the_writer() {
        assert!(note("Jo Doe and Max Roe contributed to this report.").is_some());
        assert!(note("Associated Press writers Ann Lee, Ben Ode and Cy Park in Washington contributed to this report.").is_some());
        assert!(note("Lena Berg contributed reporting from Oslo.").is_some());
        assert!(note("Write to Jo Doe at jo.doe@example.com").is_some());
        assert!(note("Have a tip? Jo Doe may be reached at jdoe@example.com.").is_some());
        // the story's sentences of the same words
        assert_eq!(
            note("Volunteers contributed to this report's findings over two years."),
            None
        );
        assert_eq!(
            note("The mayor can be reached at city hall on weekday mornings."),
            None
        );
        assert_eq!(
            note("Write to your councillor before Friday, the group urged."),
            None
        );
    }

    #[test]
    fn a_links_label_ending_in_its_arrow() {
        assert!(note("Explore Solutions →").is_some());
        assert!(note("See all stories »").is_some());
        // a sentence, an arrow alone, a longer line
        assert_eq!(note("The tide turned. →"), None);
        assert_eq!(note("→"), None);
        assert_eq!(
            note("From the harbour to the hills and on to the sea →"),
            None
        );
    }

    #[test]
    fn how_to_cite_the_page() {
        assert!(note("Citation: Harbour fares rise (2019, November 18) retrieved 20 November 2019 from https://example.com/news/fares.html").is_some());
        assert_eq!(
            note("Citation: the paper was cited 40 times in its first year."),
            None
        );
    }
}
