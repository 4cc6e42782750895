//! The state worker: one thread that does, in the order asked (one queue, first in first
//! out), the shell's work that waits on the disk, so the UI thread never does: writes to
//! the reading state (an SQLite commit each), the remembered state of stories as they are
//! listed, matching it to edited stories, searches in the index, exports. What it finds
//! or fails at comes back as an answer ([`Done`]) that the shell turns into messages.

use super::error::ShellError;
use super::loader::panic_text;
use super::os::export_file;
use super::story_reader::{read_story, Want};
use crate::app::{Msg, SearchAnswer};
use crate::archive::{DbError, Entry, Index, Store, Story, StoryId};
use crate::clean::{Evidence, Options};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Read, starred, the paragraph scrolled to.
pub(crate) type Marks = (bool, bool, Option<u32>);

/// What the worker is asked to do.
pub(crate) enum Job {
    /// Remember a story as read or unread.
    Read(Entry, bool),
    /// Remember a story as starred or not.
    Star(Entry, bool),
    /// Remember the paragraph a story is scrolled to.
    Scroll(Entry, u32),
    /// Remember the selected story.
    LastSelection(StoryId),
    /// Remember a reader setting.
    Setting(&'static str, String),
    /// The remembered state of these stories (the list's entries from `from` on; each
    /// with whether its feed reader has it read, for a story with no record here).
    Marks {
        from: usize,
        ids: Vec<StoryId>,
        feed_read: Vec<bool>,
    },
    /// Match the remembered state to the list (edited stories get theirs back by path),
    /// then the state of every entry, if any moved (or `always`).
    Reconcile { entries: Vec<Entry>, always: bool },
    /// A ranked full-text search in the index (at `place`, else the default one),
    /// opened on the first.
    Search {
        query: String,
        place: Option<PathBuf>,
    },
    /// Write a story as Markdown to a file.
    Export(Export),
    /// Answer on this channel once everything asked before is done (not counted as a
    /// job: the signal's way out waits on it).
    Flush(Sender<()>),
}

/// The story to export.
pub(crate) enum Export {
    /// As the reader has it.
    Story(Box<Story>),
    /// Read from its file first (cleaned with the evidence, when there is some).
    Read(Want, Option<Arc<Evidence>>),
}

/// A job done: its number and what came of it.
pub(crate) struct Done {
    /// The job's number (from 1, in the order asked).
    pub(crate) seq: u64,
    /// Remembered state found for entries.
    pub(crate) marks: Option<Marked>,
    /// A message for the app (search results, a status line: what was done, or why not).
    pub(crate) msg: Option<Msg>,
}

/// Remembered state for the list's entries from `from` on, one for each id (the ids
/// are checked against the list when the answer comes: it may have changed).
pub(crate) struct Marked {
    pub(crate) from: usize,
    pub(crate) ids: Vec<StoryId>,
    pub(crate) marks: Vec<Marks>,
}

/// The sending end of the worker's queue: jobs with their numbers.
type Queue = Sender<(u64, Job)>;

/// The worker thread and the two ends of its queue.
pub(crate) struct Worker {
    /// The queue, shared with the [`Worker::flusher`] (emptied when the worker is to end).
    jobs: Arc<Mutex<Option<Queue>>>,
    done: Receiver<Done>,
    thread: Option<JoinHandle<()>>,
    /// Jobs asked for so far.
    asked: u64,
    /// Jobs asked for and not answered yet.
    outstanding: usize,
}

impl Worker {
    /// Start the worker on the reading state (if it could be opened); `paths`: the
    /// archive, for searches; `opts`: cleaning, for a story exported before it was read.
    pub(crate) fn spawn(store: Option<Store>, paths: Vec<PathBuf>, opts: Options) -> Worker {
        let (jobs, rx) = mpsc::channel::<(u64, Job)>();
        let (tx, done) = mpsc::channel();
        let mut work = Work {
            store,
            index: None,
            paths,
            opts,
        };
        let thread = std::thread::Builder::new()
            .name("state worker".into())
            .spawn(move || {
                for (seq, job) in rx {
                    let job = match job {
                        Job::Flush(ack) => {
                            let _ = ack.send(());
                            continue;
                        }
                        job => job,
                    };
                    let run = std::panic::AssertUnwindSafe(|| {
                        super::fault("worker");
                        work.run(job)
                    });
                    let (marks, msg) = std::panic::catch_unwind(run).unwrap_or_else(|p| {
                        let why = format!("an internal error (a bug): {}", panic_text(&*p));
                        (None, Some(Msg::Status(why)))
                    });
                    // the reader may have quit: the writes left are done all the same
                    let _ = tx.send(Done { seq, marks, msg });
                }
            })
            .ok();
        Worker {
            jobs: Arc::new(Mutex::new(Some(jobs))),
            done,
            thread,
            asked: 0,
            outstanding: 0,
        }
    }

    /// Queue a job; its number.
    pub(crate) fn ask(&mut self, job: Job) -> Result<u64, ShellError> {
        let seq = self.asked + 1;
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.as_ref()
            .and_then(|j| j.send((seq, job)).ok())
            .ok_or(ShellError::WorkerStopped)?;
        self.asked = seq;
        self.outstanding += 1;
        Ok(seq)
    }

    /// The number of the last job asked for (0: none).
    pub(crate) fn asked(&self) -> u64 {
        self.asked
    }

    /// Jobs asked for and not answered yet.
    pub(crate) fn outstanding(&self) -> usize {
        self.outstanding
    }

    /// An answer, if one is waiting; with `wait`, the next one (`None` when none is due).
    pub(crate) fn answer(&mut self, wait: bool) -> Option<Done> {
        if self.outstanding == 0 {
            return None;
        }
        let d = if wait {
            self.done.recv().ok()
        } else {
            self.done.try_recv().ok()
        };
        if d.is_some() {
            self.outstanding -= 1;
        } else if wait {
            self.outstanding = 0; // the worker is gone: nothing more will come
        }
        d
    }

    /// What waits (at most a given time) for the jobs asked for so far; for a signal's
    /// way out, from another thread.
    pub(crate) fn flusher(&self) -> impl Fn(Duration) + Send + 'static {
        let jobs = Arc::clone(&self.jobs);
        move |most| {
            let (ack, done) = mpsc::channel();
            let sent = jobs
                .lock()
                .ok()
                .and_then(|j| j.as_ref()?.send((0, Job::Flush(ack))).ok());
            if sent.is_some() {
                let _ = done.recv_timeout(most);
            }
        }
    }
}

impl Drop for Worker {
    /// Every job asked for is done before the reader ends (the queue closed, then the
    /// thread waited for).
    fn drop(&mut self) {
        if let Ok(mut jobs) = self.jobs.lock() {
            *jobs = None;
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What the worker thread holds.
struct Work {
    store: Option<Store>,
    /// Opened on the first search.
    index: Option<Index>,
    paths: Vec<PathBuf>,
    opts: Options,
}

impl Work {
    fn run(&mut self, job: Job) -> (Option<Marked>, Option<Msg>) {
        let saved = |r: Result<(), DbError>| {
            r.err()
                .map(|e| Msg::Status(format!("reading state not saved: {e}")))
        };
        let store = self.store.as_mut();
        match job {
            Job::Flush(_) => (None, None),
            Job::Read(e, read) => (None, store.and_then(|s| saved(s.set_read(e.key(), read)))),
            Job::Star(e, star) => (
                None,
                store.and_then(|s| saved(s.set_starred(e.key(), star))),
            ),
            Job::Scroll(e, para) => (None, store.and_then(|s| saved(s.set_scroll(e.key(), para)))),
            Job::LastSelection(id) => (None, store.and_then(|s| saved(s.set_last_selection(id)))),
            Job::Setting(k, v) => (None, store.and_then(|s| saved(s.set_setting(k, &v)))),
            Job::Marks {
                from,
                ids,
                feed_read,
            } => {
                let marks = store.map(|s| {
                    let marks = ids
                        .iter()
                        .zip(feed_read.iter().chain(std::iter::repeat(&false)))
                        .map(|(&id, &elsewhere)| s.marks_or(id, elsewhere))
                        .collect();
                    Marked { from, ids, marks }
                });
                (marks, None)
            }
            Job::Reconcile { entries, always } => {
                let Some(s) = store else {
                    return (None, None);
                };
                let (moved, msg) = match s.reconcile(entries.iter().map(|e| e.key())) {
                    Ok(n) => (n > 0, None),
                    Err(e) => (false, Some(Msg::Status(format!("reading state: {e}")))),
                };
                let marks = (moved || always).then(|| {
                    let ids: Vec<StoryId> = entries.iter().map(|e| e.id).collect();
                    let marks = entries
                        .iter()
                        .map(|e| s.marks_or(e.id, e.feed_read()))
                        .collect();
                    Marked {
                        from: 0,
                        ids,
                        marks,
                    }
                });
                (marks, msg)
            }
            Job::Search { query, place } => {
                let found = self.search(&query, place);
                (None, Some(Msg::SearchResults { query, found }))
            }
            Job::Export(what) => {
                let written = match what {
                    Export::Story(s) => export_file(&s),
                    Export::Read(w, ev) => {
                        read_story(&w.path, w.index_in_file, w.id, ev.as_deref(), &self.opts)
                            .map_err(ShellError::Unreadable)
                            .and_then(|r| export_file(&r.story))
                    }
                };
                let m = written.map_or_else(
                    |e| e.to_string(),
                    |p| format!("exported to {}", p.display()),
                );
                (None, Some(Msg::Status(m)))
            }
        }
    }

    /// Ranked full-text search: the stories found, best first, and the words that
    /// matched.
    fn search(&mut self, query: &str, place: Option<PathBuf>) -> Result<SearchAnswer, String> {
        if self.index.is_none() {
            let ix = Index::open_default(place.as_deref()).map_err(|e| e.to_string())?;
            self.index = Some(ix);
        }
        let ix = self.index.as_ref().expect("opened above");
        let hits = ix
            .search(query, &self.paths, 500)
            .map_err(|e| e.to_string())?;
        let mut terms: Vec<String> = Vec::new();
        for h in &hits {
            for m in &h.marks {
                if let Some(t) = h.snippet.get(m.clone()) {
                    let t = t.to_lowercase();
                    if !terms.contains(&t) {
                        terms.push(t);
                    }
                }
            }
        }
        Ok(SearchAnswer {
            stories: hits.into_iter().map(|h| h.entry.id).collect(),
            terms,
        })
    }
}
