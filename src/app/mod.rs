//! The reader's state and what changes it: [`App`], the messages it takes ([`Msg`]: keys,
//! bindable [`Action`]s, resizes, the mouse, stories arriving from the loader) and
//! [`App::update`]. No terminal, no files: tests drive it with messages alone.
//!
//! `msg` holds the messages and effects; `list` the entries and the rows shown;
//! `stories` the stories read lately; `reader` the open story; `input` keys,
//! actions and the mouse. Each adds its part of `impl App`; only [`App::update`] (and
//! the constructors) change the state from outside.

pub mod doc;
pub mod layout;

mod input;
mod list;
mod msg;
mod reader;
mod stories;

use crate::archive::{Entry as ListEntry, Story, StoryId};
use crate::article::LoadError;
use crate::config::Config;
use crate::keymap::{Action, Keymap};
pub use doc::{Anchor, Doc, Line, LineKind, Pos};
pub use layout::{Layout, Sizes};
pub use list::{Entry, FullText, Sort};
pub use msg::{Effect, Msg, Progress, SearchAnswer, Stage};
pub use reader::{Find, Reader};
pub use stories::{Cache, Opened, ReadStory, CACHED};

/// Settings the reader uses, from the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Pane sizes.
    pub sizes: Sizes,
    /// Reading speed for "N min".
    pub words_per_minute: u32,
    /// Mark a story read when it is opened.
    pub mark_read_on_open: bool,
}

impl Settings {
    /// From a checked config.
    pub fn from_config(c: &Config) -> Settings {
        Settings {
            sizes: Sizes {
                list_width: c.layout.list_width,
                max_width: c.layout.max_width,
                narrow_below: c.layout.narrow_below,
            },
            words_per_minute: c.reading.words_per_minute.max(1),
            mark_read_on_open: c.reading.mark_read_on_open,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from_config(&Config::default())
    }
}

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    /// The story list.
    #[default]
    List,
    /// The reading pane.
    Reader,
}

/// What keys do right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Keys are looked up in the keymap.
    #[default]
    Normal,
    /// Typing the list filter.
    Filter,
    /// Typing a find in the story.
    Find,
    /// The help overlay is open.
    Help,
}

/// The whole reader state.
#[derive(Debug, Clone)]
pub struct App {
    /// Settings from the config.
    settings: Settings,
    /// The live keymap.
    keymap: Keymap,
    /// Every story, in archive order.
    entries: Vec<Entry>,
    /// Stories read from their files, recently opened.
    stories: Cache,
    /// The story last asked for ([`Effect::LoadStory`]), until it comes.
    requested: Option<StoryId>,
    /// An action waiting for a story to be read (`o`, `y` on a story not read yet).
    after_load: Option<(StoryId, Action)>,
    /// The archive's evidence is in (stories arrive cleaned).
    evidence_ready: bool,
    /// The last story that could not be read, and why.
    failed: Option<(StoryId, String)>,
    /// The entries the list shows (all, or those matching the filter).
    visible: Vec<usize>,
    /// The list filter as typed.
    filter: String,
    /// Selected row (index into `visible`).
    selected: usize,
    /// First row shown in the list pane.
    list_offset: usize,
    /// Which pane has the keyboard.
    focus: Focus,
    /// What keys do.
    mode: Mode,
    /// Hidden blocks shown (dimmed, labelled)?
    show_hidden: bool,
    /// The story in the reading pane.
    reader: Option<Reader>,
    /// The active find in the story.
    find: Option<Find>,
    /// First line of help shown.
    help_offset: usize,
    /// Terminal size (columns, rows).
    size: (u16, u16),
    /// A message for the status line, cleared by the next key.
    message: Option<String>,
    /// Loading progress.
    progress: Progress,
    /// Files that could not be read.
    problems: Vec<LoadError>,
    /// How many distinct files those are.
    unreadable: usize,
    /// Only unread stories listed?
    unread_only: bool,
    /// The list's order.
    sort: Sort,
    /// Only this source listed.
    source: Option<String>,
    /// The full-text search the list shows.
    search: Option<FullText>,
    /// Effects waiting for the shell.
    effects: Vec<Effect>,
}

impl App {
    /// An empty reader (stories arrive with [`Msg::Stories`]).
    pub fn new(settings: Settings, keymap: Keymap) -> App {
        App {
            settings,
            keymap,
            entries: Vec::new(),
            stories: Cache::default(),
            requested: None,
            after_load: None,
            evidence_ready: false,
            failed: None,
            visible: Vec::new(),
            filter: String::new(),
            selected: 0,
            list_offset: 0,
            focus: Focus::List,
            mode: Mode::Normal,
            show_hidden: false,
            reader: None,
            find: None,
            help_offset: 0,
            size: (80, 24),
            message: None,
            progress: Progress::default(),
            problems: Vec::new(),
            unreadable: 0,
            unread_only: false,
            sort: Sort::Archive,
            source: None,
            search: None,
            effects: Vec::new(),
        }
    }

    /// A reader with these stories already loaded, at a size (for tests and small uses).
    pub fn with_stories(
        settings: Settings,
        keymap: Keymap,
        stories: Vec<Story>,
        size: (u16, u16),
    ) -> App {
        let mut app = App::new(settings, keymap);
        app.update(Msg::Resize(size.0, size.1));
        let n = stories.len();
        app.update(Msg::Stories(stories));
        app.update(Msg::Progress {
            stage: Stage::Loading,
            done: n,
            total: n,
        });
        app.update(Msg::Loaded);
        app.update(Msg::EvidenceReady);
        app.update(Msg::Idle);
        app
    }

    /// The current layout.
    pub fn layout(&self) -> Layout {
        Layout::new(self.size.0, self.size.1, self.settings.sizes, self.focus)
    }

    /// Apply a message.
    pub fn update(&mut self, msg: Msg) -> Effect {
        let effect = match msg {
            // from the shell: applied as they are, nothing else follows
            Msg::Status(m) => {
                self.message = Some(m);
                self.sanitize_message();
                return Effect::None;
            }
            Msg::Remembered { sort, unread_only } => {
                if let Some(s) = sort {
                    self.sort = s;
                }
                self.unread_only = unread_only;
                return Effect::None;
            }
            Msg::State { from, marks } => {
                let mut marks = marks.into_iter();
                self.fill_state(from, |_| marks.next().unwrap_or_default());
                return Effect::None;
            }
            Msg::SelectId(id) => {
                self.select_id(id);
                return Effect::None;
            }
            Msg::Key(k) => {
                self.message = None;
                self.key(k)
            }
            Msg::Do(a) => {
                self.message = None;
                self.act(a)
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.keep_selection_visible();
                Effect::None
            }
            Msg::Wheel { col, row, down } => {
                self.wheel(col, row, down);
                Effect::None
            }
            Msg::Click { col, row } => {
                self.click(col, row);
                Effect::None
            }
            Msg::Progress { stage, done, total } => {
                self.progress.stage = stage;
                self.progress.done = done;
                self.progress.total = total;
                self.progress.working = stage != Stage::Loading;
                Effect::None
            }
            Msg::Idle => {
                self.progress.working = false;
                Effect::None
            }
            Msg::Stories(stories) => {
                let mut entries = Vec::with_capacity(stories.len());
                for s in stories {
                    let e = ListEntry::of(&s);
                    self.stories.insert(e.id, Opened::new(s, true), true);
                    entries.push(Entry::new(e));
                }
                self.add(entries);
                Effect::None
            }
            Msg::Entries(entries) => {
                self.add(entries);
                Effect::None
            }
            Msg::Relist(entries) => {
                self.relist(entries);
                Effect::None
            }
            Msg::Story { id, story } => {
                self.arrived(id, story);
                Effect::None
            }
            Msg::EvidenceReady => {
                self.evidence_ready = true;
                self.stories.drop_uncleaned();
                self.requested = None; // the open story is read again, cleaned
                Effect::None
            }
            Msg::SearchResults { query, found } => {
                self.searched(query, found);
                Effect::None
            }
            Msg::IndexReady(r) => {
                if let Err(why) = r {
                    if self.message.is_none() {
                        self.message = Some(format!("full-text search not available: {why}"));
                    }
                }
                Effect::None
            }
            Msg::Problems(p) => {
                if !p.is_empty() {
                    let mut files: Vec<&std::path::Path> =
                        p.iter().map(|e| e.path.as_path()).collect();
                    files.dedup();
                    let n = files.len();
                    self.unreadable += n;
                    self.message = Some(format!(
                        "{n} {} could not be read: {}",
                        if n == 1 { "file" } else { "files" },
                        p[0]
                    ));
                }
                self.problems.extend(p);
                Effect::None
            }
            Msg::LoadFailed(why) => {
                self.progress.finished = true;
                self.progress.working = false;
                self.message = Some(format!("loading stopped by a bug: {why}"));
                Effect::None
            }
            Msg::Loaded => {
                self.progress.finished = true;
                if self.sort != Sort::Archive {
                    self.refilter();
                }
                if self.entries.is_empty() && self.message.is_none() {
                    self.message = Some("no stories found".into());
                }
                Effect::None
            }
        };
        self.sync();
        self.track_position();
        self.sanitize_message();
        effect
    }

    /// The status message as the terminal may show it: what it quotes (file names, paths,
    /// URLs, reasons) passes [`crate::text::sanitize`], as story text does.
    fn sanitize_message(&mut self) {
        if let Some(m) = &self.message {
            let clean = crate::text::sanitize(m);
            if clean != *m {
                self.message = Some(clean);
            }
        }
    }

    /// The effects waiting for the shell, oldest first.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    fn emit(&mut self, e: Effect) {
        self.effects.push(e);
    }
}

/// What the view and the shell read (the state changes only through [`App::update`]).
impl App {
    /// Settings from the config.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    /// The live keymap.
    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }
    /// Every story, in archive order (or the order the list was sorted in).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
    /// Stories read from their files, recently opened.
    pub fn stories(&self) -> &Cache {
        &self.stories
    }
    /// The archive's evidence is in (stories arrive cleaned).
    pub fn evidence_ready(&self) -> bool {
        self.evidence_ready
    }
    /// The last story that could not be read, and why.
    pub fn failed(&self) -> Option<&(StoryId, String)> {
        self.failed.as_ref()
    }
    /// The entries the list shows (indexes into [`App::entries`]).
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }
    /// The list filter as typed.
    pub fn filter(&self) -> &str {
        &self.filter
    }
    /// Selected row (index into [`App::visible`]).
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// First row shown in the list pane.
    pub fn list_offset(&self) -> usize {
        self.list_offset
    }
    /// Which pane has the keyboard.
    pub fn focus(&self) -> Focus {
        self.focus
    }
    /// What keys do.
    pub fn mode(&self) -> Mode {
        self.mode
    }
    /// Hidden blocks shown (dimmed, labelled)?
    pub fn show_hidden(&self) -> bool {
        self.show_hidden
    }
    /// The story in the reading pane.
    pub fn reader(&self) -> Option<&Reader> {
        self.reader.as_ref()
    }
    /// The active find in the story.
    pub fn find(&self) -> Option<&Find> {
        self.find.as_ref()
    }
    /// First line of help shown.
    pub fn help_offset(&self) -> usize {
        self.help_offset
    }
    /// Terminal size (columns, rows).
    pub fn size(&self) -> (u16, u16) {
        self.size
    }
    /// The message for the status line.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    /// Loading progress.
    pub fn progress(&self) -> Progress {
        self.progress
    }
    /// Files that could not be read.
    pub fn problems(&self) -> &[LoadError] {
        &self.problems
    }
    /// How many distinct files those are.
    pub fn unreadable(&self) -> usize {
        self.unreadable
    }
    /// Only unread stories listed?
    pub fn unread_only(&self) -> bool {
        self.unread_only
    }
    /// The list's order.
    pub fn sort(&self) -> Sort {
        self.sort
    }
    /// Only this source listed.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
    /// The full-text search the list shows.
    pub fn search(&self) -> Option<&FullText> {
        self.search.as_ref()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::archive::Story;
    use crate::article::{Article, Block};
    use crate::clean::{Cleaned, Kind};
    use crate::keymap::{Code, Key};

    #[test]
    fn names_and_reasons_reach_the_status_line_sanitised() {
        let bad = "a\x1b]0;owned\x07b\u{202E}c\x1b[2Jd";
        let clean = |m: Option<&str>| {
            let m = m.unwrap_or_default().to_string();
            assert!(!m.contains(['\x1b', '\x07', '\u{202E}']), "{m:?}");
            m
        };
        let mut a = App::with_stories(
            Settings::default(),
            Keymap::default(),
            vec![story("T", &["Body."])],
            (100, 30),
        );
        a.update(Msg::Status(format!("exported to /tmp/{bad}.md")));
        assert!(clean(a.message()).contains("a]0;ownedbc[2Jd.md"));
        a.update(Msg::Problems(vec![LoadError {
            path: std::path::PathBuf::from(format!("/archive/{bad}.txt")),
            at: None,
            kind: crate::article::ProblemKind::Malformed,
            reason: bad.into(),
        }]));
        clean(a.message());
        let id = a.entries()[0].id;
        a.update(Msg::Story {
            id,
            story: Err(format!("/archive/{bad}.txt: gone")),
        });
        let why = &a.failed().unwrap().1;
        assert!(!why.contains(['\x1b', '\x07', '\u{202E}']), "{why:?}");
        a.update(Msg::LoadFailed(bad.into()));
        clean(a.message());
    }

    /// A story of shown paragraphs.
    pub(crate) fn story(title: &str, paras: &[&str]) -> Story {
        let article = Article {
            title: title.into(),
            blocks: paras.iter().map(|p| Block::para(*p)).collect(),
            ..Article::default()
        };
        Story {
            cleaned: Cleaned::all_shown(&article, ""),
            article,
        }
    }

    fn app(n: usize, paras: usize) -> App {
        let stories = (0..n)
            .map(|i| {
                let p: Vec<String> = (0..paras)
                    .map(|j| format!("Story {i} paragraph {j} says something about the harbour."))
                    .collect();
                let refs: Vec<&str> = p.iter().map(|s| s.as_str()).collect();
                story(&format!("Title {i}"), &refs)
            })
            .collect();
        App::with_stories(Settings::default(), Keymap::default(), stories, (100, 30))
    }

    /// The top line's index among all lines.
    fn top(a: &App) -> usize {
        let r = a.reader.as_ref().unwrap();
        r.doc
            .lines_from(Pos::default())
            .position(|(p, _)| p == r.top)
            .unwrap()
    }
    fn top_line(a: &App) -> Line {
        let r = a.reader.as_ref().unwrap();
        r.doc.line(r.top).unwrap().clone()
    }
    fn all_text(a: &App) -> Vec<String> {
        let r = a.reader.as_ref().unwrap();
        r.doc.all_lines().iter().map(|l| l.text.clone()).collect()
    }

    fn keys(app: &mut App, keys: &str) -> Effect {
        let mut e = Effect::None;
        for c in keys.chars() {
            e = app.update(Msg::Key(Key::ch(c)));
        }
        e
    }

    #[test]
    fn list_moves_and_reader_follows() {
        let mut a = app(5, 3);
        assert_eq!(a.reader.as_ref().unwrap().entry, 0);
        keys(&mut a, "jj");
        assert_eq!(a.selected, 2);
        assert_eq!(a.reader.as_ref().unwrap().entry, 2);
        keys(&mut a, "jjjjj");
        assert_eq!(a.selected, 4);
        keys(&mut a, "g");
        assert_eq!(a.selected, 0);
        keys(&mut a, "G");
        assert_eq!(a.selected, 4);
        keys(&mut a, "kK");
        assert_eq!(a.selected, 2);
        assert_eq!(keys(&mut a, "q"), Effect::Quit);
    }

    #[test]
    fn read_scroll_and_next_story() {
        let mut a = app(3, 40);
        a.update(Msg::Key(Key::plain(Code::Enter)));
        assert_eq!(a.focus, Focus::Reader);
        assert!(a.entries[0].read);
        keys(&mut a, "jjj");
        assert_eq!(top(&a), 3);
        assert_eq!(a.selected, 0);
        keys(&mut a, " ");
        let page = a.layout().text.height as usize - 1;
        assert_eq!(top(&a), 3 + page);
        a.update(Msg::Key(Key::ctrl('u')));
        assert_eq!(top(&a), 3 + page - page / 2);
        keys(&mut a, "G");
        let r = a.reader.as_ref().unwrap();
        assert_eq!(
            top(&a),
            r.doc.all_lines().len() - a.layout().text.height as usize
        );
        assert_eq!(a.percent(), Some(100));
        let end = top(&a);
        keys(&mut a, "J");
        assert_eq!(a.selected, 1);
        assert_eq!(top(&a), 0, "a new story starts at the top");
        keys(&mut a, "jK");
        assert_eq!(top(&a), end, "back where it was left");
        keys(&mut a, "J");
        assert_eq!(top(&a), 1);
        assert!(a.entries[1].read);
        a.update(Msg::Key(Key::plain(Code::Esc)));
        assert_eq!(a.focus, Focus::List);
        a.update(Msg::Key(Key::plain(Code::Tab)));
        assert_eq!(a.focus, Focus::Reader);
    }

    #[test]
    fn resize_keeps_the_place_in_the_story() {
        let mut a = app(1, 60);
        keys(&mut a, "l");
        for _ in 0..50 {
            keys(&mut a, "j");
        }
        let before = top_line(&a);
        a.update(Msg::Resize(200, 50));
        let wide = top_line(&a);
        assert_eq!(wide.at.para, before.at.para);
        assert!(wide.text.contains(before.text.split(' ').next().unwrap()));
        a.update(Msg::Resize(100, 30));
        assert_eq!(top_line(&a).text, before.text);
    }

    #[test]
    fn the_selection_stays_on_screen_when_the_terminal_shrinks() {
        let mut a = app(40, 1);
        keys(&mut a, "G");
        a.update(Msg::Resize(100, 10));
        let rows = a.layout().list_rows();
        assert!(a.selected >= a.list_offset && a.selected < a.list_offset + rows);
        a.update(Msg::Resize(100, 30));
        assert_eq!(a.list_offset, 40 - a.layout().list_rows());
    }

    #[test]
    fn filter_as_you_type_and_clear() {
        let mut a = app(12, 1);
        keys(&mut a, "/title 1");
        assert_eq!(a.mode, Mode::Filter);
        assert_eq!(a.visible, vec![1, 10, 11]);
        a.update(Msg::Key(Key::plain(Code::Down)));
        assert_eq!(
            (a.mode, a.selected),
            (Mode::Filter, 1),
            "arrows move while typing"
        );
        a.update(Msg::Key(Key::plain(Code::Up)));
        a.update(Msg::Key(Key::plain(Code::Enter)));
        assert_eq!(a.mode, Mode::Normal);
        keys(&mut a, "j");
        assert_eq!(a.selected_entry().unwrap().title(), "Title 10");
        a.update(Msg::Key(Key::plain(Code::Esc)));
        assert_eq!(a.visible.len(), 12);
        assert_eq!(a.selected_entry().unwrap().title(), "Title 10");
    }

    #[test]
    fn find_in_story_with_n_and_shift_n() {
        let mut a = app(1, 80);
        keys(&mut a, "l/paragraph 7");
        a.update(Msg::Key(Key::plain(Code::Enter)));
        let f = a.find.clone().unwrap();
        assert!(f.matches.len() >= 11, "{f:?}"); // 7, 70..79
        let first = top(&a);
        assert!(top_line(&a).text.contains("paragraph 7") || first > 0);
        keys(&mut a, "n");
        assert!(top(&a) > first);
        keys(&mut a, "N");
        assert_eq!(top(&a), first);
        let r = a.reader.as_ref().unwrap();
        let cur = r.doc.line(a.find.as_ref().unwrap().line.unwrap()).unwrap();
        assert!(cur.text.contains("paragraph 7"), "{cur:?}");
    }

    #[test]
    fn hidden_blocks_toggle_in_place() {
        let mut s = story("T", &["Shown one.", "Related headline", "Shown two."]);
        s.cleaned.blocks[1].shown = false;
        s.cleaned.blocks[1].kind = Kind::RelatedHeadline;
        s.cleaned.blocks[1].reason = "between paragraphs".into();
        let mut a = App::with_stories(Settings::default(), Keymap::default(), vec![s], (100, 30));
        let text = all_text;
        assert!(!text(&a).iter().any(|l| l.contains("Related")));
        keys(&mut a, "H");
        let t = text(&a);
        assert!(t
            .iter()
            .any(|l| l.contains("related-headline") && l.contains("between")));
        assert!(t.iter().position(|l| l == "Related headline").unwrap() > 1);
        keys(&mut a, "H");
        assert!(!text(&a).iter().any(|l| l.contains("Related")));
    }

    #[test]
    fn narrow_shows_one_pane_and_mouse_works() {
        let mut a = app(20, 30);
        a.update(Msg::Resize(60, 20));
        assert!(a.layout().reader.is_none());
        a.update(Msg::Click { col: 5, row: 5 }); // rows 1-2: story 0, 3-4: 1, 5-6: 2
        assert_eq!(a.selected, 2);
        keys(&mut a, "l");
        assert!(a.layout().list.is_none());
        a.update(Msg::Wheel {
            col: 10,
            row: 10,
            down: true,
        });
        assert_eq!(top(&a), 3);
        keys(&mut a, "h");
        a.update(Msg::Wheel {
            col: 10,
            row: 10,
            down: true,
        });
        assert_eq!(a.list_offset, 3);
        assert_eq!(a.selected, 2);
    }

    #[test]
    fn tiny_sizes_are_safe() {
        let mut a = app(2, 2);
        for (w, h) in [(1, 1), (0, 0), (10, 4), (3, 2)] {
            a.update(Msg::Resize(w, h));
            for c in "jJlGgH jkKh".chars() {
                a.update(Msg::Key(Key::ch(c)));
            }
        }
    }

    /// The answer the shell gives to a [`Effect::LoadStory`].
    fn read(s: &Story, cleaned: bool) -> Msg {
        let mut s = s.clone();
        if !cleaned {
            s.cleaned = Cleaned::default();
        }
        Msg::Story {
            id: StoryId::of(&s.article),
            story: Ok(Box::new(ReadStory::new(s, cleaned))),
        }
    }

    #[test]
    fn entries_list_at_once_stories_are_read_when_opened_and_cleaned_later_in_place() {
        let mut a = App::new(Settings::default(), Keymap::default());
        a.update(Msg::Resize(100, 6)); // one line of text
        let mut s = story("T", &["Para one is here.", "Related headline", "Para two."]);
        a.update(Msg::Entries(vec![Entry::new(ListEntry::of(&s))]));
        assert!(a.reader.is_none(), "no text until the story is read");
        assert_eq!(a.take_effects(), vec![Effect::LoadStory(a.entries[0].id)]);
        a.update(Msg::Resize(100, 6));
        assert!(a.take_effects().is_empty(), "asked for once");
        a.update(read(&s, false));
        keys(&mut a, "l");
        let lines = |a: &App| all_text(a).len();
        assert_eq!(lines(&a), 5, "uncleaned: every block shown");
        assert!(!a.reader.as_ref().unwrap().cleaned);
        keys(&mut a, "jjjj");
        a.take_effects();
        s.cleaned.blocks[1].shown = false;
        a.update(Msg::EvidenceReady);
        assert_eq!(
            a.take_effects(),
            vec![Effect::LoadStory(a.entries[0].id)],
            "read again"
        );
        assert_eq!(lines(&a), 5, "the old layout stays until then");
        a.update(read(&s, false)); // read before the evidence came: not kept
        assert_eq!(a.take_effects(), vec![Effect::LoadStory(a.entries[0].id)]);
        a.update(read(&s, true));
        assert!(a.reader.as_ref().unwrap().cleaned);
        assert_eq!(lines(&a), 3);
        let r = a.reader.as_ref().unwrap();
        assert_eq!(
            r.doc.line(r.top).unwrap().text,
            "Para two.",
            "kept the place"
        );
    }

    #[test]
    fn a_few_stories_are_kept_and_the_next_is_prefetched() {
        let stories: Vec<Story> = (0..20)
            .map(|i| story(&format!("Story {i}"), &[&format!("Text {i}.")]))
            .collect();
        let mut a = App::new(Settings::default(), Keymap::default());
        a.update(Msg::Resize(100, 30));
        let entries = stories.iter().map(|s| Entry::new(ListEntry::of(s)));
        a.update(Msg::Entries(entries.collect()));
        a.update(Msg::Loaded);
        for (i, s) in stories.iter().enumerate() {
            assert_eq!(a.selected, i);
            assert_eq!(a.take_effects(), vec![Effect::LoadStory(a.entries[i].id)]);
            a.update(read(s, true));
            let fx = a.take_effects();
            if i + 1 < stories.len() {
                assert_eq!(fx, vec![Effect::Prefetch(a.entries[i + 1].id)]);
            }
            assert_eq!(
                all_text(&a)[0],
                format!("Text {i}."),
                "the story read is shown"
            );
            keys(&mut a, "j");
        }
        assert!(a.stories.len() <= CACHED, "{}", a.stories.len());
        // going back to a story still held needs no reading
        keys(&mut a, "k");
        assert!(a.take_effects().is_empty());
        // one that could not be read says why, and is not asked for in a loop
        keys(&mut a, "g");
        assert_eq!(a.take_effects(), vec![Effect::LoadStory(a.entries[0].id)]);
        a.update(Msg::Story {
            id: a.entries[0].id,
            story: Err("x.txt: gone".into()),
        });
        assert!(a.message.as_deref().unwrap().contains("gone"));
        a.update(Msg::Resize(100, 30));
        assert!(a.take_effects().is_empty());
    }

    #[test]
    fn url_keys_on_a_story_not_read_yet_wait_for_it() {
        let mut s = story("With URL", &["x"]);
        s.article.url = Some("https://example.org/a".into());
        let mut a = App::new(Settings::default(), Keymap::default());
        a.update(Msg::Resize(60, 20)); // narrow: the list alone, nothing read
        a.update(Msg::Entries(vec![Entry::new(ListEntry::of(&s))]));
        assert!(a.take_effects().is_empty());
        keys(&mut a, "o");
        assert_eq!(a.take_effects(), vec![Effect::LoadStory(a.entries[0].id)]);
        a.update(read(&s, true));
        assert_eq!(
            a.take_effects(),
            vec![Effect::OpenUrl("https://example.org/a".into())]
        );
        keys(&mut a, "y");
        assert_eq!(
            a.take_effects(),
            vec![Effect::CopyUrl("https://example.org/a".into())]
        );
    }

    #[test]
    fn relisting_keeps_state_selection_and_the_open_story() {
        let mut a = app(4, 30);
        keys(&mut a, "jjs");
        keys(&mut a, "l");
        for _ in 0..5 {
            keys(&mut a, "j");
        }
        let anchor = a.reader.as_ref().unwrap().anchor;
        let id = a.entries[2].id;
        // a new story before the others, one gone
        let mut list: Vec<Entry> = a
            .entries
            .iter()
            .map(|e| Entry::new(e.listed.clone()))
            .collect();
        list.remove(0);
        list.insert(0, Entry::new(ListEntry::of(&story("New", &["n"]))));
        a.update(Msg::Relist(list));
        assert_eq!(a.entries.len(), 4);
        assert_eq!(a.entries[2].id, id);
        assert!(a.entries[2].starred && a.entries[2].read);
        assert_eq!(a.selected_entry().unwrap().id, id);
        let r = a.reader.as_ref().unwrap();
        assert_eq!((r.entry, r.anchor), (2, anchor));
    }

    #[test]
    fn problems_are_summarised() {
        let mut a = App::new(Settings::default(), Keymap::default());
        let e = |p: &str| LoadError {
            path: p.into(),
            at: None,
            kind: crate::article::ProblemKind::Repaired,
            reason: "not UTF-8".into(),
        };
        a.update(Msg::Problems(vec![e("a/x.txt"), e("a/y.txt")]));
        assert_eq!(
            a.message.as_deref(),
            Some("2 files could not be read: a/x.txt: not UTF-8")
        );
        a.update(Msg::LoadFailed("index out of bounds".into()));
        assert!(a.progress.finished);
        assert!(a
            .message
            .as_deref()
            .unwrap()
            .contains("index out of bounds"));
    }

    fn enter(a: &mut App) {
        a.update(Msg::Key(Key::plain(Code::Enter)));
    }

    #[test]
    fn star_and_read_keys_change_entries_and_emit_effects() {
        let mut a = app(3, 2);
        a.take_effects();
        keys(&mut a, "s");
        assert!(a.entries[0].starred);
        assert_eq!(
            a.take_effects(),
            vec![Effect::SetStar(a.entries[0].id, true)]
        );
        keys(&mut a, "jm");
        assert!(a.entries[1].read);
        assert_eq!(
            a.take_effects(),
            vec![Effect::SetRead(a.entries[1].id, true)]
        );
        keys(&mut a, "ms");
        assert!(!a.entries[1].read && a.entries[1].starred);
        assert_eq!(
            a.take_effects(),
            vec![
                Effect::SetRead(a.entries[1].id, false),
                Effect::SetStar(a.entries[1].id, true)
            ]
        );
        // opening marks read once, and remembers the selection
        enter(&mut a);
        assert_eq!(
            a.take_effects(),
            vec![
                Effect::SetRead(a.entries[1].id, true),
                Effect::SetLastSelection(a.entries[1].id)
            ]
        );
        keys(&mut a, "hq");
        assert_eq!(
            a.take_effects(),
            vec![Effect::SetLastSelection(a.entries[1].id)]
        );
    }

    #[test]
    fn mark_read_on_open_can_be_off() {
        let s = Settings {
            mark_read_on_open: false,
            ..Settings::default()
        };
        let stories = vec![story("A", &["a"]), story("B", &["b"])];
        let mut a = App::with_stories(s, Keymap::default(), stories, (100, 30));
        enter(&mut a);
        keys(&mut a, "J");
        assert!(!a.entries[0].read && !a.entries[1].read);
        assert!(!a
            .take_effects()
            .iter()
            .any(|e| matches!(e, Effect::SetRead(..))));
    }

    #[test]
    fn unread_only_and_next_previous_unread() {
        let mut a = app(6, 2);
        for i in [1, 2, 4] {
            a.entries[i].read = true;
        }
        keys(&mut a, "n");
        assert_eq!(a.selected, 3);
        keys(&mut a, "n");
        assert_eq!(a.selected, 5);
        keys(&mut a, "n");
        assert_eq!(a.selected, 5);
        assert!(a.message.as_deref().unwrap().contains("no unread"));
        keys(&mut a, "pp");
        assert_eq!(a.selected, 0);
        keys(&mut a, "jjj"); // story 3
        keys(&mut a, "u");
        assert_eq!(a.visible, vec![0, 3, 5]);
        assert_eq!(a.selected_entry().unwrap().id, a.entries[3].id);
        assert!(a
            .take_effects()
            .contains(&Effect::SaveSetting("unread_only", "1".into())));
        keys(&mut a, "u");
        assert_eq!(a.visible.len(), 6);
        // with a find active in the story, n / N stay on matches
        keys(&mut a, "l/paragraph");
        enter(&mut a);
        let sel = a.selected;
        keys(&mut a, "n");
        assert_eq!(a.selected, sel, "n is next match while finding");
        assert_eq!(a.find.as_ref().unwrap().current, 1);
    }

    #[test]
    fn sort_cycles_and_source_filter_cycles() {
        let mk = |t: &str, src: &str, date: &str| {
            let mut s = story(t, &["x"]);
            s.article.source = Some(src.into());
            s.article.date = Some(date.into());
            s
        };
        let stories = vec![
            mk("Bravo", "Zeta News", "2020-01-02"),
            mk("Alpha", "Acme Post", "2020-01-01"),
            mk("Charlie", "Acme Post", "2020-01-03"),
        ];
        let mut a = App::with_stories(Settings::default(), Keymap::default(), stories, (100, 30));
        let titles = |a: &App| -> Vec<String> {
            a.visible
                .iter()
                .map(|&i| a.entries[i].title().to_string())
                .collect()
        };
        keys(&mut a, "S");
        assert_eq!(a.sort, Sort::Date);
        assert_eq!(titles(&a), ["Charlie", "Bravo", "Alpha"]);
        assert!(a
            .take_effects()
            .contains(&Effect::SaveSetting("sort", "date".into())));
        keys(&mut a, "S");
        assert_eq!(titles(&a), ["Charlie", "Alpha", "Bravo"]);
        keys(&mut a, "S");
        assert_eq!(titles(&a), ["Alpha", "Bravo", "Charlie"]);
        keys(&mut a, "S");
        assert_eq!(a.sort, Sort::Archive);
        assert_eq!(titles(&a), ["Bravo", "Alpha", "Charlie"]);
        keys(&mut a, "f");
        assert_eq!(a.source.as_deref(), Some("Acme Post"));
        assert_eq!(titles(&a), ["Alpha", "Charlie"]);
        keys(&mut a, "f");
        assert_eq!(titles(&a), ["Bravo"]);
        keys(&mut a, "f");
        assert_eq!(a.source, None);
        assert_eq!(a.visible.len(), 3);
        keys(&mut a, "f");
        a.update(Msg::Key(Key::plain(Code::Esc)));
        assert_eq!(a.source, None, "esc in the list clears the source filter");
    }

    #[test]
    fn enter_in_the_filter_runs_a_full_text_search_ranked() {
        let mut a = app(5, 2);
        a.take_effects();
        keys(&mut a, "/harbour");
        enter(&mut a);
        assert_eq!(a.take_effects(), vec![Effect::Search("harbour".into())]);
        let ids = vec![a.entries[3].id, a.entries[1].id];
        // an answer for another query is ignored
        a.update(Msg::SearchResults {
            query: "other".into(),
            found: Ok(SearchAnswer {
                stories: ids.clone(),
                terms: vec![],
            }),
        });
        assert!(a.search.is_none());
        a.update(Msg::SearchResults {
            query: "harbour".into(),
            found: Ok(SearchAnswer {
                stories: ids,
                terms: vec!["harbour".into()],
            }),
        });
        assert_eq!(a.visible, vec![3, 1], "best first");
        assert_eq!(a.selected, 0);
        assert!(a.message.as_deref().unwrap().contains("2 stories found"));
        a.update(Msg::Key(Key::plain(Code::Esc)));
        assert!(a.search.is_none() && a.filter.is_empty());
        assert_eq!(a.visible.len(), 5);
        // no index: the title filter stays, with a message
        keys(&mut a, "/title 2");
        enter(&mut a);
        a.update(Msg::SearchResults {
            query: "title 2".into(),
            found: Err("the index is still being built".into()),
        });
        assert_eq!(a.visible, vec![2]);
        assert!(a.message.as_deref().unwrap().contains("still being built"));
    }

    #[test]
    fn remembered_state_fills_entries_and_scrolling_is_saved() {
        let mut a = App::new(Settings::default(), Keymap::default());
        a.update(Msg::Resize(100, 30));
        let stories: Vec<Story> = (0..3)
            .map(|i| {
                let p: Vec<String> = (0..40).map(|j| format!("S{i} paragraph {j}.")).collect();
                let r: Vec<&str> = p.iter().map(|s| s.as_str()).collect();
                story(&format!("T{i}"), &r)
            })
            .collect();
        let id2 = StoryId::of(&stories[2].article);
        a.update(Msg::Stories(stories));
        a.fill_state(0, |id| {
            if id == id2 {
                (true, true, Some(20))
            } else {
                (false, false, None)
            }
        });
        assert!(a.entries[2].read && a.entries[2].starred);
        a.update(Msg::Loaded);
        assert!(a.select_id(id2));
        assert_eq!(a.selected, 2);
        assert_eq!(a.reader.as_ref().unwrap().anchor.para, 20, "at its place");
        a.take_effects();
        keys(&mut a, "l");
        for _ in 0..4 {
            keys(&mut a, "j");
        }
        let fx = a.take_effects();
        assert!(
            fx.iter().any(
                |e| matches!(e, Effect::SaveScroll(id, p) if *id == a.entries[2].id && *p > 20)
            ),
            "{fx:?}"
        );
    }

    #[test]
    fn url_and_export_keys() {
        let mut s = story("With URL", &["x"]);
        s.article.url = Some("https://example.org/a".into());
        let stories = vec![s, story("No URL", &["y"])];
        let mut a = App::with_stories(Settings::default(), Keymap::default(), stories, (100, 30));
        a.take_effects();
        keys(&mut a, "oye");
        assert_eq!(
            a.take_effects(),
            vec![
                Effect::OpenUrl("https://example.org/a".into()),
                Effect::CopyUrl("https://example.org/a".into()),
                Effect::Export(a.entries[0].id)
            ]
        );
        keys(&mut a, "jo");
        assert_eq!(a.message.as_deref(), Some("this story has no URL"));
    }

    #[test]
    fn sorts_order_as_their_lower_case_keys_would() {
        use crate::archive::StoryId;
        let titles = [
            "Zebra", "apple", "Äpfel", "éclair", "Eclair", "apple", "ZEBRA", "b",
        ];
        let sources = [
            Some("The Times"),
            None,
            Some("the times"),
            Some("Ärzte"),
            Some("Courier"),
            Some("courier"),
            None,
            Some("The Times"),
        ];
        let dates = [
            Some("2020-01-02"),
            None,
            Some("2021-05-05"),
            Some("2020-01-02"),
            None,
            Some("2019-12-31"),
            Some("2020-01-01"),
            Some("2020-01-02"),
        ];
        let entries: Vec<Entry> = (0..titles.len())
            .map(|i| {
                let id = StoryId::from_text(titles[i], [format!("{i}").as_str()]);
                let path = std::path::PathBuf::from(format!("{i}.txt"));
                Entry::new(ListEntry::new(
                    id, &path, 0, titles[i], sources[i], dates[i],
                ))
            })
            .collect();
        let low = |t: Option<&str>| t.unwrap_or("").to_lowercase();
        let mut by_title: Vec<usize> = (0..entries.len()).collect();
        by_title.sort_by_cached_key(|&i| low(Some(entries[i].title())));
        let mut by_source: Vec<usize> = (0..entries.len()).collect();
        by_source.sort_by_cached_key(|&i| {
            let e = &entries[i];
            (
                e.source().is_none(),
                low(e.source()),
                std::cmp::Reverse(e.date().map(str::to_owned)),
            )
        });
        let mut a = App::new(Settings::default(), Keymap::default());
        a.entries = entries;
        for (sort, want) in [(Sort::Title, by_title), (Sort::Source, by_source)] {
            a.sort = sort;
            a.refilter();
            assert_eq!(a.visible, want, "{}", sort.name());
        }
    }

    #[test]
    fn a_remembered_sort_applies_when_loading_ends() {
        let mut a = App::new(Settings::default(), Keymap::default());
        a.sort = Sort::Title;
        a.update(Msg::Resize(100, 30));
        a.update(Msg::Stories(vec![story("b", &["x"]), story("a", &["y"])]));
        assert_eq!(
            a.visible,
            vec![0, 1],
            "not re-sorted per batch while loading"
        );
        a.update(Msg::Loaded);
        assert_eq!(a.visible, vec![1, 0]);
        a.update(Msg::Stories(vec![story("0", &["z"])]));
        assert_eq!(a.visible, vec![2, 1, 0], "sorted in once loaded");
    }
}
