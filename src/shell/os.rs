//! What the reader asks of the operating system: open a URL in the browser, put text
//! on the clipboard (OSC 52), export a story to a file.

use super::error::ShellError;
use std::io;
use std::path::PathBuf;

/// Start the platform's opener on a URL without waiting for it: only a web address
/// ([`web_url`]); anything else is refused with the reason.
pub(crate) fn open_url(url: &str) -> Result<(), ShellError> {
    use std::process::{Command, Stdio};
    let url = web_url(url)?;
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
        .map_err(|error| ShellError::Opener {
            program: opener,
            error,
        })?;
    // reap it when it ends, without holding up the reader
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// The URL if it is a web address the opener may be given: scheme `http` or `https`
/// (any case), then `//` and a host; no spaces or control characters. Anything else
/// (`file:`, `javascript:`, another program's scheme, a string an opener would read as
/// an option, such as `--help`) is refused, with why, for the status line.
pub(crate) fn web_url(url: &str) -> Result<&str, ShellError> {
    let shown = || {
        let s: String = crate::text::sanitize(url).chars().take(60).collect();
        format!("{s:?}")
    };
    let refuse = |why: &'static str| Err(ShellError::NotOpened { why, link: shown() });
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once(':') else {
        return refuse("not a web address");
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return refuse("not a web address");
    }
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return refuse("only http and https links are opened");
    }
    let host = rest.strip_prefix("//").unwrap_or("");
    if host.is_empty() || host.starts_with(['/', '?', '#']) {
        return refuse("no host in the link");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return refuse("spaces or control characters in the link");
    }
    Ok(url)
}

/// Put text on the clipboard: the terminal's, by the OSC 52 sequence (which it may
/// ignore), written between frames.
pub(crate) fn copy_to_clipboard(text: &str) -> Result<(), ShellError> {
    use std::io::Write;
    let mut out = io::stdout();
    write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()))
        .and_then(|()| out.flush())
        .map_err(ShellError::Copy)
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
pub(crate) fn export_file(story: &crate::archive::Story) -> Result<PathBuf, ShellError> {
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
                if let Err(error) = f.write_all(text.as_bytes()) {
                    return Err(ShellError::Export { path, error });
                }
                return Ok(std::env::current_dir()
                    .map(|d| d.join(&path))
                    .unwrap_or(path));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(ShellError::Export { path, error }),
        }
    }
    unreachable!("some file name is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_opened() {
        for ok in [
            "https://example.org/a?b=1#c",
            "http://x.org",
            "HTTPS://Example.org/",
            "https://[::1]:8080/p",
        ] {
            assert_eq!(web_url(ok).unwrap(), ok);
        }
        assert_eq!(
            web_url(" https://x.org\n").unwrap(),
            "https://x.org",
            "trimmed"
        );
        for (bad, why) in [
            ("file:///etc/passwd", "only http and https"),
            ("FILE:///etc/passwd", "only http and https"),
            ("javascript:alert(1)", "only http and https"),
            ("ftp://x.org/f", "only http and https"),
            ("mailto:a@b.org", "only http and https"),
            ("smb://host/share", "only http and https"),
            ("-e", "not a web address"),
            ("--help", "not a web address"),
            ("-x:https://x.org", "not a web address"),
            ("--url=https://x.org", "not a web address"),
            ("/etc/passwd", "not a web address"),
            ("www.example.org", "not a web address"),
            ("", "not a web address"),
            ("https:", "no host"),
            ("https:/x.org", "no host"),
            ("https:///etc/passwd", "no host"),
            ("http:x.org", "no host"),
            ("https://x.org/a b", "spaces or control"),
            ("https://x.org/\x1b]0;hi\x07", "spaces or control"),
            ("https://x.org/\n-x", "spaces or control"),
        ] {
            let e = web_url(bad).unwrap_err();
            assert!(matches!(e, ShellError::NotOpened { .. }), "{bad:?}: {e}");
            let e = e.to_string();
            assert!(
                e.starts_with("not opened: ") && e.contains(why),
                "{bad:?}: {e}"
            );
            assert!(
                !e.contains('\x1b') && !e.contains('\x07'),
                "sanitised: {e:?}"
            );
        }
        // refused before any program is started
        assert!(open_url("file:///etc/passwd").is_err());
        assert!(open_url("--help").is_err());
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"https://x.org/?a=1"), "aHR0cHM6Ly94Lm9yZy8/YT0x");
    }
}
