//! Just enough MIME for MHTML pages and mail: headers (folded lines, RFC 2047 encoded
//! words), content types and their parameters, quoted-printable and base64, and
//! multipart bodies split at their boundaries.

use super::payload;

/// A MIME entity: its headers (names lower case) and its body as stored.
#[derive(Debug, Clone, Default)]
pub struct Entity<'a> {
    /// Header names (lower case) and values (unfolded, not yet decoded).
    pub headers: Vec<(String, String)>,
    /// The body, still in its transfer encoding.
    pub body: &'a [u8],
}

impl<'a> Entity<'a> {
    /// Split headers from body at the first blank line. No blank line: all headers.
    pub fn parse(bytes: &'a [u8]) -> Entity<'a> {
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |e| i + e);
            let line = String::from_utf8_lossy(&bytes[i..end]);
            let line = line.trim_end_matches('\r');
            i = (end + 1).min(bytes.len());
            if line.is_empty() {
                return Entity {
                    headers,
                    body: &bytes[i..],
                };
            }
            if line.starts_with([' ', '\t']) {
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(line.trim());
                }
            } else if let Some((k, v)) = line.split_once(':') {
                if headers.len() < 500 {
                    headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                }
            }
        }
        Entity {
            headers,
            body: &bytes[bytes.len()..],
        }
    }

    /// A header's raw value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header's value with encoded words decoded.
    pub fn text(&self, name: &str) -> Option<String> {
        self.header(name)
            .map(decode_words)
            .filter(|s| !s.trim().is_empty())
    }

    /// The media type, lower case (`text/plain` when none is given).
    pub fn media_type(&self) -> String {
        self.header("content-type")
            .and_then(|c| c.split(';').next())
            .map(|t| t.trim().to_ascii_lowercase())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "text/plain".into())
    }

    /// A parameter of the content type (`boundary`, `charset`).
    pub fn param(&self, name: &str) -> Option<String> {
        let ct = self.header("content-type")?;
        ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().trim_matches('"').to_string())
        })
    }

    /// The body with its transfer encoding undone.
    pub fn decoded(&self) -> Vec<u8> {
        let enc = self
            .header("content-transfer-encoding")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match enc.as_str() {
            "quoted-printable" => quoted_printable(self.body, false),
            "base64" => base64(self.body),
            _ => self.body.to_vec(),
        }
    }

    /// The body as text (its charset, else sniffed), transfer encoding undone.
    pub fn decoded_text(&self) -> String {
        let cs = self.param("charset").map(|c| c.to_ascii_lowercase());
        payload::to_utf8(&self.decoded(), cs.as_deref())
    }

    /// The parts of a multipart body (none for other bodies).
    pub fn parts(&self) -> Vec<Entity<'a>> {
        let Some(boundary) = self.param("boundary").filter(|b| !b.is_empty()) else {
            return Vec::new();
        };
        let delim = format!("--{boundary}");
        let body = self.body;
        let mut starts = Vec::new(); // (line start, content start)
        let mut i = 0;
        while let Some(at) = memchr::memmem::find(&body[i..], delim.as_bytes()) {
            let s = i + at;
            let at_line_start = s == 0 || body[s - 1] == b'\n';
            let after = s + delim.len();
            if at_line_start {
                let closing = body[after..].starts_with(b"--");
                let next =
                    memchr::memchr(b'\n', &body[after..]).map_or(body.len(), |e| after + e + 1);
                starts.push((s, next, closing));
                if closing {
                    break;
                }
            }
            i = after;
        }
        let mut parts = Vec::new();
        for w in starts.windows(2) {
            let (_, content, closing) = w[0];
            if closing {
                break;
            }
            let mut end = w[1].0;
            // the line break before the next delimiter belongs to it
            if end > content && body[end - 1] == b'\n' {
                end -= 1;
                if end > content && body[end - 1] == b'\r' {
                    end -= 1;
                }
            }
            parts.push(Entity::parse(&body[content..end.max(content)]));
        }
        // a body cut short: the last part runs to the end
        if let Some(&(_, content, false)) = starts.last() {
            parts.push(Entity::parse(&body[content..]));
        }
        parts
    }

    /// The first entity of this media type, depth first (in `multipart/alternative`, the
    /// richest of the alternatives is last; this finds any).
    pub fn find(&self, media_type: &str, depth: usize) -> Option<Entity<'a>> {
        let t = self.media_type();
        if t == media_type {
            return Some(self.clone());
        }
        if !t.starts_with("multipart/") || depth > 8 {
            return None;
        }
        self.parts()
            .iter()
            .find_map(|p| p.find(media_type, depth + 1))
    }
}

/// Undo quoted-printable (`header`: `_` is a space, as in encoded words).
pub fn quoted_printable(b: &[u8], header: bool) -> Vec<u8> {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'=' => {
                // a soft line break
                if b[i + 1..].starts_with(b"\r\n") {
                    i += 3;
                    continue;
                }
                if b[i + 1..].starts_with(b"\n") {
                    i += 2;
                    continue;
                }
                match (
                    b.get(i + 1).and_then(|&c| hex(c)),
                    b.get(i + 2).and_then(|&c| hex(c)),
                ) {
                    (Some(h), Some(l)) => {
                        out.push(h * 16 + l);
                        i += 3;
                    }
                    _ => {
                        out.push(b'=');
                        i += 1;
                    }
                }
            }
            b'_' if header => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Undo base64, skipping line breaks and anything outside the alphabet.
pub fn base64(b: &[u8]) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(b.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in b {
        if c == b'=' {
            break;
        }
        let Some(v) = val(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Decode RFC 2047 encoded words (`=?utf-8?Q?Caf=C3=A9?=`, `=?iso-8859-1?B?...?=`);
/// white space between two encoded words goes.
pub fn decode_words(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    let mut last_was_word = false;
    while let Some(start) = rest.find("=?") {
        let (before, from) = rest.split_at(start);
        let parsed = (|| {
            let inner = &from[2..];
            let (charset, inner) = inner.split_once('?')?;
            let (enc, inner) = inner.split_once('?')?;
            let end = inner.find("?=")?;
            let data = &inner[..end];
            let bytes = match enc {
                "Q" | "q" => quoted_printable(data.as_bytes(), true),
                "B" | "b" => base64(data.as_bytes()),
                _ => return None,
            };
            let cs = charset.split('*').next()?.to_ascii_lowercase();
            let used = 2 + charset.len() + 1 + enc.len() + 1 + end + 2;
            Some((payload::to_utf8(&bytes, Some(&cs)), used))
        })();
        match parsed {
            Some((text, used)) => {
                if !(last_was_word && before.trim().is_empty()) {
                    out.push_str(before);
                }
                out.push_str(&text);
                rest = &from[used..];
                last_was_word = true;
            }
            None => {
                out.push_str(before);
                out.push_str("=?");
                rest = &from[2..];
                last_was_word = false;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The display name of an address (`"Ann Lee" <ann@x>`, `ann@x (Ann Lee)`), else the
/// address's part before `@`.
pub fn display_name(from: &str) -> Option<String> {
    let from = from.trim();
    if let Some(lt) = from.find('<') {
        let name = from[..lt].trim().trim_matches('"').trim();
        if !name.is_empty() {
            return super::meta::clean(name);
        }
        let addr = from[lt + 1..].trim_end_matches('>');
        return super::meta::clean(addr.split('@').next()?);
    }
    if let (Some(a), Some(b)) = (from.find('('), from.rfind(')')) {
        if a < b {
            return super::meta::clean(&from[a + 1..b]);
        }
    }
    super::meta::clean(from.split('@').next()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(
            quoted_printable(b"Caf=C3=A9 =\r\nsoft=3D", false),
            "Café soft=".as_bytes()
        );
        assert_eq!(quoted_printable(b"bad =ZZ end=", false), b"bad =ZZ end=");
        assert_eq!(base64(b"SGVs\r\nbG8="), b"Hello");
        assert_eq!(base64(b"!!"), b"");
        assert_eq!(
            decode_words("=?utf-8?Q?Caf=C3=A9_news?= =?ISO-8859-1?B?6Q==?= and more"),
            "Café newsé and more"
        );
        assert_eq!(decode_words("=?broken"), "=?broken");
        assert_eq!(decode_words("=?x?Z?abc?="), "=?x?Z?abc?=");
    }

    #[test]
    fn names() {
        assert_eq!(
            display_name("\"Ann Lee\" <ann@x.example>").as_deref(),
            Some("Ann Lee")
        );
        assert_eq!(display_name("<news@x.example>").as_deref(), Some("news"));
        assert_eq!(display_name("ann@x.example (Ann)").as_deref(), Some("Ann"));
    }

    #[test]
    fn multipart() {
        let m = b"Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\nContent-Type: text/plain\r\n\r\nplain\r\n--b1\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>caf=E9</p>\r\n--b1--\r\nepilogue";
        let e = Entity::parse(m);
        let parts = e.parts();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].body, b"plain");
        let h = e.find("text/html", 0).unwrap();
        assert_eq!(h.decoded_text(), "<p>café</p>");
        // cut short: the last part runs to the end
        let cut = &m[..m.len() - 25];
        assert_eq!(Entity::parse(cut).parts().len(), 2);
        assert!(Entity::parse(b"no headers at all")
            .find("text/html", 0)
            .is_none());
    }
}
