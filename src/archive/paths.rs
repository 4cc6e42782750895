//! Paths as the archive and the index name them: absolute, the SQL range of a root,
//! shown as the user named them, in the order the walk finds them; files' times.

use super::db::{DbError, DbResult};
use std::path::{Path, PathBuf};

/// `p` made absolute (as it is when that fails).
pub(crate) fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The file named on the command line (`explicit`), else the platform's place for it
/// (`default`); `name` and `what` say which when there is no home folder to keep it in
/// (`flag` names the option that chooses it).
pub(crate) fn chosen_file(
    explicit: Option<&Path>,
    default: fn() -> Option<PathBuf>,
    name: &str,
    what: &str,
    flag: &str,
) -> DbResult<PathBuf> {
    match explicit {
        Some(p) => Ok(p.to_path_buf()),
        None => default().ok_or_else(|| DbError::Unusable {
            path: PathBuf::from(name),
            reason: format!("no home folder to keep {what} in; pass {flag} FILE"),
        }),
    }
}

/// The SQL range of `path` values at or under a root: the root itself, or `root/...`.
pub(crate) fn root_range(root: &Path) -> (String, String, String) {
    let r = absolute(root)
        .to_string_lossy()
        .trim_end_matches('/')
        .to_string();
    (r.clone(), format!("{r}/"), format!("{r}0")) // '0' is the byte after '/'
}

/// A file's or folder's modification time, as the index keeps it.
pub(crate) fn mtime_of(path: &str) -> Option<i64> {
    let m = std::fs::metadata(path).ok()?;
    Some(nanos(&m))
}

/// The modification time in nanoseconds since 1970 (0 when unknown).
pub(crate) fn nanos(m: &std::fs::Metadata) -> i64 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

/// A path under a root, shown as the root was named: the root, then the rest.
#[derive(Debug, Clone, Copy)]
pub struct ShownPath<'a>(pub &'a str, pub &'a str);

impl std::fmt::Display for ShownPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)?;
        f.write_str(self.1)
    }
}

impl ShownPath<'_> {
    pub(crate) fn of<'a>(given: &'a str, rel: &'a str) -> ShownPath<'a> {
        match rel.strip_prefix('/') {
            Some(rest) if given.ends_with('/') => ShownPath(given, rest),
            _ => ShownPath(given, rel),
        }
    }
}

/// The order [`super::find_files`] walks in: path by path component (a separator sorts before
/// any other byte), so `a/b/x` comes before `a/b-c/x` and `a/b.txt`.
pub(crate) fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |c: u8| if c == b'/' { 0 } else { c };
    a.bytes().map(key).cmp(b.bytes().map(key))
}

/// A stored absolute path as the user named it: under the root they gave, relative if
/// they gave it relative.
pub(crate) fn shown_path(abs: &Path, roots: &[PathBuf]) -> PathBuf {
    for r in roots {
        let ar = absolute(r);
        if abs.starts_with(&ar) {
            return relative_to(abs, &ar, r);
        }
    }
    abs.to_path_buf()
}

pub(crate) fn relative_to(abs: &Path, abs_root: &Path, given: &Path) -> PathBuf {
    match abs.strip_prefix(abs_root) {
        Ok(rest) if rest.as_os_str().is_empty() => given.to_path_buf(),
        Ok(rest) => given.join(rest),
        Err(_) => abs.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_order_is_component_order() {
        let mut v = vec!["a/b.txt", "a/b-c/x", "a/b/y", "a/a", "a/b/x"];
        v.sort_by(|a, b| walk_order(a, b));
        let mut p: Vec<PathBuf> = v.iter().map(PathBuf::from).collect();
        p.sort();
        assert_eq!(v, p.iter().map(|p| p.to_str().unwrap()).collect::<Vec<_>>());
        let join = |given, rel| ShownPath::of(given, rel).to_string();
        assert_eq!(join("a/", "/x.txt"), "a/x.txt");
        assert_eq!(join("./a", "/x.txt"), "./a/x.txt");
        assert_eq!(join("x.txt", ""), "x.txt");
    }
}
