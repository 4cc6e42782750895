//! The article model and one loader per stored format.
//!
//! A loader turns the bytes of one file into zero or more [`Article`]s, or a
//! [`LoadError`] naming the file and the reason. Loaders never touch the terminal and
//! never change the file.

pub mod txt;

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
}

/// Why a file could not be loaded (or loaded only in part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file.
    pub path: PathBuf,
    /// Where in the file, when known (e.g. "line 3").
    pub at: Option<String>,
    /// What is wrong, for a person.
    pub reason: String,
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
}

/// The formats broadsheet reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text in the seed's layout.
    Text,
}

/// The format a path's extension names, if it is one broadsheet reads.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(Format::Text),
        _ => None,
    }
}

/// Load one file of a known format. Never panics on bad input.
pub fn load_file(path: &Path) -> Loaded {
    let mut out = Loaded::default();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            out.problems
                .push(err(path, None, format!("cannot read: {e}")));
            return out;
        }
    };
    let format = format_of(path).unwrap_or(Format::Text);
    match format {
        Format::Text => match txt::parse(path, &bytes) {
            Ok((article, warning)) => {
                out.articles.push(article);
                out.problems.extend(warning);
            }
            Err(e) => out.problems.push(e),
        },
    }
    out
}

/// Decode bytes as UTF-8 (dropping a BOM); invalid sequences are replaced and reported.
pub fn decode(path: &Path, bytes: &[u8]) -> (String, Option<LoadError>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), None),
        Err(e) => {
            let warning = err(
                path,
                Some(format!("byte {}", e.valid_up_to())),
                "invalid UTF-8, shown with replacement characters".into(),
            );
            (String::from_utf8_lossy(bytes).into_owned(), Some(warning))
        }
    }
}

/// True when bytes look like a binary file rather than text (NUL bytes, or many control bytes).
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls > 8 && controls * 10 > head.len()
}

pub(crate) fn err(path: &Path, at: Option<String>, reason: String) -> LoadError {
    LoadError {
        path: path.to_path_buf(),
        at,
        reason,
    }
}
