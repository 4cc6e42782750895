//! Drawing only: [`Screen`] borrows the [`App`] and a [`Theme`] and renders the list, the
//! reading pane, the status line and help into a buffer. No state changes, no wrapping
//! (the app keeps the story wrapped per width), no I/O. Only what is on screen is
//! visited, so a frame costs the same for 10 stories or 100,000.

pub mod theme;

use crate::app::layout::inner;
use crate::app::{doc::truncate, App, Focus, LineKind, Mode, Stage};
use crate::keymap::Action;
use crate::text::pretty_date;
pub use theme::Theme;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

/// The whole reader screen.
pub struct Screen<'a> {
    /// The state drawn.
    pub app: &'a App,
    /// Colours.
    pub theme: &'a Theme,
}

impl Widget for Screen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = self.theme;
        // the app's layout is for its own size; draw into the buffer's area
        let l = crate::app::Layout::new(area.width, area.height, app.settings().sizes, app.focus());
        let l = offset(l, area);
        if let Some(r) = l.list {
            draw_list(app, t, r, buf);
        }
        if let Some(r) = l.reader {
            draw_reader(app, t, r, l.meta, l.text, buf);
        }
        draw_status(app, t, l.status, buf);
        if app.mode() == Mode::Help {
            draw_help(app, t, area, buf);
        }
    }
}

fn offset(mut l: crate::app::Layout, area: Rect) -> crate::app::Layout {
    let mv = |r: Rect| Rect::new(r.x + area.x, r.y + area.y, r.width, r.height);
    l.list = l.list.map(mv);
    l.reader = l.reader.map(mv);
    l.meta = mv(l.meta);
    l.text = mv(l.text);
    l.status = mv(l.status);
    l
}

fn pane<'a>(t: &Theme, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { t.accent } else { t.border })
}

fn draw_list(app: &App, t: &Theme, r: Rect, buf: &mut Buffer) {
    let focused = app.focus() == Focus::List;
    let unread = app.entries().iter().filter(|e| !e.read).count();
    let mut title = if let Some(s) = app.search() {
        format!(
            " Stories {}/{} · full text: {} ",
            app.visible().len(),
            app.entries().len(),
            s.query
        )
    } else if app.filter().is_empty() {
        if app.visible().len() == app.entries().len() {
            format!(" Stories {} · {unread} unread ", app.entries().len())
        } else {
            format!(" Stories {}/{} ", app.visible().len(), app.entries().len())
        }
    } else {
        format!(
            " Stories {}/{} · /{} ",
            app.visible().len(),
            app.entries().len(),
            app.filter()
        )
    };
    if app.unread_only() {
        title.push_str("· unread only ");
    }
    if let Some(src) = app.source() {
        title.push_str(&format!("· {} ", crate::text::sanitize(src)));
    }
    if app.sort() != crate::app::Sort::Archive {
        title.push_str(&format!("· by {} ", app.sort().name()));
    }
    title = truncate(&title, r.width.saturating_sub(2) as usize);
    let block = pane(t, focused).title(Span::styled(title, t.title));
    let area = inner(r);
    block.render(r, buf);
    if area.width == 0 || area.height == 0 {
        return;
    }
    if app.visible().is_empty() {
        let msg = if !app.progress().finished {
            "loading…"
        } else if app.filter().is_empty() {
            "no stories"
        } else {
            "no story matches"
        };
        Paragraph::new(Span::styled(msg, t.dim)).render(area, buf);
        return;
    }
    let w = area.width as usize;
    let rows = (area.height / 2).max(1) as usize;
    for (n, &i) in app
        .visible()
        .iter()
        .enumerate()
        .skip(app.list_offset())
        .take(rows)
    {
        let e = &app.entries()[i];
        let y = area.y + ((n - app.list_offset()) * 2) as u16;
        let (mark, mark_style) = if e.starred {
            ("★", t.star)
        } else if !e.read {
            ("●", t.unread)
        } else {
            (" ", Style::default())
        };
        let title = truncate(e.title(), w.saturating_sub(2));
        let line1 = Line::from(vec![
            Span::styled(mark, mark_style),
            Span::raw(" "),
            Span::styled(title, if e.read { Style::default() } else { t.bold }),
        ]);
        let mut meta = Vec::new();
        if let Some(s) = e.source() {
            meta.push(s.to_string());
        }
        if let Some(d) = e.date() {
            meta.push(if e.date_is_capture() {
                format!("captured {}", pretty_date(d))
            } else {
                pretty_date(d)
            });
        }
        let line2 = Line::from(vec![
            Span::raw("  "),
            Span::styled(truncate(&meta.join(" · "), w.saturating_sub(2)), t.dim),
        ]);
        let row = Rect::new(area.x, y, area.width, 1);
        line1.render(row, buf);
        if y + 1 < area.bottom() {
            line2.render(Rect::new(area.x, y + 1, area.width, 1), buf);
        }
        if n == app.selected() {
            let sel = Rect::new(area.x, y, area.width, 2.min(area.bottom() - y));
            buf.set_style(
                sel,
                if focused {
                    t.selected
                } else {
                    t.selected_unfocused
                },
            );
        }
    }
}

fn draw_reader(app: &App, t: &Theme, r: Rect, meta: Rect, text: Rect, buf: &mut Buffer) {
    let focused = app.focus() == Focus::Reader;
    // the open story, else the selected one while it is read from its file
    let entry = app
        .reader()
        .map(|rd| &app.entries()[rd.entry])
        .or_else(|| app.selected_entry());
    let room = r.width.saturating_sub(4) as usize;
    let mut block = pane(t, focused);
    if let Some(e) = entry {
        block = block.title(Span::styled(
            format!(" {} ", truncate(e.title(), room)),
            t.title,
        ));
    }
    if let Some(p) = app.percent().filter(|_| r.width >= 10) {
        block = block.title_bottom(Line::from(format!(" {p}% ")).right_aligned());
    }
    block.render(r, buf);
    let Some(rd) = app.reader() else {
        let msg = match (entry, app.failed()) {
            (Some(e), Some((id, why))) if e.id == *id => format!("could not be read: {why}"),
            (Some(_), _) => "loading…".into(),
            (None, _) if !app.progress().finished => "loading…".into(),
            (None, _) => String::new(),
        };
        Paragraph::new(Span::styled(msg, t.dim))
            .wrap(ratatui::widgets::Wrap { trim: false })
            .render(inner(r), buf);
        return;
    };
    // meta line: source · date · author · N min · K hidden
    let s = rd.doc.story();
    let mut parts = s.meta_parts();
    let words = rd.doc.words as u32;
    parts.push(format!(
        "{} min",
        words.div_ceil(app.settings().words_per_minute).max(1)
    ));
    let hidden = rd.doc.hidden;
    if !rd.cleaned {
        parts.push("not cleaned yet".into());
    } else if hidden > 0 {
        parts.push(if app.show_hidden() {
            format!("{hidden} hidden, shown")
        } else {
            format!("{hidden} hidden")
        });
    }
    if meta.height > 0 && meta.width > 2 {
        let m = Rect::new(meta.x + 1, meta.y, meta.width - 2, 1);
        Span::styled(truncate(&parts.join(" · "), m.width as usize), t.dim).render(m, buf);
    }
    // the text: only the lines on screen
    let terms = app.search().map(|s| &s.terms).filter(|t| !t.is_empty());
    let find = app
        .find()
        .filter(|f| !f.query.is_empty())
        .map(|f| (f.query.to_lowercase(), f.line));
    for (row, (i, line)) in rd
        .doc
        .lines_from(rd.top)
        .take(text.height as usize)
        .enumerate()
    {
        let style = match line.kind {
            LineKind::Title | LineKind::Heading => t.bold,
            LineKind::Body | LineKind::Blank => Style::default(),
            LineKind::HiddenLabel => t.hidden_label,
            LineKind::Hidden => t.hidden,
        };
        let area = Rect::new(text.x, text.y + row as u16, text.width, 1);
        let spans = match (&find, &terms) {
            (Some((q, cur)), _) => highlight(&line.text, q, style, t, *cur == Some(i)),
            (None, Some(terms)) => highlight_terms(&line.text, terms, style, t.matched),
            (None, None) => vec![Span::styled(line.text.as_str(), style)],
        };
        Line::from(spans).render(area, buf);
    }
}

/// Spans of a line with every match of `q` (lower case) highlighted.
fn highlight<'a>(text: &'a str, q: &str, style: Style, t: &Theme, current: bool) -> Vec<Span<'a>> {
    let mark = if current { t.match_current } else { t.matched };
    highlight_terms(text, &[q], style, mark)
}

/// Spans of a line with every word of a full-text search's matches (lower case) marked.
fn highlight_terms<'a>(
    text: &'a str,
    terms: &[impl AsRef<str>],
    style: Style,
    mark: Style,
) -> Vec<Span<'a>> {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        // case folding changed the byte lengths: mark the whole line
        let hit = terms.iter().any(|q| lower.contains(q.as_ref()));
        return vec![Span::styled(text, if hit { mark } else { style })];
    }
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        // the earliest match of any term from `at`, longest first at the same place
        let next = terms
            .iter()
            .map(AsRef::as_ref)
            .filter(|q: &&str| !q.is_empty())
            .filter_map(|q| lower[at..].find(q).map(|p| (at + p, q.len())))
            .min_by_key(|&(p, len)| (p, std::cmp::Reverse(len)));
        let Some((s, len)) = next else { break };
        let e = s + len;
        if !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            break;
        }
        out.push(Span::styled(&text[at..s], style));
        out.push(Span::styled(&text[s..e], mark));
        at = e;
    }
    out.push(Span::styled(&text[at..], style));
    out
}

/// The key hints for what the keyboard does now, from the live keymap: (keys, what,
/// priority; 0 is kept longest when the line is short).
pub fn hints(app: &App) -> Vec<(String, &'static str, u8)> {
    let k = app.keymap();
    let one = |a: Action| k.first(a);
    let pair = |a: Action, b: Action| k.pair(a, b);
    let wide = app.layout().list.is_some() && app.layout().reader.is_some();
    let items: Vec<(Option<String>, &'static str, u8)> = match app.focus() {
        Focus::List => vec![
            (pair(Action::Down, Action::Up), "move", 1),
            (one(Action::Read), "read", 1),
            (pair(Action::NextStory, Action::PrevStory), "story", 4),
            (one(Action::Search), "filter", 3),
            (
                if wide {
                    one(Action::ToggleHidden)
                } else {
                    None
                },
                "hidden",
                5,
            ),
            (one(Action::ToggleStar), "star", 6),
            (one(Action::Help), "help", 0),
            (one(Action::Quit), "quit", 0),
        ],
        Focus::Reader => vec![
            (pair(Action::Down, Action::Up), "scroll", 1),
            (pair(Action::PageDown, Action::PageUp), "page", 3),
            (
                pair(Action::NextStory, Action::PrevStory),
                "next/prev story",
                2,
            ),
            (one(Action::Back), "list", 1),
            (one(Action::ToggleHidden), "hidden", 4),
            (one(Action::Search), "find", 5),
            (one(Action::Help), "help", 0),
            (one(Action::Quit), "quit", 0),
        ],
    };
    items
        .into_iter()
        .filter_map(|(k, d, p)| k.map(|k| (k, d, p)))
        .collect()
}

/// Fit hints into `width` columns, dropping the least important first.
fn fit_hints(items: &[(String, &'static str, u8)], width: usize) -> String {
    let join = |keep: &[bool]| {
        items
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|((k, d, _), _)| format!("{k} {d}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let mut keep = vec![true; items.len()];
    let mut order: Vec<usize> = (0..items.len()).collect();
    // least important first; among equals, the later one first
    order.sort_by_key(|&i| (std::cmp::Reverse(items[i].2), std::cmp::Reverse(i)));
    for i in order {
        if join(&keep).width() <= width {
            break;
        }
        keep[i] = false;
    }
    truncate(&join(&keep), width)
}

fn draw_status(app: &App, t: &Theme, r: Rect, buf: &mut Buffer) {
    if r.width == 0 || r.height == 0 {
        return;
    }
    let w = r.width as usize;
    let p = &app.progress();
    let right = if !p.finished && p.stage == Stage::Loading && p.total == 0 {
        format!("loading {}", p.done) // the total not known yet
    } else if !p.finished && p.stage == Stage::Loading {
        format!("loading {}/{}", p.done, p.total)
    } else if !p.finished {
        "loading…".to_string()
    } else if p.working && p.stage == Stage::Indexing {
        "indexing…".to_string()
    } else if p.working && p.total == 0 {
        "cleaning…".to_string()
    } else if p.working {
        format!("cleaning {}/{}", p.done, p.total)
    } else if app.unreadable() > 0 {
        format!("{} unreadable", app.unreadable())
    } else {
        String::new()
    };
    let right = truncate(&right, w.saturating_sub(1) / 2);
    let left_w = w.saturating_sub(right.width() + usize::from(!right.is_empty()) + 1);
    let left: Line = match app.mode() {
        Mode::Filter => Line::from(vec![
            Span::styled(
                truncate(&format!("/{}", app.filter()), left_w.saturating_sub(1)),
                t.bold,
            ),
            Span::styled(" ", t.cursor),
            Span::styled(
                truncate(
                    "  enter full-text search · esc clear",
                    left_w.saturating_sub(app.filter().width() + 2),
                ),
                t.dim,
            ),
        ]),
        Mode::Find => {
            let f = app.find().cloned().unwrap_or_default();
            let count = if f.query.is_empty() {
                String::new()
            } else {
                format!(
                    "  {} {}",
                    f.matches.len(),
                    if f.matches.len() == 1 {
                        "match"
                    } else {
                        "matches"
                    }
                )
            };
            Line::from(vec![
                Span::styled(
                    truncate(&format!("find: {}", f.query), left_w.saturating_sub(1)),
                    t.bold,
                ),
                Span::styled(" ", t.cursor),
                Span::styled(
                    truncate(
                        &format!("{count}  enter keep · esc clear"),
                        left_w.saturating_sub(f.query.width() + 7),
                    ),
                    t.dim,
                ),
            ])
        }
        _ if app.message().is_some() => Line::from(Span::styled(
            truncate(app.message().unwrap_or(""), left_w),
            t.message,
        )),
        _ => {
            let mut spans = Vec::new();
            if let Some(f) = app
                .find()
                .filter(|f| !f.query.is_empty() && app.focus() == Focus::Reader)
            {
                let n = app
                    .keymap()
                    .pair(Action::NextMatch, Action::PrevMatch)
                    .unwrap_or_default();
                let s = format!(
                    "“{}” {}/{} {n} · ",
                    f.query,
                    (f.current + 1).min(f.matches.len()),
                    f.matches.len()
                );
                spans.push(Span::styled(truncate(&s, left_w), t.bold));
            }
            let used: usize = spans.iter().map(|s| s.width()).sum();
            spans.push(Span::styled(
                fit_hints(&hints(app), left_w.saturating_sub(used)),
                t.dim,
            ));
            Line::from(spans)
        }
    };
    // the story's place in the list, when the hints leave room for it
    let mut right = right;
    if app.progress().finished && !app.visible().is_empty() {
        let at = format!("{}/{}", app.selected() + 1, app.visible().len());
        let sep = if right.is_empty() { 0 } else { 3 };
        if left.width() + at.width() + sep + right.width() + 3 <= w {
            right = if right.is_empty() {
                at
            } else {
                format!("{right} · {at}")
            };
        }
    }
    Paragraph::new(left).render(
        Rect::new(r.x + 1.min(r.width - 1), r.y, left_w as u16, 1),
        buf,
    );
    if !right.is_empty() {
        let rw = right.width() as u16;
        Span::styled(right, t.dim).render(
            Rect::new(r.right() - rw - 1.min(r.width - rw), r.y, rw, 1),
            buf,
        );
    }
}

fn draw_help(app: &App, t: &Theme, area: Rect, buf: &mut Buffer) {
    let rows: Vec<(String, &str)> = app
        .keymap()
        .bindings()
        .map(|(a, keys)| {
            let ks: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            (ks.join(", "), a.describe())
        })
        .collect();
    let kw = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    let dw = rows.iter().map(|(_, d)| d.width()).max().unwrap_or(0);
    let w = ((kw + dw + 6) as u16).min(area.width);
    let h = ((rows.len() + 2) as u16).min(area.height);
    if w < 3 || h < 3 {
        return;
    }
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    Clear.render(r, buf);
    let more = rows.len() > (h - 2) as usize;
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.accent)
        .title(Span::styled(truncate(" Keys ", w as usize - 2), t.title));
    if w > 24 {
        block = block.title_bottom(
            Line::from(if more {
                " j/k scroll · any key closes "
            } else {
                " any key closes "
            })
            .right_aligned(),
        );
    }
    let inner = inner(r);
    block.render(r, buf);
    let lines: Vec<Line> = rows
        .iter()
        .skip(app.help_offset())
        .take(inner.height as usize)
        .map(|(k, d)| {
            Line::from(vec![
                Span::raw(" "),
                Span::styled(format!("{k:<kw$}"), t.bold),
                Span::raw("  "),
                Span::styled(*d, Style::default()),
            ])
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

/// Render the app into a plain string, one line per row (for tests and debugging).
pub fn to_text(buf: &Buffer) -> String {
    let a = buf.area;
    let mut out = String::new();
    for y in a.top()..a.bottom() {
        let mut skip = 0;
        for x in a.left()..a.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buf[(x, y)].symbol();
            out.push_str(s);
            skip = s.width().saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

/// Styles used without colour too (so tests and `NO_COLOR` read the same).
pub(crate) fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_text_words_are_marked_in_a_line() {
        let mark = bold();
        let terms = vec!["ferry".to_string(), "fares".to_string()];
        let spans = highlight_terms(
            "Ferry fares rise; ferry users",
            &terms,
            Style::default(),
            mark,
        );
        let marked: Vec<&str> = spans
            .iter()
            .filter(|s| s.style == mark)
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(marked, ["Ferry", "fares", "ferry"]);
        let all: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(all, "Ferry fares rise; ferry users");
        assert!(
            highlight_terms("nothing here", &terms, Style::default(), mark)
                .iter()
                .all(|s| s.style != mark)
        );
    }
}
