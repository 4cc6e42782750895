//! A story as the command line writes it: JSON Lines, Markdown, plain text, `--raw`
//! and `explain`.

use crate::archive::Story;
use serde::Serialize;

/// One line of `export --format json`, the shape PRODUCT.md gives.
#[derive(Debug, Serialize)]
pub struct JsonStory<'a> {
    /// The file, as given or found.
    pub path: String,
    /// The title.
    pub title: &'a str,
    /// The source, stored or stated.
    pub source: Option<&'a str>,
    /// `YYYY-MM-DD`: the story's own date; for a captured page with none, the day it was
    /// captured (as before `captured` was added).
    pub date: Option<String>,
    /// When a web archive captured it (its `WARC-Date`), only when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<&'a str>,
    /// The story is only its feed's summary (the feed carries no full text); only when so.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub summary_only: bool,
    /// The feed reader it came from has it unread (`true`) or read (`false`): newsboat's
    /// flag, only when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_unread: Option<bool>,
    /// The story's address.
    pub url: Option<&'a str>,
    /// Authors.
    pub authors: Vec<String>,
    /// The paragraphs shown as the story, in order.
    pub body: Vec<&'a str>,
    /// The hidden blocks with their kind and reason.
    pub hidden: Vec<JsonHidden<'a>>,
}

/// A hidden block in JSON.
#[derive(Debug, Serialize)]
pub struct JsonHidden<'a> {
    /// The block's text.
    pub text: &'a str,
    /// Its kind (`related-headline`, ...).
    pub kind: &'a str,
    /// Why it is hidden.
    pub reason: &'a str,
}

/// The JSON object for a story.
pub fn json_story(s: &Story) -> JsonStory<'_> {
    JsonStory {
        path: s.article.path.display().to_string(),
        title: &s.article.title,
        source: s.source(),
        date: s.article.list_date(),
        captured: s.article.captured.as_deref(),
        summary_only: s.article.summary_only,
        feed_unread: s.article.feed_unread,
        url: s.article.url.as_deref(),
        authors: s.authors(),
        body: s.cleaned.body().map(|d| d.text.as_str()).collect(),
        hidden: s
            .cleaned
            .hidden()
            .map(|d| JsonHidden {
                text: &d.text,
                kind: d.kind.as_str(),
                reason: &d.reason,
            })
            .collect(),
    }
}

/// One JSON line for a story.
pub fn json_line(s: &Story) -> String {
    serde_json::to_string(&json_story(s)).expect("serialising plain data cannot fail")
}

/// The meta line: source · date · author.
pub fn meta_line(s: &Story) -> String {
    s.meta_parts().join(" · ")
}

/// The story as Markdown: title, source, date, URL, paragraphs.
pub fn markdown(s: &Story) -> String {
    let mut out = format!("# {}\n\n", s.article.title);
    let meta = meta_line(s);
    if !meta.is_empty() {
        out.push_str(&format!("*{meta}*\n\n"));
    }
    if let Some(u) = &s.article.url {
        out.push_str(&format!("<{u}>\n\n"));
    }
    for d in s.cleaned.body() {
        match d.kind {
            crate::clean::Kind::Subheading => out.push_str(&format!("## {}\n\n", d.text)),
            _ => out.push_str(&format!("{}\n\n", d.text)),
        }
    }
    out
}

/// The story as plain text wrapped to `width` columns (0: unwrapped). With `raw`, hidden
/// blocks are included and marked `[hidden: kind]`.
pub fn text(s: &Story, width: usize, raw: bool) -> String {
    let mut out = String::new();
    out.push_str(&s.article.title);
    out.push('\n');
    let meta = meta_line(s);
    if !meta.is_empty() {
        out.push_str(&meta);
        out.push('\n');
    }
    for d in &s.cleaned.blocks {
        if !d.shown && !raw {
            continue;
        }
        out.push('\n');
        let para = if d.shown {
            d.text.clone()
        } else {
            format!("[hidden: {}] {}", d.kind.as_str(), d.text)
        };
        for line in para.split('\n') {
            if width == 0 {
                out.push_str(line);
                out.push('\n');
            } else {
                for w in textwrap::wrap(line, width) {
                    out.push_str(&w);
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// `explain`: what is known of the story beyond its meta line (its captures, its feed
/// reader's flag, a summary alone), then every block, shown or hidden, its kind and why.
pub fn explain(s: &Story) -> String {
    let a = &s.article;
    let mut out = format!("{}\n{}\n", a.title, meta_line(s));
    if a.summary_only {
        out.push_str("summary only: the feed carries no full text; its summary is the story\n");
    }
    if let Some(u) = a.feed_unread {
        out.push_str(if u {
            "feed reader (newsboat): unread\n"
        } else {
            "feed reader (newsboat): read (shown read until read or unread here)\n"
        });
    }
    if !a.captures.is_empty() {
        let n = a.captures.len();
        out.push_str(&format!(
            "captures of {}: {n}\n",
            a.url.as_deref().unwrap_or("its URL")
        ));
        for (i, c) in a.captures.iter().enumerate() {
            let shown = if i + 1 == n {
                "  (shown: the latest)"
            } else {
                ""
            };
            out.push_str(&format!("  {}  {}{shown}\n", c.date, c.place));
        }
    } else if let Some(c) = &a.captured {
        out.push_str(&format!("captured {c}\n"));
    }
    out.push('\n');
    for (i, d) in s.cleaned.blocks.iter().enumerate() {
        let head: String = d.text.chars().take(72).collect();
        let more = if d.text.chars().count() > 72 {
            "…"
        } else {
            ""
        };
        out.push_str(&format!(
            "{:>3} {} {:<16} {}{}\n      why: {}\n",
            i + 1,
            if d.shown { "shown " } else { "hidden" },
            d.kind.as_str(),
            head.replace('\n', " / "),
            more,
            d.reason
        ));
    }
    out
}
