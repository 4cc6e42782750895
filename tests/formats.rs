//! Every stored format through the binary: `tests/fixtures/formats/` holds a good file
//! of each kind and malformed ones (bad front matter, invalid JSON, a broken JSON line,
//! truncated gzip, binary junk). The good ones load; each bad one is reported once on
//! stderr with its path, place and reason; nothing panics and the exit status is 0.

mod common;

use serde_json::Value;
use std::path::Path;

fn fixtures() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/formats"
    ))
}

fn export() -> (Vec<Value>, String) {
    let out = common::bin()
        .args(["export", "--format", "json"])
        .arg(fixtures())
        .output()
        .expect("run broadsheet");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "export failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let stories = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    (stories, stderr)
}

fn by_title<'a>(stories: &'a [Value], title: &str) -> &'a Value {
    stories
        .iter()
        .find(|s| s["title"] == title)
        .unwrap_or_else(|| panic!("no story titled {title:?} in {stories:#?}"))
}

fn body(s: &Value) -> Vec<&str> {
    s["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect()
}

#[test]
fn good_files_of_every_format_load() {
    let (stories, _) = export();
    let titles: Vec<&str> = stories
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    for t in [
        "Quay lights switched on",
        "Bridge inspection finds no damage",
        "Kelby pier repainted",
        "Good item",
        "Line one story",
        "Line three story",
        "Ferry timetable changes",
    ] {
        assert!(titles.contains(&t), "{t:?} missing from {titles:?}");
    }
    // the saved page and its gzip copy both load
    assert_eq!(
        titles
            .iter()
            .filter(|t| **t == "Ferry timetable changes")
            .count(),
        2
    );
    assert_eq!(stories.len(), 8, "{titles:?}");
    for s in &stories {
        let path = s["path"].as_str().unwrap();
        assert!(Path::new(path).file_name().is_some(), "{path}");
        assert!(path.contains("fixtures/formats/"), "{path}");
    }
}

#[test]
fn metadata_of_each_format() {
    let (stories, _) = export();
    let md = by_title(&stories, "Quay lights switched on");
    assert_eq!(md["source"], "The Harbour Times");
    assert_eq!(md["date"], "2020-03-09");
    assert_eq!(md["authors"][0], "Maren Holt");
    assert!(md["path"].as_str().unwrap().ends_with("toml_front.md"));
    let b = body(md);
    assert!(b.contains(&"Why now"), "{b:?}");
    assert!(
        b.iter()
            .any(|p| p.contains("- safer footing\n- fewer trips")),
        "{b:?}"
    );

    let y = by_title(&stories, "Bridge inspection finds no damage");
    assert_eq!(y["source"], "Valley Courier");
    assert_eq!(y["date"], "2020-03-09");
    assert_eq!(
        y["authors"],
        serde_json::json!(["Tom Ashby", "Priya Nandakumar"])
    );

    let j = by_title(&stories, "Kelby pier repainted");
    assert_eq!(j["date"], "2020-03-10");
    assert_eq!(j["source"], "Northern Ledger");
    assert_eq!(
        body(j),
        vec![
            "The pier at Kelby has been repainted.",
            "It took six weeks."
        ]
    );

    let l = by_title(&stories, "Line one story");
    assert!(l["path"].as_str().unwrap().ends_with("stories.jsonl"));
    assert_eq!(body(l), vec!["Alpha paragraph.", "Beta paragraph."]);

    let h = stories
        .iter()
        .find(|s| s["path"].as_str().unwrap().ends_with("page.html.gz"))
        .unwrap();
    assert_eq!(h["title"], "Ferry timetable changes");
    assert_eq!(h["source"], "The Harbour Times");
    assert_eq!(h["date"], "2020-03-11");
    let b = body(h);
    assert!(b.iter().any(|p| p.starts_with("The first ferry")), "{b:?}");
    assert!(b.contains(&"Evening sailings"), "{b:?}");
    assert!(!b.iter().any(|p| p.contains("Home")), "{b:?}");
}

#[test]
fn every_malformed_file_is_reported_with_place_and_reason() {
    let (_, stderr) = export();
    let expect = [
        ("bad_toml.md:line ", "TOML"),
        ("unclosed_yaml.md:line 1", "never closed"),
        ("invalid.json:line 3, column ", "invalid JSON"),
        ("mixed.json:item 2", "found a number"),
        ("mixed.json:item 3", "no article text"),
        ("stories.jsonl:line 2, column ", "invalid JSON"),
        ("stories.jsonl:line 4", "found a string"),
        ("truncated.html.gz:unpacked byte ", "truncated gzip"),
        ("not_gzip.htm.gz:byte 0", "not a gzip file"),
        ("junk.html", "binary"),
        ("junk.json", "binary"),
        ("empty.jsonl", "empty"),
    ];
    for (place, reason) in expect {
        let line = stderr
            .lines()
            .find(|l| l.contains(place))
            .unwrap_or_else(|| panic!("no report for {place:?} in:\n{stderr}"));
        assert!(line.contains(reason), "{line:?} should say {reason:?}");
        assert_eq!(
            stderr.lines().filter(|l| l.contains(place)).count(),
            1,
            "{place:?} reported more than once:\n{stderr}"
        );
    }
    assert_eq!(stderr.lines().count(), expect.len(), "{stderr}");
}

#[test]
fn a_known_extension_with_bad_content_fails_show() {
    let out = common::bin()
        .arg("show")
        .arg(fixtures().join("invalid.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid.json") && err.contains("invalid JSON"),
        "{err}"
    );
}

#[test]
fn samples_in_every_format_load_without_problems() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/articles"));
    let out = common::bin()
        .args(["list", "--json"])
        .arg(dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && err.is_empty(), "{err}");
    let listed: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for ext in [".md", ".json", ".jsonl", ".html", ".html.gz"] {
        assert!(
            listed
                .iter()
                .any(|s| s["path"].as_str().unwrap().ends_with(ext)),
            "no sample ending {ext}"
        );
    }
    for s in listed
        .iter()
        .filter(|s| !s["path"].as_str().unwrap().ends_with(".txt"))
    {
        assert!(s["source"].is_string(), "no source: {s}");
        assert!(s["date"].is_string(), "no date: {s}");
    }
}
