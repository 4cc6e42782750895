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

/// The story's HTML, or why there is none.
pub fn story_html(html: &str, url: Option<&str>) -> Extracted {
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
