//! The story of a saved page, found by an extraction library: dom_smoothie, a Rust port
//! of Mozilla's Readability.js, chosen by measurement against rs-trafilatura and
//! trafilatura-rs on the news-sh pages (see README, "Saved pages"). It returns the story
//! as HTML, which [`super::html::fragment_blocks`] splits into paragraph, heading,
//! list-item and quote blocks for the cleaning core. A page of a shape the library cannot
//! be trusted with ([`super::shape`]) is not handed to it.

use super::shape::{self, Unfit};
use dom_smoothie::{Config, Readability, TextMode};

/// What the extractor made of a page.
#[derive(Debug)]
pub enum Extracted {
    /// The story's HTML.
    Story(String),
    /// Nothing found (or the library failed).
    Nothing,
    /// The page is of a shape the library is not given; read it flat.
    Unfit(Unfit),
}

/// The story's HTML, or why there is none, within the time a page may take
/// ([`super::limits::MAX_EXTRACT_MS`]): the library runs on a thread of its own (a few
/// microseconds a page; its stack as big as the checked depth needs), and a page it has
/// not finished by then is [`Unfit::Slow`].
pub fn story_html(html: &str, url: Option<&str>) -> Extracted {
    story_html_within(html, url, super::limits::get().extract_ms)
}

fn story_html_within(html: &str, url: Option<&str>, ms: u64) -> Extracted {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let page: std::sync::Arc<str> = html.into();
    let url_owned = url.map(str::to_string);
    let spawned = std::thread::Builder::new()
        .name("extract".into())
        .stack_size(EXTRACT_STACK)
        .spawn(move || {
            let _ = tx.send(extract_now(&page, url_owned.as_deref()));
        });
    if spawned.is_err() {
        // no thread to be had: in place, unbounded
        return extract_now(html, url);
    }
    use std::sync::mpsc::RecvTimeoutError;
    match rx.recv_timeout(std::time::Duration::from_millis(ms)) {
        Ok(x) => x,
        Err(RecvTimeoutError::Timeout) => Extracted::Unfit(Unfit::Slow(ms)),
        Err(RecvTimeoutError::Disconnected) => Extracted::Nothing,
    }
}

/// The extraction thread's stack: room for [`shape::MAX_DEPTH`] levels of the library's
/// recursion, a few hundred bytes each, many times over.
const EXTRACT_STACK: usize = 4 << 20;

fn extract_now(html: &str, url: Option<&str>) -> Extracted {
    if let Some(unfit) = shape::check_markup(html) {
        return Extracted::Unfit(unfit);
    }
    // the parser is handed the page without the text of its long scripts and style
    // sheets, which the library drops unread (half the bytes of a news page)
    let html = &*without_long_scripts(html);
    let doc = dom_query::Document::from(html);
    if let Some(unfit) = shape::check_document(&doc) {
        return Extracted::Unfit(unfit);
    }
    // the page's own address resolves relative links; a bad one is not worth failing for
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let mut doc = Some(doc);
    let mut run = |url: Option<&str>| {
        let cfg = Config {
            // Raw runs list items together; Formatted keeps them apart
            text_mode: TextMode::Formatted,
            ..Config::default()
        };
        let doc = doc
            .take()
            .unwrap_or_else(|| dom_query::Document::from(html));
        let mut r = Readability::with_document(doc, url, Some(cfg)).ok()?;
        r.parse().ok()
    };
    // a library bug must not take the whole archive down with one page
    let article = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(url).or_else(|| url.and_then(|_| run(None)))
    }));
    let Ok(Some(article)) = article else {
        return Extracted::Nothing;
    };
    let content = article.content.to_string();
    if content.trim().is_empty() {
        Extracted::Nothing
    } else {
        Extracted::Story(content)
    }
}

/// Script and style text at least this long (in characters, trimmed) is left out of the
/// page the extractor parses. Shorter text is kept: before it drops scripts the library
/// looks for a byline among the body's elements, any under 100 characters long.
const LONG_SCRIPT: usize = 100;

/// The page with the text of its long `<script>`s (but JSON-LD, which the library reads)
/// and `<style>`s left out; the elements stay, empty. The page is read as the HTML
/// tokenizer reads it (comments, raw text, SVG and MathML); where that is in any doubt
/// (a script holding `<!--`, `<plaintext>`, HTML inside SVG) the rest is left whole.
pub fn without_long_scripts(html: &str) -> std::borrow::Cow<'_, str> {
    use memchr::{memchr, memmem};
    let b = html.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut foreign = 0usize; // SVG and MathML elements open
    let mut i = 0;
    let end_of = |from: usize, pat: &[u8]| memmem::find(&b[from..], pat).map(|e| from + e);
    while let Some(lt) = memchr(b'<', &b[i..]) {
        let at = i + lt;
        i = at + 1;
        let rest = &b[i..];
        if rest.starts_with(b"!--") {
            // a comment ends at the first `-->` or `--!>`, counting the opening's dashes
            let end = [
                end_of(at + 2, b"-->").map(|e| e + 3),
                end_of(at + 2, b"--!>").map(|e| e + 4),
            ]
            .into_iter()
            .flatten()
            .min();
            match end {
                Some(e) => i = e,
                None => break,
            }
            continue;
        }
        if rest.starts_with(b"![CDATA[") && foreign > 0 {
            break;
        }
        let close = rest.first() == Some(&b'/');
        let name_at = if close { i + 1 } else { i };
        if matches!(rest.first(), Some(b'!' | b'?'))
            || (close && !b.get(name_at).is_some_and(u8::is_ascii_alphabetic))
        {
            // a doctype or a bogus comment, to the first `>`
            match memchr(b'>', &b[i..]) {
                Some(e) => i += e + 1,
                None => break,
            }
            continue;
        }
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            continue; // text
        }
        let mut j = name_at;
        while j < b.len() && !matches!(b[j], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>') {
            j += 1;
        }
        let name = html[name_at..j].to_ascii_lowercase();
        let (gt, _) = super::shape::tag_rest(b, j);
        if gt >= b.len() {
            break;
        }
        i = gt + 1;
        let self_closed = b[gt - 1] == b'/';
        let name = name.as_str();
        if close {
            if matches!(name, "svg" | "math") {
                foreign = foreign.saturating_sub(1);
            }
            continue;
        }
        if matches!(name, "svg" | "math") {
            foreign += usize::from(!self_closed);
            continue;
        }
        if foreign > 0 {
            // HTML met inside SVG or MathML may end it, as the parser sees it: no telling
            if breaks_out(name) || matches!(name, "script" | "style") {
                break;
            }
            continue;
        }
        let raw = matches!(
            name,
            "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "textarea" | "title"
        );
        if name == "plaintext" {
            break;
        }
        if !raw {
            continue;
        }
        // raw text to the first `</name` the tokenizer takes as its end tag
        let mut from = i;
        let end = loop {
            let Some(e) = end_of(from, b"</") else {
                break None;
            };
            let n = e + 2;
            let after = b.get(n + name.len());
            if b.get(n..n + name.len())
                .is_some_and(|x| x.eq_ignore_ascii_case(name.as_bytes()))
                && after.is_some_and(|c| {
                    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>')
                })
            {
                break Some(e);
            }
            from = n;
        };
        let Some(end) = end else {
            break;
        };
        let text = &html[i..end];
        if name == "script" && memmem::find(text.as_bytes(), b"<!--").is_some() {
            break; // the tokenizer's escaped states: where it ends is in doubt
        }
        let json_ld = name == "script" && html[at..gt].to_ascii_lowercase().contains("ld+json");
        let long = || text.trim().chars().filter(|&c| c != '\r').count() >= LONG_SCRIPT;
        if matches!(name, "script" | "style") && !json_ld && long() {
            out.push_str(&html[copied..i]);
            copied = end;
        }
        i = end;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

/// HTML elements that end SVG or MathML content when met inside it.
fn breaks_out(name: &str) -> bool {
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
            | "font"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(paragraphs: usize) -> String {
        let mut p = String::from("<html><head><title>T</title></head><body><article>");
        for i in 0..paragraphs {
            p += &format!("<p>Paragraph {i} of the story, told at length so it reads as one.</p>");
        }
        p + "</article></body></html>"
    }

    #[test]
    fn a_page_is_extracted_within_its_time() {
        match story_html(&page(20), None) {
            Extracted::Story(s) => assert!(s.contains("Paragraph 19 of the story"), "{s}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_page_past_its_time_is_read_flat() {
        let html = page(5000);
        let started = std::time::Instant::now();
        match story_html_within(&html, None, 0) {
            Extracted::Unfit(Unfit::Slow(0)) => {}
            other => panic!("{other:?}"),
        }
        // the answer does not wait for the library
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn long_scripts_and_styles_are_left_out_and_the_rest_kept() {
        let js = "var a = 1; ".repeat(20);
        let page = format!(
            "<html><head><script src=x>{js}</script><style>{js}</style><script type=\"application/ld+json\">{{\"headline\": \"{js}\"}}</script><script class=author>By Ann</script></head><body><p>Story</p></body></html>"
        );
        let lean = without_long_scripts(&page);
        assert_eq!(
            lean,
            format!("<html><head><script src=x></script><style></style><script type=\"application/ld+json\">{{\"headline\": \"{js}\"}}</script><script class=author>By Ann</script></head><body><p>Story</p></body></html>")
        );
        // comments, and raw text that holds what looks like a script, are not scripts
        for kept in [
            format!("<!-- <script>{js}</script> --><p>x</p>"),
            format!("<textarea><script>{js}</script></textarea>"),
            format!("<title><style>{js}</style></title>"),
            format!("<svg><script>{js}</script></svg>"),
            format!("<script><!--{js}</script>"),
            format!("<script>{js}</scriptx>"),
            format!("<plaintext><script>{js}</script>"),
            format!("<svg><p></svg><script>{js}</script>"),
        ] {
            assert_eq!(without_long_scripts(&kept), kept);
        }
        // after SVG closes, and after an empty comment, scripts are scripts again
        assert_eq!(
            without_long_scripts(&format!("<svg><path/></svg><!--><script>{js}</script>")),
            "<svg><path/></svg><!--><script></script>"
        );
        assert_eq!(
            without_long_scripts(&format!("<a title='<script>'><STYLE media=x>{js}</Style >")),
            "<a title='<script>'><STYLE media=x></Style >"
        );
        for junk in [
            "<", "<script>", "<script", "<!--", "</", "<svg", "<a b='", "é<é>",
        ] {
            let _ = without_long_scripts(junk);
        }
    }
}
