//! Keys, actions and the mouse: a key typed into the filter or a find, or looked up in
//! the keymap; every bindable action; the wheel and clicks.

use super::doc::Pos;
use super::layout;
use super::msg::Effect;
use super::reader::Find;
use super::{App, Focus, Mode};
use crate::keymap::{Action, Code, Key};

impl App {
    /// A key: typed into the filter / find, closes help, or looked up in the keymap.
    pub(super) fn key(&mut self, k: Key) -> Effect {
        match self.mode {
            Mode::Filter | Mode::Find => {
                if self.type_key(k) {
                    return Effect::None;
                }
                // not text: arrows, pages and the like still move
            }
            Mode::Help => {
                let acts: Vec<Action> = self.keymap.actions(k).collect();
                let lines = self.help_len();
                let page = (self.size.1 as usize).saturating_sub(2).max(1); // the help box's inside
                let max = lines.saturating_sub(page);
                if acts.contains(&Action::Down) {
                    self.help_offset = (self.help_offset + 1).min(max);
                } else if acts.contains(&Action::Up) {
                    self.help_offset = self.help_offset.saturating_sub(1);
                } else if acts.contains(&Action::PageDown) {
                    self.help_offset = (self.help_offset + page).min(max);
                } else if acts.contains(&Action::PageUp) {
                    self.help_offset = self.help_offset.saturating_sub(page);
                } else {
                    self.mode = Mode::Normal;
                }
                return Effect::None;
            }
            Mode::Normal => {}
        }
        let acts: Vec<Action> = self.keymap.actions(k).collect();
        let applies = |a: &&Action| match a {
            Action::NextMatch | Action::PrevMatch => self.find_active(),
            _ => true,
        };
        match acts.iter().find(applies).or(acts.first()) {
            Some(&a) => self.act(a),
            None => Effect::None,
        }
    }

    /// Lines of the help overlay (a binding per action).
    pub fn help_len(&self) -> usize {
        self.keymap.bindings().count()
    }

    /// Edit the filter / find text; false when the key is not an editing key.
    pub(super) fn type_key(&mut self, k: Key) -> bool {
        let in_filter = self.mode == Mode::Filter;
        let mut text = if in_filter {
            self.filter.clone()
        } else {
            self.find
                .as_ref()
                .map(|f| f.query.clone())
                .unwrap_or_default()
        };
        match k.code {
            Code::Enter => {
                self.mode = Mode::Normal;
                if !in_filter && text.is_empty() {
                    self.find = None;
                }
                if in_filter && !text.trim().is_empty() {
                    self.emit(Effect::Search(text));
                }
                return true;
            }
            Code::Esc => {
                self.mode = Mode::Normal;
                text.clear();
            }
            Code::Backspace => {
                text.pop();
            }
            Code::Char(c) if !k.ctrl && !k.alt => text.push(c),
            Code::Char('u') if k.ctrl => text.clear(),
            _ => return false,
        }
        if in_filter {
            self.set_filter(text);
        } else {
            self.set_find(text);
        }
        true
    }

    /// Do a bindable action.
    pub(super) fn act(&mut self, a: Action) -> Effect {
        let reading = self.focus == Focus::Reader;
        let page = self.layout().text.height.saturating_sub(1).max(1) as usize;
        let rows = self.layout().list_rows();
        match a {
            Action::Quit => {
                if let Some(i) = self.visible.get(self.selected).copied() {
                    self.emit(Effect::SetLastSelection(self.entries[i].id));
                }
                return Effect::Quit;
            }
            Action::Help => {
                self.mode = Mode::Help;
                self.help_offset = 0;
            }
            Action::Down if reading => self.scroll_by(1),
            Action::Up if reading => self.scroll_by(-1),
            Action::Down | Action::NextStory => self.select(self.selected as isize + 1),
            Action::Up | Action::PrevStory => self.select(self.selected as isize - 1),
            Action::PageDown if reading => self.scroll_by(page as isize),
            Action::PageUp if reading => self.scroll_by(-(page as isize)),
            Action::HalfDown if reading => self.scroll_by((page / 2).max(1) as isize),
            Action::HalfUp if reading => self.scroll_by(-((page / 2).max(1) as isize)),
            Action::PageDown => self.select(self.selected as isize + rows as isize),
            Action::PageUp => self.select(self.selected as isize - rows as isize),
            Action::HalfDown => self.select(self.selected as isize + (rows / 2).max(1) as isize),
            Action::HalfUp => self.select(self.selected as isize - (rows / 2).max(1) as isize),
            Action::Top if reading => self.scroll_to(Pos::default()),
            Action::Bottom if reading => self.scroll_to(self.max_top()),
            Action::Top => self.select(0),
            Action::Bottom => self.select(self.visible.len() as isize - 1),
            Action::Read => {
                if self.selected_entry().is_some() {
                    self.focus = Focus::Reader;
                    self.open_selected();
                }
            }
            Action::Back => {
                if reading {
                    self.focus = Focus::List;
                } else if !self.filter.is_empty() || self.search.is_some() {
                    self.set_filter(String::new());
                } else if self.source.is_some() {
                    self.source = None;
                    self.refilter();
                    self.message = Some("all sources".into());
                }
            }
            Action::SwitchPane => {
                if reading {
                    self.focus = Focus::List;
                } else if self.selected_entry().is_some() {
                    self.focus = Focus::Reader;
                    self.open_selected();
                }
            }
            Action::Search => {
                if reading {
                    self.mode = Mode::Find;
                    self.find = Some(Find::default());
                } else {
                    self.mode = Mode::Filter;
                }
            }
            Action::NextMatch | Action::PrevMatch => {
                if let Some(f) = self.find.as_mut().filter(|f| !f.matches.is_empty()) {
                    let n = f.matches.len();
                    f.current = if a == Action::NextMatch {
                        (f.current + 1) % n
                    } else {
                        (f.current + n - 1) % n
                    };
                    self.goto_match();
                } else if self.find_active() {
                    self.message = Some("no match".into());
                } else {
                    let k = self.keymap.first(Action::Search).unwrap_or_default();
                    self.message = Some(format!("no find active: {k} finds in a story"));
                }
            }
            Action::ToggleHidden => {
                self.show_hidden = !self.show_hidden;
                let opened = self.selected_entry().and_then(|e| self.stories.get(e.id));
                match opened {
                    Some(o) if !o.cleaned => {
                        self.message = Some("this story is not cleaned yet".into());
                    }
                    Some(o) if o.story.cleaned.hidden().count() == 0 => {
                        self.message = Some("nothing is hidden in this story".into());
                    }
                    _ => {}
                }
            }
            Action::ToggleRead => {
                if let Some(i) = self.visible.get(self.selected).copied() {
                    let read = !self.entries[i].read;
                    self.entries[i].read = read;
                    self.emit(Effect::SetRead(self.entries[i].id, read));
                }
            }
            Action::ToggleStar => {
                if let Some(i) = self.visible.get(self.selected).copied() {
                    let starred = !self.entries[i].starred;
                    self.entries[i].starred = starred;
                    self.emit(Effect::SetStar(self.entries[i].id, starred));
                }
            }
            Action::UnreadOnly => {
                self.unread_only = !self.unread_only;
                self.refilter();
                let v = if self.unread_only { "1" } else { "0" };
                self.emit(Effect::SaveSetting("unread_only", v.into()));
                self.message = Some(
                    if self.unread_only {
                        "unread stories only"
                    } else {
                        "all stories"
                    }
                    .into(),
                );
            }
            Action::NextUnread | Action::PrevUnread => {
                let n = self.visible.len();
                let rows: Box<dyn Iterator<Item = usize>> = if a == Action::NextUnread {
                    Box::new(self.selected + 1..n)
                } else {
                    Box::new((0..self.selected.min(n)).rev())
                };
                let found = rows
                    .into_iter()
                    .find(|&r| !self.entries[self.visible[r]].read);
                match found {
                    Some(r) => self.select(r as isize),
                    None => {
                        self.message = Some(
                            if a == Action::NextUnread {
                                "no unread story below"
                            } else {
                                "no unread story above"
                            }
                            .into(),
                        )
                    }
                }
            }
            Action::Sort => {
                self.sort = self.sort.next();
                self.refilter();
                self.emit(Effect::SaveSetting("sort", self.sort.name().into()));
                self.message = Some(if self.search.is_some() {
                    format!("sort: {} (after the search is cleared)", self.sort.name())
                } else {
                    format!("sort: {}", self.sort.name())
                });
            }
            Action::SourceFilter => self.next_source(),
            Action::OpenUrl | Action::CopyUrl => {
                if let Some(i) = self.visible.get(self.selected).copied() {
                    self.url_action(i, a);
                }
            }
            Action::Export => {
                if let Some(i) = self.visible.get(self.selected).copied() {
                    self.emit(Effect::Export(self.entries[i].id));
                }
            }
        }
        Effect::None
    }

    pub(super) fn open_selected(&mut self) {
        if let Some(&i) = self.visible.get(self.selected) {
            if self.settings.mark_read_on_open && !self.entries[i].read {
                self.entries[i].read = true;
                self.emit(Effect::SetRead(self.entries[i].id, true));
            }
            self.emit(Effect::SetLastSelection(self.entries[i].id));
        }
    }

    /// `o` / `y` on entry `i`: its URL to the browser or the clipboard, once the story
    /// is read (the list holds no URLs).
    pub(super) fn url_action(&mut self, i: usize, a: Action) {
        let id = self.entries[i].id;
        let Some(o) = self.stories.get(id) else {
            self.after_load = Some((id, a));
            self.emit(Effect::LoadStory(id));
            return;
        };
        let url = o.story.article.url.clone().filter(|u| !u.trim().is_empty());
        match url {
            Some(u) if a == Action::OpenUrl => self.emit(Effect::OpenUrl(u)),
            Some(u) => self.emit(Effect::CopyUrl(u)),
            None => self.message = Some("this story has no URL".into()),
        }
    }

    pub(super) fn wheel(&mut self, col: u16, row: u16, down: bool) {
        let l = self.layout();
        let p = ratatui::layout::Position::new(col, row);
        let d = if down { 3 } else { -3 };
        if l.reader.is_some_and(|r| r.contains(p)) {
            self.scroll_by(d);
        } else if l.list.is_some_and(|r| r.contains(p)) {
            let max = self.visible.len().saturating_sub(l.list_rows());
            self.list_offset = (self.list_offset as isize + d).clamp(0, max as isize) as usize;
        }
    }

    pub(super) fn click(&mut self, col: u16, row: u16) {
        self.message = None;
        let l = self.layout();
        let p = ratatui::layout::Position::new(col, row);
        if let Some(list) = l.list.filter(|r| r.contains(p)) {
            let inner = layout::inner(list);
            if row >= inner.y && row < inner.bottom() {
                let i = self.list_offset + ((row - inner.y) / 2) as usize;
                if i < self.visible.len() {
                    self.focus = Focus::List;
                    self.select(i as isize);
                }
            }
        } else if l.reader.is_some_and(|r| r.contains(p)) && self.selected_entry().is_some() {
            self.focus = Focus::Reader;
            self.open_selected();
        }
    }
}
