//! Metadata as stored formats name it: the field names scrapers, news datasets, front
//! matter and page meta tags use, and the normalising of their values.

use super::{Block, Markup};
use crate::text::{find_date, sanitize, squash_ws};

/// Field names that hold the title, in order of preference.
pub const TITLE: &[&str] = &["title", "headline", "name"];
/// Field names that hold the body.
pub const BODY: &[&str] = &[
    "text",
    "maintext",
    "content",
    "body",
    "articleBody",
    "article_body",
    "full_text",
];
/// Field names that hold the standfirst.
pub const DESCRIPTION: &[&str] = &["description", "summary", "standfirst", "subtitle", "dek"];
/// Field names that hold the address.
pub const URL: &[&str] = &["url", "link", "canonical_url", "canonical", "permalink"];
/// Field names that hold the publication date.
pub const DATE: &[&str] = &[
    "date",
    "date_publish",
    "published",
    "datePublished",
    "published_at",
    "publishedAt",
    "pub_date",
    "publish_date",
    "pubDate",
    "date_published",
    "created_at",
    "date_modify",
    "dateModified",
];
/// Field names that hold the publication; a publication's name is preferred to its domain.
pub const SOURCE: &[&str] = &[
    "source",
    "site_name",
    "publisher",
    "publication",
    "outlet",
    "site",
    "source_domain",
];
/// Field names that hold the authors.
pub const AUTHORS: &[&str] = &["authors", "author", "byline", "creator"];

/// Sanitised, single-spaced text, or None when empty.
pub fn clean(s: &str) -> Option<String> {
    let t = squash_ws(&sanitize(s));
    (!t.is_empty()).then_some(t)
}

/// A stored date as `YYYY-MM-DD`: ISO forms, "28 February 2020", "Feb. 28, 2020", or a
/// Unix time in seconds or milliseconds.
pub fn date(s: &str) -> Option<String> {
    let t = s.trim();
    if !t.is_empty() && t.len() <= 13 && t.chars().all(|c| c.is_ascii_digit()) {
        let n: u64 = t.parse().ok()?;
        let secs = if t.len() == 13 { n / 1000 } else { n };
        // only plausible times: 1990 to 2100
        if (631_152_000..4_102_444_800).contains(&secs) {
            let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
            return Some(crate::text::date_of(when));
        }
        return None;
    }
    find_date(t).or_else(|| slash_date(t))
}

/// `2020/02/28` (year first, unambiguous).
fn slash_date(t: &str) -> Option<String> {
    let mut it = t.split(['/', '.']).map(str::trim);
    let y: u32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.get(..2)?.trim().parse().ok()?;
    ((1900..2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Authors from one string: "Ann Lee and Bo Chan", "Ann Lee; Bo Chan", "By Ann Lee".
pub fn authors_from_str(s: &str) -> Vec<String> {
    let Some(t) = clean(s) else {
        return Vec::new();
    };
    let t = t
        .strip_prefix("By ")
        .or_else(|| t.strip_prefix("by "))
        .unwrap_or(&t);
    let parts: Vec<&str> = if t.contains(';') {
        t.split(';').collect()
    } else if t.contains(" and ") || t.contains(" & ") {
        t.split(" and ")
            .flat_map(|p| p.split(" & "))
            .flat_map(|p| p.split(", "))
            .collect()
    } else if t.matches(", ").count() >= 1 && t.split(", ").all(|p| p.split(' ').count() >= 2) {
        // "Ann Lee, Bo Chan" (a list), not "Lee, Ann" (one name inverted)
        t.split(", ").collect()
    } else {
        vec![t]
    };
    parts.iter().filter_map(|p| clean(p)).collect()
}

/// Split stored body text into blocks: at blank lines, or at every line break when the
/// text has no blank lines. Lines of a list stay together as one list block.
pub fn body_blocks(text: &str) -> Vec<Block> {
    let text = sanitize(&text.replace("\r\n", "\n").replace('\r', "\n"));
    let has_blank = text.trim().split('\n').any(|l| l.trim().is_empty());
    let mut out = Vec::new();
    if has_blank {
        let mut cur: Vec<&str> = Vec::new();
        for line in text.split('\n') {
            if line.trim().is_empty() {
                if !cur.is_empty() {
                    super::limits::push_block(&mut out, super::txt::join_lines(&cur));
                    cur.clear();
                }
            } else {
                cur.push(line.trim());
            }
        }
        if !cur.is_empty() {
            super::limits::push_block(&mut out, super::txt::join_lines(&cur));
        }
    } else {
        for line in text.split('\n') {
            if let Some(t) = clean(line) {
                let markup = if super::txt::is_list_line(&t) {
                    Markup::ListItem
                } else {
                    Markup::Paragraph
                };
                super::limits::push_block(&mut out, Block { text: t, markup });
            }
        }
    }
    out.retain(|b| !b.text.trim().is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_stored_shapes() {
        assert_eq!(
            date("2020-02-28T09:30:00+01:00").as_deref(),
            Some("2020-02-28")
        );
        assert_eq!(date("2019-03-01 12:00:00").as_deref(), Some("2019-03-01"));
        assert_eq!(
            date("Fri, 28 Feb 2020 09:00:00 GMT").as_deref(),
            Some("2020-02-28")
        );
        assert_eq!(date("1582880400").as_deref(), Some("2020-02-28"));
        assert_eq!(date("1582880400000").as_deref(), Some("2020-02-28"));
        assert_eq!(date("2020/02/28").as_deref(), Some("2020-02-28"));
        assert_eq!(date("yesterday"), None);
        assert_eq!(date("12"), None);
    }

    #[test]
    fn authors_split() {
        assert_eq!(
            authors_from_str("By Ann Lee and Bo Chan"),
            vec!["Ann Lee", "Bo Chan"]
        );
        assert_eq!(
            authors_from_str("Ann Lee; Bo Chan"),
            vec!["Ann Lee", "Bo Chan"]
        );
        assert_eq!(authors_from_str("Lee, Ann"), vec!["Lee, Ann"]);
        assert_eq!(
            authors_from_str("Ann Lee, Bo Chan"),
            vec!["Ann Lee", "Bo Chan"]
        );
        assert!(authors_from_str("  ").is_empty());
    }

    #[test]
    fn body_split_at_blank_lines_else_lines() {
        let b = body_blocks("One\nwrapped.\n\nTwo.");
        assert_eq!(b, vec![Block::para("One wrapped."), Block::para("Two.")]);
        let b = body_blocks("One.\nTwo.\n- item");
        assert_eq!(b.len(), 3);
        assert_eq!(b[2].markup, Markup::ListItem);
    }
}
