//! The stories read from their files: the few opened lately kept ([`Cache`]), and what
//! happens when one arrives from the story reader.

use super::App;
use crate::archive::{Story, StoryId};
use std::collections::HashMap;
use std::rc::Rc;

/// A story read from its file, as the reading pane needs it.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The story (shared with the reading pane's layout, never copied).
    pub story: Rc<Story>,
    /// Cleaned with the archive's evidence? (Until the evidence is gathered, a story is
    /// shown with every block as stored.)
    pub cleaned: bool,
    /// Words shown as the story (for the reading time).
    pub words: usize,
}

/// A story read from its file in the background, on its way to the app
/// ([`Msg::Story`](super::Msg::Story)).
#[derive(Debug, Clone)]
pub struct ReadStory {
    /// The story.
    pub story: Story,
    /// Cleaned with the archive's evidence (else `story.cleaned` is empty: every block is
    /// shown as stored)?
    pub cleaned: bool,
    /// Words shown as the story (counted where it was read, off the loop).
    pub words: usize,
}

impl ReadStory {
    /// A story, cleaned or not, its words counted.
    pub fn new(story: Story, cleaned: bool) -> ReadStory {
        ReadStory {
            words: Opened::words_of(&story, cleaned),
            story,
            cleaned,
        }
    }
}

impl Opened {
    /// A story, cleaned (`cleaned.blocks` given) or not (empty: every block as stored).
    pub fn new(story: Story, cleaned: bool) -> Opened {
        Opened::from(ReadStory::new(story, cleaned))
    }
    /// Words shown as the story: the shown blocks', or every block's when not cleaned.
    pub fn words_of(story: &Story, cleaned: bool) -> usize {
        let count = |t: &str| t.split_whitespace().count();
        if cleaned {
            story.cleaned.body().map(|d| count(&d.text)).sum()
        } else {
            story.article.blocks.iter().map(|b| count(&b.text)).sum()
        }
    }
}

impl From<ReadStory> for Opened {
    fn from(r: ReadStory) -> Opened {
        Opened {
            story: Rc::new(r.story),
            cleaned: r.cleaned,
            words: r.words,
        }
    }
}

/// Stories opened recently, by id: the open one, a few before it and a prefetched
/// neighbour. Pinned stories (given whole with [`Msg::Stories`](super::Msg::Stories)) are
/// never dropped.
#[derive(Debug, Clone, Default)]
pub struct Cache {
    items: HashMap<StoryId, (Opened, bool, u64)>,
    tick: u64,
}

/// Stories kept in the cache besides pinned ones.
pub const CACHED: usize = 8;

impl Cache {
    /// The story with this id, if it is held.
    pub fn get(&self, id: StoryId) -> Option<&Opened> {
        self.items.get(&id).map(|(o, _, _)| o)
    }
    pub(super) fn touch(&mut self, id: StoryId) {
        self.tick += 1;
        if let Some(x) = self.items.get_mut(&id) {
            x.2 = self.tick;
        }
    }
    pub(super) fn insert(&mut self, id: StoryId, o: Opened, pinned: bool) {
        self.tick += 1;
        self.items.insert(id, (o, pinned, self.tick));
        while self.items.values().filter(|x| !x.1).count() > CACHED {
            let oldest = self
                .items
                .iter()
                .filter(|(_, x)| !x.1)
                .min_by_key(|(_, x)| x.2)
                .map(|(k, _)| *k);
            match oldest {
                Some(k) => self.items.remove(&k),
                None => break,
            };
        }
    }
    /// Drop the stories shown uncleaned (the evidence to clean them is in now).
    pub(super) fn drop_uncleaned(&mut self) {
        self.items.retain(|_, (o, pinned, _)| o.cleaned || *pinned);
    }
    /// How many stories are held.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// None held?
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl App {
    /// The story with this id, if it has been read (and is still in the cache).
    pub fn opened(&self, id: StoryId) -> Option<&Opened> {
        self.stories.get(id)
    }

    /// A story read from its file (or why it could not be).
    pub(super) fn arrived(&mut self, id: StoryId, story: Result<Box<ReadStory>, String>) {
        let asked = self.requested == Some(id);
        match story {
            Ok(o) if !o.cleaned && self.evidence_ready => {
                // read before the evidence came: asked for again, to be cleaned
                if asked {
                    self.requested = None;
                }
            }
            Ok(o) => {
                if let Some(src) = o.story.source() {
                    // a source the text states is known once the story is cleaned
                    for e in self.entries.iter_mut().filter(|e| e.id == id) {
                        if e.source().is_none() {
                            e.listed = e.listed.with_source(Some(src));
                        }
                    }
                }
                self.stories.insert(id, Opened::from(*o), false);
                if self.failed.as_ref().is_some_and(|(f, _)| *f == id) {
                    self.failed = None;
                }
                if asked {
                    self.requested = None;
                }
                if let Some((aid, a)) = self.after_load {
                    if aid == id {
                        self.after_load = None;
                        if let Some(i) = self.entries.iter().position(|e| e.id == id) {
                            self.url_action(i, a);
                        }
                    }
                }
            }
            Err(why) => {
                // it names the file: shown as the terminal may show it
                let why = crate::text::sanitize(&why);
                // not asked for again until the selection moves on and back
                let title = self
                    .entries
                    .iter()
                    .find(|e| e.id == id)
                    .map(|e| e.title())
                    .unwrap_or("");
                if asked || self.after_load.is_some_and(|(a, _)| a == id) {
                    self.message = Some(format!("could not read {title:?}: {why}"));
                    self.after_load = None;
                }
                self.failed = Some((id, why));
            }
        }
    }
}
