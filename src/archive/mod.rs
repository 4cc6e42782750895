//! A folder of stories: finding the files, loading them, gathering the archive-wide
//! evidence, and cleaning every story with it; the reading state ([`state`]) and the
//! index that lists and searches big archives fast ([`index`]).

pub mod db;
pub mod entry;
pub mod index;
pub mod search;
pub mod state;

pub use db::{DbError, DbResult};
pub use entry::{Entry, EntryBuilder};
pub use index::{Index, Refresh};
pub use search::Hit;
pub use state::{Key, Store, StoryId, StoryState};

use crate::article::{self, Article, LoadError};
use crate::clean::{self, Cleaned, Evidence, Options};
use crate::text::find_date;
use std::path::{Path, PathBuf};

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
        let authors = self.authors();
        if !authors.is_empty() {
            parts.push(authors.join(", "));
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
/// skipped), files as named. A named path that does not exist is a problem.
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
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, each),
            Ok(_) => each(Ok(p.clone())),
            Err(e) => each(Err(LoadError {
                path: p.clone(),
                at: None,
                reason: e.to_string(),
            })),
        }
    }
}

fn walk(dir: &Path, each: &mut dyn FnMut(Result<PathBuf, LoadError>)) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            each(Err(LoadError {
                path: dir.to_path_buf(),
                at: None,
                reason: format!("cannot read folder: {e}"),
            }));
            return;
        }
    };
    let mut list: Vec<(std::ffi::OsString, bool)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().as_encoded_bytes().starts_with(b"."))
        .map(|e| {
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            (e.file_name(), is_dir)
        })
        .collect();
    // by name, which within one folder is path order
    list.sort_unstable_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));
    for (name, is_dir) in list {
        let path = dir.join(name);
        if is_dir {
            walk(&path, each);
        } else if article::format_of(&path).is_some() {
            each(Ok(path));
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

/// A date the text states near its top, else the file's modification time.
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
            let m = match mtime {
                Some(m) => m,
                None => std::fs::metadata(&a.path).ok()?.modified().ok()?,
            };
            Some(crate::text::date_of(m))
        });
}

/// Clean a set of articles together, so the archive-wide evidence is used.
pub fn clean_all(articles: Vec<Article>, opts: &Options) -> Vec<Story> {
    use rayon::prelude::*;
    let ev = Evidence::gather(&articles);
    articles
        .into_par_iter()
        .map(|article| {
            let cleaned = clean::clean(&article, &ev, opts);
            Story { article, cleaned }
        })
        .collect()
}

/// Find, load and clean everything under `paths`.
pub fn open(paths: &[PathBuf], opts: &Options) -> Archive {
    let (files, mut problems) = find_files(paths);
    let (articles, p2) = load_all(&files);
    problems.extend(p2);
    Archive {
        stories: clean_all(articles, opts),
        problems,
    }
}
