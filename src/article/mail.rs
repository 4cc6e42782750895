//! Newsletters in mailboxes: an mbox file (`.mbox`, messages each after a `From ` line)
//! or one message (`.eml`). Each message is a story: its Subject the title, the sender's
//! name the source, its Date the date; the HTML part through the saved-page pipeline
//! ([`super::html::parse`]), else the plain text part.

use super::mime::{display_name, Entity};
use super::{err, html, meta, Article, Loaded, ProblemKind};
use std::path::Path;

/// The messages of an mbox: each starts after a line beginning `From ` (at the start of
/// the file or after a blank line); `>From ` lines inside are unquoted.
fn messages(bytes: &[u8]) -> Vec<(usize, Vec<u8>)> {
    let mut starts = Vec::new();
    let mut i = 0;
    let mut prev_blank = true;
    while i < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |e| i + e + 1);
        let line = &bytes[i..end];
        if prev_blank && line.starts_with(b"From ") {
            starts.push((i, end));
        }
        prev_blank = line.iter().all(u8::is_ascii_whitespace);
        i = end;
    }
    let mut out = Vec::new();
    for (k, &(at, body)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(bytes.len(), |n| n.0);
        let mut msg = Vec::with_capacity(end - body);
        for line in bytes[body..end].split_inclusive(|&b| b == b'\n') {
            let quoted = line.starts_with(b">") && {
                let t = &line[line.iter().take_while(|&&b| b == b'>').count()..];
                t.starts_with(b"From ")
            };
            msg.extend_from_slice(if quoted { &line[1..] } else { line });
        }
        out.push((at, msg));
    }
    out
}

/// One message as a story; `Err` says why it is not one.
fn message(path: &Path, bytes: &[u8], index: usize) -> Result<Article, (ProblemKind, String)> {
    let m = Entity::parse(bytes);
    if m.headers.is_empty() {
        return Err((ProblemKind::Malformed, "a message with no headers".into()));
    }
    let mut a = if let Some(h) = m.find("text/html", 0) {
        let page = h.decoded_text();
        html::parse(path, page.as_bytes())
            .map_err(|e| (e.kind, e.reason))?
            .0
    } else if let Some(t) = m.find("text/plain", 0) {
        Article {
            path: path.to_path_buf(),
            blocks: meta::body_blocks(&t.decoded_text()),
            ..Article::default()
        }
    } else {
        return Err((
            ProblemKind::NoStory,
            format!("no text in the message ({})", m.media_type()),
        ));
    };
    a.index_in_file = index;
    if let Some(s) = m.text("subject").and_then(|s| meta::clean(&s)) {
        a.title = s;
    }
    if a.title.is_empty() {
        a.title = super::txt::file_title(path);
    }
    if let Some(from) = m.text("from").and_then(|f| display_name(&f)) {
        a.source = Some(from);
    }
    if let Some(d) = m.header("date").and_then(meta::date) {
        a.date = Some(d);
    }
    if a.blocks.is_empty() {
        return Err((ProblemKind::NoStory, "no text in the message".into()));
    }
    Ok(a)
}

/// Parse an mbox, or one message (`.eml`), into `out`.
pub fn parse(path: &Path, bytes: &[u8], out: &mut Loaded) {
    let msgs = if bytes.starts_with(b"From ") {
        messages(bytes)
    } else {
        vec![(0, bytes.to_vec())]
    };
    let before = out.articles.len();
    for (at, msg) in msgs {
        let i = out.articles.len() - before;
        match message(path, &msg, i) {
            Ok(a) => out.articles.push(a),
            Err((kind, why)) => out
                .problems
                .push(err(kind, path, Some(format!("byte {at}")), why)),
        }
    }
    if out.articles.len() == before && out.problems.is_empty() {
        out.problems.push(err(
            ProblemKind::NoArticles,
            path,
            None,
            "no messages in the file".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MBOX: &str = "From news@valley.example Fri Feb 28 08:00:00 2020\nFrom: \"The Valley Courier\" <news@valley.example>\nSubject: =?utf-8?Q?Library_stays_open_=E2=80=94_this_week?=\nDate: Fri, 28 Feb 2020 08:00:00 +0000\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"XX\"\n\n--XX\nContent-Type: text/plain; charset=utf-8\n\nPlain version.\n--XX\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n<html><body><table><tr><td><h1>Library stays open</h1><p>The council voted on Tuesday to keep the library open for an=\nother year, after a long campaign by readers.</p><p>Its caf=C3=A9 opens in May, run by volunteers from the valley.</p></td></tr></table></body></html>\n--XX--\n\nFrom bo@ledger.example Sat Feb 29 08:00:00 2020\nFrom: Bo Chan <bo@ledger.example>\nSubject: Ledger briefs\nDate: Sat, 29 Feb 2020 08:00:00 +0000\nContent-Type: text/plain\n\nThe wind farm was approved.\n\n>From the archive: the first turbine, 1998.\n";

    fn load(name: &str, bytes: &[u8]) -> Loaded {
        let mut out = Loaded::default();
        super::super::load_bytes(Path::new(name), bytes, &mut out);
        out
    }

    #[test]
    fn each_message_is_a_story() {
        let out = load("n.mbox", MBOX.as_bytes());
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let a = &out.articles;
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "Library stays open \u{2014} this week");
        assert_eq!(a[0].source.as_deref(), Some("The Valley Courier"));
        assert_eq!(a[0].date.as_deref(), Some("2020-02-28"));
        assert!(a[0].extracted);
        assert!(
            a[0].blocks.iter().any(|b| b.text.contains("another year")),
            "{:?}",
            a[0].blocks
        );
        assert_eq!(a[1].title, "Ledger briefs");
        assert_eq!(a[1].source.as_deref(), Some("Bo Chan"));
        assert_eq!(
            a[1].blocks[1].text,
            "From the archive: the first turbine, 1998."
        );
        assert_eq!(a[1].index_in_file, 1);
        assert_eq!(
            super::super::sniff(MBOX.as_bytes()),
            super::super::Format::Mail
        );
    }

    #[test]
    fn one_message_and_broken_ones() {
        let eml = &MBOX[MBOX.find("\nFrom: Bo").unwrap() + 1..];
        let out = load("b.eml", eml.as_bytes());
        assert_eq!(out.articles.len(), 1, "{:?}", out.problems);
        assert_eq!(
            super::super::sniff(b"MIME-Version: 1.0\nSubject: x\n\nbody"),
            super::super::Format::Mail
        );
        // a story whose title begins "From " or "Subject:" is not a mailbox
        let story = b"From the archive: the first ferry\n\nIt sailed in 1901.";
        assert_eq!(super::super::sniff(story), super::super::Format::Text);
        let story = b"Subject: our town\n\nA story.";
        assert_eq!(super::super::sniff(story), super::super::Format::Text);
        let out = load("x.eml", b"no headers here");
        assert!(out.articles.is_empty() && !out.problems.is_empty());
        let out = load(
            "x.mbox",
            b"From a\nSubject: only headers\nContent-Type: image/png\n\nxx",
        );
        assert!(
            out.problems[0].reason.contains("no text"),
            "{:?}",
            out.problems
        );
        assert_eq!(out.problems[0].at.as_deref(), Some("byte 0"));
        for cut in (0..MBOX.len()).step_by(31) {
            load("c.mbox", &MBOX.as_bytes()[..cut]);
        }
    }
}
