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

fn os<'a>(s: &'a (impl AsRef<std::ffi::OsStr> + ?Sized)) -> &'a std::ffi::OsStr {
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
