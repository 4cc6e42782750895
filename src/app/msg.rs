//! What happens to the reader ([`Msg`]: keys, actions, the terminal, the loader, the
//! story reader, the shell) and what it asks the shell to do ([`Effect`]).

use super::list::{Entry, Sort};
use super::stories::ReadStory;
use crate::archive::{Story, StoryId};
use crate::article::LoadError;
use crate::keymap::{Action, Key};

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

/// Something that happened, for [`App::update`](super::App::update).
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
    /// by [`Msg::State`]).
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
        found: Result<SearchAnswer, String>,
    },
    /// The full-text index is built and up to date (or could not be: why).
    IndexReady(Result<(), String>),
    /// A message for the status line (from the shell: what an effect did, or why it
    /// failed).
    Status(String),
    /// The remembered reader settings, before the list comes: the sort (`None`: as it
    /// is) and the unread-only switch.
    Remembered {
        /// The list's order.
        sort: Option<Sort>,
        /// Only unread stories listed?
        unread_only: bool,
    },
    /// Remembered reading state for the entries from `from` on, one each: read,
    /// starred, the paragraph scrolled to.
    State {
        /// The first entry.
        from: usize,
        /// Read, starred, scroll paragraph.
        marks: Vec<(bool, bool, Option<u32>)>,
    },
    /// Select the story with this id if it is listed (the last selection, restored).
    SelectId(StoryId),
}

/// A full-text search's answer ([`Msg::SearchResults`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchAnswer {
    /// The stories found, best first.
    pub stories: Vec<StoryId>,
    /// The words that matched (lower case), to highlight.
    pub terms: Vec<String>,
}

/// What the shell must do. [`App::update`] returns `None` or `Quit`; everything else
/// (writes to the reading state, searches, the browser, the clipboard, files) waits in
/// [`App::take_effects`] for the shell to perform, in order. Stories are named by id;
/// the shell finds the entry ([`App::entry_of`]), so an effect still names its story
/// when the list has changed since.
///
/// [`App::update`]: super::App::update
/// [`App::take_effects`]: super::App::take_effects
/// [`App::entry_of`]: super::App::entry_of
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing.
    None,
    /// Leave the reader.
    Quit,
    /// Remember a story as read or unread.
    SetRead(StoryId, bool),
    /// Remember a story as starred or not.
    SetStar(StoryId, bool),
    /// Remember the paragraph a story is scrolled to.
    SaveScroll(StoryId, u32),
    /// Remember the selected story.
    SetLastSelection(StoryId),
    /// Remember a reader setting (`sort`, `unread_only`).
    SaveSetting(&'static str, String),
    /// Run a ranked full-text search; the answer comes back as [`Msg::SearchResults`].
    Search(String),
    /// Open a URL in the browser.
    OpenUrl(String),
    /// Put a URL on the clipboard.
    CopyUrl(String),
    /// Export a story as Markdown to a file.
    Export(StoryId),
    /// Read a story from its file (in the background); the answer comes back as
    /// [`Msg::Story`].
    LoadStory(StoryId),
    /// Read a story likely to be opened next, when nothing else waits.
    Prefetch(StoryId),
}
