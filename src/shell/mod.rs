//! The reader's shell: what the app asks the outside world to do ([`Effect`]s), and the
//! app fed with what the background threads send: the [`loader`], the [`story_reader`]
//! and the [`worker`], which does the disk work (the reading state, [`Store`], searches
//! in the index, exports) in the order asked, answering with messages; [`os`] opens URLs,
//! copies and writes export files. The terminal and the event loop are `tui`'s.

mod error;
pub mod loader;
pub mod os;
pub mod story_reader;
pub(crate) mod worker;

use crate::app::{App, Effect, Focus, Msg, Sort};
use crate::archive::{Store, StoryId};
use crate::clean::{Evidence, Options};
pub(crate) use error::ShellError;
use loader::Bg;
use os::{copy_to_clipboard, open_url};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;
use story_reader::{spawn_story_reader, Request, Want};
use worker::{Done, Export, Job, Worker};

/// What the shell holds besides the app: the worker that does its disk work (the reading
/// state, searches, exports) and the story reader, which the effects are sent to.
pub(crate) struct Shell {
    /// The reading state (in the worker) could be opened.
    has_store: bool,
    /// The disk work, in order, off the UI thread.
    worker: Worker,
    /// The index is built (the loader said so): searches can run.
    index_ready: bool,
    /// The index file named (`None`: the default place).
    index_place: Option<PathBuf>,
    /// The selection remembered from the last run (read before the loop starts).
    remembered_selection: Option<StoryId>,
    /// Restore the remembered selection once the worker has answered up to this job
    /// (the entries' state is in by then, so the rows are as they will stay).
    select_after: Option<u64>,
    last_selection: Option<StoryId>,
    /// The job that last wrote each story's state, while jobs are outstanding: an answer
    /// of remembered state older than that write is not applied to it.
    written: HashMap<StoryId, u64>,
    /// The archive's evidence, once gathered (for a story exported before it was read).
    evidence: Option<Arc<Evidence>>,
    /// Requests to the story reader thread.
    reader: Sender<Request>,
    /// Its answers.
    stories: Receiver<Msg>,
    /// The story last asked for, until it comes (the loop looks for it often meanwhile).
    awaiting: Option<StoryId>,
    /// The reading state is to be reconciled with the list ([`Shell::settle`]).
    reconcile_due: bool,
}

impl Shell {
    /// A story or a worker's answer is due (the loop looks for them often).
    pub(crate) fn awaiting(&self) -> bool {
        self.awaiting.is_some() || self.worker.outstanding() > 0
    }

    pub(crate) fn new(store: Option<Store>, paths: Vec<PathBuf>, opts: Options) -> Shell {
        let (reader, stories) = spawn_story_reader(opts.clone());
        let remembered_selection = store.as_ref().and_then(|s| s.last_selection());
        Shell {
            has_store: store.is_some(),
            worker: Worker::spawn(store, paths, opts),
            index_ready: false,
            index_place: None,
            remembered_selection,
            select_after: None,
            last_selection: None,
            written: HashMap::new(),
            evidence: None,
            reader,
            stories,
            awaiting: None,
            reconcile_due: false,
        }
    }

    /// The index file named on the command line, for searches (`None`: the default).
    pub(crate) fn index_at(&mut self, place: Option<PathBuf>) {
        self.index_place = place;
    }

    /// What waits (at most a given time) for the state writes asked for so far, for a
    /// signal's way out.
    pub(crate) fn flusher(&self) -> impl Fn(std::time::Duration) + Send + 'static {
        self.worker.flusher()
    }

    /// Give the app what the story reader and the worker have sent; true if anything.
    pub(crate) fn take(&mut self, app: &mut App) -> bool {
        self.take_stories(app) | self.take_answers(app, false)
    }

    /// Give the app the stories the reader has read; true if there were any.
    pub(crate) fn take_stories(&mut self, app: &mut App) -> bool {
        let mut any = false;
        while let Ok(msg) = self.stories.try_recv() {
            if let Msg::Story { id, .. } = &msg {
                if self.awaiting == Some(*id) {
                    self.awaiting = None;
                }
            }
            app.update(msg);
            any = true;
        }
        if any {
            self.perform(app);
        }
        any
    }

    /// Give the app the worker's answers (with `wait`, every one due, waited for); true
    /// if there were any.
    pub(crate) fn take_answers(&mut self, app: &mut App, wait: bool) -> bool {
        let mut any = false;
        while let Some(done) = self.worker.answer(wait) {
            self.answered(app, done);
            any = true;
        }
        if any {
            self.perform(app);
        }
        any
    }

    /// One answer of the worker, to the app.
    fn answered(&mut self, app: &mut App, done: Done) {
        if let Some(m) = done.marks {
            // the list may have changed since it was asked: only entries still in their
            // place, and not written since, take the answer; the rest stay as they are
            let n = app.entries().len();
            let mut any = false;
            let marks = app.entries()[m.from.min(n)..]
                .iter()
                .enumerate()
                .map(|(k, e)| match (m.ids.get(k), m.marks.get(k)) {
                    (Some(&id), Some(&got))
                        if id == e.id && self.written.get(&id).is_none_or(|&w| w < done.seq) =>
                    {
                        any = true;
                        got
                    }
                    _ => (e.read, e.starred, None),
                })
                .collect();
            if any {
                app.update(Msg::State {
                    from: m.from,
                    marks,
                });
            }
        }
        if let Some(msg) = done.msg {
            app.update(msg);
        }
        if self.select_after.is_some_and(|s| done.seq >= s) {
            self.select_after = None;
            self.restore_selection(app);
        }
        if self.worker.outstanding() == 0 {
            self.written.clear();
        }
    }

    /// The last run's selection, unless the reader has moved since.
    fn restore_selection(&mut self, app: &mut App) {
        if app.selected() == 0 && app.focus() == Focus::List {
            if let Some(id) = self.remembered_selection {
                app.update(Msg::SelectId(id));
                self.last_selection = Some(id);
            }
        }
    }

    /// A message from the loader thread.
    pub(crate) fn receive_bg(&mut self, app: &mut App, bg: Bg) {
        match bg {
            Bg::App(msg) => self.receive(app, msg),
            Bg::Evidence(ev) => {
                let _ = self.reader.send(Request::Evidence(Arc::clone(&ev)));
                self.evidence = Some(ev);
                app.update(Msg::EvidenceReady);
                self.perform(app);
            }
        }
    }

    /// Queue a job for the worker; a failure to the status line.
    fn ask(&mut self, app: &mut App, job: Job) -> Option<u64> {
        match self.worker.ask(job) {
            Ok(seq) => Some(seq),
            Err(e) => {
                app.update(Msg::Status(e.to_string()));
                None
            }
        }
    }

    /// A message from the loader: to the app, then the remembered state asked for the
    /// stories it brought (and, when loading ends, matched to moved or edited stories,
    /// and the last selection restored).
    pub(crate) fn receive(&mut self, app: &mut App, msg: Msg) {
        let before = app.entries().len();
        let first_load = matches!(msg, Msg::Loaded);
        let relisted = matches!(msg, Msg::Relist(_));
        if let Msg::IndexReady(Ok(())) = &msg {
            self.index_ready = true; // opened on the first search
        }
        app.update(msg);
        if self.has_store {
            if relisted {
                // state may have moved to edited stories: all of it again
                let entries = app.entries().iter().map(|e| e.listed.clone()).collect();
                self.ask(
                    app,
                    Job::Reconcile {
                        entries,
                        always: true,
                    },
                );
            } else {
                if first_load {
                    self.reconcile_due = true; // once the list is on screen: see `settle`
                }
                if app.entries().len() > before {
                    let new = &app.entries()[before..];
                    let ids = new.iter().map(|e| e.id).collect();
                    let feed_read = new.iter().map(|e| e.feed_read()).collect();
                    self.ask(
                        app,
                        Job::Marks {
                            from: before,
                            ids,
                            feed_read,
                        },
                    );
                }
            }
            if first_load {
                match self.worker.outstanding() {
                    0 => self.restore_selection(app),
                    _ => self.select_after = Some(self.worker.asked()),
                }
            }
        }
        self.perform(app);
    }

    /// Work put off until the list is on screen: reconciling the reading state with a
    /// whole list (a hash of every id), and the state of the stories it moved.
    pub(crate) fn settle(&mut self, app: &mut App) {
        if self.has_store && self.reconcile_due {
            self.reconcile_due = false;
            let entries = app.entries().iter().map(|e| e.listed.clone()).collect();
            self.ask(
                app,
                Job::Reconcile {
                    entries,
                    always: false,
                },
            );
            self.perform(app);
        }
    }

    /// Perform the app's effects, in order. Nothing here stops the reader: a failure
    /// becomes the status message.
    pub(crate) fn perform(&mut self, app: &mut App) {
        let mut fxs = app.take_effects();
        // a held key scrolls through many paragraphs: write only the last place of each
        // run of scroll saves for one story
        let mut i = 0;
        while i + 1 < fxs.len() {
            match (&fxs[i], &fxs[i + 1]) {
                (Effect::SaveScroll(a, _), Effect::SaveScroll(b, _)) if a == b => {
                    fxs.remove(i);
                }
                _ => i += 1,
            }
        }
        for fx in fxs {
            if let Err(e) = self.effect(app, fx) {
                app.update(Msg::Status(e.to_string()));
            }
        }
    }

    /// A write of one story's state, queued (none without a reading state, or when the
    /// story is no longer listed).
    fn write(
        &mut self,
        app: &mut App,
        id: StoryId,
        job: impl FnOnce(crate::archive::Entry) -> Job,
    ) {
        if self.has_store {
            let Some(e) = app.entry_of(id).map(|e| e.listed.clone()) else {
                return;
            };
            if let Some(seq) = self.ask(app, job(e)) {
                self.written.insert(id, seq);
            }
        }
    }

    /// Where the story reader finds a listed story.
    fn want(app: &App, id: StoryId) -> Option<Want> {
        app.entry_of(id).map(|e| Want {
            id,
            path: e.path().to_path_buf(),
            index_in_file: e.index_in_file,
        })
    }

    pub(crate) fn effect(&mut self, app: &mut App, fx: Effect) -> Result<(), ShellError> {
        match fx {
            Effect::None | Effect::Quit => {}
            Effect::SetRead(id, read) => self.write(app, id, |e| Job::Read(e, read)),
            Effect::SetStar(id, star) => self.write(app, id, |e| Job::Star(e, star)),
            Effect::SaveScroll(id, para) => self.write(app, id, |e| Job::Scroll(e, para)),
            Effect::SetLastSelection(id) => {
                if self.has_store && self.last_selection != Some(id) {
                    self.last_selection = Some(id);
                    self.ask(app, Job::LastSelection(id));
                }
            }
            Effect::SaveSetting(k, v) => {
                if self.has_store {
                    self.ask(app, Job::Setting(k, v));
                }
            }
            Effect::Search(query) => {
                if self.index_ready {
                    let place = self.index_place.clone();
                    self.ask(app, Job::Search { query, place });
                } else {
                    let found = Err("the index is still being built".into());
                    app.update(Msg::SearchResults { query, found });
                }
            }
            Effect::OpenUrl(url) => {
                open_url(&url)?;
                app.update(Msg::Status(format!("opening {url}")));
            }
            Effect::CopyUrl(url) => {
                copy_to_clipboard(&url)?;
                app.update(Msg::Status(format!("copied {url}")));
            }
            Effect::Export(id) => {
                // the story as the reader has it, else read first (an explicit action)
                let what = match app.opened(id) {
                    Some(o) => Export::Story(Box::new((*o.story).clone())),
                    None => match Shell::want(app, id) {
                        Some(want) => Export::Read(want, self.evidence.clone()),
                        None => return Ok(()), // no longer listed
                    },
                };
                self.ask(app, Job::Export(what));
            }
            Effect::LoadStory(id) | Effect::Prefetch(id) => {
                let Some(want) = Shell::want(app, id) else {
                    return Ok(()); // no longer listed
                };
                let req = if matches!(fx, Effect::LoadStory(_)) {
                    self.awaiting = Some(id);
                    Request::Open(want)
                } else {
                    Request::Prefetch(want)
                };
                self.reader
                    .send(req)
                    .map_err(|_| ShellError::ReaderStopped)?;
            }
        }
        Ok(())
    }
}

/// A fault made on purpose, for the tests of the ways out of the reader: in a debug
/// build, `BROADSHEET_FAULT` naming `what` (`ui`, `story`, `worker`; comma-separated)
/// makes this panic; `what-abort` aborts, `what-overflow` overflows the stack. Nothing
/// in a release build.
pub(crate) fn fault(what: &str) {
    #[cfg(debug_assertions)]
    if let Ok(v) = std::env::var("BROADSHEET_FAULT") {
        for w in v.split(',') {
            match w.strip_prefix(what) {
                Some("") => panic!("a fault made on purpose ({what})"),
                Some("-abort") => std::process::abort(),
                Some("-overflow") => {
                    fn deep(n: u64) -> u64 {
                        let a = std::hint::black_box([n; 64]);
                        if n == u64::MAX {
                            return 0;
                        }
                        deep(n + 1) + a[0]
                    }
                    std::hint::black_box(deep(0));
                }
                _ => {}
            }
        }
    }
    let _ = what;
}

/// The remembered sort order and unread-only switch.
pub(crate) fn restore_settings(app: &mut App, store: &Store) {
    app.update(Msg::Remembered {
        sort: store.setting("sort").as_deref().and_then(Sort::parse),
        unread_only: store.setting("unread_only").as_deref() == Some("1"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Settings;
    use crate::archive;
    use crate::keymap::{Code, Key};

    #[test]
    fn state_set_through_the_readers_effects_persists() {
        use crate::app::tests::story;
        use crate::keymap::Keymap;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("state.sqlite");
        let stories = || {
            (0..3)
                .map(|i| {
                    let p: Vec<String> = (0..30).map(|j| format!("S{i} para {j}.")).collect();
                    let r: Vec<&str> = p.iter().map(|s| s.as_str()).collect();
                    let mut s = story(&format!("T{i}"), &r);
                    s.article.path = PathBuf::from(format!("/archive/{i}.txt"));
                    s
                })
                .collect::<Vec<_>>()
        };
        let shell = |db: &std::path::Path| {
            Shell::new(Some(Store::open(db).unwrap()), vec![], Options::default())
        };
        let mut sh = shell(&db);
        let mut app = App::new(Settings::default(), Keymap::default());
        app.update(Msg::Resize(100, 30));
        sh.receive(&mut app, Msg::Stories(stories()));
        sh.receive(&mut app, Msg::Loaded);
        sh.settle(&mut app); // as the loop does once the list is drawn
        sh.take_answers(&mut app, true);
        for c in "sjjl".chars() {
            app.update(Msg::Key(Key::ch(c)));
            sh.perform(&mut app);
        }
        for _ in 0..8 {
            app.update(Msg::Key(Key::ch('j')));
            sh.perform(&mut app);
        }
        let para = app.reader().unwrap().anchor.para;
        assert!(para > 1);
        app.update(Msg::Do(crate::keymap::Action::UnreadOnly));
        sh.perform(&mut app);
        drop(sh); // as if killed: every action was written when it was done

        let mut app = App::new(Settings::default(), Keymap::default());
        restore_settings(&mut app, &Store::open(&db).unwrap());
        let mut sh = shell(&db);
        assert!(app.unread_only());
        app.update(Msg::Remembered {
            sort: None,
            unread_only: false,
        });
        app.update(Msg::Resize(100, 30));
        sh.receive(&mut app, Msg::Stories(stories()));
        sh.receive(&mut app, Msg::Loaded);
        sh.settle(&mut app); // as the loop does once the list is drawn
        sh.take_answers(&mut app, true);
        assert!(app.entries()[0].starred && !app.entries()[0].read);
        assert!(app.entries()[2].read && !app.entries()[2].starred);
        assert_eq!(app.selected(), 2, "the last selection is restored");
        assert_eq!(app.reader().unwrap().anchor.para, para);
        assert!(app.message().is_none(), "{:?}", app.message());
    }

    #[test]
    fn an_edited_story_gets_its_state_back_once_the_list_is_on_screen() {
        use crate::app::tests::story;
        use crate::keymap::Keymap;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("state.sqlite");
        let at = |mut s: crate::archive::Story| {
            s.article.path = dir.path().join("a.txt");
            s
        };
        let before = at(story("Harbour fares", &["The old text of the story."]));
        let after = at(story("Harbour fares", &["The text, edited."]));
        {
            let mut store = Store::open(&db).unwrap();
            store
                .set_starred(archive::Key::of(&before.article), true)
                .unwrap();
        }
        let mut sh = Shell::new(Some(Store::open(&db).unwrap()), vec![], Options::default());
        let mut app = App::new(Settings::default(), Keymap::default());
        sh.receive(&mut app, Msg::Stories(vec![after]));
        sh.receive(&mut app, Msg::Loaded);
        sh.take_answers(&mut app, true);
        assert!(!app.entries()[0].starred, "not before the list is drawn");
        sh.settle(&mut app);
        sh.take_answers(&mut app, true);
        assert!(app.entries()[0].starred);
    }

    #[test]
    fn an_effect_reaches_its_story_after_the_list_changed() {
        use crate::app::tests::story;
        use crate::keymap::Keymap;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("state.sqlite");
        let mut sh = Shell::new(Some(Store::open(&db).unwrap()), vec![], Options::default());
        let stories: Vec<_> = ["One", "Two", "Three"]
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut s = story(t, &["Some text."]);
                s.article.path = PathBuf::from(format!("/archive/{i}.txt"));
                s
            })
            .collect();
        let mut app = App::with_stories(Settings::default(), Keymap::default(), stories, (100, 30));
        app.take_effects();
        app.update(Msg::Key(Key::ch('j'))); // "Two"
        app.update(Msg::Key(Key::ch('s')));
        let two = app.entries()[1].id;
        // before the shell performs the star, the list changes: a story before "Two"
        let mut list: Vec<crate::app::Entry> = app
            .entries()
            .iter()
            .map(|e| crate::app::Entry::new(e.listed.clone()))
            .collect();
        list.rotate_right(1); // Three, One, Two
        app.update(Msg::Relist(list));
        assert_ne!(app.entries()[1].id, two, "Two moved");
        sh.perform(&mut app);
        sh.take_answers(&mut app, true);
        drop(sh);
        let store = Store::open(&db).unwrap();
        for e in app.entries() {
            assert_eq!(store.is_starred(e.id), e.id == two, "{}", e.title());
        }
    }

    /// A shell on the state file at `db` and an empty reader of 100x30.
    fn shell_on(db: &std::path::Path) -> (Shell, App) {
        let sh = Shell::new(Some(Store::open(db).unwrap()), vec![], Options::default());
        let mut app = App::new(Settings::default(), crate::keymap::Keymap::default());
        app.update(Msg::Resize(100, 30));
        (sh, app)
    }

    /// One story at `/archive/0.txt`, starred in the state file at `db`.
    fn starred_story(db: &std::path::Path) -> crate::archive::Story {
        let mut s = crate::app::tests::story("Harbour fares", &["The ferry fares rise."]);
        s.article.path = PathBuf::from("/archive/0.txt");
        let mut store = Store::open(db).unwrap();
        store
            .set_starred(archive::Key::of(&s.article), true)
            .unwrap();
        s
    }

    #[test]
    fn the_ui_thread_does_not_wait_for_a_locked_state_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("state.sqlite");
        let s = starred_story(&db);
        let (mut sh, mut app) = shell_on(&db);
        sh.receive(&mut app, Msg::Stories(vec![s]));
        sh.receive(&mut app, Msg::Loaded);
        sh.take_answers(&mut app, true);
        assert!(app.entries()[0].starred);
        // another process holds the file for a while: the writes wait, the keys do not
        let lock = rusqlite::Connection::open(&db).unwrap();
        lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let t0 = std::time::Instant::now();
        for c in "sss".chars() {
            app.update(Msg::Key(Key::ch(c)));
            sh.perform(&mut app);
        }
        assert!(t0.elapsed() < std::time::Duration::from_millis(200));
        assert!(sh.awaiting() && !app.entries()[0].starred && app.entries()[1..].is_empty());
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(!sh.take_answers(&mut app, false), "nothing written yet");
        lock.execute_batch("COMMIT").unwrap();
        sh.take_answers(&mut app, true);
        assert!(app.message().is_none(), "{:?}", app.message());
        drop(sh);
        let store = Store::open(&db).unwrap();
        assert!(
            !store.is_starred(app.entries()[0].id),
            "the writes in order"
        );
    }

    /// In the reader: stories newsboat has read are listed read, unless the state file
    /// has a record of broadsheet's own for them.
    #[test]
    fn the_feed_readers_flag_starts_the_list_and_our_record_wins() {
        use crate::app::tests::story;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("state.sqlite");
        let mut stories: Vec<crate::archive::Story> = ["Seal count", "Spit path", "Choir"]
            .iter()
            .map(|t| story(t, &[&format!("{t} made the news today.")]))
            .collect();
        for (i, s) in stories.iter_mut().enumerate() {
            s.article.path = PathBuf::from(format!("/feeds/cache.db#{i}"));
            s.article.index_in_file = i;
        }
        stories[1].article.feed_unread = Some(false);
        stories[2].article.feed_unread = Some(false);
        // the third: read in newsboat, but marked unread here before
        Store::open(&db)
            .unwrap()
            .set_read(archive::Key::of(&stories[2].article), false)
            .unwrap();
        let (mut sh, mut app) = shell_on(&db);
        sh.receive(&mut app, Msg::Stories(stories));
        sh.receive(&mut app, Msg::Loaded);
        sh.take_answers(&mut app, true);
        let read: Vec<bool> = app.entries().iter().map(|e| e.read).collect();
        assert_eq!(read, vec![false, true, false]);
    }

    #[test]
    fn remembered_state_answered_after_a_write_does_not_undo_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("state.sqlite");
        let s = starred_story(&db);
        let (mut sh, mut app) = shell_on(&db);
        sh.receive(&mut app, Msg::Stories(vec![s])); // its state asked for
        assert!(
            !app.entries()[0].starred,
            "not known before the worker answers"
        );
        // starred and unstarred before the answer comes: the answer (starred) is older
        for c in "ss".chars() {
            app.update(Msg::Key(Key::ch(c)));
            sh.perform(&mut app);
        }
        sh.take_answers(&mut app, true);
        assert!(!app.entries()[0].starred, "the last action stays");
        sh.receive(&mut app, Msg::Loaded);
        drop(sh);
        assert!(!Store::open(&db).unwrap().is_starred(app.entries()[0].id));
    }

    #[test]
    fn runs_of_scroll_saves_are_written_once() {
        use crate::app::tests::story;
        use crate::keymap::Keymap;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("s.sqlite");
        let mut sh = Shell::new(Some(Store::open(&db).unwrap()), vec![], Options::default());
        let p: Vec<String> = (0..60).map(|j| format!("Para {j}.")).collect();
        let r: Vec<&str> = p.iter().map(|s| s.as_str()).collect();
        let mut app = App::with_stories(
            Settings::default(),
            Keymap::default(),
            vec![story("T", &r)],
            (100, 30),
        );
        app.take_effects();
        app.update(Msg::Key(Key::ch('l')));
        for _ in 0..20 {
            app.update(Msg::Key(Key::ch('j')));
        }
        // as the loop does: a batch of keys, then the effects
        sh.perform(&mut app);
        let para = app.reader().unwrap().anchor.para;
        let id = app.entries()[0].id;
        sh.take_answers(&mut app, true); // the worker has written it
        assert_eq!(Store::open(&db).unwrap().scroll(id), Some(para));
        // a search with no index: the answer says so, nothing breaks
        app.update(Msg::Key(Key::ch('h')));
        for c in "/para".chars() {
            app.update(Msg::Key(Key::ch(c)));
        }
        app.update(Msg::Key(Key::plain(Code::Enter)));
        sh.perform(&mut app);
        assert!(app.message().unwrap().contains("still being built"));
    }
}

#[cfg(test)]
mod cost {
    use super::loader::progress;
    use super::*;
    use crate::app::{self, Settings, Stage};
    use crate::archive::Index;
    use crate::keymap::Keymap;
    use crate::ui::{Screen, Theme};
    use std::path::Path;
    use std::time::Instant;

    /// Where the reader's time goes between the index's entries and the first frame
    /// (`READER_INDEX=index.sqlite READER_DIR=archive cargo test --release --lib
    /// -- --ignored --nocapture listing_cost`).
    #[test]
    #[ignore]
    fn listing_cost() {
        let (Some(ix), Some(dir)) = (
            std::env::var_os("READER_INDEX"),
            std::env::var_os("READER_DIR"),
        ) else {
            return;
        };
        let paths = vec![PathBuf::from(dir)];
        // wall time, and this thread's time on a CPU (steadier on a busy machine)
        let cpu = || {
            std::fs::read_to_string("/proc/thread-self/schedstat")
                .ok()
                .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
                .map_or(f64::NAN, |ns| ns / 1e6)
        };
        let (t, c) = (Instant::now(), cpu());
        let lap = |what: &str| {
            let wall = t.elapsed().as_secs_f64() * 1e3;
            eprintln!("{what}: {wall:.1} ms, {:.1} ms on a CPU", cpu() - c);
        };
        let ix = Index::open(Path::new(&ix)).unwrap();
        lap("index open");
        let entries = ix.entries_with(&paths, app::Entry::new).unwrap();
        lap("entries");
        let st = tempfile::tempdir().unwrap();
        let mut sh = Shell::new(
            Some(Store::open(&st.path().join("s.sqlite")).unwrap()),
            paths.clone(),
            Options::default(),
        );
        let mut app = App::new(Settings::default(), Keymap::default());
        // READER_SORT=date|source|title: a remembered sort order, as restore_settings sets
        let sort = std::env::var("READER_SORT").ok();
        let sort = sort.as_deref().and_then(Sort::parse);
        let unread_only = app.unread_only();
        app.update(Msg::Remembered { sort, unread_only });
        app.update(Msg::Resize(100, 30));
        lap("shell, app");
        sh.receive(&mut app, Msg::Entries(entries));
        lap("receive entries");
        sh.receive(&mut app, progress(Stage::Indexing, 0, 0));
        sh.receive(&mut app, Msg::Loaded);
        lap("receive loaded");
        let theme = Theme::default();
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
        term.draw(|f| {
            f.render_widget(
                Screen {
                    app: &app,
                    theme: &theme,
                },
                f.area(),
            )
        })
        .unwrap();
        lap("draw");
        let (s, _) = sh.stories.recv().map(|m| (m, ())).unwrap();
        sh.take_stories(&mut app);
        drop(s);
        lap("first story");
    }
}
