//! A story laid out for the reading pane: wrapped once per (width, hidden shown), as a
//! list of lines each tagged with the paragraph and byte offset it starts at, so that a
//! reading position survives re-wrapping (resize, `H`).

use crate::archive::Story;
use crate::text::sanitize;
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

/// A story wrapped to a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The text width wrapped to, in columns (at least 1).
    pub width: u16,
    /// Hidden blocks included (dimmed, labelled)?
    pub show_hidden: bool,
    /// The lines, in order (their anchors ascend).
    pub lines: Vec<Line>,
    /// Words shown as the story (for the reading time; counted once, not per frame).
    pub words: usize,
    /// Blocks hidden as clutter.
    pub hidden: usize,
}

impl Doc {
    /// Lay out `story` at `width` columns. `with_title`: start with the title (when the
    /// pane's border cannot show it whole).
    pub fn build(story: &Story, width: u16, show_hidden: bool, with_title: bool) -> Doc {
        let width = width.max(1);
        let mut lines = Vec::new();
        let push_para = |lines: &mut Vec<Line>, para: u32, text: &str, kind: LineKind| {
            wrap_into(lines, para, text, kind, width as usize);
            lines.push(Line {
                text: String::new(),
                kind: LineKind::Blank,
                at: Anchor {
                    para,
                    sub: u32::MAX,
                },
            });
        };
        if with_title {
            push_para(&mut lines, 0, &story.article.title, LineKind::Title);
        }
        for (i, d) in story.cleaned.blocks.iter().enumerate() {
            let para = i as u32 + 1;
            if d.shown {
                let kind = match (d.kind, d.markup) {
                    (crate::clean::Kind::Subheading, _) | (_, crate::article::Markup::Heading) => {
                        LineKind::Heading
                    }
                    _ => LineKind::Body,
                };
                push_para(&mut lines, para, &d.text, kind);
            } else if show_hidden {
                let label = format!("hidden · {} · {}", d.kind.as_str(), d.reason);
                for l in textwrap::wrap(&label, textwrap::Options::new(width as usize)) {
                    lines.push(Line {
                        text: fit(&sanitize(&l), width as usize),
                        kind: LineKind::HiddenLabel,
                        at: Anchor { para, sub: 0 },
                    });
                }
                push_para(&mut lines, para, &d.text, LineKind::Hidden);
            }
        }
        if lines.last().is_some_and(|l| l.kind == LineKind::Blank) {
            lines.pop();
        }
        Doc {
            width,
            show_hidden,
            lines,
            words: story.word_count(),
            hidden: story.cleaned.hidden().count(),
        }
    }

    /// The line showing `anchor`: the last line starting at or before it; when its
    /// paragraph is gone (hidden again), the start of the next one.
    pub fn line_of(&self, anchor: Anchor) -> usize {
        let after = self.lines.partition_point(|l| l.at <= anchor);
        let line = after.saturating_sub(1);
        match self.lines.get(line) {
            Some(l) if l.at.para != anchor.para && l.kind == LineKind::Blank => {
                after.min(self.lines.len().saturating_sub(1))
            }
            _ => line,
        }
    }

    /// The anchor of a line (the start when there are no lines).
    pub fn anchor_of(&self, line: usize) -> Anchor {
        self.lines.get(line).map(|l| l.at).unwrap_or_default()
    }

    /// Lines containing `query` (case-insensitive).
    pub fn find(&self, query: &str) -> Vec<usize> {
        if query.is_empty() {
            return Vec::new();
        }
        let q = query.to_lowercase();
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.text.to_lowercase().contains(&q))
            .map(|(i, _)| i)
            .collect()
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

    #[test]
    fn anchors_survive_rewrapping() {
        let s = story(
            "T",
            &[
                "one two three four five six seven eight nine ten",
                "eleven twelve thirteen fourteen fifteen sixteen seventeen",
            ],
        );
        let wide = Doc::build(&s, 40, false, false);
        let narrow = Doc::build(&s, 10, false, false);
        // the line starting "fifteen" in the narrow layout
        let i = narrow
            .lines
            .iter()
            .position(|l| l.text.starts_with("fifteen"))
            .unwrap();
        let a = narrow.anchor_of(i);
        let j = wide.line_of(a);
        assert!(
            wide.lines[j].text.contains("fifteen"),
            "{:?}",
            wide.lines[j]
        );
        // and back: the wide line maps to a narrow line at or before "fifteen"
        let k = narrow.line_of(wide.anchor_of(j));
        assert!(k <= i && narrow.lines[k].at.para == a.para);
    }

    #[test]
    fn width_one_and_wide_characters() {
        let s = story("T", &["潮見の朝市 opens"]);
        let d = Doc::build(&s, 1, true, true);
        assert!(d.lines.iter().all(|l| l.text.width() <= 1));
        let d = Doc::build(&s, 3, true, true);
        assert!(d.lines.iter().all(|l| l.text.width() <= 3));
    }
}
