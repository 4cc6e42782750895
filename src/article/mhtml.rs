//! MHTML single-file pages (`.mhtml`, `.mht`), as browsers save them: a MIME message
//! whose `text/html` part (quoted-printable or base64) is the page. The page goes through
//! the saved-page pipeline ([`super::html::parse`]); its URL is the save's
//! `Snapshot-Content-Location`, else the part's or the message's `Content-Location`.

use super::mime::Entity;
use super::{err, html, meta, payload, Loaded, ProblemKind};
use std::path::Path;

/// Parse an MHTML file into `out`.
pub fn parse(path: &Path, bytes: &[u8], out: &mut Loaded) {
    let top = Entity::parse(bytes);
    if top.headers.is_empty() {
        out.problems.push(err(
            ProblemKind::NoArticles,
            path,
            None,
            "not MHTML: no MIME headers".into(),
        ));
        return;
    }
    let Some(part) = top.find("text/html", 0) else {
        let why = if top.media_type().starts_with("multipart/") && top.parts().is_empty() {
            "MHTML with no parts (cut short, or no boundary)"
        } else {
            "MHTML with no text/html part"
        };
        out.problems
            .push(err(ProblemKind::NoArticles, path, None, why.into()));
        return;
    };
    let page = part.decoded_text();
    let (mut a, warning) = match html::parse(path, page.as_bytes()) {
        Ok(x) => x,
        Err(e) => {
            out.problems.push(e);
            return;
        }
    };
    let location = top
        .header("snapshot-content-location")
        .or_else(|| part.header("content-location"))
        .or_else(|| top.header("content-location"))
        .map(|u| u.trim().to_string())
        .filter(|u| u.contains("://"));
    if location.is_some() {
        a.url = location;
    }
    if a.date.is_none() {
        a.date = top.header("date").and_then(meta::date);
    }
    if a.source.is_none() {
        a.source = a.url.as_deref().and_then(payload::host);
    }
    if a.title.is_empty() || a.title == super::txt::file_title(path) {
        if let Some(s) = top.text("subject").and_then(|s| meta::clean(&s)) {
            a.title = s;
        }
    }
    out.articles.push(a);
    out.problems.extend(warning);
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://harbour.example/ferry\r\nSubject: Ferry fares to rise\r\nDate: Fri, 28 Feb 2020 09:00:00 -0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--abc----\"\r\n\r\n\r\n------MultipartBoundary--abc----\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: https://harbour.example/ferry\r\n\r\n<html><head><meta charset=3D\"utf-8\"><title>Ferry fares to rise</title></head><body><article><h1>Ferry fa=\r\nres to rise</h1><p>Fares across the harbour will rise by a tenth from April, the transport board said, the first rise in four years.</p><p>Caf=C3=A9 owners on the quay welcomed the news.</p></article></body></html>\r\n------MultipartBoundary--abc----\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Location: https://harbour.example/logo.png\r\n\r\niVBORw0KGgo=\r\n------MultipartBoundary--abc------\r\n";

    fn load(bytes: &[u8]) -> Loaded {
        let mut out = Loaded::default();
        super::super::load_bytes(Path::new("p.mhtml"), bytes, &mut out);
        out
    }

    #[test]
    fn the_html_part_is_the_page() {
        let out = load(PAGE.as_bytes());
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let a = &out.articles[0];
        assert_eq!(a.title, "Ferry fares to rise");
        assert_eq!(a.url.as_deref(), Some("https://harbour.example/ferry"));
        assert_eq!(a.date.as_deref(), Some("2020-02-28"));
        assert_eq!(a.source.as_deref(), Some("harbour.example"));
        assert!(a.extracted);
        assert!(
            a.blocks.iter().any(|b| b.text.contains("Caf\u{e9} owners")),
            "{:?}",
            a.blocks
        );
        assert_eq!(
            super::super::sniff(PAGE.as_bytes()),
            super::super::Format::Mhtml
        );
    }

    #[test]
    fn broken_mhtml_is_a_problem() {
        let out = load(b"just text, no headers");
        assert!(out.articles.is_empty() && out.problems[0].reason.contains("not MHTML"));
        let no_html = PAGE.replace("Content-Type: text/html\r\n", "Content-Type: text/css\r\n");
        let out = load(no_html.as_bytes());
        assert!(
            out.problems[0].reason.contains("no text/html part"),
            "{:?}",
            out.problems
        );
        for cut in (0..PAGE.len()).step_by(29) {
            load(&PAGE.as_bytes()[..cut]);
        }
    }
}
