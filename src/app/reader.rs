//! The open story in the reading pane: laid out for the width, kept in place, scrolled,
//! and found in.

use super::doc::{Anchor, Doc, Pos};
use super::msg::Effect;
use super::{App, Focus, Mode};
use std::rc::Rc;
use unicode_width::UnicodeWidthStr;

/// The open story in the reading pane.
#[derive(Debug, Clone)]
pub struct Reader {
    /// Index into [`App::entries`].
    pub entry: usize,
    /// Laid out with the cleaner's decisions (not every block as stored)?
    pub cleaned: bool,
    /// The story laid out for the current width.
    pub doc: Doc,
    /// First line shown.
    pub top: Pos,
    /// The reading position, independent of the width: set by scrolling, kept on resize.
    pub anchor: Anchor,
}

/// A find inside the story.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Find {
    /// What is looked for.
    pub query: String,
    /// Where it occurs.
    pub matches: Vec<Anchor>,
    /// The current match (index into `matches`).
    pub current: usize,
    /// The line of the current match, when the reader has gone to it.
    pub line: Option<Pos>,
}

impl App {
    /// Keep the reading pane on the selected story, laid out for the current width.
    /// Re-wraps only when the story, the width or `show_hidden` changed. A story not read
    /// yet is asked for ([`Effect::LoadStory`]); until it comes the pane shows its title
    /// (or, for the story already open, its current layout).
    pub(super) fn sync(&mut self) {
        let l = self.layout();
        let Some(&entry) = self.visible.get(self.selected) else {
            self.reader = None;
            return;
        };
        let Some(pane) = l.reader else {
            // narrow layout on the list: keep the reader's place for when it comes back
            return;
        };
        let id = self.entries[entry].id;
        let Some(opened) = self.stories.get(id).cloned() else {
            let same_entry = self.reader.as_ref().is_some_and(|r| r.entry == entry);
            if !same_entry {
                if let Some(old) = self.reader.take() {
                    self.entries[old.entry].position = old.anchor;
                }
                if self.mode != Mode::Find {
                    self.find = None;
                }
            }
            if self.requested != Some(id) {
                self.requested = Some(id);
                self.emit(Effect::LoadStory(id));
            }
            return;
        };
        let story = &opened.story;
        let border_room = pane.width.saturating_sub(4) as usize;
        let with_title = story.article.title.width() > border_room;
        let width = l.text.width.max(1);
        let same_story = self
            .reader
            .as_ref()
            .is_some_and(|r| r.entry == entry && Rc::ptr_eq(r.doc.story(), story));
        if let Some(r) = self.reader.as_mut().filter(|_| same_story) {
            if r.doc.width == width
                && r.doc.show_hidden == self.show_hidden
                && r.doc.with_title == with_title
            {
                return;
            }
            if r.doc.show_hidden == self.show_hidden && r.doc.with_title == with_title {
                r.doc = r.doc.rewrap(width); // a resize: the paragraphs are shared
            } else {
                let words = r.doc.words;
                r.doc = Doc::build(story, width, self.show_hidden, with_title);
                r.doc.words = words;
            }
            r.top = r.doc.pos_of(r.anchor);
        } else {
            self.stories.touch(id);
            let same_entry = self.reader.as_ref().is_some_and(|r| r.entry == entry);
            if let Some(old) = self.reader.as_ref().filter(|_| !same_entry) {
                self.entries[old.entry].position = old.anchor;
            }
            let keep = match &self.reader {
                Some(r) if same_entry => Some(r.anchor),
                _ => Some(self.entries[entry].position).filter(|&a| a != Anchor::default()),
            };
            let mut doc = Doc::build(story, width, self.show_hidden, with_title);
            doc.words = opened.words;
            let top = keep.map(|a| doc.pos_of(a)).unwrap_or_default();
            self.reader = Some(Reader {
                entry,
                cleaned: opened.cleaned,
                doc,
                top,
                anchor: keep.unwrap_or_default(),
            });
            if !same_entry && self.mode != Mode::Find {
                self.find = None;
            }
            // the next story in the list is likely read next: have it ready
            if let Some(&next) = self.visible.get(self.selected + 1) {
                let next = self.entries[next].id;
                if self.stories.get(next).is_none() {
                    self.emit(Effect::Prefetch(next));
                }
            }
        }
        let max = self.max_top();
        let find = self.find.as_ref().map(|f| f.query.clone());
        if let Some(r) = &mut self.reader {
            r.top = r.top.min(max);
        }
        if let Some(q) = find.filter(|q| !q.is_empty()) {
            let matches = self
                .reader
                .as_ref()
                .map(|r| r.doc.find(&q))
                .unwrap_or_default();
            let line = self
                .reader
                .as_ref()
                .zip(matches.get(self.find.as_ref().map_or(0, |f| f.current)))
                .map(|(r, &a)| r.doc.pos_of(a));
            if let Some(f) = &mut self.find {
                f.current = f.current.min(matches.len().saturating_sub(1));
                f.matches = matches;
                f.line = f.line.and(line);
            }
        }
    }

    /// After every update: the open story's paragraph, remembered when it changes.
    pub(super) fn track_position(&mut self) {
        let Some(r) = &self.reader else { return };
        let (i, a) = (r.entry, r.anchor);
        if self.entries[i].position.para != a.para {
            self.entries[i].position = a;
            self.emit(Effect::SaveScroll(self.entries[i].id, a.para));
        } else {
            self.entries[i].position = a;
        }
    }

    pub(super) fn find_active(&self) -> bool {
        self.focus == Focus::Reader && self.find.as_ref().is_some_and(|f| !f.query.is_empty())
    }

    pub(super) fn set_find(&mut self, text: String) {
        if text.is_empty() {
            self.find = if self.mode == Mode::Find {
                Some(Find::default())
            } else {
                None
            };
            return;
        }
        let matches = self
            .reader
            .as_ref()
            .map(|r| r.doc.find(&text))
            .unwrap_or_default();
        let top = self
            .reader
            .as_ref()
            .map(|r| r.doc.anchor_of(r.top))
            .unwrap_or_default();
        let current = matches.iter().position(|&a| a >= top).unwrap_or(0);
        self.find = Some(Find {
            query: text,
            matches,
            current,
            line: None,
        });
        self.goto_match();
    }

    pub(super) fn goto_match(&mut self) {
        let Some(anchor) = self
            .find
            .as_ref()
            .and_then(|f| f.matches.get(f.current).copied())
        else {
            return;
        };
        let h = self.layout().text.height as usize;
        let Some(r) = &self.reader else { return };
        let pos = r.doc.pos_of(anchor);
        let top = r.doc.advance(pos, -((h / 3) as isize));
        if let Some(f) = &mut self.find {
            f.line = Some(pos);
        }
        self.scroll_to(top);
    }

    pub(super) fn max_top(&self) -> Pos {
        let h = self.layout().text.height as usize;
        self.reader
            .as_ref()
            .map(|r| r.doc.max_top(h))
            .unwrap_or_default()
    }

    pub(super) fn scroll_by(&mut self, d: isize) {
        if let Some(r) = &self.reader {
            let t = r.doc.advance(r.top, d);
            self.scroll_to(t);
        }
    }

    /// Put `line` at the top (no lower than a full pane allows); the anchor follows.
    pub(super) fn scroll_to(&mut self, line: Pos) {
        let max = self.max_top();
        if let Some(r) = &mut self.reader {
            r.top = line.min(max);
            r.anchor = r.doc.anchor_of(r.top);
        }
    }

    /// Reading position of the open story: how much of its text is above the bottom of
    /// the pane, in per cent (100 at the end).
    pub fn percent(&self) -> Option<u16> {
        let r = self.reader.as_ref()?;
        Some(r.doc.percent(r.top, self.layout().text.height as usize))
    }
}
