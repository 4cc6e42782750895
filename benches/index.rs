//! In-process timings of the index and state API the reader calls, on an archive whose
//! index is already built (run by `benches/archive.sh`, which builds it first):
//!
//!     target/release/deps/index-* DIR INDEX_FILE [WORDS_OUT]
//!
//! Picks the most common word and a rare one from the index's own vocabulary, and times
//! a search for each. Without arguments it prints its usage and does nothing, so a plain
//! `cargo bench` stays harmless.

use broadsheet::archive::{Index, Store};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1000.0)
}

/// CPU time this thread has run (Linux: /proc/thread-self/schedstat, nanoseconds), so
/// that figures on a machine shared with other work can be compared; zero elsewhere.
fn cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.len() < 2 {
        eprintln!("usage: index DIR INDEX_FILE [WORDS_OUT] (see benches/archive.sh)");
        return;
    }
    let dir = PathBuf::from(&args[0]);
    let db = PathBuf::from(&args[1]);
    let roots = vec![dir.clone()];
    let opts = broadsheet::config::Config::default().clean_options(false);

    let t = Instant::now();
    let mut index = Index::open(&db).expect("open the index");
    println!("{:<44} {}", "in-process: open the index", ms(t.elapsed()));
    let t = Instant::now();
    let (r, _) = index.refresh(&roots, &opts).expect("refresh");
    println!(
        "{:<44} {}  ({} unchanged, {} re-read)",
        "in-process: refresh (stat every file)",
        ms(t.elapsed()),
        r.unchanged,
        r.added + r.changed
    );
    let mut entries = Vec::new();
    for what in [
        "entries (the list, first time)",
        "entries (the list, saved listing)",
    ] {
        let t = Instant::now();
        entries = index.entries(&roots).expect("entries");
        println!(
            "{:<44} {}  ({} stories)",
            format!("in-process: {what}"),
            ms(t.elapsed()),
            entries.len()
        );
    }
    // what `list` does on re-opening: the folders' times, then the listing at once, then a
    // stat of every file
    broadsheet::archive::index::saved::folders(&roots); // warm, as after `list`
    let folders = broadsheet::archive::index::saved::folders(&roots);
    index.keep_folders(&folders).expect("keep folders");
    let t = Instant::now();
    let saved = index.saved_listing(&roots).expect("saved listing");
    let checked = t.elapsed();
    match saved {
        Some(saved) => {
            let mut rows = 0;
            saved
                .each(|_| -> Result<(), ()> {
                    rows += 1;
                    Ok(())
                })
                .ok();
            println!(
                "{:<44} {}  ({rows} rows; folders checked in {})",
                "in-process: saved listing, folders checked",
                ms(t.elapsed()),
                ms(checked).trim()
            );
            let t = Instant::now();
            let changed = saved.changed_files();
            println!(
                "{:<44} {}  ({} changed)",
                "in-process: stat every file after",
                ms(t.elapsed()),
                changed.len()
            );
        }
        None => println!("in-process: saved listing: a folder changed in the last seconds"),
    }
    let t = Instant::now();
    let state = Store::open(&std::env::temp_dir().join(format!(
        "broadsheet-bench-state-{}.sqlite",
        std::process::id()
    )))
    .expect("state");
    let unread = entries.iter().filter(|e| !state.is_read(e.id)).count();
    println!(
        "{:<44} {}  ({unread} unread)",
        "in-process: open state + unread count",
        ms(t.elapsed())
    );
    let _ = std::fs::remove_file(state.path());

    let conn = rusqlite::Connection::open(&db).expect("open for vocabulary");
    conn.execute_batch("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, fts, 'row')")
        .expect("vocabulary");
    let pick = |sql: &str| -> (String, i64) {
        conn.query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("a word")
    };
    let common = pick("SELECT term, doc FROM temp.v ORDER BY doc DESC LIMIT 1");
    // the generator's function words ("the", "their") are all 5 letters or fewer
    let common_word =
        pick("SELECT term, doc FROM temp.v WHERE length(term) > 5 ORDER BY doc DESC LIMIT 1");
    let rare =
        pick("SELECT term, doc FROM temp.v WHERE term GLOB '[a-z]*' ORDER BY doc, term LIMIT 1");
    if let Some(out) = args.get(2) {
        std::fs::write(out, format!("{} {} {}\n", common.0, common_word.0, rare.0))
            .expect("write the words");
    }
    for (word, docs) in [&common, &common_word, &rare] {
        let t = Instant::now();
        let hits = index.search(word, &roots, 20).expect("search");
        let first = t.elapsed();
        let mut best = first;
        let mut best_cpu = Duration::MAX;
        for _ in 0..4 {
            let (t, c) = (Instant::now(), cpu());
            index.search(word, &roots, 20).expect("search");
            best = best.min(t.elapsed());
            best_cpu = best_cpu.min(cpu().saturating_sub(c));
        }
        println!(
            "{:<44} {}  first {}  cpu {}  ({} hits shown of {docs} stories)",
            format!("in-process: search {word:?} (best of 5)"),
            ms(best),
            ms(first).trim(),
            ms(best_cpu).trim(),
            hits.len()
        );
    }
}
