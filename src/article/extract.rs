//! The story of a saved page, found by an extraction library.

/// The story's HTML, or None when the extractor finds nothing.
pub fn story_html(_html: &str, _url: Option<&str>) -> Option<String> {
    None
}
