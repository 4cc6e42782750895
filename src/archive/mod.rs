//! A folder of stories: finding the files, loading them, gathering the archive-wide
//! evidence, and cleaning every story with it; the reading state ([`state`]) and the
//! index that lists and searches big archives fast ([`index`]).

pub mod db;
pub mod entry;
pub mod index;
pub mod list;
pub mod paths;
pub mod scan;
pub mod search;
pub mod state;

pub use db::{DbError, DbResult};
pub use entry::{Entry, EntryBuilder};
pub use index::{refresh::Refresh, Index};
pub use search::Hit;
pub use state::{Key, Store, StoryId, StoryState};

use crate::article::{self, Article, LoadError, ProblemKind};
use crate::clean::{self, Cleaned, Evidence, Options};
use crate::text::find_date;
use std::path::{Path, PathBuf};

/// What the meta line says of a story that is only its feed's summary.
pub const SUMMARY_ONLY: &str = "feed summary only";

/// A story: the article as stored and the cleaner's decisions about it.
#[derive(Debug, Clone)]
pub struct Story {
    /// The article as loaded.
    pub article: Article,
    /// Every block, shown or hidden.
    pub cleaned: Cleaned,
}

impl Story {
    /// The source: stored metadata, else the lone source line the text states.
    pub fn source(&self) -> Option<&str> {
        self.article
            .source
            .as_deref()
            .or(self.cleaned.source_line.as_deref())
    }
    /// Authors: stored metadata, else a byline.
    pub fn authors(&self) -> Vec<String> {
        if !self.article.authors.is_empty() {
            return self.article.authors.clone();
        }
        self.cleaned.byline.iter().cloned().collect()
    }
    /// The parts of a meta line that come from the story: source, date ("28 Feb 2020"),
    /// authors. The CLI joins them; the reader adds reading time and hidden count.
    pub fn meta_parts(&self) -> Vec<String> {
        let mut parts: Vec<String> = Vec::new();
        if let Some(src) = self.source() {
            parts.push(src.to_string());
        }
        if let Some(d) = &self.article.date {
            parts.push(crate::text::pretty_date(d));
        }
        if let Some(c) = self
            .article
            .captured
            .as_deref()
            .and_then(crate::article::meta::date)
        {
            parts.push(format!("captured {}", crate::text::pretty_date(&c)));
        }
        let authors = self.authors();
        if !authors.is_empty() {
            parts.push(authors.join(", "));
        }
        if self.article.summary_only {
            parts.push(SUMMARY_ONLY.into());
        }
        parts
    }
    /// Words shown as the story.
    pub fn word_count(&self) -> usize {
        self.cleaned
            .body()
            .map(|d| crate::text::words(&d.text).count())
            .sum()
    }
}

/// Every story found under some paths, and every file that could not be read.
#[derive(Debug, Default)]
pub struct Archive {
    /// The stories, in path order.
    pub stories: Vec<Story>,
    /// Files (or parts of files) that failed to load.
    pub problems: Vec<LoadError>,
}

/// Find the files to load under the given paths: folders recursively (hidden entries
/// skipped), files as named. A named path that does not exist is a problem, and so is a
/// FIFO, device or socket (or a link to one) with a name of a format broadsheet reads:
/// only regular files are read.
pub fn find_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<LoadError>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    find_each(paths, &mut |found| match found {
        Ok(f) => files.push(f),
        Err(e) => problems.push(e),
    });
    (files, problems)
}

/// [`find_files`], handing each file (or problem) over as it is found, in the same order.
pub(crate) fn find_each(paths: &[PathBuf], each: &mut dyn FnMut(Result<PathBuf, LoadError>)) {
    find_each_at(paths, false, &mut |found| each(found.map(|f| f.path)));
}

/// A file found in a walk: its path, and the folder it is in, held open when the walk was
/// asked to (so the file can be opened by its name in it, without the kernel looking up
/// every folder of its path again).
pub(crate) struct WalkedFile {
    /// The file, as found under the paths given.
    pub path: PathBuf,
    /// Its folder, open.
    pub dir: Option<std::sync::Arc<HeldDir>>,
    /// The format its name names ([`article::format_of`]).
    pub format: Option<article::Format>,
    /// The length of its name, the end of `path` (when `dir` is held).
    name_len: usize,
}

impl WalkedFile {
    /// A file named as it is, not found in a folder.
    fn named(path: &Path) -> WalkedFile {
        WalkedFile {
            path: path.to_path_buf(),
            dir: None,
            format: article::format_of(path),
            name_len: 0,
        }
    }

    /// Its name (the last part of its path).
    fn name(&self) -> &[u8] {
        let p = self.path.as_os_str().as_encoded_bytes();
        &p[p.len() - self.name_len..]
    }

    /// Does its name end in `.gz` (any case)?
    pub fn is_gz_name(&self) -> bool {
        let p = self.path.as_os_str().as_encoded_bytes();
        if self.dir.is_none() {
            return self
                .path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        }
        // a held folder's files are named, never hidden: `.gz` itself is not one
        let name = self.name();
        name.len() > 3 && p[p.len() - 3..].eq_ignore_ascii_case(b".gz")
    }

    /// Open the file for reading: by name in its folder when that is held open.
    pub fn open(&self) -> std::io::Result<std::fs::File> {
        #[cfg(unix)]
        if let Some(dir) = &self.dir {
            use rustix::fs::{openat, Mode, OFlags};
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(self.name());
            // without blocking: a file swapped for a FIFO since the walk cannot hang
            let fd = openat(
                &dir.0,
                name,
                OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK,
                Mode::empty(),
            )?;
            return Ok(std::fs::File::from(fd));
        }
        let mut o = std::fs::OpenOptions::new();
        o.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
        }
        o.open(&self.path)
    }
}

/// A folder held open by a walk. At most [`MAX_HELD`] at once (files found wait in
/// batches, each holding its folder), so they never take the descriptors the files need.
#[cfg_attr(not(unix), allow(dead_code))]
pub(crate) struct HeldDir(std::fs::File);

/// Folders held open at once, at most.
const MAX_HELD: usize = 64;
/// Folders with fewer entries are not held open: the open would cost more than it saves.
const HOLD_FROM: usize = 8;
static HELD: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl HeldDir {
    fn open(dir: &Path) -> Option<HeldDir> {
        use std::sync::atomic::Ordering;
        if HELD.fetch_add(1, Ordering::Relaxed) >= MAX_HELD {
            HELD.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        match std::fs::File::open(dir) {
            Ok(f) => Some(HeldDir(f)),
            Err(_) => {
                HELD.fetch_sub(1, Ordering::Relaxed);
                None
            }
        }
    }
}

impl Drop for HeldDir {
    fn drop(&mut self) {
        HELD.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// [`find_each`], with each file's folder held open when `open_dirs` is set (a folder that
/// cannot be opened so leaves its files to be opened by path).
pub(crate) fn find_each_at(
    paths: &[PathBuf],
    open_dirs: bool,
    each: &mut dyn FnMut(Result<WalkedFile, LoadError>),
) {
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, open_dirs, each),
            Ok(m) if m.is_file() => each(Ok(WalkedFile::named(p))),
            Ok(m) => each(Err(article::limits::not_regular(p, m.file_type()))),
            Err(e) => each(Err(LoadError {
                path: p.clone(),
                at: None,
                kind: ProblemKind::Unreadable,
                reason: e.to_string(),
            })),
        }
    }
}

fn walk(dir: &Path, open_dirs: bool, each: &mut dyn FnMut(Result<WalkedFile, LoadError>)) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            each(Err(LoadError {
                path: dir.to_path_buf(),
                at: None,
                kind: ProblemKind::Unreadable,
                reason: format!("cannot read folder: {e}"),
            }));
            return;
        }
    };
    // each entry's path (one allocation) and where its name starts: after the last `/`
    let name_at = |p: &Path| {
        let b = p.as_os_str().as_encoded_bytes();
        b.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1)
    };
    let mut list: Vec<(PathBuf, Option<std::fs::FileType>)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let path = e.path();
            if path.as_os_str().as_encoded_bytes()[name_at(&path)..].starts_with(b".") {
                return None;
            }
            Some((path, e.file_type().ok()))
        })
        .collect();
    // by name, which within one folder is path order
    list.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    let held = if open_dirs && list.len() >= HOLD_FROM {
        HeldDir::open(dir).map(std::sync::Arc::new)
    } else {
        None
    };
    for (path, file_type) in list {
        if file_type.is_some_and(|t| t.is_dir()) {
            walk(&path, open_dirs, each);
            continue;
        }
        let format = article::format_of(&path);
        if format.is_some() {
            // a link is followed only to a regular file; anything else is not read
            let target = match file_type {
                Some(t) if t.is_file() => Ok(t),
                _ => std::fs::metadata(&path).map(|m| m.file_type()),
            };
            match target {
                Ok(t) if t.is_file() => {}
                Ok(t) => {
                    each(Err(article::limits::not_regular(&path, t)));
                    continue;
                }
                Err(e) => {
                    each(Err(LoadError {
                        path,
                        at: None,
                        kind: ProblemKind::Unreadable,
                        reason: format!("cannot read: {e}"),
                    }));
                    continue;
                }
            }
            let name_len = path.as_os_str().len() - name_at(&path);
            each(Ok(WalkedFile {
                path,
                dir: held.clone(),
                format,
                name_len,
            }));
        }
    }
}

/// Load every file (in parallel), fill in metadata the text states, and report problems.
/// Articles and problems come back in the order of `files`.
pub fn load_all(files: &[PathBuf]) -> (Vec<Article>, Vec<LoadError>) {
    use rayon::prelude::*;
    let loaded: Vec<article::Loaded> = files
        .par_iter()
        .map(|f| {
            let mut l = article::load_file(f);
            for a in &mut l.articles {
                fill_date(a);
            }
            l
        })
        .collect();
    let mut articles = Vec::with_capacity(loaded.len());
    let mut problems = Vec::new();
    for l in loaded {
        articles.extend(l.articles);
        problems.extend(l.problems);
    }
    (articles, problems)
}

/// Story `index_in_file` of a file read alone, as [`load_all`] gives it, where the format
/// allows (a WARC's record whose place is known); `None`: load the file.
pub fn load_story(path: &Path, index_in_file: usize) -> Option<Article> {
    let mut a = article::load_story(path, index_in_file)?;
    fill_date(&mut a);
    Some(a)
}

/// A date the text states near its top, else the file's modification time (not for a
/// captured page: the day it was captured dates it, [`Article::list_date`]; the web
/// archive's file time says nothing of it).
fn fill_date(a: &mut Article) {
    fill_date_with(a, None)
}

/// [`fill_date`], with the file's modification time when the caller has it already.
fn fill_date_with(a: &mut Article, mtime: Option<std::time::SystemTime>) {
    if a.date.is_some() {
        return;
    }
    // a stated date holds a year of four digits: most paragraphs are passed over at once
    let may_hold_a_date = |t: &str| t.bytes().filter(u8::is_ascii_digit).nth(3).is_some();
    a.date = a
        .blocks
        .iter()
        .take(4)
        .filter(|b| may_hold_a_date(&b.text))
        .find_map(|b| find_date(&b.text))
        .or_else(|| {
            if a.captured.is_some() {
                return None;
            }
            let m = match mtime {
                Some(m) => m,
                None => std::fs::metadata(&a.path).ok()?.modified().ok()?,
            };
            Some(crate::text::date_of(m))
        });
}

/// Clean a set of articles together, so the archive-wide evidence is used.
pub fn clean_all(articles: Vec<Article>, opts: &Options) -> Vec<Story> {
    clean_all_reporting(articles, opts).0
}

/// [`clean_all`], with the problems met: a story the cleaner fails on (a bug, caught) is
/// shown as stored, every block, and reported; the others are cleaned as usual.
pub fn clean_all_reporting(articles: Vec<Article>, opts: &Options) -> (Vec<Story>, Vec<LoadError>) {
    use rayon::prelude::*;
    let ev = Evidence::gather(&articles);
    let cleaned: Vec<(Story, Option<LoadError>)> = articles
        .into_par_iter()
        .map(|article| {
            match article::guarded(&article.path, || clean::clean(&article, &ev, opts)) {
                Ok(cleaned) => (Story { article, cleaned }, None),
                Err(_) => {
                    let why = "could not be cleaned: an internal error; shown as stored";
                    let problem = LoadError {
                        path: article.path.clone(),
                        at: None,
                        kind: ProblemKind::Internal,
                        reason: why.into(),
                    };
                    let cleaned = Cleaned::all_shown(&article, why);
                    (Story { article, cleaned }, Some(problem))
                }
            }
        })
        .collect();
    let problems = cleaned.iter().filter_map(|(_, p)| p.clone()).collect();
    (cleaned.into_iter().map(|(s, _)| s).collect(), problems)
}

/// Find, load and clean everything under `paths`.
pub fn open(paths: &[PathBuf], opts: &Options) -> Archive {
    let (files, mut problems) = find_files(paths);
    let (articles, p2) = load_all(&files);
    problems.extend(p2);
    let (stories, p3) = clean_all_reporting(articles, opts);
    problems.extend(p3);
    Archive { stories, problems }
}
