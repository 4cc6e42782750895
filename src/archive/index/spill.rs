//! The evidence of a big archive counted in bounded memory: the hashes an
//! [`EvidenceBuilder`] holds are handed over, sorted, to a file beside the index whenever
//! they pass [`SPILL_HASHES`], and read back a run at a time when it is finished. A
//! million stories hold some 40 million hashes (over 300 MB); written out, the build
//! holds at most one run of 32 MiB.

use crate::clean::{Evidence, EvidenceBuilder};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Hashes held in memory before they are written out (eight bytes each: 32 MiB).
pub(super) const SPILL_HASHES: usize = 4 << 20;

/// Files made by this process, numbered so that no two builds share one.
static MADE: AtomicUsize = AtomicUsize::new(0);

/// Runs of sorted hashes handed over by the builder: in files where they could be
/// written, else (a full disk, a folder that cannot be written) in memory as before.
pub(super) struct Spilled {
    dir: PathBuf,
    files: Vec<(PathBuf, File)>,
    held: Vec<Vec<u64>>,
}

impl Spilled {
    /// Runs kept in `dir` (the index's folder: on disk, where a temporary folder may be
    /// memory).
    pub(super) fn beside(index: &Path) -> Spilled {
        let dir = index
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        Spilled {
            dir,
            files: Vec::new(),
            held: Vec::new(),
        }
    }

    /// Hand the builder's hashes over to a file when it holds more than `limit`.
    pub(super) fn spill_over(&mut self, builder: &mut EvidenceBuilder, limit: usize) {
        if builder.held() > limit {
            let run = builder.take_sorted();
            if let Err(run) = self.write(run) {
                self.held.push(run);
            }
        }
    }

    /// Write one sorted run to a new file; the run back when it could not be.
    fn write(&mut self, run: Vec<u64>) -> Result<(), Vec<u64>> {
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let path = self.dir.join(format!(
            ".broadsheet-evidence-{}-{n}.tmp",
            std::process::id()
        ));
        let written = (|| -> std::io::Result<File> {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(&path)?;
            // gone from the folder at once where the system allows it (the handle keeps
            // the data): nothing is left behind, even by a build killed midway
            #[cfg(unix)]
            let _ = std::fs::remove_file(&path);
            let mut out = BufWriter::with_capacity(1 << 16, file);
            for h in &run {
                out.write_all(&h.to_le_bytes())?;
            }
            let mut file = out.into_inner().map_err(|e| e.into_error())?;
            file.rewind()?;
            Ok(file)
        })();
        match written {
            Ok(file) => {
                self.files.push((path, file));
                Ok(())
            }
            Err(_) => {
                let _ = std::fs::remove_file(&path);
                Err(run)
            }
        }
    }

    /// The evidence: the builder's hashes with every run handed over, counted together.
    /// A run that cannot be read to its end counts only what was read (fewer repeats:
    /// less is hidden, never more).
    pub(super) fn finish(mut self, builder: EvidenceBuilder) -> Evidence {
        let mut runs: Vec<Box<dyn Iterator<Item = u64>>> = Vec::new();
        for (_, file) in &self.files {
            let Ok(file) = file.try_clone() else { continue };
            let mut reader = BufReader::with_capacity(1 << 16, file);
            runs.push(Box::new(std::iter::from_fn(move || {
                let mut b = [0u8; 8];
                reader
                    .read_exact(&mut b)
                    .ok()
                    .map(|()| u64::from_le_bytes(b))
            })));
        }
        for run in std::mem::take(&mut self.held) {
            runs.push(Box::new(run.into_iter()));
        }
        builder.finish_with(runs)
    }
}

impl Drop for Spilled {
    fn drop(&mut self) {
        for (path, _) in &self.files {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Block};

    #[test]
    fn evidence_written_out_counts_as_evidence_held() {
        let dir = tempfile::tempdir().unwrap();
        let arts: Vec<Article> = (0..40)
            .map(|i| Article {
                title: format!("Story number {i} of the week"),
                source: Some(["The Daily Example", "Harbour Times"][i % 2].into()),
                blocks: [
                    "Sign up for our newsletter".to_string(),
                    format!("Most read: ferry fares rise {}", i % 5),
                    format!("A paragraph of its own, number {i}, ends here."),
                ]
                .into_iter()
                .map(Block::para)
                .collect(),
                ..Article::default()
            })
            .collect();
        let whole = Evidence::gather(&arts).to_bytes();
        let mut spilled = Spilled::beside(&dir.path().join("index.sqlite"));
        let mut b = EvidenceBuilder::default();
        for a in &arts {
            b.add(a);
            spilled.spill_over(&mut b, 7);
        }
        assert!(
            spilled.files.len() > 3,
            "{} runs written",
            spilled.files.len()
        );
        assert!(spilled.held.is_empty());
        assert_eq!(spilled.finish(b).to_bytes(), whole);
        // nothing left in the folder
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_folder_that_cannot_be_written_keeps_the_runs_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let arts: Vec<Article> = (0..10)
            .map(|i| Article {
                title: format!("Another story, number {i}"),
                blocks: vec![Block::para("Sign up for our newsletter")],
                ..Article::default()
            })
            .collect();
        let mut spilled = Spilled::beside(&dir.path().join("gone").join("index.sqlite"));
        let mut b = EvidenceBuilder::default();
        for a in &arts {
            b.add(a);
            spilled.spill_over(&mut b, 1);
        }
        assert!(spilled.files.is_empty());
        assert!(!spilled.held.is_empty());
        assert_eq!(
            spilled.finish(b).to_bytes(),
            Evidence::gather(&arts).to_bytes()
        );
    }
}
