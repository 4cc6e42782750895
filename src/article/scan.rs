//! A small HTML tokenizer: tags with their attributes, text with entities decoded,
//! comments and raw-text elements (`script`, `style`) handled. Enough to read a page's
//! head metadata and to turn an extractor's story HTML into blocks; the story itself is
//! found by the extraction library (see [`super::html`]).

/// One piece of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name attr="v">` (also self-closing); the name in lower case.
    Open(String, Vec<(String, String)>),
    /// `</name>`; the name in lower case.
    Close(String),
    /// Text between tags, entities decoded, not yet squashed.
    Text(String),
    /// The raw content of a `<script>` or `<style>` element.
    Raw(&'a str),
}

/// One piece of HTML as it stands in the page, nothing decoded and nothing allocated
/// ([`walk`]); [`Token`] is the same piece made owned and decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a, 'n> {
    /// `<name ...>`: the name in lower case, and the source of its attributes (read them
    /// with [`attributes`]).
    Open(&'n str, &'a str),
    /// `</name>`; the name in lower case.
    Close(&'n str),
    /// Text between tags (also a `<title>`'s or `<textarea>`'s), entities not decoded.
    Text(&'a str),
    /// The raw content of a `<script>` or `<style>` element.
    Raw(&'a str),
}

/// Split HTML into tokens. Never panics; malformed markup becomes text or is skipped.
#[cfg(test)]
pub fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    walk(html, |p| out.push(Token::of(p)));
    out
}

impl<'a> Token<'a> {
    /// A piece made owned and decoded. A reader of a whole page walks it ([`walk`])
    /// making each token as it comes, never holding them all (a page of millions of tags
    /// held as tokens took a gigabyte).
    pub fn of(p: Piece<'a, '_>) -> Token<'a> {
        match p {
            Piece::Open(name, attrs) => Token::Open(name.to_string(), attributes(attrs)),
            Piece::Close(name) => Token::Close(name.to_string()),
            Piece::Text(t) => Token::Text(decode_entities(t)),
            Piece::Raw(r) => Token::Raw(r),
        }
    }
}

/// Hand each piece of HTML to `f`, in order: what [`tokens`] returns, undecoded, so a
/// reader that wants a few tags (a page's head metadata) pays only for those.
pub fn walk<'a>(html: &'a str, mut f: impl for<'n> FnMut(Piece<'a, 'n>)) {
    let b = html.as_bytes();
    let mut lower = String::new();
    let mut i = 0;
    let mut text_start = 0;
    while i < b.len() {
        match memchr::memchr(b'<', &b[i..]) {
            Some(j) => i += j,
            None => break,
        }
        let rest = &html[i..];
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        let skip = if rest.starts_with("<!--") {
            Some(
                memchr::memmem::find(rest.as_bytes(), b"-->")
                    .map(|e| i + e + 3)
                    .unwrap_or(b.len()),
            )
        } else if next == b'!' || next == b'?' {
            Some(
                memchr::memchr(b'>', rest.as_bytes())
                    .map(|e| i + e + 1)
                    .unwrap_or(b.len()),
            )
        } else {
            None
        };
        if let Some(end) = skip {
            if text_start < i {
                f(Piece::Text(&html[text_start..i]));
            }
            i = end;
            text_start = end;
            continue;
        }
        let end = if next.is_ascii_alphabetic() || next == b'/' {
            match tag_end(b, i + 1) {
                Some(e) => e,
                None => {
                    i += 1;
                    continue;
                }
            }
        } else {
            i += 1;
            continue;
        };
        if text_start < i {
            f(Piece::Text(&html[text_start..i]));
        }
        // `end` is just past a `>`, so `end - 1` is a character boundary
        let inner = &html[i + 1..end - 1];
        if let Some(close) = inner.strip_prefix('/') {
            let name = tag_name(close, &mut lower);
            if !name.is_empty() {
                f(Piece::Close(name));
            }
        } else if next.is_ascii_alphabetic() {
            let name_len = name_len(inner);
            let attrs = &inner[name_len..];
            let name = tag_name(inner, &mut lower);
            let raw = matches!(name, "script" | "style" | "textarea" | "title");
            let text = matches!(name, "title" | "textarea");
            f(Piece::Open(name, attrs));
            if raw {
                // raw text runs to the matching close tag
                let name = tag_name(inner, &mut lower);
                let body_end = find_close(&b[end..], name.as_bytes())
                    .map(|e| end + e)
                    .unwrap_or(b.len());
                let content = &html[end..body_end];
                if text {
                    f(Piece::Text(content));
                } else {
                    f(Piece::Raw(content));
                }
                f(Piece::Close(tag_name(inner, &mut lower)));
                let after = memchr::memchr(b'>', &b[body_end..])
                    .map(|e| body_end + e + 1)
                    .unwrap_or(b.len());
                i = after;
                text_start = after;
                continue;
            }
        }
        i = end;
        text_start = end;
    }
    if text_start < b.len() {
        f(Piece::Text(&html[text_start..]));
    }
}

/// The index just past the `>` closing a tag that starts before `from`, quotes respected.
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (j, &c) in b.iter().enumerate().skip(from) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some(j + 1),
            None if c == b'<' => return None,
            None => {}
        }
    }
    None
}

/// The length of the tag name at the start of `s` (ASCII letters, digits, `-`, `:`).
fn name_len(s: &str) -> usize {
    s.bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b':')
        .count()
}

/// The tag name at the start of `s`, in lower case (in `buf` when it had capitals).
fn tag_name<'s>(s: &'s str, buf: &'s mut String) -> &'s str {
    let name = &s[..name_len(s)];
    if name.bytes().any(|c| c.is_ascii_uppercase()) {
        buf.clear();
        buf.push_str(name);
        buf.make_ascii_lowercase();
        buf
    } else {
        name
    }
}

/// The attributes of a tag from their source ([`Piece::Open`]): names in lower case,
/// values with entities decoded.
pub fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        while i < cs.len() && (cs[i].is_whitespace() || cs[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < cs.len() && !cs[i].is_whitespace() && cs[i] != '=' && cs[i] != '/' {
            i += 1;
        }
        if start == i {
            i += 1;
            continue;
        }
        let name: String = cs[start..i].iter().collect::<String>().to_ascii_lowercase();
        while i < cs.len() && cs[i].is_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < cs.len() && cs[i] == '=' {
            i += 1;
            while i < cs.len() && cs[i].is_whitespace() {
                i += 1;
            }
            if i < cs.len() && (cs[i] == '"' || cs[i] == '\'') {
                let q = cs[i];
                i += 1;
                let vs = i;
                while i < cs.len() && cs[i] != q {
                    i += 1;
                }
                value = cs[vs..i].iter().collect();
                i += 1;
            } else {
                let vs = i;
                while i < cs.len() && !cs[i].is_whitespace() {
                    i += 1;
                }
                value = cs[vs..i].iter().collect();
            }
        }
        out.push((name, decode_entities(&value)));
    }
    out
}

/// Where `</name` first stands in `hay`, the name in any case.
fn find_close(hay: &[u8], name: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(j) = memchr::memmem::find(&hay[from..], b"</") {
        let at = from + j;
        let rest = &hay[at + 2..];
        if rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// The value of an attribute.
pub fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{a0}"),
    ("ndash", "–"),
    ("mdash", "—"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("sbquo", "‚"),
    ("bdquo", "„"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("hellip", "…"),
    ("middot", "·"),
    ("bull", "•"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("deg", "°"),
    ("euro", "€"),
    ("pound", "£"),
    ("yen", "¥"),
    ("cent", "¢"),
    ("sect", "§"),
    ("para", "¶"),
    ("times", "×"),
    ("divide", "÷"),
    ("frac12", "½"),
    ("frac14", "¼"),
    ("frac34", "¾"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("agrave", "à"),
    ("aacute", "á"),
    ("oacute", "ó"),
    ("uacute", "ú"),
    ("iacute", "í"),
    ("ntilde", "ñ"),
    ("ccedil", "ç"),
    ("uuml", "ü"),
    ("ouml", "ö"),
    ("auml", "ä"),
    ("szlig", "ß"),
    ("thinsp", "\u{2009}"),
    ("ensp", "\u{2002}"),
    ("emsp", "\u{2003}"),
    ("zwj", "\u{200d}"),
    ("zwnj", "\u{200c}"),
    ("shy", "\u{ad}"),
];

/// Decode character references: named (a common set), decimal and hexadecimal.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let semi = after.find(';').filter(|&e| e <= 10);
        let decoded = semi.and_then(|e| {
            let name = &after[..e];
            let c = if let Some(num) = name.strip_prefix('#') {
                let n = match num.strip_prefix(['x', 'X']) {
                    Some(h) => u32::from_str_radix(h, 16).ok(),
                    None => num.parse().ok(),
                }?;
                char::from_u32(n).filter(|c| *c != '\0')?.to_string()
            } else {
                ENTITIES
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())?
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push_str(&c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_text_and_entities() {
        let t = tokens(r#"<p class="a">Tom &amp; Jerry&#8217;s <b>x</b></p><!-- c --><br/>"#);
        assert_eq!(
            t,
            vec![
                Token::Open("p".into(), vec![("class".into(), "a".into())]),
                Token::Text("Tom & Jerry’s ".into()),
                Token::Open("b".into(), vec![]),
                Token::Text("x".into()),
                Token::Close("b".into()),
                Token::Close("p".into()),
                Token::Open("br".into(), vec![]),
            ]
        );
    }

    #[test]
    fn scripts_are_raw_and_quotes_hold_brackets() {
        let t = tokens(r#"<script type="x">if (a < b) { "</p>" }</script><a title="1 > 0">k</a>"#);
        assert_eq!(t[1], Token::Raw(r#"if (a < b) { "</p>" }"#));
        assert_eq!(
            t[3],
            Token::Open("a".into(), vec![("title".into(), "1 > 0".into())])
        );
    }

    #[test]
    fn junk_never_panics() {
        for s in [
            "<",
            "<<>>",
            "<a href='x",
            "&#xffffffff;",
            "&#0;",
            "<!--",
            "<script>",
            "é<é>&",
        ] {
            let _ = tokens(s);
        }
        assert_eq!(decode_entities("a &bogus; &#x41;"), "a &bogus; A");
    }
}
