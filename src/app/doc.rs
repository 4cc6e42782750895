//! A story laid out for the reading pane at one width. Each paragraph is wrapped (with
//! textwrap) the first time it is needed and kept, so opening, scrolling, resizing or
//! moving through a story costs what is on screen, not the story's length: a story of
//! any size opens in the same time. Every line is tagged with the paragraph and byte
//! offset it starts at ([`Anchor`]), so a reading position survives re-wrapping.

use crate::archive::Story;
use crate::text::sanitize;
use std::cell::OnceCell;
use std::rc::Rc;
use unicode_width::UnicodeWidthStr;

/// What a line of the laid-out story is, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// The story's title (shown in the pane when the border cannot hold it).
    Title,
    /// A paragraph of the story.
    Body,
    /// A heading inside the story.
    Heading,
    /// The label of a hidden block shown with `H`: its kind and why it was hidden.
    HiddenLabel,
    /// The text of a hidden block shown with `H`.
    Hidden,
    /// Space between paragraphs.
    Blank,
}

/// A place in a story that does not depend on the width: a paragraph and an offset in it.
/// Ordered as the text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Anchor {
    /// 0: the title; `i + 1`: the story's block `i` (hidden or not).
    pub para: u32,
    /// 0: the label of a hidden block; `b + 1`: the line starting at byte `b` of the
    /// paragraph; `u32::MAX`: the blank line after it.
    pub sub: u32,
}

/// A line of the laid-out story: the `line`th line of its `para`th laid-out paragraph.
/// Ordered as the text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// Index of the laid-out paragraph.
    pub para: usize,
    /// Line within it.
    pub line: usize,
}

/// One screen line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The text, sanitised, at most the doc's width wide.
    pub text: String,
    /// How it is drawn.
    pub kind: LineKind,
    /// Where in the story it starts.
    pub at: Anchor,
}

/// Where a paragraph's text is: in the story (borrowed through the doc's `Rc`, never
/// copied) or, for a hidden block's label, made here.
#[derive(Debug, Clone)]
enum Src {
    Title,
    /// `article.blocks[i]` (a story not cleaned yet).
    Stored(usize),
    /// `cleaned.blocks[i]`.
    Decided(usize),
    Label(String),
}

#[derive(Debug, Clone)]
struct Para {
    /// The anchor paragraph (0 title, i + 1 block i).
    id: u32,
    /// How its lines are drawn.
    kind: LineKind,
    /// Where its text is.
    src: Src,
    /// A blank line follows.
    blank_after: bool,
}

impl Para {
    /// The anchor of its first line.
    fn start(&self) -> Anchor {
        Anchor {
            para: self.id,
            sub: u32::from(self.kind != LineKind::HiddenLabel),
        }
    }
}

/// A story laid out at a width, wrapped lazily, paragraph by paragraph.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The text width wrapped to, in columns (at least 1).
    pub width: u16,
    /// Hidden blocks included (dimmed, labelled)?
    pub show_hidden: bool,
    /// Starts with the title?
    pub with_title: bool,
    /// Words shown as the story (for the reading time; set by the app from its per-story
    /// count, so a re-layout does not count again).
    pub words: usize,
    /// Blocks hidden as clutter.
    pub hidden: usize,
    /// The story laid out (shared with the list: nothing is copied).
    story: Rc<Story>,
    /// The paragraphs, shared by every layout of the same story.
    paras: Rc<[Para]>,
    /// Each paragraph's lines at this width, wrapped on first use.
    wrapped: Vec<OnceCell<Vec<Line>>>,
    /// Bytes of text before each paragraph (for the scroll percentage).
    bytes_before: Rc<[usize]>,
    total_bytes: usize,
}

impl Doc {
    /// The story laid out.
    pub fn story(&self) -> &Rc<Story> {
        &self.story
    }

    /// Lay out `story` at `width` columns. `with_title`: start with the title (when the
    /// pane's border cannot show it whole). Nothing is wrapped yet.
    pub fn build(story: &Rc<Story>, width: u16, show_hidden: bool, with_title: bool) -> Doc {
        let width = width.max(1);
        let mut paras = Vec::new();
        let mut push = |id: u32, kind: LineKind, src: Src| {
            paras.push(Para {
                id,
                kind,
                src,
                blank_after: kind != LineKind::HiddenLabel,
            })
        };
        if with_title {
            push(0, LineKind::Title, Src::Title);
        }
        if story.cleaned.blocks.is_empty() {
            // not cleaned yet: every block as stored
            for (i, b) in story.article.blocks.iter().enumerate() {
                let heading = b.markup == crate::article::Markup::Heading;
                let kind = if heading {
                    LineKind::Heading
                } else {
                    LineKind::Body
                };
                push(i as u32 + 1, kind, Src::Stored(i));
            }
        }
        for (i, d) in story.cleaned.blocks.iter().enumerate() {
            let id = i as u32 + 1;
            if d.shown {
                let kind = match (d.kind, d.markup) {
                    (crate::clean::Kind::Subheading, _) | (_, crate::article::Markup::Heading) => {
                        LineKind::Heading
                    }
                    _ => LineKind::Body,
                };
                push(id, kind, Src::Decided(i));
            } else if show_hidden {
                let label = format!("hidden · {} · {}", d.kind.as_str(), d.reason);
                push(id, LineKind::HiddenLabel, Src::Label(label));
                push(id, LineKind::Hidden, Src::Decided(i));
            }
        }
        if let Some(last) = paras.last_mut() {
            last.blank_after = false;
        }
        let mut bytes_before = Vec::with_capacity(paras.len());
        let mut total_bytes = 0;
        for p in &paras {
            bytes_before.push(total_bytes);
            total_bytes += text_of(story, p).len();
        }
        Doc {
            story: Rc::clone(story),
            width,
            show_hidden,
            with_title,
            words: 0,
            hidden: story.cleaned.hidden().count(),
            wrapped: vec![OnceCell::new(); paras.len()],
            paras: paras.into(),
            bytes_before: bytes_before.into(),
            total_bytes,
        }
    }

    /// The same story at another width: the paragraphs are shared, nothing is wrapped yet.
    pub fn rewrap(&self, width: u16) -> Doc {
        Doc {
            width: width.max(1),
            wrapped: vec![OnceCell::new(); self.paras.len()],
            story: Rc::clone(&self.story),
            paras: Rc::clone(&self.paras),
            bytes_before: Rc::clone(&self.bytes_before),
            ..*self
        }
    }

    fn text(&self, p: usize) -> &str {
        text_of(&self.story, &self.paras[p])
    }

    /// The lines of a laid-out paragraph (wrapped now if they were not yet).
    fn lines_of(&self, p: usize) -> &[Line] {
        let para = &self.paras[p];
        self.wrapped[p].get_or_init(|| {
            let w = self.width as usize;
            let text = text_of(&self.story, para);
            let mut lines = Vec::new();
            if para.kind == LineKind::HiddenLabel {
                for l in textwrap::wrap(text, textwrap::Options::new(w)) {
                    lines.push(Line {
                        text: fit(&sanitize(&l), w),
                        kind: LineKind::HiddenLabel,
                        at: para.start(),
                    });
                }
            } else {
                wrap_into(&mut lines, para.id, text, para.kind, w);
            }
            if lines.is_empty() {
                lines.push(Line {
                    text: String::new(),
                    kind: para.kind,
                    at: para.start(),
                });
            }
            if para.blank_after {
                lines.push(Line {
                    text: String::new(),
                    kind: LineKind::Blank,
                    at: Anchor {
                        para: para.id,
                        sub: u32::MAX,
                    },
                });
            }
            lines
        })
    }

    /// No lines at all?
    pub fn is_empty(&self) -> bool {
        self.paras.is_empty()
    }

    /// The line at `pos`, if there is one.
    pub fn line(&self, pos: Pos) -> Option<&Line> {
        if pos.para >= self.paras.len() {
            return None;
        }
        self.lines_of(pos.para).get(pos.line)
    }

    /// Lines from `pos` on, with their positions (wrapping paragraphs as they are reached).
    pub fn lines_from(&self, pos: Pos) -> impl Iterator<Item = (Pos, &Line)> + '_ {
        (pos.para..self.paras.len()).flat_map(move |p| {
            let skip = if p == pos.para { pos.line } else { 0 };
            self.lines_of(p)
                .iter()
                .enumerate()
                .skip(skip)
                .map(move |(l, line)| (Pos { para: p, line: l }, line))
        })
    }

    /// The last line.
    pub fn end(&self) -> Pos {
        match self.paras.len() {
            0 => Pos::default(),
            n => Pos {
                para: n - 1,
                line: self.lines_of(n - 1).len() - 1,
            },
        }
    }

    /// `n` lines after (or before, when negative) `pos`, stopping at the ends.
    pub fn advance(&self, pos: Pos, n: isize) -> Pos {
        if self.paras.is_empty() {
            return Pos::default();
        }
        let mut p = pos.para.min(self.paras.len() - 1);
        let mut l = pos.line as isize + n;
        loop {
            if l < 0 {
                if p == 0 {
                    return Pos::default();
                }
                p -= 1;
                l += self.lines_of(p).len() as isize;
            } else {
                let len = self.lines_of(p).len() as isize;
                if l < len {
                    return Pos {
                        para: p,
                        line: l as usize,
                    };
                }
                if p + 1 == self.paras.len() {
                    return Pos {
                        para: p,
                        line: len as usize - 1,
                    };
                }
                l -= len;
                p += 1;
            }
        }
    }

    /// The lowest first line that still fills a pane of `height` lines.
    pub fn max_top(&self, height: usize) -> Pos {
        self.advance(self.end(), 1 - height.max(1) as isize)
    }

    /// The line showing `anchor`: the last line starting at or before it; when its
    /// paragraph is gone (hidden again), the start of the next one.
    pub fn pos_of(&self, anchor: Anchor) -> Pos {
        let after = self.paras.partition_point(|p| p.start() <= anchor);
        if after == 0 {
            return Pos::default();
        }
        let p = after - 1;
        if self.paras[p].id != anchor.para && after < self.paras.len() {
            return Pos {
                para: after,
                line: 0,
            };
        }
        let lines = self.lines_of(p);
        Pos {
            para: p,
            line: lines.partition_point(|l| l.at <= anchor).saturating_sub(1),
        }
    }

    /// The anchor of a line (the start when there are no lines).
    pub fn anchor_of(&self, pos: Pos) -> Anchor {
        self.line(pos).map(|l| l.at).unwrap_or_default()
    }

    /// How far through the story the bottom of a pane of `height` lines at `top` is.
    pub fn percent(&self, top: Pos, height: usize) -> u16 {
        let bottom = self.advance(top, height.max(1) as isize - 1);
        if self.total_bytes == 0 || bottom >= self.end() {
            return 100;
        }
        let within = self
            .line(bottom)
            .map(|l| match l.at.sub {
                0 => 0,
                u32::MAX => self.text(bottom.para).len(),
                s => s as usize - 1 + l.text.len(),
            })
            .unwrap_or(0);
        let done = self.bytes_before[bottom.para] + within.min(self.text(bottom.para).len());
        (done * 100 / self.total_bytes).min(99) as u16
    }

    /// Where `query` (case-insensitive) occurs, in order (labels are not searched).
    pub fn find(&self, query: &str) -> Vec<Anchor> {
        let q = query.to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for p in self
            .paras
            .iter()
            .filter(|p| p.kind != LineKind::HiddenLabel)
        {
            let text = text_of(&self.story, p);
            let lower = text.to_lowercase();
            let same = lower.len() == text.len();
            let mut at = 0;
            while let Some(i) = lower[at..].find(&q) {
                let off = if same { at + i } else { 0 };
                out.push(Anchor {
                    para: p.id,
                    sub: off as u32 + 1,
                });
                at += i + q.len();
            }
        }
        out
    }

    /// Every line, wrapping everything (for tests and small uses; O(story)).
    pub fn all_lines(&self) -> Vec<&Line> {
        self.lines_from(Pos::default()).map(|(_, l)| l).collect()
    }
}

/// A paragraph's text.
fn text_of<'a>(story: &'a Story, p: &'a Para) -> &'a str {
    match &p.src {
        Src::Title => &story.article.title,
        Src::Stored(i) => &story.article.blocks[*i].text,
        Src::Decided(i) => &story.cleaned.blocks[*i].text,
        Src::Label(l) => l,
    }
}

/// Wrap one paragraph (hard line breaks kept) and push its lines with their offsets.
fn wrap_into(lines: &mut Vec<Line>, para: u32, text: &str, kind: LineKind, width: usize) {
    let opts = textwrap::Options::new(width).break_words(true);
    let base = text.as_ptr() as usize;
    let mut cursor = 0usize;
    for hard in text.split('\n') {
        for piece in textwrap::wrap(hard, &opts) {
            // the byte offset of this piece in the paragraph (pieces borrow from it)
            let p = piece.as_ptr() as usize;
            let off = if p >= base && p <= base + text.len() {
                p - base
            } else {
                cursor
            };
            cursor = off + piece.len();
            lines.push(Line {
                text: fit(&sanitize(&piece), width),
                kind,
                at: Anchor {
                    para,
                    sub: (off as u32).saturating_add(1),
                },
            });
        }
    }
}

/// Cut `s` to at most `width` columns (wide characters never split).
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width {
            break;
        }
        w += cw;
        out.push(c);
    }
    out
}

/// Truncate `s` to `width` columns, ending in `…` when cut; control characters removed.
/// Wide (CJK) characters and emoji are measured by their display width.
pub fn truncate(s: &str, width: usize) -> String {
    let s = sanitize(s).replace('\n', " ");
    if s.width() <= width {
        return s;
    }
    if width == 0 {
        return String::new();
    }
    let mut out = fit(&s, width - 1);
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::story;

    #[test]
    fn truncate_by_display_width() {
        assert_eq!(truncate("Harbour ferry", 8), "Harbour…");
        assert_eq!(truncate("潮見の朝市", 6), "潮見…");
        assert_eq!(truncate("潮見の朝市", 5), "潮見…");
        assert_eq!(truncate("潮見の朝市", 10), "潮見の朝市");
        assert_eq!(truncate("ab🎉cd", 4), "ab…");
        assert_eq!(truncate("a\x1b[2Jb", 9), "a[2Jb");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("abc", 1), "…");
    }

    fn texts(d: &Doc) -> Vec<String> {
        d.all_lines().iter().map(|l| l.text.clone()).collect()
    }

    #[test]
    fn anchors_survive_rewrapping() {
        let s = story(
            "T",
            &[
                "one two three four five six seven eight nine ten",
                "eleven twelve thirteen fourteen fifteen sixteen seventeen",
            ],
        );
        let wide = Doc::build(&Rc::new(s.clone()), 40, false, false);
        let narrow = wide.rewrap(10);
        assert_eq!(
            narrow.all_lines(),
            Doc::build(&Rc::new(s.clone()), 10, false, false).all_lines()
        );
        // the line starting "fifteen" in the narrow layout
        let (p, _) = narrow
            .lines_from(Pos::default())
            .find(|(_, l)| l.text.starts_with("fifteen"))
            .unwrap();
        let a = narrow.anchor_of(p);
        let q = wide.pos_of(a);
        assert!(wide.line(q).unwrap().text.contains("fifteen"));
        // and back: the wide line maps to a narrow line at or before "fifteen"
        let k = narrow.pos_of(wide.anchor_of(q));
        assert!(k <= p && narrow.line(k).unwrap().at.para == a.para);
    }

    #[test]
    fn moving_by_lines_across_paragraphs() {
        let s = story("T", &["a b c d", "e f", "g"]);
        let d = Doc::build(&Rc::new(s.clone()), 3, false, false);
        assert_eq!(texts(&d), ["a b", "c d", "", "e f", "", "g"]);
        let end = d.end();
        assert_eq!(d.line(end).unwrap().text, "g");
        assert_eq!(d.advance(Pos::default(), 4), Pos { para: 1, line: 1 });
        assert_eq!(d.advance(end, -5), Pos::default());
        assert_eq!(d.advance(end, -50), Pos::default());
        assert_eq!(d.advance(Pos::default(), 50), end);
        assert_eq!(d.max_top(2), Pos { para: 1, line: 1 });
        assert_eq!(d.max_top(100), Pos::default());
        assert_eq!(d.percent(Pos::default(), 2), 63); // 7 of 11 bytes
        assert_eq!(d.percent(d.max_top(2), 2), 100);
        let f = d.find("F");
        assert_eq!(f, [Anchor { para: 2, sub: 3 }]);
        assert_eq!(d.pos_of(f[0]), Pos { para: 1, line: 0 });
    }

    #[test]
    fn only_what_is_reached_is_wrapped() {
        let paras: Vec<String> = (0..1000).map(|i| format!("paragraph {i} text")).collect();
        let refs: Vec<&str> = paras.iter().map(|s| s.as_str()).collect();
        let d = Doc::build(&Rc::new(story("T", &refs)), 20, false, false);
        let _ = d.lines_from(Pos::default()).take(10).count();
        let wrapped = d.wrapped.iter().filter(|p| p.get().is_some()).count();
        assert!(wrapped <= 6, "{wrapped}");
        let _ = d.max_top(10);
        let wrapped = d.wrapped.iter().filter(|p| p.get().is_some()).count();
        assert!(wrapped <= 12, "{wrapped}");
    }

    #[test]
    fn width_one_and_wide_characters() {
        let s = story("T", &["潮見の朝市 opens"]);
        let d = Doc::build(&Rc::new(s.clone()), 1, true, true);
        assert!(d.all_lines().iter().all(|l| l.text.width() <= 1));
        let d = Doc::build(&Rc::new(s.clone()), 3, true, true);
        assert!(d.all_lines().iter().all(|l| l.text.width() <= 3));
        let empty = Doc::build(&Rc::new(story("T", &[])), 10, false, false);
        assert!(empty.is_empty() && empty.line(empty.end()).is_none());
        assert_eq!(empty.advance(Pos::default(), 3), Pos::default());
        assert_eq!(empty.percent(Pos::default(), 3), 100);
    }
}
