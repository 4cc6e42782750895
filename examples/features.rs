//! The learned model's input: for every story under a folder, its file name and, per
//! block, the features `clean::model` computes from the rules' decisions, as JSON Lines.
//! `tools/train_model.py` trains on these against a corpus's labels. Each line also holds
//! the shipped model's probabilities (`p`), to check that training and use agree.
//!
//!     cargo run --release --example features -- DIR > features.jsonl

use broadsheet::archive::{find_files, load_all};
use broadsheet::clean::{model, rules_only, Evidence};
use std::io::Write;
use std::path::PathBuf;

fn main() {
    let dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        eprintln!("usage: features DIR... > features.jsonl");
        std::process::exit(2);
    }
    let (files, _) = find_files(&dirs);
    let (articles, _) = load_all(&files);
    let ev = Evidence::gather(&articles);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for a in &articles {
        let rules = rules_only(a, &ev);
        let x = model::block_features(a, &rules, &ev);
        let texts: Vec<&str> = rules.blocks.iter().map(|d| d.text.as_str()).collect();
        let line = serde_json::json!({
            "file": a.path.file_name().map(|f| f.to_string_lossy()),
            "names": model::FEATURES.iter().map(|f| f.0).collect::<Vec<_>>(),
            "texts": texts,
            "x": x,
            "p": model::probabilities(a, &rules, &ev),
        });
        writeln!(out, "{line}").expect("write");
    }
}
