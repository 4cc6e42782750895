//! The cleaner's CPU time on one thread, apart from reading files and writing the index:
//!
//!     cargo bench --bench clean -- DIR [LIMIT]
//!
//! Loads up to LIMIT stories (default 5,000) of DIR into memory, gathers their evidence,
//! then cleans each story once on this thread and prints the time per story, with the
//! loading and the evidence timed apart. Without arguments it prints its usage and does
//! nothing, so a plain `cargo bench` stays harmless. Figures only, not a test.

use broadsheet::archive::find_files;
use broadsheet::clean::{self, EvidenceBuilder};
use std::path::PathBuf;
use std::time::Instant;

mod common;

fn main() {
    let Some((dir, limit)) = common::dir_and_limit("clean") else {
        return;
    };
    let opts = broadsheet::config::Config::default().clean_options(false);

    let t = Instant::now();
    let (files, _) = find_files(&[PathBuf::from(&dir)]);
    let (mut articles, _) = common::read_stories(&files, limit);
    articles.truncate(limit);
    let n = articles.len().max(1) as f64;
    let per = |secs: f64| format!("{:8.1} µs a story", secs * 1e6 / n);
    println!("{} stories of {dir}", articles.len());
    println!(
        "{:<28} {}",
        "load (one thread)",
        per(t.elapsed().as_secs_f64())
    );

    let t = Instant::now();
    let mut b = EvidenceBuilder::default();
    for a in &articles {
        b.add(a);
    }
    let ev = b.finish();
    println!("{:<28} {}", "evidence", per(t.elapsed().as_secs_f64()));

    let t = Instant::now();
    let mut shown = 0usize;
    for a in &articles {
        shown += clean::rules_only(a, &ev).body().count();
    }
    println!("{:<28} {}", "rules only", per(t.elapsed().as_secs_f64()));

    let t = Instant::now();
    let mut shown2 = 0usize;
    for a in &articles {
        shown2 += clean::clean(a, &ev, &opts).body().count();
    }
    println!(
        "{:<28} {}",
        "clean (rules, model, guard)",
        per(t.elapsed().as_secs_f64())
    );
    println!("(blocks shown: {shown} by the rules, {shown2} in the end)");
}
