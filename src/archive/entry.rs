//! A story as the list shows it ([`Entry`]): no text, only what identifies and describes
//! it. The texts of the entries made together (a whole listing: 100,000 stories) live in
//! one shared buffer, each entry holding where its own are, so making the list is a few
//! copies rather than four allocations per story, and the list takes less memory.

use super::state::{Key, StoryId};
use super::Story;
use crate::article::Article;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The texts of some entries, end to end; paths that are not UTF-8 (rare) apart.
#[derive(Default)]
struct Texts {
    text: String,
    odd: Vec<PathBuf>,
}

/// Where a text is in [`Texts::text`]: `start..end`; [`Span::NONE`] for none, and for a
/// path, `start == ODD` for `odd[end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    const NONE: Span = Span {
        start: u32::MAX,
        end: u32::MAX,
    };
    const ODD: u32 = u32::MAX - 1;
}

/// A story as the list shows it: no text, only what identifies and describes it. Cheap
/// to clone (the texts are shared).
#[derive(Clone)]
pub struct Entry {
    /// The content id (the key of the reading state).
    pub id: StoryId,
    /// Position within a file that holds several stories, from 0.
    pub index_in_file: usize,
    texts: Arc<Texts>,
    path: Span,
    title: Span,
    source: Span,
    date: Span,
    flags: u8,
}

impl Entry {
    /// [`Entry::flags`]: the feed reader it came from (newsboat) has it read.
    pub const FEED_READ: u8 = 1;
    /// [`Entry::flags`]: the date is the day a web archive captured it (none of its own).
    pub const CAPTURE_DATE: u8 = 2;

    /// What an article says that the list shows beside its texts ([`Entry::FEED_READ`],
    /// [`Entry::CAPTURE_DATE`]).
    pub fn flags_of(a: &Article) -> u8 {
        let mut f = 0;
        if a.feed_unread == Some(false) {
            f |= Entry::FEED_READ;
        }
        if a.date.is_none() && a.list_date().is_some() {
            f |= Entry::CAPTURE_DATE;
        }
        f
    }

    /// The flags ([`Entry::FEED_READ`], [`Entry::CAPTURE_DATE`]).
    pub fn flags(&self) -> u8 {
        self.flags
    }

    /// The same entry with these flags.
    pub fn with_flags(mut self, flags: u8) -> Entry {
        self.flags = flags;
        self
    }

    /// The feed reader it came from has it read (no state of broadsheet's own yet).
    pub fn feed_read(&self) -> bool {
        self.flags & Entry::FEED_READ != 0
    }

    /// The date shown is the day it was captured, not its own.
    pub fn date_is_capture(&self) -> bool {
        self.flags & Entry::CAPTURE_DATE != 0
    }

    /// An entry of its own (a list made at once is better made by an [`EntryBuilder`]).
    pub fn new(
        id: StoryId,
        path: &Path,
        index_in_file: usize,
        title: &str,
        source: Option<&str>,
        date: Option<&str>,
    ) -> Entry {
        let mut b = EntryBuilder::with_capacity(1, 0);
        b.push(id, path, index_in_file, title, source, date);
        b.finish().pop().expect("one entry")
    }

    /// The entry of a cleaned story.
    pub fn of(story: &Story) -> Entry {
        let a = &story.article;
        Entry::new(
            StoryId::of(a),
            &a.path,
            a.index_in_file,
            &a.title,
            story.source(),
            a.list_date().as_deref(),
        )
        .with_flags(Entry::flags_of(a))
    }

    /// The entry of an article not yet cleaned: the source only when the file stores it
    /// (a plain-text story's source line is known once it is cleaned, by the index).
    pub fn of_article(a: &Article) -> Entry {
        Entry::new(
            StoryId::of(a),
            &a.path,
            a.index_in_file,
            &a.title,
            a.source.as_deref(),
            a.list_date().as_deref(),
        )
        .with_flags(Entry::flags_of(a))
    }

    fn text(&self, s: Span) -> Option<&str> {
        (s != Span::NONE).then(|| &self.texts.text[s.start as usize..s.end as usize])
    }

    /// The file, as found under the paths given (relative when they were).
    pub fn path(&self) -> &Path {
        if self.path.start == Span::ODD {
            &self.texts.odd[self.path.end as usize]
        } else {
            Path::new(self.text(self.path).unwrap_or_default())
        }
    }

    /// The title.
    pub fn title(&self) -> &str {
        self.text(self.title).unwrap_or_default()
    }

    /// The source, stored or stated.
    pub fn source(&self) -> Option<&str> {
        self.text(self.source)
    }

    /// `YYYY-MM-DD`, when known.
    pub fn date(&self) -> Option<&str> {
        self.text(self.date)
    }

    /// The same entry with another source.
    pub fn with_source(&self, source: Option<&str>) -> Entry {
        let (title, date) = (self.title(), self.date());
        Entry::new(
            self.id,
            self.path(),
            self.index_in_file,
            title,
            source,
            date,
        )
        .with_flags(self.flags)
    }

    /// The key for the reading state's actions.
    pub fn key(&self) -> Key<'_> {
        Key {
            id: self.id,
            path: self.path(),
            index_in_file: self.index_in_file,
        }
    }
}

impl PartialEq for Entry {
    fn eq(&self, o: &Entry) -> bool {
        self.id == o.id
            && self.index_in_file == o.index_in_file
            && self.path() == o.path()
            && self.title() == o.title()
            && self.source() == o.source()
            && self.date() == o.date()
            && self.flags == o.flags
    }
}

impl Eq for Entry {}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("id", &self.id)
            .field("path", &self.path())
            .field("index_in_file", &self.index_in_file)
            .field("title", &self.title())
            .field("source", &self.source())
            .field("date", &self.date())
            .field("flags", &self.flags)
            .finish()
    }
}

/// The texts of entries made at once, laid out before the entries are made: each text
/// pushed gets its [`Place`]; [`Layout::seal`] then shares them, and the entries are
/// made from places (a saved listing's texts are copied in a few big pieces this way,
/// or read from its file straight into place).
pub(crate) struct Layout {
    bytes: Vec<u8>,
}

/// Where a text is laid out.
#[derive(Clone, Copy)]
pub(crate) struct Place(Span);

impl Layout {
    /// For texts of about `bytes` bytes.
    pub(crate) fn with_capacity(bytes: usize) -> Layout {
        let bytes = Vec::with_capacity(bytes);
        huge_pages(&bytes);
        Layout { bytes }
    }

    /// Where the next text pushed starts.
    pub(crate) fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Room for `n` more bytes within the 32-bit places.
    fn fits(&self, n: usize) -> Option<()> {
        (self.bytes.len().checked_add(n)? < Span::ODD as usize).then_some(())
    }

    /// A text of these parts end to end; `None` past 4 GB.
    pub(crate) fn push(&mut self, parts: &[&str]) -> Option<Place> {
        let start = self.bytes.len();
        self.fits(parts.iter().map(|p| p.len()).sum())?;
        for p in parts {
            self.bytes.extend_from_slice(p.as_bytes());
        }
        Some(Place(Span {
            start: start as u32,
            end: self.bytes.len() as u32,
        }))
    }

    /// Bytes that [`Layout::seal`] checks are UTF-8, placed later by [`Shared::place`].
    pub(crate) fn push_bytes(&mut self, b: &[u8]) -> Option<()> {
        self.fits(b.len())?;
        self.bytes.extend_from_slice(b);
        Some(())
    }

    /// [`Layout::push_bytes`] of `n` bytes read from `r` (`None` if it has fewer).
    pub(crate) fn read(&mut self, r: &mut dyn std::io::Read, n: usize) -> Option<()> {
        use std::io::Read;
        self.fits(n)?;
        let want = self.bytes.len() + n;
        r.take(n as u64).read_to_end(&mut self.bytes).ok()?;
        (self.bytes.len() == want).then_some(())
    }

    /// The texts laid out, to make entries of; `None` if they are not UTF-8.
    pub(crate) fn seal(self) -> Option<Shared> {
        let text = String::from_utf8(self.bytes).ok()?;
        Some(Shared(Arc::new(Texts {
            text,
            odd: Vec::new(),
        })))
    }
}

/// Ask for a big buffer not yet written to be backed by huge pages (2 MB), where the
/// system does that on request (Linux): its first writes then fault once per 2 MB rather
/// than once per 4 KB, which is most of the time of making a list of 100,000 entries.
/// Only a hint: nothing changes where it is not taken.
pub(crate) fn huge_pages<T>(v: &Vec<T>) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        const HUGE: usize = 2 << 20;
        let start = v.as_ptr() as usize;
        let end = start + v.capacity() * std::mem::size_of::<T>();
        let (from, to) = (start.next_multiple_of(HUGE), end & !(HUGE - 1));
        if to > from {
            // SAFETY: madvise only advises on pages of this process; the range lies inside
            // the vector's allocation, which it leaves as it is.
            let _ = unsafe {
                rustix::mm::madvise(
                    from as *mut std::ffi::c_void,
                    to - from,
                    rustix::mm::Advice::LinuxHugepage,
                )
            };
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = v;
}

/// Texts laid out and shared by the entries made of them.
pub(crate) struct Shared(Arc<Texts>);

impl Shared {
    /// How many bytes the texts take.
    pub(crate) fn len(&self) -> usize {
        self.0.text.len()
    }

    /// The text at `start..end`; `None` when that is not one.
    pub(crate) fn place(&self, start: usize, end: usize) -> Option<Place> {
        let t = &self.0.text;
        (start <= end && t.is_char_boundary(start) && t.is_char_boundary(end)).then_some(Place(
            Span {
                start: start as u32,
                end: end as u32,
            },
        ))
    }

    /// An entry whose texts are at these places.
    pub(crate) fn entry(
        &self,
        id: StoryId,
        index_in_file: usize,
        path: Place,
        title: Place,
        source: Option<Place>,
        date: Option<Place>,
    ) -> Entry {
        Entry {
            id,
            index_in_file,
            texts: Arc::clone(&self.0),
            path: path.0,
            title: title.0,
            source: source.map_or(Span::NONE, |p| p.0),
            date: date.map_or(Span::NONE, |p| p.0),
            flags: 0,
        }
    }
}

/// Entries made together, their texts in one buffer (a new one past 4 GB). A path given
/// for several entries in a row is kept once.
pub struct EntryBuilder {
    texts: Texts,
    made: Vec<(StoryId, usize, [Span; 4], u8)>,
    done: Vec<Entry>,
    /// The buffer's size limit (spans are 32-bit).
    limit: usize,
}

/// The parts of a path: the root as named, then the rest (joined as they are).
pub type PathParts<'a> = (&'a str, &'a str);

impl EntryBuilder {
    /// For about `entries` entries whose texts take about `bytes` bytes.
    pub fn with_capacity(entries: usize, bytes: usize) -> EntryBuilder {
        EntryBuilder {
            texts: Texts {
                text: String::with_capacity(bytes),
                odd: Vec::new(),
            },
            made: Vec::with_capacity(entries),
            done: Vec::new(),
            limit: Span::ODD as usize - 1,
        }
    }

    /// One more entry.
    pub fn push(
        &mut self,
        id: StoryId,
        path: &Path,
        index_in_file: usize,
        title: &str,
        source: Option<&str>,
        date: Option<&str>,
    ) {
        match path.to_str() {
            Some(p) => self.push_parts(id, (p, ""), index_in_file, title, source, date),
            None => {
                self.make_room(title.len() + source.map_or(0, str::len) + date.map_or(0, str::len));
                let p = Span {
                    start: Span::ODD,
                    end: self.texts.odd.len() as u32,
                };
                self.texts.odd.push(path.to_path_buf());
                self.add(id, p, index_in_file, title, source, date);
            }
        }
    }

    /// One more entry, its path in two parts (a root as named and the rest).
    pub fn push_parts(
        &mut self,
        id: StoryId,
        path: PathParts<'_>,
        index_in_file: usize,
        title: &str,
        source: Option<&str>,
        date: Option<&str>,
    ) {
        let n = path.0.len() + path.1.len();
        self.make_room(n + title.len() + source.map_or(0, str::len) + date.map_or(0, str::len));
        // the same file as the entry before: its path again
        let last = self.made.last().map(|m| m.2[0]).filter(|s| {
            s.start != Span::ODD && {
                let t = &self.texts.text.as_bytes()[s.start as usize..s.end as usize];
                t.len() == n && t.starts_with(path.0.as_bytes()) && t.ends_with(path.1.as_bytes())
            }
        });
        let p = match last {
            Some(s) => s,
            None => {
                let start = self.texts.text.len();
                self.texts.text.push_str(path.0);
                self.texts.text.push_str(path.1);
                self.span(start)
            }
        };
        self.add(id, p, index_in_file, title, source, date);
    }

    fn add(
        &mut self,
        id: StoryId,
        path: Span,
        index_in_file: usize,
        title: &str,
        source: Option<&str>,
        date: Option<&str>,
    ) {
        let title = self.put(Some(title));
        let source = self.put(source);
        let date = self.put(date);
        self.made
            .push((id, index_in_file, [path, title, source, date], 0));
    }

    /// The flags of the entry pushed last ([`Entry::flags`]).
    pub fn set_flags(&mut self, flags: u8) {
        if let Some(m) = self.made.last_mut() {
            m.3 = flags;
        }
    }

    fn put(&mut self, s: Option<&str>) -> Span {
        match s {
            Some(s) => {
                let start = self.texts.text.len();
                self.texts.text.push_str(s);
                self.span(start)
            }
            None => Span::NONE,
        }
    }

    fn span(&self, start: usize) -> Span {
        Span {
            start: start as u32,
            end: self.texts.text.len() as u32,
        }
    }

    /// Room for `n` more bytes of text, in a new buffer if this one would pass the limit.
    fn make_room(&mut self, n: usize) {
        assert!(n <= self.limit, "an entry's texts take more than 4 GB");
        if self.texts.text.len() + n > self.limit {
            self.seal();
        }
    }

    /// The entries made so far, made final; their buffer is theirs from now on.
    fn seal(&mut self) {
        let texts = Arc::new(std::mem::take(&mut self.texts));
        self.done.reserve(self.made.len());
        self.done.extend(
            self.made
                .drain(..)
                .map(|(id, index_in_file, s, flags)| Entry {
                    id,
                    index_in_file,
                    texts: Arc::clone(&texts),
                    path: s[0],
                    title: s[1],
                    source: s[2],
                    date: s[3],
                    flags,
                }),
        );
    }

    /// The entries, in the order pushed.
    pub fn finish(mut self) -> Vec<Entry> {
        self.texts.text.shrink_to_fit();
        self.seal();
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_what_was_pushed_across_buffers() {
        #[cfg(unix)]
        let odd = {
            use std::os::unix::ffi::OsStrExt;
            PathBuf::from(std::ffi::OsStr::from_bytes(b"odd/\xff.txt"))
        };
        #[cfg(not(unix))]
        let odd = PathBuf::from("odd/plain.txt");
        let mut b = EntryBuilder::with_capacity(0, 0);
        b.limit = 40; // a new buffer every few entries
        b.push(StoryId(1), Path::new("a/x.txt"), 0, "Title one", None, None);
        b.push_parts(
            StoryId(2),
            ("a/", "x.txt"),
            1,
            "Été",
            Some("Src"),
            Some("2020-02-28"),
        );
        b.push(StoryId(3), &odd, 0, "Odd", Some(""), None);
        b.push_parts(StoryId(4), ("b", "/y.txt"), 0, "", None, Some("2021-01-01"));
        b.push_parts(StoryId(5), ("b", "/y.txt"), 1, "Last of y", None, None);
        let got = b.finish();
        let want = [
            (1, "a/x.txt", 0, "Title one", None, None),
            (2, "a/x.txt", 1, "Été", Some("Src"), Some("2020-02-28")),
            (4, "b/y.txt", 0, "", None, Some("2021-01-01")),
            (5, "b/y.txt", 1, "Last of y", None, None),
        ];
        assert_eq!(got.len(), 5);
        let mut i = 0;
        for e in &got {
            if e.id == StoryId(3) {
                assert_eq!(e.path(), odd);
                assert_eq!((e.title(), e.source(), e.date()), ("Odd", Some(""), None));
                continue;
            }
            let (id, path, idx, title, source, date) = want[i];
            i += 1;
            assert_eq!(e.id, StoryId(id));
            assert_eq!(e.path(), Path::new(path));
            assert_eq!(e.index_in_file, idx);
            assert_eq!((e.title(), e.source(), e.date()), (title, source, date));
            assert_eq!(e.key().path, Path::new(path));
        }
        assert!(!Arc::ptr_eq(&got[0].texts, &got[4].texts), "a new buffer");
        assert!(Arc::ptr_eq(&got[3].texts, &got[4].texts));
        assert_eq!(got[3].path, got[4].path, "one path for a file's stories");
        let one = Entry::new(
            StoryId(2),
            Path::new("a/x.txt"),
            1,
            "Été",
            Some("Src"),
            Some("2020-02-28"),
        );
        assert_eq!(one, got[1]);
        assert_ne!(one, got[0]);
        assert!(format!("{one:?}").contains("\"Été\""));
    }

    #[test]
    fn flags_say_what_the_feed_reader_and_the_capture_said() {
        let mut a = Article {
            path: PathBuf::from("c.warc"),
            title: "Quay lights".into(),
            captured: Some("2020-03-06T09:00:00Z".into()),
            ..Article::default()
        };
        // no date of its own: listed (and sorted) by the day it was captured, marked so
        let e = Entry::of_article(&a);
        assert_eq!(e.date(), Some("2020-03-06"));
        assert!(e.date_is_capture() && !e.feed_read());
        // its own date wins, the capture stays beside it
        a.date = Some("2020-03-01".into());
        let e = Entry::of_article(&a);
        assert_eq!(e.date(), Some("2020-03-01"));
        assert!(!e.date_is_capture());
        a.feed_unread = Some(false);
        let e = Entry::of_article(&a);
        assert!(e.feed_read());
        a.feed_unread = Some(true);
        assert!(!Entry::of_article(&a).feed_read());
        // flags are part of what an entry is, and survive a change of source
        let read = Entry::of_article(&a).with_flags(Entry::FEED_READ);
        assert_ne!(read, Entry::of_article(&a));
        assert!(read.with_source(Some("Quay News")).feed_read());
        let mut b = EntryBuilder::with_capacity(2, 0);
        b.push(StoryId(1), Path::new("x"), 0, "T", None, None);
        b.set_flags(Entry::CAPTURE_DATE);
        b.push(StoryId(2), Path::new("x"), 1, "U", None, None);
        let got = b.finish();
        assert_eq!((got[0].flags(), got[1].flags()), (Entry::CAPTURE_DATE, 0));
    }
}
