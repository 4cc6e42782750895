//! The listing sequence of `broadsheet list`: the answer printed first, checked after.
//!
//! With an index that holds the paths: its saved listing while no folder changed (no
//! file added, removed or renamed), whose files' sizes and times are then checked
//! ([`check`]) for one changed in place; else (a folder changed) what the index holds,
//! then the index brought up to date. Either way the caller is told when what it printed
//! was out of date. With no index for the paths (or none at all), the quick scan
//! ([`scan::scan_each`]), printed as it is found, and no index built. A damaged index is
//! moved aside and a new one made. The caller prints ([`Listener`]).

use super::db::DbError;
use super::index::saved::{self, Row, Saved};
use super::index::{is_damage, Index};
use super::Refresh;
use super::{scan, Entry};
use crate::article::LoadError;
use crate::clean::Options;
use std::io;
use std::path::{Path, PathBuf};

/// What a listing has to say besides the list, for stderr.
#[derive(Debug)]
pub enum Said<'a> {
    /// The index was damaged: moved aside to this file, a new one made.
    MovedAside(&'a Path),
    /// The index cannot be used: the files are read instead.
    IndexUnavailable(&'a DbError),
    /// What was printed is out of date: files added, changed or removed since the
    /// index was made (it is updated now).
    OutOfDate(&'a Refresh),
    /// What was printed is out of date: these files changed in place since they were
    /// indexed (the index is updated now).
    ChangedInPlace(&'a [PathBuf]),
    /// The folders' times could not be kept in the index (the next list checks more).
    NotUpdated(&'a DbError),
}

/// Where a listing goes: the caller prints.
pub trait Listener {
    /// Some of the list, in order.
    fn entries(&mut self, entries: &[Entry]) -> io::Result<()>;
    /// One story of a saved listing (printed without making an [`Entry`]).
    fn row(&mut self, row: Row<'_>) -> io::Result<()>;
    /// The whole list is given: flush it.
    fn shown(&mut self) -> io::Result<()>;
    /// Files that could not be read (or were read in part).
    fn problems(&mut self, problems: &[LoadError]);
    /// A notice ([`Said`]).
    fn said(&mut self, what: Said<'_>);
}

/// Why a listing stopped.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The index failed (and could not be replaced).
    #[error(transparent)]
    Db(#[from] DbError),
    /// The list could not be written.
    #[error(transparent)]
    Out(#[from] io::Error),
}

/// What is left to do once the list is printed.
#[derive(Debug)]
pub enum Listed {
    /// Nothing.
    Done,
    /// A saved listing was printed: its files' sizes and times are still to be checked
    /// ([`check`]; for a big archive the caller may leave that to another process).
    Unchecked(Box<Index>, Saved),
}

/// The list of the stories under `paths` (see the module's doc), given to `to` as it is
/// found; `index` is the index opened (`None`: no index, the quick scan).
pub fn list(
    index: Option<Index>,
    paths: &[PathBuf],
    opts: &Options,
    to: &mut dyn Listener,
) -> Result<Listed, ListError> {
    let mut idx = None;
    let mut warm = false;
    if let Some(ix) = index {
        match ix.is_cold(paths, opts) {
            Ok(cold) => {
                warm = !cold;
                idx = Some(ix);
            }
            Err(e) if is_damage(&e) => idx = replace_damaged(ix, to).ok(),
            Err(e) => to.said(Said::IndexUnavailable(&e)),
        }
    }
    if let Some(ix) = idx.as_mut().filter(|_| warm) {
        let mut printed = false;
        match from_index(ix, paths, opts, to, &mut printed) {
            Ok(None) => return Ok(Listed::Done),
            Ok(Some(saved)) => {
                let ix = idx.take().expect("the index");
                return Ok(Listed::Unchecked(Box::new(ix), saved));
            }
            Err(ListError::Db(e)) if is_damage(&e) => {
                let ix = idx.take().expect("the index");
                replace_damaged(ix, to)?;
                if printed {
                    return Ok(Listed::Done);
                }
            }
            Err(e) => return Err(e),
        }
    }
    // no index (yet): the list straight from the tops of the files, shown as it is found
    scan::scan_each(paths, |entries, problems| {
        to.problems(&problems);
        to.entries(&entries)
    })?;
    to.shown()?;
    crate::timing::since_start("list shown");
    Ok(Listed::Done)
}

/// [`list`] from an index that holds the paths; `printed` once anything is. The saved
/// listing printed is returned, to be checked.
fn from_index(
    ix: &mut Index,
    paths: &[PathBuf],
    opts: &Options,
    to: &mut dyn Listener,
    printed: &mut bool,
) -> Result<Option<Saved>, ListError> {
    if let Some(saved) = ix.saved_listing(paths)? {
        // no file added, removed or renamed: the saved list at once, then a stat of
        // every file for one changed in place
        to.problems(&ix.problems(paths)?);
        *printed = true;
        saved.each(|r| to.row(r))?;
        to.shown()?;
        crate::timing::since_start("list shown");
        return Ok(Some(saved));
    }
    // a folder changed (a file added, removed or renamed): what the index holds first,
    // then the index brought up to date, and said when the list was out of date
    let folders = saved::folders(paths);
    *printed = true;
    to.entries(&ix.entries(paths)?)?;
    to.shown()?;
    crate::timing::since_start("list shown");
    let (r, problems) = ix.refresh(paths, opts)?;
    to.problems(&problems);
    if r.added + r.changed + r.removed > 0 {
        to.said(Said::OutOfDate(&r));
    }
    ix.entries(paths)?; // the listing, ready for the next run
    if let Err(e) = ix.keep_folders(&folders) {
        to.said(Said::NotUpdated(&e));
    }
    Ok(None)
}

/// Stat every file of a saved listing; when one changed in place, say that what was
/// printed is out of date and update the index.
pub fn check(
    ix: &mut Index,
    saved: &Saved,
    paths: &[PathBuf],
    opts: &Options,
    to: &mut dyn Listener,
) -> Result<(), DbError> {
    let changed = saved.changed_files();
    if !changed.is_empty() {
        to.said(Said::ChangedInPlace(&changed));
        // those were told with the saved listing (by this process or the one that
        // started it)
        let told = ix.problems(paths)?;
        let (_, problems) = ix.refresh(paths, opts)?;
        to.problems(&not_told(&told, problems));
    }
    Ok(())
}

/// The problems of `found` not among `told`: a refresh gives every problem under its
/// paths, and a file read again with the problem it had is not told of twice.
pub fn not_told(told: &[LoadError], found: Vec<LoadError>) -> Vec<LoadError> {
    let told: std::collections::HashSet<&LoadError> = told.iter().collect();
    found.into_iter().filter(|p| !told.contains(p)).collect()
}

/// A damaged index moved aside and a new one made (said).
fn replace_damaged(ix: Index, to: &mut dyn Listener) -> Result<Index, DbError> {
    let ix = ix.replace_damaged()?;
    if let Some(aside) = ix.moved_aside() {
        to.said(Said::MovedAside(aside));
    }
    Ok(ix)
}
