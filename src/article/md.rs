//! Markdown: optional front matter (TOML between `+++` lines, or YAML-style `key: value`
//! lines between `---` lines), a `# ` title, `## ` headings, paragraphs separated by blank
//! lines (hard-wrapped lines joined), list items kept as lines, `> ` quotes.
//!
//! The YAML-style front matter is read by a small parser of its own: `key: value`, quoted
//! or plain scalars, inline lists `[a, b]` and block lists of `- item` lines. That is what
//! static-site generators and scrapers write; anything else is reported with its line.

use super::{err, meta, text_input, Article, Block, LoadError, Markup, ProblemKind};
use crate::text::{norm_key, sanitize};
use std::path::Path;

/// A front-matter value: text or a list of texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// One value.
    Text(String),
    /// A list of values.
    List(Vec<String>),
}

/// Front-matter keys and values, in file order.
pub type FrontMatter = Vec<(String, Value)>;

/// Parse a Markdown article. The warning, if any, is about invalid UTF-8.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<(Article, Option<LoadError>), LoadError> {
    let (text, warning) = text_input(path, bytes, "text")?;
    let text = sanitize(
        &text
            .replace("\r\n", "\n")
            .replace(['\r', '\u{2028}', '\u{2029}'], "\n"),
    );
    // front matter is read from the lines up to its closing fence; the body's lines are
    // walked, never collected (30 MB of blank lines made 480 MB of line slices)
    let mut lines = text.lines();
    let mut head: Vec<&str> = lines.next().into_iter().collect();
    if head
        .first()
        .is_some_and(|l| matches!(l.trim_end(), "+++" | "---"))
    {
        let fence = head[0].trim_end();
        for l in lines.by_ref() {
            head.push(l);
            if l.trim_end() == fence {
                break;
            }
        }
    }
    let (front, body_start) = front_matter(&head).map_err(|(line, reason)| {
        err(
            ProblemKind::Malformed,
            path,
            Some(format!("line {line}")),
            reason,
        )
    })?;

    let mut article = Article {
        path: path.to_path_buf(),
        ..Article::default()
    };
    apply_front_matter(&mut article, &front);

    let mut blocks = body_blocks(
        head[body_start.min(head.len())..]
            .iter()
            .copied()
            .chain(lines),
    );
    // the first `# ` heading is the title (or repeats it)
    if let Some(pos) = blocks.iter().position(|(level, _)| *level == 1) {
        let before_prose = blocks[..pos].iter().all(|(l, _)| *l > 0);
        let text = blocks[pos].1.text.clone();
        if article.title.is_empty() && before_prose {
            article.title = text;
            blocks.remove(pos);
        } else if norm_key(&text) == norm_key(&article.title) {
            blocks.remove(pos);
        }
    }
    if article.title.is_empty() {
        article.title = super::txt::file_title(path);
    }
    article.blocks = blocks.into_iter().map(|(_, b)| b).collect();
    Ok((article, warning))
}

/// Find and parse front matter. Returns the pairs and the index of the first body line;
/// errors carry a 1-based line number.
pub fn front_matter(lines: &[&str]) -> Result<(FrontMatter, usize), (usize, String)> {
    let Some(first) = lines.first() else {
        return Ok((Vec::new(), 0));
    };
    let fence = match first.trim_end() {
        "+++" => "+++",
        "---" => "---",
        _ => return Ok((Vec::new(), 0)),
    };
    let Some(close) = lines[1..].iter().position(|l| l.trim_end() == fence) else {
        return Err((
            1,
            format!("front matter opened with {fence} is never closed"),
        ));
    };
    let inner = &lines[1..1 + close];
    let pairs = if fence == "+++" {
        toml_front(inner)?
    } else {
        yaml_front(inner)?
    };
    Ok((pairs, close + 2))
}

fn toml_front(inner: &[&str]) -> Result<FrontMatter, (usize, String)> {
    let src = inner.join("\n");
    let table: toml::Table = src.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map(|s| src[..s.start.min(src.len())].matches('\n').count() + 2)
            .unwrap_or(1);
        (line, format!("bad TOML front matter: {}", e.message()))
    })?;
    let mut out = Vec::new();
    for (k, v) in table {
        let v = match v {
            toml::Value::Array(a) => Value::List(a.iter().filter_map(toml_scalar).collect()),
            v => match toml_scalar(&v) {
                Some(s) => Value::Text(s),
                None => continue,
            },
        };
        out.push((k, v));
    }
    Ok(out)
}

fn toml_scalar(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::Table(t) => t.get("name").and_then(toml_scalar),
        toml::Value::Array(_) => None,
    }
}

/// The YAML subset: `key: value`, `key:` followed by `- item` lines, `key: [a, b]`,
/// comments and blank lines. Line numbers count the opening fence as line 1.
fn yaml_front(inner: &[&str]) -> Result<FrontMatter, (usize, String)> {
    let mut out: FrontMatter = Vec::new();
    for (i, raw) in inner.iter().enumerate() {
        let lineno = i + 2;
        let line = raw.trim_end();
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(item) = t
            .strip_prefix("- ")
            .or(if t == "-" { Some("") } else { None })
        {
            match out.last_mut() {
                Some((_, v)) if line.starts_with([' ', '-']) => {
                    let item = unquote(item.trim());
                    match v {
                        Value::List(l) => l.push(item),
                        Value::Text(s) if s.is_empty() => *v = Value::List(vec![item]),
                        Value::Text(_) => {
                            return Err((lineno, "a list item under a key that has a value".into()))
                        }
                    }
                    continue;
                }
                _ => return Err((lineno, "a list item with no key above it".into())),
            }
        }
        if line.starts_with(' ') {
            // nested mapping (e.g. `author:` then `  name: X`): keep a `name` value
            if let Some((k, v)) = t.split_once(':') {
                if k.trim() == "name" {
                    if let Some((_, Value::Text(s))) = out.last_mut() {
                        if s.is_empty() {
                            *s = unquote(v.trim());
                        }
                    }
                }
                continue;
            }
            return Err((lineno, format!("cannot read front matter line {t:?}")));
        }
        let Some((key, value)) = t.split_once(':') else {
            return Err((lineno, format!("expected \"key: value\", found {t:?}")));
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) && key.split_whitespace().count() > 3
        {
            return Err((lineno, format!("expected \"key: value\", found {t:?}")));
        }
        let value = value.trim();
        let v = if let Some(list) = value.strip_prefix('[') {
            let Some(list) = list.strip_suffix(']') else {
                return Err((
                    lineno,
                    "a list opened with [ is not closed on its line".into(),
                ));
            };
            Value::List(
                split_inline_list(list)
                    .into_iter()
                    .map(|s| unquote(&s))
                    .filter(|s| !s.is_empty())
                    .collect(),
            )
        } else {
            if (value.starts_with('"') && !(value.len() >= 2 && value.ends_with('"')))
                || (value.starts_with('\'') && !(value.len() >= 2 && value.ends_with('\'')))
            {
                return Err((lineno, "a quoted value is not closed on its line".into()));
            }
            Value::Text(unquote(value))
        };
        out.push((key.to_string(), v));
    }
    Ok(out)
}

/// Split `a, "b, c", d` at commas outside quotes.
fn split_inline_list(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                cur.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (None, ',') => out.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Strip matching quotes; `\"` and `''` inside are unescaped. A trailing ` # comment` on a
/// plain value is dropped.
fn unquote(s: &str) -> String {
    let s = s.trim();
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        return s[1..s.len() - 1]
            .replace("\\\"", "\"")
            .replace("\\\\", "\\");
    }
    if s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') {
        return s[1..s.len() - 1].replace("''", "'");
    }
    match s.find(" #") {
        Some(i) => s[..i].trim_end().to_string(),
        None => s.to_string(),
    }
}

/// Put front-matter keys into the article's metadata fields.
fn apply_front_matter(a: &mut Article, front: &FrontMatter) {
    let get = |names: &[&str]| -> Option<&Value> {
        names.iter().find_map(|n| {
            front
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v)
        })
    };
    let text = |names: &[&str]| -> Option<String> {
        match get(names)? {
            Value::Text(s) => meta::clean(s),
            Value::List(l) => l.iter().find_map(|s| meta::clean(s)),
        }
    };
    a.title = text(meta::TITLE).unwrap_or_default();
    a.source = text(meta::SOURCE);
    a.date = text(meta::DATE).and_then(|d| meta::date(&d));
    a.url = text(meta::URL);
    a.description = text(meta::DESCRIPTION);
    a.authors = match get(meta::AUTHORS) {
        Some(Value::Text(s)) => meta::authors_from_str(s),
        Some(Value::List(l)) => l.iter().filter_map(|s| meta::clean(s)).collect(),
        None => Vec::new(),
    };
}

/// Blocks of the body, each with its heading level (0: not a heading).
fn body_blocks<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<(u8, Block)> {
    let mut out: Vec<(u8, Block)> = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let mut in_fence: Option<&str> = None;
    let flush = |para: &mut Vec<String>, out: &mut Vec<(u8, Block)>| {
        if para.is_empty() {
            return;
        }
        let refs: Vec<&str> = para.iter().map(String::as_str).collect();
        let quote = refs.iter().all(|l| l.starts_with('>'));
        if quote {
            let inner: Vec<String> = refs
                .iter()
                .map(|l| inline(l.trim_start_matches('>').trim()))
                .collect();
            let inner: Vec<&str> = inner
                .iter()
                .map(String::as_str)
                .filter(|l| !l.is_empty())
                .collect();
            if !inner.is_empty() {
                let mut b = super::txt::join_lines(&inner);
                if b.markup == Markup::Paragraph {
                    b.markup = Markup::Quote;
                }
                super::limits::push_block(out, (0, b));
            }
        } else {
            let inl: Vec<String> = refs.iter().map(|l| inline(l)).collect();
            let inl: Vec<&str> = inl
                .iter()
                .map(String::as_str)
                .filter(|l| !l.is_empty())
                .collect();
            if !inl.is_empty() {
                super::limits::push_block(out, (0, super::txt::join_lines(&inl)));
            }
        }
        para.clear();
    };
    for raw in lines {
        let line = raw.trim_end();
        let t = line.trim_start();
        if let Some(f) = in_fence {
            if t.starts_with(f) {
                in_fence = None;
                flush(&mut para, &mut out);
            } else if !t.is_empty() {
                para.push(t.to_string());
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            flush(&mut para, &mut out);
            in_fence = Some(&t[..3]);
            continue;
        }
        if t.is_empty() {
            flush(&mut para, &mut out);
            continue;
        }
        if let Some(level) = heading_level(t) {
            flush(&mut para, &mut out);
            let text = inline(t[level as usize..].trim().trim_end_matches('#').trim());
            if !text.is_empty() {
                push_heading(&mut out, level, text);
            }
            continue;
        }
        if is_rule(t) {
            flush(&mut para, &mut out);
            continue;
        }
        // a setext underline turns the paragraph above into a heading
        if !para.is_empty() && para.len() == 1 && (is_all(t, '=') || is_all(t, '-')) {
            let text = inline(&para[0]);
            para.clear();
            let level = if t.starts_with('=') { 1 } else { 2 };
            push_heading(&mut out, level, text);
            continue;
        }
        // `* ` and `+ ` bullets become `- ` (inline markup would eat a `*`)
        let t = match t.strip_prefix("+ ").or_else(|| t.strip_prefix("* ")) {
            Some(rest) => format!("- {rest}"),
            None => t.to_string(),
        };
        para.push(t);
    }
    flush(&mut para, &mut out);
    out
}

/// A heading of `level` among the body's blocks.
fn push_heading(out: &mut Vec<(u8, Block)>, level: u8, text: String) {
    let b = Block {
        text,
        markup: Markup::Heading,
    };
    super::limits::push_block(out, (level, b));
}

fn heading_level(t: &str) -> Option<u8> {
    let n = t.chars().take_while(|&c| c == '#').count();
    ((1..=6).contains(&n) && (t.len() == n || t[n..].starts_with(' '))).then_some(n as u8)
}

fn is_all(t: &str, c: char) -> bool {
    t.len() >= 2 && t.chars().all(|x| x == c)
}

/// A thematic break: `---`, `***`, `___` (spaces allowed).
fn is_rule(t: &str) -> bool {
    let s: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    s.len() >= 3 && (is_all(&s, '-') || is_all(&s, '*') || is_all(&s, '_'))
}

/// Inline Markdown to text: links and images keep their text, emphasis and code marks
/// go, HTML tags go, backslash escapes are resolved.
pub fn inline(s: &str) -> String {
    let cs: Vec<char> = s.chars().collect();
    // each `[`'s matching `]`, and the next `)`, `]`, `>` from each place, found in one
    // pass each, so a line of many unclosed brackets is not searched again from each
    let closes = matching_brackets(&cs);
    let next = |c: char| {
        let mut v = vec![usize::MAX; cs.len() + 1];
        for j in (0..cs.len()).rev() {
            v[j] = if cs[j] == c { j } else { v[j + 1] };
        }
        v
    };
    let (next_paren, next_bracket, next_gt) = (next(')'), next(']'), next('>'));
    let after = |v: &[usize], from: usize| {
        Some(v[from.min(cs.len())])
            .filter(|&j| j != usize::MAX)
            .map(|j| j - from)
    };
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        match c {
            '\\' if i + 1 < cs.len() && cs[i + 1].is_ascii_punctuation() => {
                out.push(cs[i + 1]);
                i += 2;
            }
            '!' if cs.get(i + 1) == Some(&'[') => {
                i += 1; // the image's alt text is kept like a link's text
            }
            '[' => {
                // [text](url) or [text][ref]
                if let Some(close) = closes[i] {
                    let next_char = cs.get(close + 1);
                    if next_char == Some(&'(') {
                        if let Some(end) = after(&next_paren, close + 1) {
                            out.extend(&cs[i + 1..close]);
                            i = close + 1 + end + 1;
                            continue;
                        }
                    } else if next_char == Some(&'[') {
                        if let Some(end) = after(&next_bracket, close + 1) {
                            out.extend(&cs[i + 1..close]);
                            i = close + 1 + end + 1;
                            continue;
                        }
                    }
                }
                out.push(c);
                i += 1;
            }
            '*' | '`' => i += 1,
            '_' if (i == 0 || !cs[i - 1].is_alphanumeric())
                || (i + 1 == cs.len() || !cs[i + 1].is_alphanumeric()) =>
            {
                i += 1
            }
            '<' => {
                // an inline HTML tag or autolink: `<https://x>` keeps its address
                // (no tag or address is longer than 4096: a line of many `<` and one
                // `>` at its end is not read again from each)
                if let Some(end) = after(&next_gt, i).filter(|&e| e <= 4096) {
                    let inner: String = cs[i + 1..i + end].iter().collect();
                    let tagish = inner
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
                    if inner.contains("://") || inner.contains('@') && !inner.contains(' ') {
                        out.push_str(&inner);
                        i += end + 1;
                        continue;
                    }
                    if tagish && !inner.contains('<') {
                        i += end + 1;
                        continue;
                    }
                }
                out.push(c);
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    crate::text::squash_ws(&out)
}

/// For each `[`, the `]` that closes it (brackets nest), in one pass.
fn matching_brackets(cs: &[char]) -> Vec<Option<usize>> {
    let mut closes = vec![None; cs.len()];
    let mut open = Vec::new();
    for (j, &c) in cs.iter().enumerate() {
        match c {
            '[' => open.push(j),
            ']' => {
                if let Some(o) = open.pop() {
                    closes[o] = Some(j);
                }
            }
            _ => {}
        }
    }
    closes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(s: &str) -> Article {
        parse(Path::new("x.md"), s.as_bytes()).unwrap().0
    }

    fn load_err(s: &str) -> LoadError {
        parse(Path::new("x.md"), s.as_bytes()).unwrap_err()
    }

    #[test]
    fn toml_front_matter() {
        let a = load(
            "+++\ntitle = \"Fares rise\"\ndate = 2020-02-28T09:00:00Z\nsource = \"The Harbour Times\"\n\
             authors = [\"Ann Lee\", \"Bo Chan\"]\nurl = \"https://example.org/a\"\n+++\n\n\
             # Fares rise\n\nFirst para\ncontinues.\n\n## What next\n\n- one\n- two\n",
        );
        assert_eq!(a.title, "Fares rise");
        assert_eq!(a.date.as_deref(), Some("2020-02-28"));
        assert_eq!(a.source.as_deref(), Some("The Harbour Times"));
        assert_eq!(a.authors, vec!["Ann Lee", "Bo Chan"]);
        assert_eq!(a.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.blocks.len(), 3);
        assert_eq!(a.blocks[0], Block::para("First para continues."));
        assert_eq!(a.blocks[1].markup, Markup::Heading);
        assert_eq!(a.blocks[1].text, "What next");
        assert_eq!(a.blocks[2].text, "- one\n- two");
        assert_eq!(a.blocks[2].markup, Markup::ListItem);
    }

    #[test]
    fn yaml_front_matter() {
        let a = load(
            "---\ntitle: \"Library vote: yes\"\npublished: 28 February 2020\nsite_name: Valley Courier\n\
             author:\n  - Ann Lee\n  - 'Bo O''Hara'\ntags: [a, b]\n# a comment\n---\nBody text here.\n",
        );
        assert_eq!(a.title, "Library vote: yes");
        assert_eq!(a.date.as_deref(), Some("2020-02-28"));
        assert_eq!(a.source.as_deref(), Some("Valley Courier"));
        assert_eq!(a.authors, vec!["Ann Lee", "Bo O'Hara"]);
        assert_eq!(a.blocks, vec![Block::para("Body text here.")]);
    }

    #[test]
    fn title_from_first_heading_else_file_name() {
        let a = load("# The title\n\nBody.\n");
        assert_eq!(a.title, "The title");
        assert_eq!(a.blocks, vec![Block::para("Body.")]);
        let a = parse(Path::new("007_storm-closes.md"), b"Only a body.\n")
            .unwrap()
            .0;
        assert_eq!(a.title, "storm closes");
    }

    #[test]
    fn inline_markup_is_removed() {
        assert_eq!(
            inline("**Bold** and _it_ with [a link](http://x.y) and `code` and snake_case"),
            "Bold and it with a link and code and snake_case"
        );
        assert_eq!(inline("![A photo](p.jpg)"), "A photo");
        assert_eq!(
            inline("see <https://x.org> <b>now</b>"),
            "see https://x.org now"
        );
    }

    #[test]
    fn quotes_and_rules() {
        let a = load("# T\n\n> A quoted\n> line.\n\n***\n\nAfter.\n");
        assert_eq!(a.blocks[0].markup, Markup::Quote);
        assert_eq!(a.blocks[0].text, "A quoted line.");
        assert_eq!(a.blocks[1].text, "After.");
    }

    #[test]
    fn bad_front_matter_is_reported_with_its_line() {
        let e = load_err("+++\ntitle = \"x\"\ndate = = 3\n+++\nBody.\n");
        assert_eq!(e.at.as_deref(), Some("line 3"), "{e}");
        assert!(e.reason.contains("TOML"));
        let e = load_err("---\ntitle: x\nthis line has no colon\n---\nBody.\n");
        assert_eq!(e.at.as_deref(), Some("line 3"));
        let e = load_err("---\ntitle: x\nBody.\n");
        assert!(e.reason.contains("never closed"));
        let e = load_err("---\ntitle: \"open\n---\n");
        assert!(e.reason.contains("quoted"));
    }

    #[test]
    fn binary_and_empty() {
        assert!(load_err("").reason.contains("empty"));
        assert!(parse(Path::new("b.md"), b"\x00\x01\x02\x03")
            .unwrap_err()
            .reason
            .contains("binary"));
    }
}
