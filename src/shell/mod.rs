//! The reader's shell: what the app asks the outside world to do ([`Effect`]s) done
//! against the reading state ([`Store`]) and the index, and the app fed with what the
//! background threads send: the [`loader`] and the [`story_reader`]; [`os`] opens URLs,
//! copies and exports. The terminal and the event loop are `tui`'s.

pub mod loader;
pub mod os;
pub mod story_reader;

use crate::app::{App, Effect, Msg, Sort};
use crate::archive::{self, Index, Store, StoryId};
use crate::clean::{Evidence, Options};
use loader::Bg;
use os::{copy_to_clipboard, export_file, open_url};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;
use story_reader::{read_story, spawn_story_reader, Request, Want};

/// What the shell holds besides the app: the reading state, the index and the story
/// reader, which the effects are performed against.
pub(crate) struct Shell {
    store: Option<Store>,
    /// The index file, once the loader has built it.
    index_path: Option<PathBuf>,
    index: Option<Index>,
    paths: Vec<PathBuf>,
    last_selection: Option<StoryId>,
    /// The cleaning options (for a story exported before the reader had it).
    opts: Options,
    /// The archive's evidence, once gathered.
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
    /// A story was asked for and has not come yet (the loop looks for it often).
    pub(crate) fn awaiting(&self) -> bool {
        self.awaiting.is_some()
    }

    pub(crate) fn new(store: Option<Store>, paths: Vec<PathBuf>, opts: Options) -> Shell {
        let (reader, stories) = spawn_story_reader(opts.clone());
        Shell {
            store,
            index_path: None,
            index: None,
            paths,
            last_selection: None,
            opts,
            evidence: None,
            reader,
            stories,
            awaiting: None,
            reconcile_due: false,
        }
    }

    /// What waits (at most a given time) for the state writes asked for so far, for a
    /// signal's way out.
    pub(crate) fn flusher(&self) -> impl Fn(std::time::Duration) + Send + 'static {
        |_| {}
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

    /// A message from the loader: to the app, then the remembered state filled in for
    /// the stories it brought (and, when loading ends, matched to moved or edited
    /// stories, and the last selection restored).
    pub(crate) fn receive(&mut self, app: &mut App, msg: Msg) {
        let before = app.entries().len();
        let first_load = matches!(msg, Msg::Loaded);
        let relisted = matches!(msg, Msg::Relist(_));
        if let Msg::IndexReady(Ok(())) = &msg {
            self.index_path = Some(PathBuf::new()); // opened on the first search
        }
        app.update(msg);
        if let Some(store) = &mut self.store {
            // new entries get their state; all of them when the list was replaced, or
            // when state moved to edited stories
            let from = if relisted { 0 } else { before };
            if relisted {
                Self::reconcile(store, app);
            } else if first_load {
                self.reconcile_due = true; // once the list is on screen: see `settle`
            }
            if app.entries().len() > from {
                let marks = app.entries()[from..].iter().map(|e| store.marks(e.id));
                let marks = marks.collect();
                app.update(Msg::State { from, marks });
            }
            if first_load && app.selected() == 0 && app.focus() == crate::app::Focus::List {
                if let Some(id) = store.last_selection() {
                    app.update(Msg::SelectId(id));
                    self.last_selection = Some(id);
                }
            }
        }
        self.perform(app);
    }

    /// Match the remembered state to the stories listed (edited stories get theirs back
    /// by path); the first entry whose state may have changed (`usize::MAX`: none).
    pub(crate) fn reconcile(store: &mut Store, app: &mut App) -> usize {
        // the ids are the entries' own (not hashed again)
        match store.reconcile(app.entries().iter().map(|e| e.key())) {
            Ok(0) => usize::MAX,
            Ok(_) => 0,
            Err(e) => {
                app.update(Msg::Status(format!("reading state: {e}")));
                usize::MAX
            }
        }
    }

    /// Work put off until the list is on screen: reconciling the reading state with a
    /// whole list (a hash of every id), and the state of the stories it moved.
    pub(crate) fn settle(&mut self, app: &mut App) {
        if let Some(store) = self.store.as_mut().filter(|_| self.reconcile_due) {
            self.reconcile_due = false;
            if Self::reconcile(store, app) == 0 {
                let marks = app.entries().iter().map(|e| store.marks(e.id)).collect();
                app.update(Msg::State { from: 0, marks });
            }
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
            if let Err(m) = self.effect(app, fx) {
                app.update(Msg::Status(m));
            }
        }
    }

    pub(crate) fn effect(&mut self, app: &mut App, fx: Effect) -> Result<(), String> {
        let saved = |r: Result<(), archive::DbError>| {
            r.map_err(|e| format!("reading state not saved: {e}"))
        };
        match fx {
            Effect::None | Effect::Quit => Ok(()),
            Effect::SetRead(i, read) => match &mut self.store {
                Some(s) => saved(s.set_read(app.entries()[i].key(), read)),
                None => Ok(()),
            },
            Effect::SetStar(i, star) => match &mut self.store {
                Some(s) => saved(s.set_starred(app.entries()[i].key(), star)),
                None => Ok(()),
            },
            Effect::SaveScroll(i, para) => match &mut self.store {
                Some(s) => saved(s.set_scroll(app.entries()[i].key(), para)),
                None => Ok(()),
            },
            Effect::SetLastSelection(i) => {
                let id = app.entries()[i].id;
                match &mut self.store {
                    Some(s) if self.last_selection != Some(id) => {
                        self.last_selection = Some(id);
                        saved(s.set_last_selection(id))
                    }
                    _ => Ok(()),
                }
            }
            Effect::SaveSetting(k, v) => match &mut self.store {
                Some(s) => saved(s.set_setting(k, &v)),
                None => Ok(()),
            },
            Effect::Search(query) => {
                let found = self.search(&query);
                app.update(Msg::SearchResults { query, found });
                Ok(())
            }
            Effect::OpenUrl(url) => open_url(&url).map(|()| {
                app.update(Msg::Status(format!("opening {url}")));
            }),
            Effect::CopyUrl(url) => {
                copy_to_clipboard(&url)?;
                app.update(Msg::Status(format!("copied {url}")));
                Ok(())
            }
            Effect::Export(i) => {
                // the story as the reader has it, else read now (an explicit action)
                let path = match app.story(i) {
                    Some(o) => export_file(&o.story)?,
                    None => {
                        let e = &app.entries()[i];
                        let r = read_story(
                            e.path(),
                            e.index_in_file,
                            e.id,
                            self.evidence.as_deref(),
                            &self.opts,
                        )?;
                        export_file(&r.story)?
                    }
                };
                app.update(Msg::Status(format!("exported to {}", path.display())));
                Ok(())
            }
            Effect::LoadStory(i) | Effect::Prefetch(i) => {
                let e = &app.entries()[i];
                let want = Want {
                    id: e.id,
                    path: e.path().to_path_buf(),
                    index_in_file: e.index_in_file,
                };
                let req = if matches!(fx, Effect::LoadStory(_)) {
                    self.awaiting = Some(e.id);
                    Request::Open(want)
                } else {
                    Request::Prefetch(want)
                };
                self.reader
                    .send(req)
                    .map_err(|_| "the story reader stopped".to_string())
            }
        }
    }

    /// Ranked full-text search in the index the loader built: the stories found, best
    /// first, and the words that matched.
    pub(crate) fn search(&mut self, query: &str) -> Result<(Vec<StoryId>, Vec<String>), String> {
        if self.index_path.is_none() {
            return Err("the index is still being built".into());
        }
        if self.index.is_none() {
            let place = self.index_path.take().filter(|p| !p.as_os_str().is_empty());
            let ix = Index::open_default(place.as_deref()).map_err(|e| e.to_string())?;
            self.index_path = Some(ix.path().to_path_buf());
            self.index = Some(ix);
        }
        let ix = self.index.as_ref().expect("opened above");
        let hits = ix
            .search(query, &self.paths, 500)
            .map_err(|e| e.to_string())?;
        let mut terms: Vec<String> = Vec::new();
        for h in &hits {
            for m in &h.marks {
                if let Some(t) = h.snippet.get(m.clone()) {
                    let t = t.to_lowercase();
                    if !terms.contains(&t) {
                        terms.push(t);
                    }
                }
            }
        }
        Ok((hits.into_iter().map(|h| h.entry.id).collect(), terms))
    }
}

/// A fault made on purpose, for the tests of the ways out of the reader: in a debug
/// build, `BROADSHEET_FAULT` naming `what` (`ui`, `story`, `worker`; comma-separated)
/// makes this panic. Nothing in a release build.
pub(crate) fn fault(what: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("BROADSHEET_FAULT").is_ok_and(|v| v.split(',').any(|w| w == what)) {
        panic!("a fault made on purpose ({what})");
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

        let mut sh = shell(&db);
        let mut app = App::new(Settings::default(), Keymap::default());
        restore_settings(&mut app, sh.store.as_ref().unwrap());
        assert!(app.unread_only());
        app.update(Msg::Remembered {
            sort: None,
            unread_only: false,
        });
        app.update(Msg::Resize(100, 30));
        sh.receive(&mut app, Msg::Stories(stories()));
        sh.receive(&mut app, Msg::Loaded);
        sh.settle(&mut app); // as the loop does once the list is drawn
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
        assert!(!app.entries()[0].starred, "not before the list is drawn");
        sh.settle(&mut app);
        assert!(app.entries()[0].starred);
    }

    #[test]
    fn runs_of_scroll_saves_are_written_once() {
        use crate::app::tests::story;
        use crate::keymap::Keymap;
        let dir = tempfile::tempdir().unwrap();
        let mut sh = Shell::new(
            Some(Store::open(&dir.path().join("s.sqlite")).unwrap()),
            vec![],
            Options::default(),
        );
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
        assert_eq!(sh.store.as_ref().unwrap().scroll(id), Some(para));
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
