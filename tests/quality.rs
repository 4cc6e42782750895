//! Corpus quality gates: the plain-text corpora exported as folders and scored with
//! ../shared/tools/score.py. Figures are printed; the test fails below the floors.
//! The floors sit just under the figures measured when they were last raised.

mod common;

use std::path::Path;

fn check(name: &str, fig: &serde_json::Value, min_recall: f64, min_hidden: f64) {
    println!("{name}: {fig}");
    let r = fig["body_recall"].as_f64().unwrap();
    let h = fig["boiler_hidden"].as_f64().unwrap();
    assert!(
        r >= min_recall,
        "{name}: body_recall {r} below {min_recall} ({fig})"
    );
    assert!(
        h >= min_hidden,
        "{name}: boiler_hidden {h} below {min_hidden} ({fig})"
    );
}

fn gate(corpus: &str, min_recall: f64, min_hidden: f64) {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = shared.join("corpus").join(corpus).join("text");
    let fig = common::score(&shared, "text", &dir.join("labels.jsonl"), &[&dir]);
    check(&format!("{corpus}/text"), &fig, min_recall, min_hidden);
}

#[test]
fn news_sh_text_quality() {
    // issue 2 asked for 0.98 / 0.80; issue 6 for 0.99 / 0.90 (not reached). The learned
    // model was trained on this corpus (see tools/train_model.py): its cross-validated
    // figures, 0.9870 / 0.8802, are the honest estimate for unseen pages of this kind.
    gate("news-sh", 0.985, 0.88);
}

#[test]
fn news_wcxb_dev_text_quality() {
    // issue 6 asks for 0.99 / 0.90 (not reached); cross-validated 0.9700 / 0.8145
    gate("news-wcxb-dev", 0.97, 0.812);
}

/// A generated archive of 2,000 stories (../shared/tools/gen_archive.py): standfirsts,
/// source lines, other stories' titles between paragraphs, "most read" lists.
#[test]
fn generated_archive_quality() {
    let Some(shared) = common::shared() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("gen");
    let status = std::process::Command::new("python3")
        .arg(shared.join("tools/gen_archive.py"))
        .arg(&out)
        .arg("2000")
        .status()
        .expect("python3 runs gen_archive.py");
    assert!(status.success(), "gen_archive.py failed");
    let labels = out.join("labels.jsonl");
    let fig = common::score(&shared, "text", &labels, &[Path::new(&out)]);
    // issue 6: 0.999 / 0.99. The model learned from an archive of another seed (7), not
    // this one (seed 1).
    check("generated 2k", &fig, 0.999, 0.99);
}
