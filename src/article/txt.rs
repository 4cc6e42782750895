//! Plain text in the seed's layout: the title on the first line, a blank line, then
//! paragraphs separated by blank lines. Hard-wrapped paragraphs are joined; list lines
//! (`- `, `* `, `• `, `1. `) are kept as lines.

use super::{text_input, Article, Block, LoadError, Markup};
use crate::text::sanitize;
use std::path::Path;

/// Parse a plain-text article. The warning, if any, is about invalid UTF-8.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<(Article, Option<LoadError>), LoadError> {
    let (text, warning) = text_input(path, bytes, "text")?;
    let text = sanitize(&text.replace("\r\n", "\n").replace('\r', "\n"));
    let mut paras = paragraphs(&text).into_iter();
    let title_block = paras.next().unwrap_or_default();
    // The title is the first line; anything else in the first paragraph is a block.
    let mut lines = title_block.lines();
    let title = lines.next().unwrap_or_default().trim().to_string();
    let rest: Vec<&str> = lines.collect();
    let mut blocks = Vec::new();
    if !rest.is_empty() {
        blocks.push(join_lines(&rest));
    }
    for p in paras {
        let lines: Vec<&str> = p.lines().collect();
        super::limits::push_block(&mut blocks, join_lines(&lines));
    }
    let article = Article {
        path: path.to_path_buf(),
        title: if title.is_empty() {
            file_title(path)
        } else {
            title
        },
        blocks,
        ..Article::default()
    };
    Ok((article, warning))
}

/// A title made from a file name: `003_harbour-ferry_fares.txt` -> "harbour ferry fares".
pub fn file_title(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("untitled");
    let stem = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '_' || c == '-');
    let t = stem.replace(['_', '-'], " ");
    if t.trim().is_empty() {
        "untitled".into()
    } else {
        t.trim().to_string()
    }
}

/// Split text into paragraphs at blank lines (lines holding only white space count).
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                super::limits::push_block(&mut out, cur.join("\n"));
                cur.clear();
            }
        } else {
            cur.push(line.trim_end());
        }
    }
    if !cur.is_empty() {
        super::limits::push_block(&mut out, cur.join("\n"));
    }
    out
}

/// A list line: a bullet or a number followed by a space.
pub(crate) fn is_list_line(line: &str) -> bool {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix(['-', '*', '•', '–', '·']) {
        return rest.starts_with(' ');
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && digits < 4 && {
        let rest = &t[digits..];
        rest.starts_with(". ") || rest.starts_with(") ")
    }
}

/// Join the lines of one paragraph: wrapped prose becomes one line; list lines stay lines.
pub(crate) fn join_lines(lines: &[&str]) -> Block {
    let listy =
        lines.len() > 1 && lines.iter().filter(|l| is_list_line(l)).count() * 2 >= lines.len();
    if listy {
        // keep each item on its line; continuation lines join the item above
        let mut items: Vec<String> = Vec::new();
        for l in lines {
            if is_list_line(l) || items.is_empty() {
                items.push(l.trim().to_string());
            } else if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(l.trim());
            }
        }
        return Block {
            text: items.join("\n"),
            markup: Markup::ListItem,
        };
    }
    let mut s = String::new();
    for l in lines {
        let l = l.trim();
        if s.ends_with('-') && !s.ends_with(" -") && l.starts_with(|c: char| c.is_lowercase()) {
            // a word hyphenated at the wrap: keep the hyphen (we cannot know it was soft)
        } else if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(l);
    }
    Block {
        text: s,
        markup: if lines.len() == 1 && is_list_line(lines[0]) {
            Markup::ListItem
        } else {
            Markup::Paragraph
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(s: &[u8]) -> Article {
        parse(Path::new("x.txt"), s).unwrap().0
    }

    #[test]
    fn title_then_paragraphs() {
        let a = load(b"Title here\n\nOne para.\n\nTwo para.\n");
        assert_eq!(a.title, "Title here");
        assert_eq!(
            a.blocks,
            vec![Block::para("One para."), Block::para("Two para.")]
        );
    }

    #[test]
    fn hard_wrapped_lines_are_joined() {
        let a = load(b"T\n\nThe council met on\nTuesday and  voted.\n");
        assert_eq!(a.blocks[0].text, "The council met on Tuesday and  voted.");
    }

    #[test]
    fn list_lines_are_kept() {
        let a = load(b"T\n\n- first item\n- second item\n  continues\n");
        assert_eq!(a.blocks[0].text, "- first item\n- second item continues");
        assert_eq!(a.blocks[0].markup, Markup::ListItem);
    }

    #[test]
    fn crlf_and_bom() {
        let a = load(b"\xEF\xBB\xBFTitle\r\n\r\nBody one.\r\n\r\nBody two.\r\n");
        assert_eq!(a.title, "Title");
        assert_eq!(a.blocks.len(), 2);
        assert_eq!(a.blocks[1].text, "Body two.");
    }

    #[test]
    fn invalid_utf8_is_replaced_with_a_warning() {
        let (a, w) = parse(Path::new("bad.txt"), b"Caf\xe9\n\nBody.\n").unwrap();
        assert_eq!(a.title, "Caf\u{FFFD}");
        assert!(w.unwrap().to_string().contains("invalid UTF-8"));
    }

    #[test]
    fn empty_and_binary_files_are_errors() {
        let e = parse(Path::new("e.txt"), b"  \n\n").unwrap_err();
        assert_eq!(e.to_string(), "e.txt: empty file");
        let e = parse(Path::new("b.txt"), b"\x00\x01\x02PNG").unwrap_err();
        assert!(e.reason.contains("binary"));
    }

    #[test]
    fn escape_sequences_never_survive() {
        let a = load(b"Ti\x1b]0;pwned\x07tle\n\n\x1b[2JBody.\n");
        assert!(!a.title.contains('\x1b') && !a.blocks[0].text.contains('\x1b'));
    }

    #[test]
    fn title_from_file_name() {
        assert_eq!(
            file_title(Path::new("a/003_ferry-fares_rise.txt")),
            "ferry fares rise"
        );
    }
}
