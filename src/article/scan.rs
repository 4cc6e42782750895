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

/// Split HTML into tokens, read as they are asked for (a page of millions of tags is
/// never held as tokens whole). Never panics; malformed markup becomes text or is skipped.
pub fn tokens(html: &str) -> Tokens<'_> {
    Tokens {
        html,
        i: 0,
        text_start: 0,
        buf: std::collections::VecDeque::new(),
        done: false,
    }
}

/// The tokens of a page, in order ([`tokens`]).
pub struct Tokens<'a> {
    html: &'a str,
    /// Where reading goes on.
    i: usize,
    /// Where the text not yet given out starts.
    text_start: usize,
    /// Tokens read, not yet given out (a tag can make up to four).
    buf: std::collections::VecDeque<Token<'a>>,
    done: bool,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            if let Some(t) = self.buf.pop_front() {
                return Some(t);
            }
            if self.done {
                return None;
            }
            self.read();
        }
    }
}

impl<'a> Tokens<'a> {
    /// Read on until at least one token is made, or to the end.
    fn read(&mut self) {
        let html = self.html;
        let b = html.as_bytes();
        let (mut i, mut text_start) = (self.i, self.text_start);
        let out = &mut self.buf;
        while i < b.len() && out.is_empty() {
            if b[i] != b'<' {
                i += 1;
                continue;
            }
            let rest = &html[i..];
            let next = b.get(i + 1).copied().unwrap_or(b' ');
            let skip = if rest.starts_with("<!--") {
                Some(rest.find("-->").map(|e| i + e + 3).unwrap_or(b.len()))
            } else if next == b'!' || next == b'?' {
                Some(rest.find('>').map(|e| i + e + 1).unwrap_or(b.len()))
            } else {
                None
            };
            if let Some(end) = skip {
                if text_start < i {
                    out.push_back(Token::Text(decode_entities(&html[text_start..i])));
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
                out.push_back(Token::Text(decode_entities(&html[text_start..i])));
            }
            // `end` is just past a `>`, so `end - 1` is a character boundary
            let inner = &html[i + 1..end - 1];
            if let Some(close) = inner.strip_prefix('/') {
                let name = tag_name(close);
                if !name.is_empty() {
                    out.push_back(Token::Close(name));
                }
            } else if next.is_ascii_alphabetic() {
                let name = tag_name(inner);
                let attrs = attributes(&inner[name.len().min(inner.len())..]);
                let raw = matches!(name.as_str(), "script" | "style" | "textarea" | "title");
                out.push_back(Token::Open(name.clone(), attrs));
                if raw {
                    // raw text runs to the matching close tag
                    let close = format!("</{name}");
                    let body_end = find_ci(&html[end..], &close)
                        .map(|e| end + e)
                        .unwrap_or(b.len());
                    let content = &html[end..body_end];
                    if name == "title" || name == "textarea" {
                        out.push_back(Token::Text(decode_entities(content)));
                    } else {
                        out.push_back(Token::Raw(content));
                    }
                    out.push_back(Token::Close(name));
                    let after = html[body_end..]
                        .find('>')
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
        if i >= b.len() {
            if text_start < b.len() {
                out.push_back(Token::Text(decode_entities(&html[text_start..])));
            }
            text_start = b.len();
            self.done = true;
        }
        self.i = i;
        self.text_start = text_start;
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

fn tag_name(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
        .collect::<String>()
        .to_ascii_lowercase()
}

fn attributes(s: &str) -> Vec<(String, String)> {
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

/// Case-insensitive find of an ASCII needle.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
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
        let t: Vec<_> =
            tokens(r#"<p class="a">Tom &amp; Jerry&#8217;s <b>x</b></p><!-- c --><br/>"#).collect();
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
        let t: Vec<_> =
            tokens(r#"<script type="x">if (a < b) { "</p>" }</script><a title="1 > 0">k</a>"#)
                .collect();
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
            let _ = tokens(s).count();
        }
        assert_eq!(decode_entities("a &bogus; &#x41;"), "a &bogus; A");
    }
}
