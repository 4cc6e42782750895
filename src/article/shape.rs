//! Pages whose shape no extractor should be handed: nesting the extraction library's
//! recursion would follow until the stack overflows (30,000 unclosed `<b>`, tables in
//! tables, 10,000 nested `<div>`), and tags whose parsing is quadratic (300,000
//! attributes on one tag, `</` repeated inside a tag). Such a page is read flat instead
//! (its text split at block tags by [`super::html::fragment_blocks`], which recurses on
//! nothing and is linear). Normal pages are far from every limit, so their extraction is
//! unchanged.

use dom_query::{Document, NodeRef};

/// Nesting of the parsed page beyond which the extractor is not run: its recursion
/// takes a few hundred bytes of stack a level, and it runs on threads with 2 MB. The
/// deepest of the 950 pages of the news corpora is nested under 60 levels.
pub const MAX_DEPTH: usize = 512;
/// Elements that nest (opened and not closed) in the markup, counted before parsing,
/// beyond which the page is not parsed for the extractor: the parser's scope searches
/// walk the open elements for every tag.
const MAX_OPEN: usize = 2 * MAX_DEPTH;
/// Attributes on one tag beyond which the page is not parsed for the extractor (the
/// parser checks each new attribute against those before it).
const MAX_ATTRS: usize = 1024;
/// Elements of the parsed page beyond which the extractor is not run (it walks the
/// siblings of a node for each node in places).
const MAX_ELEMENTS: usize = 200_000;

/// Why a page is read flat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfit {
    /// Nested deeper than the extractor can follow.
    Deep,
    /// A tag with more attributes than a page has.
    Attributes,
    /// More elements than a page has.
    Big,
    /// The extractor took longer than a page may take ([`super::limits::MAX_EXTRACT_MS`]).
    Slow(u64),
}

impl Unfit {
    /// For a person.
    pub fn reason(self) -> std::borrow::Cow<'static, str> {
        match self {
            Unfit::Deep => "markup nested too deep for the extractor".into(),
            Unfit::Attributes => "a tag with too many attributes for the extractor".into(),
            Unfit::Big => "too many elements for the extractor".into(),
            Unfit::Slow(ms) => format!("the extractor took over {} s", ms as f64 / 1000.0).into(),
        }
    }
}

/// Elements never nested in themselves, closed by their next sibling or their parent's
/// end (so counting them as open would count a long list as deep).
fn closed_implicitly(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"rb"
            | b"rt"
            | b"rp"
            | b"rtc"
    )
}

/// Elements with no content, never open.
fn void(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"source"
            | b"track"
            | b"wbr"
            | b"param"
            | b"keygen"
            | b"frame"
    )
}

/// The markup judged before parsing, in one pass: the most elements open at once (of
/// those that nest) and the most attributes on one tag, counted as the HTML tokenizer
/// counts them (`</` inside a tag starts attributes). `None` when the page may be parsed.
pub fn check_markup(html: &str) -> Option<Unfit> {
    let b = html.as_bytes();
    let (mut open, mut i) = (0usize, 0usize);
    // start tags: a page of more elements than [`MAX_ELEMENTS`] is not parsed at all
    let mut elements = 0usize;
    let mut name = [0u8; 16];
    while let Some(lt) = memchr::memchr(b'<', &b[i..]) {
        i += lt + 1;
        let close = b.get(i) == Some(&b'/');
        if close {
            i += 1;
        }
        if b.get(i..i + 3) == Some(b"!--".as_slice()) {
            i = memchr::memmem::find(&b[i..], b"-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        // the name, in lower case (a long one is no element that matters here)
        let start = i;
        while i < b.len() && !matches!(b[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>') {
            i += 1;
        }
        let len = i - start;
        let n = &mut name[..len.min(16)];
        n.copy_from_slice(&b[start..start + n.len()]);
        n.make_ascii_lowercase();
        let n: &[u8] = if len > 16 { b"-" } else { n };
        // the attributes, to the `>` that ends the tag
        let attrs;
        (i, attrs) = tag_rest(b, i);
        if attrs > MAX_ATTRS {
            return Some(Unfit::Attributes);
        }
        let self_closed = i > 0 && b.get(i - 1) == Some(&b'/');
        if !close {
            elements += 1;
            if elements > MAX_ELEMENTS {
                return Some(Unfit::Big);
            }
        }
        if void(n) || closed_implicitly(n) {
            continue;
        }
        if close {
            open = open.saturating_sub(1);
        } else if matches!(n, b"script" | b"style" | b"textarea" | b"title" | b"xmp") {
            // raw text to the end tag, as the tokenizer reads it
            let mut end = None;
            let mut from = i;
            while let Some(e) = memchr::memmem::find(&b[from..], b"</") {
                let at = from + e + 2;
                if b.get(at..at + n.len())
                    .is_some_and(|x| x.eq_ignore_ascii_case(n))
                {
                    end = Some(at);
                    break;
                }
                from = at;
            }
            i = end.unwrap_or(b.len());
        } else if !self_closed {
            // `<x/>` opens nothing in SVG and MathML (icons are many such); the rare
            // `<div/>` that does is in the parsed page's depth check
            open += 1;
            if open > MAX_OPEN {
                return Some(Unfit::Deep);
            }
        }
    }
    None
}

/// From just after a tag's name: the index of the `>` that ends the tag (or the end of
/// the page) and how many attributes it has, counted as the HTML tokenizer counts them
/// (`</` inside a tag starts attributes; quotes hold `>` only in a value).
pub fn tag_rest(b: &[u8], mut i: usize) -> (usize, usize) {
    let mut attrs = 0usize;
    loop {
        while i < b.len() && matches!(b[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return (i, attrs);
        }
        attrs += 1;
        // the name: the first character whatever it is, then to a space, `/`, `>`, `=`
        i += 1;
        while i < b.len()
            && !matches!(
                b[i],
                b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>' | b'='
            )
        {
            i += 1;
        }
        while i < b.len() && matches!(b[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ') {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && matches!(b[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ') {
            i += 1;
        }
        match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                i = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e + 1);
            }
            _ => {
                while i < b.len() && !matches!(b[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'>')
                {
                    i += 1;
                }
            }
        }
    }
}

/// The parsed page judged: deeper than [`MAX_DEPTH`] or with more than
/// [`MAX_ELEMENTS`] elements. Walked without recursion.
pub fn check_document(doc: &Document) -> Option<Unfit> {
    let mut stack: Vec<(NodeRef<'_>, usize)> = vec![(doc.root(), 0)];
    let mut elements = 0usize;
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Some(Unfit::Deep);
        }
        if node.is_element() {
            elements += 1;
            if elements > MAX_ELEMENTS {
                return Some(Unfit::Big);
            }
        }
        let mut child = node.first_child();
        while let Some(c) = child {
            child = c.next_sibling();
            stack.push((c, depth + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_judged() {
        let page = |body: &str| format!("<html><body><p>Text.</p>{body}</body></html>");
        assert_eq!(check_markup(&page("<div><b>x</b><br></div>")), None);
        assert_eq!(check_markup(&page(&"<li>x".repeat(100_000))), None);
        assert_eq!(
            check_markup(&page(&"<b>x".repeat(30_000))),
            Some(Unfit::Deep)
        );
        assert_eq!(
            check_markup(&page(&"<div>".repeat(2_000))),
            Some(Unfit::Deep)
        );
        let closed = "<div>".repeat(2_000) + &"</div>".repeat(2_000);
        assert_eq!(check_markup(&page(&closed)), Some(Unfit::Deep));
        let attrs: String = (0..2_000).map(|i| format!(" a{i}='>'")).collect();
        assert_eq!(
            check_markup(&page(&format!("<p{attrs}>x</p>"))),
            Some(Unfit::Attributes)
        );
        let slashes = format!("<p {}>x</p>", "</".repeat(5_000));
        assert_eq!(check_markup(&page(&slashes)), Some(Unfit::Attributes));
        // raw text and comments are not markup
        let raw = format!(
            "<script>{}</script><!--{}-->",
            "<b>".repeat(5_000),
            "<i>".repeat(5_000)
        );
        assert_eq!(check_markup(&page(&raw)), None);
        let doc = Document::from(page(&"<div>".repeat(600)));
        assert_eq!(check_document(&doc), Some(Unfit::Deep));
        let doc = Document::from(page(&"<div>".repeat(400)));
        assert_eq!(check_document(&doc), None);
    }
}
