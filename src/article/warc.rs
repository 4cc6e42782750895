//! Web archives in WARC 1.0 and 1.1 (`.warc`, and `.warc.gz` with each record its own
//! gzip member, as crawlers write them), read as a stream, a record at a time: memory
//! holds one record and the stories found, never the file.
//!
//! Every `response` record of an HTML page answered with status 200 (and every
//! `resource` record of an HTML page) goes through the saved-page pipeline
//! ([`super::payload::page_story`]); its URL is `WARC-Target-URI`, its date (when the
//! page has none) `WARC-Date`. The rest is counted, not listed: requests, metadata,
//! revisits, redirects, error answers, other media, pages of links. A URL captured more
//! than once is one story, its latest capture. A broken record or gzip member is a
//! problem naming its byte offset (in the file, or in the packed member), and reading
//! goes on at the next record where it can.

use super::payload::{self, NotStory};
use super::pool::Pool;
use super::{cannot_read, err, Article, LoadError, ProblemKind};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The longest header line read (a guard against a file that is not WARC at all).
const MAX_LINE: u64 = 64 << 10;
/// Response records bigger than this are not read into memory (no news page is).
const MAX_RECORD: u64 = 32 << 20;

/// A reader that knows how many bytes it has handed out.
struct Counted<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        self.pos += n as u64;
        self.inner.consume(n);
    }
}

/// What was read and not listed, by kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Records read in all.
    pub records: usize,
    /// Kinds of record or page, and how many of each (in the order first met).
    pub kinds: Vec<(&'static str, usize)>,
}

impl Skipped {
    /// Count one more of a kind.
    pub fn add(&mut self, kind: &'static str) {
        match self.kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => self.kinds.push((kind, 1)),
        }
    }

    /// "312 not stories: 180 requests, 12 images, ..."; `None` when nothing was skipped.
    pub fn notice(&self, path: &Path, place: &str) -> Option<LoadError> {
        let n: usize = self.kinds.iter().map(|(_, n)| n).sum();
        if n == 0 {
            return None;
        }
        let mut kinds = self.kinds.clone();
        kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        Some(err(
            ProblemKind::Skipped,
            path,
            Some(format!("{place}{} records", self.records)),
            format!("{n} not stories: {}", list.join(", ")),
        ))
    }
}

/// Where a record is, for a problem: a byte offset in the file (a gzip member's for
/// packed files), in the archive member `place` names when there is one.
fn at(place: &str, member: Option<u64>, offset: u64) -> String {
    match member {
        Some(m) if offset == 0 => format!("{place}byte {m}"),
        Some(m) => format!("{place}byte {m} (unpacked byte {offset})"),
        None => format!("{place}byte {offset}"),
    }
}

/// The stories of one WARC stream and what was skipped, gathered as records are read.
pub struct Gather<'p> {
    path: &'p Path,
    /// The WARC's name inside a container (WACZ), with a space, or "".
    place: String,
    /// Each story, its capture's date and its record's place (see [`Pending::loc`]).
    stories: Vec<(Article, String, Option<u64>)>,
    by_url: HashMap<String, usize>,
    /// Captured pages being read on rayon's threads while the records are read on.
    pages: Pool<Pending, Done>,
    /// Read one record and stop ([`load_story`]).
    one: bool,
    /// What was not listed.
    pub skipped: Skipped,
    /// Problems met so far.
    pub problems: Vec<LoadError>,
    /// Pages read and not listed, and the problems of pages read: kept apart from the
    /// records' (and told after them), since pages are read on other threads, finishing
    /// when they do.
    page_skipped: Skipped,
    page_problems: Vec<LoadError>,
}

impl<'p> Gather<'p> {
    /// Gather the stories of the WARC file at `path`; `place` names a WARC inside it.
    pub fn new(path: &'p Path, place: &str) -> Self {
        Gather {
            path,
            place: place.to_string(),
            stories: Vec::new(),
            by_url: HashMap::new(),
            pages: Pool::new(BATCH, {
                let path = path.to_path_buf();
                move |p: Pending| read_page(&path, p)
            }),
            one: false,
            skipped: Skipped::default(),
            problems: Vec::new(),
            page_skipped: Skipped::default(),
            page_problems: Vec::new(),
        }
    }

    /// Name the WARC that [`Gather::read`] reads next inside a container ("" for none).
    pub fn set_place(&mut self, place: &str) {
        self.place = if place.is_empty() {
            String::new()
        } else {
            format!("{place} ")
        };
    }

    /// Read one WARC stream (packed or not: the first bytes say).
    pub fn read(&mut self, r: impl Read) {
        let mut src = Counted {
            inner: BufReader::with_capacity(1 << 16, r),
            pos: 0,
        };
        let packed = match src.fill_buf() {
            Ok(b) => b.starts_with(&[0x1f, 0x8b]),
            Err(e) => {
                self.problem(
                    0,
                    None,
                    ProblemKind::Unreadable,
                    format!("cannot read: {e}"),
                );
                return;
            }
        };
        if packed {
            self.read_members(&mut src);
        } else {
            self.read_records(&mut src, None);
        }
        self.flush();
    }

    /// The stories, in the order their URLs were first met, numbered; then the problems,
    /// the count of what was not a story first.
    pub fn finish(mut self) -> (Vec<Article>, Vec<LoadError>) {
        for (kind, n) in std::mem::take(&mut self.page_skipped.kinds) {
            for _ in 0..n {
                self.skipped.add(kind);
            }
        }
        let mut problems: Vec<LoadError> = self
            .skipped
            .notice(self.path, &self.place)
            .into_iter()
            .collect();
        problems.append(&mut self.problems);
        problems.append(&mut self.page_problems);
        (
            self.stories.into_iter().map(|(a, ..)| a).collect(),
            problems,
        )
    }

    fn problem(&mut self, offset: u64, member: Option<u64>, kind: ProblemKind, reason: String) {
        let at = at(&self.place, member, offset);
        self.problems.push(err(kind, self.path, Some(at), reason));
    }

    fn read_members<R: BufRead>(&mut self, src: &mut Counted<R>) {
        loop {
            match src.fill_buf() {
                Ok([]) => return,
                Ok([0x1f, 0x8b, ..]) => {}
                Ok(_) => {
                    let start = src.pos;
                    self.problem(
                        start,
                        None,
                        ProblemKind::Malformed,
                        "not a gzip member here; skipped to the next".into(),
                    );
                    if !skip_to_member(src) {
                        return;
                    }
                    continue;
                }
                Err(e) => {
                    self.problem(
                        src.pos,
                        None,
                        ProblemKind::Unreadable,
                        format!("cannot read: {e}"),
                    );
                    return;
                }
            }
            let start = src.pos;
            let mut dec = Counted {
                inner: BufReader::with_capacity(
                    1 << 16,
                    flate2::bufread::GzDecoder::new(&mut *src),
                ),
                pos: 0,
            };
            let mut broken = !self.read_records(&mut dec, Some(start));
            if !broken {
                if let Err(e) = std::io::copy(&mut dec, &mut std::io::sink()) {
                    self.stream_error(0, Some(start), e);
                    broken = true;
                }
            }
            drop(dec);
            if broken || src.pos == start {
                // after a broken member: on at the next one, if there is one
                if !skip_to_member(src) {
                    return;
                }
            }
        }
    }

    /// Read records to the end of `r`. False when reading stopped at a broken stream
    /// (reported).
    fn read_records<R: BufRead>(&mut self, r: &mut Counted<R>, member: Option<u64>) -> bool {
        let mut line = Vec::new();
        let mut lost = false; // looking for the next record after a broken one
        loop {
            let start = r.pos;
            line.clear();
            match r.by_ref().take(MAX_LINE).read_until(b'\n', &mut line) {
                Ok(0) => return true,
                Ok(_) => {}
                Err(e) => {
                    self.stream_error(start, member, e);
                    return false;
                }
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if !line.starts_with(b"WARC/") {
                if !lost {
                    self.problem(
                        start,
                        member,
                        ProblemKind::Malformed,
                        "not a WARC record here (no WARC/1.x line); skipped to the next".into(),
                    );
                    lost = true;
                }
                continue;
            }
            lost = false;
            let mut headers: Vec<(String, String)> = Vec::new();
            loop {
                line.clear();
                match r.by_ref().take(MAX_LINE).read_until(b'\n', &mut line) {
                    Ok(0) => {
                        self.problem(
                            start,
                            member,
                            ProblemKind::Malformed,
                            "record cut short in its headers".into(),
                        );
                        return true;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        self.stream_error(start, member, e);
                        return false;
                    }
                }
                let text = String::from_utf8_lossy(&line);
                let text = text.trim_end_matches(['\r', '\n']);
                if text.trim().is_empty() {
                    break;
                }
                if text.starts_with([' ', '\t']) {
                    if let Some((_, v)) = headers.last_mut() {
                        v.push(' ');
                        v.push_str(text.trim());
                    }
                } else if let Some((k, v)) = text.split_once(':') {
                    if headers.len() < 256 {
                        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                    }
                }
            }
            let get = |k: &str| {
                headers
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.as_str())
            };
            let Some(len) = get("content-length").and_then(|v| v.parse::<u64>().ok()) else {
                self.problem(
                    start,
                    member,
                    ProblemKind::Malformed,
                    "record without a Content-Length; skipped to the next".into(),
                );
                lost = true;
                continue;
            };
            let kind = get("warc-type").unwrap_or("").to_ascii_lowercase();
            let wanted = matches!(kind.as_str(), "response" | "resource") && len <= MAX_RECORD;
            let mut body = Vec::new();
            let got = if wanted {
                r.by_ref()
                    .take(len)
                    .read_to_end(&mut body)
                    .map(|n| n as u64)
            } else {
                std::io::copy(&mut r.by_ref().take(len), &mut std::io::sink())
            };
            match got {
                Ok(n) if n < len => {
                    self.problem(
                        start,
                        member,
                        ProblemKind::Malformed,
                        format!("record cut short: {n} of {len} bytes"),
                    );
                    return true;
                }
                Ok(_) => {}
                Err(e) => {
                    self.stream_error(start, member, e);
                    return false;
                }
            }
            self.skipped.records += 1;
            if len > MAX_RECORD && matches!(kind.as_str(), "response" | "resource") {
                self.skipped.add("records too big to be pages");
                continue;
            }
            let place = at(&self.place, member, start);
            self.record(&kind, &headers, &body, start, member, place);
            if self.one {
                return true;
            }
        }
    }

    fn stream_error(&mut self, start: u64, member: Option<u64>, e: std::io::Error) {
        let what = if e.kind() == std::io::ErrorKind::UnexpectedEof {
            "cut short".to_string()
        } else {
            format!("unreadable ({e})")
        };
        let what = if member.is_some() {
            format!("gzip member {what}")
        } else {
            format!("file {what}")
        };
        self.problem(start, member, ProblemKind::Malformed, what);
    }

    fn record(
        &mut self,
        kind: &str,
        headers: &[(String, String)],
        body: &[u8],
        start: u64,
        member: Option<u64>,
        place: String,
    ) {
        let get = |k: &str| {
            headers
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
        };
        match kind {
            "response" | "resource" => {}
            "request" => return self.skipped.add("requests"),
            "metadata" => return self.skipped.add("metadata records"),
            "revisit" => return self.skipped.add("revisits"),
            "warcinfo" => return self.skipped.add("warcinfo records"),
            _ => return self.skipped.add("other records"),
        }
        let record_type = get("content-type").unwrap_or("");
        let page = if record_type
            .to_ascii_lowercase()
            .starts_with("application/http")
        {
            match http_page(body) {
                Ok(p) => p,
                Err(Skip::Kind(k)) => return self.skipped.add(k),
                Err(Skip::Broken(why)) => {
                    self.skipped.add("broken responses");
                    return self.problem(start, member, ProblemKind::Malformed, why);
                }
            }
        } else if payload::is_html_type(record_type)
            || (record_type.is_empty() && payload::looks_like_html(body))
        {
            (body.to_vec(), payload::charset_param(record_type))
        } else {
            return self.skipped.add(media_kind(record_type));
        };
        let Some(url) = get("warc-target-uri") else {
            self.skipped.add("pages without a URL");
            return;
        };
        let url = url.trim().trim_start_matches('<').trim_end_matches('>');
        let url = url.split('#').next().unwrap_or(url).to_string();
        let date = get("warc-date").unwrap_or("").to_string();
        if let Some(&i) = self.by_url.get(&url) {
            if self.stories[i].1 > date {
                // this capture is older than the one kept: not even read, only listed
                self.page_skipped.add("earlier captures");
                add_capture(&mut self.stories[i].0.captures, date, place);
                return;
            }
        }
        // a record that begins a gzip member, or any of a plain file, can be read alone
        let loc = match member {
            _ if !self.place.is_empty() => None,
            Some(m) if start == 0 => Some(m),
            Some(_) => None,
            None => Some(start),
        };
        let done = self.pages.push(Pending {
            url,
            date,
            page,
            place,
            loc,
        });
        self.keep(done);
    }

    /// Wait for the pages still being read, and keep them.
    fn flush(&mut self) {
        let done = self.pages.finish();
        self.keep(done);
    }

    /// Keep pages read, in record order: one story per URL, its latest capture.
    fn keep(&mut self, done: Vec<Option<Done>>) {
        for d in done {
            let Some(Done {
                url,
                date,
                place,
                loc,
                story,
            }) = d
            else {
                // caught in read_page; never met
                self.page_skipped.add("pages that could not be read");
                continue;
            };
            match story {
                Ok((a, warning)) => {
                    if let Some(mut w) = warning {
                        w.at = Some(place.clone());
                        self.page_problems.push(w);
                    }
                    match self.by_url.get(&url) {
                        Some(&i) => {
                            self.page_skipped.add("earlier captures");
                            let mut caps = std::mem::take(&mut self.stories[i].0.captures);
                            add_capture(&mut caps, date.clone(), place);
                            if self.stories[i].1 <= date {
                                self.stories[i] = (a, date, loc);
                            }
                            self.stories[i].0.captures = caps;
                        }
                        None => {
                            let mut a = a;
                            add_capture(&mut a.captures, date.clone(), place);
                            self.by_url.insert(url, self.stories.len());
                            self.stories.push((a, date, loc));
                        }
                    }
                }
                Err(Some(NotStory::FrontPage)) => self.page_skipped.add("pages of links"),
                Err(Some(NotStory::Empty)) => self.page_skipped.add("pages without story text"),
                Err(None) => {
                    self.page_skipped.add("pages that could not be read");
                    self.page_problems.push(err(
                        ProblemKind::Internal,
                        self.path,
                        Some(place),
                        "could not be read: an internal error".into(),
                    ));
                }
            }
        }
    }
}

/// The captures of one URL kept, oldest first (the latest is the story shown): a date and
/// a place each, at most [`MAX_CAPTURES`] (the oldest beyond that dropped), so a URL
/// captured every hour costs little.
fn add_capture(caps: &mut Vec<super::Capture>, date: String, place: String) {
    let date = crate::text::sanitize(&date);
    let at = caps.partition_point(|c| c.date <= date);
    let place = crate::text::sanitize(&place);
    caps.insert(at, super::Capture { date, place });
    if caps.len() > MAX_CAPTURES {
        caps.remove(0);
    }
}

/// The most captures of one URL kept for `explain`.
const MAX_CAPTURES: usize = 64;

/// A captured page read through the saved-page pipeline (on one of rayon's threads): a
/// story, or why not (`None`: the pipeline failed on it, a bug caught).
fn read_page(path: &Path, p: Pending) -> Done {
    let story = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let text = payload::to_utf8(&p.page.0, p.page.1.as_deref());
        let captured = (!p.date.is_empty()).then_some(p.date.as_str());
        payload::page_story(path, &text, Some(&p.url), captured)
    }));
    Done {
        story: match story {
            Ok(Ok(s)) => Ok(s),
            Ok(Err(why)) => Err(Some(why)),
            Err(_) => Err(None),
        },
        url: p.url,
        date: p.date,
        place: p.place,
        loc: p.loc,
    }
}

/// A captured page, read.
struct Done {
    url: String,
    date: String,
    place: String,
    loc: Option<u64>,
    story: Result<(Article, Option<LoadError>), Option<NotStory>>,
}

/// Pages handed to rayon's threads together (a few: the caller reads the next records
/// meanwhile, and takes a batch itself when [`super::pool::IN_FLIGHT`] wait).
const BATCH: usize = 8;

/// A captured page waiting to be read.
struct Pending {
    url: String,
    date: String,
    /// The page's bytes and the charset its HTTP header names.
    page: (Vec<u8>, Option<String>),
    /// Where its record is, for a problem.
    place: String,
    /// Where its record can be read alone: the byte its gzip member (or, unpacked, the
    /// record) begins at; `None` inside a container or a member of several records.
    loc: Option<u64>,
}

/// Skip to the next gzip member (`1f 8b 08`), past at least one byte. False at the end.
fn skip_to_member<R: BufRead>(src: &mut Counted<R>) -> bool {
    let mut first = true;
    loop {
        let buf = match src.fill_buf() {
            Ok([]) | Err(_) => return false,
            Ok(b) => b,
        };
        let from = usize::from(first);
        first = false;
        let found = memchr::memmem::find(&buf[from.min(buf.len())..], &[0x1f, 0x8b, 0x08]);
        match found {
            Some(i) => {
                src.consume(from + i);
                return true;
            }
            None => {
                // keep the last two bytes: a magic may straddle the buffer's end
                let n = buf.len().saturating_sub(2).max(from).min(buf.len());
                src.consume(n.max(1));
            }
        }
    }
}

/// Why a response is not a page.
enum Skip {
    /// Not a story, of this kind (counted).
    Kind(&'static str),
    /// Broken: the reason.
    Broken(String),
}

fn media_kind(content_type: &str) -> &'static str {
    let t = content_type.trim().to_ascii_lowercase();
    if t.starts_with("image/") {
        "images"
    } else if t.starts_with("text/css") || t.contains("javascript") {
        "scripts and styles"
    } else if t.starts_with("text/plain") {
        "plain text files"
    } else if t.is_empty() {
        "responses of no stated type"
    } else {
        "other media"
    }
}

/// The HTML page of an HTTP response as stored (status line, headers, payload): the
/// payload decoded and the charset its header names.
fn http_page(body: &[u8]) -> Result<(Vec<u8>, Option<String>), Skip> {
    let end = memchr::memmem::find(body, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| memchr::memmem::find(body, b"\n\n").map(|i| (i, i + 2)));
    let (head, payload) = match end {
        Some((h, p)) => (&body[..h], &body[p..]),
        None => (body, &body[body.len()..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    if !status_line.starts_with("HTTP/") {
        return Err(Skip::Broken(
            "response record without an HTTP status line".into(),
        ));
    }
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Skip::Broken(format!("bad HTTP status line {status_line:?}")))?;
    match status {
        200 => {}
        300..=399 => return Err(Skip::Kind("redirects")),
        400..=599 => return Err(Skip::Kind("error answers")),
        _ => return Err(Skip::Kind("other answers")),
    }
    let headers: Vec<(String, &str)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim()))
        .collect();
    let get = |k: &str| headers.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
    let content_type = get("content-type").unwrap_or("");
    let html = if content_type.trim().is_empty() {
        payload::looks_like_html(payload)
    } else {
        payload::is_html_type(content_type)
    };
    if !html {
        return Err(Skip::Kind(media_kind(content_type)));
    }
    // Common Crawl stores payloads decoded and renames the headers X-Crawler-*: those
    // are not undone
    let mut bytes = payload.to_vec();
    if get("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        if let Some(d) = payload::dechunk(&bytes) {
            bytes = d;
        }
    }
    if let Some(enc) = get("content-encoding") {
        // several codings apply in order; they are undone in reverse
        for coding in enc.rsplit(',') {
            match payload::decode_content(coding, &bytes) {
                Ok(d) => bytes = d,
                // stored decoded though the header still names the coding
                Err(_) if payload::looks_like_html(&bytes) => break,
                Err(why) => return Err(Skip::Broken(why)),
            }
        }
    }
    Ok((bytes, payload::charset_param(content_type)))
}

/// Load a WARC file, a record at a time.
pub fn load_path(path: &Path) -> (Vec<Article>, Vec<LoadError>) {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return (Vec::new(), vec![cannot_read(path, e)]),
    };
    let mut g = Gather::new(path, "");
    g.read(f);
    remember(path, g.stories.iter().map(|s| s.2).collect());
    finish(path, g)
}

/// The record places of the stories of WARC files loaded in this process (or told by the
/// index, [`remember_places`]), by path, with the size and time (nanoseconds since 1970)
/// the file had.
type Places = HashMap<std::path::PathBuf, (u64, i64, Vec<Option<u64>>)>;

fn places() -> &'static std::sync::Mutex<Places> {
    static PLACES: std::sync::OnceLock<std::sync::Mutex<Places>> = std::sync::OnceLock::new();
    PLACES.get_or_init(Default::default)
}

/// A file's size and modification time, as places are kept with.
fn stamp(path: &Path) -> Option<(u64, i64)> {
    let meta = std::fs::metadata(path).ok()?;
    let t = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64);
    Some((meta.len(), t))
}

fn remember(path: &Path, locs: Vec<Option<u64>>) {
    if let Some((size, time)) = stamp(path) {
        remember_places(path, size, time, locs);
    }
}

/// Keep the record places of a WARC file's stories (in story order; `None` where a story
/// cannot be read alone), as they were when the file had this size and time: the index
/// tells those it keeps, so a story of a crawl indexed before opens from its record.
pub fn remember_places(path: &Path, size: u64, mtime_ns: i64, locs: Vec<Option<u64>>) {
    if let Ok(mut p) = places().lock() {
        if p.len() >= 4096 {
            p.clear();
        }
        p.insert(path.to_path_buf(), (size, mtime_ns, locs));
    }
}

/// The record places of a WARC file's stories known in this process, when the file has
/// not changed since.
pub fn known_places(path: &Path) -> Option<Vec<Option<u64>>> {
    let now = stamp(path)?;
    let p = places().lock().ok()?;
    let (size, time, locs) = p.get(path)?;
    ((*size, *time) == now).then(|| locs.clone())
}

/// Story `index` of a WARC file loaded before in this process (and not changed since),
/// read from its one record: a big crawl's story opens without reading the crawl. `None`
/// when its place is not known: load the file.
pub fn load_story(path: &Path, index: usize) -> Option<Article> {
    use std::io::Seek;
    let loc = (*known_places(path)?.get(index)?)?;
    let mut f = std::fs::File::open(path).ok()?;
    f.seek(std::io::SeekFrom::Start(loc)).ok()?;
    let mut src = Counted {
        inner: BufReader::new(f),
        pos: loc,
    };
    let mut g = Gather::new(path, "");
    g.one = true;
    if src.fill_buf().ok()?.starts_with(&[0x1f, 0x8b]) {
        let mut dec = Counted {
            inner: BufReader::new(flate2::bufread::GzDecoder::new(&mut src)),
            pos: 0,
        };
        g.read_records(&mut dec, Some(loc));
    } else {
        g.read_records(&mut src, None);
    }
    g.flush();
    let mut a = g.stories.into_iter().next()?.0;
    a.index_in_file = index;
    Some(a)
}

/// Load WARC bytes already in memory (a file whose content said it was WARC).
pub fn load_bytes(path: &Path, bytes: &[u8]) -> (Vec<Article>, Vec<LoadError>) {
    let mut g = Gather::new(path, "");
    g.read(bytes);
    finish(path, g)
}

/// The stories numbered in file order; a file with no record at all is a problem.
pub fn finish(path: &Path, g: Gather<'_>) -> (Vec<Article>, Vec<LoadError>) {
    let records = g.skipped.records;
    let (mut articles, mut problems) = g.finish();
    for (i, a) in articles.iter_mut().enumerate() {
        a.index_in_file = i;
    }
    if records == 0 && problems.is_empty() {
        problems.push(err(
            ProblemKind::NoArticles,
            path,
            None,
            "no WARC records in the file".into(),
        ));
    }
    (articles, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const PARA: &str = "The harbour board voted on Tuesday to raise ferry fares by a tenth from April, the first rise in four years, after a long debate about the cost of fuel.";

    fn page(title: &str) -> String {
        format!(
            "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{PARA}</p><p>{PARA} Again.</p></article></body></html>"
        )
    }

    fn record(kind: &str, uri: &str, date: &str, ct: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn response(uri: &str, date: &str, status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut http = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
        http.extend_from_slice(body);
        record(
            "response",
            uri,
            date,
            "application/http; msgtype=response",
            &http,
        )
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    const HTML: &str = "Content-Type: text/html; charset=utf-8\r\n";

    /// A crawl's records: two stories, one captured twice, and what is not a story.
    fn crawl() -> Vec<Vec<u8>> {
        let d1 = "2020-01-01T10:00:00Z";
        vec![
            record(
                "warcinfo",
                "",
                d1,
                "application/warc-fields",
                b"software: test\r\n",
            ),
            record(
                "request",
                "https://news.example/a",
                d1,
                "application/http; msgtype=request",
                b"GET /a HTTP/1.1\r\n\r\n",
            ),
            response(
                "https://news.example/a",
                d1,
                "200 OK",
                HTML,
                page("First story").as_bytes(),
            ),
            response(
                "https://news.example/b",
                d1,
                "200 OK",
                HTML,
                page("Second story").as_bytes(),
            ),
            response(
                "https://news.example/old",
                d1,
                "301 Moved",
                "Location: /a\r\n",
                b"",
            ),
            response(
                "https://news.example/x",
                d1,
                "404 Not Found",
                HTML,
                page("Not found").as_bytes(),
            ),
            response(
                "https://news.example/i.jpg",
                d1,
                "200 OK",
                "Content-Type: image/jpeg\r\n",
                &[0xff, 0xd8, 0, 1],
            ),
            record(
                "revisit",
                "https://news.example/a",
                d1,
                "application/http; msgtype=response",
                b"HTTP/1.1 200 OK\r\n\r\n",
            ),
            response(
                "https://news.example/a#frag",
                "2020-02-01T10:00:00Z",
                "200 OK",
                HTML,
                page("First story, updated").as_bytes(),
            ),
            record(
                "metadata",
                "https://news.example/a",
                d1,
                "application/warc-fields",
                b"x: 1\r\n",
            ),
        ]
    }

    fn load(name: &str, bytes: &[u8]) -> (Vec<Article>, Vec<LoadError>) {
        load_bytes(Path::new(name), bytes)
    }

    #[test]
    fn stories_of_a_plain_and_a_packed_crawl() {
        let recs = crawl();
        let plain = recs.concat();
        let packed: Vec<u8> = recs.iter().flat_map(|r| gz(r)).collect();
        for bytes in [plain, packed] {
            let (a, p) = load("c.warc", &bytes);
            let titles: Vec<&str> = a.iter().map(|a| a.title.as_str()).collect();
            assert_eq!(titles, vec!["First story, updated", "Second story"]);
            assert_eq!(a[0].url.as_deref(), Some("https://news.example/a"));
            // the page states no date: none of its own; the capture's time beside it
            assert_eq!(a[0].date, None);
            assert_eq!(a[0].captured.as_deref(), Some("2020-02-01T10:00:00Z"));
            assert_eq!(a[0].list_date().as_deref(), Some("2020-02-01"));
            // both captures of its URL, oldest first, each with its record's place
            let caps: Vec<&str> = a[0].captures.iter().map(|c| c.date.as_str()).collect();
            assert_eq!(caps, vec!["2020-01-01T10:00:00Z", "2020-02-01T10:00:00Z"]);
            assert!(a[0].captures.iter().all(|c| c.place.starts_with("byte ")));
            assert_ne!(a[0].captures[0].place, a[0].captures[1].place);
            assert_eq!(a[1].captures.len(), 1);
            assert_eq!(a[0].source.as_deref(), Some("news.example"));
            assert_eq!((a[0].index_in_file, a[1].index_in_file), (0, 1));
            assert!(a[0].extracted);
            assert_eq!(p.len(), 1, "{p:?}");
            assert_eq!(p[0].at.as_deref(), Some("10 records"));
            assert_eq!(
                p[0].reason,
                "8 not stories: 1 warcinfo records, 1 requests, 1 redirects, 1 error answers, 1 images, 1 revisits, 1 metadata records, 1 earlier captures"
            );
        }
    }

    /// The latest capture met first: an older one after it is not read, but listed.
    #[test]
    fn every_capture_is_listed_whatever_the_order() {
        let later = response(
            "https://news.example/a",
            "2020-03-01T00:00:00Z",
            "200 OK",
            HTML,
            page("Latest").as_bytes(),
        );
        let older = |d: &str| {
            response(
                "https://news.example/a",
                d,
                "200 OK",
                HTML,
                page("Older").as_bytes(),
            )
        };
        let recs = [
            older("2020-02-01T00:00:00Z"),
            later,
            older("2020-01-01T00:00:00Z"),
        ];
        let plain = recs.concat();
        let (a, _) = load("c.warc", &plain);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].title, "Latest");
        let caps: Vec<&str> = a[0].captures.iter().map(|c| c.date.as_str()).collect();
        assert_eq!(
            caps,
            vec![
                "2020-01-01T00:00:00Z",
                "2020-02-01T00:00:00Z",
                "2020-03-01T00:00:00Z"
            ]
        );
        // the places are the records' byte offsets, in the file's order
        let at = |i: usize| recs[..i].iter().map(Vec::len).sum::<usize>();
        let places: Vec<&str> = a[0].captures.iter().map(|c| c.place.as_str()).collect();
        assert_eq!(
            places,
            vec![
                format!("byte {}", at(2)),
                format!("byte {}", at(0)),
                format!("byte {}", at(1))
            ]
        );
    }

    #[test]
    fn encodings_chunks_and_charsets() {
        let body = page("Packed story");
        let mut chunked = Vec::new();
        let z = gz(body.as_bytes());
        for part in z.chunks(100) {
            chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
            chunked.extend_from_slice(part);
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        let latin = page("Caf\u{e9} owners fight")
            .chars()
            .map(|c| c as u32 as u8)
            .collect::<Vec<u8>>();
        let d = "2020-01-01T10:00:00Z";
        let bytes = [
            response("https://n.example/1", d, "200 OK", "Content-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", &chunked),
            response("https://n.example/2", d, "200 OK", "Content-Type: text/html\r\nX-Crawler-Content-Encoding: gzip\r\nX-Crawler-Transfer-Encoding: chunked\r\n", page("Common Crawl story").as_bytes()),
            response("https://n.example/3", d, "200 OK", "Content-Type: text/html; charset=ISO-8859-1\r\n", &latin),
            record("resource", "https://n.example/4", d, "text/html", page("A resource").as_bytes()),
        ]
        .concat();
        let (a, p) = load("e.warc", &bytes);
        let titles: Vec<&str> = a.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "Packed story",
                "Common Crawl story",
                "Caf\u{e9} owners fight",
                "A resource"
            ]
        );
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn a_page_of_links_is_counted_not_listed() {
        let links: String = (0..40)
            .map(|i| format!("<li><a href=\"/s{i}\">Story {i} of the day</a></li>"))
            .collect();
        let front = format!("<html><head><title>Front</title></head><body><h1>Latest news</h1><ul>{links}</ul></body></html>");
        let (a, p) = load(
            "f.warc",
            &response(
                "https://n.example/",
                "2020-01-01T00:00:00Z",
                "200 OK",
                HTML,
                front.as_bytes(),
            ),
        );
        assert!(a.is_empty());
        assert_eq!(p[0].reason, "1 not stories: 1 pages of links");
    }

    #[test]
    fn a_cut_file_keeps_the_records_before_and_names_the_offset() {
        let recs = crawl();
        let plain = recs.concat();
        let cut = plain.len() - 200; // inside the updated capture
        let (a, p) = load("cut.warc", &plain[..cut]);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "First story");
        let offset: usize = recs[..8].iter().map(Vec::len).sum();
        let cut_short = p
            .iter()
            .find(|p| p.reason.starts_with("record cut short"))
            .unwrap();
        assert_eq!(
            cut_short.at.as_deref(),
            Some(format!("byte {offset}").as_str())
        );

        let members: Vec<Vec<u8>> = recs.iter().map(|r| gz(r)).collect();
        let packed = members.concat();
        let (a, p) = load(
            "cut.warc.gz",
            &packed[..packed.len() - members[9].len() - 10],
        );
        assert_eq!(a.len(), 2, "{p:?}");
        let offset: usize = members[..8].iter().map(Vec::len).sum();
        assert!(
            p.iter().any(|p| p
                .at
                .as_deref()
                .is_some_and(|a| a.starts_with(&format!("byte {offset}")))
                && p.reason.contains("cut short")),
            "{p:?}"
        );
    }

    #[test]
    fn reading_goes_on_after_a_broken_record_or_member() {
        let recs = crawl();
        // a record with no Content-Length, then garbage, then good records
        let mut plain = b"WARC/1.0\r\nWARC-Type: response\r\n\r\nsome body\r\n\r\n".to_vec();
        plain.extend_from_slice(b"garbage that is not WARC\r\n");
        plain.extend_from_slice(&recs.concat());
        let (a, p) = load("b.warc", &plain);
        assert_eq!(a.len(), 2, "{p:?}");
        assert!(p
            .iter()
            .any(|p| p.at.as_deref() == Some("byte 0") && p.reason.contains("Content-Length")));

        // a corrupt gzip member in the middle
        let mut members: Vec<Vec<u8>> = recs.iter().map(|r| gz(r)).collect();
        let m = &mut members[3]; // the second story
        let mid = m.len() / 2;
        for b in &mut m[mid..mid + 8] {
            *b ^= 0x55;
        }
        let offset: usize = members[..3].iter().map(Vec::len).sum();
        let (a, p) = load("b.warc.gz", &members.concat());
        let titles: Vec<&str> = a.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, vec!["First story, updated"], "{p:?}");
        assert!(
            p.iter().any(|p| p
                .at
                .as_deref()
                .is_some_and(|a| a.starts_with(&format!("byte {offset}")))),
            "{p:?}"
        );
    }

    #[test]
    fn a_story_of_a_listed_crawl_is_read_from_its_record() {
        let dir = tempfile::tempdir().unwrap();
        let recs = crawl();
        let packed: Vec<u8> = recs.iter().flat_map(|r| gz(r)).collect();
        for (name, bytes) in [("c.warc", recs.concat()), ("c.warc.gz", packed)] {
            let p = dir.path().join(name);
            std::fs::write(&p, &bytes).unwrap();
            assert!(load_story(&p, 0).is_none()); // not listed yet
            let (all, _) = load_path(&p);
            assert_eq!(all.len(), 2);
            for (i, a) in all.iter().enumerate() {
                // read from its one record, a story knows that capture only (the one
                // shown); `explain` reads the crawl for the others
                let mut one = load_story(&p, i).expect("read from its record");
                assert_eq!(one.captures.as_slice(), &a.captures[a.captures.len() - 1..]);
                one.captures.clone_from(&a.captures);
                assert_eq!(&one, a, "{name} {i}");
            }
            assert!(load_story(&p, 2).is_none());
            std::fs::write(&p, [&bytes[..], b"\r\n"].concat()).unwrap();
            assert!(load_story(&p, 0).is_none()); // changed since
        }
    }

    #[test]
    fn junk_never_panics() {
        let recs = crawl().concat();
        let packed: Vec<u8> = crawl().iter().flat_map(|r| gz(r)).collect();
        for bytes in [&recs[..], &packed[..]] {
            for cut in (0..bytes.len()).step_by(97) {
                load("j.warc", &bytes[..cut]);
            }
        }
        let (a, p) = load("e.warc", b"");
        assert!(a.is_empty() && p[0].reason.contains("no WARC records"));
        let (a, p) = load("t.warc", b"just some text\nand more");
        assert!(a.is_empty() && !p.is_empty());
        let (_, p) = load(
            "h.warc",
            b"WARC/1.0\r\nContent-Length: 99999999999999\r\n\r\nx",
        );
        assert!(!p.is_empty());
    }
}
