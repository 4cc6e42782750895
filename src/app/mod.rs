//! The reader's state and what changes it: [`App`], the messages it takes ([`Msg`]: keys,
//! bindable [`Action`]s, resizes, the mouse, stories arriving from the loader) and
//! [`App::update`]. No terminal, no files: tests drive it with messages alone.

pub mod doc;
pub mod layout;

use crate::archive::{Entry as ListEntry, Story, StoryId};
use crate::article::LoadError;
use crate::config::Config;
use crate::keymap::{Action, Code, Key, Keymap};
pub use doc::{Anchor, Doc, Line, LineKind, Pos};
pub use layout::{Layout, Sizes};
use std::collections::HashMap;
use std::rc::Rc;
use unicode_width::UnicodeWidthStr;

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

/// A story in the list, with its reading state: what identifies and describes it (the
/// index's [`ListEntry`], its fields reached through `Deref`), never its text (a story is
/// read from its file when opened, see [`Effect::LoadStory`]). `read` and `starred` live
/// here so the storage layer can fill them in when entries arrive and persist them on
/// change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Id, path, index in its file, title, source and date.
    pub listed: ListEntry,
    /// Read?
    pub read: bool,
    /// Starred?
    pub starred: bool,
    /// Where the reader was in this story (kept when moving to another story; the
    /// storage layer can fill and persist it).
    pub position: Anchor,
}

impl std::ops::Deref for Entry {
    type Target = ListEntry;
    fn deref(&self) -> &ListEntry {
        &self.listed
    }
}

impl Entry {
    /// A new, unread, unstarred entry.
    pub fn new(listed: ListEntry) -> Entry {
        Entry {
            listed,
            read: false,
            starred: false,
            position: Anchor::default(),
        }
    }
    /// Does the list filter `q` (lower case) match the title or the source?
    fn matches(&self, q: &str) -> bool {
        q.is_empty()
            || contains_folded(self.title(), q)
            || self.source().is_some_and(|s| contains_folded(s, q))
    }
}

/// Does `text`, lower-cased, contain `q` (lower case)? Without allocating for ASCII text,
/// so filtering 100,000 titles per keystroke stays cheap.
fn contains_folded(text: &str, q: &str) -> bool {
    if text.is_ascii() {
        let (t, q) = (text.as_bytes(), q.as_bytes());
        q.len() <= t.len()
            && t.windows(q.len())
                .any(|w| w.iter().zip(q).all(|(a, b)| a.to_ascii_lowercase() == *b))
    } else {
        text.to_lowercase().contains(q)
    }
}

/// A story read from its file, as the reading pane needs it.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The story (shared with the reading pane's layout, never copied).
    pub story: Rc<Story>,
    /// Cleaned with the archive's evidence? (Until the evidence is gathered, a story is
    /// shown with every block as stored.)
    pub cleaned: bool,
    /// Words shown as the story (for the reading time).
    pub words: usize,
}

/// A story read from its file in the background, on its way to the app ([`Msg::Story`]).
#[derive(Debug, Clone)]
pub struct ReadStory {
    /// The story.
    pub story: Story,
    /// Cleaned with the archive's evidence (else `story.cleaned` is empty: every block is
    /// shown as stored)?
    pub cleaned: bool,
    /// Words shown as the story (counted where it was read, off the loop).
    pub words: usize,
}

impl ReadStory {
    /// A story, cleaned or not, its words counted.
    pub fn new(story: Story, cleaned: bool) -> ReadStory {
        ReadStory {
            words: Opened::words_of(&story, cleaned),
            story,
            cleaned,
        }
    }
}

impl Opened {
    /// A story, cleaned (`cleaned.blocks` given) or not (empty: every block as stored).
    pub fn new(story: Story, cleaned: bool) -> Opened {
        Opened::from(ReadStory::new(story, cleaned))
    }
    /// Words shown as the story: the shown blocks', or every block's when not cleaned.
    pub fn words_of(story: &Story, cleaned: bool) -> usize {
        let count = |t: &str| t.split_whitespace().count();
        if cleaned {
            story.cleaned.body().map(|d| count(&d.text)).sum()
        } else {
            story.article.blocks.iter().map(|b| count(&b.text)).sum()
        }
    }
}

impl From<ReadStory> for Opened {
    fn from(r: ReadStory) -> Opened {
        Opened {
            story: Rc::new(r.story),
            cleaned: r.cleaned,
            words: r.words,
        }
    }
}

/// Stories opened recently, by id: the open one, a few before it and a prefetched
/// neighbour. Pinned stories (given whole with [`Msg::Stories`]) are never dropped.
#[derive(Debug, Clone, Default)]
pub struct Cache {
    items: HashMap<StoryId, (Opened, bool, u64)>,
    tick: u64,
}

/// Stories kept in the cache besides pinned ones.
pub const CACHED: usize = 8;

impl Cache {
    /// The story with this id, if it is held.
    pub fn get(&self, id: StoryId) -> Option<&Opened> {
        self.items.get(&id).map(|(o, _, _)| o)
    }
    fn touch(&mut self, id: StoryId) {
        self.tick += 1;
        if let Some(x) = self.items.get_mut(&id) {
            x.2 = self.tick;
        }
    }
    fn insert(&mut self, id: StoryId, o: Opened, pinned: bool) {
        self.tick += 1;
        self.items.insert(id, (o, pinned, self.tick));
        while self.items.values().filter(|x| !x.1).count() > CACHED {
            let oldest = self
                .items
                .iter()
                .filter(|(_, x)| !x.1)
                .min_by_key(|(_, x)| x.2)
                .map(|(k, _)| *k);
            match oldest {
                Some(k) => self.items.remove(&k),
                None => break,
            };
        }
    }
    /// Drop the stories shown uncleaned (the evidence to clean them is in now).
    fn drop_uncleaned(&mut self) {
        self.items.retain(|_, (o, pinned, _)| o.cleaned || *pinned);
    }
    /// How many stories are held.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// None held?
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
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

/// What the loader is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stage {
    /// Listing: reading files for their entries.
    #[default]
    Loading,
    /// Bringing the index up to date (the list is complete).
    Indexing,
    /// Reading the archive for the evidence that cleaning needs (stories open uncleaned
    /// until it is in).
    Cleaning,
}

/// How far loading has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// What is being done.
    pub stage: Stage,
    /// Files (or stories) done.
    pub done: usize,
    /// Of how many.
    pub total: usize,
    /// The list is complete.
    pub finished: bool,
    /// Work goes on in the background ([`Stage::Indexing`], [`Stage::Cleaning`]) until
    /// [`Msg::Idle`].
    pub working: bool,
}

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

/// Something that happened, for [`App::update`].
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press (looked up in the keymap, or typed into a filter / find).
    Key(Key),
    /// A bindable action, directly.
    Do(Action),
    /// The terminal's size changed (also sent once at start).
    Resize(u16, u16),
    /// Mouse wheel at a cell; `down`: towards the end.
    Wheel {
        /// Column.
        col: u16,
        /// Row.
        row: u16,
        /// Scrolling down?
        down: bool,
    },
    /// Left click at a cell.
    Click {
        /// Column.
        col: u16,
        /// Row.
        row: u16,
    },
    /// Loading progress.
    Progress {
        /// What is being done.
        stage: Stage,
        /// Done.
        done: usize,
        /// Of.
        total: usize,
    },
    /// Stories given whole, cleaned, listed in order and kept (for tests and small uses).
    Stories(Vec<Story>),
    /// List entries, in archive order, added to the list (made by the sender, so that a
    /// list of 100,000 is taken as it is, not copied; their reading state is filled in
    /// by [`App::fill_state`]).
    Entries(Vec<Entry>),
    /// The whole list again (the files changed): entries replace the list; reading
    /// state, selection and the open story are kept by id.
    Relist(Vec<Entry>),
    /// The answer to [`Effect::LoadStory`] (or a prefetch): a story read from its file.
    Story {
        /// Its id.
        id: StoryId,
        /// The story, or why it could not be read.
        story: Result<Box<ReadStory>, String>,
    },
    /// The archive's evidence is in: stories are cleaned from now on (those shown
    /// uncleaned are read again).
    EvidenceReady,
    /// The background work after listing (index, evidence) has ended.
    Idle,
    /// Files that could not be read (sent once, when loading ends).
    Problems(Vec<LoadError>),
    /// Loading has finished.
    Loaded,
    /// Loading stopped on an internal error (a bug); what is loaded stays readable.
    LoadFailed(String),
    /// The answer to [`Effect::Search`]: the stories found, best first, and the words
    /// that matched; `Err` when the search could not run (the title filter stays).
    SearchResults {
        /// The query searched.
        query: String,
        /// Found stories and matched words, or why there are none.
        found: Result<(Vec<StoryId>, Vec<String>), String>,
    },
    /// The full-text index is built and up to date (or could not be: why).
    IndexReady(Result<(), String>),
}

/// What the shell must do. [`App::update`] returns `None` or `Quit`; everything else
/// (writes to the reading state, searches, the browser, the clipboard, files) waits in
/// [`App::take_effects`] for the shell to perform, in order. Entries are indexes into
/// [`App::entries`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing.
    None,
    /// Leave the reader.
    Quit,
    /// Remember a story as read or unread.
    SetRead(usize, bool),
    /// Remember a story as starred or not.
    SetStar(usize, bool),
    /// Remember the paragraph a story is scrolled to.
    SaveScroll(usize, u32),
    /// Remember the selected story.
    SetLastSelection(usize),
    /// Remember a reader setting (`sort`, `unread_only`).
    SaveSetting(&'static str, String),
    /// Run a ranked full-text search; the answer comes back as [`Msg::SearchResults`].
    Search(String),
    /// Open a URL in the browser.
    OpenUrl(String),
    /// Put a URL on the clipboard.
    CopyUrl(String),
    /// Export a story as Markdown to a file.
    Export(usize),
    /// Read a story from its file (in the background); the answer comes back as
    /// [`Msg::Story`].
    LoadStory(usize),
    /// Read a story likely to be opened next, when nothing else waits.
    Prefetch(usize),
}

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// As the archive holds them.
    #[default]
    Archive,
    /// Newest first (undated last).
    Date,
    /// By source, then newest first.
    Source,
    /// By title.
    Title,
}

impl Sort {
    /// The setting's value and the word shown.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Archive => "archive",
            Sort::Date => "date",
            Sort::Source => "source",
            Sort::Title => "title",
        }
    }
    /// From a setting's value.
    pub fn parse(s: &str) -> Option<Sort> {
        [Sort::Archive, Sort::Date, Sort::Source, Sort::Title]
            .into_iter()
            .find(|x| x.name() == s)
    }
    fn next(self) -> Sort {
        match self {
            Sort::Archive => Sort::Date,
            Sort::Date => Sort::Source,
            Sort::Source => Sort::Title,
            Sort::Title => Sort::Archive,
        }
    }
}

/// A full-text search whose ranked results the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FullText {
    /// As typed.
    pub query: String,
    /// The entries found, best first.
    pub ranked: Vec<usize>,
    /// The matched words (lower case), highlighted in the reading pane.
    pub terms: Vec<String>,
}

/// The whole reader state.
#[derive(Debug, Clone)]
pub struct App {
    /// Settings from the config.
    pub settings: Settings,
    /// The live keymap.
    pub keymap: Keymap,
    /// Every story, in archive order.
    pub entries: Vec<Entry>,
    /// Stories read from their files, recently opened.
    pub stories: Cache,
    /// The story last asked for ([`Effect::LoadStory`]), until it comes.
    requested: Option<StoryId>,
    /// An action waiting for a story to be read (`o`, `y` on a story not read yet).
    after_load: Option<(StoryId, Action)>,
    /// The archive's evidence is in (stories arrive cleaned).
    pub evidence_ready: bool,
    /// The last story that could not be read, and why.
    pub failed: Option<(StoryId, String)>,
    /// The entries the list shows (all, or those matching the filter).
    pub visible: Vec<usize>,
    /// The list filter as typed.
    pub filter: String,
    /// Selected row (index into `visible`).
    pub selected: usize,
    /// First row shown in the list pane.
    pub list_offset: usize,
    /// Which pane has the keyboard.
    pub focus: Focus,
    /// What keys do.
    pub mode: Mode,
    /// Hidden blocks shown (dimmed, labelled)?
    pub show_hidden: bool,
    /// The story in the reading pane.
    pub reader: Option<Reader>,
    /// The active find in the story.
    pub find: Option<Find>,
    /// First line of help shown.
    pub help_offset: usize,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// A message for the status line, cleared by the next key.
    pub message: Option<String>,
    /// Loading progress.
    pub progress: Progress,
    /// Files that could not be read.
    pub problems: Vec<LoadError>,
    /// How many distinct files those are.
    pub unreadable: usize,
    /// Only unread stories listed?
    pub unread_only: bool,
    /// The list's order.
    pub sort: Sort,
    /// Only this source listed.
    pub source: Option<String>,
    /// The full-text search the list shows.
    pub search: Option<FullText>,
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

    /// The story of entry `i`, if it has been read.
    pub fn story(&self, i: usize) -> Option<&Opened> {
        self.entries.get(i).and_then(|e| self.stories.get(e.id))
    }

    /// The current layout.
    pub fn layout(&self) -> Layout {
        Layout::new(self.size.0, self.size.1, self.settings.sizes, self.focus)
    }

    /// The selected entry, if any.
    pub fn selected_entry(&self) -> Option<&Entry> {
        self.visible.get(self.selected).map(|&i| &self.entries[i])
    }

    /// Apply a message.
    pub fn update(&mut self, msg: Msg) -> Effect {
        let effect = match msg {
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
        effect
    }

    /// The effects waiting for the shell, oldest first.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    fn emit(&mut self, e: Effect) {
        self.effects.push(e);
    }

    /// Add entries; listed if they pass the filters (the list re-sorted if sorted).
    fn add(&mut self, mut entries: Vec<Entry>) {
        let q = self.filter.to_lowercase();
        let from = self.entries.len();
        if from == 0 {
            self.entries = entries; // the whole list at once: taken, not copied
        } else {
            self.entries.append(&mut entries);
        }
        if self.search.is_none() {
            self.visible.reserve(self.entries.len() - from);
            for (i, e) in self.entries.iter().enumerate().skip(from) {
                if self.keeps(e, &q) {
                    self.visible.push(i);
                }
            }
        }
        // sorted once loading is over (not per batch: a big archive arrives in hundreds)
        if self.sort != Sort::Archive && self.progress.finished {
            self.refilter();
        }
    }

    /// Does the list show `e` (with the text filter `q`, lower case)?
    fn keeps(&self, e: &Entry, q: &str) -> bool {
        e.matches(q)
            && !(self.unread_only && e.read)
            && self.source.as_deref().is_none_or(|s| e.source() == Some(s))
    }

    /// Fill in remembered reading state for the entries from `from` on: read, starred
    /// and the paragraph they were scrolled to. Called by the shell as stories arrive.
    pub fn fill_state(
        &mut self,
        from: usize,
        mut state: impl FnMut(StoryId) -> (bool, bool, Option<u32>),
    ) {
        for e in self.entries.iter_mut().skip(from) {
            let (read, starred, scroll) = state(e.id);
            e.read = read;
            e.starred = starred;
            if let Some(p) = scroll.filter(|&p| p != e.position.para) {
                e.position = Anchor { para: p, sub: 0 };
            }
        }
        // the open story goes to its remembered place (a find in it stays)
        let max = self.max_top();
        if let Some(r) = self.reader.as_mut().filter(|r| r.entry >= from) {
            let p = self.entries[r.entry].position;
            if p.para != r.anchor.para {
                r.anchor = p;
                r.top = r.doc.pos_of(p).min(max);
            }
        }
        if self.unread_only {
            self.refilter();
        }
        self.sync();
    }

    /// Select the story with this id if it is listed (the last selection, restored).
    pub fn select_id(&mut self, id: StoryId) -> bool {
        let Some(row) = self.visible.iter().position(|&i| self.entries[i].id == id) else {
            return false;
        };
        self.select(row as isize);
        self.sync();
        true
    }

    /// After every update: the open story's paragraph, remembered when it changes.
    fn track_position(&mut self) {
        let Some(r) = &self.reader else { return };
        let (i, a) = (r.entry, r.anchor);
        if self.entries[i].position.para != a.para {
            self.entries[i].position = a;
            self.emit(Effect::SaveScroll(i, a.para));
        } else {
            self.entries[i].position = a;
        }
    }

    /// A key: typed into the filter / find, closes help, or looked up in the keymap.
    fn key(&mut self, k: Key) -> Effect {
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

    fn find_active(&self) -> bool {
        self.focus == Focus::Reader && self.find.as_ref().is_some_and(|f| !f.query.is_empty())
    }

    /// Lines of the help overlay (a binding per action).
    pub fn help_len(&self) -> usize {
        self.keymap.bindings().count()
    }

    /// Edit the filter / find text; false when the key is not an editing key.
    fn type_key(&mut self, k: Key) -> bool {
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

    /// Filter the list to stories whose title or source contains `text`.
    pub fn set_filter(&mut self, text: String) {
        self.filter = text;
        self.search = None;
        self.refilter();
    }

    /// List what passes the filters (or the full-text results, best first), in the
    /// list's order; the selected story stays selected if it is still listed.
    pub fn refilter(&mut self) {
        let keep = self.visible.get(self.selected).copied();
        let before = self.selected;
        if let Some(s) = &self.search {
            self.visible = s
                .ranked
                .iter()
                .copied()
                .filter(|&i| self.keeps(&self.entries[i], ""))
                .collect();
        } else {
            let q = self.filter.to_lowercase();
            let mut v: Vec<usize> = (0..self.entries.len())
                .filter(|&i| self.keeps(&self.entries[i], &q))
                .collect();
            let e = &self.entries;
            let date = |i: usize| std::cmp::Reverse(e[i].date());
            // stable sorts (ties keep the archive's order), with nothing made per story:
            // 100,000 keys made and dropped cost more than the first frame
            match self.sort {
                Sort::Archive => {}
                Sort::Date => v.sort_by_key(|&i| (e[i].date().is_none(), date(i))),
                Sort::Source => {
                    // each story's source and date as their places among all of them
                    let source = ranks(e, |x| x.source().map(str::to_lowercase));
                    let day = ranks(e, |x| x.date().map(std::cmp::Reverse));
                    sort_by_prefix(
                        &mut v,
                        |i| u128::from(source[i]) << 32 | u128::from(day[i]),
                        |_| (),
                    );
                }
                Sort::Title => sort_by_prefix(
                    &mut v,
                    |i| lowercase_prefix(e[i].title()),
                    |i| e[i].title().to_lowercase(),
                ),
            }
            self.visible = v;
        }
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(before.min(self.visible.len().saturating_sub(1)));
        self.list_offset = 0;
        self.keep_selection_visible();
    }

    /// The answer to a full-text search.
    fn searched(&mut self, query: String, found: Result<(Vec<StoryId>, Vec<String>), String>) {
        if query != self.filter {
            return; // the filter changed since: an old answer
        }
        match found {
            Err(why) => self.message = Some(format!("full-text search not available: {why}")),
            Ok((ids, _)) if ids.is_empty() => {
                self.message = Some(format!("no story's text matches {query:?}"));
            }
            Ok((ids, terms)) => {
                let at: std::collections::HashMap<StoryId, usize> = self
                    .entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.id, i))
                    .collect();
                let mut ranked: Vec<usize> =
                    ids.iter().filter_map(|id| at.get(id).copied()).collect();
                let mut seen = std::collections::HashSet::new();
                ranked.retain(|i| seen.insert(*i));
                self.message = Some(format!(
                    "{} {} found for {query:?}, best first",
                    ranked.len(),
                    if ranked.len() == 1 {
                        "story"
                    } else {
                        "stories"
                    }
                ));
                self.search = Some(FullText {
                    query,
                    ranked,
                    terms,
                });
                self.selected = 0;
                self.refilter();
                self.selected = 0;
                self.keep_selection_visible();
            }
        }
    }

    fn set_find(&mut self, text: String) {
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

    fn goto_match(&mut self) {
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

    /// Do a bindable action.
    pub fn act(&mut self, a: Action) -> Effect {
        let reading = self.focus == Focus::Reader;
        let page = self.layout().text.height.saturating_sub(1).max(1) as usize;
        let rows = self.layout().list_rows();
        match a {
            Action::Quit => {
                if let Some(i) = self.visible.get(self.selected).copied() {
                    self.emit(Effect::SetLastSelection(i));
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
                    self.emit(Effect::SetRead(i, read));
                }
            }
            Action::ToggleStar => {
                if let Some(i) = self.visible.get(self.selected).copied() {
                    let starred = !self.entries[i].starred;
                    self.entries[i].starred = starred;
                    self.emit(Effect::SetStar(i, starred));
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
                    self.emit(Effect::Export(i));
                }
            }
        }
        Effect::None
    }

    /// The source filter: the next source (alphabetical) after the current one, then all.
    fn next_source(&mut self) {
        let mut sources: Vec<&str> = self.entries.iter().filter_map(|e| e.source()).collect();
        sources.sort_unstable();
        sources.dedup();
        let next = match &self.source {
            None => sources.first(),
            Some(cur) => sources.iter().find(|s| **s > cur.as_str()),
        }
        .map(|s| s.to_string());
        let none = sources.is_empty();
        self.source = next;
        self.refilter();
        self.message = Some(match &self.source {
            Some(s) => format!("source: {s} ({} listed)", self.visible.len()),
            None if none => "no story states its source".into(),
            None => "all sources".into(),
        });
    }

    /// Select a list row (clamped); the reading pane follows.
    fn select(&mut self, row: isize) {
        if self.visible.is_empty() {
            return;
        }
        let row = row.clamp(0, self.visible.len() as isize - 1) as usize;
        if row != self.selected {
            self.selected = row;
            if self.focus == Focus::Reader {
                self.open_selected();
            }
        }
        self.keep_selection_visible();
    }

    fn open_selected(&mut self) {
        if let Some(&i) = self.visible.get(self.selected) {
            if self.settings.mark_read_on_open && !self.entries[i].read {
                self.entries[i].read = true;
                self.emit(Effect::SetRead(i, true));
            }
            self.emit(Effect::SetLastSelection(i));
        }
    }

    fn keep_selection_visible(&mut self) {
        let rows = self.layout().list_rows();
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + rows {
            self.list_offset = self.selected + 1 - rows;
        }
        // no empty rows below the last story when the pane grows
        self.list_offset = self
            .list_offset
            .min(self.visible.len().saturating_sub(rows));
    }

    fn max_top(&self) -> Pos {
        let h = self.layout().text.height as usize;
        self.reader
            .as_ref()
            .map(|r| r.doc.max_top(h))
            .unwrap_or_default()
    }

    fn scroll_by(&mut self, d: isize) {
        if let Some(r) = &self.reader {
            let t = r.doc.advance(r.top, d);
            self.scroll_to(t);
        }
    }

    /// Put `line` at the top (no lower than a full pane allows); the anchor follows.
    fn scroll_to(&mut self, line: Pos) {
        let max = self.max_top();
        if let Some(r) = &mut self.reader {
            r.top = line.min(max);
            r.anchor = r.doc.anchor_of(r.top);
        }
    }

    fn wheel(&mut self, col: u16, row: u16, down: bool) {
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

    fn click(&mut self, col: u16, row: u16) {
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

    /// Keep the reading pane on the selected story, laid out for the current width.
    /// Re-wraps only when the story, the width or `show_hidden` changed. A story not read
    /// yet is asked for ([`Effect::LoadStory`]); until it comes the pane shows its title
    /// (or, for the story already open, its current layout).
    fn sync(&mut self) {
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
                self.emit(Effect::LoadStory(entry));
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
                if self.stories.get(self.entries[next].id).is_none() {
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

    /// A story read from its file (or why it could not be).
    fn arrived(&mut self, id: StoryId, story: Result<Box<ReadStory>, String>) {
        let asked = self.requested == Some(id);
        match story {
            Ok(o) if !o.cleaned && self.evidence_ready => {
                // read before the evidence came: asked for again, to be cleaned
                if asked {
                    self.requested = None;
                }
            }
            Ok(o) => {
                if let Some(src) = o.story.source() {
                    // a source the text states is known once the story is cleaned
                    for e in self.entries.iter_mut().filter(|e| e.id == id) {
                        if e.source().is_none() {
                            e.listed = e.listed.with_source(Some(src));
                        }
                    }
                }
                self.stories.insert(id, Opened::from(*o), false);
                if self.failed.as_ref().is_some_and(|(f, _)| *f == id) {
                    self.failed = None;
                }
                if asked {
                    self.requested = None;
                }
                if let Some((aid, a)) = self.after_load {
                    if aid == id {
                        self.after_load = None;
                        if let Some(i) = self.entries.iter().position(|e| e.id == id) {
                            self.url_action(i, a);
                        }
                    }
                }
            }
            Err(why) => {
                // not asked for again until the selection moves on and back
                let title = self
                    .entries
                    .iter()
                    .find(|e| e.id == id)
                    .map(|e| e.title())
                    .unwrap_or("");
                if asked || self.after_load.is_some_and(|(a, _)| a == id) {
                    self.message = Some(format!("could not read {title:?}: {why}"));
                    self.after_load = None;
                }
                self.failed = Some((id, why));
            }
        }
    }

    /// `o` / `y` on entry `i`: its URL to the browser or the clipboard, once the story
    /// is read (the list holds no URLs).
    fn url_action(&mut self, i: usize, a: Action) {
        let id = self.entries[i].id;
        let Some(o) = self.stories.get(id) else {
            self.after_load = Some((id, a));
            self.emit(Effect::LoadStory(i));
            return;
        };
        let url = o.story.article.url.clone().filter(|u| !u.trim().is_empty());
        match url {
            Some(u) if a == Action::OpenUrl => self.emit(Effect::OpenUrl(u)),
            Some(u) => self.emit(Effect::CopyUrl(u)),
            None => self.message = Some("this story has no URL".into()),
        }
    }

    /// The whole list again: reading state, the search, the selection and the open
    /// story are kept by id.
    fn relist(&mut self, new: Vec<Entry>) {
        let state: HashMap<StoryId, (bool, bool, Anchor)> = self
            .entries
            .iter()
            .map(|e| (e.id, (e.read, e.starred, e.position)))
            .collect();
        let selected = self.selected_entry().map(|e| e.id);
        let open = self.reader.as_ref().map(|r| self.entries[r.entry].id);
        let ranked: Option<Vec<StoryId>> = self
            .search
            .as_ref()
            .map(|s| s.ranked.iter().map(|&i| self.entries[i].id).collect());
        self.entries = new;
        for x in &mut self.entries {
            if let Some(&(read, starred, position)) = state.get(&x.id) {
                (x.read, x.starred, x.position) = (read, starred, position);
            }
        }
        let mut at: HashMap<StoryId, usize> = HashMap::with_capacity(self.entries.len());
        for (i, e) in self.entries.iter().enumerate() {
            at.entry(e.id).or_insert(i);
        }
        if let (Some(s), Some(ids)) = (&mut self.search, ranked) {
            s.ranked = ids.iter().filter_map(|id| at.get(id).copied()).collect();
        }
        match open.and_then(|id| at.get(&id)) {
            Some(&i) => {
                if let Some(r) = &mut self.reader {
                    r.entry = i;
                }
            }
            None => self.reader = None,
        }
        self.visible.clear();
        self.selected = 0;
        self.refilter();
        if let Some(row) =
            selected.and_then(|id| self.visible.iter().position(|&i| self.entries[i].id == id))
        {
            self.selected = row;
        }
        self.keep_selection_visible();
    }

    /// Reading position of the open story: how much of its text is above the bottom of
    /// the pane, in per cent (100 at the end).
    pub fn percent(&self) -> Option<u16> {
        let r = self.reader.as_ref()?;
        Some(r.doc.percent(r.top, self.layout().text.height as usize))
    }
}

/// Each entry's place in the order of the values `key` gives (the same place for equal
/// values), those with none last; made once per distinct value, not per comparison.
fn ranks<'e, K: Ord + std::hash::Hash>(
    entries: &'e [Entry],
    key: impl Fn(&'e Entry) -> Option<K>,
) -> Vec<u32> {
    let keys: Vec<Option<K>> = entries.iter().map(&key).collect();
    let mut distinct: Vec<&K> = keys.iter().flatten().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let place: std::collections::HashMap<&K, u32> = distinct
        .iter()
        .enumerate()
        .map(|(n, k)| (*k, n as u32))
        .collect();
    keys.iter()
        .map(|k| k.as_ref().map_or(u32::MAX, |k| place[k]))
        .collect()
}

/// Sort the list's indices by a number that orders them as far as it goes (`prefix`),
/// then each run of equal numbers by `rest`, ties in the archive's order: a sort of
/// plain numbers, with keys made only where those are the same.
fn sort_by_prefix<K: Ord>(
    v: &mut Vec<usize>,
    prefix: impl Fn(usize) -> u128,
    rest: impl Fn(usize) -> K,
) {
    let mut keyed: Vec<(u128, usize)> = v.iter().map(|&i| (prefix(i), i)).collect();
    keyed.sort_unstable();
    let mut start = 0;
    while start < keyed.len() {
        let end = start + keyed[start..].partition_point(|k| k.0 == keyed[start].0);
        if end - start > 1 {
            // stable: the run is in the archive's order already
            keyed[start..end].sort_by_cached_key(|k| rest(k.1));
        }
        start = end;
    }
    v.clear();
    v.extend(keyed.into_iter().map(|k| k.1));
}

/// The first 16 bytes of a text's lower-case form as a number that orders as they do
/// (shorter texts padded with zero bytes, which no title holds).
fn lowercase_prefix(t: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let mut n = 0;
    let mut buf = [0u8; 4];
    'chars: for c in t.chars() {
        for l in c.to_lowercase() {
            for &b in l.encode_utf8(&mut buf).as_bytes() {
                if n == bytes.len() {
                    break 'chars;
                }
                bytes[n] = b;
                n += 1;
            }
        }
    }
    u128::from_be_bytes(bytes)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::archive::Story;
    use crate::article::{Article, Block};
    use crate::clean::{Cleaned, Kind};

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
        assert_eq!(a.take_effects(), vec![Effect::LoadStory(0)]);
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
        assert_eq!(a.take_effects(), vec![Effect::LoadStory(0)], "read again");
        assert_eq!(lines(&a), 5, "the old layout stays until then");
        a.update(read(&s, false)); // read before the evidence came: not kept
        assert_eq!(a.take_effects(), vec![Effect::LoadStory(0)]);
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
            assert_eq!(a.take_effects(), vec![Effect::LoadStory(i)]);
            a.update(read(s, true));
            let fx = a.take_effects();
            if i + 1 < stories.len() {
                assert_eq!(fx, vec![Effect::Prefetch(i + 1)]);
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
        assert_eq!(a.take_effects(), vec![Effect::LoadStory(0)]);
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
        assert_eq!(a.take_effects(), vec![Effect::LoadStory(0)]);
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
        assert_eq!(a.take_effects(), vec![Effect::SetStar(0, true)]);
        keys(&mut a, "jm");
        assert!(a.entries[1].read);
        assert_eq!(a.take_effects(), vec![Effect::SetRead(1, true)]);
        keys(&mut a, "ms");
        assert!(!a.entries[1].read && a.entries[1].starred);
        assert_eq!(
            a.take_effects(),
            vec![Effect::SetRead(1, false), Effect::SetStar(1, true)]
        );
        // opening marks read once, and remembers the selection
        enter(&mut a);
        assert_eq!(
            a.take_effects(),
            vec![Effect::SetRead(1, true), Effect::SetLastSelection(1)]
        );
        keys(&mut a, "hq");
        assert_eq!(a.take_effects(), vec![Effect::SetLastSelection(1)]);
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
            found: Ok((ids.clone(), vec![])),
        });
        assert!(a.search.is_none());
        a.update(Msg::SearchResults {
            query: "harbour".into(),
            found: Ok((ids, vec!["harbour".into()])),
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
            fx.iter()
                .any(|e| matches!(e, Effect::SaveScroll(2, p) if *p > 20)),
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
                Effect::Export(0)
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
