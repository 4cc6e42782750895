//! Saved-page quality gates: the news-sh and news-wcxb-dev pages (`html/*.html.gz`)
//! exported as a folder, cleaned as usual, and scored with `score.py html` (word 4-gram
//! F1 against the benchmark's ground truth). The figure is printed; the test fails
//! below the floor. Skips with a message when ../shared is absent; fails under CI.

mod common;

fn gate(corpus: &str, min_f1: f64) {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = shared.join("corpus").join(corpus).join("html");
    let fig = common::score(&shared, "html", &dir.join("ground-truth.json"), &[&dir]);
    println!("{corpus}/html: {fig}");
    let f1 = fig["f1"].as_f64().unwrap();
    assert!(
        f1 >= min_f1,
        "{corpus}/html: F1 {f1} below {min_f1} ({fig})"
    );
}

#[test]
fn news_sh_html_quality() {
    gate("news-sh", NEWS_SH_FLOOR);
}

/// 779 pages: about two minutes in a debug build, so run on demand:
/// `cargo test --release --test html_quality -- --ignored`.
#[test]
#[ignore = "slow in debug builds; run with --release -- --ignored"]
fn news_wcxb_dev_html_quality() {
    gate("news-wcxb-dev", NEWS_WCXB_DEV_FLOOR);
}

/// The words of a text in lower case, everything else a space (as `score.py` reads them).
fn plain_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Per page (by file name without its extensions), the words the export shows.
fn shown_words(lines: &[serde_json::Value]) -> std::collections::HashMap<String, String> {
    lines
        .iter()
        .map(|o| {
            let path = o["path"].as_str().unwrap_or_default();
            let name = path.rsplit('/').next().unwrap_or(path);
            let key = name.split('.').next().unwrap_or(name).to_string();
            let body: Vec<&str> = o["body"]
                .as_array()
                .map(|b| b.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            (key, format!(" {} ", plain_words(&body.join(" ")).join(" ")))
        })
        .collect()
}

/// Never lose the story, on saved pages: the cleaning hides the story's first sentence
/// (the ground truth's, its first twelve words) on at most one page where the page's text
/// as extracted (`--no-clean`) shows it.
#[test]
fn news_sh_pages_keep_the_first_sentence_the_extraction_found() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = shared.join("corpus/news-sh/html");
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("ground-truth.json")).expect("ground truth"),
    )
    .expect("ground truth is JSON");
    let export = |clean: bool| {
        let mut c = common::bin();
        c.args(["export", "--format", "json", "--no-index"]);
        if !clean {
            c.arg("--no-clean");
        }
        shown_words(&common::json_lines(c.arg(&dir).output().unwrap(), "export"))
    };
    let (raw, cleaned) = (export(false), export(true));
    let mut lost = Vec::new();
    for (key, page) in truth.as_object().expect("pages by key") {
        let body = page["articleBody"].as_str().unwrap_or_default().trim();
        let end = body
            .char_indices()
            .find(|&(i, c)| {
                matches!(c, '.' | '!' | '?') && body[i + 1..].starts_with(char::is_whitespace)
            })
            .map_or(body.len(), |(i, _)| i + 1);
        let first = plain_words(&body[..end]);
        if first.is_empty() {
            continue;
        }
        let want = format!(" {} ", first[..first.len().min(12)].join(" "));
        let has = |m: &std::collections::HashMap<String, String>| {
            m.get(key).is_some_and(|t| t.contains(&want))
        };
        if has(&raw) && !has(&cleaned) {
            lost.push(key.clone());
        }
    }
    println!(
        "news-sh/html: the first sentence hidden by the cleaning on {} of {} pages",
        lost.len(),
        truth.as_object().map_or(0, |o| o.len())
    );
    assert!(lost.len() <= 1, "first sentence hidden on {lost:?}");
}

/// Slightly below the measured figures (see README, "Saved pages"): 0.972 and 0.920.
const NEWS_SH_FLOOR: f64 = 0.967;
const NEWS_WCXB_DEV_FLOOR: f64 = 0.915;
