//! Our own sample archive (`articles/`), labelled by the team in
//! `tests/fixtures/articles_labels.jsonl`: every story paragraph must be shown, nearly
//! all clutter hidden, and the source found where the text states it. The folder is
//! cleaned as a whole, as the reader does, so archive-wide evidence is used.

mod common;

use std::path::Path;

/// Each labelled paragraph's decision (true: shown), recovered by merging the exported
/// body and hidden lists back into file order.
fn decisions(labels: &[(String, bool)], body: &[String], hidden: &[String]) -> Option<Vec<bool>> {
    fn go(
        i: usize,
        b: usize,
        h: usize,
        labels: &[(String, bool)],
        body: &[String],
        hidden: &[String],
        out: &mut Vec<bool>,
    ) -> bool {
        if i == labels.len() {
            return b == body.len() && h == hidden.len();
        }
        let t = labels[i].0.trim();
        for shown in [labels[i].1, !labels[i].1] {
            let (list, at) = if shown { (body, b) } else { (hidden, h) };
            if list.get(at).is_some_and(|x| x.trim() == t) {
                out.push(shown);
                let (nb, nh) = if shown { (b + 1, h) } else { (b, h + 1) };
                if go(i + 1, nb, nh, labels, body, hidden, out) {
                    return true;
                }
                out.pop();
            }
        }
        false
    }
    let mut out = Vec::new();
    go(0, 0, 0, labels, body, hidden, &mut out).then_some(out)
}

#[test]
fn sample_articles_read_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let labels_text =
        std::fs::read_to_string(root.join("tests/fixtures/articles_labels.jsonl")).unwrap();
    let got = common::export_json(&[&root.join("articles")]);
    let (mut body, mut body_shown, mut boiler, mut boiler_hidden) = (0, 0, 0, 0);
    let mut sources_wrong = Vec::new();
    for line in labels_text.lines().filter(|l| !l.trim().is_empty()) {
        let want: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = want["file"].as_str().unwrap();
        let story = got
            .iter()
            .find(|s| s["path"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("{file} not exported"));
        let labels: Vec<(String, bool)> = want["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["text"].as_str().unwrap().to_string(),
                    p["label"] == "body",
                )
            })
            .collect();
        let strs = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    x.as_str()
                        .unwrap_or_else(|| x["text"].as_str().unwrap())
                        .to_string()
                })
                .collect()
        };
        let shown = decisions(&labels, &strs(&story["body"]), &strs(&story["hidden"]))
            .unwrap_or_else(|| panic!("{file}: exported blocks do not match the labels"));
        for ((text, is_body), shown) in labels.iter().zip(shown) {
            if *is_body {
                body += 1;
                body_shown += usize::from(shown);
                assert!(shown, "{file}: story paragraph hidden: {text}");
            } else {
                boiler += 1;
                boiler_hidden += usize::from(!shown);
                if shown {
                    println!("{file}: clutter shown: {text}");
                }
            }
        }
        if let Some(src) = want["source"].as_str() {
            if story["source"].as_str() != Some(src) {
                sources_wrong.push(format!("{file}: {:?}, want {src:?}", story["source"]));
            }
        }
    }
    let hidden = boiler_hidden as f64 / boiler as f64;
    println!(
        "articles: {body_shown}/{body} story paragraphs shown, {boiler_hidden}/{boiler} clutter hidden ({hidden:.3})"
    );
    assert_eq!(body_shown, body);
    assert!(hidden >= 0.99, "clutter hidden {hidden:.3} below 0.99");
    assert!(
        sources_wrong.is_empty(),
        "sources not found: {sources_wrong:#?}"
    );
}
