//! Saved feeds: RSS 2.0 (and RSS 1.0/RDF), Atom and JSON Feed 1.x. Each item is a story:
//! its title, link, date and author, the feed's title as its source. HTML content
//! (`content:encoded`, Atom `content`, `content_html`) is split into the saved-page
//! blocks ([`super::html::fragment_blocks`]); an item with only a summary
//! (`description`, `summary`) is shown as that summary.
//!
//! XML is read with quick-xml into a small tree (a saved feed is a few megabytes at most);
//! a feed cut short keeps the items before the cut, and the problem names the byte.

use super::{err, html, meta, payload, Article, Block, Loaded, ProblemKind};
use quick_xml::events::Event;
use serde_json::Value;
use std::path::Path;

/// An XML element: local name (lower case), attributes (local names), children.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    kids: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    El(El),
    Text(String),
}

impl El {
    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.kids.iter().filter_map(move |k| match k {
            Node::El(e) if e.name == name => Some(e),
            _ => None,
        })
    }
    fn child(&self, name: &str) -> Option<&El> {
        self.kids.iter().find_map(|k| match k {
            Node::El(e) if e.name == name => Some(e),
            _ => None,
        })
    }
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// All the text inside, in order.
    fn text(&self) -> String {
        let mut out = String::new();
        self.text_into(&mut out);
        out
    }
    fn text_into(&self, out: &mut String) {
        for k in &self.kids {
            match k {
                Node::Text(t) => out.push_str(t),
                Node::El(e) => e.text_into(out),
            }
        }
    }
    /// The child's text, cleaned, when not empty.
    fn field(&self, name: &str) -> Option<String> {
        self.child(name).and_then(|e| meta::clean(&e.text()))
    }
    /// The element written back as markup (Atom's `type="xhtml"` content).
    fn markup(&self, out: &mut String) {
        for k in &self.kids {
            match k {
                Node::Text(t) => out.push_str(&t.replace('&', "&amp;").replace('<', "&lt;")),
                Node::El(e) => {
                    out.push('<');
                    out.push_str(&e.name);
                    for (k, v) in &e.attrs {
                        out.push_str(&format!(" {k}=\"{}\"", v.replace('"', "&quot;")));
                    }
                    out.push('>');
                    e.markup(out);
                    out.push_str(&format!("</{}>", e.name));
                }
            }
        }
    }
}

fn local(name: &[u8]) -> String {
    let n = String::from_utf8_lossy(name);
    let n = n.rsplit(':').next().unwrap_or(&n);
    n.to_ascii_lowercase()
}

fn entity(name: &str) -> String {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        return code
            .and_then(char::from_u32)
            .map_or_else(|| format!("&{name};"), String::from);
    }
    match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        "nbsp" => "\u{a0}".into(),
        // an HTML entity in a feed that is not quite XML: left for the HTML reading
        _ => format!("&{name};"),
    }
}

/// Parse XML into its root element. A document cut short or broken gives the elements
/// read so far (closed), with the problem and its byte. Each feed item (`<item>`,
/// `<entry>`) near the top is handed to `item` as it closes and left out of the tree, so
/// a feed of 200,000 items holds one item's elements at a time, not all (a 14 MB feed
/// took 380 MB held whole).
fn parse_xml(text: &str, item: &mut dyn FnMut(&El)) -> (Option<El>, Option<(u64, String)>) {
    let mut r = quick_xml::Reader::from_str(text);
    r.config_mut().check_end_names = false;
    let mut stack: Vec<El> = vec![El::default()]; // a document node
    let mut problem = None;
    let push_text = |stack: &mut Vec<El>, t: String| {
        if let Some(top) = stack.last_mut() {
            match top.kids.last_mut() {
                Some(Node::Text(prev)) => prev.push_str(&t),
                _ => top.kids.push(Node::Text(t)),
            }
        }
    };
    let open = |e: &quick_xml::events::BytesStart| El {
        name: local(e.name().as_ref()),
        attrs: e
            .attributes()
            .flatten()
            .map(|a| {
                let v = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
                (local(a.key.as_ref()), v)
            })
            .collect(),
        kids: Vec::new(),
    };
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => {
                if stack.len() > 200 {
                    problem = Some((r.buffer_position(), "elements nested too deep".into()));
                    break;
                }
                stack.push(open(&e));
            }
            Ok(Event::Empty(e)) => {
                let el = open(&e);
                if let Some(top) = stack.last_mut() {
                    top.kids.push(Node::El(el));
                }
            }
            Ok(Event::End(_)) => {
                if stack.len() > 1 {
                    let el = stack.pop().unwrap_or_default();
                    // document, root, channel: an item is at most three deep
                    if stack.len() <= 3 && is_item(&el.name) {
                        item(&el);
                    } else if let Some(top) = stack.last_mut() {
                        top.kids.push(Node::El(el));
                    }
                }
            }
            Ok(Event::Text(t)) => {
                push_text(&mut stack, t.decode().unwrap_or_default().into_owned())
            }
            Ok(Event::CData(t)) => {
                push_text(&mut stack, t.decode().unwrap_or_default().into_owned())
            }
            Ok(Event::GeneralRef(e)) => {
                let name = e.decode().unwrap_or_default();
                push_text(&mut stack, entity(&name));
            }
            Ok(Event::Eof) => {
                if stack.len() > 1 {
                    problem = Some((r.buffer_position(), "feed cut short".into()));
                }
                break;
            }
            Ok(_) => {}
            Err(e) => {
                problem = Some((r.error_position(), format!("malformed XML ({e})")));
                break;
            }
        }
    }
    while stack.len() > 1 {
        let el = stack.pop().unwrap_or_default();
        if stack.len() <= 3 && is_item(&el.name) {
            item(&el);
        } else if let Some(top) = stack.last_mut() {
            top.kids.push(Node::El(el));
        }
    }
    let root = stack.pop().and_then(|doc| {
        doc.kids.into_iter().find_map(|k| match k {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    });
    (root, problem)
}

/// An element that is a story of a feed: RSS's `<item>`, Atom's `<entry>`.
fn is_item(name: &str) -> bool {
    name == "item" || name == "entry"
}

/// The `encoding` an XML declaration names.
fn xml_encoding(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_ascii_lowercase();
    let decl = &head[head.find("<?xml")?..];
    let decl = &decl[..decl.find("?>")?];
    let v = decl[decl.find("encoding")? + 8..]
        .trim_start()
        .strip_prefix('=')?;
    let v = v.trim_start();
    let q = v.chars().next()?;
    let v = &v[1..];
    Some(v[..v.find(q)?].to_string())
}

/// What one item gave: its fields, before they become an article.
#[derive(Default)]
pub(super) struct Item {
    pub title: Option<String>,
    pub link: Option<String>,
    pub date: Option<String>,
    pub authors: Vec<String>,
    pub html: Option<String>,
    pub text: Option<String>,
    pub summary: Option<String>,
}

impl Item {
    pub(super) fn article(
        self,
        path: &Path,
        source: Option<&str>,
        index: usize,
    ) -> Option<Article> {
        let mut blocks: Vec<Block> = match (&self.html, &self.text) {
            (Some(h), _) => html_blocks(h),
            (None, Some(t)) => meta::body_blocks(t),
            _ => Vec::new(),
        };
        let mut description = None;
        let mut summary_only = false;
        let summary = self.summary.as_deref().map(|s| {
            if html::looks_like_markup(s) || s.contains("&lt;") || s.contains('<') {
                html_blocks(s)
            } else {
                meta::body_blocks(s)
            }
        });
        match summary {
            // only a summary: shown as what it is, the item's text
            Some(s) if blocks.is_empty() => {
                summary_only = !s.is_empty();
                blocks = s;
            }
            Some(s) => {
                let joined: Vec<&str> = s.iter().map(|b| b.text.as_str()).collect();
                description = meta::clean(&joined.join(" "));
            }
            None => {}
        }
        if blocks.is_empty() && self.title.is_none() {
            return None;
        }
        let title = self
            .title
            .clone()
            .or_else(|| blocks.first().map(|b| b.text.chars().take(80).collect()))
            .unwrap_or_default();
        Some(Article {
            path: path.to_path_buf(),
            index_in_file: index,
            title,
            source: source
                .map(str::to_string)
                .or_else(|| self.link.as_deref().and_then(payload::host)),
            date: self.date.as_deref().and_then(meta::date),
            url: self.link,
            authors: self.authors,
            description,
            blocks,
            extracted: self.html.is_some(),
            summary_only,
            ..Article::default()
        })
    }
}

fn html_blocks(h: &str) -> Vec<Block> {
    let b = html::fragment_blocks(h);
    if b.is_empty() && !h.contains('<') {
        meta::body_blocks(h)
    } else {
        b
    }
}

/// "jane@example.org (Jane Doe)" -> "Jane Doe"; a bare address is dropped.
fn rss_author(s: &str) -> Option<String> {
    let s = s.trim();
    if let (Some(a), Some(b)) = (s.find('('), s.rfind(')')) {
        if a < b {
            return meta::clean(&s[a + 1..b]);
        }
    }
    (!s.contains('@')).then(|| meta::clean(s)).flatten()
}

fn rss_item(e: &El) -> Item {
    let mut authors: Vec<String> = e
        .children("creator")
        .chain(e.children("author"))
        .filter_map(|a| rss_author(&a.text()))
        .collect();
    authors.dedup();
    Item {
        title: e.field("title"),
        link: e
            .field("link")
            .or_else(|| e.child("guid").and_then(|g| meta::clean(&g.text())))
            .filter(|l| l.contains("://")),
        date: e
            .field("pubdate")
            .or_else(|| e.field("date"))
            .or_else(|| e.field("published")),
        authors,
        html: e
            .child("encoded")
            .map(El::text)
            .filter(|t| !t.trim().is_empty()),
        text: None,
        summary: e
            .child("description")
            .map(El::text)
            .filter(|t| !t.trim().is_empty()),
    }
}

fn atom_text(e: &El) -> (Option<String>, Option<String>) {
    let kind = e.attr("type").unwrap_or("text").to_ascii_lowercase();
    if kind == "xhtml" {
        let mut s = String::new();
        e.markup(&mut s);
        (Some(s), None)
    } else if kind == "html" || kind.contains("html") {
        (Some(e.text()), None)
    } else {
        (None, Some(e.text()))
    }
}

fn atom_entry(e: &El) -> Item {
    let link = e
        .children("link")
        .find(|l| l.attr("rel").is_none_or(|r| r == "alternate"))
        .and_then(|l| l.attr("href"))
        .map(str::to_string);
    let (html, text) = e.child("content").map(atom_text).unwrap_or_default();
    let summary = e.child("summary").map(|s| match atom_text(s) {
        (Some(h), _) => h,
        (None, Some(t)) => t,
        _ => String::new(),
    });
    Item {
        title: e.child("title").and_then(|t| {
            let (h, x) = atom_text(t);
            h.map(|h| super::scan::decode_entities(&strip_tags(&h)))
                .or(x)
                .and_then(|s| meta::clean(&s))
        }),
        link,
        date: e.field("published").or_else(|| e.field("updated")),
        authors: e
            .children("author")
            .filter_map(|a| a.field("name"))
            .collect(),
        html: html.filter(|h| !h.trim().is_empty()),
        text: text.filter(|t| !t.trim().is_empty()),
        summary: summary.filter(|s| !s.trim().is_empty()),
    }
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Parse an XML feed (RSS or Atom) into `out`.
pub fn parse_xml_feed(path: &Path, bytes: &[u8], out: &mut Loaded) {
    let text = payload::to_utf8(
        bytes,
        Some(
            &xml_encoding(bytes)
                .unwrap_or_else(|| "utf-8".into())
                .to_ascii_lowercase(),
        ),
    );
    let text = text.trim_start_matches('\u{feff}');
    // items as they close, read into what a story needs (their elements dropped)
    let mut rss: Vec<Item> = Vec::new();
    let mut atom: Vec<Item> = Vec::new();
    let (root, problem) = parse_xml(text, &mut |el| {
        if el.name == "item" {
            rss.push(rss_item(el));
        } else {
            atom.push(atom_entry(el));
        }
    });
    let Some(root) = root else {
        let why = problem.map_or("no XML element in the file".to_string(), |p| p.1);
        out.problems.push(err(
            ProblemKind::NoArticles,
            path,
            None,
            format!("not a feed: {why}"),
        ));
        return;
    };
    let (source, items): (Option<String>, Vec<Item>) = match root.name.as_str() {
        "rss" | "rdf" => {
            let channel = root.child("channel");
            // RSS 2.0 items sit in the channel; RSS 1.0's beside it
            (channel.and_then(|c| c.field("title")), rss)
        }
        "feed" => (
            root.child("title").and_then(|t| meta::clean(&t.text())),
            atom,
        ),
        other => {
            out.problems.push(err(
                ProblemKind::NoArticles,
                path,
                None,
                format!("not a feed: the root element is <{other}>, not <rss> or <feed>"),
            ));
            return;
        }
    };
    let before = out.articles.len();
    for item in items {
        let i = out.articles.len() - before;
        if let Some(a) = item.article(path, source.as_deref(), i) {
            out.articles.push(a);
        }
    }
    if let Some((at, why)) = problem {
        out.problems.push(err(
            ProblemKind::Malformed,
            path,
            Some(format!("byte {at}")),
            format!("{why}; the items before it are read"),
        ));
    }
    if out.articles.len() == before && out.problems.is_empty() {
        out.problems.push(err(
            ProblemKind::NoArticles,
            path,
            None,
            "a feed with no items".into(),
        ));
    }
}

/// Is this JSON a JSON Feed (its `version` names jsonfeed.org)? Judged from the head.
pub fn is_json_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    memchr::memmem::find(head, b"jsonfeed.org/version").is_some()
}

/// Parse a JSON Feed 1.x into `out`.
pub fn parse_json_feed(path: &Path, bytes: &[u8], out: &mut Loaded) {
    let v: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            out.problems.push(err(
                ProblemKind::Malformed,
                path,
                Some(format!("line {}", e.line())),
                format!("malformed JSON Feed ({e})"),
            ));
            return;
        }
    };
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let source = s(&v, "title").and_then(|t| meta::clean(&t));
    let Some(items) = v.get("items").and_then(Value::as_array) else {
        out.problems.push(err(
            ProblemKind::NoArticles,
            path,
            None,
            "a JSON Feed with no items".into(),
        ));
        return;
    };
    let before = out.articles.len();
    for item in items {
        let mut authors: Vec<String> = item
            .get("authors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .chain(item.get("author"))
            .filter_map(|a| a.get("name").and_then(Value::as_str).and_then(meta::clean))
            .collect();
        authors.dedup();
        let it = Item {
            title: s(item, "title").and_then(|t| meta::clean(&t)),
            link: s(item, "url").or_else(|| s(item, "external_url")),
            date: s(item, "date_published").or_else(|| s(item, "date_modified")),
            authors,
            html: s(item, "content_html").filter(|t| !t.trim().is_empty()),
            text: s(item, "content_text").filter(|t| !t.trim().is_empty()),
            summary: s(item, "summary").filter(|t| !t.trim().is_empty()),
        };
        let i = out.articles.len() - before;
        if let Some(a) = it.article(path, source.as_deref(), i) {
            out.articles.push(a);
        }
    }
    if out.articles.len() == before {
        out.problems.push(err(
            ProblemKind::NoArticles,
            path,
            None,
            "a JSON Feed with no items".into(),
        ));
    }
}

/// Does a file's head (lower case, from its first non-blank byte) show an XML feed?
pub fn sniff(lower: &str) -> bool {
    let l = lower.trim_start_matches('\u{feff}');
    let mut rest = l;
    // past the declaration, comments and processing instructions
    while let Some(r) = rest
        .strip_prefix("<?")
        .or_else(|| rest.strip_prefix("<!--"))
    {
        match r.find('>') {
            Some(i) => rest = r[i + 1..].trim_start(),
            None => return false,
        }
    }
    rest.starts_with("<rss") || rest.starts_with("<feed") || rest.starts_with("<rdf:rdf")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str, bytes: &[u8]) -> Loaded {
        let mut out = Loaded::default();
        super::super::load_bytes(Path::new(name), bytes, &mut out);
        out
    }

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>The Valley Courier</title><link>https://valley.example/</link>
<item><title>Library stays open &amp; gains a caf&#233;</title>
<link>https://valley.example/library</link>
<pubDate>Fri, 28 Feb 2020 08:00:00 GMT</pubDate>
<dc:creator>Ann Lee</dc:creator>
<description>The library will stay open.</description>
<content:encoded><![CDATA[<p>The library will stay open, the council said.</p><h2>What next</h2><p>A caf&eacute; opens in May.</p>]]></content:encoded>
</item>
<item><title>Bus routes cut</title><link>https://valley.example/bus</link>
<author>news@valley.example (Bo Chan)</author>
<description>&lt;p&gt;Three rural routes end in June.&lt;/p&gt;</description></item>
</channel></rss>"#;

    #[test]
    fn rss_items_are_stories() {
        let out = load("v.rss", RSS.as_bytes());
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let a = &out.articles;
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "Library stays open & gains a caf\u{e9}");
        assert_eq!(a[0].source.as_deref(), Some("The Valley Courier"));
        assert_eq!(a[0].date.as_deref(), Some("2020-02-28"));
        assert_eq!(a[0].url.as_deref(), Some("https://valley.example/library"));
        assert_eq!(a[0].authors, vec!["Ann Lee"]);
        assert_eq!(
            a[0].description.as_deref(),
            Some("The library will stay open.")
        );
        let texts: Vec<&str> = a[0].blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "The library will stay open, the council said.",
                "What next",
                "A caf\u{e9} opens in May."
            ]
        );
        assert_eq!(a[0].blocks[1].markup, super::super::Markup::Heading);
        // a summary only: shown as the item's text
        assert_eq!(a[1].blocks[0].text, "Three rural routes end in June.");
        assert_eq!(a[1].authors, vec!["Bo Chan"]);
        assert_eq!(a[1].index_in_file, 1);
        // sniffed without a telling name
        assert_eq!(load("feed.gz", RSS.as_bytes()).articles.len(), 0); // not gzip: an error
        assert_eq!(
            super::super::sniff(RSS.as_bytes()),
            super::super::Format::Feed
        );
    }

    #[test]
    fn atom_entries_are_stories() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Northern Ledger</title>
<entry><title type="html">Wind farm &lt;em&gt;approved&lt;/em&gt;</title>
<link rel="alternate" href="https://ledger.example/wind"/><link rel="edit" href="https://ledger.example/edit/1"/>
<published>2020-03-02T09:00:00Z</published><author><name>Cai Dunn</name></author>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Twelve turbines will rise on the moor.</p><p>Work starts &amp; ends in 2021.</p></div></content></entry>
<entry><title>Ice rink</title><link href="https://ledger.example/rink"/><updated>2020-03-03T09:00:00Z</updated>
<summary>The rink opens on Saturday.</summary></entry>
<entry><title>Plain</title><content type="text">One line.

Two line.</content></entry>
</feed>"#;
        let out = load("l.atom", atom.as_bytes());
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let a = &out.articles;
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].title, "Wind farm approved");
        assert_eq!(a[0].url.as_deref(), Some("https://ledger.example/wind"));
        assert_eq!(a[0].source.as_deref(), Some("Northern Ledger"));
        assert_eq!(a[0].authors, vec!["Cai Dunn"]);
        assert_eq!(a[0].blocks[1].text, "Work starts & ends in 2021.");
        assert_eq!(a[1].date.as_deref(), Some("2020-03-03"));
        assert_eq!(a[1].blocks[0].text, "The rink opens on Saturday.");
        assert_eq!(a[2].blocks.len(), 2);
    }

    #[test]
    fn json_feed_items_are_stories() {
        let jf = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Shiomi Daily",
          "items": [{"id": "1", "url": "https://shiomi.example/tram", "title": "Tram extension",
            "content_html": "<p>The tram will reach the port.</p>", "date_published": "2020-04-01T10:00:00+09:00",
            "authors": [{"name": "Emi Sato"}]},
           {"id": "2", "content_text": "Market opens early.\n\nStalls from five.", "author": {"name": "Ken Ito"}}]}"#;
        let out = load("s.json", jf.as_bytes());
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let a = &out.articles;
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "Tram extension");
        assert_eq!(a[0].source.as_deref(), Some("Shiomi Daily"));
        assert_eq!(a[0].date.as_deref(), Some("2020-04-01"));
        assert_eq!(a[0].authors, vec!["Emi Sato"]);
        assert_eq!(a[1].title, "Market opens early.");
        assert_eq!(a[1].blocks.len(), 2);
        assert_eq!(a[1].authors, vec!["Ken Ito"]);
        let bad = load(
            "b.json",
            b"{\"version\": \"https://jsonfeed.org/version/1\", \"items\": [",
        );
        assert!(bad.articles.is_empty() && bad.problems[0].reason.contains("malformed JSON Feed"));
    }

    #[test]
    fn a_cut_or_broken_feed_keeps_the_items_before() {
        let cut = &RSS[..RSS.find("<item><title>Bus").unwrap() + 20];
        let out = load("c.rss", cut.as_bytes());
        assert_eq!(out.articles.len(), 2, "{:?}", out.problems); // the second, titled, empty
        assert!(
            out.problems[0].reason.contains("cut short"),
            "{:?}",
            out.problems
        );
        assert!(out.problems[0].at.as_deref().unwrap().starts_with("byte "));
        let out = load("x.xml", b"<?xml version=\"1.0\"?><config><a>1</a></config>");
        assert!(out.problems[0].reason.contains("not a feed"));
        let out = load("x.rss", b"<rss><channel><title>T</title></channel></rss>");
        assert!(out.problems[0].reason.contains("no items"));
        let latin = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>Caf\u{e9}</title><item><title>R\u{e9}novation</title><description>Caf\u{e9}s close.</description></item></channel></rss>";
        let bytes: Vec<u8> = latin.chars().map(|c| c as u32 as u8).collect();
        let out = load("l.rss", &bytes);
        assert_eq!(out.articles[0].title, "R\u{e9}novation");
        assert_eq!(out.articles[0].source.as_deref(), Some("Caf\u{e9}"));
        for cut in (0..RSS.len()).step_by(13) {
            load("j.rss", &RSS.as_bytes()[..cut]);
            load("j.xml", &RSS.as_bytes()[cut..]);
        }
    }
}
