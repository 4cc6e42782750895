//! Every block's decision for every story under a folder, cleaned together as `export`
//! cleans them, with what each hide rests on (its grounds), as JSON Lines: for studying
//! the cleaner against a corpus's labels.
//!
//!     cargo run --release --example decisions -- DIR > decisions.jsonl

use broadsheet::archive::{find_files, load_all};
use broadsheet::clean::{clean, Evidence, Options};
use std::io::Write;
use std::path::PathBuf;

fn main() {
    let dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        eprintln!("usage: decisions DIR... > decisions.jsonl");
        std::process::exit(2);
    }
    let (files, _) = find_files(&dirs);
    let (articles, _) = load_all(&files);
    let ev = Evidence::gather(&articles);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for a in &articles {
        let c = clean(a, &ev, &Options::default());
        let blocks: Vec<_> = c
            .blocks
            .iter()
            .map(|d| {
                serde_json::json!({
                    "text": d.text, "shown": d.shown, "kind": d.kind.as_str(),
                    "grounds": format!("{:?}", d.grounds), "reason": d.reason,
                })
            })
            .collect();
        let line = serde_json::json!({
            "file": a.path.file_name().map(|f| f.to_string_lossy()),
            "blocks": blocks,
        });
        writeln!(out, "{line}").expect("write");
    }
}
