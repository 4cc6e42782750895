//! End to end: the real binary in a pseudo-terminal (portable-pty), its screen read with
//! a terminal emulator (vt100). Opens the seed article, reads it, shows the hidden
//! blocks, moves to the next story, quits, and checks the terminal was restored.

mod common;

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROWS: u16 = 30;
const COLS: u16 = 100;

struct Term {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
}

impl Term {
    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }
    /// Wait until the screen satisfies `f` and has settled (unchanged for 100 ms, so it
    /// is not a frame caught half drawn); fail with the screen after 10 s.
    fn wait(&self, what: &str, f: impl Fn(&str) -> bool) -> String {
        let t0 = Instant::now();
        loop {
            let s = self.screen();
            if f(&s) {
                std::thread::sleep(Duration::from_millis(100));
                if self.screen() == s {
                    return s;
                }
                continue;
            }
            if t0.elapsed() > Duration::from_secs(10) {
                panic!("timed out waiting for {what}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }
    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

#[test]
fn read_the_seed_in_a_real_terminal_and_leave_it_clean() {
    let Some(shared) = common::shared() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = shared.join("seed/000_6e3b5fed3cbd1306.txt");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_broadsheet"));
    cmd.arg("--config");
    cmd.arg(root.join("config.toml"));
    cmd.arg(&seed);
    cmd.arg(root.join("articles"));
    cmd.env("TERM", "xterm-256color");
    let state = tempfile::tempdir().unwrap();
    cmd.env("BROADSHEET_STATE", state.path().join("state.sqlite"));
    cmd.env("BROADSHEET_INDEX", state.path().join("index.sqlite"));
    cmd.cwd(root);
    let Session {
        term: mut t,
        mut child,
        master,
        pump,
        termios_before,
    } = spawn(cmd);

    // the list, with the seed selected and the loading finished
    let s = t.wait("the list", |s| {
        s.contains("Stories ")
            && s.contains("Putin, Erdoğan")
            && !s.contains("loading")
            && !s.contains("cleaning")
    });
    assert!(
        t.parser.lock().unwrap().screen().alternate_screen(),
        "the reader runs in the alternate screen"
    );
    assert!(s.contains("enter read"), "hints in the status line:\n{s}");

    // read it: story paragraphs, not the related headline
    t.send("\r");
    let s = t.wait("the reading pane focused, the story cleaned", |s| {
        s.contains("h list") && !s.contains("not cleaned yet")
    });
    assert!(
        s.contains("Lavrov told reporters at a news conference"),
        "a story paragraph:\n{s}"
    );
    assert!(
        !s.contains("Russia and Turkey are close"),
        "a hidden block on screen:\n{s}"
    );
    assert!(
        s.contains("Duvar English"),
        "the source in the meta line:\n{s}"
    );

    // H shows it, dimmed and labelled, in place
    t.send("H");
    let s = t.wait("hidden blocks shown", |s| {
        s.contains("Russia and Turkey are close")
    });
    assert!(s.contains("hidden · related-headline"), "{s}");
    t.send("H");
    t.wait("hidden blocks hidden again", |s| {
        !s.contains("Russia and Turkey are close")
    });

    // J: the next story, in the reading pane
    // (the list's second story, as the list shows it)
    let next: String = t
        .screen()
        .lines()
        .nth(3)
        .unwrap()
        .chars()
        .skip(3)
        .take(15)
        .collect();
    t.send("J");
    t.wait("the next story", |s| {
        s.lines()
            .next()
            .is_some_and(|top| top.contains(&next) && !top.contains("Putin"))
    });

    // the mouse: the wheel over the reading pane scrolls it; a click selects a story
    let row4 = |s: &str| s.lines().nth(3).unwrap_or("").to_string();
    let before = row4(&t.screen());
    t.send("\x1b[<65;60;12M"); // SGR wheel down at column 60, row 12 (1-based)
    t.wait("the reading pane scrolled by the wheel", |s| {
        row4(s) != before
    });
    let third: String = t
        .screen()
        .lines()
        .nth(5)
        .unwrap()
        .chars()
        .skip(3)
        .take(15)
        .collect();
    t.send("\x1b[<0;5;6M\x1b[<0;5;6m"); // left click on the list's third story
    t.wait("the clicked story", |s| {
        s.lines().next().is_some_and(|top| top.contains(&third))
    });

    // q: quit; the terminal is as it was
    t.send("q");
    wait_exit(&mut *child);
    // let the last bytes through the pty
    std::thread::sleep(Duration::from_millis(200));
    {
        let p = t.parser.lock().unwrap();
        let screen = p.screen();
        assert!(!screen.alternate_screen(), "alternate screen left");
        assert!(!screen.hide_cursor(), "cursor visible again");
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse capture off"
        );
    }
    if let (Some(before), Some(after)) = (termios_before, termios_flags(&*master)) {
        assert_eq!(before, after, "raw mode left on (local, input flags)");
    }
    drop(t);
    drop(master);
    let _ = pump.join();
}

#[test]
fn a_bad_config_stops_before_the_terminal_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[keys]\ndown = [\"j\"]\nup = [\"kk\"]\n").unwrap();
    let out = common::bin()
        .arg("--config")
        .arg(&cfg)
        .arg("articles")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:3:") && err.contains("keys.up") && err.contains("\"kk\""),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing drawn: {:?}", out.stdout);

    std::fs::write(&cfg, "[theme]\naccent = \"cyan\"\nstar = \"goldish\"\n").unwrap();
    let out = common::bin().arg("--config").arg(&cfg).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:3:") && err.contains("theme.star"),
        "{err}"
    );
}

#[test]
fn the_reader_needs_a_terminal() {
    let out = common::bin()
        .arg("articles")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("terminal"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A command started in a fresh pseudo-terminal, its screen pumped into a vt100 parser.
struct Session {
    term: Term,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    pump: std::thread::JoinHandle<()>,
    /// The terminal's local and input flags before the binary touched them.
    termios_before: Option<(String, String)>,
}

/// The pty's local and input flags, as text (enough to see raw mode left on).
fn termios_flags(master: &dyn portable_pty::MasterPty) -> Option<(String, String)> {
    master.get_termios().map(|t| {
        (
            format!("{:?}", t.local_flags),
            format!("{:?}", t.input_flags),
        )
    })
}

fn spawn(cmd: CommandBuilder) -> Session {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let termios_before = termios_flags(&*pty.master);
    let child = pty.slave.spawn_command(cmd).expect("spawn broadsheet");
    drop(pty.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        NonZeroU16::new(ROWS).unwrap(),
        NonZeroU16::new(COLS).unwrap(),
        0,
    )));
    let mut reader = pty.master.try_clone_reader().unwrap();
    let p2 = Arc::clone(&parser);
    let pump = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p2.lock().unwrap().process(&buf[..n]);
        }
    });
    let term = Term {
        parser,
        writer: pty.master.take_writer().unwrap(),
    };
    Session {
        term,
        child,
        master: pty.master,
        pump,
        termios_before,
    }
}

/// The binary in a pseudo-terminal on the sample articles, its state and index in `dir`.
fn spawn_reader(
    dir: &Path,
) -> (
    Term,
    Box<dyn portable_pty::Child + Send + Sync>,
    Box<dyn portable_pty::MasterPty + Send>,
    std::thread::JoinHandle<()>,
) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_broadsheet"));
    cmd.arg("--config");
    cmd.arg(root.join("config.toml"));
    cmd.arg("--state");
    cmd.arg(dir.join("state.sqlite"));
    cmd.arg("--index");
    cmd.arg(dir.join("index.sqlite"));
    cmd.arg(root.join("articles"));
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(dir);
    let x = spawn(cmd);
    (x.term, x.child, x.master, x.pump)
}

fn loaded(s: &str) -> bool {
    s.contains("Stories ") && !s.contains("loading") && !s.contains("cleaning")
}

/// Wait (10 s at most) for the reader to exit, and check it exited with status 0.
fn wait_exit(child: &mut (dyn portable_pty::Child + Send + Sync)) {
    let t0 = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "did not quit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "exit status {status:?}");
}

fn quit(
    mut t: Term,
    mut child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    pump: std::thread::JoinHandle<()>,
) {
    t.send("q");
    wait_exit(&mut *child);
    drop(t);
    drop(master);
    let _ = pump.join();
}

#[test]
fn a_star_set_in_one_run_is_shown_in_the_next() {
    let dir = tempfile::tempdir().unwrap();
    // the list's second story: star it, quit
    let (mut t, child, master, pump) = spawn_reader(dir.path());
    t.wait("the list", loaded);
    let row = |s: &str, n: usize| s.lines().nth(n).unwrap_or("").to_string();
    let title: String = row(&t.screen(), 3).chars().skip(3).take(15).collect();
    assert!(!row(&t.screen(), 3).contains('★'));
    t.send("js");
    t.wait("the star on the second story", |s| {
        row(s, 3).contains('★') && row(s, 3).contains(&title)
    });
    quit(t, child, master, pump);
    assert!(dir.path().join("state.sqlite").exists());

    // again, with the same state file: the star is there, on the same story
    let (t, child, master, pump) = spawn_reader(dir.path());
    let s = t.wait("the list", loaded);
    let starred: Vec<String> = s
        .lines()
        .filter(|l| l.contains('★'))
        .map(String::from)
        .collect();
    assert!(
        starred.len() == 1 && starred[0].contains(&title),
        "the star on {title:?}:\n{s}"
    );
    quit(t, child, master, pump);
}

/// The reader on the sample articles in a fresh pseudo-terminal, its state and index in
/// `dir`, with these variables set.
fn spawn_with(dir: &Path, env: &[(&str, &str)]) -> Session {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    spawn_on(dir, &root.join("articles"), env)
}

/// The reader on `folder` in a fresh pseudo-terminal (the shipped config), its state and
/// index in `dir`, with these variables set.
fn spawn_on(dir: &Path, folder: &Path, env: &[(&str, &str)]) -> Session {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_broadsheet"));
    cmd.arg("--config");
    cmd.arg(root.join("config.toml"));
    cmd.arg("--state");
    cmd.arg(dir.join("state.sqlite"));
    cmd.arg("--index");
    cmd.arg(dir.join("index.sqlite"));
    cmd.arg(folder);
    cmd.env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.cwd(dir);
    spawn(cmd)
}

/// Wait (10 s at most) for the reader to end; its exit code (`None`: ended by a signal).
fn exit_code(child: &mut (dyn portable_pty::Child + Send + Sync)) -> Option<u32> {
    let t0 = Instant::now();
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st.signal().is_none().then(|| st.exit_code());
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "did not end");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// After the reader ended: the main screen, the cursor shown, no mouse capture, the
/// terminal's modes as they were; the screen, for more checks.
fn assert_left_clean(s: Session, code: Option<u32>) -> String {
    let Session {
        term: t,
        mut child,
        master,
        pump,
        termios_before,
    } = s;
    assert_eq!(exit_code(&mut *child), code, "exit code");
    std::thread::sleep(Duration::from_millis(200)); // the last bytes through the pty
    let screen = {
        let p = t.parser.lock().unwrap();
        let screen = p.screen();
        assert!(!screen.alternate_screen(), "alternate screen left");
        assert!(!screen.hide_cursor(), "cursor visible again");
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse capture off"
        );
        screen.contents()
    };
    if let (Some(before), Some(after)) = (termios_before, termios_flags(&*master)) {
        assert_eq!(before, after, "raw mode left on (local, input flags)");
    }
    drop(t);
    drop(master);
    let _ = pump.join();
    screen
}

fn signal(child: &(dyn portable_pty::Child + Send + Sync), sig: &str) {
    let pid = child.process_id().expect("a pid");
    let st = std::process::Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(st.success());
}

#[test]
fn a_signal_ends_the_reader_with_the_terminal_restored() {
    for (sig, code) in [("TERM", 143), ("HUP", 129), ("INT", 130)] {
        let dir = tempfile::tempdir().unwrap();
        let s = spawn_with(dir.path(), &[]);
        s.term.wait("the list", loaded);
        assert!(s.term.parser.lock().unwrap().screen().alternate_screen());
        signal(&*s.child, sig);
        assert_left_clean(s, Some(code));
    }
}

#[test]
fn a_panic_on_the_ui_thread_restores_the_terminal_and_is_reported() {
    if !faults_built_in() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn_with(dir.path(), &[("BROADSHEET_FAULT", "ui")]);
    s.term.wait("the list", loaded);
    s.term.send("j");
    let screen = assert_left_clean(s, Some(101));
    assert!(
        screen.contains("a fault made on purpose (ui)"),
        "the panic told on the main screen:\n{screen}"
    );
}

#[test]
fn a_panic_in_the_story_reader_is_shown_and_the_reader_goes_on() {
    if !faults_built_in() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn_with(dir.path(), &[("BROADSHEET_FAULT", "story")]);
    let screen = s.term.wait("the error in the reading pane", |s| {
        loaded(s) && s.contains("could not be read: a bug")
    });
    assert!(
        !screen.contains("panicked"),
        "no report over the screen:\n{screen}"
    );
    // the reader goes on: the next story is selected (and fails the same way)
    let row = |s: &str, n: usize| s.lines().nth(n).unwrap_or("").to_string();
    let second: String = row(&screen, 3).chars().skip(3).take(15).collect();
    s.term.send("j");
    s.term.wait("the second story selected", |s| {
        s.lines().next().is_some_and(|top| top.contains(&second))
    });
    s.term.send("q");
    let screen = assert_left_clean(s, Some(0));
    assert!(
        screen.contains("an internal error (the reader went on)")
            && screen.contains("a fault made on purpose (story)"),
        "told once the terminal is restored:\n{screen}"
    );
}

#[test]
fn a_panic_in_the_state_worker_is_shown_and_the_reader_goes_on() {
    if !faults_built_in() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn_with(dir.path(), &[("BROADSHEET_FAULT", "worker")]);
    s.term.wait("the error in the status line", |s| {
        loaded(s) && s.contains("an internal error (a bug)")
    });
    s.term.send("j");
    s.term.send("q");
    let screen = assert_left_clean(s, Some(0));
    assert!(
        screen.contains("a fault made on purpose (worker)"),
        "told once the terminal is restored:\n{screen}"
    );
}

#[test]
fn an_abort_restores_the_terminal_where_the_platform_allows() {
    if !faults_built_in() {
        return;
    }
    for fault in ["story-overflow", "story-abort"] {
        let dir = tempfile::tempdir().unwrap();
        let s = spawn_with(dir.path(), &[("BROADSHEET_FAULT", fault)]);
        let screen = assert_left_clean(s, None);
        assert!(
            screen.contains("aborted by an internal error"),
            "{fault}: said on the main screen:\n{screen}"
        );
    }
}

/// The faults these tests inject (`BROADSHEET_FAULT`) are read by debug builds only.
fn faults_built_in() -> bool {
    if !cfg!(debug_assertions) {
        eprintln!("skipping: BROADSHEET_FAULT is read by debug builds only");
    }
    cfg!(debug_assertions)
}

#[test]
fn a_story_written_while_the_reader_is_open_appears_and_a_removed_one_leaves() {
    let dir = tempfile::tempdir().unwrap();
    let arch = dir.path().join("news");
    std::fs::create_dir_all(&arch).unwrap();
    let story = |t: &str| {
        format!("{t}\n\nThe harbour board met on Monday and agreed the plan for the quay.\n")
    };
    std::fs::write(arch.join("a.txt"), story("Harbour board agrees quay plan")).unwrap();
    let x = spawn_on(dir.path(), &arch, &[]);
    let (t, child, master, pump) = (x.term, x.child, x.master, x.pump);
    t.wait("the list", |s| loaded(s) && s.contains("Harbour board"));
    // the reader is idle now: the folder is watched
    std::thread::sleep(Duration::from_millis(500));
    std::fs::write(arch.join("b.txt"), story("Lighthouse keeper retires")).unwrap();
    let written = Instant::now();
    let s = t.wait("the new story", |s| s.contains("Lighthouse keeper"));
    assert!(s.contains("1 new"), "the status line:\n{s}");
    eprintln!("listed {:?} after it was written", written.elapsed());
    std::fs::remove_file(arch.join("a.txt")).unwrap();
    let s = t.wait("the removed story gone", |s| !s.contains("Harbour board"));
    assert!(s.contains("Lighthouse keeper"), "{s}");
    quit(t, child, master, pump);
}

/// The reader on a folder of the bad shapes the bad-input run found (a FIFO, a link to an
/// endless device, a gzip bomb, a page of 30,000 unclosed tags, a date cut inside a
/// character, a lone surrogate in JSON, a name holding escape sequences, a name that is
/// not UTF-8) beside two good stories: the good stories are listed, the bad files said
/// in the status line, and `q` leaves the terminal clean.
#[cfg(unix)]
#[test]
fn the_reader_on_a_folder_of_bad_files_shows_the_good_stories_and_quits_clean() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let news = dir.path().join("news");
    std::fs::create_dir_all(&news).unwrap();
    let good = |title: &str| {
        format!("{title}\n\nPORT ELLIS, 28 February 2020 - The council agreed on Monday to a plan for the harbour.\n\nThe plan was set after a long debate in the chamber.\n")
    };
    std::fs::write(news.join("good-one.txt"), good("Harbour plan agreed")).unwrap();
    std::fs::write(
        news.join("good-two.md"),
        format!("# {}", good("Ferry timetable changes")),
    )
    .unwrap();
    common::endless_files(&news);
    {
        use flate2::write::GzEncoder;
        let page = "<p>All work and no play makes a dull page.</p>\n".repeat((1 << 20) / 47);
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(page.as_bytes()).unwrap();
        std::fs::write(news.join("bomb.html.gz"), e.finish().unwrap().repeat(600)).unwrap();
    }
    std::fs::write(
        news.join("deep.html"),
        format!(
            "<html><body><p>Deep page text.</p>{}</body></html>",
            "<b>x".repeat(30_000)
        ),
    )
    .unwrap();
    std::fs::write(news.join("cut.txt"), "2020-01-\u{20ac}\n\nx").unwrap();
    std::fs::write(
        news.join("surrogate.json"),
        r#"[{"title": "Lone \ud800 surrogate", "body": "A story with a broken escape in its title."}]"#,
    )
    .unwrap();
    std::fs::write(
        news.join("esc\u{1b}]0;pwned\u{7}\u{1b}[2J.txt"),
        good("Named with escapes"),
    )
    .unwrap();
    std::fs::write(
        news.join(std::ffi::OsStr::from_bytes(b"latin-\xe9t\xe9.txt")),
        good("Named in Latin-1"),
    )
    .unwrap();

    let s = spawn_on(dir.path(), &news, &[]);
    let screen = s.term.wait("the good stories", |s| {
        loaded(s) && s.contains("Harbour plan agreed") && s.contains("Ferry timetable")
    });
    for title in ["Named with escapes", "Named in Latin-1", "surrogate"] {
        assert!(screen.contains(title), "{title} listed:\n{screen}");
    }
    let mut s = s;
    s.term.send("q");
    assert_left_clean(s, Some(0));
}
