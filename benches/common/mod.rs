//! What the benches that clean stories share: their arguments and the stories read.

use broadsheet::article::Article;
use std::path::PathBuf;

/// `DIR [LIMIT]` (LIMIT 5,000 unless given; cargo's own `--bench` flags left out), or
/// `None` after printing the usage of `cargo bench --bench NAME`.
pub fn dir_and_limit(name: &str) -> Option<(String, usize)> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo bench --bench {name} -- DIR [LIMIT]");
        return None;
    };
    let limit = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(5000);
    Some((dir.clone(), limit))
}

/// The stories of `files`, read in order until at least `limit` are in (a file's
/// stories all taken), and how many files that read.
pub fn read_stories(files: &[PathBuf], limit: usize) -> (Vec<Article>, usize) {
    let mut articles = Vec::new();
    let mut files_read = 0;
    for f in files {
        if articles.len() >= limit {
            break;
        }
        files_read += 1;
        broadsheet::article::for_each_article(f, |a| articles.push(a));
    }
    (articles, files_read)
}
