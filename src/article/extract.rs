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
}
