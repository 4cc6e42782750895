//! `broadsheet search`: ranked (title above body), snippets, and an index that follows
//! the archive as files change, appear and go.

mod common;

use std::path::Path;

fn story(title: &str, paras: &[&str]) -> String {
    let mut s = format!("{title}\n");
    for p in paras {
        s.push('\n');
        s.push_str(p);
        s.push('\n');
    }
    s
}

const FILLER: &str = "The committee met for three hours on Monday evening and heard from residents, traders and the harbour master before it adjourned until the following week.";

/// A search, as a user runs it twice after a change: the first answers from the index at
/// once and, when that was out of date, says so on stderr (and updates the index); the
/// second is right.
fn search(tmp: &Path, dir: &Path, query: &str) -> Vec<serde_json::Value> {
    let (first, err) = search_once(tmp, dir, query);
    let second = search_once(tmp, dir, query).0;
    assert!(
        first == second || err.contains("out of date"),
        "results changed without a word: {err}"
    );
    second
}

fn search_once(tmp: &Path, dir: &Path, query: &str) -> (Vec<serde_json::Value>, String) {
    let out = common::bin()
        .env("BROADSHEET_STATE", tmp.join("never-state.sqlite"))
        .env("BROADSHEET_INDEX", tmp.join("never-index.sqlite"))
        .args(["search", query, "--json"])
        .arg(dir)
        .arg("--state")
        .arg(tmp.join("state.sqlite"))
        .arg("--index")
        .arg(tmp.join("index.sqlite"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (common::json_lines(out, "search"), err)
}

fn titles(hits: &[serde_json::Value]) -> Vec<&str> {
    hits.iter().map(|h| h["title"].as_str().unwrap()).collect()
}

#[test]
fn title_match_ranks_above_one_body_mention() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a");
    std::fs::create_dir_all(&dir).unwrap();
    // the body mention comes first in path order, so ranking must do the work
    std::fs::write(
        dir.join("1_body.txt"),
        story(
            "Council budget passes after a long night",
            &[
                FILLER,
                "Among the smaller items, the lighthouse at Gull Point will be repainted next summer at a cost the council described as modest.",
                FILLER,
            ],
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("2_title.txt"),
        story(
            "Lighthouse keeper retires after forty years",
            &[
                "The keeper, who started at the age of nineteen, said on Friday that she would miss the sea more than the work.",
                FILLER,
            ],
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("3_none.txt"),
        story("Ferry fares to rise in spring", &[FILLER, FILLER]),
    )
    .unwrap();

    let hits = search(tmp.path(), &dir, "lighthouse");
    assert_eq!(
        titles(&hits),
        [
            "Lighthouse keeper retires after forty years",
            "Council budget passes after a long night"
        ]
    );
    assert!(hits[0]["score"].as_f64().unwrap() > hits[1]["score"].as_f64().unwrap());
    // the snippet shows the body around the match, the match marked
    let snip = hits[1]["snippet"].as_str().unwrap();
    let m = &hits[1]["marks"][0];
    let (a, b) = (
        m[0].as_u64().unwrap() as usize,
        m[1].as_u64().unwrap() as usize,
    );
    assert_eq!(snip[a..b].to_lowercase(), "lighthouse");
    assert!(hits[0]["path"].as_str().unwrap().ends_with("2_title.txt"));
    assert_eq!(hits[0]["read"], false);

    // punctuation is text, not query syntax; nothing found is not an error
    assert!(search(tmp.path(), &dir, "keeper (retires) -forty").len() == 1);
    assert!(search(tmp.path(), &dir, "zzqx").is_empty());
    assert!(!tmp.path().join("never-index.sqlite").exists());
}

#[test]
fn index_follows_changed_added_and_removed_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a");
    std::fs::create_dir_all(&dir).unwrap();
    let first = dir.join("one.txt");
    std::fs::write(
        &first,
        story("Swing bridge reopens to traffic", &[FILLER, FILLER]),
    )
    .unwrap();
    assert_eq!(search(tmp.path(), &dir, "bridge").len(), 1);
    assert!(search(tmp.path(), &dir, "tramway").is_empty());

    // changed in place (the size changes with it)
    std::fs::write(
        &first,
        story(
            "Swing bridge reopens to traffic",
            &[
                FILLER,
                "A tramway across the bridge is planned for the following decade, the engineers said.",
            ],
        ),
    )
    .unwrap();
    assert_eq!(search(tmp.path(), &dir, "tramway").len(), 1);

    // a new file, then the first one removed
    std::fs::write(
        dir.join("two.txt"),
        story("Tramway extension gets the go-ahead", &[FILLER]),
    )
    .unwrap();
    assert_eq!(search(tmp.path(), &dir, "tramway").len(), 2);
    std::fs::remove_file(&first).unwrap();
    let hits = search(tmp.path(), &dir, "tramway");
    assert_eq!(titles(&hits), ["Tramway extension gets the go-ahead"]);
    assert!(search(tmp.path(), &dir, "bridge").is_empty());
}

#[test]
fn a_damaged_index_is_moved_aside_and_built_again() {
    // damaged in its schema (found on opening), then in its data (found by a query)
    for from in [100, 4096] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("one.txt"),
            story("Swing bridge reopens to traffic", &[FILLER, FILLER]),
        )
        .unwrap();
        assert_eq!(search_once(tmp.path(), &dir, "bridge").0.len(), 1);
        let index = tmp.path().join("index.sqlite");
        let mut bytes = std::fs::read(&index).unwrap();
        assert!(bytes.len() > 8192, "{}", bytes.len());
        for b in &mut bytes[from..] {
            *b = 0xA5;
        }
        std::fs::write(&index, &bytes).unwrap();
        let (hits, err) = search_once(tmp.path(), &dir, "bridge");
        assert_eq!(hits.len(), 1, "from {from}: {err}");
        let said: Vec<&str> = err.lines().filter(|l| l.contains("damaged")).collect();
        assert_eq!(said.len(), 1, "from {from}: {err}");
        let aside: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("index.sqlite.damaged-")
            })
            .collect();
        assert_eq!(aside.len(), 1, "from {from}");
        let kept = std::fs::metadata(aside[0].path()).unwrap().len();
        assert!(kept >= bytes.len() as u64, "from {from}: {kept}");
        // and the new one answers from now on, quietly
        let (hits, err) = search_once(tmp.path(), &dir, "bridge");
        assert_eq!(hits.len(), 1);
        assert!(!err.contains("damaged"), "{err}");
    }
}

#[test]
fn a_file_that_is_not_an_index_is_never_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("one.txt"),
        story("Swing bridge reopens", &[FILLER]),
    )
    .unwrap();
    let notes = tmp.path().join("notes.txt");
    let text = "my notes, not an index\n".repeat(300);
    std::fs::write(&notes, &text).unwrap();
    let out = common::bin()
        .args(["search", "bridge"])
        .arg(&dir)
        .arg("--state")
        .arg(tmp.path().join("state.sqlite"))
        .arg("--index")
        .arg(&notes)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("notes.txt"));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), text);
}

#[test]
fn empty_query_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = common::bin()
        .args(["search", " - "])
        .arg(tmp.path())
        .arg("--state")
        .arg(tmp.path().join("s.sqlite"))
        .arg("--index")
        .arg(tmp.path().join("i.sqlite"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to search for"));
}

#[test]
fn search_keeps_to_the_paths_given() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("ab"));
    for (dir, title) in [
        (&a, "Lighthouse in folder a"),
        (&b, "Lighthouse in folder ab"),
    ] {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("s.txt"), story(title, &[FILLER])).unwrap();
    }
    // both folders in one index, then each searched alone
    assert_eq!(search(tmp.path(), &b, "lighthouse").len(), 1);
    assert_eq!(
        titles(&search(tmp.path(), &a, "lighthouse")),
        ["Lighthouse in folder a"]
    );
    assert_eq!(
        titles(&search(tmp.path(), &b, "lighthouse")),
        ["Lighthouse in folder ab"]
    );
}
