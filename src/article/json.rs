//! JSON (`.json`: one article object, or an array of them) and JSON Lines (`.jsonl`,
//! `.ndjson`: one article object per line), with the field names scrapers and news
//! datasets write (see [`super::meta`]).
//!
//! In JSON Lines every bad line is reported with its line number and the other lines
//! still load. Each article from a file that holds several gets its position in
//! [`Article::index_in_file`] (the record's position, counting records that failed).

use super::{err, meta, text_input, Article, Block, LoadError, Loaded, ProblemKind};
use serde_json::{Map, Value};
use std::path::Path;

/// Load a `.json` file: an object, or an array of objects.
pub fn parse_json(path: &Path, bytes: &[u8], out: &mut Loaded) {
    let Some(text) = text_of(path, bytes, out) else {
        return;
    };
    if let Some(why) = too_many_values(&text) {
        out.problems.push(err(ProblemKind::TooBig, path, None, why));
        return;
    }
    let value: Value = match from_str_repaired(&text) {
        Ok((v, repaired)) => {
            if repaired {
                super::note(out, surrogates_replaced(path));
            }
            v
        }
        Err(e) => {
            out.problems.push(err(
                ProblemKind::Malformed,
                path,
                Some(format!("line {}, column {}", e.line(), e.column())),
                format!("invalid JSON: {}", json_reason(&e)),
            ));
            return;
        }
    };
    let items = match value {
        Value::Array(items) => items,
        Value::Object(map) => match wrapped_list(&map) {
            Some(items) => items.clone(),
            None => {
                match article(path, &map, 0) {
                    Ok(a) => out.articles.push(a),
                    Err(reason) => {
                        super::note(out, err(ProblemKind::NoArticles, path, None, reason))
                    }
                }
                return;
            }
        },
        other => {
            out.problems.push(err(
                ProblemKind::NoArticles,
                path,
                None,
                format!(
                    "expected an article object or an array of them, found {}",
                    kind(&other)
                ),
            ));
            return;
        }
    };
    if items.is_empty() {
        out.problems.push(err(
            ProblemKind::NoArticles,
            path,
            None,
            "an empty array: no articles".into(),
        ));
    }
    for (i, item) in items.iter().enumerate() {
        let at = Some(format!("item {}", i + 1));
        let result = match item {
            Value::Object(map) => article(path, map, i)
                .map_err(|reason| err(ProblemKind::NoArticles, path, at, reason)),
            other => Err(err(
                ProblemKind::NoArticles,
                path,
                at,
                format!("expected an article object, found {}", kind(other)),
            )),
        };
        match result {
            Ok(a) => out.articles.push(a),
            // an array that does not begin with an article is not one of articles
            Err(e) if i == 0 => {
                out.problems.push(not_articles(path, e));
                return;
            }
            Err(e) => super::note(out, e),
        }
    }
}

/// Load a JSON Lines file: one object per line; blank lines are skipped. A file whose
/// first record is not an article is not a file of articles (a label file, a log): it is
/// reported once and read no further. After a good first record every bad line is
/// reported with its number and the rest still load.
pub fn parse_lines(path: &Path, bytes: &[u8], out: &mut Loaded) {
    let before = out.problems.len();
    let Some(text) = text_of(path, bytes, out) else {
        return;
    };
    let mut record = 0;
    for (n, line) in text.lines().enumerate() {
        let index = record;
        match parse_line(path, n, index, line) {
            None => continue,
            Some(Ok(a)) => out.articles.push(a),
            Some(Err(e)) if index == 0 && is_json(line) => {
                // the one thing to say about this file (a decoding warning included)
                out.problems.truncate(before);
                out.unreported = 0;
                out.problems.push(not_articles(path, e));
                return;
            }
            Some(Err(e)) => super::note(out, e),
        }
        record += 1;
    }
    if record == 0 {
        out.problems.push(no_lines(path));
    }
}

/// The problem of a JSON Lines file without a record.
pub(super) fn no_lines(path: &Path) -> super::LoadError {
    err(
        ProblemKind::NoArticles,
        path,
        None,
        "no JSON lines: no articles".into(),
    )
}

/// Line `n` (from 0) of a JSON Lines file, the record at `index`: `None` for a blank
/// line (not a record), else the article or the problem.
pub(super) fn parse_line(
    path: &Path,
    n: usize,
    index: usize,
    line: &str,
) -> Option<Result<Article, super::LoadError>> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let at = Some(format!("line {}", n + 1));
    if let Some(why) = too_many_values(line) {
        return Some(Err(err(ProblemKind::TooBig, path, at, why)));
    }
    Some(match from_str_repaired(line).map(|(v, _)| v) {
        Ok(Value::Object(map)) => article(path, &map, index)
            .map_err(|reason| err(ProblemKind::NoArticles, path, at, reason)),
        Ok(other) => Err(err(
            ProblemKind::NoArticles,
            path,
            at,
            format!("expected an article object, found {}", kind(&other)),
        )),
        Err(e) => Err(err(
            ProblemKind::Malformed,
            path,
            Some(format!("line {}, column {}", n + 1, e.column())),
            format!("invalid JSON: {}", json_reason(&e)),
        )),
    })
}

/// The bytes a JSON Lines file must begin with for [`judge_head`] to judge it: as many as
/// the binary-file check looks at.
pub const JUDGE_HEAD: usize = 8192;

/// What the head of a JSON Lines file tells.
#[derive(Debug, PartialEq, Eq)]
pub enum Head {
    /// Its first record is not an article: the one problem [`parse_lines`] would report
    /// for the whole file, which need not be read.
    NotArticles(LoadError),
    /// Load the whole file (the first record is an article, or the file is binary or
    /// empty, which the whole file's loading reports).
    Load,
    /// The head ends before the first record does.
    ReadMore,
}

/// Judge a JSON Lines file by its head: at least [`JUDGE_HEAD`] bytes, or the whole file
/// when `whole`.
pub fn judge_head(path: &Path, head: &[u8], whole: bool) -> Head {
    if !whole && head.len() < JUDGE_HEAD {
        return Head::ReadMore;
    }
    if super::looks_binary(head) {
        return Head::Load;
    }
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut lines = body.split(|&b| b == b'\n').enumerate().peekable();
    while let Some((n, raw)) = lines.next() {
        if lines.peek().is_none() && !whole {
            return Head::ReadMore; // cut by the head
        }
        // a line decodes alone as it does within the file: '\n' never ends a UTF-8 sequence
        let decoded = String::from_utf8_lossy(raw);
        let line = decoded.trim();
        if line.is_empty() {
            continue;
        }
        return match line_record(path, line, n + 1, 0) {
            Err(e) if is_json(line) => Head::NotArticles(not_articles(path, e)),
            _ => Head::Load,
        };
    }
    Head::Load
}

/// A file whose first record failed as `first`.
fn not_articles(path: &Path, first: LoadError) -> LoadError {
    let at = first.at.map(|a| format!("{a}: ")).unwrap_or_default();
    err(
        ProblemKind::NoArticles,
        path,
        None,
        format!("not a file of articles ({at}{})", first.reason),
    )
}

/// Parse JSON; text that fails only for escapes of lone UTF-16 surrogates (`"\ud800"`,
/// which serde_json refuses) is parsed again with each replaced by U+FFFD, so one bad
/// character does not lose a whole array. `true` with the value when it was repaired.
/// The most values (strings, numbers, arrays, objects, ...) of one JSON document or JSON
/// Lines record read: each takes 50 to 100 bytes once parsed, so a 30 MB document of
/// one-letter strings took 550 MB. The news corpora's articles hold under 1,000 each.
pub const MAX_VALUES: usize = 2_000_000;

/// Why a JSON text holds more values than [`MAX_VALUES`], or `None`: counted in one pass
/// over its bytes (separators and openings outside strings), before it is parsed.
fn too_many_values(text: &str) -> Option<String> {
    let b = text.as_bytes();
    if b.len() < MAX_VALUES {
        return None; // every value takes at least a byte
    }
    let (mut n, mut i) = (1usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'"' => {
                // to the closing quote, escapes skipped
                i += 1;
                while let Some(q) = b.get(i..).and_then(|r| memchr::memchr2(b'"', b'\\', r)) {
                    i += q;
                    if b[i] == b'\\' {
                        i += 2;
                    } else {
                        break;
                    }
                }
            }
            b',' | b'[' | b'{' => n += 1,
            _ => {}
        }
        i += 1;
    }
    (n > MAX_VALUES).then(|| {
        format!(
            "{n} JSON values, more than the {MAX_VALUES} read at once; skipped (stored as JSON Lines, each record is read alone)"
        )
    })
}

fn from_str_repaired(text: &str) -> serde_json::Result<(Value, bool)> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => Ok((v, false)),
        Err(e) => match replace_lone_surrogates(text) {
            Some(fixed) => serde_json::from_str::<Value>(&fixed)
                .map(|v| (v, true))
                .map_err(|_| e),
            None => Err(e),
        },
    }
}

/// The warning for a file whose lone surrogates were replaced.
fn surrogates_replaced(path: &Path) -> super::LoadError {
    err(
        ProblemKind::Repaired,
        path,
        None,
        "escapes of lone surrogates (\\ud800...) shown as replacement characters".into(),
    )
}

/// `text` with every `\uXXXX` escape of a lone surrogate replaced by `\ufffd`, or None
/// when it holds none. Pairs stay; other escapes are stepped over whole.
fn replace_lone_surrogates(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let hex = |at: usize| -> Option<u32> {
        let h = b.get(at..at + 4)?;
        u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
    };
    let escape = |at: usize| -> Option<u32> {
        (b.get(at) == Some(&b'\\') && b.get(at + 1) == Some(&b'u')).then(|| hex(at + 2))?
    };
    let mut out: Option<String> = None;
    let (mut i, mut copied) = (0, 0);
    while let Some(p) = memchr::memchr(b'\\', &b[i..]) {
        let at = i + p;
        match escape(at) {
            Some(0xD800..=0xDBFF) if matches!(escape(at + 6), Some(0xDC00..=0xDFFF)) => i = at + 12,
            Some(0xD800..=0xDFFF) => {
                let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
                o.push_str(&text[copied..at]);
                o.push_str("\\ufffd");
                i = at + 6;
                copied = i;
            }
            _ => i = at + 2,
        }
        i = i.min(b.len());
    }
    let mut o = out?;
    o.push_str(&text[copied..]);
    Some(o)
}

/// One line of JSON Lines (line number `n`, counting from 1) as the `index`-th article.
fn line_record(path: &Path, line: &str, n: usize, index: usize) -> Result<Article, LoadError> {
    parse_line(path, n - 1, index, line).unwrap_or_else(|| {
        Err(err(
            ProblemKind::NoArticles,
            path,
            Some(format!("line {n}")),
            "a blank line".into(),
        ))
    })
}

/// Is the line JSON at all? A first line that is JSON but no article marks a file of
/// something else; a first line that is broken JSON is only a bad line.
fn is_json(line: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok()
}

/// The file as text, or None after reporting why it is not.
fn text_of(path: &Path, bytes: &[u8], out: &mut Loaded) -> Option<String> {
    match text_input(path, bytes, "JSON") {
        Ok((text, warning)) => {
            out.problems.extend(warning);
            Some(text)
        }
        Err(e) => {
            out.problems.push(e);
            None
        }
    }
}

/// serde_json's message without its own " at line L column C" (we give `at`).
fn json_reason(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `{"articles": [...]}` and the like: an object with no article fields of its own that
/// holds one array of objects.
fn wrapped_list(map: &Map<String, Value>) -> Option<&Vec<Value>> {
    if get(map, meta::BODY).is_some() {
        return None;
    }
    let mut lists = map.values().filter_map(|v| match v {
        Value::Array(a) if a.first().is_some_and(Value::is_object) => Some(a),
        _ => None,
    });
    let first = lists.next()?;
    lists.next().is_none().then_some(first)
}

/// The first of `names` present and not null (exact key first, then any case).
fn get<'a>(map: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names
        .iter()
        .find_map(|n| map.get(*n).filter(|v| !v.is_null()))
        .or_else(|| {
            names.iter().find_map(|n| {
                map.iter()
                    .find(|(k, v)| k.eq_ignore_ascii_case(n) && !v.is_null())
                    .map(|(_, v)| v)
            })
        })
}

/// A value as one text: a string, a number, or an object's `name` (JSON-LD style).
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => meta::clean(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => ["name", "@value", "url", "@id"]
            .iter()
            .find_map(|k| o.get(*k).and_then(text)),
        Value::Array(a) => a.iter().find_map(text),
        _ => None,
    }
}

/// One article from an object.
fn article(path: &Path, map: &Map<String, Value>, index: usize) -> Result<Article, String> {
    let title = get(map, meta::TITLE).and_then(text);
    // a record without a body field is not a stored article (a label file, an index)
    let Some(body) = get(map, meta::BODY) else {
        return Err(format!(
            "no article text: expected one of the fields {}",
            meta::BODY.join(", ")
        ));
    };
    let blocks = body_blocks(body).ok_or_else(|| {
        format!(
            "the text field is {}, expected a string or an array of paragraphs",
            kind(body)
        )
    })?;
    let authors = match get(map, meta::AUTHORS) {
        Some(Value::Array(a)) => a.iter().filter_map(text).collect(),
        Some(v) => text(v)
            .map(|s| meta::authors_from_str(&s))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(Article {
        path: path.to_path_buf(),
        index_in_file: index,
        title: title.unwrap_or_else(|| super::txt::file_title(path)),
        source: get(map, meta::SOURCE).and_then(text),
        date: get(map, meta::DATE)
            .and_then(text)
            .and_then(|d| meta::date(&d)),
        url: get(map, meta::URL).and_then(text),
        authors,
        description: get(map, meta::DESCRIPTION).and_then(text),
        blocks,
        extracted: false,
        ..Article::default()
    })
}

/// The body: a string (split at blank lines, or lines), or an array of paragraphs
/// (strings, or objects with a `text`). Markup-bearing text goes through the HTML reader.
fn body_blocks(v: &Value) -> Option<Vec<Block>> {
    match v {
        Value::String(s) => Some(string_blocks(s)),
        Value::Array(items) => {
            let mut out = Vec::new();
            items
                .iter()
                .filter_map(|i| match i {
                    Value::String(s) => Some(string_blocks(s)),
                    Value::Object(o) => o.get("text").and_then(Value::as_str).map(string_blocks),
                    _ => None,
                })
                .flatten()
                .for_each(|b| super::limits::push_block(&mut out, b));
            Some(out)
        }
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

fn string_blocks(s: &str) -> Vec<Block> {
    if super::html::looks_like_markup(s) {
        super::html::fragment_blocks(s)
    } else {
        meta::body_blocks(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Markup;

    fn json(s: &str) -> Loaded {
        let mut out = Loaded::default();
        parse_json(Path::new("a.json"), s.as_bytes(), &mut out);
        out
    }

    fn lines(s: &str) -> Loaded {
        let mut out = Loaded::default();
        parse_lines(Path::new("a.jsonl"), s.as_bytes(), &mut out);
        out
    }

    #[test]
    fn news_please_fields() {
        let l = json(
            r#"{"title": "Fares rise", "maintext": "One.\nTwo.", "date_publish": "2020-02-28 09:00:00",
                "source_domain": "harbourtimes.example", "authors": ["Ann Lee"], "url": "https://h.example/a",
                "description": "Fares go up."}"#,
        );
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let a = &l.articles[0];
        assert_eq!(a.title, "Fares rise");
        assert_eq!(a.date.as_deref(), Some("2020-02-28"));
        assert_eq!(a.source.as_deref(), Some("harbourtimes.example"));
        assert_eq!(a.authors, vec!["Ann Lee"]);
        assert_eq!(a.url.as_deref(), Some("https://h.example/a"));
        assert_eq!(a.description.as_deref(), Some("Fares go up."));
        assert_eq!(a.blocks, vec![Block::para("One."), Block::para("Two.")]);
    }

    #[test]
    fn json_ld_shapes_and_arrays_of_paragraphs() {
        let l = json(
            r#"[{"headline": "A", "articleBody": ["P one.", "P two.\n\nP three."],
                 "datePublished": "2021-05-04T10:00:00Z", "publisher": {"@type": "Organization", "name": "Valley Courier"},
                 "author": [{"@type": "Person", "name": "Ann Lee"}, {"name": "Bo Chan"}]},
                {"title": "B", "text": "Para one\ncontinues.\n\nPara two.", "author": "Ann Lee and Bo Chan"}]"#,
        );
        assert_eq!(l.articles.len(), 2);
        let a = &l.articles[0];
        assert_eq!(a.source.as_deref(), Some("Valley Courier"));
        assert_eq!(a.authors, vec!["Ann Lee", "Bo Chan"]);
        assert_eq!(a.blocks.len(), 3);
        assert_eq!(a.date.as_deref(), Some("2021-05-04"));
        let b = &l.articles[1];
        assert_eq!(b.index_in_file, 1);
        assert_eq!(b.blocks[0].text, "Para one continues.");
        assert_eq!(b.authors, vec!["Ann Lee", "Bo Chan"]);
    }

    #[test]
    fn html_bodies_are_split_into_blocks() {
        let l = json(
            r#"{"title": "T", "content": "<p>One.</p><h2>Sub</h2><ul><li>a</li><li>b</li></ul>"}"#,
        );
        let b = &l.articles[0].blocks;
        assert_eq!(b[0], Block::para("One."));
        assert_eq!(b[1].markup, Markup::Heading);
        assert_eq!(b[2].markup, Markup::ListItem);
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let l = json("{\n  \"title\": \"x\",\n  \"text\": oops\n}");
        assert!(l.articles.is_empty());
        let p = &l.problems[0];
        assert_eq!(p.at.as_deref(), Some("line 3, column 11"), "{p}");
        assert!(p.reason.starts_with("invalid JSON"));
    }

    #[test]
    fn bad_items_are_reported_and_the_rest_load() {
        let l = json(r#"[{"title": "A", "text": "x."}, 5, {"foo": 1}, {"title": "D", "text": 3}]"#);
        assert_eq!(l.articles.len(), 1);
        let at: Vec<_> = l.problems.iter().map(|p| p.at.clone().unwrap()).collect();
        assert_eq!(at, vec!["item 2", "item 3", "item 4"]);
    }

    #[test]
    fn json_lines_each_error_has_its_line() {
        let l = lines(
            "{\"title\": \"A\", \"text\": \"a.\"}\n\n{\"title\": \"B\", \"text\": \n[1]\n{\"title\": \"D\", \"text\": \"d.\"}\n",
        );
        assert_eq!(l.articles.len(), 2);
        assert_eq!(l.articles[1].title, "D");
        assert_eq!(l.articles[1].index_in_file, 3);
        let at: Vec<_> = l.problems.iter().map(|p| p.at.clone().unwrap()).collect();
        assert_eq!(at.len(), 2);
        assert!(at[0].starts_with("line 3"), "{at:?}");
        assert_eq!(at[1], "line 4");
    }

    #[test]
    fn a_file_that_does_not_begin_with_an_article_is_reported_once() {
        let good = "{\"title\": \"A\", \"text\": \"a.\"}";
        let l = lines(&format!("\n  \n{{\"file\": 1}}\n{good}\n[2]\n"));
        assert!(l.articles.is_empty());
        assert_eq!(l.problems.len(), 1, "{:?}", l.problems);
        assert_eq!(l.problems[0].at, None);
        assert!(
            l.problems[0]
                .reason
                .starts_with("not a file of articles (line 3: no article text"),
            "{}",
            l.problems[0]
        );
        let l = lines(&format!("[1, 2]\n{good}\n"));
        assert_eq!(
            l.problems[0].reason,
            "not a file of articles (line 1: expected an article object, found an array)"
        );
        // a broken first line is only a bad line: the stories after it still load
        let l = lines(&format!("{{\n{good}\n"));
        assert_eq!(l.articles.len(), 1, "{:?}", l.problems);
        assert!(
            l.problems[0].reason.starts_with("invalid JSON:"),
            "{}",
            l.problems[0]
        );
        // a decoding warning is not said on top
        let mut bytes = b"{\"a\": 1}\n".to_vec();
        bytes.extend_from_slice(b"\xff\xfe\n");
        let mut l = Loaded::default();
        parse_lines(Path::new("a.jsonl"), &bytes, &mut l);
        assert_eq!(l.problems.len(), 1, "{:?}", l.problems);
        // a JSON array likewise, by its first item
        let l = json(&format!("[{{\"file\": 1}}, {good}, 3]"));
        assert!(l.articles.is_empty());
        assert_eq!(l.problems.len(), 1);
        assert!(l.problems[0]
            .reason
            .starts_with("not a file of articles (item 1: no article text"));
    }

    #[test]
    fn the_head_judges_as_the_whole_file_does() {
        let good = "{\"title\": \"A\", \"text\": \"a.\"}";
        let pad = format!("{{\"title\": \"{}\", \"text\": \"a.\"}}", "x".repeat(9000));
        let cases: Vec<Vec<u8>> = vec![
            format!("{{\"file\": 1}}\n{good}\n").into(),
            format!("\u{feff}\r\n \r\n[1]\r\n{good}").into(),
            format!("{{oops\n{good}\n").into(),
            format!("{good}\n{{\"file\": 1}}\n").into(),
            format!("{pad}\n[1]\n").into(),
            format!("{{\"big\": \"{}\"}}\n", "y".repeat(20000)).into(),
            b"\xff{\"file\": 1}\n\xfe\n".to_vec(),
            b"\0\0{\"file\": 1}\n".to_vec(),
            b"   \n\n".to_vec(),
            b"{\"file\": 1}".to_vec(),
        ];
        let path = Path::new("h.jsonl");
        let mut rejected = 0;
        for bytes in &cases {
            let mut whole = Loaded::default();
            parse_lines(path, bytes, &mut whole);
            let mut cut = JUDGE_HEAD;
            let judged = loop {
                let end = cut.min(bytes.len());
                match judge_head(path, &bytes[..end], end == bytes.len()) {
                    Head::ReadMore if end < bytes.len() => cut *= 2,
                    h => break h,
                }
            };
            match judged {
                Head::NotArticles(p) => {
                    rejected += 1;
                    assert!(whole.articles.is_empty());
                    assert_eq!(whole.problems, vec![p]);
                }
                h => {
                    assert_eq!(h, Head::Load);
                    assert!(
                        !whole
                            .problems
                            .iter()
                            .any(|p| p.reason.starts_with("not a file")),
                        "{:?} judged {h:?}, loaded {:?}",
                        String::from_utf8_lossy(bytes),
                        whole.problems
                    );
                }
            }
        }
        assert_eq!(rejected, 4);
        assert_eq!(
            judge_head(path, b"{\"file\": 1}", false),
            Head::ReadMore,
            "too short to judge binary"
        );
    }

    #[test]
    fn empty_binary_and_wrapped() {
        assert!(json("").problems[0].reason.contains("empty"));
        assert!(lines("\0\0\0\u{1}").problems[0].reason.contains("binary"));
        assert!(json("[]").problems[0].reason.contains("no articles"));
        let l =
            json(r#"{"articles": [{"title": "A", "text": "a."}, {"title": "B", "text": "b."}]}"#);
        assert_eq!(l.articles.len(), 2);
        assert!(json("\"just a string\"").problems[0]
            .reason
            .contains("a string"));
    }
}
