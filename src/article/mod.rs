//! The article model and one loader per stored format.
//!
//! A loader turns the bytes of one file into zero or more [`Article`]s, or a
//! [`LoadError`] naming the file and the reason. Loaders never touch the terminal and
//! never change the file.

pub mod container;
mod extract;
pub mod feed;
pub mod html;
pub mod json;
pub mod limits;
pub mod mail;
pub mod md;
pub mod meta;
pub mod mhtml;
mod mime;
pub mod newsboat;
pub mod payload;
mod pool;
mod scan;
pub mod shape;
pub mod txt;
pub mod wacz;
pub mod warc;

use std::fmt;
use std::path::{Path, PathBuf};

/// How a block was marked up in the stored file, when the format says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Markup {
    /// An ordinary paragraph (or a block of unknown markup, as in plain text).
    #[default]
    Paragraph,
    /// A heading inside the story (`<h2>`, `## `).
    Heading,
    /// An item of a list.
    ListItem,
    /// A quotation block.
    Quote,
}

/// One block of a stored article, in file order, before cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The block's text, sanitised: no control characters; list lines joined by `\n`.
    pub text: String,
    /// What the stored format said the block was.
    pub markup: Markup,
}

impl Block {
    /// A paragraph block.
    pub fn para(text: impl Into<String>) -> Self {
        Block {
            text: text.into(),
            markup: Markup::Paragraph,
        }
    }
}

/// A stored article as loaded: metadata and its blocks, nothing hidden yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    /// The file the article came from.
    pub path: PathBuf,
    /// Position within a file that holds many articles (JSON array, JSON Lines), from 0.
    pub index_in_file: usize,
    /// The title (first line of a text file, `title` of JSON, ...).
    pub title: String,
    /// The publication, when stored or stated.
    pub source: Option<String>,
    /// Publication date as `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    /// The story's address, when known.
    pub url: Option<String>,
    /// Authors, when known.
    pub authors: Vec<String>,
    /// The stored standfirst / description, when the format stores it apart from the body.
    pub description: Option<String>,
    /// The blocks after the title, in order.
    pub blocks: Vec<Block>,
    /// The blocks are the story an extraction library found in a saved page, so most of
    /// the page's clutter is already gone (the cleaner trusts them more).
    pub extracted: bool,
    /// When a web archive captured the page: its record's `WARC-Date` (an ISO 8601 time,
    /// e.g. `2020-03-01T10:00:00Z`). The page's own date stays in `date`.
    pub captured: Option<String>,
    /// A WARC story's captures of its URL, oldest first (the last is the one shown):
    /// each capture's `WARC-Date` and where its record is. Only dates and places.
    pub captures: Vec<Capture>,
    /// What the feed reader the story came from says of it: `Some(true)` unread,
    /// `Some(false)` read (newsboat's flag); `None` where no reader kept one.
    pub feed_unread: Option<bool>,
    /// The story is only the summary a feed carried: the feed holds no full text.
    pub summary_only: bool,
}

impl Article {
    /// The date a list shows and sorts by: the story's own, else the day it was captured.
    pub fn list_date(&self) -> Option<String> {
        self.date
            .clone()
            .or_else(|| self.captured.as_deref().and_then(meta::date))
    }
}

/// One capture of a web archive story's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// Its `WARC-Date`.
    pub date: String,
    /// Where its record is ("byte 1234", with the WARC's name inside a WACZ).
    pub place: String,
}

/// Why a file could not be loaded (or loaded only in part).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoadError {
    /// The file.
    pub path: PathBuf,
    /// Where in the file, when known (e.g. "line 3").
    pub at: Option<String>,
    /// What kind of problem, for code; the reason says it for a person.
    pub kind: ProblemKind,
    /// What is wrong, for a person.
    pub reason: String,
}

/// What kind of problem a [`LoadError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The file (or folder) could not be read: the system refused, or it is not a
    /// regular file.
    Unreadable,
    /// Over a size limit ([`limits`]): not read, or read no further.
    TooBig,
    /// An empty file.
    Empty,
    /// A binary file, not text of its format.
    Binary,
    /// Broken in its format: JSON, gzip, a zip, a WARC record, front matter, a feed or a
    /// message cut short.
    Malformed,
    /// Well formed, but not articles: not a feed, no items, no records, a JSON value
    /// that is no article.
    NoArticles,
    /// A page or message with no story text in it.
    NoStory,
    /// Read, some text repaired: invalid UTF-8 or lone surrogates replaced.
    Repaired,
    /// A page too deep or too wide for the extractor, read flat.
    ReadFlat,
    /// Records or items that are not stories, skipped (counted in one notice).
    Skipped,
    /// More problems of the file, counted and not shown.
    More,
    /// A bug: reading or cleaning the file panicked.
    Internal,
    /// Read back from the index, which keeps the reason only.
    Recorded,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(at) = &self.at {
            write!(f, ":{at}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for LoadError {}

/// What loading one file gave: its articles and any warnings or errors about it.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The articles found.
    pub articles: Vec<Article>,
    /// Problems: a file that failed to load, or a part of it that did (with `at`).
    pub problems: Vec<LoadError>,
    /// Problems met after the first few, counted but not kept (see [`note`]).
    pub unreported: usize,
}

/// Add a problem to what loading a file gave, keeping only the first few (one more
/// than [`MAX_PROBLEMS_PER_FILE`], so [`cap_problems`] knows there are more) and
/// counting the rest: a file of millions of bad lines keeps a few problems, not millions.
pub fn note(out: &mut Loaded, e: LoadError) {
    if out.problems.len() <= MAX_PROBLEMS_PER_FILE {
        out.problems.push(e);
    } else {
        out.unreported += 1;
    }
}

/// The formats broadsheet reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text in the seed's layout.
    Text,
    /// Markdown with optional TOML (`+++`) or YAML-style (`---`) front matter.
    Markdown,
    /// One JSON article object, or an array of them.
    Json,
    /// JSON Lines: one article object per line.
    JsonLines,
    /// A saved web page.
    Html,
    /// A web archive (WARC 1.0/1.1, plain or gzip): see [`warc`].
    Warc,
    /// A web archive collection (a zip of WARCs): see [`wacz`].
    Wacz,
    /// A saved feed: RSS, Atom or JSON Feed: see [`feed`].
    Feed,
    /// A browser's single-file page (MHTML): see [`mhtml`].
    Mhtml,
    /// An mbox mailbox or one message: see [`mail`].
    Mail,
    /// newsboat's `cache.db`: see [`newsboat`].
    Newsboat,
}

/// The format a file name names, if it is one broadsheet reads. A `.gz` file is read as
/// the format its inner name gives (`page.html.gz` is a saved page); a bare `.gz` is
/// recognised too and its content sniffed once it is unpacked.
pub fn format_of(path: &Path) -> Option<Format> {
    // a name that is not UTF-8 is judged by its readable part (extensions are ASCII)
    let name = path.file_name()?.to_string_lossy();
    let name: &str = &name;
    if newsboat::is_cache_name(name) {
        return Some(Format::Newsboat);
    }
    let name = match name.len().checked_sub(3) {
        Some(i) if name.is_char_boundary(i) && name[i..].eq_ignore_ascii_case(".gz") => &name[..i],
        _ => name,
    };
    let ext = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext,
        // `story.gz`: no inner extension; the content decides
        _ if path_is_gz(path) => return Some(Format::Text),
        _ => return None,
    };
    let any = |names: &[&str]| names.iter().any(|n| ext.eq_ignore_ascii_case(n));
    if any(&["txt", "text"]) {
        Some(Format::Text)
    } else if any(&["md", "markdown"]) {
        Some(Format::Markdown)
    } else if any(&["json"]) {
        Some(Format::Json)
    } else if any(&["jsonl", "ndjson"]) {
        Some(Format::JsonLines)
    } else if any(&["html", "htm", "xhtml"]) {
        Some(Format::Html)
    } else {
        container::format_of_ext(ext)
    }
}

fn path_is_gz(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.as_encoded_bytes().eq_ignore_ascii_case(b"gz"))
}

/// Guess a format from content, for files whose name does not say (and bare `.gz`).
pub fn sniff(bytes: &[u8]) -> Format {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 1024)];
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    if let Some(f) = container::sniff(head, &lower) {
        return f;
    }
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") || {
        lower.starts_with('<') && (lower.contains("<head") || lower.contains("<body"))
    } {
        return Format::Html;
    }
    if lower.starts_with('[') {
        return Format::Json;
    }
    if lower.starts_with('{') {
        // an object per line, or one object over many lines
        let first_line = bytes[start..].split(|&b| b == b'\n').next().unwrap_or(&[]);
        return if serde_json::from_slice::<serde_json::Value>(first_line).is_ok() {
            Format::JsonLines
        } else {
            Format::Json
        };
    }
    if lower.starts_with("+++") || lower.starts_with("---\n") || lower.starts_with("---\r\n") {
        return Format::Markdown;
    }
    Format::Text
}

/// Unpack gzip bytes, at most [`limits::MAX_UNPACKED`] (or the limit set); a file of one
/// story (`.txt.gz`, `.md.gz`, `.html.gz`) no more than a story may be. A truncated or
/// corrupt stream is an error naming the offset.
pub fn gunzip(path: &Path, bytes: &[u8]) -> Result<Vec<u8>, LoadError> {
    let l = limits::get();
    let one_story = has_inner_ext(path)
        && matches!(
            format_of(path),
            Some(Format::Html | Format::Text | Format::Markdown)
        );
    let max = if one_story {
        l.unpacked.min(l.story)
    } else {
        l.unpacked
    };
    limits::gunzip(path, bytes, max)
}

/// Load one file of a known format. Never panics on bad input; a bug met on one file
/// (a panic) is caught and reported as that file's problem (see [`guarded`]).
pub fn load_file(path: &Path) -> Loaded {
    guarded(path, || load_file_unguarded(path)).unwrap_or_else(|e| Loaded {
        problems: vec![e],
        ..Loaded::default()
    })
}

/// Run one file's work, catching a panic in it: the file's problem "could not be read:
/// an internal error", so one bad file never costs the others.
pub fn guarded<T>(path: &Path, work: impl FnOnce() -> T) -> Result<T, LoadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|_| {
        err(
            ProblemKind::Internal,
            path,
            None,
            "could not be read: an internal error".into(),
        )
    })
}

#[cfg(test)]
thread_local! {
    /// Tests: a file named so panics while it is loaded.
    static PANIC_ON: std::cell::RefCell<Option<std::ffi::OsString>> = const { std::cell::RefCell::new(None) };
}

fn load_file_unguarded(path: &Path) -> Loaded {
    limits::blocks_capped(path); // what an earlier file on this thread left
    #[cfg(test)]
    if PANIC_ON.with(|p| p.borrow().as_deref() == path.file_name()) {
        panic!("a bug met on {}", path.display());
    }
    let mut out = Loaded::default();
    if let Some((articles, problems)) = container::load_path(path) {
        out.articles = articles;
        out.problems = problems;
        note_capped(path, &mut out);
        cap_problems(path, &mut out);
        return out;
    }
    let bytes = match read_judged(path) {
        Ok(Ok(b)) => b,
        Ok(Err(rejected)) => {
            out.problems.push(rejected);
            return out;
        }
        Err(e) => {
            out.problems.push(cannot_read(path, e));
            return out;
        }
    };
    load_bytes(path, &bytes, &mut out);
    note_capped(path, &mut out);
    cap_problems(path, &mut out);
    out
}

/// A problem when a story of the file was cut to [`limits::MAX_BLOCKS`] blocks.
fn note_capped(path: &Path, out: &mut Loaded) {
    out.problems.extend(limits::blocks_capped(path));
}

/// Story `index_in_file` of a file, read without reading the whole file where the
/// format allows it (a WARC whose stories were listed in this process: only the story's
/// record); `None` means: [`load_file`] and take the story from its articles.
pub fn load_story(path: &Path, index_in_file: usize) -> Option<Article> {
    container::load_story(path, index_in_file)
}

/// JSON Lines files at least this big are read a line at a time by [`for_each_article`].
/// (Smaller in unit tests, which check both ways give the same.)
const STREAM_FROM: u64 = if cfg!(test) { 64 << 10 } else { 8 << 20 };

/// Load a file as [`load_file`] does (the same articles, in order, and the same
/// problems, which are returned), handing each article to `each` as it is read. A big
/// JSON Lines file of plain UTF-8 is read a line at a time, so memory holds a record,
/// not the file (a 100,000-record file stays a few megabytes).
pub fn for_each_article(path: &Path, mut each: impl FnMut(Article)) -> Vec<LoadError> {
    guarded(path, || for_each_unguarded(path, &mut each)).unwrap_or_else(|e| vec![e])
}

fn for_each_unguarded(path: &Path, mut each: impl FnMut(Article)) -> Vec<LoadError> {
    if !is_streamed(path) {
        let l = load_file(path);
        l.articles.into_iter().for_each(each);
        return l.problems;
    }
    use std::io::{BufRead, Read};
    match std::fs::File::open(path)
        .and_then(|mut f| judge_jsonl_head(&mut f, path, &mut Vec::new()))
    {
        Ok(Some(not_articles)) => return vec![not_articles],
        Ok(None) => {}
        Err(e) => return vec![cannot_read(path, e)],
    }
    limits::blocks_capped(path); // what an earlier file on this thread left
    let mut out = Loaded::default(); // problems only, kept to the first few
    let mut more = 0;
    let mut loaded = 0;
    let mut record = 0;
    let mut problem = |out: &mut Loaded, e: LoadError| {
        if out.problems.len() < MAX_PROBLEMS_PER_FILE + 1 {
            out.problems.push(e);
        } else {
            more += 1;
        }
    };
    let file = match limits::open_regular(path, None) {
        Ok((f, _)) => f,
        Err(Ok(refused)) => return vec![refused],
        Err(Err(e)) => return vec![cannot_read(path, e)],
    };
    let max_line = limits::get().file;
    let mut r = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = Vec::new();
    let mut n = 0;
    loop {
        line.clear();
        match (&mut r).take(max_line).read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) if line.len() as u64 >= max_line && !line.ends_with(b"\n") => {
                let why = format!(
                    "a line longer than the {} a file may be; the rest of the file skipped",
                    limits::size(max_line)
                );
                problem(
                    &mut out,
                    err(
                        ProblemKind::TooBig,
                        path,
                        Some(format!("line {}", n + 1)),
                        why,
                    ),
                );
                break;
            }
            Ok(_) => {}
            Err(e) => {
                problem(&mut out, cannot_read(path, e));
                break;
            }
        }
        let mut bytes = &line[..];
        if n == 0 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        // checked whole before: valid UTF-8
        let text = std::str::from_utf8(bytes).unwrap_or_default();
        match json::parse_line(path, n, record, text) {
            None => {}
            Some(Ok(a)) => {
                loaded += 1;
                if let Some(p) = limits::blocks_capped(path) {
                    problem(&mut out, p);
                }
                each(a);
                record += 1;
            }
            Some(Err(e)) => {
                problem(&mut out, e);
                record += 1;
            }
        }
        n += 1;
    }
    if record == 0 {
        problem(&mut out, json::no_lines(path));
    }
    if out.problems.len() > MAX_PROBLEMS_PER_FILE {
        let n = out.problems.len() + more;
        out.problems.truncate(MAX_PROBLEMS_PER_FILE);
        out.problems.push(more_problems(path, n, loaded));
    }
    out.problems
}

/// Is this a file [`for_each_article`] reads a line at a time (a big JSON Lines file)?
pub fn is_streamed(path: &Path) -> bool {
    format_of(path) == Some(Format::JsonLines)
        && !path_is_gz(path)
        && std::fs::metadata(path).is_ok_and(|m| m.len() >= STREAM_FROM)
        && plain_utf8_text(path)
}

/// Does the file hold text that [`text_input`] takes as it is: not binary, not all
/// white space, valid UTF-8, not gzip? Read in pieces, never whole.
fn plain_utf8_text(path: &Path) -> bool {
    use std::io::Read;
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut r = std::io::BufReader::with_capacity(1 << 16, f);
    let mut pending = Vec::with_capacity(8192); // bytes not yet checked
    if r.by_ref().take(8192).read_to_end(&mut pending).is_err()
        || pending.starts_with(&[0x1f, 0x8b])
        || looks_binary(&pending)
    {
        return false;
    }
    let mut blank = true;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        blank &= pending.iter().all(u8::is_ascii_whitespace);
        match std::str::from_utf8(&pending) {
            Ok(_) => pending.clear(),
            // a character cut at the end of the piece: checked with the next
            Err(e) if e.error_len().is_none() => {
                pending.drain(..e.valid_up_to());
            }
            Err(_) => return false,
        }
        match r.read(&mut buf) {
            Ok(0) => return pending.is_empty() && !blank,
            Ok(got) => pending.extend_from_slice(&buf[..got]),
            Err(_) => return false,
        }
    }
}

/// A file's bytes; but a JSON Lines file (by name, not packed) whose first record is not
/// an article is judged from its head and not read further: `Ok(Err(problem))`.
fn read_judged(path: &Path) -> std::io::Result<Result<Vec<u8>, LoadError>> {
    let max = limits::get().file;
    let (mut f, len) = match limits::open_regular(path, Some(max)) {
        Ok(opened) => opened,
        Err(Ok(refused)) => return Ok(Err(refused)),
        Err(Err(e)) => return Err(e),
    };
    let mut buf = Vec::new();
    if format_of(path) == Some(Format::JsonLines) && !path_is_gz(path) {
        buf.reserve(json::JUDGE_HEAD.min(len as usize + 1));
        if let Some(p) = judge_jsonl_head(&mut f, path, &mut buf)? {
            return Ok(Err(p));
        }
    }
    Ok(limits::read_capped(path, &mut f, len, max, &mut buf)?.map(|()| buf))
}

/// Read the head of a JSON Lines file into `buf` (growing it until the first record is
/// whole) and judge it: the one problem of a file that is not articles, else `None`.
fn judge_jsonl_head(
    f: &mut std::fs::File,
    path: &Path,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<LoadError>> {
    use std::io::Read;
    let mut want = json::JUDGE_HEAD;
    loop {
        f.by_ref()
            .take((want - buf.len()) as u64)
            .read_to_end(buf)?;
        let whole = buf.len() < want; // the end of the file came first
        if buf.starts_with(&[0x1f, 0x8b]) {
            return Ok(None); // packed after all: loaded whole
        }
        match json::judge_head(path, buf, whole) {
            json::Head::NotArticles(p) => return Ok(Some(p)),
            json::Head::Load => return Ok(None),
            json::Head::ReadMore if whole => return Ok(None),
            json::Head::ReadMore => want = want.saturating_mul(4),
        }
    }
}

/// At most this many problems are reported for one file; the rest are counted.
pub const MAX_PROBLEMS_PER_FILE: usize = 3;

/// Keep the first few problems of a file and count the rest in one more line, so a file
/// that is not an archive of stories (a 100,000-line labels file, say) is reported in a
/// few lines, not one per record.
fn cap_problems(path: &Path, out: &mut Loaded) {
    let n = out.problems.len() + std::mem::take(&mut out.unreported);
    if n <= MAX_PROBLEMS_PER_FILE {
        return;
    }
    out.problems.truncate(MAX_PROBLEMS_PER_FILE);
    out.problems
        .push(more_problems(path, n, out.articles.len()));
}

/// The last problem said for a file with `n` problems in all, of which the first
/// [`MAX_PROBLEMS_PER_FILE`] are said.
fn more_problems(path: &Path, n: usize, loaded: usize) -> LoadError {
    err(
        ProblemKind::More,
        path,
        None,
        format!(
            "{} more problems like these not shown ({loaded} stories loaded from this file)",
            n - MAX_PROBLEMS_PER_FILE,
        ),
    )
}

/// Load the bytes of a file named `path` (gzip unpacked here), adding to `out`.
pub fn load_bytes(path: &Path, bytes: &[u8], out: &mut Loaded) {
    let is_gz = bytes.starts_with(&[0x1f, 0x8b]);
    if path_is_gz(path) && !is_gz {
        out.problems.push(err(
            ProblemKind::Malformed,
            path,
            Some("byte 0".into()),
            "not a gzip file".into(),
        ));
        return;
    }
    let unpacked;
    let bytes = if is_gz {
        match gunzip(path, bytes) {
            Ok(b) => {
                unpacked = b;
                &unpacked[..]
            }
            Err(e) => {
                out.problems.push(e);
                return;
            }
        }
    } else {
        bytes
    };
    let format = match format_of(path) {
        Some(f) if !path_is_gz(path) || has_inner_ext(path) => f,
        _ => sniff(bytes),
    };
    let format = container::refine(format, bytes);
    if matches!(format, Format::Text | Format::Markdown) {
        if let Some(too_big) = limits::story_too_big(path, bytes.len()) {
            out.problems.push(too_big);
            return;
        }
    }
    match format {
        Format::Text => match txt::parse(path, bytes) {
            Ok((article, warning)) => {
                out.articles.push(article);
                out.problems.extend(warning);
            }
            Err(e) => out.problems.push(e),
        },
        Format::Markdown => match md::parse(path, bytes) {
            Ok((article, warning)) => {
                out.articles.push(article);
                out.problems.extend(warning);
            }
            Err(e) => out.problems.push(e),
        },
        Format::Json => json::parse_json(path, bytes, out),
        Format::JsonLines => json::parse_lines(path, bytes, out),
        Format::Html => match html::parse(path, bytes) {
            Ok((article, warning)) => {
                out.articles.push(article);
                out.problems.extend(warning);
            }
            Err(e) => out.problems.push(e),
        },
        other => container::load_bytes(path, other, bytes, out),
    }
}

/// `a.html.gz` has an inner extension broadsheet knows; `a.gz` and `a.bin.gz` do not.
fn has_inner_ext(path: &Path) -> bool {
    path.file_stem()
        .map(Path::new)
        .is_some_and(|stem| format_of(stem).is_some())
}

/// The text of a file that must hold text: an empty or binary file is an error naming
/// `kind` ("text", "JSON"); otherwise the bytes decoded by [`decode`], with its warning.
pub fn text_input(
    path: &Path,
    bytes: &[u8],
    kind: &str,
) -> Result<(String, Option<LoadError>), LoadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(err(ProblemKind::Empty, path, None, "empty file".into()));
    }
    if looks_binary(bytes) {
        return Err(err(
            ProblemKind::Binary,
            path,
            None,
            format!("binary file, not {kind}"),
        ));
    }
    // white space before the zeros a crash left (see `looks_binary`): nothing to read
    if bytes.iter().all(|&b| b.is_ascii_whitespace() || b == 0) {
        return Err(err(ProblemKind::Empty, path, None, "empty file".into()));
    }
    Ok(decode(path, bytes))
}

/// Decode bytes as UTF-8 (dropping a BOM); invalid sequences are replaced and reported,
/// and NUL bytes (damage in a text file: see [`looks_binary`]) left out and reported.
pub fn decode(path: &Path, bytes: &[u8]) -> (String, Option<LoadError>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (mut text, mut warning) = match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), None),
        Err(e) => {
            let warning = err(
                ProblemKind::Repaired,
                path,
                Some(format!("byte {}", e.valid_up_to())),
                "invalid UTF-8, shown with replacement characters".into(),
            );
            (String::from_utf8_lossy(bytes).into_owned(), Some(warning))
        }
    };
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        text.retain(|c| c != '\0');
        warning.get_or_insert_with(|| {
            err(
                ProblemKind::Repaired,
                path,
                Some(format!("byte {at}")),
                "NUL bytes in the text, left out".into(),
            )
        });
    }
    (text, warning)
}

/// NUL bytes a text file may hold in its head and still be read as text (they are left
/// out, and said): a stray byte or two of damage (one in a thousand at most), where a
/// binary file has many.
const STRAY_NULS: usize = 2;

/// True when bytes look like a binary file rather than text: more than [`STRAY_NULS`] NUL
/// bytes or many control bytes in the head, the zeros a file cut short by a crash is
/// padded with at its end not counted (nor judged: a file of zeros alone is binary).
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let text_end = head.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    if text_end == 0 && !head.is_empty() {
        return true;
    }
    let head = &head[..text_end];
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls > STRAY_NULS || nuls * 1000 > head.len() {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls > 8 && controls * 10 > head.len()
}

pub(crate) fn err(kind: ProblemKind, path: &Path, at: Option<String>, reason: String) -> LoadError {
    LoadError {
        path: path.to_path_buf(),
        at,
        kind,
        reason,
    }
}

/// The problem of a file the system would not let us read.
pub(crate) fn cannot_read(path: &Path, e: impl std::fmt::Display) -> LoadError {
    err(
        ProblemKind::Unreadable,
        path,
        None,
        format!("cannot read: {e}"),
    )
}

#[cfg(test)]
mod tests {
    /// A stray NUL byte or a file padded with zeros at its end (cut short by a crash)
    /// is still read as text, the zeros left out and said; many NUL bytes make a file
    /// binary.
    #[test]
    fn damage_of_nul_bytes_is_left_out_and_said() {
        use super::{load_bytes, Loaded, ProblemKind as K};
        use std::path::Path;
        let story = "Quay crane restored\n\nThe last steam crane on the north quay was \
                     lifted back onto its rails on Tuesday after a two-year restoration. "
            .repeat(12);
        let load = |bytes: &[u8]| {
            let mut out = Loaded::default();
            load_bytes(Path::new("a.txt"), bytes, &mut out);
            out
        };
        let mut stray = story.clone().into_bytes();
        stray.insert(300, 0);
        let mut padded = story.clone().into_bytes();
        padded.extend([0u8; 4000]);
        for bytes in [stray, padded] {
            let out = load(&bytes);
            assert_eq!(out.articles.len(), 1, "{:?}", out.problems);
            let a = &out.articles[0];
            assert_eq!(a.title, "Quay crane restored");
            assert!(a.blocks.iter().all(|b| !b.text.contains('\0')));
            assert!(a.blocks[0].text.contains("two-year restoration"));
            assert_eq!(out.problems.len(), 1);
            assert_eq!(out.problems[0].kind, K::Repaired);
            assert!(out.problems[0].reason.contains("NUL"), "{:?}", out.problems);
        }
        // many: a binary file, not a damaged text
        let mut many = story.into_bytes();
        for i in 0..5 {
            many.insert(100 + i * 50, 0);
        }
        let out = load(&many);
        assert!(out.articles.is_empty());
        assert_eq!(out.problems[0].kind, K::Binary);
    }

    #[test]
    fn each_problem_says_its_kind() {
        use super::{load_bytes, Loaded, ProblemKind as K};
        use std::path::Path;
        let kinds = |name: &str, bytes: &[u8]| {
            let mut out = Loaded::default();
            load_bytes(Path::new(name), bytes, &mut out);
            out.problems.iter().map(|p| p.kind).collect::<Vec<_>>()
        };
        assert_eq!(kinds("a.txt", b""), [K::Empty]);
        assert_eq!(kinds("a.txt", b"\0\0\x01\x02binary"), [K::Binary]);
        assert_eq!(kinds("a.txt", &[0u8; 100]), [K::Binary]);
        assert_eq!(kinds("a.txt", b"\n\n\0\0\0"), [K::Empty]);
        assert_eq!(kinds("a.json", b"{\"title\": "), [K::Malformed]);
        assert_eq!(kinds("a.json", b"[]"), [K::NoArticles]);
        assert_eq!(kinds("a.txt.gz", b"not gzip"), [K::Malformed]);
        assert_eq!(
            kinds("a.md", b"+++\ntitle = \n+++\n# T\n\nText.\n"),
            [K::Malformed]
        );
        assert_eq!(kinds("a.html", b"<html><body></body></html>"), [K::NoStory]);
        let bad_utf8 = kinds("a.txt", b"A title\n\nA story \xff of words.\n");
        assert_eq!(bad_utf8, [K::Repaired]);
        assert!(kinds("a.txt", b"A title\n\nA story.\n").is_empty());
    }

    #[test]
    fn a_big_json_lines_file_streams_to_the_same_articles_and_problems() {
        let dir = tempfile::tempdir().unwrap();
        let story = |i: usize| {
            format!(
                "{{\"title\": \"Story {i}\", \"text\": \"It happened on day {i}. {}\"}}\r\n",
                "Word ".repeat(200)
            )
        };
        let mut text = String::from("\u{FEFF}");
        let mut i = 0;
        while (text.len() as u64) < STREAM_FROM + 1000 {
            text.push_str(&story(i));
            match i % 20 {
                7 => text.push_str("\n  \n"),
                8 => text.push_str("{\"file\": \"x.txt\"}\n"),
                9 => text.push_str("[1, 2]\n"),
                10 => text.push_str("{not json\n"),
                11 => text
                    .push_str("{\"title\": \"caf\u{e9} \u{2014} \u{65e5}\", \"text\": \"Ok.\"}\n"),
                _ => {}
            }
            i += 1;
        }
        text.push_str(&story(i).replace("\r\n", "")); // no newline at the end
        for (name, data) in [
            ("big.jsonl", text.clone().into_bytes()),
            ("invalid.jsonl", [text.as_bytes(), b"\xff\n"].concat()),
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, data).unwrap();
            assert_eq!(is_streamed(&p), name == "big.jsonl");
            let whole = load_file(&p);
            let mut each = Vec::new();
            let problems = for_each_article(&p, |a| each.push(a));
            assert!(whole.articles.len() > 50);
            assert_eq!(each, whole.articles);
            assert_eq!(problems, whole.problems);
        }
    }

    #[test]
    fn many_bad_records_are_reported_in_a_few_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("labels.jsonl");
        let mut text = String::from("{\"title\": \"A story\", \"text\": \"It happened.\"}\n");
        for i in 0..50 {
            text.push_str(&format!("{{\"file\": \"{i}.txt\", \"paragraphs\": []}}\n"));
        }
        std::fs::write(&p, text).unwrap();
        let l = load_file(&p);
        assert_eq!(l.articles.len(), 1);
        assert_eq!(l.problems.len(), MAX_PROBLEMS_PER_FILE + 1);
        let last = l.problems.last().unwrap().to_string();
        assert!(
            last.contains("47 more problems") && last.contains("1 stories loaded"),
            "{last}"
        );
    }

    use super::*;
    use std::io::Write;

    #[test]
    fn a_json_lines_file_that_does_not_begin_with_an_article_is_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("labels.jsonl");
        let mut text = String::new();
        for i in 0..5000 {
            text.push_str(&format!("{{\"file\": \"{i}.txt\", \"paragraphs\": []}}\n"));
        }
        text.push_str("{\"title\": \"A story\", \"text\": \"It happened.\"}\n");
        std::fs::write(&p, &text).unwrap();
        let l = load_file(&p);
        assert!(l.articles.is_empty());
        assert_eq!(l.problems.len(), 1, "{:?}", l.problems);
        let shown = l.problems[0].to_string();
        assert!(
            shown.ends_with("labels.jsonl: not a file of articles (line 1: no article text: expected one of the fields text, maintext, content, body, articleBody, article_body, full_text)"),
            "{shown}"
        );
        // the same as the whole file's loading says
        let mut whole = Loaded::default();
        load_bytes(&p, text.as_bytes(), &mut whole);
        assert_eq!(whole.problems, l.problems);
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn formats_by_name() {
        let f = |p: &str| format_of(Path::new(p));
        assert_eq!(f("a/b.TXT"), Some(Format::Text));
        assert_eq!(f("b.markdown"), Some(Format::Markdown));
        assert_eq!(f("b.ndjson"), Some(Format::JsonLines));
        assert_eq!(f("b.json"), Some(Format::Json));
        assert_eq!(f("b.htm"), Some(Format::Html));
        assert_eq!(f("b.html.gz"), Some(Format::Html));
        assert_eq!(f("story.gz"), Some(Format::Text));
        assert_eq!(f("backup.tar.gz"), None);
        assert_eq!(f("b.png"), None);
        assert_eq!(f(".gz"), None);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"  <!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff(b"[{\"title\": 1}]"), Format::Json);
        assert_eq!(sniff(b"{\"a\": 1}\n{\"a\": 2}\n"), Format::JsonLines);
        assert_eq!(sniff(b"{\n \"a\": 1\n}\n"), Format::Json);
        assert_eq!(sniff(b"+++\ntitle = 'x'\n+++\n"), Format::Markdown);
        assert_eq!(sniff(b"Title\n\nBody."), Format::Text);
    }

    #[test]
    fn gzip_is_unpacked_and_truncation_reported() {
        let page = b"<html><head><title>T</title></head><body><p>Body text here.</p></body></html>";
        let packed = gz(page);
        let mut out = Loaded::default();
        load_bytes(Path::new("p.html.gz"), &packed, &mut out);
        assert_eq!(out.articles.len(), 1, "{:?}", out.problems);
        assert_eq!(out.articles[0].title, "T");

        let mut out = Loaded::default();
        load_bytes(
            Path::new("p.html.gz"),
            &packed[..packed.len() / 2],
            &mut out,
        );
        assert!(out.articles.is_empty());
        assert!(
            out.problems[0].reason.contains("truncated gzip"),
            "{:?}",
            out.problems
        );
        assert!(out.problems[0].at.is_some());

        let mut out = Loaded::default();
        load_bytes(Path::new("p.html.gz"), b"<html>not packed</html>", &mut out);
        assert!(out.problems[0].reason.contains("not a gzip"));

        // a bare .gz is sniffed once unpacked
        let mut out = Loaded::default();
        load_bytes(
            Path::new("s.gz"),
            &gz(b"[{\"title\": \"J\", \"text\": \"x.\"}]"),
            &mut out,
        );
        assert_eq!(out.articles[0].title, "J");
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    #[test]
    fn a_bug_met_on_one_file_is_that_files_problem() {
        let dir = tempfile::tempdir().unwrap();
        let (bad, good) = (dir.path().join("bad.txt"), dir.path().join("good.txt"));
        std::fs::write(&bad, "A title\n\nA story.\n").unwrap();
        std::fs::write(&good, "A title\n\nA story.\n").unwrap();
        PANIC_ON.with(|p| *p.borrow_mut() = Some("bad.txt".into()));
        let l = load_file(&bad);
        assert!(l.articles.is_empty());
        assert_eq!(
            l.problems[0].to_string(),
            format!("{}: could not be read: an internal error", bad.display())
        );
        let mut n = 0;
        let p = for_each_article(&bad, |_| n += 1);
        assert_eq!(p[0].reason, "could not be read: an internal error");
        assert_eq!(load_file(&good).articles.len(), 1);
        PANIC_ON.with(|p| *p.borrow_mut() = None);
    }

    #[test]
    fn millions_of_bad_lines_keep_a_few_problems() {
        let mut text = String::from("{\"title\": \"A story\", \"text\": \"It happened.\"}\n");
        text.push_str(&"{not json\n".repeat(4_000_000));
        let mut out = Loaded::default();
        load_bytes(Path::new("a.jsonl"), text.as_bytes(), &mut out);
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.problems.len(), MAX_PROBLEMS_PER_FILE + 1);
        assert_eq!(out.unreported, 4_000_000 - MAX_PROBLEMS_PER_FILE - 1);
        cap_problems(Path::new("a.jsonl"), &mut out);
        let last = out.problems.last().unwrap().to_string();
        assert!(last.contains("3999997 more problems"), "{last}");
    }

    #[test]
    fn a_lone_surrogate_loses_no_item() {
        let text = r#"[{"title": "One", "text": "A \ud800 B."}, {"title": "Two \ud83d\ude00", "text": "\\ud800 \udc00"}]"#;
        let mut out = Loaded::default();
        load_bytes(Path::new("a.json"), text.as_bytes(), &mut out);
        assert_eq!(out.articles.len(), 2, "{:?}", out.problems);
        assert_eq!(out.articles[0].blocks[0].text, "A \u{fffd} B.");
        assert_eq!(out.articles[1].title, "Two \u{1f600}");
        assert_eq!(out.articles[1].blocks[0].text, "\\ud800 \u{fffd}");
        assert!(out.problems[0].reason.contains("lone surrogates"));
        let mut out = Loaded::default();
        load_bytes(
            Path::new("a.jsonl"),
            b"{\"title\": \"T\", \"text\": \"x \\udfff\"}\n",
            &mut out,
        );
        assert_eq!(out.articles.len(), 1, "{:?}", out.problems);
    }

    /// Every loader, fed every prefix and some byte-flipped copies of the samples, returns
    /// articles or problems and never panics.
    #[test]
    fn truncated_and_mangled_files_never_panic() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
        let mut samples: Vec<Vec<u8>> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
            .collect();
        samples.push("+++\nt = \"é\"\n+++\n# é\n\n> ×\n".as_bytes().to_vec());
        samples.push("<p>&#x1F600;&amp<b é=\"<\">é</p><!--é".as_bytes().to_vec());
        let names = [
            "a.txt",
            "a.md",
            "a.json",
            "a.jsonl",
            "a.html",
            "a.html.gz",
            "a.warc",
            "a.warc.gz",
            "a.wacz",
            "a.rss",
            "a.mhtml",
            "a.mbox",
            "a",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for s in &samples {
            let step = (s.len() / 40).max(1);
            for cut in (0..s.len()).step_by(step) {
                for name in names {
                    load_bytes(Path::new(name), &s[..cut], &mut Loaded::default());
                }
            }
            for _ in 0..20 {
                let mut m = s.clone();
                for _ in 0..8 {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    if !m.is_empty() {
                        let i = (seed >> 33) as usize % m.len();
                        m[i] = (seed >> 17) as u8;
                    }
                }
                for name in names {
                    load_bytes(Path::new(name), &m, &mut Loaded::default());
                }
            }
        }
    }
}
