//! The loader thread: lists the archive (from the index at once when it has one, else by
//! the quick scan), brings the index up to date and gathers the evidence cleaning needs
//! (kept by the index, else every file read once more, keeping no text); then watches the
//! open folders (notify) and lists them again when a story file is written, changed or
//! removed.

use crate::app::{self, Msg, Stage};
use crate::archive::{self, Index, StoryId};
use crate::clean::{self, Evidence, EvidenceBuilder, Options};
use crate::timing;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// After a change in a watched folder, the loader waits for this long a quiet spell (a
/// story written in several pieces is read once) ...
const QUIET: Duration = Duration::from_millis(200);
/// ... but no longer than this after the first change.
const AT_MOST: Duration = Duration::from_millis(800);

/// What the loader thread sends the loop.
pub enum Bg {
    /// A message for the app.
    App(Msg),
    /// The archive's evidence, for cleaning the stories opened from now on.
    Evidence(Arc<Evidence>),
}

/// List the archive in a thread, then work on in the background:
/// - with an index that lists the paths (`index`: `Some(None)` is the default place), the
///   list at once from it ([`Index::entries`]), then the index brought up to date
///   ([`Msg::Relist`] if files changed), then the evidence;
/// - otherwise every file read once, in batches: each story listed ([`Msg::Entries`]) and
///   counted into the evidence, its text dropped; then, with an index, the index built.
///
/// [`Msg::Loaded`] when the list is complete, [`Bg::Evidence`] when cleaning can start,
/// [`Msg::Idle`] at the end. Then the folders are watched ([`watch`]) for as long as the
/// reader runs. The sender returned tells the loader the list is on screen:
/// work that competes with drawing it (the index refresh, which stats every file) waits
/// for that (a second at most).
pub fn spawn_loader(
    paths: Vec<PathBuf>,
    opts: Options,
    index: Option<Option<PathBuf>>,
) -> (Receiver<Bg>, Sender<()>) {
    spawn_loader_with(paths, opts, index, true)
}

/// [`spawn_loader`], watching the folders afterwards only when `watching` (without, the
/// thread ends, and the channel closes, after [`Msg::Idle`]).
pub fn spawn_loader_with(
    paths: Vec<PathBuf>,
    opts: Options,
    index: Option<Option<PathBuf>>,
    watching: bool,
) -> (Receiver<Bg>, Sender<()>) {
    let (tx, rx) = mpsc::channel();
    let (shown_tx, shown) = mpsc::channel();
    std::thread::spawn(move || {
        let run = std::panic::AssertUnwindSafe(|| {
            let listed = load(&paths, &opts, index, &tx, &shown)?;
            if watching {
                watch(&paths, &opts, listed, &tx)?;
            }
            Ok::<(), mpsc::SendError<Bg>>(())
        });
        if let Err(p) = std::panic::catch_unwind(run).map(|_| ()) {
            let _ = tx.send(Bg::App(Msg::LoadFailed(panic_text(&*p))));
        }
    });
    (rx, shown_tx)
}

pub(crate) fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".into())
}

type Sent<T = ()> = Result<T, mpsc::SendError<Bg>>;

/// What [`watch`] goes on with: the index (if any) and the ids of the stories listed.
struct Listed {
    index: Option<Index>,
    ids: HashSet<StoryId>,
}

fn load(
    paths: &[PathBuf],
    opts: &Options,
    index: Option<Option<PathBuf>>,
    tx: &Sender<Bg>,
    shown: &Receiver<()>,
) -> Sent<Listed> {
    let mut ids: HashSet<StoryId> = HashSet::new();
    let app = |m: Msg| tx.send(Bg::App(m));
    // the list at once from the index, when it has one
    let mut ix = None;
    let mut listed = false;
    if let Some(place) = index {
        match Index::open_default(place.as_deref()) {
            Ok(i) => {
                // a crawl's stories open from their records (the story reader's read)
                let _ = i.remember_places();
                if let Ok(entries) = i.entries_with(paths, app::Entry::new) {
                    if !entries.is_empty() {
                        timing::reader(&format!("{} entries from the index", entries.len()));
                        ids.extend(entries.iter().map(|e| e.id));
                        app(Msg::Entries(entries))?;
                        app(progress(Stage::Indexing, 0, 0))?; // next, shown once listed
                        app(Msg::Loaded)?;
                        listed = true;
                        let _ = shown.recv_timeout(Duration::from_secs(1));
                    }
                }
                ix = Some(i);
            }
            Err(e) => app(Msg::IndexReady(Err(e.to_string())))?,
        }
    }
    // no listing: the quick scan lists every story from the top of its file (as
    // `list --no-index` does, about as fast as ripgrep reads the folder), then every file
    // is read once more, whole, for the evidence
    let mut evidence_sent = false;
    if !listed {
        let mut problems = Vec::new();
        let mut done = 0;
        archive::scan::scan_each(paths, |entries, p| {
            problems.extend(p);
            done += entries.len();
            ids.extend(entries.iter().map(|e| e.id));
            app(Msg::Entries(
                entries.into_iter().map(app::Entry::new).collect(),
            ))?;
            app(progress(Stage::Loading, done, 0))
        })?;
        timing::reader(&format!("{done} entries from the quick scan"));
        app(Msg::Problems(problems))?;
        app(Msg::Loaded)?;
        app(progress(Stage::Cleaning, 0, 0))?; // until the walk gives the total
        let ev = stream(paths, tx)?;
        tx.send(Bg::Evidence(Arc::new(ev)))?;
        if ix.is_some() {
            app(progress(Stage::Indexing, 0, 0))?;
        }
        evidence_sent = true;
    }
    // the index brought up to date, and the list again if the files changed
    let mut kept = None;
    if let Some(mut ix) = ix {
        app(progress(Stage::Indexing, 0, 0))?;
        match ix.refresh(paths, opts) {
            Ok((r, problems)) => {
                if !listed || r.added + r.changed + r.removed > 0 {
                    match ix.entries_with(paths, app::Entry::new) {
                        Ok(entries) => {
                            ids = entries.iter().map(|e| e.id).collect();
                            app(Msg::Relist(entries))?
                        }
                        Err(e) => app(Msg::IndexReady(Err(e.to_string())))?,
                    }
                }
                if listed {
                    app(Msg::Problems(problems))?;
                }
                timing::reader("index refreshed");
                app(Msg::IndexReady(Ok(())))?;
            }
            Err(e) => app(Msg::IndexReady(Err(e.to_string())))?,
        }
        kept = Some(ix);
    }
    if !evidence_sent {
        // kept in the index by its refresh (else read from the files, once)
        app(progress(Stage::Cleaning, 0, 0))?;
        let ev = match &kept {
            Some(ix) => ix.evidence(paths).ok(),
            None => None,
        };
        let ev = match ev {
            Some(ev) => ev,
            None => stream(paths, tx)?,
        };
        timing::reader("evidence in");
        tx.send(Bg::Evidence(Arc::new(ev)))?;
    }
    timing::reader("background work done");
    app(Msg::Idle)?;
    Ok(Listed { index: kept, ids })
}

/// Watch the folders (and files) opened, for as long as the reader runs: when story files
/// are written, changed or removed (a quiet spell after the first change, a second at
/// most), the index is brought up to date and the list sent again ([`Msg::Relist`]: new
/// stories unread, reading state kept), with "1 new" / "1 gone" in the status line.
/// Without an index the folders are scanned again. Returns when the reader has gone, or
/// at once when the folders cannot be watched.
fn watch(paths: &[PathBuf], opts: &Options, listed: Listed, tx: &Sender<Bg>) -> Sent {
    use notify::{EventKind, RecursiveMode, Watcher};
    let Listed { mut index, mut ids } = listed;
    let (ev_tx, events) = mpsc::channel::<()>();
    let handler = move |ev: notify::Result<notify::Event>| {
        let Ok(ev) = ev else { return };
        let relevant = match ev.kind {
            EventKind::Access(notify::event::AccessKind::Close(
                notify::event::AccessMode::Write,
            )) => true,
            EventKind::Access(_) => false,
            EventKind::Modify(notify::event::ModifyKind::Metadata(_)) => false,
            _ => true,
        };
        // the folders' own changes count (a rename, a folder made); files only if they
        // are stories
        if relevant
            && ev.paths.iter().any(|p| {
                crate::article::format_of(p).is_some() || p.extension().is_none() || p.is_dir()
            })
        {
            let _ = ev_tx.send(());
        }
    };
    let Ok(mut watcher) = notify::recommended_watcher(handler) else {
        return Ok(());
    };
    let mut watching = 0;
    for p in paths {
        let mode = if p.is_dir() {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        if watcher.watch(p, mode).is_ok() {
            watching += 1;
        }
    }
    if watching == 0 {
        return Ok(());
    }
    timing::reader("watching the folders");
    while events.recv().is_ok() {
        let first = Instant::now();
        while first.elapsed() < AT_MOST {
            match events.recv_timeout(QUIET) {
                Ok(()) => continue,
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
        let entries = match index.as_mut() {
            Some(ix) => match ix.refresh(paths, opts) {
                Ok((r, _)) if r.added + r.changed + r.removed == 0 => continue,
                Ok(_) => match ix.entries_with(paths, app::Entry::new) {
                    Ok(entries) => entries,
                    Err(_) => continue,
                },
                Err(e) => {
                    tx.send(Bg::App(Msg::Status(format!("index not updated: {e}"))))?;
                    continue;
                }
            },
            None => {
                let mut all = Vec::new();
                archive::scan::scan_each(paths, |entries, _| {
                    all.extend(entries.into_iter().map(app::Entry::new));
                    Ok::<(), std::convert::Infallible>(())
                })
                .ok();
                all
            }
        };
        let now: HashSet<StoryId> = entries.iter().map(|e| e.id).collect();
        let new = now.difference(&ids).count();
        let gone = ids.difference(&now).count();
        ids = now;
        tx.send(Bg::App(Msg::Relist(entries)))?;
        let mut said = Vec::new();
        if new > 0 {
            said.push(format!("{new} new"));
        }
        if gone > 0 {
            said.push(format!("{gone} gone"));
        }
        if !said.is_empty() {
            timing::reader(&format!("relisted: {}", said.join(", ")));
            tx.send(Bg::App(Msg::Status(said.join(", "))))?;
        }
    }
    Ok(())
}

pub(crate) fn progress(stage: Stage, done: usize, total: usize) -> Msg {
    Msg::Progress { stage, done, total }
}

/// Read every file under `paths` once, a batch at a time (each batch in parallel; a big
/// JSON Lines file a line at a time), counting each story into the evidence and
/// dropping its text ("cleaning 1234/N" meanwhile). Load problems are not said again:
/// the list's scan said them.
fn stream(paths: &[PathBuf], tx: &Sender<Bg>) -> Result<Evidence, mpsc::SendError<Bg>> {
    use rayon::prelude::*;
    const FILES_PER_BATCH: usize = 64;
    const EVERY: Duration = Duration::from_millis(30);
    let send = |m: Msg| tx.send(Bg::App(m));
    let (files, _) = archive::find_files(paths);
    let total = files.len();
    send(progress(Stage::Cleaning, 0, total))?;
    let mut builder = EvidenceBuilder::default();
    let mut last = Instant::now();
    for (i, chunk) in files.chunks(FILES_PER_BATCH).enumerate() {
        let seen: Vec<Vec<clean::Observed>> = chunk
            .par_iter()
            .map(|f| {
                let mut obs = Vec::new();
                crate::article::for_each_article(f, |a| obs.push(clean::observe(&a)));
                obs
            })
            .collect();
        seen.into_iter()
            .flatten()
            .for_each(|o| builder.add_observed(o));
        if last.elapsed() > EVERY {
            last = Instant::now();
            let done = ((i + 1) * FILES_PER_BATCH).min(total);
            send(progress(Stage::Cleaning, done, total))?;
        }
    }
    send(progress(Stage::Cleaning, total, total))?;
    Ok(builder.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loader_lists_everything_then_loaded_then_the_evidence() {
        let (rx, _) = spawn_loader_with(
            vec![
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("articles"),
                PathBuf::from("/no/such/place"),
            ],
            Options::default(),
            None,
            false,
        );
        let mut stories = 0;
        let mut problems = 0;
        let mut order = Vec::new();
        for m in rx {
            match m {
                Bg::App(Msg::Entries(s)) => stories += s.len(),
                Bg::App(Msg::Problems(p)) => problems += p.len(),
                Bg::App(Msg::Loaded) => order.push("loaded"),
                Bg::Evidence(ev) => {
                    assert!(ev.title_count() >= 10);
                    order.push("evidence")
                }
                Bg::App(Msg::Idle) => order.push("idle"),
                _ => {}
            }
        }
        assert_eq!(order, ["loaded", "evidence", "idle"]);
        assert!(stories >= 16 && problems == 1, "{stories} {problems}");
    }

    #[test]
    fn with_an_index_the_list_comes_from_it_and_changes_are_relisted() {
        let dir = tempfile::tempdir().unwrap();
        let arch = dir.path().join("news");
        std::fs::create_dir_all(&arch).unwrap();
        let text = |t: &str| format!("{t}\n\nThe council met on Monday and agreed the plan.\n");
        std::fs::write(arch.join("a.txt"), text("A first title")).unwrap();
        let ix = dir.path().join("index.sqlite");
        let run = || {
            let (rx, _) = spawn_loader_with(
                vec![arch.clone()],
                Options::default(),
                Some(Some(ix.clone())),
                false,
            );
            let mut got = Vec::new();
            for m in rx {
                match m {
                    Bg::App(Msg::Entries(e)) => got.push(("entries", e.len())),
                    Bg::App(Msg::Relist(e)) => got.push(("relist", e.len())),
                    Bg::App(Msg::IndexReady(r)) => got.push(("index", r.is_ok() as usize)),
                    Bg::App(Msg::Loaded) => got.push(("loaded", 0)),
                    Bg::Evidence(_) => got.push(("evidence", 0)),
                    _ => {}
                }
            }
            got
        };
        // no index yet: the files are listed by the quick scan, read for the evidence,
        // then the index built and listed from
        assert_eq!(
            run(),
            [
                ("entries", 1),
                ("loaded", 0),
                ("evidence", 0),
                ("relist", 1),
                ("index", 1)
            ]
        );
        // the index lists at once; nothing changed, nothing relisted
        assert_eq!(
            run(),
            [("entries", 1), ("loaded", 0), ("index", 1), ("evidence", 0)]
        );
        std::fs::write(arch.join("b.txt"), text("A second title")).unwrap();
        assert_eq!(
            run(),
            [
                ("entries", 1),
                ("loaded", 0),
                ("relist", 2),
                ("index", 1),
                ("evidence", 0)
            ]
        );
    }

    #[test]
    fn a_watched_folder_relists_a_story_written_and_one_removed() {
        let dir = tempfile::tempdir().unwrap();
        let arch = dir.path().join("news");
        std::fs::create_dir_all(&arch).unwrap();
        let text = |t: &str| format!("{t}\n\nThe council met on Monday and agreed the plan.\n");
        std::fs::write(arch.join("a.txt"), text("A first title")).unwrap();
        let (rx, _) = spawn_loader_with(
            vec![arch.clone()],
            Options::default(),
            Some(Some(dir.path().join("index.sqlite"))),
            true,
        );
        let wait = |want: &dyn Fn(&Msg) -> bool| loop {
            match rx.recv_timeout(Duration::from_secs(10)) {
                Ok(Bg::App(m)) if want(&m) => return m,
                Ok(_) => {}
                Err(e) => panic!("{e}"),
            }
        };
        wait(&|m| matches!(m, Msg::Idle));
        std::thread::sleep(Duration::from_millis(300)); // the watch begins
        std::fs::write(arch.join("b.txt"), text("A second title")).unwrap();
        let Msg::Relist(e) = wait(&|m| matches!(m, Msg::Relist(_))) else {
            unreachable!()
        };
        assert_eq!(e.len(), 2);
        let Msg::Status(s) = wait(&|m| matches!(m, Msg::Status(_))) else {
            unreachable!()
        };
        assert_eq!(s, "1 new");
        std::fs::remove_file(arch.join("a.txt")).unwrap();
        let Msg::Relist(e) = wait(&|m| matches!(m, Msg::Relist(_))) else {
            unreachable!()
        };
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].title(), "A second title");
    }
}
