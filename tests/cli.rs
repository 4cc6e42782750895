//! The command line's contract: exit statuses, one-line errors naming the file, global
//! options before or after the subcommand.

mod common;

use std::path::Path;

fn articles() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")
}

#[test]
fn usage_error_exits_2() {
    let out = common::bin()
        .args(["export", "--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn missing_file_exits_1_naming_it() {
    let out = common::bin()
        .args(["show", "no/such/story.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no/such/story.txt"), "{err}");
}

#[test]
fn no_clean_works_before_and_after_the_subcommand() {
    let file = articles().join("001_harbour-ferry-fares.txt");
    for args in [vec!["--no-clean", "export"], vec!["export", "--no-clean"]] {
        let out = common::bin().args(&args).arg(&file).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            v["hidden"].as_array().unwrap().is_empty(),
            "{args:?} hid blocks"
        );
    }
    let cleaned = common::export_json(&[&file]);
    assert!(!cleaned[0]["hidden"].as_array().unwrap().is_empty());
}

#[test]
fn list_json_has_path_title_source_date() {
    let out = common::bin()
        .args(["list", "--json"])
        .arg(articles())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    for k in ["path", "title", "source", "date"] {
        assert!(first.get(k).is_some(), "missing {k}: {first}");
    }
}
