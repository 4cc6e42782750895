//! Bringing the index up to date: stat every file, plan (what is new, changed, gone),
//! gather the evidence from what is read now and the titles already indexed, then clean
//! and write, a batch at a time.

use super::spill::{Spilled, SPILL_HASHES};
use super::{fingerprint, Index};
use crate::archive::db::{Ctx, DbResult};
use crate::archive::entry::Entry;
use crate::archive::paths::{absolute, root_range};
use crate::archive::{find_files, Story};
use crate::article::{Article, LoadError};
use crate::clean::{self, Evidence, Options};
use crate::timing::Clock;
use rusqlite::params;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Files read and cleaned per batch while the index is
/// written: enough to keep every core busy, few enough to hold little.
const BATCH: usize = 256;

/// The page cache (KiB) while many stories are written: FTS5 merges its segments in it.
pub const BIG_CACHE_KB: i64 = 16 * 1024;

/// The terms FTS5 holds in memory before it writes them out as a segment (bytes; its
/// default is 1 MiB): on 10,000 generated stories, 16 MiB with a 16 MiB page cache took
/// 8 % less time and 20 % less memory than 1 MiB with 64 MiB.
pub const FTS_HASH_BYTES: i64 = 16 << 20;

/// Read files a batch at a time (each batch in parallel) and count what every story
/// adds to the evidence, in the order of `files`, holding no article longer than its
/// batch. Returns the problems met.
fn observe_files<P: AsRef<Path> + Sync>(
    builder: &mut clean::EvidenceBuilder,
    spilled: &mut Spilled,
    files: &[P],
) -> Vec<LoadError> {
    use rayon::prelude::*;
    let mut problems = Vec::new();
    for batch in files.chunks(BATCH) {
        let seen: Vec<(Vec<clean::Observed>, Vec<LoadError>)> = batch
            .par_iter()
            .map(|f| {
                let mut obs = Vec::new();
                let probs =
                    crate::article::for_each_article(f.as_ref(), |a| obs.push(clean::observe(&a)));
                (obs, probs)
            })
            .collect();
        for (obs, probs) in seen {
            obs.into_iter().for_each(|o| builder.add_observed(o));
            problems.extend(probs);
        }
        spilled.spill_over(builder, SPILL_HASHES);
    }
    problems
}

/// The key of a set of roots in the `evidence` table: their absolute paths, in order.
fn roots_key(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| root_range(p).0)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A story's list entry and the text the index searches: the blocks shown as the story.
fn clean_for_index(article: Article, ev: &Evidence, opts: &Options) -> (Entry, String) {
    let cleaned = clean::clean(&article, ev, opts);
    let body = cleaned
        .body()
        .map(|d| d.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    (Entry::of(&Story { article, cleaned }), body)
}

/// What a refresh did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Refresh {
    /// Files read for the first time.
    pub added: usize,
    /// Files read again because their size or time changed (or the index was stale).
    pub changed: usize,
    /// Files gone from the archive, dropped from the index.
    pub removed: usize,
    /// Files the index already had right.
    pub unchanged: usize,
}

/// A file as found on disk: its size and time. (A million of them are held during a
/// build: the path is kept once when the user named it absolute.)
struct FileStat {
    abs: String,
    /// The path as found under the root the user named, when not `abs` itself.
    given: Option<PathBuf>,
    size: i64,
    mtime: i64,
}

impl FileStat {
    /// The path as found under the root the user named.
    fn given(&self) -> &Path {
        self.given.as_deref().unwrap_or(Path::new(&self.abs))
    }
}

impl Index {
    /// Bring the index up to date with the files under `paths`: read new and changed
    /// files (by size and modification time), drop the ones gone.
    pub fn refresh(
        &mut self,
        paths: &[PathBuf],
        opts: &Options,
    ) -> DbResult<(Refresh, Vec<LoadError>)> {
        self.refresh_with(paths, opts, &mut |_, _| {})
    }

    /// [`Index::refresh`], telling `progress` (files done, files to read) before the
    /// first file is read and as they are written; not at all when nothing is to read.
    pub fn refresh_with(
        &mut self,
        paths: &[PathBuf],
        opts: &Options,
        progress: &mut dyn FnMut(usize, usize),
    ) -> DbResult<(Refresh, Vec<LoadError>)> {
        use rayon::prelude::*;
        let fp = fingerprint(opts);
        if self.meta("fingerprint")?.as_deref() != Some(fp.as_str()) {
            // another version or other cleaning options: everything is re-read
            self.conn
                .execute_batch(
                    "DELETE FROM fts; DELETE FROM story; DELETE FROM problem; DELETE FROM file;
                     DELETE FROM listing; DELETE FROM evidence; DELETE FROM place;",
                )
                .at(&self.path)?;
            self.conn
                .execute(
                    "INSERT INTO meta (key, value) VALUES ('fingerprint', ?1)
                     ON CONFLICT (key) DO UPDATE SET value = ?1",
                    [&fp],
                )
                .at(&self.path)?;
        }
        let mut clock = Clock::new();
        let (files, mut problems) = find_files(paths);
        // stat'ed in parallel, then each path made absolute here: what a build keeps
        // of a million files is made on this thread, whose memory is used again by what
        // comes after the build (the listing), not on rayon's, whose is not
        let stats: Vec<Option<(i64, i64)>> = files
            .par_iter()
            .map(|given| {
                let m = std::fs::metadata(given).ok()?;
                let mtime = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_nanos() as i64)
                    .unwrap_or(0);
                Some((m.len() as i64, mtime))
            })
            .collect();
        let found: Vec<FileStat> = files
            .into_iter()
            .zip(stats)
            .filter_map(|(given, stat)| {
                let (size, mtime) = stat?;
                let abs = absolute(&given).to_string_lossy().into_owned();
                Some(FileStat {
                    given: (given.as_os_str() != abs.as_str()).then_some(given),
                    abs,
                    size,
                    mtime,
                })
            })
            .collect();
        clock.lap("walk + stat");
        let known = self.known_files(paths)?;
        clock.lap("known files");
        let mut report = Refresh::default();
        let mut stale: Vec<&FileStat> = Vec::new();
        // the files found, to tell which indexed ones are gone (none on a first build)
        let mut seen: HashSet<&str> = HashSet::new();
        for f in &found {
            if !known.is_empty() {
                seen.insert(&f.abs);
            }
            match known.get(&f.abs) {
                Some(&(_, size, mtime)) if size == f.size && mtime == f.mtime => {
                    report.unchanged += 1
                }
                Some(_) => {
                    report.changed += 1;
                    stale.push(f);
                }
                None => {
                    report.added += 1;
                    stale.push(f);
                }
            }
        }
        let gone: Vec<i64> = known
            .iter()
            .filter(|(p, _)| !seen.contains(p.as_str()))
            .map(|(_, &(id, _, _))| id)
            .collect();
        report.removed = gone.len();
        if stale.is_empty() && gone.is_empty() {
            problems.extend(self.stored_problems(paths)?);
            return Ok((report, problems));
        }
        progress(0, stale.len());

        // read what is new or changed, twice, a
        // batch at a time: once for the evidence, once to clean and write; so memory
        // holds the evidence and a few batches, never the archive
        let rest: Vec<&Path> = stale.iter().map(|f| f.given()).collect();

        // evidence: the titles of every other story indexed, then the stories read now
        // (a file the index does not know has no stories in it yet)
        let stale_abs: HashSet<&str> = stale
            .iter()
            .filter(|f| known.contains_key(&f.abs))
            .map(|f| f.abs.as_str())
            .collect();
        let mut builder = clean::EvidenceBuilder::default();
        let n_others = self.add_other_titles(&mut builder, &stale_abs, &gone)?;
        let mut spilled = Spilled::beside(&self.path);
        let load_problems = observe_files(&mut builder, &mut spilled, &rest);
        let ev = spilled.finish(builder);
        // the whole archive's evidence when every story under the roots was read now
        let whole = report.unchanged == 0 && n_others == 0;
        clock.lap("read files + evidence");

        // a bigger page cache while writing many stories: FTS5 merges its segments in it
        let big = stale.len() > 1000;
        if big {
            self.conn
                .pragma_update(None, "cache_size", -BIG_CACHE_KB)
                .at(&self.path)?;
            // and fewer, bigger segments from FTS5's pending terms: less to merge
            self.conn
                .execute(
                    "INSERT INTO fts (fts, rank) VALUES ('hashsize', ?1)",
                    [FTS_HASH_BYTES],
                )
                .at(&self.path)?;
        }
        let direct = big && self.alone && known.is_empty() && self.holds_no_file()?;
        let direct = direct && self.journal_mode("DELETE");
        if direct {
            // a power cut during the build must not corrupt the file: every commit
            // reaches the disk (there is one)
            self.conn
                .pragma_update(None, "synchronous", "FULL")
                .at(&self.path)?;
        }
        let written = self.write_stale(
            paths,
            &stale,
            &gone,
            &known,
            &rest,
            whole,
            &ev,
            opts,
            &load_problems,
        );
        if direct {
            // back as every index is opened; were it refused, the next opening does it
            self.journal_mode("WAL");
            let _ = self.conn.pragma_update(None, "synchronous", "NORMAL");
        }
        written?;
        if big {
            self.conn
                .execute_batch("PRAGMA cache_size = -2000; PRAGMA shrink_memory;")
                .at(&self.path)?;
        }
        clock.lap("clean + write + commit");
        problems.extend(self.stored_problems(paths)?);
        Ok((report, problems))
    }

    /// Switch the index's journal to `mode`, without waiting: `false` when refused
    /// (another connection has the index open).
    fn journal_mode(&self, mode: &str) -> bool {
        let _ = self.conn.busy_timeout(std::time::Duration::ZERO);
        let now: Option<String> = self
            .conn
            .query_row(&format!("PRAGMA journal_mode = {mode}"), [], |r| r.get(0))
            .ok();
        let _ = self.conn.busy_timeout(std::time::Duration::from_secs(5));
        now.is_some_and(|m| m.eq_ignore_ascii_case(mode))
    }

    /// True when the index holds no file at all (under any root).
    fn holds_no_file(&self) -> DbResult<bool> {
        self.conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM file)", [], |r| r.get(0))
            .at(&self.path)
    }

    /// Write what was read in one transaction: the files gone dropped, the stale ones
    /// read again (cleaned on rayon's threads while this one writes), their stories,
    /// texts, record places and problems.
    #[allow(clippy::too_many_arguments)]
    fn write_stale(
        &self,
        paths: &[PathBuf],
        stale: &[&FileStat],
        gone: &[i64],
        known: &HashMap<String, (i64, i64, i64)>,
        rest: &[&Path],
        whole: bool,
        ev: &Evidence,
        opts: &Options,
        load_problems: &[LoadError],
    ) -> DbResult<()> {
        use rayon::prelude::*;
        let tx = self.conn.unchecked_transaction().at(&self.path)?;
        tx.execute_batch("DELETE FROM listing; DELETE FROM evidence;")
            .at(&self.path)?;
        if whole {
            tx.execute(
                "INSERT INTO evidence (roots, data) VALUES (?1, ?2)",
                params![roots_key(paths), ev.to_bytes()],
            )
            .at(&self.path)?;
        }
        {
            let p = &self.path;
            let mut del_fts = tx
                .prepare("DELETE FROM fts WHERE rowid IN (SELECT id FROM story WHERE file = ?1)")
                .at(p)?;
            let mut del_story = tx.prepare("DELETE FROM story WHERE file = ?1").at(p)?;
            let mut del_problem = tx.prepare("DELETE FROM problem WHERE file = ?1").at(p)?;
            let mut del_place = tx.prepare("DELETE FROM place WHERE file = ?1").at(p)?;
            let mut del_file = tx.prepare("DELETE FROM file WHERE id = ?1").at(p)?;
            let mut clear = |id: i64| -> DbResult<()> {
                del_fts.execute([id]).at(p)?;
                del_story.execute([id]).at(p)?;
                del_problem.execute([id]).at(p)?;
                del_place.execute([id]).at(p)?;
                Ok(())
            };
            for &id in gone {
                clear(id)?;
                del_file.execute([id]).at(p)?;
            }
            let mut upsert_file = tx
                .prepare(
                    "INSERT INTO file (path, size, mtime) VALUES (?1, ?2, ?3)
                     ON CONFLICT (path) DO UPDATE SET size = ?2, mtime = ?3
                     RETURNING id",
                )
                .at(p)?;
            // by place in `stale` (and `rest`)
            let mut file_ids: Vec<i64> = Vec::with_capacity(stale.len());
            for f in stale {
                let id: i64 = upsert_file
                    .query_row(params![f.abs, f.size, f.mtime], |r| r.get(0))
                    .at(p)?;
                if known.contains_key(&f.abs) {
                    clear(id)?;
                }
                file_ids.push(id);
            }
            let mut ins_story = tx
                .prepare(
                    "INSERT INTO story (file, idx, sid, title, source, date, flags)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .at(p)?;
            let mut ins_fts = tx
                .prepare("INSERT INTO fts (rowid, title, body) VALUES (?1, ?2, ?3)")
                .at(p)?;
            // reading and cleaning (on rayon's threads, a batch at a time) overlaps
            // writing (here): the time is that of the slower, and only a few batches
            // are held at once
            // each story with its file's place in `rest`
            let (send, recv) = std::sync::mpsc::sync_channel::<Vec<(usize, Entry, String)>>(2);
            let ev = &ev;
            let rest = &rest;
            // the record places of the WARCs read, kept so a story opens from its record
            let places = std::sync::Mutex::new(Vec::new());
            let places_ref = &places;
            std::thread::scope(|scope| -> DbResult<()> {
                scope.spawn(move || {
                    for (c, files) in rest.chunks(BATCH).enumerate() {
                        let first = c * BATCH;
                        // a big JSON Lines file is read apart, a batch of its stories
                        // at a time; every other file of the batch whole, in parallel
                        let done: Vec<Option<Vec<(usize, Entry, String)>>> = files
                            .par_iter()
                            .enumerate()
                            .map(|(k, f)| {
                                if crate::article::is_streamed(f) {
                                    return None;
                                }
                                let loaded = crate::article::load_file(f);
                                if let Some(locs) = crate::article::warc::known_places(f) {
                                    if let Ok(mut p) = places_ref.lock() {
                                        p.push((first + k, locs));
                                    }
                                }
                                Some(
                                    loaded
                                        .articles
                                        .into_iter()
                                        .map(|mut a| {
                                            crate::archive::fill_date(&mut a);
                                            let (e, body) = clean_for_index(a, ev, opts);
                                            (first + k, e, body)
                                        })
                                        .collect(),
                                )
                            })
                            .collect();
                        let mut out = Vec::new();
                        for (k, (f, d)) in files.iter().zip(done).enumerate() {
                            match d {
                                Some(d) => out.extend(d),
                                None => {
                                    // what came before it goes first
                                    let mut ok = send.send(std::mem::take(&mut out)).is_ok();
                                    let mut batch = Vec::with_capacity(BATCH);
                                    let send_batch = |batch: Vec<Article>| {
                                        let done: Vec<(usize, Entry, String)> = batch
                                            .into_par_iter()
                                            .map(|mut a| {
                                                crate::archive::fill_date(&mut a);
                                                let (e, body) = clean_for_index(a, ev, opts);
                                                (first + k, e, body)
                                            })
                                            .collect();
                                        send.send(done).is_ok()
                                    };
                                    crate::article::for_each_article(f, |a| {
                                        batch.push(a);
                                        if batch.len() == BATCH && ok {
                                            ok = send_batch(std::mem::take(&mut batch));
                                        }
                                    });
                                    if !ok || !send_batch(batch) {
                                        return;
                                    }
                                }
                            }
                        }
                        if send.send(out).is_err() {
                            return;
                        }
                    }
                });
                for chunk in recv {
                    for (at, e, body) in chunk {
                        let file = file_ids[at];
                        ins_story
                            .execute(params![
                                file,
                                e.index_in_file as i64,
                                e.id.to_sql(),
                                e.title(),
                                e.source(),
                                e.date(),
                                i64::from(e.flags())
                            ])
                            .at(p)?;
                        let rowid = tx.last_insert_rowid();
                        ins_fts.execute(params![rowid, e.title(), body]).at(p)?;
                    }
                }
                Ok(())
            })?;
            let mut ins_place = tx
                .prepare("INSERT OR REPLACE INTO place (file, data) VALUES (?1, ?2)")
                .at(p)?;
            for (at, locs) in places.into_inner().unwrap_or_default() {
                let data: Vec<u8> = locs
                    .iter()
                    .flat_map(|l| l.unwrap_or(u64::MAX).to_le_bytes())
                    .collect();
                ins_place.execute(params![file_ids[at], data]).at(p)?;
            }
            let mut ins_problem = tx
                .prepare("INSERT INTO problem (file, at, reason) VALUES (?1, ?2, ?3)")
                .at(p)?;
            // the files with problems, found in one pass over the files read
            let mut with_problems: HashMap<&Path, Vec<&LoadError>> = HashMap::new();
            for pr in load_problems {
                with_problems.entry(pr.path.as_path()).or_default().push(pr);
            }
            if !with_problems.is_empty() {
                for (at, f) in rest.iter().enumerate() {
                    for pr in with_problems.remove(f).unwrap_or_default() {
                        ins_problem
                            .execute(params![file_ids[at], pr.at, pr.reason])
                            .at(p)?;
                    }
                }
            }
        }
        tx.commit().at(&self.path)
    }

    /// Every indexed file under the roots: absolute path -> (id, size, mtime).
    fn known_files(&self, paths: &[PathBuf]) -> DbResult<HashMap<String, (i64, i64, i64)>> {
        let mut out = HashMap::new();
        let mut q = self
            .conn
            .prepare_cached(
                "SELECT path, id, size, mtime FROM file
                 WHERE path = ?1 OR (path >= ?2 AND path < ?3)",
            )
            .at(&self.path)?;
        for p in paths {
            let (exact, lo, hi) = root_range(p);
            let rows = q
                .query_map(params![exact, lo, hi], |r| {
                    Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
                })
                .at(&self.path)?;
            for row in rows {
                let (k, v) = row.at(&self.path)?;
                out.insert(k, v);
            }
        }
        Ok(out)
    }

    /// Count the title of every indexed story outside the files being re-read (as a
    /// title-only article): the archive-wide evidence that a line is another story's
    /// title. Returns how many.
    fn add_other_titles(
        &self,
        builder: &mut clean::EvidenceBuilder,
        stale: &HashSet<&str>,
        gone: &[i64],
    ) -> DbResult<usize> {
        let gone: HashSet<i64> = gone.iter().copied().collect();
        let mut q = self
            .conn
            .prepare("SELECT f.id, f.path, s.title FROM story s JOIN file f ON f.id = s.file")
            .at(&self.path)?;
        let mut rows = q.query([]).at(&self.path)?;
        let mut n = 0;
        while let Some(r) = rows.next().at(&self.path)? {
            let file: i64 = r.get(0).at(&self.path)?;
            let path = r.get_ref(1).and_then(|v| Ok(v.as_str()?)).at(&self.path)?;
            if gone.contains(&file) || stale.contains(path) {
                continue;
            }
            builder.add(&Article {
                title: r.get(2).at(&self.path)?,
                ..Article::default()
            });
            n += 1;
        }
        Ok(n)
    }

    /// The archive-wide evidence of the stories under the roots, for cleaning a story
    /// that is opened: kept in the index by the [`Index::refresh`] that read them all,
    /// else gathered now by reading the files once (and kept, when the index can be
    /// written). It is as of the last refresh.
    pub fn evidence(&self, paths: &[PathBuf]) -> DbResult<Evidence> {
        use rusqlite::OptionalExtension;
        let key = roots_key(paths);
        let saved: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT data FROM evidence WHERE roots = ?1", [&key], |r| {
                r.get(0)
            })
            .optional()
            .at(&self.path)?;
        if let Some(ev) = saved.and_then(|d| Evidence::from_bytes(&d)) {
            return Ok(ev);
        }
        let (files, _) = find_files(paths);
        let mut builder = clean::EvidenceBuilder::default();
        let mut spilled = Spilled::beside(&self.path);
        observe_files(&mut builder, &mut spilled, &files);
        let ev = spilled.finish(builder);
        // best effort: a read-only index still answers, only slower next time
        let _ = self.conn.execute(
            "INSERT OR REPLACE INTO evidence (roots, data) VALUES (?1, ?2)",
            params![key, ev.to_bytes()],
        );
        Ok(ev)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::scan::scan_articles;

    #[test]
    fn a_first_build_alone_is_written_straight_and_ends_in_wal_with_the_same_index() {
        let dir = tempfile::tempdir().unwrap();
        let arch = dir.path().join("news");
        std::fs::create_dir_all(&arch).unwrap();
        // more files than a "big" refresh
        for i in 0..1010 {
            let text = format!(
                "Story number {i} of the town\n\nThe council met on day {i} and agreed \
                 the plan for the {i}th bridge.\n"
            );
            std::fs::write(arch.join(format!("{i:04}.txt")), text).unwrap();
        }
        let roots = vec![arch.clone()];
        let opts = Options::default();
        let texts = |ix: &Index| -> Vec<(i64, String, String)> {
            let mut q = ix
                .conn
                .prepare("SELECT rowid, title, body FROM fts ORDER BY rowid")
                .unwrap();
            q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let mode = |ix: &Index| -> String {
            ix.conn
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap()
        };
        let mut shared = Index::open(&dir.path().join("shared.sqlite")).unwrap();
        shared.refresh(&roots, &opts).unwrap();
        let mut alone = Index::open(&dir.path().join("alone.sqlite")).unwrap();
        alone.build_alone();
        let (r, _) = alone.refresh(&roots, &opts).unwrap();
        assert_eq!(r.added, 1010);
        assert_eq!(mode(&alone), "wal");
        assert_eq!(texts(&alone).len(), 1010);
        assert_eq!(texts(&alone), texts(&shared));
        let hits = alone.search("bridge", &roots, 5).unwrap();
        assert_eq!(hits.len(), 5);
        // another connection open on a new index: it stays in WAL, built all the same
        let path = dir.path().join("busy.sqlite");
        let mut busy = Index::open(&path).unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        let _: i64 = other
            .query_row("SELECT count(*) FROM story", [], |r| r.get(0))
            .unwrap();
        busy.build_alone();
        assert!(
            !busy.journal_mode("DELETE"),
            "refused while another has it open"
        );
        busy.refresh(&roots, &opts).unwrap();
        assert_eq!(mode(&busy), "wal");
        assert_eq!(texts(&busy), texts(&shared));
    }

    #[test]
    fn evidence_is_kept_by_a_full_refresh_and_gathered_again_after_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let arch = dir.path().join("news");
        std::fs::create_dir_all(&arch).unwrap();
        let write = |name: &str, title: &str| {
            let text = format!(
                "{title}\n\nSign up for our newsletter\n\nThe council met on {name} and agreed the plan.\n"
            );
            std::fs::write(arch.join(format!("{name}.txt")), text).unwrap();
        };
        for (name, title) in [
            ("mon", "Ferry fares rise again"),
            ("tue", "Bridge plan agreed at last"),
        ] {
            write(name, title);
        }
        write("wed", "Schools close early for the storm");
        let roots = vec![arch.clone()];
        let gathered = || {
            let (_, arts, _) = scan_articles(&roots);
            Evidence::gather(&arts).to_bytes()
        };
        let mut ix = Index::open(&dir.path().join("i.sqlite")).unwrap();
        let opts = Options::default();
        ix.refresh(&roots, &opts).unwrap();
        let saved: i64 = ix
            .conn
            .query_row("SELECT count(*) FROM evidence", [], |r| r.get(0))
            .unwrap();
        assert_eq!(saved, 1);
        let ev = ix.evidence(&roots).unwrap();
        assert_eq!(ev.to_bytes(), gathered());
        assert_eq!(ev.title_count(), 3);
        assert_eq!(
            ev.repeats_in("", "Sign up for our newsletter"),
            3,
            "repeated in every story"
        );
        // a changed file: the kept evidence is dropped, and gathered again when asked
        write("thu", "Market hall to reopen next spring");
        ix.refresh(&roots, &opts).unwrap();
        let saved: i64 = ix
            .conn
            .query_row("SELECT count(*) FROM evidence", [], |r| r.get(0))
            .unwrap();
        assert_eq!(saved, 0);
        let ev = ix.evidence(&roots).unwrap();
        assert_eq!(ev.title_count(), 4);
        assert_eq!(ev.to_bytes(), gathered());
        assert_eq!(ix.evidence(&roots).unwrap().to_bytes(), gathered()); // kept now
    }
}
