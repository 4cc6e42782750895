//! Bad inputs and mistyped options, tried the way a new user would: each is refused or
//! reported, never destroys a file, and never costs the good stories beside it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

const STORY: &str = "Harbour ferry fares to rise\n\nPORT ELLIS, 28 February 2020 - The council agreed on Monday to raise the fares of the harbour ferry from April.\n\nThe new fares were set after a long debate in the chamber.\n";

fn run(dir: &Path, args: &[&std::ffi::OsStr]) -> Output {
    let mut c = common::bin();
    c.env("BROADSHEET_STATE", dir.join("own-state.sqlite"))
        .env("BROADSHEET_INDEX", dir.join("own-index.sqlite"));
    c.args(args).output().unwrap()
}

fn os(s: &(impl AsRef<std::ffi::OsStr> + ?Sized)) -> &std::ffi::OsStr {
    s.as_ref()
}

fn archive(dir: &Path) -> PathBuf {
    let a = dir.join("news");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::write(a.join("good.txt"), STORY).unwrap();
    a
}

#[test]
fn index_and_state_options_refuse_files_that_are_not_broadsheets_own() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let news = archive(dir);
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "my notes\nline two\n".repeat(100)).unwrap();
    // a real state file and a real index, made by broadsheet
    let (state, index) = (dir.join("state.sqlite"), dir.join("index.sqlite"));
    let made = run(
        dir,
        &[
            os("list"),
            os("--json"),
            os("--state"),
            os(&state),
            os("--index"),
            os(&index),
            os(&news),
        ],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(state.exists() && index.exists());
    // every file broadsheet made checkpointed and closed: the bytes compared are final
    for (flag, file) in [
        ("--index", &notes),
        ("--state", &notes),
        ("--index", &state),
        ("--state", &index),
    ] {
        let before = std::fs::read(file).unwrap();
        let out = run(
            dir,
            &[os("list"), os("--json"), os(flag), os(file), os(&news)],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&*file.to_string_lossy()),
            "{flag} {file:?}: {err}"
        );
        assert!(err.contains("left as it is"), "{flag} {file:?}: {err}");
        assert_eq!(
            std::fs::read(file).unwrap(),
            before,
            "{flag} {file:?} changed"
        );
        for ext in ["-wal", "-shm", "-journal"] {
            let mut p = file.as_os_str().to_owned();
            p.push(ext);
            let p = PathBuf::from(p);
            assert!(
                !p.exists() || file != &notes,
                "{flag} {file:?}: {p:?} made beside it"
            );
        }
        // the good story is still listed, read from the files
        let listed = String::from_utf8_lossy(&out.stdout);
        assert!(
            listed.contains("Harbour ferry fares"),
            "{flag} {file:?}: {listed}"
        );
    }
    // broadsheet's own files still open as themselves, and an empty file is taken as new
    let empty = dir.join("empty.sqlite");
    std::fs::write(&empty, "").unwrap();
    let out = run(
        dir,
        &[
            os("list"),
            os("--json"),
            os("--state"),
            os(&state),
            os("--index"),
            os(&empty),
            os(&news),
        ],
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = run(dir, &[os("list"), os("--index"), os(&empty), os(&news)]);
    assert!(
        again.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

#[test]
fn a_date_cut_inside_a_character_is_no_date() {
    let tmp = tempfile::tempdir().unwrap();
    let news = archive(tmp.path());
    let cut = news.join("cut.txt");
    std::fs::write(&cut, "Title\n\nPosted 2020-01-\u{20ac} by the desk.\n").unwrap();
    for args in [vec![os("list"), os(&news)], vec![os("show"), os(&cut)]] {
        let out = run(tmp.path(), &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let listed = run(tmp.path(), &[os("list"), os("--no-index"), os(&news)]);
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains("Harbour ferry") && listed.contains("Title"),
        "{listed}"
    );
}

/// A gzip file of `members` copies of one packed megabyte of page: `members` MB unpacked
/// from a file of a few hundred KB (a decompression bomb, made cheaply).
fn gzip_bomb(members: usize) -> Vec<u8> {
    use std::io::Write;
    let page = "<p>All work and no play makes a dull page.</p>\n".repeat((1 << 20) / 47);
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(page.as_bytes()).unwrap();
    let one = e.finish().unwrap();
    one.repeat(members)
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_read_and_each_within_its_size() {
    let tmp = tempfile::tempdir().unwrap();
    let news = archive(tmp.path());
    // a FIFO, links to a device and to a FIFO, a socket, a link to a folder
    common::endless_files(&news);
    std::os::unix::fs::symlink(news.join("fifo.txt"), news.join("to-fifo.md")).unwrap();
    std::os::unix::fs::symlink(&news, news.join("loop.json")).unwrap();
    let _sock = std::os::unix::net::UnixListener::bind(news.join("sock.jsonl")).unwrap();
    // a link to a good story is read
    std::fs::write(
        tmp.path().join("linked.txt"),
        STORY.replace("Harbour", "Linked"),
    )
    .unwrap();
    std::os::unix::fs::symlink(tmp.path().join("linked.txt"), news.join("link.txt")).unwrap();
    // a 300 MB file (sparse: nothing written) and a 300 MB page packed in 300 KB
    let big = std::fs::File::create(news.join("big.txt")).unwrap();
    big.set_len(300 << 20).unwrap();
    std::fs::write(news.join("bomb.html.gz"), gzip_bomb(300)).unwrap();
    std::fs::write(news.join("bomb.txt.gz"), gzip_bomb(300)).unwrap();
    let story = format!("{STORY}\n{}", "A line of the story.\n\n".repeat(2 << 20));
    std::fs::write(news.join("story.txt"), story).unwrap();
    // a name that is not UTF-8, with a good story in it
    use std::os::unix::ffi::OsStrExt;
    let odd = news.join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    std::fs::write(&odd, STORY.replace("Harbour", "Odd")).unwrap();

    for args in [
        vec![os("list"), os("--no-index"), os(&news)],
        vec![os("list"), os(&news)],
        vec![os("export"), os(&news)],
    ] {
        let started = std::time::Instant::now();
        let out = run(tmp.path(), &args);
        let secs = started.elapsed().as_secs_f64();
        let err = String::from_utf8_lossy(&out.stderr);
        let listed = String::from_utf8_lossy(&out.stdout);
        assert!(secs < 30.0, "{args:?} took {secs:.1} s");
        for good in ["Harbour ferry", "Linked ferry", "Odd ferry"] {
            assert!(
                listed.contains(good),
                "{args:?}: {good} not in {listed}\n{err}"
            );
        }
        for (name, why) in [
            ("fifo.txt", "(a FIFO)"),
            ("zero.txt", "(a device)"),
            ("to-fifo.md", "(a FIFO)"),
            ("sock.jsonl", "(a socket)"),
            ("loop.json", "(a folder)"),
            ("big.txt", "300 MB is more than the 256 MB"),
            ("bomb.html.gz", "more than the 32 MB"),
            ("bomb.txt.gz", "more than the 32 MB"),
        ] {
            let line = err.lines().find(|l| l.contains(name));
            assert!(
                line.is_some_and(|l| l.contains(why)),
                "{args:?}: {name}: {line:?}\n{err}"
            );
        }
    }
    // a story too big to clean: listed from its head, refused when read whole
    let out = run(tmp.path(), &[os("export"), os(&news)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("story.txt: a story of 44 MB, more than the 32 MB"),
        "{err}"
    );
    // a named FIFO is refused too, and the status says so
    let out = run(tmp.path(), &[os("show"), os(&news.join("fifo.txt"))]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("(a FIFO)"));
}

/// A page with a paragraph of story and `body` after it.
fn page(body: &str) -> String {
    format!(
        "<html><head><title>Ferry fares</title></head><body><article><h1>Ferry fares</h1>\
         <p>The council agreed on Monday to raise the fares of the harbour ferry from April, \
         after a long debate in the chamber.</p>{body}</article></body></html>"
    )
}

/// Pages whose nesting overflowed the extractor's stack, or whose parsing was quadratic:
/// each loads (flat, with a warning) or is reported within seconds, on a thread with the
/// stack rayon's threads have.
#[test]
fn deep_and_wide_pages_load_within_seconds() {
    let attrs: String = (0..300_000).map(|i| format!(" a{i}=1")).collect();
    let shapes = [
        ("30,000 unclosed <b>", page(&"<b>x".repeat(30_000))),
        ("30,000 unclosed <em>", page(&"<em>x".repeat(30_000))),
        ("30,000 unclosed <span>", page(&"<span>x".repeat(30_000))),
        (
            "10,000 nested tables",
            page(&"<table><tr><td>x".repeat(10_000)),
        ),
        (
            "10,000 nested <div>",
            page(&("<div>x".repeat(10_000) + &"</div>".repeat(10_000))),
        ),
        (
            "100,000 unclosed <li>",
            page(&format!("<ul>{}</ul>", "<li>item".repeat(100_000))),
        ),
        (
            "100,000 unclosed <a>",
            page(&"<a href=/x>link ".repeat(100_000)),
        ),
        ("300,000 attributes", page(&format!("<p{attrs}>text</p>"))),
        (
            "</ inside a tag",
            page(&format!("<p {}>text</p>", "</".repeat(500_000))),
        ),
    ];
    for (what, html) in shapes {
        let started = std::time::Instant::now();
        let loaded = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let mut out = broadsheet::article::Loaded::default();
                broadsheet::article::load_bytes(Path::new("p.html"), html.as_bytes(), &mut out);
                out
            })
            .unwrap()
            .join()
            .unwrap();
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "{what}: {secs:.2} s, {} blocks",
            loaded.articles.first().map_or(0, |a| a.blocks.len())
        );
        assert!(secs < 10.0, "{what}: {secs:.1} s");
        let a = &loaded.articles[0];
        assert!(
            a.blocks.iter().any(|b| b.text.contains("raise the fares")),
            "{what}: {:?}",
            loaded.problems
        );
    }
}

/// Just inside the limits, the extractor runs, and its recursion fits in 2 MB of stack.
#[test]
fn pages_nested_just_within_the_limits_are_extracted() {
    let depth = broadsheet::article::shape::MAX_DEPTH - 10;
    for (what, html) in [
        (
            "divs",
            page(&("<div>x".repeat(depth) + &"</div>".repeat(depth))),
        ),
        ("b", page(&("<b>x".repeat(depth) + &"</b>".repeat(depth)))),
        ("tables", page(&"<table><tr><td>x".repeat(depth / 4))),
    ] {
        let loaded = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let mut out = broadsheet::article::Loaded::default();
                broadsheet::article::load_bytes(Path::new("p.html"), html.as_bytes(), &mut out);
                out
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(
            loaded.problems.iter().all(|p| !p.reason.contains("flat")),
            "{what}: {:?}",
            loaded.problems
        );
        assert!(loaded.articles[0].extracted, "{what}");
    }
}

/// A short paragraph repeated through a story, a little different each time: the repeat
/// passes hash what they compare, so 800 KB is cleaned in well under a second (it took
/// 10 s) and 5 MB in a few (it took over ten minutes).
#[test]
fn a_paragraph_repeated_through_a_story_is_cleaned_in_linear_time() {
    let mut text = String::from("Ferry fares to rise\n\n");
    let mut i = 0;
    while text.len() < 800_000 {
        i += 1;
        text.push_str(&format!(
            "The council met on Monday to agree the new ferry fares {i}.\n\n"
        ));
    }
    let mut out = broadsheet::article::Loaded::default();
    broadsheet::article::load_bytes(Path::new("s.txt"), text.as_bytes(), &mut out);
    let started = std::time::Instant::now();
    let stories = broadsheet::archive::clean_all(out.articles, &Default::default());
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "cleaned {} blocks in {secs:.2} s",
        stories[0].cleaned.blocks.len()
    );
    // 0.5 s optimised, 7 s in a debug build; the quadratic passes took minutes here
    assert!(secs < 30.0, "{secs:.1} s");
}

/// Escape sequences in a file name reach the terminal neither in the list nor in a
/// message; a named path that cannot be read makes the exit status 1.
#[cfg(unix)]
#[test]
fn names_are_shown_safely_and_unreadable_paths_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let news = archive(tmp.path());
    let evil = "x\u{1b}]0;pwned\u{7}\u{1b}[2J";
    std::fs::write(
        news.join(format!("{evil}.txt")),
        STORY.replace("Harbour", "Evil"),
    )
    .unwrap();
    std::fs::write(news.join(format!("{evil}.json")), "[1, 2]").unwrap();
    for args in [
        vec![os("list"), os("--no-index"), os(&news)],
        vec![os("list"), os(&news)],
        vec![os("list"), os(&news)], // from the saved listing
        vec![os("export"), os(&news)],
    ] {
        let out = run(tmp.path(), &args);
        assert!(out.status.success(), "{args:?}");
        for (what, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert!(
                !text.contains(&0x1b) && !text.contains(&0x07),
                "{args:?} {what}: {}",
                String::from_utf8_lossy(text)
            );
        }
        assert!(String::from_utf8_lossy(&out.stdout).contains("Evil ferry"));
    }
    for args in [
        vec![os("list"), os("/nonexistent"), os(&news)],
        vec![os("list"), os("--no-index"), os("/nonexistent")],
        vec![os("export"), os("/nonexistent")],
        vec![os("index"), os("/nonexistent")],
    ] {
        let out = run(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("/nonexistent"), "{args:?}: {err}");
    }
}

/// Run the binary, its peak resident memory (VmHWM, polled from /proc while it runs: the
/// high-water mark, so any read after the peak gives it) in MB; `None` off Linux.
fn run_measured(dir: &Path, args: &[&std::ffi::OsStr]) -> (Output, Option<u64>) {
    use std::io::Read;
    let mut c = common::bin();
    c.env("BROADSHEET_STATE", dir.join("own-state.sqlite"))
        .env("BROADSHEET_INDEX", dir.join("own-index.sqlite"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    // drained on threads, so a full pipe never stops the child
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        so.read_to_end(&mut v).map(|_| v).unwrap_or_default()
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        se.read_to_end(&mut v).map(|_| v).unwrap_or_default()
    });
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak: Option<u64> = None;
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            let kb = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            if let Some(kb) = kb {
                peak = Some(peak.unwrap_or(0).max(kb / 1024));
            }
        }
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let out = Output {
        status,
        stdout: out_t.join().unwrap(),
        stderr: err_t.join().unwrap(),
    };
    (out, peak.filter(|_| cfg!(target_os = "linux")))
}

/// A million one-line paragraphs in one story, in each format that splits a body into
/// paragraphs: loaded and cleaned in bounded memory (they took 850 MB, the text file 12 s
/// to clean), the paragraphs past the cap kept as one block, the file named; the good
/// story beside them loads.
#[test]
fn a_million_one_line_paragraphs_load_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let news = archive(tmp.path());
    let million = 1_000_000;
    let shapes: [(&str, String); 4] = [
        (
            "many.txt",
            format!("Many paragraphs\n\n{}", "x\n\n".repeat(million)),
        ),
        (
            "many.md",
            format!("# Many paragraphs\n\n{}", "x\n\n".repeat(million)),
        ),
        (
            "many.html",
            format!(
                "<html><head><title>Many paragraphs</title></head><body>{}</body></html>",
                "<p>x</p>".repeat(million)
            ),
        ),
        (
            "many.json",
            format!(
                "{{\"title\": \"Many paragraphs\", \"body\": [{}\"x\"]}}",
                "\"x\",".repeat(million - 1)
            ),
        ),
    ];
    for (name, text) in shapes {
        let dir = tmp.path().join(name.replace('.', "-"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(news.join("good.txt"), dir.join("good.txt")).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
        let started = std::time::Instant::now();
        let (out, peak) = run_measured(
            tmp.path(),
            &[
                os("export"),
                os("--format"),
                os("json"),
                os("--no-index"),
                os(&dir),
            ],
        );
        let secs = started.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&out.stderr);
        eprintln!("{name}: {secs:.1} s, peak {peak:?} MB; {stderr}");
        let v: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("export is JSON Lines"))
            .collect();
        let titles: Vec<&str> = v.iter().filter_map(|s| s["title"].as_str()).collect();
        assert!(
            titles.contains(&"Harbour ferry fares to rise"),
            "{name}: {titles:?}"
        );
        assert!(titles.contains(&"Many paragraphs"), "{name}: {titles:?}");
        let many = v.iter().find(|s| s["title"] == "Many paragraphs").unwrap();
        // nothing of its text is lost: every x is still there
        let xs = many.to_string().matches('x').count();
        assert!(xs >= million, "{name}: {xs} x's of {million}");
        assert!(
            stderr.contains(name) && stderr.contains("paragraphs"),
            "{name}: {stderr}"
        );
        if let Some(mb) = peak {
            assert!(mb < 500, "{name}: peak {mb} MB");
        }
        assert!(secs < 120.0, "{name}: {secs:.0} s");
    }
}

/// A JSON document of millions of values is counted before it is parsed (parsed, each
/// value took 50 to 100 bytes) and reported; the story beside it loads.
#[test]
fn a_json_document_of_millions_of_values_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let news = archive(tmp.path());
    let body = "1,".repeat(2_500_000);
    std::fs::write(
        news.join("values.json"),
        format!("{{\"title\": \"V\", \"body\": [{body}1]}}"),
    )
    .unwrap();
    let (out, peak) = run_measured(tmp.path(), &[os("list"), os("--no-index"), os(&news)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("Harbour ferry fares"), "{stdout}");
    assert!(
        stderr.contains("values.json") && stderr.contains("JSON values, more than"),
        "{stderr}"
    );
    if let Some(mb) = peak {
        assert!(mb < 200, "peak {mb} MB");
    }
}

/// `[limits]` in the config is what the loaders obey: a story file over `story_mb` is
/// skipped and named; a page whose extraction takes longer than `extract_seconds` is read
/// flat, named, and its story still shown.
#[test]
fn the_configs_limits_are_obeyed() {
    let tmp = tempfile::tempdir().unwrap();
    let news = archive(tmp.path());
    let big = format!(
        "Big story\n\n{}",
        "A sentence of the big story.\n\n".repeat(50_000)
    );
    std::fs::write(news.join("big.txt"), big).unwrap();
    // long enough that no extraction ends within the 0.1 ms the config allows, however
    // the threads are scheduled
    let long: String = (0..5000)
        .map(|i| format!("<p>Paragraph {i} of the page, told at length so it reads as one.</p>"))
        .collect();
    std::fs::write(
        news.join("page.html"),
        page(&format!("<p>The second paragraph of the page.</p>{long}")),
    )
    .unwrap();
    let cfg = tmp.path().join("config.toml");
    std::fs::write(&cfg, "[limits]\nstory_mb = 1\nextract_seconds = 0.0001\n").unwrap();
    let out = run(
        tmp.path(),
        &[
            os("export"),
            os("--config"),
            os(&cfg),
            os("--format"),
            os("json"),
            os("--no-index"),
            os(&news),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("Harbour ferry fares"), "{stdout}");
    assert!(!stdout.contains("Big story"), "{stderr}");
    assert!(
        stderr.contains("big.txt") && stderr.contains("more than the 1024 KB"),
        "{stderr}"
    );
    assert!(
        stderr.contains("page.html") && stderr.contains("the extractor took over"),
        "{stderr}"
    );
    assert!(
        stdout.contains("The second paragraph of the page."),
        "{stdout}"
    );
    // and without the config, both load as ever
    let out = run(
        tmp.path(),
        &[
            os("export"),
            os("--format"),
            os("json"),
            os("--no-index"),
            os(&news),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Big story"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("extractor took"));
}

/// Every bad shape the bad-input run found, at its real size, in one folder beside a good
/// story, through the commands that read every file whole: `export` (load and clean
/// all) and `index` (the index's refresh). Each command ends within its time, in bounded
/// memory, and has the good story.
#[cfg(unix)]
#[test]
fn a_folder_of_every_bad_shape_is_read_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let news = archive(tmp.path());
    common::endless_files(&news);
    std::fs::write(news.join("bomb.html.gz"), gzip_bomb(300)).unwrap();
    let attrs: String = (0..300_000).map(|i| format!(" a{i}=1")).collect();
    let pages = [
        ("bold.html", page(&"<b>x".repeat(30_000))),
        (
            "divs.html",
            page(&("<div>x".repeat(10_000) + &"</div>".repeat(10_000))),
        ),
        (
            "items.html",
            page(&format!("<ul>{}</ul>", "<li>item".repeat(100_000))),
        ),
        ("attrs.html", page(&format!("<p{attrs}>text</p>"))),
        (
            "slashes.html",
            page(&format!("<p {}>text</p>", "</".repeat(500_000))),
        ),
    ];
    for (name, html) in pages {
        std::fs::write(news.join(name), html).unwrap();
    }
    let mut repeated = String::from("Ferry fares again\n\n");
    while repeated.len() < 800_000 {
        repeated.push_str("The council met on Monday to agree the new ferry fares.\n\n");
    }
    std::fs::write(news.join("repeated.txt"), repeated).unwrap();
    std::fs::write(
        news.join("bad-lines.jsonl"),
        "{\"title\": \"x\"\n".repeat(4_000_000),
    )
    .unwrap();
    std::fs::write(news.join("cut.txt"), "2020-01-\u{20ac}\n\nx").unwrap();
    for args in [
        vec![
            os("export"),
            os("--format"),
            os("json"),
            os("--no-index"),
            os(&news),
        ],
        vec![os("index"), os(&news)],
    ] {
        let started = std::time::Instant::now();
        let (out, peak) = run_measured(tmp.path(), &args);
        let secs = started.elapsed().as_secs_f64();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        eprintln!("{:?}: {secs:.1} s, peak {peak:?} MB", args[0]);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        if let Some(mb) = peak {
            assert!(mb < 500, "{args:?}: peak {mb} MB");
        }
        assert!(secs < 240.0, "{args:?}: {secs:.0} s");
        for named in ["fifo.txt", "zero.txt", "bomb.html.gz", "bad-lines.jsonl"] {
            assert!(
                stderr.contains(named),
                "{args:?}: {named} not named:\n{stderr}"
            );
        }
        if args[0] == "export" {
            assert!(stdout.contains("Harbour ferry fares to rise"), "{stderr}");
        }
    }
    // the index has the good story
    let out = run(tmp.path(), &[os("list"), os(&news)]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Harbour ferry fares to rise"));
}
