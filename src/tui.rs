//! The only code that touches the terminal: set it up and restore it (on every path,
//! panics included: our panic hook restores it and turns mouse capture off), turn
//! terminal events into [`Msg`]s, and run the loop. Two background threads do the
//! reading: the loader lists the archive (from the index at once when it has one, else
//! by reading every file once, keeping no text), brings the index up to date and gathers
//! the evidence cleaning needs; the story reader reads and cleans a story when it is
//! opened. The loop does no file I/O for them, so a keypress never waits on the disk.

use crate::app::{self, App, Effect, Msg, ReadStory, Settings, Sort, Stage};
use crate::archive::{self, Index, Store, Story, StoryId};
use crate::clean::{self, Cleaned, Evidence, EvidenceBuilder, Options};
use crate::config::Config;
use crate::keymap::{Code, Key};
use crate::ui::{Screen, Theme};
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::prelude::CrosstermBackend;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
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

/// What the shell holds besides the app: the reading state, the index and the story
/// reader, which the effects are performed against.
struct Shell {
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
    fn new(store: Option<Store>, paths: Vec<PathBuf>, opts: Options) -> Shell {
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

    /// Give the app the stories the reader has read; true if there were any.
    fn take_stories(&mut self, app: &mut App) -> bool {
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
    fn receive_bg(&mut self, app: &mut App, bg: Bg) {
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
    timing("start");
    let keymap = config
        .keymap()
        .map_err(|(_, m)| io::Error::new(io::ErrorKind::InvalidInput, m))?;
    // listing starts at once, while the state is read and the terminal set up
    let index = (!places.no_index).then_some(places.index.clone());
    let (rx, shown) = spawn_loader(paths.clone(), opts.clone(), index);
    let mut app = App::new(Settings::from_config(config), keymap);
    let theme = Theme::from_env(&config.theme);
    let store = match Store::open_default(places.state.as_deref()) {
        Ok(s) => {
            restore_settings(&mut app, &s);
            Some(s)
        }
        Err(e) => {
            app.update(Msg::Status(format!(
                "reading state not available (not saved): {e}"
            )));
            None
        }
    };
    let mut shell = Shell::new(store, paths.clone(), opts.clone());

    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        hook(info);
    }));
    // A panic on this thread restores the terminal first. A panic in the loader thread is
    // caught there and shown in the status line.
    let ui = std::thread::current().id();
    let mouse_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == ui {
            ratatui::restore();
            mouse_hook(info);
        }
    }));
    let mut terminal = init_terminal()?;
    let result = execute!(io::stdout(), EnableMouseCapture)
        .and_then(|()| event_loop(&mut terminal, &mut app, &theme, (rx, shown), &mut shell));
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

/// The terminal the reader draws on. Frames are buffered whole (ratatui flushes once at
/// the end of each draw), so a frame reaches the terminal in one write instead of in
/// stdout's 1 KB line-buffer pieces.
type Terminal = ratatui::Terminal<CrosstermBackend<io::BufWriter<io::Stdout>>>;

/// Raw mode and the alternate screen, as `ratatui::try_init` sets them up, on a buffered
/// backend. On failure the terminal is left as it was.
fn init_terminal() -> io::Result<Terminal> {
    use ratatui::crossterm::terminal::{enable_raw_mode, EnterAlternateScreen};
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen)
        .and_then(|()| {
            let out = io::BufWriter::with_capacity(1 << 16, io::stdout());
            ratatui::Terminal::new(CrosstermBackend::new(out))
        })
        .inspect_err(|_| ratatui::restore())
}

/// Draw one frame, inside a synchronized update: terminals that know it show the frame
/// whole, never half drawn; others ignore it.
fn draw(terminal: &mut Terminal, app: &App, theme: &Theme) -> io::Result<()> {
    use ratatui::crossterm::terminal::EndSynchronizedUpdate;
    use ratatui::crossterm::{queue, terminal::BeginSynchronizedUpdate};
    use std::io::Write;
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| f.render_widget(Screen { app, theme }, f.area()))?;
    let out = terminal.backend_mut();
    queue!(out, EndSynchronizedUpdate)?;
    out.flush()
}

fn event_loop(
    terminal: &mut Terminal,
    app: &mut App,
    theme: &Theme,
    (rx, shown): (Receiver<Bg>, Sender<()>),
    shell: &mut Shell,
) -> io::Result<()> {
    let size = terminal.size()?;
    app.update(Msg::Resize(size.width, size.height));
    let mut loading = true;
    let mut dirty = true;
    let mut listed = false;
    let mut busy = false; // the loader sent something in the last turn
    loop {
        if dirty {
            draw(terminal, app, theme)?;
            dirty = false;
            if !listed && app.progress().finished {
                listed = true;
                timing(&format!("{} stories listed, drawn", app.entries().len()));
                let _ = shown.send(()); // the loader may go on with the index
                shell.settle(app);
                dirty = true; // state moved to edited stories shows
            }
        }
        let wait = if busy {
            Duration::ZERO // more from the loader may be waiting already: no pause
        } else if shell.awaiting.is_some() {
            Duration::from_millis(5)
        } else if loading && !listed && app.entries().is_empty() {
            Duration::from_millis(1) // the list may come any moment: draw it at once
        } else if loading {
            Duration::from_millis(10)
        } else {
            Duration::from_secs(3600)
        };
        if event::poll(wait)? {
            // a story read meanwhile (a prefetched neighbour) is there before the keys
            dirty |= shell.take_stories(app);
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
        dirty |= shell.take_stories(app);
        busy = false;
        if loading {
            let until = Instant::now() + Duration::from_millis(10);
            while Instant::now() < until {
                match rx.try_recv() {
                    Ok(bg) => {
                        dirty = true;
                        busy = true;
                        shell.receive_bg(app, bg);
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
    app.update(Msg::Remembered {
        sort: store.setting("sort").as_deref().and_then(Sort::parse),
        unread_only: store.setting("unread_only").as_deref() == Some("1"),
    });
}

impl Shell {
    /// A message from the loader: to the app, then the remembered state filled in for
    /// the stories it brought (and, when loading ends, matched to moved or edited
    /// stories, and the last selection restored).
    fn receive(&mut self, app: &mut App, msg: Msg) {
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
    fn reconcile(store: &mut Store, app: &mut App) -> usize {
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
    fn settle(&mut self, app: &mut App) {
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
                app.update(Msg::Status(m));
            }
        }
    }

    fn effect(&mut self, app: &mut App, fx: Effect) -> Result<(), String> {
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
                use std::io::Write;
                let mut out = io::stdout();
                write!(out, "\x1b]52;c;{}\x07", base64(url.as_bytes()))
                    .and_then(|()| out.flush())
                    .map_err(|e| format!("could not copy: {e}"))?;
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

/// What the loader thread sends the loop.
pub enum Bg {
    /// A message for the app.
    App(Msg),
    /// The archive's evidence, for cleaning the stories opened from now on.
    Evidence(Arc<Evidence>),
}

/// List the archive in a thread, then work on in the background:
/// - with an index that lists the paths (`index`: `Some(None)` is the default place), the
///   list at once from it ([`Index::entries`]), then the index brought up to date
///   ([`Msg::Relist`] if files changed), then the evidence;
/// - otherwise every file read once, in batches: each story listed ([`Msg::Entries`]) and
///   counted into the evidence, its text dropped; then, with an index, the index built.
///
/// [`Msg::Loaded`] when the list is complete, [`Bg::Evidence`] when cleaning can start,
/// [`Msg::Idle`] at the end. The sender returned tells the loader the list is on screen:
/// work that competes with drawing it (the index refresh, which stats every file) waits
/// for that (a second at most).
pub fn spawn_loader(
    paths: Vec<PathBuf>,
    opts: Options,
    index: Option<Option<PathBuf>>,
) -> (Receiver<Bg>, Sender<()>) {
    let (tx, rx) = mpsc::channel();
    let (shown_tx, shown) = mpsc::channel();
    std::thread::spawn(move || {
        let run = std::panic::AssertUnwindSafe(|| load(&paths, &opts, index, &tx, &shown));
        if let Err(p) = std::panic::catch_unwind(run) {
            let _ = tx.send(Bg::App(Msg::LoadFailed(panic_text(&*p))));
        }
    });
    (rx, shown_tx)
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".into())
}

type Sent = Result<(), mpsc::SendError<Bg>>;

fn load(
    paths: &[PathBuf],
    opts: &Options,
    index: Option<Option<PathBuf>>,
    tx: &Sender<Bg>,
    shown: &Receiver<()>,
) -> Sent {
    let app = |m: Msg| tx.send(Bg::App(m));
    // the list at once from the index, when it has one
    let mut ix = None;
    let mut listed = false;
    if let Some(place) = index {
        match Index::open_default(place.as_deref()) {
            Ok(i) => {
                if let Ok(entries) = i.entries_with(paths, app::Entry::new) {
                    if !entries.is_empty() {
                        timing(&format!("{} entries from the index", entries.len()));
                        app(Msg::Entries(entries))?;
                        app(progress(Stage::Indexing, 0, 0))?; // next, shown once listed
                        app(Msg::Loaded)?;
                        listed = true;
                        let _ = shown.recv_timeout(Duration::from_secs(1));
                    }
                }
                ix = Some(i);
            }
            Err(e) => app(Msg::IndexReady(Err(e.to_string())))?,
        }
    }
    // no listing: the quick scan lists every story from the top of its file (as
    // `list --no-index` does, about as fast as ripgrep reads the folder), then every file
    // is read once more, whole, for the evidence
    let mut evidence_sent = false;
    if !listed {
        let mut problems = Vec::new();
        let mut done = 0;
        archive::scan::scan_each(paths, |entries, p| {
            problems.extend(p);
            done += entries.len();
            app(Msg::Entries(
                entries.into_iter().map(app::Entry::new).collect(),
            ))?;
            app(progress(Stage::Loading, done, 0))
        })?;
        timing(&format!("{done} entries from the quick scan"));
        app(Msg::Problems(problems))?;
        app(Msg::Loaded)?;
        app(progress(Stage::Cleaning, 0, 0))?; // until the walk gives the total
        let ev = stream(paths, tx)?;
        tx.send(Bg::Evidence(Arc::new(ev)))?;
        if ix.is_some() {
            app(progress(Stage::Indexing, 0, 0))?;
        }
        evidence_sent = true;
    }
    // the index brought up to date, and the list again if the files changed
    let mut kept = None;
    if let Some(mut ix) = ix {
        app(progress(Stage::Indexing, 0, 0))?;
        match ix.refresh(paths, opts, None) {
            Ok((r, problems)) => {
                if !listed || r.added + r.changed + r.removed > 0 {
                    match ix.entries_with(paths, app::Entry::new) {
                        Ok(entries) => app(Msg::Relist(entries))?,
                        Err(e) => app(Msg::IndexReady(Err(e.to_string())))?,
                    }
                }
                if listed {
                    app(Msg::Problems(problems))?;
                }
                timing("index refreshed");
                app(Msg::IndexReady(Ok(())))?;
            }
            Err(e) => app(Msg::IndexReady(Err(e.to_string())))?,
        }
        kept = Some(ix);
    }
    if !evidence_sent {
        // kept in the index by its refresh (else read from the files, once)
        app(progress(Stage::Cleaning, 0, 0))?;
        let ev = match &kept {
            Some(ix) => ix.evidence(paths).ok(),
            None => None,
        };
        let ev = match ev {
            Some(ev) => ev,
            None => stream(paths, tx)?,
        };
        timing("evidence in");
        tx.send(Bg::Evidence(Arc::new(ev)))?;
    }
    timing("background work done");
    app(Msg::Idle)
}

/// With `BROADSHEET_TIMINGS` set, a line on stderr: the time since the reader started
/// and what happened then (for benchmarks, with stderr sent to a file).
fn timing(what: &str) {
    static START: std::sync::OnceLock<Option<Instant>> = std::sync::OnceLock::new();
    let start =
        START.get_or_init(|| std::env::var_os("BROADSHEET_TIMINGS").map(|_| Instant::now()));
    if let Some(t) = start {
        eprintln!("timing: reader: {what}: {:.3} s", t.elapsed().as_secs_f64());
    }
}

fn progress(stage: Stage, done: usize, total: usize) -> Msg {
    Msg::Progress { stage, done, total }
}

/// Read every file under `paths` once, a batch at a time (each batch in parallel; a big
/// JSON Lines file a line at a time), counting each story into the evidence and
/// dropping its text ("cleaning 1234/N" meanwhile). Load problems are not said again:
/// the list's scan said them.
fn stream(paths: &[PathBuf], tx: &Sender<Bg>) -> Result<Evidence, mpsc::SendError<Bg>> {
    use rayon::prelude::*;
    const FILES_PER_BATCH: usize = 64;
    const EVERY: Duration = Duration::from_millis(30);
    let send = |m: Msg| tx.send(Bg::App(m));
    let (files, _) = archive::find_files(paths);
    let total = files.len();
    send(progress(Stage::Cleaning, 0, total))?;
    let mut builder = EvidenceBuilder::default();
    let mut last = Instant::now();
    for (i, chunk) in files.chunks(FILES_PER_BATCH).enumerate() {
        let seen: Vec<Vec<clean::Observed>> = chunk
            .par_iter()
            .map(|f| {
                let mut obs = Vec::new();
                crate::article::for_each_article(f, |a| obs.push(clean::observe(&a)));
                obs
            })
            .collect();
        seen.into_iter()
            .flatten()
            .for_each(|o| builder.add_observed(o));
        if last.elapsed() > EVERY {
            last = Instant::now();
            let done = ((i + 1) * FILES_PER_BATCH).min(total);
            send(progress(Stage::Cleaning, done, total))?;
        }
    }
    send(progress(Stage::Cleaning, total, total))?;
    Ok(builder.finish())
}

/// A story to read: which, and where.
#[derive(Debug, Clone)]
struct Want {
    id: StoryId,
    path: PathBuf,
    index_in_file: usize,
}

/// What the story reader thread is asked.
enum Request {
    /// Read this story now (only the latest such request is answered).
    Open(Want),
    /// Read this one when nothing else waits.
    Prefetch(Want),
    /// Clean what is read from now on with this evidence.
    Evidence(Arc<Evidence>),
}

/// The story reader: a thread that reads (and, once it has the evidence, cleans) the
/// stories asked for, answering with [`Msg::Story`]. Of several requests waiting, only the
/// newest `Open` is read (keys held down through the list ask for many), then the newest
/// prefetch.
fn spawn_story_reader(opts: Options) -> (Sender<Request>, Receiver<Msg>) {
    let (req_tx, req_rx) = mpsc::channel::<Request>();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut ev: Option<Arc<Evidence>> = None;
        let mut prefetch: Option<Want> = None;
        loop {
            let first = if prefetch.is_some() {
                match req_rx.try_recv() {
                    Ok(r) => Some(r),
                    Err(mpsc::TryRecvError::Empty) => None,
                    Err(mpsc::TryRecvError::Disconnected) => return,
                }
            } else {
                match req_rx.recv() {
                    Ok(r) => Some(r),
                    Err(_) => return,
                }
            };
            let mut open = None;
            for r in first.into_iter().chain(req_rx.try_iter()) {
                match r {
                    Request::Open(w) => open = Some(w),
                    Request::Prefetch(w) => prefetch = Some(w),
                    Request::Evidence(e) => ev = Some(e),
                }
            }
            let Some(w) = open.or_else(|| prefetch.take()) else {
                continue;
            };
            let ev = ev.as_deref();
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                read_story(&w.path, w.index_in_file, w.id, ev, &opts)
            }))
            .unwrap_or_else(|p| Err(format!("a bug: {}", panic_text(&*p))));
            let msg = Msg::Story {
                id: w.id,
                story: read.map(Box::new),
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
    (req_tx, rx)
}

/// Read one story from its file: the one with this id (else the one at its place in the
/// file), cleaned with the evidence when there is some, every block as stored when not.
pub fn read_story(
    path: &Path,
    index_in_file: usize,
    id: StoryId,
    ev: Option<&Evidence>,
    opts: &Options,
) -> Result<ReadStory, String> {
    let (mut articles, problems) = archive::load_all(&[path.to_path_buf()]);
    let at = articles
        .iter()
        .position(|a| StoryId::of(a) == id)
        .or_else(|| (index_in_file < articles.len()).then_some(index_in_file));
    let Some(at) = at else {
        return Err(match problems.first() {
            Some(p) => p.to_string(),
            None => format!("{}: the story is no longer in the file", path.display()),
        });
    };
    let article = articles.swap_remove(at);
    drop(articles);
    Ok(match ev {
        Some(ev) => {
            let cleaned = clean::clean(&article, ev, opts);
            ReadStory::new(Story { article, cleaned }, true)
        }
        None => ReadStory::new(
            Story {
                article,
                cleaned: Cleaned::default(),
            },
            false,
        ),
    })
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
    fn loader_lists_everything_then_loaded_then_the_evidence() {
        let (rx, _) = spawn_loader(
            vec![
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("articles"),
                PathBuf::from("/no/such/place"),
            ],
            Options::default(),
            None,
        );
        let mut stories = 0;
        let mut problems = 0;
        let mut order = Vec::new();
        for m in rx {
            match m {
                Bg::App(Msg::Entries(s)) => stories += s.len(),
                Bg::App(Msg::Problems(p)) => problems += p.len(),
                Bg::App(Msg::Loaded) => order.push("loaded"),
                Bg::Evidence(ev) => {
                    assert!(ev.title_count() >= 10);
                    order.push("evidence")
                }
                Bg::App(Msg::Idle) => order.push("idle"),
                _ => {}
            }
        }
        assert_eq!(order, ["loaded", "evidence", "idle"]);
        assert!(stories >= 16 && problems == 1, "{stories} {problems}");
    }

    #[test]
    fn with_an_index_the_list_comes_from_it_and_changes_are_relisted() {
        let dir = tempfile::tempdir().unwrap();
        let arch = dir.path().join("news");
        std::fs::create_dir_all(&arch).unwrap();
        let text = |t: &str| format!("{t}\n\nThe council met on Monday and agreed the plan.\n");
        std::fs::write(arch.join("a.txt"), text("A first title")).unwrap();
        let ix = dir.path().join("index.sqlite");
        let run = || {
            let (rx, _) = spawn_loader(
                vec![arch.clone()],
                Options::default(),
                Some(Some(ix.clone())),
            );
            let mut got = Vec::new();
            for m in rx {
                match m {
                    Bg::App(Msg::Entries(e)) => got.push(("entries", e.len())),
                    Bg::App(Msg::Relist(e)) => got.push(("relist", e.len())),
                    Bg::App(Msg::IndexReady(r)) => got.push(("index", r.is_ok() as usize)),
                    Bg::App(Msg::Loaded) => got.push(("loaded", 0)),
                    Bg::Evidence(_) => got.push(("evidence", 0)),
                    _ => {}
                }
            }
            got
        };
        // no index yet: the files are listed by the quick scan, read for the evidence,
        // then the index built and listed from
        assert_eq!(
            run(),
            [
                ("entries", 1),
                ("loaded", 0),
                ("evidence", 0),
                ("relist", 1),
                ("index", 1)
            ]
        );
        // the index lists at once; nothing changed, nothing relisted
        assert_eq!(
            run(),
            [("entries", 1), ("loaded", 0), ("index", 1), ("evidence", 0)]
        );
        std::fs::write(arch.join("b.txt"), text("A second title")).unwrap();
        assert_eq!(
            run(),
            [
                ("entries", 1),
                ("loaded", 0),
                ("relist", 2),
                ("index", 1),
                ("evidence", 0)
            ]
        );
    }

    #[test]
    fn the_story_reader_reads_and_cleans_the_newest_request() {
        let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("articles");
        let (files, _) = archive::find_files(&[samples]);
        let (articles, _) = archive::load_all(&files);
        let want = |a: &crate::article::Article| Want {
            id: StoryId::of(a),
            path: a.path.clone(),
            index_in_file: a.index_in_file,
        };
        let (tx, rx) = spawn_story_reader(Options::default());
        tx.send(Request::Open(want(&articles[0]))).unwrap();
        let Msg::Story { id, story } = rx.recv().unwrap() else {
            panic!("a story")
        };
        let r = story.unwrap();
        assert_eq!(id, StoryId::of(&articles[0]));
        assert!(!r.cleaned && r.story.cleaned.blocks.is_empty());
        assert_eq!(r.story.article.title, articles[0].title);
        tx.send(Request::Evidence(Arc::new(Evidence::gather(&articles))))
            .unwrap();
        tx.send(Request::Open(want(&articles[1]))).unwrap();
        let Msg::Story { id, story } = rx.recv().unwrap() else {
            panic!("a story")
        };
        assert_eq!(id, StoryId::of(&articles[1]));
        let r = story.unwrap();
        assert!(r.cleaned && !r.story.cleaned.blocks.is_empty() && r.words > 0);
        let gone = Want {
            path: PathBuf::from("/no/such/file.txt"),
            ..want(&articles[2])
        };
        tx.send(Request::Open(gone)).unwrap();
        let Msg::Story { story, .. } = rx.recv().unwrap() else {
            panic!("a story")
        };
        assert!(story.unwrap_err().contains("/no/such/file.txt"));
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
    use super::*;
    use crate::keymap::Keymap;

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
