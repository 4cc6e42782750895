//! The only code that touches the terminal: set it up (raw mode and the alternate
//! screen on a buffered backend) and restore it on every way out ([`Exits`]: returns,
//! panics on any thread, signals), turn terminal events into [`Msg`]s, and run the loop.
//! The background threads and the effects are the [`crate::shell`]'s: the loader and the
//! story reader read the archive, and the shell's worker does its disk work (reading
//! state writes, searches, exports), so neither a key nor a frame waits on the disk.

use crate::app::{App, Effect, Msg, Settings};
use crate::archive::Store;
use crate::clean::Options;
use crate::config::Config;
use crate::keymap::{Code, Key};
use crate::shell::loader::{spawn_loader, Bg};
use crate::shell::{restore_settings, Shell};
use crate::timing;
use crate::ui::{Screen, Theme};
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::prelude::CrosstermBackend;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Mutex;
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

/// Open the reader on `paths` until the user quits. The terminal is restored on return,
/// on error, on a panic and on a signal ([`Exits`]).
pub fn run(paths: Vec<PathBuf>, config: &Config, opts: Options, places: Places) -> io::Result<()> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return Err(io::Error::other(
            "the reader needs a terminal (standard output is not one); \
             `broadsheet list` or `broadsheet export` write text",
        ));
    }
    timing::reader("start");
    let keymap = config
        .keymap()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
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
    shell.index_at(places.index.clone());

    let exits = Exits::install(shell.flusher())?;
    let restore = Restore::armed();
    let mut terminal = init_terminal()?;
    let result = execute!(io::stdout(), EnableMouseCapture)
        .and_then(|()| event_loop(&mut terminal, &mut app, &theme, (rx, shown), &mut shell));
    drop(restore);
    drop(terminal);
    exits.report();
    result
}

/// The terminal is in the reader's modes (raw, alternate screen, mouse capture) and
/// must be restored once, by whoever gets there first: the [`Restore`] guard (every
/// return, a panic on this thread unwinding), the panic hook, or a signal.
static IN_READER: AtomicBool = AtomicBool::new(false);

/// Panics on other threads while the reader was on (each caught there and shown as an
/// error), told on stderr once the terminal is restored.
static BACKGROUND_PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Leave the reader's terminal modes, if it is in them: mouse capture off, the cursor
/// shown, raw mode off, the main screen back.
pub(crate) fn restore_terminal() {
    if IN_READER.swap(false, Ordering::SeqCst) {
        use ratatui::crossterm::cursor::Show;
        let _ = execute!(io::stdout(), DisableMouseCapture, Show);
        ratatui::restore();
    }
}

/// Restores the terminal when dropped (on return and on unwinding).
struct Restore;

impl Restore {
    fn armed() -> Restore {
        IN_READER.store(true, Ordering::SeqCst);
        Restore
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// The other ways out: a panic and a signal.
/// - A panic on the UI thread: the hook restores the terminal, then reports it as
///   usual (and the stack unwinds out of [`run`]).
/// - A panic on another thread (the loader, the story reader, the state worker, rayon's
///   threads under them): those threads catch it and send it as an error message, so
///   the reader goes on; the hook only notes it (a report written on the alternate
///   screen would garble it), told on stderr when the reader ends.
/// - SIGTERM, SIGHUP, SIGINT, SIGQUIT: the queued state writes are waited for (a second
///   at most), the terminal restored, and the process ends with status 128 + the signal.
/// - An abort (SIGABRT): see [`abort`].
struct Exits;

impl Exits {
    /// `flush`: wait (at most so long) for the state writes already asked for.
    fn install(flush: impl Fn(Duration) + Send + 'static) -> io::Result<Exits> {
        static HOOKED: std::sync::Once = std::sync::Once::new();
        HOOKED.call_once(|| {
            let ui = std::thread::current().id();
            let default = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                let on = IN_READER.load(Ordering::SeqCst);
                if std::thread::current().id() == ui || !on {
                    restore_terminal();
                    default(info);
                } else if let Ok(mut seen) = BACKGROUND_PANICS.lock() {
                    if seen.len() < 8 {
                        let t = std::thread::current();
                        seen.push(format!("thread '{}' {info}", t.name().unwrap_or("?")));
                    }
                }
            }));
        });
        #[cfg(unix)]
        {
            abort::install();
            use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
            let mut signals =
                signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
            std::thread::Builder::new()
                .name("signals".into())
                .spawn(move || {
                    if let Some(sig) = signals.forever().next() {
                        flush(Duration::from_secs(1));
                        // held until the end: no frame is written after the restore
                        let out = io::stdout();
                        let _held = out.lock();
                        restore_terminal();
                        std::process::exit(128 + sig);
                    }
                })?;
        }
        Ok(Exits)
    }

    /// After the terminal is restored: the panics caught on other threads, on stderr.
    fn report(self) {
        let seen = BACKGROUND_PANICS
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default();
        for p in seen {
            let p = crate::text::sanitize(&p);
            eprintln!("broadsheet: an internal error (the reader went on): {p}");
        }
    }
}

/// An abort (a stack overflow, a panic while panicking, memory exhausted, `abort`)
/// runs no Rust code but a signal handler: for SIGABRT, one that writes the sequences
/// leaving the reader's modes and sets the terminal's modes back as they were before
/// raw mode (both single system calls, safe in a handler); the process then ends as
/// aborts do.
#[cfg(unix)]
mod abort {
    use super::IN_READER;
    use rustix::termios::{tcgetattr, tcsetattr, OptionalActions, Termios};
    use std::os::fd::{BorrowedFd, OwnedFd};
    use std::sync::atomic::Ordering;
    use std::sync::OnceLock;

    /// The terminal and its modes before the reader changed them.
    static SAVED: OnceLock<(OwnedFd, Termios)> = OnceLock::new();

    /// A frame ended, mouse capture off (every protocol crossterm turns on), the cursor
    /// shown, the main screen back; then a line saying why the reader ended.
    const LEAVE: &[u8] = b"\x1b[?2026l\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\
        \x1b[?25h\x1b[?1049l\r\nbroadsheet: aborted by an internal error\r\n";

    /// Save the terminal's modes (before raw mode) and set the handler.
    pub(super) fn install() {
        let Ok(tty) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
        else {
            return;
        };
        let tty = OwnedFd::from(tty);
        let Ok(modes) = tcgetattr(&tty) else { return };
        if SAVED.set((tty, modes)).is_ok() {
            // SAFETY: the action reads an atomic and a static set before it was
            // registered, and makes two system calls (write, ioctl): all safe in a
            // signal handler; it allocates nothing and takes no lock.
            let _ =
                unsafe { signal_hook::low_level::register(signal_hook::consts::SIGABRT, restore) };
        }
    }

    fn restore() {
        if IN_READER.swap(false, Ordering::SeqCst) {
            if let Some((tty, modes)) = SAVED.get() {
                // SAFETY: standard output stays open for the life of the process
                let out = unsafe { BorrowedFd::borrow_raw(1) };
                let _ = rustix::io::write(out, LEAVE);
                let _ = tcsetattr(tty, OptionalActions::Now, modes);
            }
        }
    }
}

/// The terminal the reader draws on. Frames are buffered whole (ratatui flushes once at
/// the end of each draw), so a frame reaches the terminal in one write instead of in
/// stdout's 1 KB line-buffer pieces.
type Terminal = ratatui::Terminal<CrosstermBackend<io::BufWriter<Gate>>>;

/// Standard output for frames, closed the moment the terminal is restored (by quitting, a
/// signal or an abort on another thread): a frame finished after that is dropped, checked
/// just before each write, so it cannot hide the cursor or take the screen back.
struct Gate(io::Stdout);

impl io::Write for Gate {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if IN_READER.load(Ordering::SeqCst) {
            self.0.write(buf)
        } else {
            Ok(buf.len())
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Raw mode and the alternate screen, as `ratatui::try_init` sets them up, on a buffered
/// backend. On failure the terminal is left as it was.
fn init_terminal() -> io::Result<Terminal> {
    use ratatui::crossterm::terminal::{enable_raw_mode, EnterAlternateScreen};
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen)
        .and_then(|()| {
            let out = io::BufWriter::with_capacity(1 << 16, Gate(io::stdout()));
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
                timing::reader(&format!("{} stories listed, drawn", app.entries().len()));
                let _ = shown.send(()); // the loader may go on with the index
                shell.settle(app);
                dirty = true; // state moved to edited stories shows
            }
        }
        let wait = if busy {
            Duration::ZERO // more from the loader may be waiting already: no pause
        } else if shell.awaiting() {
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
            dirty |= shell.take(app);
            // take every pending event before drawing again (held keys do not queue frames)
            loop {
                if let Some(msg) = to_msg(event::read()?) {
                    crate::shell::fault("ui");
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
        dirty |= shell.take(app);
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
}
