//! Corpus quality gates: the plain-text corpora exported as folders and scored with
//! ../shared/tools/score.py. Figures are printed; the test fails below the floors.

mod common;

fn gate(corpus: &str, min_recall: f64, min_hidden: f64) {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = shared.join("corpus").join(corpus).join("text");
    let fig = common::score(&shared, "text", &dir.join("labels.jsonl"), &[&dir]);
    println!("{corpus}/text: {fig}");
    let r = fig["body_recall"].as_f64().unwrap();
    let h = fig["boiler_hidden"].as_f64().unwrap();
    assert!(
        r >= min_recall,
        "{corpus}: body_recall {r} below {min_recall} ({fig})"
    );
    assert!(
        h >= min_hidden,
        "{corpus}: boiler_hidden {h} below {min_hidden} ({fig})"
    );
}

#[test]
fn news_sh_text_quality() {
    gate("news-sh", 0.95, 0.75);
}

#[test]
fn news_wcxb_dev_text_quality() {
    gate("news-wcxb-dev", 0.90, 0.55);
}
