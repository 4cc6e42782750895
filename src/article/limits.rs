//! What one file may cost: only regular files are read (a FIFO would wait for ever, a
//! device such as `/dev/zero` never ends), and no file, unpacked gzip stream or one-story
//! file (text, Markdown, a saved page) beyond a size is read whole. Each limit hit is a problem naming the file, never a
//! hang or a machine out of memory.
//!
//! The limits are generous defaults, changed for the whole process with [`set`].

use super::{err, LoadError, ProblemKind};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The biggest file read whole, by default (256 MiB).
pub const MAX_FILE: u64 = 256 << 20;
/// The most a gzip file may unpack to, by default (512 MiB).
pub const MAX_UNPACKED: u64 = 512 << 20;
/// The biggest file of one story (text, Markdown, a saved page) loaded and cleaned, by
/// default (32 MiB: the biggest of the news corpora is under 3 MB; the cleaner takes
/// several times a story's size, so a 300 MB "story" took 1.7 GB and minutes).
pub const MAX_STORY: u64 = 32 << 20;
/// The longest the extraction library may take over one saved page, by default (10 s: the
/// slowest of the news corpora's pages takes under 0.2 s). Past it the page is read flat
/// and the file reported; the library cannot be stopped, so its thread runs on unheard.
pub const MAX_EXTRACT_MS: u64 = 10_000;

static FILE: AtomicU64 = AtomicU64::new(MAX_FILE);
static UNPACKED: AtomicU64 = AtomicU64::new(MAX_UNPACKED);
static STORY: AtomicU64 = AtomicU64::new(MAX_STORY);
static EXTRACT_MS: AtomicU64 = AtomicU64::new(MAX_EXTRACT_MS);

/// The limits in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one file read whole (a big JSON Lines file read a line at a time may be
    /// bigger; each of its lines may not).
    pub file: u64,
    /// Bytes a gzip file may unpack to.
    pub unpacked: u64,
    /// Bytes of a file of one story (text, Markdown, a saved page), unpacked.
    pub story: u64,
    /// Milliseconds the extraction of one saved page may take.
    pub extract_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file: MAX_FILE,
            unpacked: MAX_UNPACKED,
            story: MAX_STORY,
            extract_ms: MAX_EXTRACT_MS,
        }
    }
}

/// The limits in force now.
pub fn get() -> Limits {
    Limits {
        file: FILE.load(Ordering::Relaxed),
        unpacked: UNPACKED.load(Ordering::Relaxed),
        story: STORY.load(Ordering::Relaxed),
        extract_ms: EXTRACT_MS.load(Ordering::Relaxed),
    }
}

/// Change the limits for the whole process.
pub fn set(l: Limits) {
    FILE.store(l.file, Ordering::Relaxed);
    UNPACKED.store(l.unpacked, Ordering::Relaxed);
    STORY.store(l.story, Ordering::Relaxed);
    EXTRACT_MS.store(l.extract_ms, Ordering::Relaxed);
}

/// A size for people: "300 MB", "12 KB", "7 bytes".
pub fn size(n: u64) -> String {
    if n >= 10 << 20 {
        format!("{} MB", n >> 20)
    } else if n >= 10 << 10 {
        format!("{} KB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// What a file that is not a regular file is, for a person.
pub fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a link"
    } else {
        "not a regular file"
    }
}

/// The problem of a path that is not a regular file (links followed).
pub fn not_regular(path: &Path, t: std::fs::FileType) -> LoadError {
    err(
        ProblemKind::Unreadable,
        path,
        None,
        format!("not a regular file ({}), skipped", kind_of(t)),
    )
}

/// The problem of a file bigger than a limit.
pub fn too_big(path: &Path, len: u64, limit: u64) -> LoadError {
    err(
        ProblemKind::TooBig,
        path,
        None,
        format!(
            "{} is more than the {} a file may be; skipped",
            size(len),
            size(limit)
        ),
    )
}

/// The problem of a file of one story bigger than a story may be, or `None`.
pub fn story_too_big(path: &Path, len: usize) -> Option<LoadError> {
    let max = get().story;
    (len as u64 > max).then(|| {
        let why = format!(
            "a story of {}, more than the {} a story may be; skipped",
            size(len as u64),
            size(max)
        );
        err(ProblemKind::TooBig, path, None, why)
    })
}

/// The most blocks one story is split into. A story of more paragraphs (no news story
/// comes near: the longest of the news corpora has under 700) keeps the rest as one last
/// block, so nothing of its text is lost, while the memory each block costs (its own
/// string, the cleaner's decision and measures) stays bounded: a 3 MB file of a million
/// one-letter paragraphs took 850 MB and 12 s to clean.
pub const MAX_BLOCKS: usize = 10_000;

/// Something holding a block's text, as a loader collects blocks.
pub trait BlockText {
    /// The text, to append the blocks beyond [`MAX_BLOCKS`] to.
    fn text_mut(&mut self) -> &mut String;
}

impl BlockText for super::Block {
    fn text_mut(&mut self) -> &mut String {
        &mut self.text
    }
}

impl<T> BlockText for (T, super::Block) {
    fn text_mut(&mut self) -> &mut String {
        &mut self.1.text
    }
}

impl BlockText for String {
    fn text_mut(&mut self) -> &mut String {
        self
    }
}

/// Add a block to a story's blocks, or past [`MAX_BLOCKS`] its text to the last block
/// (on a line of its own).
pub fn push_block<T: BlockText>(out: &mut Vec<T>, mut block: T) {
    let full = out.len() >= MAX_BLOCKS;
    match out.last_mut() {
        Some(last) if full => {
            CAPPED.with(|c| c.set(true));
            let last = last.text_mut();
            last.push('\n');
            last.push_str(block.text_mut());
        }
        _ => out.push(block),
    }
}

thread_local! {
    /// A story loaded on this thread was cut to [`MAX_BLOCKS`] blocks.
    static CAPPED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The problem of a file a story of which was cut to [`MAX_BLOCKS`] blocks since the last
/// call (on this thread: one file is loaded on one thread), or `None`.
pub fn blocks_capped(path: &Path) -> Option<LoadError> {
    CAPPED.with(|c| c.replace(false)).then(|| {
        let why = format!(
            "a story of more than {MAX_BLOCKS} paragraphs: those past the {MAX_BLOCKS}th are shown as one block"
        );
        err(ProblemKind::TooBig, path, None, why)
    })
}

/// Open a file for reading only if it is a regular file (links followed) no bigger than
/// `max` (when given): checked before it is opened (so a FIFO or a device is never
/// opened) and again on what was opened. Opened without blocking, so a file swapped for
/// a FIFO in between cannot hang the read. `Err(Ok(problem))` for a refused file,
/// `Err(Err(e))` when the system refused.
pub fn open_regular(
    path: &Path,
    max: Option<u64>,
) -> Result<(std::fs::File, u64), Result<LoadError, std::io::Error>> {
    let judge = |m: &std::fs::Metadata| -> Result<u64, LoadError> {
        if !m.is_file() {
            return Err(not_regular(path, m.file_type()));
        }
        match max {
            Some(max) if m.len() > max => Err(too_big(path, m.len(), max)),
            _ => Ok(m.len()),
        }
    };
    let m = std::fs::metadata(path).map_err(Err)?;
    judge(&m).map_err(Ok)?;
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let f = o.open(path).map_err(Err)?;
    let m = f.metadata().map_err(Err)?;
    let len = judge(&m).map_err(Ok)?;
    Ok((f, len))
}

/// Read an open file whole, at most `max` bytes: `Ok(Err(problem))` when it holds more
/// (it grew since it was measured).
pub fn read_capped(
    path: &Path,
    f: &mut std::fs::File,
    len: u64,
    max: u64,
    buf: &mut Vec<u8>,
) -> std::io::Result<Result<(), LoadError>> {
    use std::io::Read;
    buf.reserve(
        usize::try_from(len.min(max))
            .unwrap_or(0)
            .saturating_sub(buf.len())
            + 1,
    );
    f.take(max.saturating_add(1).saturating_sub(buf.len() as u64))
        .read_to_end(buf)?;
    if buf.len() as u64 > max {
        buf.clear();
        buf.shrink_to_fit();
        return Ok(Err(too_big(path, max + 1, max)));
    }
    Ok(Ok(()))
}

/// Unpack gzip bytes, at most `max` bytes. A truncated or corrupt stream is an error
/// naming the offset; a stream unpacking to more, one naming the limit.
pub fn gunzip(path: &Path, bytes: &[u8], max: u64) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    // the size the stream says it unpacks to (mod 4 GiB), a hint, within the limit
    let hint = bytes
        .len()
        .checked_sub(4)
        .map(|i| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]))
        .map_or(0, u64::from)
        .min(max);
    let mut out = Vec::with_capacity(usize::try_from(hint).unwrap_or(0) + 1);
    let dec = flate2::read::MultiGzDecoder::new(bytes);
    match dec.take(max + 1).read_to_end(&mut out) {
        Ok(_) if out.len() as u64 > max => Err(err(
            ProblemKind::TooBig,
            path,
            None,
            format!(
                "gzip: unpacks to more than the {} a file may unpack to; skipped",
                size(max)
            ),
        )),
        Ok(_) => Ok(out),
        Err(e) => {
            let what = if e.kind() == std::io::ErrorKind::UnexpectedEof {
                "truncated gzip stream".to_string()
            } else {
                format!("corrupt gzip stream ({e})")
            };
            Err(err(
                ProblemKind::Malformed,
                path,
                Some(format!("unpacked byte {}", out.len())),
                what,
            ))
        }
    }
}
