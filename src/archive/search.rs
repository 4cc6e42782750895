//! Full-text search over the index: a query as a person types it, turned into an FTS5
//! query; hits ranked by BM25 with the title weighted above the body; a snippet of each
//! hit's text with the matched words marked.

use super::db::{Ctx, DbResult};
use super::entry::Entry;
use super::paths::{relative_to, root_range as sql_root_range};
use super::state::StoryId;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How much a match in the title counts against a match in the body.
pub const TITLE_WEIGHT: f64 = 10.0;

/// Words of context a snippet holds.
const SNIPPET_WORDS: i32 = 16;

/// An index with at least this many stories is searched in two halves at once (by story
/// id), one on a second connection: a word in nearly every story costs one BM25 score a
/// story, and two cores halve it.
#[cfg(not(test))]
const SPLIT_FROM: i64 = 20_000;
/// Unit tests search small indexes in halves too.
#[cfg(test)]
const SPLIT_FROM: i64 = 2;

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// One story found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The story.
    pub entry: Entry,
    /// BM25 score: higher is better.
    pub score: f64,
    /// A piece of the story's text around the best match, `…` where it was cut.
    pub snippet: String,
    /// Byte ranges of `snippet` that matched the query, for highlighting.
    pub marks: Vec<Range<usize>>,
}

impl Hit {
    /// The snippet with the matches wrapped in `open` and `close` (e.g. `[` and `]`).
    pub fn marked_snippet(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.snippet.len() + 8);
        let mut at = 0;
        for m in &self.marks {
            out.push_str(&self.snippet[at..m.start]);
            out.push_str(open);
            out.push_str(&self.snippet[m.clone()]);
            out.push_str(close);
            at = m.end;
        }
        out.push_str(&self.snippet[at..]);
        out
    }
}

/// Turn what a person typed into an FTS5 query: every word must appear (in any order);
/// `"two words"` must appear together; a word ending in `*` matches as a prefix. Any other
/// punctuation is taken as text, never as query syntax. `None` when nothing is searchable.
pub fn fts_query(typed: &str) -> Option<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut push = |t: &str, prefix: bool| {
        if t.chars().any(char::is_alphanumeric) {
            let quoted = format!("\"{}\"", t.replace('"', "\"\""));
            terms.push(if prefix { quoted + "*" } else { quoted });
        }
    };
    let mut rest = typed;
    while !rest.is_empty() {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix('"') {
            let end = after.find('"').unwrap_or(after.len());
            push(&after[..end], false);
            rest = after.get(end + 1..).unwrap_or("");
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"')
                .unwrap_or(rest.len());
            let w = &rest[..end];
            match w.strip_suffix('*') {
                Some(stem) => push(stem, true),
                None => push(w, false),
            }
            rest = &rest[end..];
        }
    }
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Split a snippet marked with the private-use markers into text and match ranges.
fn unmark(s: &str) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(s.len());
    let mut marks = Vec::new();
    let mut start = None;
    for c in s.chars() {
        match c {
            OPEN => start = Some(out.len()),
            CLOSE => {
                if let Some(st) = start.take() {
                    marks.push(st..out.len());
                }
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    (out, marks)
}

/// A query that matches more stories than this is ranked among those that match it in
/// their title (see [`ranked_query`]).
const CANDIDATES: i64 = 10_000;

/// The query the hits are ranked by: `q` itself, unless it matches more than
/// `candidates` stories (a word in nearly every story, such as "said" or "the") and at
/// least `limit` under the roots (`filter`, with `root_args` as ?2...) match it in their
/// title: then `q` in the title only, so that BM25 is worked out for those stories alone
/// (on 100,000 generated stories, 13,842 of the 99,873 holding "to": 0.04 s instead of
/// 0.22). Those are the hits a title match ranks first (the title weighs ten times the
/// body); among them the order is by the title's matches and the story's length. The
/// snippets still mark every match.
fn ranked_query(
    conn: &Connection,
    db: &Path,
    q: &str,
    limit: usize,
    candidates: i64,
    filter: &str,
    root_args: &[Value],
) -> DbResult<String> {
    let most = conn
        .prepare_cached("SELECT count(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ?1 LIMIT ?2)")
        .at(db)?
        .query_row(rusqlite::params![q, candidates + 1], |r| r.get::<_, i64>(0))
        .at(db)?;
    if most <= candidates {
        return Ok(q.to_string());
    }
    let in_title = format!("title : ({q})");
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut args = vec![Value::Text(in_title.clone())];
    args.extend_from_slice(root_args);
    args.push(Value::Integer(limit));
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM fts JOIN story s ON s.id = fts.rowid
         JOIN file f ON f.id = s.file WHERE fts MATCH ?1 AND {filter} LIMIT ?{})",
        args.len()
    );
    let in_titles: i64 = conn
        .prepare_cached(&sql)
        .at(db)?
        .query_row(params_from_iter(args.iter()), |r| r.get(0))
        .at(db)?;
    Ok(if in_titles >= limit {
        in_title
    } else {
        q.to_string()
    })
}

/// A hit as the ranking query returns it.
struct Row {
    /// The story's row id (also its text's in `fts`).
    rowid: i64,
    /// The content id.
    id: StoryId,
    /// The file, absolute.
    abs: PathBuf,
    /// Position within the file.
    index_in_file: i64,
    title: String,
    source: Option<String>,
    date: Option<String>,
    /// [`Entry::flags`].
    flags: u8,
    /// BM25: lower is better.
    bm25: f64,
    /// Under one of the roots searched?
    inside: bool,
}

fn query(conn: &Connection, db: &Path, sql: &str, args: &[Value]) -> DbResult<Vec<Row>> {
    let mut stmt = conn.prepare_cached(sql).at(db)?;
    let rows = stmt
        .query_map(params_from_iter(args.iter()), |r| {
            Ok(Row {
                rowid: r.get(0)?,
                id: StoryId::from_sql(r.get(1)?),
                abs: PathBuf::from(r.get::<_, String>(2)?),
                index_in_file: r.get(3)?,
                title: r.get(4)?,
                source: r.get(5)?,
                date: r.get(6)?,
                bm25: r.get(7)?,
                inside: r.get(8)?,
                flags: r.get::<_, i64>(9)? as u8,
            })
        })
        .at(db)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row.at(db)?);
    }
    Ok(out)
}

/// Search `typed` among the stories under `roots` (all when empty), best `limit` first.
/// `helper` gives a second connection to the same index (asked for only when the index
/// is big), to rank it in two halves at once.
pub(crate) fn run<'h>(
    conn: &Connection,
    helper: impl FnOnce() -> Option<&'h Mutex<Connection>>,
    db: &Path,
    typed: &str,
    roots: &[PathBuf],
    limit: usize,
) -> DbResult<Vec<Hit>> {
    let Some(q) = fts_query(typed) else {
        return Ok(Vec::new());
    };
    let mut where_roots = Vec::new();
    let mut args: Vec<Value> = vec![Value::Text(q.clone())];
    for r in roots {
        let (exact, lo, hi) = sql_root_range(r);
        let n = args.len();
        where_roots.push(format!(
            "f.path = ?{} OR (f.path >= ?{} AND f.path < ?{})",
            n + 1,
            n + 2,
            n + 3
        ));
        args.extend([exact, lo, hi].map(Value::Text));
    }
    let filter = if where_roots.is_empty() {
        "1".to_string()
    } else {
        format!("({})", where_roots.join(" OR "))
    };
    args[0] = Value::Text(ranked_query(
        conn,
        db,
        &q,
        limit,
        CANDIDATES,
        &filter,
        &args[1..],
    )?);
    // FTS5 ranks every match and SQLite keeps the best `limit` (bm25() in ORDER BY with a
    // LIMIT keeps a small heap; ordering by FTS5's `rank` column sorted every match, 2-3x
    // slower for a word in every story); only the hits kept are joined to their story
    // and file, and checked to be under the roots. When some are not, and there may be
    // more matches, every match is joined to its file first, to filter by root.
    let rank = format!("bm25(fts, {TITLE_WEIGHT}, 1.0)");
    let n = args.len() + 1;
    // the best of the stories with ids in (?{n+1}, ?{n+2}]
    let top_sql = format!(
        "SELECT s.id, s.sid, f.path, s.idx, s.title, s.source, s.date, top.r, ({filter}),
                s.flags
         FROM (SELECT rowid, {rank} AS r FROM fts
               WHERE fts MATCH ?1 AND rowid > ?{} AND rowid <= ?{}
               ORDER BY r, rowid LIMIT ?{n}) AS top
         JOIN story s ON s.id = top.rowid JOIN file f ON f.id = s.file
         ORDER BY top.r, top.rowid",
        n + 1,
        n + 2
    );
    let all_sql = format!(
        "SELECT s.id, s.sid, f.path, s.idx, s.title, s.source, s.date, {rank} AS r, 1,
                s.flags
         FROM fts JOIN story s ON s.id = fts.rowid JOIN file f ON f.id = s.file
         WHERE fts MATCH ?1 AND {filter}
         ORDER BY r, fts.rowid LIMIT ?{n}"
    );
    args.push(Value::Integer(limit as i64));
    let last: i64 = conn
        .query_row("SELECT coalesce(max(id), 0) FROM story", [], |r| r.get(0))
        .at(db)?;
    let between = |lo: i64, hi: i64| {
        let mut a = args.clone();
        a.extend([Value::Integer(lo), Value::Integer(hi)]);
        a
    };
    let helper = if last >= SPLIT_FROM { helper() } else { None };
    let top = match helper {
        Some(h) => {
            let mid = last / 2;
            let (low, high) = (between(i64::MIN, mid), between(mid, i64::MAX));
            // this thread takes the later stories (measured faster that way round)
            let (a, b) = std::thread::scope(|s| {
                let other = s.spawn(|| {
                    let c = h.lock().unwrap_or_else(|e| e.into_inner());
                    query(&c, db, &top_sql, &low)
                });
                let a = query(conn, db, &top_sql, &high);
                let b = other
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e));
                (a, b)
            });
            let mut top = a?;
            top.extend(b?);
            top.sort_by(|x, y| x.bm25.total_cmp(&y.bm25).then(x.rowid.cmp(&y.rowid)));
            top.truncate(limit);
            top
        }
        _ => query(conn, db, &top_sql, &between(i64::MIN, i64::MAX))?,
    };
    let all_inside = top.iter().all(|r| r.inside);
    let rows = if all_inside || top.len() < limit {
        top.into_iter().filter(|r| r.inside).collect()
    } else {
        query(conn, db, &all_sql, &args)?
    };
    // snippets only for the hits shown: one cheap lookup each
    let mut snip = conn
        .prepare_cached(&format!(
            "SELECT snippet(fts, 1, '{OPEN}', '{CLOSE}', '…', {SNIPPET_WORDS})
             FROM fts WHERE fts MATCH ?1 AND rowid = ?2"
        ))
        .at(db)?;
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows {
        let raw: String = snip
            .query_row(rusqlite::params![q, row.rowid], |r| r.get(0))
            .at(db)?;
        let (snippet, marks) = unmark(&raw);
        let abs = row.abs;
        let path = roots
            .iter()
            .find_map(|r| {
                let (exact, _, _) = sql_root_range(r);
                let ar = PathBuf::from(exact);
                abs.starts_with(&ar).then(|| relative_to(&abs, &ar, r))
            })
            .unwrap_or(abs);
        hits.push(Hit {
            entry: Entry::new(
                row.id,
                &path,
                row.index_in_file.max(0) as usize,
                &row.title,
                row.source.as_deref(),
                row.date.as_deref(),
            )
            .with_flags(row.flags),
            score: -row.bm25,
            snippet,
            marks,
        });
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_queries_never_reach_fts_as_syntax() {
        assert_eq!(
            fts_query("ferry fares").as_deref(),
            Some("\"ferry\" \"fares\"")
        );
        assert_eq!(
            fts_query("\"swing bridge\" reop*").as_deref(),
            Some("\"swing bridge\" \"reop\"*")
        );
        assert_eq!(
            fts_query("AND OR NOT (x) -y ^z").as_deref(),
            Some("\"AND\" \"OR\" \"NOT\" \"(x)\" \"-y\" \"^z\"")
        );
        assert_eq!(fts_query(" - ; "), None);
        assert_eq!(fts_query("say \"hi").as_deref(), Some("\"say\" \"hi\""));
    }

    #[test]
    fn hits_outside_the_roots_never_crowd_out_those_inside() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        let body = "The council met on Monday and heard from residents before it adjourned.";
        for i in 0..3 {
            std::fs::create_dir_all(&a).unwrap();
            std::fs::create_dir_all(&b).unwrap();
            // in b the word is in the title (ranked first), in a only in the text
            std::fs::write(
                b.join(format!("{i}.txt")),
                format!("Lighthouse story number {i}\n\n{body}\n"),
            )
            .unwrap();
            std::fs::write(
                a.join(format!("{i}.txt")),
                format!(
                    "Harbour story number {i}\n\n{body} The lighthouse at {} was shut.\n",
                    ["Gull Point", "the north pier", "Seal Rock"][i]
                ),
            )
            .unwrap();
        }
        let mut ix = super::super::Index::open(&tmp.path().join("i.sqlite")).unwrap();
        let opts = crate::clean::Options::default();
        ix.refresh(&[a.clone(), b.clone()], &opts).unwrap();
        let all = ix
            .search("lighthouse", &[a.clone(), b.clone()], 10)
            .unwrap();
        assert_eq!(all.len(), 6);
        assert!(all[..3].iter().all(|h| h.entry.path().starts_with(&b)));
        for limit in [1, 2, 3, 5] {
            let hits = ix
                .search("lighthouse", std::slice::from_ref(&a), limit)
                .unwrap();
            assert_eq!(hits.len(), limit.min(3), "limit {limit}");
            assert!(hits.iter().all(|h| h.entry.path().starts_with(&a)));
            assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
            assert!(hits.iter().all(|h| h.snippet.contains("lighthouse")));
        }
    }

    #[test]
    fn a_search_in_two_halves_finds_what_one_finds() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a");
        std::fs::create_dir_all(&dir).unwrap();
        let places = ["Gull Point", "the north pier", "Seal Rock", "the old quay"];
        for i in 0..40 {
            // the word in the title of some, once or twice in the text of others
            let title = if i % 7 == 0 {
                "Lighthouse keeper"
            } else {
                "Harbour news"
            };
            let extra = " The lighthouse beam was seen.".repeat(i % 3);
            std::fs::write(
                dir.join(format!("{i:02}.txt")),
                format!(
                    "{title} {i}\n\nThe council met at {} on Monday to hear residents on the \
                     ferry timetable and the cost of repairs to the sea wall, and agreed to \
                     meet again within a month.{extra}\n",
                    places[i % 4]
                ),
            )
            .unwrap();
        }
        let path = tmp.path().join("i.sqlite");
        let mut ix = super::super::Index::open(&path).unwrap();
        ix.refresh(
            std::slice::from_ref(&dir),
            &crate::clean::Options::default(),
        )
        .unwrap();
        let conn = Connection::open(&path).unwrap();
        let helper = Mutex::new(Connection::open(&path).unwrap());
        for (word, limit) in [
            ("lighthouse", 5),
            ("lighthouse", 40),
            ("harbour", 7),
            ("keeper", 3),
        ] {
            let one = run(&conn, || None, &path, word, &[], limit).unwrap();
            let two = run(&conn, || Some(&helper), &path, word, &[], limit).unwrap();
            assert!(one.len() >= limit.min(5), "{word}: {}", one.len());
            assert_eq!(one, two, "{word}, {limit}");
        }
    }

    #[test]
    fn a_word_in_most_stories_is_ranked_among_the_title_matches() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let body = "The council met on Monday and heard from residents before it adjourned.";
        for i in 0..3 {
            // in b the word is in the title, in a only in the text
            std::fs::write(
                b.join(format!("{i}.txt")),
                format!(
                    "Harbour story number {i}\n\n{body} The mayor of {} spoke.\n",
                    ["Gull Point", "the north pier", "Seal Rock"][i]
                ),
            )
            .unwrap();
            std::fs::write(
                a.join(format!("{i}.txt")),
                format!(
                    "Council story number {i}\n\n{body} The harbour at {} was quiet.\n",
                    ["Gull Point", "the north pier", "Seal Rock"][i]
                ),
            )
            .unwrap();
        }
        let db = tmp.path().join("i.sqlite");
        let mut ix = super::super::Index::open(&db).unwrap();
        let both = [a.clone(), b.clone()];
        ix.refresh(&both, &crate::clean::Options::default())
            .unwrap();
        let conn = Connection::open(&db).unwrap();
        let q = fts_query("harbour").unwrap();
        let ranked = |limit: usize, candidates: i64, root: Option<&PathBuf>| {
            let (filter, args) = match root {
                None => ("1".to_string(), Vec::new()),
                Some(r) => {
                    let (exact, lo, hi) = sql_root_range(r);
                    (
                        "(f.path = ?2 OR (f.path >= ?3 AND f.path < ?4))".to_string(),
                        [exact, lo, hi].map(Value::Text).to_vec(),
                    )
                }
            };
            ranked_query(&conn, &db, &q, limit, candidates, &filter, &args).unwrap()
        };
        let in_title = format!("title : ({q})");
        // six stories match: more than 5 candidates, and enough of them in the title
        assert_eq!(ranked(3, 5, None), in_title);
        assert_eq!(ranked(2, 5, Some(&b)), in_title);
        // not when few enough match, nor when too few under the roots match in the title
        assert_eq!(ranked(3, 6, None), q);
        assert_eq!(ranked(4, 5, None), q);
        assert_eq!(ranked(1, 5, Some(&a)), q);
        // and the search itself: the title matches first, every match in the snippets
        let hits = ix.search("harbour", &both, 3).unwrap();
        assert!(hits.iter().all(|h| h.entry.path().starts_with(&b)));
    }

    #[test]
    fn snippet_markers_become_ranges() {
        let (s, m) = unmark("a \u{E000}ferry\u{E001} b\nc");
        assert_eq!(s, "a ferry b c");
        assert_eq!(&s[m[0].clone()], "ferry");
    }
}
