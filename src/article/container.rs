//! The formats that hold many stories in a container of their own (web archives, feeds,
//! mailboxes, a feed reader's cache): their names and signatures, and the hooks that
//! [`super::load_file`] and [`super::load_bytes`] call.

use super::{feed, mail, mhtml, newsboat, wacz, warc, Format, Loaded};
use std::path::Path;

/// The format an extension (after any `.gz`) names, among these.
pub fn format_of_ext(ext: &str) -> Option<Format> {
    let any = |names: &[&str]| names.iter().any(|n| ext.eq_ignore_ascii_case(n));
    if any(&["warc"]) {
        Some(Format::Warc)
    } else if any(&["wacz"]) {
        Some(Format::Wacz)
    } else if any(&["rss", "atom", "xml"]) {
        Some(Format::Feed)
    } else if any(&["mhtml", "mht"]) {
        Some(Format::Mhtml)
    } else if any(&["mbox", "eml"]) {
        Some(Format::Mail)
    } else {
        None
    }
}

/// The format a file's first bytes show, among these (`lower`: the head, lower case,
/// from its first non-blank byte).
pub fn sniff(head: &[u8], lower: &str) -> Option<Format> {
    if feed::sniff(lower) {
        return Some(Format::Feed);
    }
    if head.starts_with(b"WARC/1.") || head.starts_with(b"WARC/0.") {
        return Some(Format::Warc);
    }
    if wacz::sniff(head) {
        return Some(Format::Wacz);
    }
    // a mailbox's `From ` line, or a message's headers: the lines after must be headers
    // too (a story titled "From the archive" is not a mailbox)
    let mut lines = lower.lines();
    let first = lines.next().unwrap_or("");
    let header = |l: &str| {
        l.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
    };
    if head.starts_with(b"From ") && lines.next().is_some_and(header) {
        return Some(Format::Mail);
    }
    let named = [
        "mime-version:",
        "from:",
        "subject:",
        "return-path:",
        "received:",
    ];
    if named.iter().any(|n| first.starts_with(n)) && lines.next().is_some_and(header) {
        // a saved page or a letter: a text/html root with a location is a page
        let page = lower.contains("snapshot-content-location")
            || (lower.contains("multipart/related") && lower.contains("text/html"));
        return Some(if page { Format::Mhtml } else { Format::Mail });
    }
    None
}

/// Load a file of these formats by its name, streaming where the format allows; `None`
/// for the other formats (and for a packed file whose inner name does not say).
pub fn load_path(path: &Path) -> Option<(Vec<super::Article>, Vec<super::LoadError>)> {
    match super::format_of(path)? {
        Format::Newsboat => Some(newsboat::load_path(path)),
        Format::Warc => Some(warc::load_path(path)),
        Format::Wacz => Some(wacz::load_path(path)),
        _ => None,
    }
}

/// The format to read bytes as, given the one their name or content suggested: a JSON
/// file that is a JSON Feed is read as a feed.
pub fn refine(format: Format, bytes: &[u8]) -> Format {
    match format {
        Format::Json if feed::is_json_feed(bytes) => Format::Feed,
        f => f,
    }
}

/// Load bytes whose content showed one of these formats.
pub fn load_bytes(path: &Path, format: Format, bytes: &[u8], out: &mut Loaded) {
    let (articles, problems) = match format {
        Format::Feed if feed::is_json_feed(bytes) => {
            return feed::parse_json_feed(path, bytes, out)
        }
        Format::Feed => return feed::parse_xml_feed(path, bytes, out),
        Format::Mhtml => return mhtml::parse(path, bytes, out),
        Format::Mail => return mail::parse(path, bytes, out),
        Format::Warc => warc::load_bytes(path, bytes),
        Format::Wacz => wacz::load_bytes(path, bytes),
        _ => return,
    };
    out.articles.extend(articles);
    out.problems.extend(problems);
}

/// One story of a file of these formats, read alone where the format allows (a WARC
/// listed before in this process: one record); `None`: load the whole file.
pub fn load_story(path: &Path, index: usize) -> Option<super::Article> {
    match super::format_of(path)? {
        Format::Warc => warc::load_story(path, index),
        _ => None,
    }
}
