//! The quick scan: a list with no index, from the tops of the files (a plain-text story
//! read only as far as its first paragraphs), a batch at a time, without cleaning.

use super::entry::Entry;
use super::find_files;
use super::state::StoryId;
use crate::article::{Article, LoadError};
use std::path::{Path, PathBuf};

/// The quick way to a list with no index: read every file in parallel and describe each
/// story as stored, without cleaning (which is what takes time), keeping nothing else, so
/// memory stays that of the list. Entries and problems come in path order.
pub fn scan(paths: &[PathBuf]) -> (Vec<Entry>, Vec<LoadError>) {
    let (mut entries, mut problems) = (Vec::new(), Vec::new());
    let _ = scan_each(paths, |e, p| -> Result<(), ()> {
        entries.extend(e);
        problems.extend(p);
        Ok(())
    });
    (entries, problems)
}

/// Files read per batch of [`scan_each`].
const SCAN_BATCH: usize = 1024;

/// [`scan`], a batch at a time, in path order: `sink` gets each batch's entries and
/// problems while the next batch is read (on rayon's threads) and the folders walked
/// further (on another), so showing the list overlaps finding it. An error from `sink`
/// stops the scan and is returned.
pub fn scan_each<E>(
    paths: &[PathBuf],
    mut sink: impl FnMut(Vec<Entry>, Vec<LoadError>) -> Result<(), E>,
) -> Result<(), E> {
    use rayon::prelude::*;
    use std::sync::mpsc::sync_channel;
    type Batch = (Vec<super::WalkedFile>, Vec<LoadError>);
    let (found_tx, found_rx) = sync_channel::<Batch>(4);
    let (read_tx, read_rx) = sync_channel::<(Vec<Quick>, Vec<LoadError>)>(4);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut batch: Batch = (Vec::with_capacity(SCAN_BATCH), Vec::new());
            let mut stopped = false;
            super::find_each_at(paths, true, &mut |found| {
                if stopped {
                    return;
                }
                match found {
                    Ok(f) => batch.0.push(f),
                    Err(e) => batch.1.push(e),
                }
                if batch.0.len() == SCAN_BATCH {
                    let full =
                        std::mem::replace(&mut batch, (Vec::with_capacity(SCAN_BATCH), Vec::new()));
                    stopped = found_tx.send(full).is_err();
                }
            });
            let empty = batch.0.is_empty() && batch.1.is_empty();
            if !stopped && !empty {
                let _ = found_tx.send(batch);
            }
        });
        scope.spawn(move || {
            for (files, problems) in found_rx {
                let read: Vec<Quick> = files
                    .into_par_iter()
                    .map_init(|| Vec::with_capacity(HEAD), |buf, f| quick_load(f, buf))
                    .collect();
                if read_tx.send((read, problems)).is_err() {
                    break; // the sink stopped
                }
            }
        });
        for (read, mut problems) in read_rx {
            let mut entries = Vec::with_capacity(read.len());
            for q in read {
                match q {
                    Quick::One(e) => entries.push(e),
                    Quick::Loaded(e, p) => {
                        entries.extend(e);
                        problems.extend(p);
                    }
                }
            }
            sink(entries, problems)?; // dropping the receiver stops the others
        }
        Ok(())
    })
}

/// Bytes read from the top of a plain-text file for its list entry, at most.
const HEAD: usize = 4096;
/// Bytes read first: in the news corpora of ../shared (950 stories) every story's
/// first paragraphs end within 2 KB (97 % within 1 KB), so a second read is rare and
/// less is copied than the whole head.
const FIRST_READ: usize = 2048;
/// Paragraphs (the title's and four more, where `fill_date` looks for a date) that make a
/// prefix enough for the list.
const HEAD_PARAS: usize = 5;

/// A file's part of the list.
enum Quick {
    /// A plain-text story read the quick way.
    One(Entry),
    /// Entries and problems from a file loaded as the full loader loads it.
    Loaded(Vec<Entry>, Vec<LoadError>),
}

/// A file loaded far enough for its list entry: a plain-text file only as far as its
/// first paragraphs (title, date, the words of its id), which gives the same entry as
/// the whole file; any other format whole. `buf` is the caller's, reused from file to
/// file.
fn quick_load(found: super::WalkedFile, buf: &mut Vec<u8>) -> Quick {
    use crate::article::{txt, Format, Loaded};
    let whole = |path: &Path| {
        let mut l = crate::article::load_file(path);
        let entries = l
            .articles
            .iter_mut()
            .map(|a| {
                super::fill_date_with(a, None);
                Entry::of_article(a)
            })
            .collect();
        Quick::Loaded(entries, l.problems)
    };
    if found.format != Some(Format::Text) || found.is_gz_name() {
        return whole(&found.path);
    }
    let Some((end, mtime)) = read_prefix(&found, buf) else {
        return whole(&found.path);
    };
    let path = found.path;
    let head = &buf[..end];
    if head.starts_with(&[0x1f, 0x8b]) {
        return whole(&path); // packed, whatever its name says
    }
    if let Some((title, rest)) = plain_head(head) {
        // the entry the loader would give, without building the article
        let title = title.replace('\t', " ");
        let id = StoryId::from_text(&title, [rest]);
        let date = mtime.map(crate::text::date_of);
        return Quick::One(Entry::new(id, &path, 0, &title, None, date.as_deref()));
    }
    let mut out = Loaded::default();
    match txt::parse(&path, head) {
        Ok((article, warning)) => {
            out.articles.push(article);
            out.problems.extend(warning);
        }
        Err(e) => out.problems.push(e),
    }
    let entries = out
        .articles
        .iter_mut()
        .map(|a| {
            super::fill_date_with(a, mtime);
            Entry::of_article(a)
        })
        .collect();
    Quick::Loaded(entries, out.problems)
}

/// The head of a plain-text file split as the loader would, when that is simple: printable
/// ASCII (tabs and newlines too), so nothing is decoded, sanitised or joined in a way
/// that changes a title or a word; and none of the first four blocks holds the four
/// digits of a date, so the date is the file's. Gives the title line (trimmed) and the
/// text after it, whose words are the blocks' words.
fn plain_head(head: &[u8]) -> Option<(&str, &str)> {
    // no early exit: this way the check runs many bytes at a time
    let odd = |c: u8| !(c == b'\n' || c == b'\t' || (b' '..=b'~').contains(&c));
    if head.iter().fold(false, |bad, &c| bad | odd(c)) {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?; // ASCII: no work
    let blank = |l: &str| l.bytes().all(|c| c == b' ' || c == b'\t');
    let mut lines = text.split('\n');
    let mut at = 0;
    let title = loop {
        let line = lines.next()?; // none: an empty file, which the loader reports
        at += line.len() + 1;
        if !blank(line) {
            break line.trim();
        }
    };
    let rest = text.get(at..).unwrap_or("");
    // counted in bytes, a chunk at a time, so the count runs many bytes at a time
    let digit_count = |t: &str| {
        t.as_bytes()
            .chunks(255)
            .map(|c| usize::from(c.iter().fold(0u8, |n, c| n + u8::from(c.is_ascii_digit()))))
            .sum::<usize>()
    };
    if digit_count(rest) < 4 {
        return Some((title, rest));
    }
    // the blocks: the title paragraph's other lines, then each paragraph
    let (mut blocks, mut digits, mut in_block) = (0, 0, false);
    for line in lines {
        if blank(line) {
            if in_block {
                if digits >= 4 {
                    return None;
                }
                blocks += 1;
                (digits, in_block) = (0, false);
                if blocks == 4 {
                    return Some((title, rest));
                }
            }
        } else {
            in_block = true;
            digits += digit_count(line);
        }
    }
    (digits < 4).then_some((title, rest))
}

/// Read the first paragraphs of a file into `buf`: where they end, and the file's
/// modification time; `None` when the head read does not hold them (read the whole file
/// then). `buf` holds [`HEAD`] bytes once the first file is read, kept from file to file.
fn read_prefix(
    found: &super::WalkedFile,
    buf: &mut Vec<u8>,
) -> Option<(usize, Option<std::time::SystemTime>)> {
    let mut f = found.open().ok()?;
    let meta = f.metadata().ok()?;
    // as much as the file holds, up to the first step, then up to the head: one read,
    // mostly, and none to find the end
    let size = usize::try_from(meta.len()).unwrap_or(HEAD);
    if buf.len() < HEAD {
        buf.resize(HEAD, 0);
    }
    let mut got = 0;
    for step in [FIRST_READ, HEAD] {
        let want = step.min(size);
        if got >= want {
            break; // the file is read
        }
        got += read_up_to(&mut f, &mut buf[got..want])?;
        if let Some(end) = prefix_end(&buf[..got]) {
            return Some((end, meta.modified().ok()));
        }
        if got < want {
            break; // the file is shorter than it was
        }
    }
    // the whole file, when it is shorter than the head
    (got < HEAD).then(|| (got, meta.modified().ok()))
}

/// Read into `buf` until it is full or the file ends: how many bytes were read.
fn read_up_to(f: &mut std::fs::File, buf: &mut [u8]) -> Option<usize> {
    use std::io::Read;
    let mut got = 0;
    while got < buf.len() {
        match f.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(got)
}

/// Where the first [`HEAD_PARAS`] paragraphs end, once they hold the words a
/// [`StoryId`] needs after the title: only complete lines, split where the plain-text
/// loader splits (lines of white space).
fn prefix_end(b: &[u8]) -> Option<usize> {
    let (mut paras, mut words, mut start) = (0, 0, 0);
    let (mut in_para, mut title_seen) = (false, false);
    for nl in memchr::memchr_iter(b'\n', b) {
        let line = &b[start..nl];
        start = nl + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            if in_para {
                in_para = false;
                paras += 1;
                if paras >= HEAD_PARAS && words >= super::state::ID_WORDS {
                    return Some(start);
                }
            }
        } else {
            in_para = true;
            if title_seen && words < super::state::ID_WORDS {
                // pieces between white space that hold a letter or a digit, each at least
                // one of the id's words: in one pass without branches over ASCII; a line
                // with more is counted again by its characters (a dash past ASCII is no
                // word)
                let (mut wordy, mut seen, mut line_words) = (0, 0, 0);
                for &c in line {
                    let class = BYTE_CLASS[usize::from(c)];
                    let space = class & SPACE; // 0 or 1
                    line_words += usize::from(wordy & space);
                    wordy = (wordy | ((class & WORDY) >> 1)) & (space ^ 1);
                    seen |= class;
                }
                line_words += usize::from(wordy);
                if seen & PAST_ASCII != 0 {
                    line_words = String::from_utf8_lossy(line)
                        .split(|c: char| c.is_ascii_whitespace())
                        .filter(|piece| piece.chars().any(char::is_alphanumeric))
                        .count();
                }
                words += line_words;
            }
            title_seen = true;
        }
    }
    None // the last line is cut by the head, or too few paragraphs
}

/// [`BYTE_CLASS`] of ASCII white space.
const SPACE: u8 = 1;
/// [`BYTE_CLASS`] of an ASCII letter or digit.
const WORDY: u8 = 2;
/// [`BYTE_CLASS`] of a byte past ASCII.
const PAST_ASCII: u8 = 4;
/// What [`prefix_end`] counts words by: [`SPACE`], [`WORDY`], [`PAST_ASCII`] or 0
/// (punctuation).
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_whitespace() {
            t[c] = SPACE;
        } else if b.is_ascii_alphanumeric() {
            t[c] = WORDY;
        } else if b >= 0x80 {
            t[c] = PAST_ASCII;
        }
        c += 1;
    }
    t
};

/// [`scan`] the long way: every file loaded whole, also returning the articles (what the
/// quick scan must equal, and the evidence of them all).
pub fn scan_articles(paths: &[PathBuf]) -> (Vec<Entry>, Vec<Article>, Vec<LoadError>) {
    use rayon::prelude::*;
    let (files, mut problems) = find_files(paths);
    let (articles, p2) = super::load_all(&files);
    problems.extend(p2);
    let entries = articles.par_iter().map(Entry::of_article).collect();
    (entries, articles, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_entries_equal_whole_file_entries() {
        let dir = tempfile::tempdir().unwrap();
        let para = "Word ".repeat(30) + "end.";
        let long = format!("Title line\n\n{}\n", vec![para.as_str(); 40].join("\n\n"));
        let dated = format!(
            "Dated story\n\nShort.\n\n  \nBy A. Writer\r\n\r\n28 February 2020\n\n{}\n",
            vec![para.as_str(); 60].join("\n\n")
        );
        let few = "Only a title\nand a line\n\ntwo words\n".to_string();
        let gz = |text: &str| {
            use std::io::Write;
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(text.as_bytes()).unwrap();
            e.finish().unwrap()
        };
        let files: Vec<(&str, Vec<u8>)> = vec![
            ("long.txt", long.clone().into()),
            ("dated.txt", dated.into()),
            ("few.txt", few.into()),
            // the quick way's own reading, and each way out of it
            (
                "tabs.txt",
                format!("\n \n\tA\ttabbed title \nmore of it\n{long}").into(),
            ),
            ("crlf.txt", long.replace('\n', "\r\n").into()),
            (
                "accents.txt",
                format!("Café story\n\nÉté, naïve words.\n{long}").into(),
            ),
            (
                "control.txt",
                format!("Bell\u{7} title\n\nA wo\u{7}rd split.\n{long}").into(),
            ),
            (
                "digits.txt",
                format!("Numbers\n\nIn 1999 and 2001.\n\n{long}").into(),
            ),
            (
                "later.txt",
                format!("Numbers late\n\na\nb\n\nc\n\nd\n\n2020-02-28\n{long}").into(),
            ),
            (
                "too_late.txt",
                format!("Too late\n\na\n\nb\n\nc\n\nd\n\n2020-02-28\n{long}").into(),
            ),
            (
                "iso.txt",
                format!("Iso\n\nx\n\ny\n\n2021-03-04 news\n\n{long}").into(),
            ),
            (
                "hyphen.txt",
                format!("Wrapped\n\nA well-\nknown wrap-\nper and {para}\n{long}").into(),
            ),
            (
                // pieces that are not words (dashes) do not count as the id's words
                "dashes.txt",
                format!(
                    "Dashes\n\nA b c\n\n{}\n\nx\n\ny\n\nz\n\n{long}",
                    "— ".repeat(40)
                )
                .into(),
            ),
            (
                "cyrillic.txt",
                format!(
                    "Заголовок\n\n{}\n\nх\n\nу\n\n{}\n\nz\n\n{long}",
                    "Слово — ".repeat(12),
                    "ещё — ".repeat(30)
                )
                .into(),
            ),
            ("empty.txt", b" \n\t\n".to_vec()),
            ("packed.txt", gz(&long)),
            ("story.gz", gz("Packed story\n\nIt was packed.\n")),
            ("unpacked.txt.gz", b"Not packed\n\nat all.\n".to_vec()),
        ];
        let mut paths = Vec::new();
        for (name, bytes) in files {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            paths.push(p);
        }
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
        paths.push(samples);
        let (quick, quick_problems) = scan(&paths);
        let (_, full, full_problems) = scan_articles(&paths);
        let full: Vec<Entry> = full.iter().map(Entry::of_article).collect();
        assert!(quick.len() >= 30);
        assert_eq!(quick, full);
        assert_eq!(quick_problems, full_problems);
        for (name, date) in [
            ("dated", "2020-02-28"),
            ("later", "2020-02-28"),
            ("iso", "2021-03-04"),
        ] {
            let e = quick
                .iter()
                .find(|e| e.path().ends_with(format!("{name}.txt")))
                .unwrap();
            assert_eq!(e.date(), Some(date), "{name}");
        }
        let titles: Vec<&str> = quick.iter().map(|e| e.title()).collect();
        let too_late = quick.iter().find(|e| e.title() == "Too late").unwrap();
        assert_ne!(too_late.date(), Some("2020-02-28"));
        for t in ["A tabbed title", "Packed story", "Café story", "Bell title"] {
            assert!(titles.contains(&t), "{t:?} in {titles:?}");
        }
    }

    #[test]
    fn prefix_stops_after_enough_paragraphs() {
        let words = "a b c d e f g h i j\n";
        let text = format!("T\n\n{0}\n{0}\n{0}\n{0}\n{0}\nrest\n", words);
        let end = prefix_end(text.as_bytes()).unwrap();
        assert!(text[..end].ends_with("\n\n"));
        assert!(!text[..end].contains("rest"));
        assert_eq!(prefix_end(b"T\n\nunfinished line"), None);
    }
}
