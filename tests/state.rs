//! The reading state: it survives restarts, a process killed at any moment, a moved
//! archive folder, a renamed file and a deleted index.

mod common;

use broadsheet::archive::{scan, Key, Store, StoryId};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const STORIES: [(&str, &str); 3] = [
    (
        "a_ferry.txt",
        "Harbour ferry fares to rise in spring\n\nFerry fares across the harbour will rise by ten per cent from April, the transport board said on Friday.\n\nThe board said the increase was the first in four years and would pay for two new boats.\n",
    ),
    (
        "b_library.txt",
        "Council approves new library for Marden\n\nThe council voted on Tuesday to build a new library on the site of the old market hall.\n\nWork is due to start next year and the library should open in the spring of the year after.\n",
    ),
    (
        "c_storm.txt",
        "Storm closes the coast road for a second day\n\nThe coast road between Gull Point and Lyle stayed shut on Sunday as high seas threw stones onto the carriageway.\n\nEngineers said they would inspect the sea wall once the wind had dropped.\n",
    ),
];

fn write_archive(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in STORIES {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// `broadsheet list --json` with the state and index in `tmp`, as JSON values.
fn list_json(tmp: &Path, dir: &Path) -> Vec<serde_json::Value> {
    let out = common::bin()
        .env("BROADSHEET_STATE", tmp.join("never-state.sqlite"))
        .env("BROADSHEET_INDEX", tmp.join("never-index.sqlite"))
        .arg("list")
        .arg("--json")
        .arg("--state")
        .arg(tmp.join("state.sqlite"))
        .arg("--index")
        .arg(tmp.join("index.sqlite"))
        .arg(dir)
        .output()
        .unwrap();
    common::json_lines(out, "list")
}

fn flags(v: &[serde_json::Value], title_start: &str) -> (bool, bool) {
    let s = v
        .iter()
        .find(|s| s["title"].as_str().unwrap().starts_with(title_start))
        .unwrap_or_else(|| panic!("no story {title_start:?} in {v:?}"));
    (
        s["read"].as_bool().unwrap(),
        s["starred"].as_bool().unwrap(),
    )
}

#[test]
fn state_survives_restart_move_rename_and_reindex() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    write_archive(&dir);
    let before = list_json(tmp.path(), &dir);
    assert_eq!(before.len(), 3);
    assert_eq!(flags(&before, "Harbour"), (false, false));

    // the reader's actions, through the library
    {
        let (entries, _) = scan::scan(std::slice::from_ref(&dir));
        let mut store = Store::open(&tmp.path().join("state.sqlite")).unwrap();
        let ferry = entries
            .iter()
            .find(|e| e.title().starts_with("Harbour"))
            .unwrap();
        let storm = entries
            .iter()
            .find(|e| e.title().starts_with("Storm"))
            .unwrap();
        store.set_read(ferry.key(), true).unwrap();
        assert!(store.toggle_star(storm.key()).unwrap());
        store.set_scroll(storm.key(), 1).unwrap();
        store.set_last_selection(storm.id).unwrap();
    }
    // a restart: a new process sees it
    let v = list_json(tmp.path(), &dir);
    assert_eq!(flags(&v, "Harbour"), (true, false));
    assert_eq!(flags(&v, "Storm"), (false, true));
    assert_eq!(flags(&v, "Council"), (false, false));

    // move the folder, rename a file
    let moved = tmp.path().join("elsewhere/news");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&dir, &moved).unwrap();
    std::fs::rename(moved.join("c_storm.txt"), moved.join("zz_renamed.txt")).unwrap();
    let v = list_json(tmp.path(), &moved);
    assert_eq!(flags(&v, "Harbour"), (true, false));
    assert_eq!(flags(&v, "Storm"), (false, true));
    let storm = v
        .iter()
        .find(|s| s["title"].as_str().unwrap().starts_with("Storm"))
        .unwrap();
    assert!(storm["path"].as_str().unwrap().ends_with("zz_renamed.txt"));

    // the index is deleted: nothing is lost
    for f in std::fs::read_dir(tmp.path()).unwrap() {
        let p = f.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("index.sqlite")
        {
            std::fs::remove_file(p).unwrap();
        }
    }
    let v = list_json(tmp.path(), &moved);
    assert_eq!(flags(&v, "Harbour"), (true, false));
    assert_eq!(flags(&v, "Storm"), (false, true));

    let store = Store::open(&tmp.path().join("state.sqlite")).unwrap();
    let id: StoryId = storm["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(store.scroll(id), Some(1));
    assert_eq!(store.last_selection(), Some(id));
    assert!(!tmp.path().join("never-state.sqlite").exists());
}

// ---- killed at any moment ----

const CHILD_DB: &str = "BROADSHEET_TEST_CHILD_DB";
const CHILD_START: &str = "BROADSHEET_TEST_CHILD_START";

fn action_key(i: i64) -> (StoryId, PathBuf) {
    (
        StoryId((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
        PathBuf::from(format!("/nowhere/story-{i}.txt")),
    )
}

/// Not a test on its own: the writer that `killed_writer_never_corrupts_state` runs in a
/// child process (this same test binary) and kills. Without the variables it does nothing.
#[test]
fn child_writer() {
    let (Some(db), Some(start)) = (std::env::var_os(CHILD_DB), std::env::var_os(CHILD_START))
    else {
        return;
    };
    let start: i64 = start.to_str().unwrap().parse().unwrap();
    let mut store = Store::open(Path::new(&db)).unwrap();
    let mut out = std::io::stdout().lock();
    for i in start.. {
        let (id, path) = action_key(i);
        let key = Key {
            id,
            path: &path,
            index_in_file: 0,
        };
        store.set_read(key, true).unwrap();
        store.set_scroll(key, (i % 1000) as u32).unwrap();
        store.set_starred(key, i % 3 == 0).unwrap();
        store.set_last_selection(id).unwrap();
        writeln!(out, "ack {i}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn killed_writer_never_corrupts_state() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("state.sqlite");
    let exe = std::env::current_exe().unwrap();
    let mut next: i64 = 0;
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    for round in 0..12 {
        let mut child = Command::new(&exe)
            .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
            .env(CHILD_DB, &db)
            .env(CHILD_START, next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let acked = Arc::new(AtomicI64::new(next - 1));
        let reader = {
            let acked = acked.clone();
            let stdout = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if let Some(n) = line.strip_prefix("ack ") {
                        acked.store(n.trim().parse().unwrap(), Ordering::SeqCst);
                    }
                }
            })
        };
        // let it write a little, then kill it at a moment that varies
        let t0 = Instant::now();
        while acked.load(Ordering::SeqCst) < next + 3 && t0.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(1));
        }
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_micros((seed >> 33) % 40_000));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        let last = acked.load(Ordering::SeqCst);
        assert!(last >= next, "round {round}: the writer never wrote");

        let store = Store::open(&db).unwrap();
        store.check().unwrap();
        for i in 0..=last {
            let (id, _) = action_key(i);
            assert!(
                store.is_read(id),
                "round {round}: action {i} (acknowledged) lost"
            );
            assert_eq!(store.scroll(id), Some((i % 1000) as u32), "action {i}");
            assert_eq!(store.is_starred(id), i % 3 == 0, "action {i}");
        }
        // the one in flight may or may not have landed; nothing after it did
        for i in last + 2..last + 5 {
            assert!(!store.is_read(action_key(i).0));
        }
        let sel = store.last_selection().unwrap();
        assert!(sel == action_key(last).0 || sel == action_key(last + 1).0);
        next = last + 1;
    }
}
