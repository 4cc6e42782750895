//! The only code that touches the terminal: set it up and restore it (on every path,
//! panics included: `ratatui::try_init` installs a restoring panic hook, and ours turns
//! mouse capture off), turn terminal events into [`Msg`]s, and run the loop. Loading
//! runs in a background thread that sends stories in batches; the loop does no file
//! I/O, so a keypress never waits on the disk.

use crate::app::{App, Effect, Msg, Settings, Stage};
use crate::archive;
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

/// Open the reader on `paths` until the user quits. The terminal is restored on return,
/// on error and on panic.
pub fn run(paths: Vec<PathBuf>, config: &Config, opts: Options) -> io::Result<()> {
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
        let rx = spawn_loader(paths, opts);
        event_loop(&mut terminal, &mut app, &theme, rx)
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
                        return Ok(());
                    }
                }
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if loading {
            let until = Instant::now() + Duration::from_millis(10);
            while Instant::now() < until {
                match rx.try_recv() {
                    Ok(msg) => {
                        dirty = true;
                        app.update(msg);
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
pub fn spawn_loader(paths: Vec<PathBuf>, opts: Options) -> Receiver<Msg> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let run = std::panic::AssertUnwindSafe(|| load(&paths, &opts, &tx));
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

fn load(paths: &[PathBuf], opts: &Options, tx: &Sender<Msg>) -> Result<(), mpsc::SendError<Msg>> {
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
    tx.send(Msg::Loaded)
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
}
