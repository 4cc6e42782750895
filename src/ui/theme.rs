//! Styles from `[theme]`; without colour (`NO_COLOR`) only modifiers are used.

use crate::config::{parse_color, ThemeConfig};
use ratatui::style::{Color, Modifier, Style};

/// Every style the view uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Focused border.
    pub accent: Style,
    /// Unfocused border.
    pub border: Style,
    /// Pane titles.
    pub title: Style,
    /// Meta lines, sources, dates, hints.
    pub dim: Style,
    /// Bold text (titles of unread stories, headings).
    pub bold: Style,
    /// The selected story when the list has the keyboard.
    pub selected: Style,
    /// The selected story when the reader has the keyboard.
    pub selected_unfocused: Style,
    /// Hidden blocks shown with `H`.
    pub hidden: Style,
    /// Their labels (kind and reason).
    pub hidden_label: Style,
    /// The unread dot.
    pub unread: Style,
    /// The star.
    pub star: Style,
    /// Status messages.
    pub message: Style,
    /// Find matches.
    pub matched: Style,
    /// The current find match.
    pub match_current: Style,
    /// The text cursor in the filter / find line.
    pub cursor: Style,
}

impl Theme {
    /// From a checked `[theme]`; `color: false` (NO_COLOR) drops every colour.
    pub fn new(c: &ThemeConfig, color: bool) -> Theme {
        let col = |s: &str| {
            if color {
                parse_color(s).unwrap_or(Color::Reset)
            } else {
                Color::Reset
            }
        };
        let fg = |s: &str| {
            if color {
                Style::default().fg(col(s))
            } else {
                Style::default()
            }
        };
        let bold = super::bold();
        let dim_mod = if color {
            Style::default()
        } else {
            Style::default().add_modifier(Modifier::DIM)
        };
        Theme {
            accent: fg(&c.accent),
            border: if color { fg(&c.dim) } else { Style::default() },
            title: bold,
            dim: fg(&c.dim).patch(dim_mod),
            bold,
            selected: if color {
                Style::default().bg(col(&c.accent)).fg(Color::Black)
            } else {
                Style::default().add_modifier(Modifier::REVERSED)
            },
            selected_unfocused: fg(&c.accent).add_modifier(Modifier::UNDERLINED),
            hidden: fg(&c.hidden).add_modifier(Modifier::DIM),
            hidden_label: fg(&c.hidden).add_modifier(Modifier::ITALIC | Modifier::DIM),
            unread: fg(&c.unread),
            star: fg(&c.star),
            message: fg("yellow").add_modifier(Modifier::BOLD),
            matched: Style::default().add_modifier(Modifier::REVERSED),
            match_current: if color {
                Style::default().bg(col(&c.accent)).fg(Color::Black)
            } else {
                Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
            },
            cursor: Style::default().add_modifier(Modifier::REVERSED),
        }
    }

    /// The theme for the environment: colour unless `NO_COLOR` is set (and not empty).
    pub fn from_env(c: &ThemeConfig) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::new(c, !no_color)
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(&ThemeConfig::default(), true)
    }
}
