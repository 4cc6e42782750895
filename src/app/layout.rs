//! Where things are on the screen, from the terminal size and the state: pure geometry
//! shared by the view (to draw) and the app (to scroll by pages and to hit-test the mouse).

use super::Focus;
use ratatui::layout::Rect;

/// Settings that shape the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// List pane width, in columns.
    pub list_width: u16,
    /// Widest the story text is set.
    pub max_width: u16,
    /// Below this terminal width only one pane is shown.
    pub narrow_below: u16,
}

/// The screen's parts. A pane is `None` when it is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    /// The list pane, with its border.
    pub list: Option<Rect>,
    /// The reading pane, with its border.
    pub reader: Option<Rect>,
    /// The reading pane's meta line.
    pub meta: Rect,
    /// The story text inside the reading pane (centred, at most `max_width` wide).
    pub text: Rect,
    /// The status line.
    pub status: Rect,
}

impl Layout {
    /// Lay out a `width` x `height` screen.
    pub fn new(width: u16, height: u16, sizes: Sizes, focus: Focus) -> Layout {
        let status = Rect::new(0, height.saturating_sub(1), width, height.min(1));
        let body_h = height.saturating_sub(1);
        let mut out = Layout {
            status,
            ..Layout::default()
        };
        if body_h == 0 || width == 0 {
            return out;
        }
        if width < sizes.narrow_below {
            let all = Rect::new(0, 0, width, body_h);
            match focus {
                Focus::List => out.list = Some(all),
                Focus::Reader => out.reader = Some(all),
            }
        } else {
            let lw = sizes.list_width.min(width / 2);
            out.list = Some(Rect::new(0, 0, lw, body_h));
            out.reader = Some(Rect::new(lw, 0, width - lw, body_h));
        }
        if let Some(r) = out.reader {
            let inner = inner(r);
            out.meta = Rect::new(inner.x, inner.y, inner.width, inner.height.min(1));
            let tw = inner
                .width
                .saturating_sub(2)
                .min(sizes.max_width)
                .max(inner.width.min(1));
            let tx = inner.x + (inner.width - tw) / 2;
            let th = inner.height.saturating_sub(2);
            out.text = Rect::new(tx, inner.y + inner.height.min(2), tw, th);
        }
        out
    }

    /// Story rows that fit in the list pane (each story takes two rows).
    pub fn list_rows(&self) -> usize {
        self.list
            .map(|r| (inner(r).height / 2).max(1) as usize)
            .unwrap_or(1)
    }
}

/// Inside a bordered rectangle.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(r.width.min(1)),
        r.y.saturating_add(r.height.min(1)),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Sizes = Sizes {
        list_width: 36,
        max_width: 80,
        narrow_below: 80,
    };

    #[test]
    fn wide_and_narrow() {
        let l = Layout::new(100, 30, S, Focus::List);
        assert_eq!(l.list, Some(Rect::new(0, 0, 36, 29)));
        assert_eq!(l.reader, Some(Rect::new(36, 0, 64, 29)));
        assert_eq!(l.text, Rect::new(38, 3, 60, 25));
        assert_eq!(l.status, Rect::new(0, 29, 100, 1));
        let n = Layout::new(60, 20, S, Focus::Reader);
        assert_eq!(n.list, None);
        assert_eq!(n.reader, Some(Rect::new(0, 0, 60, 19)));
        let w = Layout::new(200, 30, S, Focus::List);
        assert_eq!(w.text.width, 80);
        assert_eq!(w.text.x, 36 + 1 + (162 - 80) / 2);
    }

    #[test]
    fn tiny_sizes_do_not_underflow() {
        for w in 0..6 {
            for h in 0..6 {
                for f in [Focus::List, Focus::Reader] {
                    let l = Layout::new(w, h, S, f);
                    assert!(l.text.right() <= w.max(1) && l.text.bottom() <= h.max(2));
                }
            }
        }
    }
}
