//! The only code that touches the terminal: set it up and restore it (on every path,
//! panics included: `ratatui::try_init` installs a restoring panic hook, and ours turns
//! mouse capture off), turn terminal events into [`Msg`]s, and run the loop. Loading
//! runs in a background thread that sends stories in batches; the loop does no file
//! I/O, so a keypress never waits on the disk.

use crate::app::{App, Effect, Msg, Settings, Sort, Stage};
use crate::archive::{self, Index, Store, StoryId};
use crate::clean::{self, Evidence, Options};
use crate::config::Config;
use crate::keymap::{Code, Key};
use crate::ui::{Screen, Theme};
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use std::io;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

/// Where the reading state and the index are (`None`: the platform default, or the
/// `BROADSHEET_STATE` / `BROADSHEET_INDEX` variables).
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// The reading state file.
    pub state: Option<PathBuf>,
    /// The index file.
    pub index: Option<PathBuf>,
    /// Do not build or use the index (no full-text search).
    pub no_index: bool,
}

/// What the shell holds besides the app: the reading state and the index, which the
/// effects are performed against.
struct Shell {
    store: Option<Store>,
    /// The index file, once the loader has built it.
    index_path: Option<PathBuf>,
    index: Option<Index>,
    paths: Vec<PathBuf>,
    last_selection: Option<StoryId>,
}

/// Open the reader on `paths` until the user quits. The terminal is restored on return,
/// on error and on panic.
pub fn run(paths: Vec<PathBuf>, config: &Config, opts: Options, places: Places) -> io::Result<()> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return Err(io::Error::other(
            "the reader needs a terminal (standard output is not one); \
             `broadsheet list` or `broadsheet export` write text",
        ));
    }
    let keymap = config
        .keymap()
        .map_err(|(_, m)| io::Error::new(io::ErrorKind::InvalidInput, m))?;
    let mut app = App::new(Settings::from_config(config), keymap);
    let theme = Theme::from_env(&config.theme);
    let store = match Store::open_default(places.state.as_deref()) {
        Ok(s) => {
            restore_settings(&mut app, &s);
            Some(s)
        }
        Err(e) => {
            app.message = Some(format!("reading state not available (not saved): {e}"));
            None
        }
    };
    let mut shell = Shell {
        store,
        index_path: None,
        index: None,
        paths: paths.clone(),
        last_selection: None,
    };
    let index = (!places.no_index).then_some(places.index);

    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        hook(info);
    }));
    let mut terminal = ratatui::try_init()?;
    // ratatui's hook restores the terminal; only a panic on this thread should do that.
    // A panic in the loader thread is caught there and shown in the status line.
    let ui = std::thread::current().id();
    let restore_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == ui {
            restore_hook(info);
        }
    }));
    let result = execute!(io::stdout(), EnableMouseCapture).and_then(|()| {
        let rx = spawn_loader(paths, opts, index);
        event_loop(&mut terminal, &mut app, &theme, rx, &mut shell)
    });
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    theme: &Theme,
    rx: Receiver<Msg>,
    shell: &mut Shell,
) -> io::Result<()> {
    let size = terminal.size()?;
    app.update(Msg::Resize(size.width, size.height));
    let mut loading = true;
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|f| f.render_widget(Screen { app, theme }, f.area()))?;
            dirty = false;
        }
        let wait = if loading {
            Duration::from_millis(40)
        } else {
            Duration::from_secs(3600)
        };
        if event::poll(wait)? {
            // take every pending event before drawing again (held keys do not queue frames)
            loop {
                if let Some(msg) = to_msg(event::read()?) {
                    dirty = true;
                    if app.update(msg) == Effect::Quit {
                        shell.perform(app);
                        return Ok(());
                    }
                }
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
            // the batch's effects, in order (runs of scroll saves written once)
            shell.perform(app);
        }
        if loading {
            let until = Instant::now() + Duration::from_millis(10);
            while Instant::now() < until {
                match rx.try_recv() {
                    Ok(msg) => {
                        dirty = true;
                        shell.receive(app, msg);
                    }
                    Err(mpsc::TryRecvError::Empty) => break,
                    Err(mpsc::TryRecvError::Disconnected) => {
                        loading = false;
                        break;
                    }
                }
            }
        }
    }
}

/// The remembered sort order and unread-only switch.
fn restore_settings(app: &mut App, store: &Store) {
    if let Some(s) = store.setting("sort").as_deref().and_then(Sort::parse) {
        app.sort = s;
    }
    app.unread_only = store.setting("unread_only").as_deref() == Some("1");
}

impl Shell {
    /// A message from the loader: to the app, then the remembered state filled in for
    /// the stories it brought (and, when loading ends, matched to moved or edited
    /// stories, and the last selection restored).
    fn receive(&mut self, app: &mut App, msg: Msg) {
        let before = app.entries.len();
        let loaded = matches!(msg, Msg::Loaded);
        if let Msg::IndexReady(Ok(())) = &msg {
            self.index_path = Some(PathBuf::new()); // opened on the first search
        }
        app.update(msg);
        if let Some(store) = &mut self.store {
            if loaded {
                // the ids are the entries' own (not hashed again)
                let keys = app.entries.iter().map(|e| archive::state::Key {
                    id: e.id,
                    path: &e.story.article.path,
                    index_in_file: e.story.article.index_in_file,
                });
                if let Err(e) = store.reconcile(keys) {
                    app.message = Some(format!("reading state: {e}"));
                }
            }
            let from = if loaded { 0 } else { before };
            if app.entries.len() > from {
                app.fill_state(from, |id| {
                    (store.is_read(id), store.is_starred(id), store.scroll(id))
                });
            }
            if loaded && app.selected == 0 && app.focus == crate::app::Focus::List {
                if let Some(id) = store.last_selection() {
                    app.select_id(id);
                    self.last_selection = Some(id);
                }
            }
        }
        self.perform(app);
    }

    /// Perform the app's effects, in order. Nothing here stops the reader: a failure
    /// becomes the status message.
    fn perform(&mut self, app: &mut App) {
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
                app.message = Some(m);
            }
        }
    }

    fn effect(&mut self, app: &mut App, fx: Effect) -> Result<(), String> {
        use archive::state::Key as StateKey;
        let saved = |r: Result<(), archive::DbError>| {
            r.map_err(|e| format!("reading state not saved: {e}"))
        };
        match fx {
            Effect::None | Effect::Quit => Ok(()),
            Effect::SetRead(i, read) => match &mut self.store {
                Some(s) => saved(s.set_read(StateKey::of(&app.entries[i].story.article), read)),
                None => Ok(()),
            },
            Effect::SetStar(i, star) => match &mut self.store {
                Some(s) => saved(s.set_starred(StateKey::of(&app.entries[i].story.article), star)),
                None => Ok(()),
            },
            Effect::SaveScroll(i, para) => match &mut self.store {
                Some(s) => saved(s.set_scroll(StateKey::of(&app.entries[i].story.article), para)),
                None => Ok(()),
            },
            Effect::SetLastSelection(i) => {
                let id = app.entries[i].id;
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
                app.message = Some(format!("opening {url}"));
            }),
            Effect::CopyUrl(url) => {
                use std::io::Write;
                let mut out = io::stdout();
                write!(out, "\x1b]52;c;{}\x07", base64(url.as_bytes()))
                    .and_then(|()| out.flush())
                    .map_err(|e| format!("could not copy: {e}"))?;
                app.message = Some(format!("copied {url}"));
                Ok(())
            }
            Effect::Export(i) => {
                let path = export_file(&app.entries[i].story)?;
                app.message = Some(format!("exported to {}", path.display()));
                Ok(())
            }
        }
    }

    /// Ranked full-text search in the index the loader built: the stories found, best
    /// first, and the words that matched.
    fn search(&mut self, query: &str) -> Result<(Vec<StoryId>, Vec<String>), String> {
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

/// Start the platform's opener on a URL without waiting for it.
fn open_url(url: &str) -> Result<(), String> {
    use std::process::{Command, Stdio};
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut child = Command::new(opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start {opener}: {e}"))?;
    // reap it when it ends, without holding up the reader
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Standard base64 with padding (for OSC 52).
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for (k, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if k <= c.len() {
                out.push(A[(n >> shift & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Write a story as Markdown to a new file in the current folder, named after its
/// title (`broadsheet-<title>.md`, `-2`, `-3`... if taken).
fn export_file(story: &archive::Story) -> Result<PathBuf, String> {
    let mut slug = String::new();
    for c in story.article.title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.chars().count() >= 50 {
            break;
        }
    }
    let slug = slug.trim_matches('-');
    let slug = if slug.is_empty() { "story" } else { slug };
    let text = crate::export::markdown(story);
    for n in 1.. {
        let name = if n == 1 {
            format!("broadsheet-{slug}.md")
        } else {
            format!("broadsheet-{slug}-{n}.md")
        };
        let path = PathBuf::from(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(text.as_bytes())
                    .map_err(|e| format!("could not export to {}: {e}", path.display()))?;
                return Ok(std::env::current_dir()
                    .map(|d| d.join(&path))
                    .unwrap_or(path));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("could not export to {}: {e}", path.display())),
        }
    }
    unreachable!("some file name is free")
}

/// A terminal event as a message, if it is one the reader uses.
pub fn to_msg(e: Event) -> Option<Msg> {
    match e {
        Event::Key(k) if k.kind != KeyEventKind::Release => to_key(k).map(Msg::Key),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => Some(Msg::Wheel {
                col: m.column,
                row: m.row,
                down: m.kind == MouseEventKind::ScrollDown,
            }),
            MouseEventKind::Down(MouseButton::Left) => Some(Msg::Click {
                col: m.column,
                row: m.row,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// A crossterm key as our [`Key`]. Shift is folded into characters (`J`).
pub fn to_key(k: KeyEvent) -> Option<Key> {
    let code = match k.code {
        KeyCode::Char(c) => Code::Char(c),
        KeyCode::Enter => Code::Enter,
        KeyCode::Esc => Code::Esc,
        KeyCode::Tab => Code::Tab,
        KeyCode::BackTab => Code::BackTab,
        KeyCode::Backspace => Code::Backspace,
        KeyCode::Delete => Code::Delete,
        KeyCode::Insert => Code::Insert,
        KeyCode::Up => Code::Up,
        KeyCode::Down => Code::Down,
        KeyCode::Left => Code::Left,
        KeyCode::Right => Code::Right,
        KeyCode::PageUp => Code::PageUp,
        KeyCode::PageDown => Code::PageDown,
        KeyCode::Home => Code::Home,
        KeyCode::End => Code::End,
        KeyCode::F(n) => Code::F(n),
        _ => return None,
    };
    Some(Key {
        code,
        ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
        alt: k.modifiers.contains(KeyModifiers::ALT),
    })
}

/// Load and clean in a thread: articles are sent as they are read (the list fills at
/// once, every block shown as stored), then the cleaner's decisions in batches (cleaning
/// needs the whole archive's evidence first), then the problems, then [`Msg::Loaded`].
/// With `index` (`Some(None)`: the default place), the full-text index is then brought
/// up to date from the stories just read, and [`Msg::IndexReady`] sent.
pub fn spawn_loader(
    paths: Vec<PathBuf>,
    opts: Options,
    index: Option<Option<PathBuf>>,
) -> Receiver<Msg> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let run = std::panic::AssertUnwindSafe(|| {
            let articles = load(&paths, &opts, &tx)?;
            if let Some(place) = index {
                let built = Index::open_default(place.as_deref())
                    .and_then(|mut ix| ix.refresh(&paths, &opts, Some(articles)))
                    .map(|_| ())
                    .map_err(|e| e.to_string());
                tx.send(Msg::IndexReady(built))?;
            }
            Ok::<(), mpsc::SendError<Msg>>(())
        });
        if let Err(p) = std::panic::catch_unwind(run) {
            let why = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".into());
            let _ = tx.send(Msg::LoadFailed(why));
        }
    });
    rx
}

fn load(
    paths: &[PathBuf],
    opts: &Options,
    tx: &Sender<Msg>,
) -> Result<Vec<crate::article::Article>, mpsc::SendError<Msg>> {
    const FILES_PER_BATCH: usize = 32;
    const EVERY: Duration = Duration::from_millis(30);
    let progress = |stage, done, total| Msg::Progress { stage, done, total };
    let (files, mut problems) = archive::find_files(paths);
    let total = files.len();
    tx.send(progress(Stage::Loading, 0, total))?;
    let mut articles = Vec::new();
    let mut pending = Vec::new();
    let mut last = Instant::now();
    for (i, chunk) in files.chunks(FILES_PER_BATCH).enumerate() {
        let (a, p) = archive::load_all(chunk);
        pending.extend(a.iter().cloned());
        articles.extend(a);
        problems.extend(p);
        if last.elapsed() > EVERY {
            last = Instant::now();
            tx.send(Msg::Articles(std::mem::take(&mut pending)))?;
            let done = ((i + 1) * FILES_PER_BATCH).min(total);
            tx.send(progress(Stage::Loading, done, total))?;
        }
    }
    tx.send(Msg::Articles(pending))?;
    let n = articles.len();
    tx.send(progress(Stage::Cleaning, 0, n))?;
    let evidence = Evidence::gather(&articles);
    let mut batch = Vec::new();
    let mut start = 0;
    let mut last = Instant::now();
    for (i, article) in articles.iter().enumerate() {
        batch.push(clean::clean(article, &evidence, opts));
        if last.elapsed() > EVERY {
            last = Instant::now();
            let cleaned = std::mem::take(&mut batch);
            let len = cleaned.len();
            tx.send(Msg::Cleaned { start, cleaned })?;
            start += len;
            tx.send(progress(Stage::Cleaning, i + 1, n))?;
        }
    }
    tx.send(Msg::Cleaned {
        start,
        cleaned: batch,
    })?;
    tx.send(progress(Stage::Cleaning, n, n))?;
    tx.send(Msg::Problems(problems))?;
    tx.send(Msg::Loaded)?;
    Ok(articles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    #[test]
    fn keys_convert() {
        let k = |c, m| to_key(KeyEvent::new(c, m)).unwrap();
        assert_eq!(k(KeyCode::Char('J'), KeyModifiers::SHIFT), Key::ch('J'));
        assert_eq!(k(KeyCode::Char('d'), KeyModifiers::CONTROL), Key::ctrl('d'));
        assert_eq!(
            k(KeyCode::PageDown, KeyModifiers::NONE),
            "pagedown".parse().unwrap()
        );
    }

    #[test]
    fn loader_sends_everything_then_loaded() {
        let rx = spawn_loader(
            vec![
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("articles"),
                PathBuf::from("/no/such/place"),
            ],
            Options::default(),
            None,
        );
        let mut stories = 0;
        let mut cleaned_n = 0;
        let mut problems = 0;
        let mut loaded = false;
        for m in rx {
            match m {
                Msg::Articles(s) => stories += s.len(),
                Msg::Cleaned { start, cleaned } => {
                    assert_eq!(start, cleaned_n);
                    cleaned_n += cleaned.len();
                }
                Msg::Problems(p) => problems += p.len(),
                Msg::Loaded => loaded = true,
                _ => {}
            }
        }
        assert!(
            loaded && stories >= 16 && problems == 1,
            "{stories} {problems}"
        );
    }

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
        let shell = |db: &std::path::Path| Shell {
            store: Some(Store::open(db).unwrap()),
            index_path: None,
            index: None,
            paths: vec![],
            last_selection: None,
        };
        let mut sh = shell(&db);
        let mut app = App::new(Settings::default(), Keymap::default());
        app.update(Msg::Resize(100, 30));
        sh.receive(&mut app, Msg::Stories(stories()));
        sh.receive(&mut app, Msg::Loaded);
        for c in "sjjl".chars() {
            app.update(Msg::Key(Key::ch(c)));
            sh.perform(&mut app);
        }
        for _ in 0..8 {
            app.update(Msg::Key(Key::ch('j')));
            sh.perform(&mut app);
        }
        let para = app.reader.as_ref().unwrap().anchor.para;
        assert!(para > 1);
        app.update(Msg::Do(crate::keymap::Action::UnreadOnly));
        sh.perform(&mut app);
        drop(sh); // as if killed: every action was written when it was done

        let mut sh = shell(&db);
        let mut app = App::new(Settings::default(), Keymap::default());
        restore_settings(&mut app, sh.store.as_ref().unwrap());
        assert!(app.unread_only);
        app.unread_only = false;
        app.update(Msg::Resize(100, 30));
        sh.receive(&mut app, Msg::Stories(stories()));
        sh.receive(&mut app, Msg::Loaded);
        assert!(app.entries[0].starred && !app.entries[0].read);
        assert!(app.entries[2].read && !app.entries[2].starred);
        assert_eq!(app.selected, 2, "the last selection is restored");
        assert_eq!(app.reader.as_ref().unwrap().anchor.para, para);
        assert!(app.message.is_none(), "{:?}", app.message);
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"https://x.org/?a=1"), "aHR0cHM6Ly94Lm9yZy8/YT0x");
    }

    #[test]
    fn runs_of_scroll_saves_are_written_once() {
        use crate::app::tests::story;
        use crate::keymap::Keymap;
        let dir = tempfile::tempdir().unwrap();
        let mut sh = Shell {
            store: Some(Store::open(&dir.path().join("s.sqlite")).unwrap()),
            index_path: None,
            index: None,
            paths: vec![],
            last_selection: None,
        };
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
        let para = app.reader.as_ref().unwrap().anchor.para;
        let id = app.entries[0].id;
        assert_eq!(sh.store.as_ref().unwrap().scroll(id), Some(para));
        // a search with no index: the answer says so, nothing breaks
        app.update(Msg::Key(Key::ch('h')));
        for c in "/para".chars() {
            app.update(Msg::Key(Key::ch(c)));
        }
        app.update(Msg::Key(Key::plain(Code::Enter)));
        sh.perform(&mut app);
        assert!(app
            .message
            .as_deref()
            .unwrap()
            .contains("still being built"));
    }
}
