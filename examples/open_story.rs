//! How long the reader takes to read one story of a big web archive: the index tells the
//! process where the crawl's stories are (`Index::remember_places`, as the reader's loader
//! does on start), then stories spread over the crawl are read as the story reader reads
//! them (`archive::load_story`: one record), each timed.
//!
//! cargo run --release --example open_story -- CRAWL.warc.gz INDEX.sqlite
//! (INDEX made by `broadsheet index --index INDEX.sqlite CRAWL.warc.gz`)

use broadsheet::archive::{self, Index};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [crawl, index] = args.as_slice() else {
        eprintln!("usage: open_story CRAWL INDEX");
        std::process::exit(2);
    };
    let crawl = std::fs::canonicalize(crawl).expect("the crawl");
    let t = Instant::now();
    let ix = Index::open(index).expect("the index");
    let files = ix.remember_places().expect("places");
    println!(
        "index opened, places of {files} file(s) known: {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let entries = ix.entries(std::slice::from_ref(&crawl)).expect("entries");
    let n = entries.len();
    if n == 0 {
        eprintln!("the index lists no story of {}", crawl.display());
        std::process::exit(1);
    }
    let mut worst = 0f64;
    for k in 0..5 {
        let i = (n * k / 5 + 37 * k + n / 10) % n;
        let t = Instant::now();
        let a = archive::load_story(&crawl, i).expect("read from its record");
        let ms = t.elapsed().as_secs_f64() * 1e3;
        worst = worst.max(ms);
        let listed = entries.iter().find(|e| e.index_in_file == i);
        let same = listed.is_some_and(|e| e.title() == a.title);
        println!(
            "story {i} of {n}: {ms:.1} ms ({:?}{})",
            a.title,
            if same {
                ", as the index lists it"
            } else {
                ", NOT as listed"
            }
        );
    }
    println!("slowest: {worst:.1} ms");
}
