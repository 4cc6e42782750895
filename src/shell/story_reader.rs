//! The story reader thread: reads a story from its file when it is opened (of several
//! waiting, the newest), cleans it once the evidence is in, and prefetches the next.

use super::loader::panic_text;
use crate::app::{Msg, ReadStory};
use crate::archive::{self, Story, StoryId};
use crate::clean::{self, Cleaned, Evidence, Options};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

/// A story to read: which, and where.
#[derive(Debug, Clone)]
pub(crate) struct Want {
    pub(crate) id: StoryId,
    pub(crate) path: PathBuf,
    pub(crate) index_in_file: usize,
}

/// What the story reader thread is asked.
pub(crate) enum Request {
    /// Read this story now (only the latest such request is answered).
    Open(Want),
    /// Read this one when nothing else waits.
    Prefetch(Want),
    /// Clean what is read from now on with this evidence.
    Evidence(Arc<Evidence>),
}

/// The story reader: a thread that reads (and, once it has the evidence, cleans) the
/// stories asked for, answering with [`Msg::Story`]. Of several requests waiting, only the
/// newest `Open` is read (keys held down through the list ask for many), then the newest
/// prefetch.
pub(crate) fn spawn_story_reader(opts: Options) -> (Sender<Request>, Receiver<Msg>) {
    let (req_tx, req_rx) = mpsc::channel::<Request>();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new().name("story reader".into());
    let _ = spawned.spawn(move || {
        let mut ev: Option<Arc<Evidence>> = None;
        let mut prefetch: Option<Want> = None;
        loop {
            let first = if prefetch.is_some() {
                match req_rx.try_recv() {
                    Ok(r) => Some(r),
                    Err(mpsc::TryRecvError::Empty) => None,
                    Err(mpsc::TryRecvError::Disconnected) => return,
                }
            } else {
                match req_rx.recv() {
                    Ok(r) => Some(r),
                    Err(_) => return,
                }
            };
            let mut open = None;
            for r in first.into_iter().chain(req_rx.try_iter()) {
                match r {
                    Request::Open(w) => open = Some(w),
                    Request::Prefetch(w) => prefetch = Some(w),
                    Request::Evidence(e) => ev = Some(e),
                }
            }
            let Some(w) = open.or_else(|| prefetch.take()) else {
                continue;
            };
            let ev = ev.as_deref();
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                super::fault("story");
                read_story(&w.path, w.index_in_file, w.id, ev, &opts)
            }))
            .unwrap_or_else(|p| Err(format!("a bug: {}", panic_text(&*p))));
            let msg = Msg::Story {
                id: w.id,
                story: read.map(Box::new),
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
    (req_tx, rx)
}

/// Read one story from its file: the one with this id (else the one at its place in the
/// file), cleaned with the evidence when there is some, every block as stored when not.
pub fn read_story(
    path: &Path,
    index_in_file: usize,
    id: StoryId,
    ev: Option<&Evidence>,
    opts: &Options,
) -> Result<ReadStory, String> {
    // a story whose place in its file is known (a WARC's record) is read alone
    if let Some(article) = archive::load_story(path, index_in_file).filter(|a| StoryId::of(a) == id)
    {
        return Ok(ready(article, ev, opts));
    }
    let (mut articles, problems) = archive::load_all(&[path.to_path_buf()]);
    let at = articles
        .iter()
        .position(|a| StoryId::of(a) == id)
        .or_else(|| (index_in_file < articles.len()).then_some(index_in_file));
    let Some(at) = at else {
        return Err(match problems.first() {
            Some(p) => p.to_string(),
            None => format!("{}: the story is no longer in the file", path.display()),
        });
    };
    let article = articles.swap_remove(at);
    drop(articles);
    Ok(ready(article, ev, opts))
}

/// A story read, cleaned with the evidence when there is some.
fn ready(article: crate::article::Article, ev: Option<&Evidence>, opts: &Options) -> ReadStory {
    match ev {
        Some(ev) => {
            let cleaned = clean::clean(&article, ev, opts);
            ReadStory::new(Story { article, cleaned }, true)
        }
        None => ReadStory::new(
            Story {
                article,
                cleaned: Cleaned::default(),
            },
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_reader_reads_and_cleans_the_newest_request() {
        let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("articles");
        let (files, _) = archive::find_files(&[samples]);
        let (articles, _) = archive::load_all(&files);
        let want = |a: &crate::article::Article| Want {
            id: StoryId::of(a),
            path: a.path.clone(),
            index_in_file: a.index_in_file,
        };
        let (tx, rx) = spawn_story_reader(Options::default());
        tx.send(Request::Open(want(&articles[0]))).unwrap();
        let Msg::Story { id, story } = rx.recv().unwrap() else {
            panic!("a story")
        };
        let r = story.unwrap();
        assert_eq!(id, StoryId::of(&articles[0]));
        assert!(!r.cleaned && r.story.cleaned.blocks.is_empty());
        assert_eq!(r.story.article.title, articles[0].title);
        tx.send(Request::Evidence(Arc::new(Evidence::gather(&articles))))
            .unwrap();
        tx.send(Request::Open(want(&articles[1]))).unwrap();
        let Msg::Story { id, story } = rx.recv().unwrap() else {
            panic!("a story")
        };
        assert_eq!(id, StoryId::of(&articles[1]));
        let r = story.unwrap();
        assert!(r.cleaned && !r.story.cleaned.blocks.is_empty() && r.words > 0);
        let gone = Want {
            path: PathBuf::from("/no/such/file.txt"),
            ..want(&articles[2])
        };
        tx.send(Request::Open(gone)).unwrap();
        let Msg::Story { story, .. } = rx.recv().unwrap() else {
            panic!("a story")
        };
        assert!(story.unwrap_err().contains("/no/such/file.txt"));
    }
}
