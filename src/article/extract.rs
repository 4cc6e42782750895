//! The story of a saved page, found by an extraction library: rs-trafilatura, a Rust
//! port of trafilatura, chosen by measurement on the news-sh pages (see README).
//! It returns the story as HTML, which [`super::html::fragment_blocks`] splits into
//! paragraph, heading, list-item and quote blocks for the cleaning core.

/// The story's HTML, or None when the extractor finds nothing (or fails).
pub fn story_html(html: &str, url: Option<&str>) -> Option<String> {
    let opts = rs_trafilatura::Options {
        url: url.map(str::to_string),
        ..rs_trafilatura::Options::default()
    };
    // a library bug must not take the whole archive down with one page
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rs_trafilatura::extract_with_options(html, &opts)
    }))
    .ok()?
    .ok()?;
    if let Some(h) = result.content_html.filter(|h| !h.trim().is_empty()) {
        return Some(h);
    }
    // text only: one paragraph per line
    let text = result.content_text.trim();
    (!text.is_empty()).then(|| {
        text.lines()
            .map(|l| format!("<p>{}</p>", escape(l)))
            .collect::<String>()
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
