//! What the reader asks of the operating system: open a URL in the browser, put text
//! on the clipboard (OSC 52), export a story to a file.

use std::io;
use std::path::PathBuf;

/// Start the platform's opener on a URL without waiting for it.
pub(crate) fn open_url(url: &str) -> Result<(), String> {
    use std::process::{Command, Stdio};
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut child = Command::new(opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start {opener}: {e}"))?;
    // reap it when it ends, without holding up the reader
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Put text on the clipboard: the terminal's, by the OSC 52 sequence (which it may
/// ignore), written between frames.
pub(crate) fn copy_to_clipboard(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut out = io::stdout();
    write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()))
        .and_then(|()| out.flush())
        .map_err(|e| format!("could not copy: {e}"))
}

/// Standard base64 with padding (for OSC 52).
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for (k, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if k <= c.len() {
                out.push(A[(n >> shift & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Write a story as Markdown to a new file in the current folder, named after its
/// title (`broadsheet-<title>.md`, `-2`, `-3`... if taken).
pub(crate) fn export_file(story: &crate::archive::Story) -> Result<PathBuf, String> {
    let mut slug = String::new();
    for c in story.article.title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.chars().count() >= 50 {
            break;
        }
    }
    let slug = slug.trim_matches('-');
    let slug = if slug.is_empty() { "story" } else { slug };
    let text = crate::export::markdown(story);
    for n in 1.. {
        let name = if n == 1 {
            format!("broadsheet-{slug}.md")
        } else {
            format!("broadsheet-{slug}-{n}.md")
        };
        let path = PathBuf::from(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(text.as_bytes())
                    .map_err(|e| format!("could not export to {}: {e}", path.display()))?;
                return Ok(std::env::current_dir()
                    .map(|d| d.join(&path))
                    .unwrap_or(path));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("could not export to {}: {e}", path.display())),
        }
    }
    unreachable!("some file name is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"https://x.org/?a=1"), "aHR0cHM6Ly94Lm9yZy8/YT0x");
    }
}
