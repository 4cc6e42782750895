//! Web archive collections (`.wacz`, as Browsertrix and ReplayWeb.page write them): a zip
//! of `archive/*.warc.gz` (with `pages/pages.jsonl` and `datapackage.json`). Each WARC is
//! read in place in the zip, as a stream ([`super::warc`]); a URL captured in several of
//! them is still one story, its latest capture.

use super::warc::{self, Gather};
use super::{cannot_read, err, Article, LoadError, ProblemKind};
use std::io::{Read, Seek};
use std::path::Path;

/// Load a WACZ file.
pub fn load_path(path: &Path) -> (Vec<Article>, Vec<LoadError>) {
    match std::fs::File::open(path) {
        Ok(f) => load_reader(path, f),
        Err(e) => (Vec::new(), vec![cannot_read(path, e)]),
    }
}

/// Load a WACZ already in memory.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> (Vec<Article>, Vec<LoadError>) {
    load_reader(path, std::io::Cursor::new(bytes))
}

fn load_reader(path: &Path, r: impl Read + Seek) -> (Vec<Article>, Vec<LoadError>) {
    let mut zip = match zip::ZipArchive::new(r) {
        Ok(z) => z,
        Err(e) => {
            return (
                Vec::new(),
                vec![err(
                    ProblemKind::Malformed,
                    path,
                    None,
                    format!("not a readable zip ({e})"),
                )],
            )
        }
    };
    let mut names: Vec<(usize, String)> = (0..zip.len())
        .filter_map(|i| {
            let name = zip.name_for_index(i)?.to_string();
            let lower = name.to_ascii_lowercase();
            (lower.starts_with("archive/")
                && (lower.ends_with(".warc.gz") || lower.ends_with(".warc")))
            .then_some((i, name))
        })
        .collect();
    names.sort_by(|a, b| a.1.cmp(&b.1));
    if names.is_empty() {
        return (
            Vec::new(),
            vec![err(
                ProblemKind::NoArticles,
                path,
                None,
                "a zip with no archive/*.warc.gz: not a WACZ".into(),
            )],
        );
    }
    let mut g = Gather::new(path, "");
    let mut problems = Vec::new();
    for (i, name) in names {
        g.set_place(&name);
        match zip.by_index(i) {
            Ok(f) => g.read(f),
            Err(e) => problems.push(err(
                ProblemKind::Malformed,
                path,
                Some(name),
                format!("cannot unpack ({e})"),
            )),
        }
    }
    g.set_place("");
    let (articles, mut more) = warc::finish(path, g);
    more.extend(problems);
    (articles, more)
}

/// Is this zip a WACZ (it holds `datapackage.json`)? Read from the head of the file: the
/// name of a member appears in its local header.
pub fn sniff(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
        && (memchr::memmem::find(head, b"datapackage.json").is_some()
            || memchr::memmem::find(head, b"archive/").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn wacz(warcs: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let method = if deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, data) in warcs {
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.start_file("datapackage.json", opts).unwrap();
        z.write_all(b"{\"profile\": \"data-package\"}").unwrap();
        z.finish().unwrap().into_inner()
    }

    fn warc_gz(uri: &str, date: &str, title: &str) -> Vec<u8> {
        let para = "Councillors agreed on Monday to keep the old swing bridge open to walkers while the new one is built, after a petition signed by two thousand people.";
        let html = format!("<html><head><title>{title}</title></head><body><article><p>{para}</p><p>{para}</p></article></body></html>");
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{html}");
        let rec = format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
            http.len()
        );
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(rec.as_bytes()).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn the_warcs_of_a_wacz_are_read_in_place() {
        let a = warc_gz(
            "https://n.example/bridge",
            "2020-01-01T00:00:00Z",
            "Bridge stays open",
        );
        let b = [
            warc_gz(
                "https://n.example/bridge",
                "2020-02-01T00:00:00Z",
                "Bridge stays open, updated",
            ),
            warc_gz(
                "https://n.example/rink",
                "2020-02-01T00:00:00Z",
                "Ice rink opens",
            ),
        ]
        .concat();
        for deflate in [false, true] {
            let bytes = wacz(
                &[("archive/a.warc.gz", &a), ("archive/b.warc.gz", &b)],
                deflate,
            );
            assert!(sniff(&bytes));
            let (stories, p) = load_bytes(Path::new("c.wacz"), &bytes);
            let titles: Vec<&str> = stories.iter().map(|s| s.title.as_str()).collect();
            assert_eq!(titles, vec!["Bridge stays open, updated", "Ice rink opens"]);
            assert_eq!(p.len(), 1);
            assert_eq!(p[0].reason, "1 not stories: 1 earlier captures");
        }
    }

    #[test]
    fn broken_zips_and_warcs_are_problems() {
        let (a, p) = load_bytes(Path::new("x.wacz"), b"PK\x03\x04 not really");
        assert!(a.is_empty() && p[0].reason.contains("not a readable zip"));
        let (a, p) = load_bytes(
            Path::new("x.wacz"),
            &wacz(&[("pages/pages.jsonl", b"{}")], true),
        );
        assert!(a.is_empty() && p[0].reason.contains("not a WACZ"));
        let good = warc_gz("https://n.example/a", "2020-01-01T00:00:00Z", "Good one");
        let bytes = wacz(
            &[
                ("archive/a.warc.gz", &good),
                ("archive/b.warc.gz", &good[..good.len() / 2]),
            ],
            false,
        );
        let (a, p) = load_bytes(Path::new("x.wacz"), &bytes);
        assert_eq!(a.len(), 1);
        assert!(
            p.iter()
                .any(|p| p.at.as_deref() == Some("archive/b.warc.gz byte 0")),
            "{p:?}"
        );
        let bytes = wacz(&[("archive/a.warc.gz", &good)], false);
        for cut in (0..bytes.len()).step_by(37) {
            load_bytes(Path::new("x.wacz"), &bytes[..cut]);
        }
    }
}
