//! The story of a saved page, found by an extraction library: dom_smoothie, a Rust port
//! of Mozilla's Readability.js, chosen by measurement against rs-trafilatura and
//! trafilatura-rs on the news-sh pages (see README, "Saved pages"). It returns the story
//! as HTML, which [`super::html::fragment_blocks`] splits into paragraph, heading,
//! list-item and quote blocks for the cleaning core.

use dom_smoothie::{Config, Readability, TextMode};

/// The story's HTML, or None when the extractor finds nothing (or fails).
pub fn story_html(html: &str, url: Option<&str>) -> Option<String> {
    // the page's own address resolves relative links; a bad one is not worth failing for
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let run = |url: Option<&str>| {
        let cfg = Config {
            // Raw runs list items together; Formatted keeps them apart
            text_mode: TextMode::Formatted,
            ..Config::default()
        };
        let mut r = Readability::new(html, url, Some(cfg)).ok()?;
        r.parse().ok()
    };
    // a library bug must not take the whole archive down with one page
    let article = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(url).or_else(|| url.and_then(|_| run(None)))
    }))
    .ok()??;
    let content = article.content.to_string();
    (!content.trim().is_empty()).then_some(content)
}
