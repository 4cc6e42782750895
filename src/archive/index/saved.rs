//! Saved listings shown before any refresh: the folders' times kept with each listing,
//! and a listing trusted while no folder's time changed (no file added, removed or
//! renamed); the rows of such a listing, and the files changed in place.

use super::listing;
use super::Index;
use crate::archive::db::DbResult;
use crate::archive::entry::{Entry, EntryBuilder};
use crate::archive::paths::{mtime_of, nanos, root_range, ShownPath};
use crate::archive::state::StoryId;
use std::path::PathBuf;

/// The folders under some roots, each with its modification time taken before its
/// entries were read (hidden ones skipped, as [`crate::archive::find_files`] skips them).
#[derive(Debug, Default)]
pub struct Folders(Vec<(String, Vec<(String, i64)>)>);

/// A folder changed this recently may change again within the same tick of its clock,
/// unseen: its time is not trusted.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

/// The folders under the roots (none for a root that is a file), with their times.
pub fn folders(paths: &[PathBuf]) -> Folders {
    fn walk(abs: &str, rel: String, now: i64, out: &mut Vec<(String, i64)>) {
        let path = format!("{abs}{rel}");
        let Some(mtime) = mtime_of(&path) else {
            out.push((rel, listing::UNKNOWN));
            return;
        };
        let settled = now.saturating_sub(mtime) > SETTLED.as_nanos() as i64;
        out.push((rel.clone(), if settled { mtime } else { listing::UNKNOWN }));
        let Ok(entries) = std::fs::read_dir(&path) else {
            return;
        };
        let mut subs: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .collect();
        subs.sort_unstable();
        for name in subs {
            walk(abs, format!("{rel}/{name}"), now, out);
        }
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0);
    let mut out = Vec::new();
    for root in paths {
        let (abs, _, _) = root_range(root);
        let mut dirs = Vec::new();
        if std::fs::metadata(&abs).is_ok_and(|m| m.is_dir()) {
            walk(&abs, String::new(), now, &mut dirs);
        }
        out.push((abs, dirs));
    }
    Folders(out)
}

/// Saved listings that [`Index::saved_listing`] found current.
#[derive(Debug)]
pub struct Saved {
    roots: Vec<SavedRoot>,
}

#[derive(Debug)]
struct SavedRoot {
    given: String,
    abs: String,
    data: Vec<u8>,
}

/// A story of a saved listing, borrowed from it.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The content id.
    pub id: StoryId,
    /// The file as named under the root given.
    pub path: ShownPath<'a>,
    /// Position within its file.
    pub index_in_file: usize,
    /// The title.
    pub title: &'a str,
    /// The source.
    pub source: Option<&'a str>,
    /// `YYYY-MM-DD`.
    pub date: Option<&'a str>,
    /// [`Entry::flags`].
    pub flags: u8,
}

impl Row<'_> {
    /// The entry, owned.
    pub fn entry(&self) -> Entry {
        let mut b = EntryBuilder::with_capacity(1, 0);
        let p = self.path;
        b.push_parts(
            self.id,
            (p.0, p.1),
            self.index_in_file,
            self.title,
            self.source,
            self.date,
        );
        b.set_flags(self.flags);
        b.finish().pop().expect("one entry")
    }
}

impl Saved {
    /// Every story, in the order of [`Index::entries`], until `f` fails.
    pub fn each<E>(&self, mut f: impl FnMut(Row<'_>) -> Result<(), E>) -> Result<(), E> {
        for r in &self.roots {
            let Some(l) = listing::parse(&r.data) else {
                continue; // parsed once already
            };
            let mut result = Ok(());
            l.each(|raw| {
                if result.is_ok() {
                    result = f(Row {
                        id: raw.id,
                        path: ShownPath::of(&r.given, l.files.get(raw.file).0),
                        index_in_file: raw.index_in_file,
                        title: raw.title,
                        source: raw.source,
                        date: raw.date,
                        flags: raw.flags,
                    });
                }
            });
            result?;
        }
        Ok(())
    }

    /// How many files the listings name.
    pub fn file_count(&self) -> usize {
        self.roots
            .iter()
            .filter_map(|r| listing::parse(&r.data))
            .map(|l| l.files.len())
            .sum()
    }

    /// The files whose size or modification time is no longer what the index read (or
    /// that are gone), as named under the roots given: a stat of every file, in parallel.
    pub fn changed_files(&self) -> Vec<PathBuf> {
        use rayon::prelude::*;
        let mut out = Vec::new();
        for r in &self.roots {
            let Some(l) = listing::parse(&r.data) else {
                continue;
            };
            let changed: Vec<PathBuf> = l
                .files
                .to_vec()
                .par_iter()
                .filter(|&&(rel, size, mtime)| {
                    let m = std::fs::metadata(format!("{}{rel}", r.abs));
                    !m.is_ok_and(|m| m.len() as i64 == size && nanos(&m) == mtime)
                })
                .map(|&(rel, _, _)| PathBuf::from(ShownPath::of(&r.given, rel).to_string()))
                .collect();
            out.extend(changed);
        }
        out
    }
}

impl Index {
    /// The saved listings of the roots, when no file can have been added, removed or
    /// renamed under them since the listings were last seen to match the archive: every
    /// folder (and a root that is a file) still has the modification time it had then.
    /// `None` when that cannot be told: refresh, then [`Index::entries`]. A file changed
    /// in place leaves its folder's time alone: [`Saved::changed_files`] finds those.
    pub fn saved_listing(&self, paths: &[PathBuf]) -> DbResult<Option<Saved>> {
        self.saved_with(paths, |abs| {
            Ok(self.load_listing(abs)?.map(|(_, data)| data))
        })
    }

    /// [`Index::saved_listing`] with each listing's head only (folders, files, entries'
    /// records; not their texts): for [`Saved::changed_files`] and
    /// [`Saved::file_count`], never [`Saved::each`] (which finds no entries in it). Half
    /// the reading for a search that only needs to know the index can be trusted.
    pub fn saved_heads(&self, paths: &[PathBuf]) -> DbResult<Option<Saved>> {
        self.saved_with(paths, |abs| {
            Ok(self.open_listing(abs)?.map(|(head, _)| head))
        })
    }

    /// How many files the saved listings of the roots name, when they can be trusted
    /// (as [`Index::saved_listing`] tells): read from each listing's start, the folders
    /// and the count, not its records. For a search that only needs to know whether the
    /// check of every file goes to the background; `None`: not trusted.
    pub fn saved_file_count(&self, paths: &[PathBuf]) -> DbResult<Option<usize>> {
        /// Enough for the folders of nearly every archive; more is read when not.
        const START: usize = 64 << 10;
        let mut count = 0;
        for root in paths {
            let (exact, _, _) = root_range(root);
            let mut start = self.listing_start(&exact, START)?;
            if start
                .as_deref()
                .is_some_and(|s| s.len() == START && listing::parse_start(s).is_none())
            {
                start = self.listing_start(&exact, usize::MAX)?; // many folders
            }
            let Some((dirs, files)) = start.as_deref().and_then(listing::parse_start) else {
                return Ok(None);
            };
            match dirs {
                // a root that is a file: its time is in the files' records
                Some(dirs) if dirs.is_empty() => {
                    return Ok(self.saved_heads(paths)?.map(|s| s.file_count()))
                }
                Some(dirs)
                    if dirs.iter().all(|&(rel, want)| {
                        want != listing::UNKNOWN && mtime_of(&format!("{exact}{rel}")) == Some(want)
                    }) =>
                {
                    count += files
                }
                _ => return Ok(None),
            }
        }
        Ok(Some(count))
    }

    fn saved_with(
        &self,
        paths: &[PathBuf],
        load: impl Fn(&str) -> DbResult<Option<Vec<u8>>>,
    ) -> DbResult<Option<Saved>> {
        let mut roots = Vec::with_capacity(paths.len());
        for root in paths {
            let (exact, _, _) = root_range(root);
            let Some(data) = load(&exact)? else {
                return Ok(None);
            };
            let Some(l) = listing::parse(&data) else {
                return Ok(None);
            };
            let Some(dirs) = &l.dirs else {
                return Ok(None);
            };
            let unchanged = |rel: &str, want: i64| {
                want != listing::UNKNOWN && mtime_of(&format!("{exact}{rel}")) == Some(want)
            };
            if !dirs.iter().all(|&(rel, mtime)| unchanged(rel, mtime)) {
                return Ok(None);
            }
            if dirs.is_empty()
                && (l.files.is_empty() || !l.files.iter().all(|(rel, _, t)| unchanged(rel, t)))
            {
                return Ok(None); // a root that is a file
            }
            drop(l);
            roots.push(SavedRoot {
                given: root.to_string_lossy().into_owned(),
                abs: exact,
                data,
            });
        }
        Ok(Some(Saved { roots }))
    }

    /// Keep with the roots' listings the times of their folders, taken by [`folders`]
    /// before the refresh that the listings now follow, so that [`Index::saved_listing`]
    /// can trust them. A listing that changed meanwhile is left alone.
    pub fn keep_folders(&self, folders: &Folders) -> DbResult<()> {
        for (abs, dirs) in &folders.0 {
            let Some((row, old)) = self.load_listing(abs)? else {
                continue;
            };
            let Some(l) = listing::parse(&old) else {
                continue;
            };
            let same = l.dirs.as_ref().is_some_and(|d| {
                d.len() == dirs.len() && d.iter().zip(dirs).all(|(a, b)| a.0 == b.0 && a.1 == b.1)
            });
            if same {
                continue;
            }
            drop(l);
            let Some(new) = listing::with_dirs(&old, dirs) else {
                continue;
            };
            self.store_listing(abs, &new, Some(&row))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::Options;
    use std::path::Path;

    /// Set a file's or folder's modification time `secs` seconds back.
    fn age(path: &Path, secs: u64) {
        let t = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
        std::fs::File::open(path).unwrap().set_modified(t).unwrap();
    }

    #[test]
    fn saved_listing_is_shown_only_while_the_folders_are_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let arch = dir.path().join("news");
        std::fs::create_dir_all(arch.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(arch.join("empty")).unwrap();
        let story = |t: &str| format!("{t}\n\nThe council met on Monday and agreed the plan.\n");
        std::fs::write(arch.join("a.txt"), story("A title")).unwrap();
        std::fs::write(arch.join("sub/deeper/b.txt"), story("B title")).unwrap();
        let settle = || {
            for d in ["sub/deeper", "sub", "empty", ""] {
                age(&arch.join(d), 60);
            }
        };
        settle();
        let mut ix = Index::open(&dir.path().join("i.sqlite")).unwrap();
        let roots = vec![arch.clone()];
        let opts = Options::default();
        let rows = |saved: &Saved| {
            let mut v = Vec::new();
            saved
                .each(|r| -> Result<(), ()> {
                    v.push(r.entry());
                    Ok(())
                })
                .unwrap();
            v
        };
        // the way `list` goes: folders, refresh, entries, keep the folders' times
        let list = |ix: &mut Index| {
            let folders = folders(&roots);
            ix.refresh(&roots, &opts).unwrap();
            let entries = ix.entries(&roots).unwrap();
            ix.keep_folders(&folders).unwrap();
            entries
        };
        assert!(
            ix.saved_listing(&roots).unwrap().is_none(),
            "nothing saved yet"
        );
        let entries = list(&mut ix);
        assert_eq!(entries.len(), 2);
        let saved = ix
            .saved_listing(&roots)
            .unwrap()
            .expect("folders unchanged");
        assert_eq!(rows(&saved), entries);
        assert!(saved.changed_files().is_empty());

        // a file changed in place: its folder's time stays, the stat of files finds it
        std::fs::write(arch.join("a.txt"), story("A new title")).unwrap();
        let saved = ix
            .saved_listing(&roots)
            .unwrap()
            .expect("folders unchanged");
        assert_eq!(saved.changed_files(), vec![arch.join("a.txt")]);
        let entries = list(&mut ix);
        assert!(entries.iter().any(|e| e.title() == "A new title"));
        let saved = ix.saved_listing(&roots).unwrap().unwrap();
        assert_eq!(rows(&saved), entries);

        // a file added deep down, or into a folder that held none, or removed: not shown
        for change in ["deep", "empty", "removed"] {
            match change {
                "deep" => std::fs::write(arch.join("sub/deeper/c.txt"), story("C")).unwrap(),
                "empty" => std::fs::write(arch.join("empty/d.txt"), story("D")).unwrap(),
                _ => std::fs::remove_file(arch.join("a.txt")).unwrap(),
            }
            assert!(ix.saved_listing(&roots).unwrap().is_none(), "{change}");
            settle();
            let entries = list(&mut ix);
            let saved = ix.saved_listing(&roots).unwrap().expect(change);
            assert_eq!(rows(&saved), entries, "{change}");
        }
        assert_eq!(rows(&ix.saved_listing(&roots).unwrap().unwrap()).len(), 3);

        // a folder changed a moment ago is not trusted
        std::fs::write(arch.join("e.txt"), story("E")).unwrap();
        list(&mut ix);
        assert!(ix.saved_listing(&roots).unwrap().is_none());

        // a root that is a file, and one that is gone
        let one = vec![arch.join("sub/deeper/b.txt")];
        age(&one[0], 60);
        let folders_one = folders(&one);
        ix.refresh(&one, &opts).unwrap();
        ix.entries(&one).unwrap();
        ix.keep_folders(&folders_one).unwrap();
        let saved = ix.saved_listing(&one).unwrap().expect("a file root");
        assert_eq!(rows(&saved)[0].path(), one[0]);
        std::fs::remove_file(&one[0]).unwrap();
        assert!(ix.saved_listing(&one).unwrap().is_none());
    }

    #[test]
    fn file_count_from_the_listings_start_agrees_with_the_whole_listing() {
        let dir = tempfile::tempdir().unwrap();
        let arch = dir.path().join("news");
        std::fs::create_dir_all(arch.join("sub")).unwrap();
        let story = |t: &str| format!("{t}\n\nThe council met on Monday and agreed the plan.\n");
        std::fs::write(arch.join("a.txt"), story("A title")).unwrap();
        std::fs::write(arch.join("sub/b.txt"), story("B title")).unwrap();
        let settle = || {
            for d in ["sub", ""] {
                age(&arch.join(d), 60);
            }
        };
        let mut ix = Index::open(&dir.path().join("i.sqlite")).unwrap();
        let opts = Options::default();
        let list = |ix: &mut Index, roots: &[PathBuf]| {
            let folders = folders(roots);
            ix.refresh(roots, &opts).unwrap();
            ix.entries(roots).unwrap();
            ix.keep_folders(&folders).unwrap();
        };
        let agree = |ix: &Index, roots: &[PathBuf]| {
            let count = ix.saved_file_count(roots).unwrap();
            let whole = ix.saved_listing(roots).unwrap().map(|s| s.file_count());
            assert_eq!(count, whole);
            count
        };
        let roots = vec![arch.clone()];
        assert_eq!(agree(&ix, &roots), None, "nothing saved yet");
        settle();
        list(&mut ix, &roots);
        assert_eq!(agree(&ix, &roots), Some(2));
        // a file added: its folder's time changed
        std::fs::write(arch.join("sub/c.txt"), story("C title")).unwrap();
        assert_eq!(agree(&ix, &roots), None);
        settle();
        list(&mut ix, &roots);
        assert_eq!(agree(&ix, &roots), Some(3));
        // a listing file cut short is not trusted
        let files = super::super::listing_files(ix.path());
        assert_eq!(files.len(), 1);
        let whole = std::fs::read(&files[0]).unwrap();
        std::fs::write(&files[0], &whole[..whole.len() - 1]).unwrap();
        assert_eq!(agree(&ix, &roots), None);
        std::fs::write(&files[0], &whole).unwrap();
        assert_eq!(agree(&ix, &roots), Some(3));
        // a root that is a file, then gone
        let one = vec![arch.join("a.txt")];
        age(&one[0], 60);
        list(&mut ix, &one);
        assert_eq!(agree(&ix, &one), Some(1));
        std::fs::remove_file(&one[0]).unwrap();
        assert_eq!(agree(&ix, &one), None);
    }
}
