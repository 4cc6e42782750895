//! The least CPU time an index build can take as the index is made today: every story
//! read once, its evidence counted, cleaned, and its cleaned text put into the index's
//! own FTS5 table (`archive::index::FTS_TABLE`, with the build's FTS5 settings), each
//! step timed on one thread with nothing else (no other table, no journal, one
//! transaction, no second read). The sum, spread over every core with no loss, is a floor
//! under `broadsheet index`; compare it with ripgrep's time on the same folder
//! (`benches/archive.sh` prints both). Also timed: the same table filled with the stories
//! as stored, uncleaned, for an index that did not hold cleaned text.
//!
//!     cargo bench --bench floor -- DIR [LIMIT]
//!
//! LIMIT stories (default 5,000) are read into memory first. Without arguments it prints
//! its usage and does nothing, so a plain `cargo bench` stays harmless. Figures only.

use broadsheet::archive::find_files;
use broadsheet::archive::index::refresh::{BIG_CACHE_KB, FTS_HASH_BYTES};
use broadsheet::archive::index::FTS_TABLE;
use broadsheet::clean::{self, EvidenceBuilder};
use rusqlite::Connection;
use std::path::PathBuf;
use std::time::Instant;

/// A new FTS5 table in a file of its own under `dir`, set as a big build sets it.
fn fts_table(dir: &std::path::Path, name: &str) -> Connection {
    let path = dir.join(name);
    let conn = Connection::open(&path).expect("open a scratch database");
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        .expect("pragmas");
    conn.pragma_update(None, "cache_size", -BIG_CACHE_KB)
        .expect("cache size");
    conn.execute_batch(FTS_TABLE)
        .expect("the index's FTS5 table");
    conn.execute(
        "INSERT INTO fts (fts, rank) VALUES ('hashsize', ?1)",
        [FTS_HASH_BYTES],
    )
    .expect("hashsize");
    conn
}

/// Insert (title, body) rows in one transaction; seconds taken.
fn fill(conn: &mut Connection, rows: &[(String, String)]) -> f64 {
    let t = Instant::now();
    let tx = conn.transaction().expect("transaction");
    {
        let mut ins = tx
            .prepare("INSERT INTO fts (rowid, title, body) VALUES (?1, ?2, ?3)")
            .expect("prepare");
        for (i, (title, body)) in rows.iter().enumerate() {
            ins.execute(rusqlite::params![i as i64 + 1, title, body])
                .expect("insert");
        }
    }
    tx.commit().expect("commit");
    t.elapsed().as_secs_f64()
}

mod common;

fn main() {
    let Some((dir, limit)) = common::dir_and_limit("floor") else {
        return;
    };
    let opts = broadsheet::config::Config::default().clean_options(false);
    let (files, _) = find_files(&[PathBuf::from(&dir)]);

    // read: only the files read are timed (the walk is ripgrep's too)
    let t = Instant::now();
    let (articles, files_read) = common::read_stories(&files, limit);
    let load = t.elapsed().as_secs_f64();
    let n = articles.len().max(1) as f64;

    let t = Instant::now();
    let mut b = EvidenceBuilder::default();
    for a in &articles {
        b.add(a);
    }
    let ev = b.finish();
    let evidence = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let cleaned: Vec<(String, String)> = articles
        .iter()
        .map(|a| {
            let c = clean::clean(a, &ev, &opts);
            let body: Vec<&str> = c.body().map(|d| d.text.as_str()).collect();
            (a.title.clone(), body.join("\n\n"))
        })
        .collect();
    let clean_secs = t.elapsed().as_secs_f64();
    let stored: Vec<(String, String)> = articles
        .iter()
        .map(|a| {
            let body: Vec<&str> = a.blocks.iter().map(|b| b.text.as_str()).collect();
            (a.title.clone(), body.join("\n\n"))
        })
        .collect();

    let scratch = std::env::temp_dir().join(format!("broadsheet-floor-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a scratch folder");
    let insert_clean = fill(&mut fts_table(&scratch, "clean.sqlite"), &cleaned);
    let insert_stored = fill(&mut fts_table(&scratch, "stored.sqlite"), &stored);
    let _ = std::fs::remove_dir_all(&scratch);

    let us = |secs: f64| secs * 1e6 / n;
    println!(
        "{} stories of {dir} ({files_read} files read; {} under it)",
        articles.len(),
        files.len()
    );
    let rows = [
        ("read (once)", load),
        ("evidence", evidence),
        ("clean", clean_secs),
        ("FTS5 insert, cleaned text", insert_clean),
    ];
    for (what, secs) in rows {
        println!("{what:<34} {:8.1} µs a story", us(secs));
    }
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get()) as f64;
    // the whole folder, at the sample's stories per file
    let stories = files.len() as f64 * n / files_read.max(1) as f64;
    let floor = |per: f64| per * stories / 1e6 / cores;
    let today = us(load + evidence + clean_secs + insert_clean);
    println!(
        "{:<34} {today:8.1} µs a story: at least {:.1} s for {stories:.0} stories on {cores} cores",
        "sum (the index as made today)",
        floor(today)
    );
    let uncleaned = us(load + insert_stored);
    println!(
        "{:<34} {:8.1} µs a story",
        "FTS5 insert, text as stored",
        us(insert_stored)
    );
    println!(
        "{:<34} {uncleaned:8.1} µs a story: at least {:.1} s (an index of uncleaned text)",
        "read + insert as stored",
        floor(uncleaned)
    );
}
