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

#[test]
fn explain_uses_the_folder_as_evidence() {
    // a related headline in one sample story is another sample story's title: explain
    // cleans the file with its folder's evidence, as the reader does, and says so
    let out = common::bin()
        .arg("explain")
        .arg(articles().join("003_gull-point-lighthouse.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("the title of another story"), "{text}");
}

#[test]
fn a_reopened_list_is_never_silently_out_of_date() {
    let dir = tempfile::tempdir().unwrap();
    let arch = dir.path().join("news");
    std::fs::create_dir_all(arch.join("sub")).unwrap();
    let story = |t: &str| format!("{t}\n\nThe council met on Monday and agreed the plan.\n");
    std::fs::write(arch.join("a.txt"), story("First title")).unwrap();
    std::fs::write(arch.join("sub/b.txt"), story("Second title")).unwrap();
    // folders changed a moment ago are not trusted: these look settled
    let settle = || {
        for d in [arch.join("sub"), arch.clone()] {
            let t = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
            std::fs::File::open(&d).unwrap().set_modified(t).unwrap();
        }
    };
    settle();
    let index = dir.path().join("index.sqlite");
    let list = || {
        let out = common::bin()
            .arg("--index")
            .arg(&index)
            .arg("list")
            .arg(&arch)
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (text(out.stdout), text(out.stderr))
    };
    let (first, _) = list(); // no index yet: from the files, and no index built
    assert_eq!(list().0, first);
    let built = common::bin()
        .arg("--index")
        .arg(&index)
        .arg("index")
        .arg(&arch)
        .output()
        .unwrap();
    assert!(built.status.success());
    assert_eq!(list().0, first); // the saved list at once
    assert_eq!(list().0, first);
    assert!(first.contains("First title") && first.contains("Second title"));

    // changed in place: the list shown may be the old one, but it says so
    std::fs::write(arch.join("sub/b.txt"), story("Second title, longer now")).unwrap();
    let (shown, err) = list();
    assert!(!shown.contains("longer now"), "{shown}");
    assert!(
        err.contains("out of date") && err.contains("b.txt"),
        "{err}"
    );
    assert!(list().0.contains("Second title, longer now"));

    // added: the folder's time changed, so what the index holds is shown, then checked,
    // and said to be out of date
    std::fs::write(arch.join("sub/c.txt"), story("Third title")).unwrap();
    let (shown, err) = list();
    assert!(!shown.contains("Third title"), "{shown}");
    assert!(
        err.contains("out of date") && err.contains("1 file(s) added"),
        "{err}"
    );
    assert!(list().0.contains("Third title"));
    settle();
    list();
    std::fs::remove_file(arch.join("a.txt")).unwrap();
    let (shown, err) = list();
    assert!(
        !shown.contains("First title") || err.contains("1 removed"),
        "{err}"
    );
    assert!(!list().0.contains("First title"));
}

/// Another model file (the training's cross-validation names one per fold): used when it
/// is a model, and a clear one-line error, before any story is cleaned, when it is not.
#[test]
fn another_model_file_is_used_or_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = articles().join("009_rural-bus-routes.txt");
    let export = |model: Option<&Path>| {
        let mut cmd = common::bin();
        cmd.args(["export", "--format", "json", "--no-index"])
            .arg(&file);
        if let Some(m) = model {
            cmd.env("BROADSHEET_MODEL", m);
        }
        cmd.output().unwrap()
    };
    let shipped = export(None);
    assert!(shipped.status.success());
    // the shipped model, named: the same export
    let same = dir.path().join("same.json");
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/clean/model.json"))
            .unwrap();
    std::fs::write(&same, &text).unwrap();
    assert_eq!(export(Some(&same)).stdout, shipped.stdout);
    // a model that hides whatever the rules show (every block reads below 1.0): the
    // guard still keeps the story's first sentence, but more is hidden
    let mut m: serde_json::Value = serde_json::from_str(&text).unwrap();
    m["hide_below"] = serde_json::json!(0.999);
    m["show_from"] = serde_json::json!(0.9995);
    let eager = dir.path().join("eager.json");
    std::fs::write(&eager, m.to_string()).unwrap();
    let out = export(Some(&eager));
    assert!(out.status.success());
    let shown = |o: &std::process::Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["body"].as_array().unwrap().len()
    };
    assert!(
        shown(&out) < shown(&shipped),
        "{} vs {}",
        shown(&out),
        shown(&shipped)
    );
    // not a model, or no file: exit 1, one line naming the variable and the file
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"x\": 1}").unwrap();
    for path in [bad, dir.path().join("none.json")] {
        let out = export(Some(&path));
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("BROADSHEET_MODEL=") && err.contains(&*path.to_string_lossy()),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
}

/// A file that cannot be read is told of once a command, also when another file changed
/// in place and the index is brought up to date after the answer (the refresh gives every
/// problem under the paths again).
#[test]
fn a_problem_is_told_once_when_the_index_is_updated() {
    let dir = tempfile::tempdir().unwrap();
    let arch = dir.path().join("news");
    std::fs::create_dir_all(&arch).unwrap();
    let story = |t: &str| format!("{t}\n\nThe council met on Monday and agreed the plan.\n");
    std::fs::write(arch.join("a.txt"), story("First title")).unwrap();
    std::fs::write(arch.join("bad.json"), "{\"title\": \"Broken\", \"text\": ").unwrap();
    // a folder changed a moment ago is not trusted: this one looks settled
    let t = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    std::fs::File::open(&arch).unwrap().set_modified(t).unwrap();
    let index = dir.path().join("index.sqlite");
    let run = |args: &[&str]| {
        let out = common::bin()
            .arg("--index")
            .arg(&index)
            .args(args)
            .arg(&arch)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let told = |err: &str| err.lines().filter(|l| l.contains("bad.json")).count();
    assert_eq!(told(&run(&["index"])), 1);
    let mut title = String::from("First title");
    for args in [&["list"][..], &["search", "council"], &["list", "--json"]] {
        // changed in place (the folder's time stays): printed from the saved listing,
        // then the file read again
        title.push_str(", longer");
        std::fs::write(arch.join("a.txt"), story(&title)).unwrap();
        let err = run(args);
        assert!(err.contains("out of date"), "{args:?}: {err}");
        assert_eq!(told(&err), 1, "{args:?}: {err}");
    }
}
