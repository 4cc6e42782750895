//! What the archive formats share: a captured body decoded (chunked transfer; gzip,
//! deflate and brotli content encoding), its charset found (the HTTP header, then the
//! page's `<meta>`, then sniffing) and turned into UTF-8, and a page judged: an article,
//! or a page of links (a front, section or tag page). A page goes through the saved-page
//! pipeline ([`super::html::parse`]) like a saved `.html` file.

use super::scan::{attr, attributes, decode_entities, walk, Piece};
use super::{html, Article, LoadError};
use std::io::Read;
use std::path::Path;

/// The most a decoded body may grow to (a guard against decompression bombs).
const MAX_BODY: u64 = 64 << 20;

/// Undo `Transfer-Encoding: chunked`. `None` when the bytes are not chunked after all.
pub fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    loop {
        let eol = memchr::memchr(b'\n', body.get(i..)?)? + i;
        let line = std::str::from_utf8(&body[i..eol]).ok()?.trim();
        let hex = line.split(';').next()?.trim();
        let size = usize::from_str_radix(hex, 16).ok()?;
        i = eol + 1;
        if size == 0 {
            return Some(out);
        }
        let end = i.checked_add(size)?;
        if end > body.len() {
            // cut short: what came is kept
            out.extend_from_slice(&body[i..]);
            return Some(out);
        }
        out.extend_from_slice(&body[i..end]);
        i = end;
        // the CRLF after the chunk
        if body[i..].starts_with(b"\r\n") {
            i += 2;
        } else if body[i..].starts_with(b"\n") {
            i += 1;
        }
        if i >= body.len() {
            return Some(out);
        }
    }
}

/// Undo a `Content-Encoding` (`gzip`, `x-gzip`, `deflate`, `br`; `identity` and none
/// leave the body as it is). `Err` names an encoding not understood or a corrupt body.
pub fn decode_content(encoding: &str, body: &[u8]) -> Result<Vec<u8>, String> {
    let enc = encoding.trim().to_ascii_lowercase();
    let mut out = Vec::new();
    let res = match enc.as_str() {
        "" | "identity" | "none" => return Ok(body.to_vec()),
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(body)
            .take(MAX_BODY)
            .read_to_end(&mut out),
        "deflate" => {
            // zlib-wrapped as the standard says, or raw deflate as some servers send
            let r = flate2::read::ZlibDecoder::new(body)
                .take(MAX_BODY)
                .read_to_end(&mut out);
            if r.is_err() {
                out.clear();
                flate2::read::DeflateDecoder::new(body)
                    .take(MAX_BODY)
                    .read_to_end(&mut out)
            } else {
                r
            }
        }
        "br" => brotli_decompressor::Decompressor::new(body, 4096)
            .take(MAX_BODY)
            .read_to_end(&mut out),
        other => return Err(format!("content encoding {other:?} not understood")),
    };
    match res {
        Ok(_) => Ok(out),
        Err(e) => Err(format!("corrupt {enc} body ({e})")),
    }
}

/// The `charset` parameter of a `Content-Type` value, lower case.
pub fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
            .filter(|v| !v.is_empty())
    })
}

/// The charset a page declares in a `<meta>` near its top.
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = head[from..].find("<meta") {
        let start = from + i;
        let end = head[start..].find('>').map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(c) = tag.find("charset") {
            let v = tag[c + 7..].trim_start();
            if let Some(v) = v.strip_prefix('=') {
                let v = v.trim_start().trim_start_matches(['"', '\'']);
                let cs: String = v
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                    .collect();
                if !cs.is_empty() {
                    return Some(cs);
                }
            }
        }
        from = end;
    }
    None
}

/// Bytes in `charset` (else the page's `<meta>`, else UTF-8 when they are valid UTF-8,
/// else Windows-1252) as UTF-8. Charsets other than UTF-8, ASCII, ISO-8859-1/15 and
/// Windows-1252 are read as UTF-8 with replacement characters.
pub fn to_utf8(bytes: &[u8], charset: Option<&str>) -> String {
    let declared = charset.map(str::to_string).or_else(|| meta_charset(bytes));
    let single_byte = |cs: &str| {
        matches!(
            cs,
            "iso-8859-1"
                | "iso8859-1"
                | "latin1"
                | "latin-1"
                | "l1"
                | "cp1252"
                | "windows-1252"
                | "x-cp1252"
                | "iso-8859-15"
                | "iso8859-15"
                | "us-ascii"
                | "ascii"
        )
    };
    match declared.as_deref() {
        Some(cs) if single_byte(cs) => windows_1252(bytes),
        Some(_) => String::from_utf8_lossy(bytes).into_owned(),
        None => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => windows_1252(bytes),
        },
    }
}

/// Windows-1252 (which browsers use for ISO-8859-1 too) to UTF-8.
pub fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => HIGH[(b - 0x80) as usize],
            _ => b as char,
        })
        .collect()
}

/// Does a media type name an HTML page?
pub fn is_html_type(content_type: &str) -> bool {
    let t = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    t == "text/html" || t == "application/xhtml+xml"
}

/// Do these bytes begin like an HTML page?
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<!doctype html") || t.starts_with("<html") || t.contains("<body")
}

/// The share of a page's visible letters and digits that sit inside links.
pub fn link_density(html: &str) -> f64 {
    let (mut all, mut linked) = (0usize, 0usize);
    let mut hidden = 0usize;
    let mut anchors = 0usize;
    walk(html, |p| match p {
        Piece::Open(n, src) => match n {
            "head" | "script" | "style" | "noscript" | "template" | "svg" => hidden += 1,
            "a" if attr(&attributes(src), "href").is_some() => anchors += 1,
            _ => {}
        },
        Piece::Close(n) => match n {
            "head" | "script" | "style" | "noscript" | "template" | "svg" => {
                hidden = hidden.saturating_sub(1)
            }
            "a" => anchors = anchors.saturating_sub(1),
            _ => {}
        },
        Piece::Text(s) if hidden == 0 => {
            let n = decode_entities(s)
                .chars()
                .filter(|c| c.is_alphanumeric())
                .count();
            all += n;
            if anchors > 0 {
                linked += n;
            }
        }
        _ => {}
    });
    if all == 0 {
        1.0
    } else {
        linked as f64 / all as f64
    }
}

/// A page whose visible text is at least this share link text is a page of links.
pub const LINKS_PAGE: f64 = 0.6;
/// A story of fewer words than this (in paragraphs) is not an article.
pub const MIN_WORDS: usize = 25;

/// Why a captured page is not listed as a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotStory {
    /// Mostly links, little prose: a front, section or tag page.
    FrontPage,
    /// No story text found at all.
    Empty,
}

/// Read a captured page (UTF-8) through the saved-page pipeline and judge it: an article,
/// or a page that is not one. The article's URL is the capture's; its capture time the
/// record's (`captured`, beside the page's own date); the source, when the page names
/// none, the URL's host.
pub fn page_story(
    path: &Path,
    html_text: &str,
    url: Option<&str>,
    captured: Option<&str>,
) -> Result<(Article, Option<LoadError>), NotStory> {
    let (mut a, warning, story) = match html::parse_keeping_story(path, html_text.as_bytes()) {
        Ok(x) => x,
        Err(_) => return Err(NotStory::Empty),
    };
    let words: usize = a
        .blocks
        .iter()
        .filter(|b| b.markup != super::Markup::Heading)
        .map(|b| b.text.split_whitespace().count())
        .sum();
    if words == 0 {
        return Err(if link_density(html_text) >= LINKS_PAGE {
            NotStory::FrontPage
        } else {
            NotStory::Empty
        });
    }
    // a short story: is what the extractor found mostly links (a front or section
    // page's list)? Measured on the story, not the page: an article's page is often
    // mostly links around a short story (up to 85 % on news-sh)
    if words < MIN_WORDS || (words < 150 && story.is_some_and(|s| link_density(&s) >= LINKS_PAGE)) {
        return Err(NotStory::FrontPage);
    }
    // "no story text" is judged above; an invalid-UTF-8 note stays
    let warning = warning.filter(|w| w.kind != super::ProblemKind::NoStory);
    if let Some(u) = url {
        a.url = Some(u.to_string());
    }
    // the page's own date stays the date; the capture's time is kept beside it
    a.captured = captured
        .map(|c| crate::text::sanitize(c.trim()))
        .filter(|c| c.len() <= 64 && super::meta::date(c).is_some());
    if a.source.is_none() {
        a.source = a.url.as_deref().and_then(host);
    }
    Ok((a, warning))
}

/// The host of a URL, without `www.`.
pub fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let h = rest.split(['/', '?', '#']).next()?;
    let h = h.rsplit_once('@').map_or(h, |(_, h)| h);
    let h = h.split(':').next()?;
    let h = h.strip_prefix("www.").unwrap_or(h);
    (!h.is_empty()).then(|| h.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk(b"5\r\nHello\r\n7;x=1\r\n, world\r\n0\r\n\r\n").unwrap(),
            b"Hello, world"
        );
        assert_eq!(dechunk(b"5\r\nHel").unwrap(), b"Hel"); // cut short
        assert!(dechunk(b"<html>not chunked</html>").is_none());
        assert!(dechunk(b"").is_none());
    }

    #[test]
    fn content_encodings() {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b"<p>hi</p>").unwrap();
        let gz = e.finish().unwrap();
        assert_eq!(decode_content("gzip", &gz).unwrap(), b"<p>hi</p>");
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b"<p>z</p>").unwrap();
        assert_eq!(
            decode_content("deflate", &e.finish().unwrap()).unwrap(),
            b"<p>z</p>"
        );
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b"<p>raw</p>").unwrap();
        assert_eq!(
            decode_content("deflate", &e.finish().unwrap()).unwrap(),
            b"<p>raw</p>"
        );
        assert!(decode_content("gzip", &gz[..gz.len() / 2]).is_err());
        assert!(decode_content("compress", b"x").is_err());
        assert_eq!(decode_content("identity", b"x").unwrap(), b"x");
        // a brotli stream of "hello" (quality 0)
        let br = [0x0b, 0x02, 0x80, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x03];
        assert_eq!(decode_content("br", &br).unwrap(), b"hello");
        assert!(decode_content("br", b"\xff\xff\xff").is_err());
    }

    #[test]
    fn charsets() {
        assert_eq!(
            charset_param("text/html; Charset=\"ISO-8859-1\"").as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(
            meta_charset(b"<head><meta charset='windows-1252'>").as_deref(),
            Some("windows-1252")
        );
        assert_eq!(
            meta_charset(b"<meta http-equiv=Content-Type content=\"text/html; charset=latin1\">")
                .as_deref(),
            Some("latin1")
        );
        assert_eq!(
            to_utf8(b"Caf\xe9 \x93q\x94", Some("iso-8859-1")),
            "Café “q”"
        );
        assert_eq!(
            to_utf8(b"<meta charset=latin1>Caf\xe9", None),
            "<meta charset=latin1>Café"
        );
        assert_eq!(to_utf8("Café".as_bytes(), None), "Café");
        assert_eq!(to_utf8(b"Caf\xe9", None), "Café"); // sniffed: not UTF-8
                                                       // the header wins over the page
        assert_eq!(
            to_utf8(b"<meta charset=utf-8>\xe9", Some("iso-8859-1")),
            "<meta charset=utf-8>é"
        );
    }

    #[test]
    fn hosts_and_types() {
        assert_eq!(
            host("https://www.Example.org:8080/a?b").as_deref(),
            Some("example.org")
        );
        assert_eq!(host("no scheme"), None);
        assert!(is_html_type("text/html; charset=utf-8"));
        assert!(!is_html_type("image/jpeg"));
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
    }

    #[test]
    fn a_page_of_links_is_not_a_story() {
        let links: String = (0..30)
            .map(|i| format!("<li><a href=\"/s{i}\">Story number {i} of the day here</a></li>"))
            .collect();
        let front = format!("<html><head><title>Front</title></head><body><h1>Latest</h1><ul>{links}</ul></body></html>");
        assert!(link_density(&front) > 0.9);
        assert!(page_story(Path::new("f.warc"), &front, None, None).is_err());
        let para = "The council voted on Tuesday to keep the library open for another year, after a long campaign by readers. ";
        let page = format!(
            "<html><head><title>Library stays</title></head><body><article><h1>Library stays</h1><p>{para}</p><p>{para}</p></article></body></html>"
        );
        let (a, _) = page_story(
            Path::new("f.warc"),
            &page,
            Some("https://www.valley.example/library"),
            Some("2020-03-01T10:00:00Z"),
        )
        .unwrap();
        assert_eq!(a.url.as_deref(), Some("https://www.valley.example/library"));
        // no date of its own: the capture's time is kept apart, not made its date
        assert_eq!(a.date, None);
        assert_eq!(a.captured.as_deref(), Some("2020-03-01T10:00:00Z"));
        assert_eq!(a.source.as_deref(), Some("valley.example"));
        assert!(a.extracted);
        // a page that states its date keeps it; the capture stays beside it
        let dated = page.replace(
            "<title>",
            "<meta property=\"article:published_time\" content=\"2019-12-24T08:00:00Z\"><title>",
        );
        let (a, _) = page_story(
            Path::new("f.warc"),
            &dated,
            None,
            Some("2020-03-01T10:00:00Z"),
        )
        .unwrap();
        assert_eq!(a.date.as_deref(), Some("2019-12-24"));
        assert_eq!(a.captured.as_deref(), Some("2020-03-01T10:00:00Z"));
        // a WARC-Date that is no time is not shown as one
        let (a, _) = page_story(Path::new("f.warc"), &page, None, Some("\x1b[2Jsoon")).unwrap();
        assert_eq!(a.captured, None);
    }
}
