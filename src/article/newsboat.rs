//! newsboat's cache (`cache.db`), opened read-only: each item not deleted is a story, its
//! feed's title the source, its content (HTML, as the feed sent it) split into the
//! saved-page blocks. Nothing is written back.

use super::feed::Item;
use super::{err, meta, Article, LoadError, ProblemKind};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// Is this file name newsboat's cache?
pub fn is_cache_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("cache.db")
}

/// The items of a newsboat cache, oldest first (as newsboat stored them).
pub fn load_path(path: &Path) -> (Vec<Article>, Vec<LoadError>) {
    match read(path) {
        Ok((a, skipped)) => {
            let p = (skipped > 0).then(|| {
                err(
                    ProblemKind::Skipped,
                    path,
                    Some(format!("{} items", a.len() + skipped)),
                    format!("{skipped} not stories: items with no title and no text"),
                )
            });
            (a, p.into_iter().collect())
        }
        Err((kind, e)) => (Vec::new(), vec![err(kind, path, None, e)]),
    }
}

fn read(path: &Path) -> Result<(Vec<Article>, usize), (ProblemKind, String)> {
    let db = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| {
        (
            ProblemKind::Unreadable,
            format!("cannot open as SQLite ({e})"),
        )
    })?;
    let has = |table: &str| -> bool {
        db.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get::<_, i64>(0),
        )
        .is_ok_and(|n| n > 0)
    };
    match db.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => {}
        Err(e) => {
            return Err((
                ProblemKind::Malformed,
                format!("not a readable SQLite database ({e})"),
            ))
        }
    }
    if !has("rss_item") || !has("rss_feed") {
        return Err((
            ProblemKind::NoArticles,
            "a SQLite database without newsboat's tables (rss_item, rss_feed)".into(),
        ));
    }
    let deleted: bool = db.prepare("SELECT deleted FROM rss_item LIMIT 0").is_ok();
    let sql = format!(
        "SELECT i.title, i.author, i.url, i.pubDate, i.content, i.unread, f.title \
         FROM rss_item i LEFT JOIN rss_feed f ON f.rssurl = i.feedurl {} ORDER BY i.id",
        if deleted { "WHERE i.deleted = 0" } else { "" }
    );
    let mut st = db
        .prepare(&sql)
        .map_err(|e| (ProblemKind::Malformed, format!("cannot read items ({e})")))?;
    let text = |r: &rusqlite::Row, i: usize| -> Option<String> {
        match r.get_ref(i).ok()? {
            rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                Some(String::from_utf8_lossy(t).into_owned())
            }
            rusqlite::types::ValueRef::Integer(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let rows = st
        .query_map([], |r| {
            Ok((
                text(r, 0),
                text(r, 1),
                text(r, 2),
                text(r, 3),
                text(r, 4),
                r.get::<_, Option<i64>>(5).ok().flatten(),
                text(r, 6),
            ))
        })
        .map_err(|e| (ProblemKind::Malformed, format!("cannot read items ({e})")))?;
    let mut out = Vec::new();
    let mut skipped = 0;
    for row in rows {
        let (title, author, url, date, content, unread, feed) =
            row.map_err(|e| (ProblemKind::Malformed, format!("cannot read an item ({e})")))?;
        let content = content.filter(|c| !c.trim().is_empty());
        let is_html = content.as_deref().is_some_and(|c| c.contains('<'));
        let item = Item {
            title: title.and_then(|t| meta::clean(&t)),
            link: url.filter(|u| u.contains("://")),
            date,
            authors: author
                .map(|a| meta::authors_from_str(&a))
                .unwrap_or_default(),
            html: content.clone().filter(|_| is_html),
            text: content.filter(|_| !is_html),
            summary: None,
        };
        let feed = feed.and_then(|f| meta::clean(&f));
        match item.article(path, feed.as_deref(), out.len()) {
            Some(mut a) => {
                // newsboat's flag, kept as it said it (the reader decides what it means)
                a.feed_unread = unread.map(|u| u != 0);
                out.push(a);
            }
            None => skipped += 1,
        }
    }
    Ok((out, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = "CREATE TABLE rss_feed (rssurl VARCHAR(1024) PRIMARY KEY NOT NULL, url VARCHAR(1024) NOT NULL, title VARCHAR(1024) NOT NULL, lastmodified INTEGER(11) NOT NULL DEFAULT 0, is_rtl INTEGER(1) NOT NULL DEFAULT 0, etag VARCHAR(128) NOT NULL DEFAULT \"\");
CREATE TABLE rss_item (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, guid VARCHAR(64) NOT NULL, title VARCHAR(1024) NOT NULL, author VARCHAR(1024) NOT NULL, url VARCHAR(1024) NOT NULL, feedurl VARCHAR(1024) NOT NULL, pubDate INTEGER NOT NULL, content VARCHAR(65535) NOT NULL, unread INTEGER(1) NOT NULL, enclosure_url VARCHAR(1024), enclosure_type VARCHAR(1024), enqueued INTEGER(1) NOT NULL DEFAULT 0, flags VARCHAR(52), deleted INTEGER(1) NOT NULL DEFAULT 0, base VARCHAR(128) NOT NULL DEFAULT \"\", content_mime_type VARCHAR(255) NOT NULL DEFAULT \"\");";

    fn cache(dir: &Path) -> std::path::PathBuf {
        let p = dir.join("cache.db");
        let db = Connection::open(&p).unwrap();
        db.execute_batch(SCHEMA).unwrap();
        db.execute_batch(
            "INSERT INTO rss_feed (rssurl, url, title) VALUES ('file:///f.xml', 'https://valley.example/', 'The Valley Courier');
             INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread) VALUES
              ('1', 'Library stays open', 'Ann Lee', 'https://valley.example/library', 'file:///f.xml', 1582876800, '<p>The library stays open.</p><p>A caf&eacute; opens.</p>', 1),
              ('2', 'Bus routes cut', '', 'https://valley.example/bus', 'file:///f.xml', 1582963200, 'Three routes end in June.', 0),
              ('3', '', '', '', 'file:///f.xml', 0, '', 1);
             INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, deleted) VALUES
              ('4', 'Deleted', '', '', 'file:///f.xml', 0, 'x', 1, 1);",
        )
        .unwrap();
        p
    }

    #[test]
    fn items_of_the_cache_are_stories_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let p = cache(dir.path());
        let before = std::fs::read(&p).unwrap();
        let l = super::super::load_file(&p);
        let a = &l.articles;
        assert_eq!(a.len(), 2, "{:?}", l.problems);
        assert_eq!(a[0].title, "Library stays open");
        assert_eq!(a[0].source.as_deref(), Some("The Valley Courier"));
        assert_eq!(a[0].date.as_deref(), Some("2020-02-28"));
        assert_eq!(a[0].authors, vec!["Ann Lee"]);
        assert_eq!(a[0].blocks[1].text, "A caf\u{e9} opens.");
        assert_eq!(a[1].blocks[0].text, "Three routes end in June.");
        // newsboat's flag as it kept it: the first unread, the second read
        assert_eq!(
            (a[0].feed_unread, a[1].feed_unread),
            (Some(true), Some(false))
        );
        assert_eq!(l.problems.len(), 1);
        assert!(l.problems[0].reason.contains("1 not stories"));
        assert_eq!(std::fs::read(&p).unwrap(), before);
    }

    #[test]
    fn other_files_named_cache_db_are_problems() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("cache.db");
        std::fs::write(&p, b"not a database at all, just some text").unwrap();
        let l = super::super::load_file(&p);
        assert!(l.articles.is_empty() && !l.problems.is_empty());
        std::fs::remove_file(&p).unwrap();
        Connection::open(&p)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let l = super::super::load_file(&p);
        assert!(
            l.problems[0].reason.contains("newsboat's tables"),
            "{:?}",
            l.problems
        );
    }
}
