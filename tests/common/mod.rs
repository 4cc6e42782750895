//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `../shared` beside the repository, or None with a message. Under CI (CI set), a
/// missing `../shared` is a failure: the quality gates must not skip there.
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.join("PRODUCT.md").exists() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!("../shared is missing under CI: the quality gates cannot run");
    }
    eprintln!("skipping: ../shared is absent (a fresh clone has no corpus); nothing checked");
    None
}

/// The built binary, its reading state and index in a folder of this test process's own
/// (never the user's data or cache dirs; a test may point them elsewhere with `.env`).
pub fn bin() -> Command {
    let dir = scratch();
    let mut c = Command::new(env!("CARGO_BIN_EXE_broadsheet"));
    c.env("BROADSHEET_STATE", dir.join("state.sqlite"))
        .env("BROADSHEET_INDEX", dir.join("index.sqlite"));
    c
}

/// A folder for this test process (removed by the OS's temp cleaning, not by us: tests
/// of one binary run in parallel and share it).
pub fn scratch() -> PathBuf {
    let d = std::env::temp_dir().join(format!("broadsheet-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("create the test folder");
    d
}

/// Run `broadsheet export --format json` on paths; returns the JSON Lines as values.
pub fn export_json(paths: &[&Path]) -> Vec<serde_json::Value> {
    String::from_utf8(export_bytes(paths))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// The JSON Lines a finished command wrote; fails the test, with its stderr, if it failed.
pub fn json_lines(out: std::process::Output, what: &str) -> Vec<serde_json::Value> {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// The raw output of `broadsheet export --format json` on paths (asserts success).
pub fn export_bytes(paths: &[&Path]) -> Vec<u8> {
    let out = bin()
        .arg("export")
        .arg("--format")
        .arg("json")
        .args(paths)
        .output()
        .expect("run broadsheet");
    assert!(
        out.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Score an export with ../shared/tools/score.py; returns its JSON figures.
pub fn score(shared: &Path, mode: &str, labels: &Path, paths: &[&Path]) -> serde_json::Value {
    let pred = Pred::export(paths);
    pred.run(shared, "score.py", &[mode], labels)
}

/// An export written to a file of its own, for the tools in ../shared/tools.
pub struct Pred(PathBuf);

impl Pred {
    /// `broadsheet export --format json` of the paths, kept in a file.
    pub fn export(paths: &[&Path]) -> Pred {
        let tmp = std::env::temp_dir().join(format!(
            "broadsheet-score-{}-{}.jsonl",
            std::process::id(),
            rand_suffix()
        ));
        std::fs::write(&tmp, export_bytes(paths)).unwrap();
        Pred(tmp)
    }

    /// Run `tool` (score.py or lede.py) with `args`, the labels and the export; its last
    /// line as JSON.
    pub fn run(
        &self,
        shared: &Path,
        tool: &str,
        args: &[&str],
        labels: &Path,
    ) -> serde_json::Value {
        let s = Command::new("python3")
            .arg(shared.join("tools").join(tool))
            .args(args)
            .arg(labels)
            .arg(&self.0)
            .output()
            .expect("python3 runs the scorer");
        assert!(
            s.status.success(),
            "{tool} failed: {}",
            String::from_utf8_lossy(&s.stderr)
        );
        let text = String::from_utf8(s.stdout).unwrap();
        serde_json::from_str(text.lines().last().unwrap()).unwrap()
    }
}

impl Drop for Pred {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// Files no loader may read whole in `dir`: a FIFO `fifo.txt` (a read waits for ever) and
/// a link `zero.txt` to `/dev/zero` (a read never ends).
#[cfg(unix)]
pub fn endless_files(dir: &Path) {
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        dir.join("fifo.txt"),
        rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
    )
    .unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.txt")).unwrap();
}
