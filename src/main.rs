//! The command line: parse arguments, load the config, then run a subcommand or the reader.

use anyhow::{bail, Result};
use broadsheet::archive::list::{Listed, Listener, Said};
use broadsheet::archive::{self, Archive, Entry, Index, Store};
use broadsheet::config::Config;
use broadsheet::export;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "broadsheet",
    version,
    about = "A terminal reader for archived news"
)]
struct Cli {
    /// Config file (default: the platform config dir's broadsheet/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Show every block as stored; hide nothing.
    #[arg(long, global = true)]
    no_clean: bool,
    /// Reading state file (default: $BROADSHEET_STATE, else the platform data dir's
    /// broadsheet/state.sqlite).
    #[arg(long, global = true, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Index file (default: $BROADSHEET_INDEX, else the platform cache dir's
    /// broadsheet/index.sqlite). It can be deleted at any time.
    #[arg(long, global = true, value_name = "FILE")]
    index: Option<PathBuf>,
    /// Read the files without using or updating the index.
    #[arg(long, global = true)]
    no_index: bool,
    #[command(subcommand)]
    command: Option<Command>,
    /// Folders or files to open (default: articles_dir from the config).
    paths: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// One line per story: date, source, title, path.
    List {
        /// Folders or files.
        paths: Vec<PathBuf>,
        /// JSON Lines instead of tab-separated text.
        #[arg(long)]
        json: bool,
    },
    /// A story, cleaned, as plain text.
    Show {
        /// The file.
        file: PathBuf,
        /// All blocks, the hidden ones marked.
        #[arg(long)]
        raw: bool,
        /// Wrap to this many columns (0: no wrapping).
        #[arg(long, default_value_t = 80)]
        width: usize,
    },
    /// Every story, cleaned, as JSON Lines, Markdown or text.
    Export {
        /// Folders or files.
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Every block of a story: shown or hidden, its kind, and why.
    Explain {
        /// The file.
        file: PathBuf,
        /// Of a file of many stories (a web archive, a feed), the one with this URL
        /// (else the first).
        #[arg(long)]
        url: Option<String>,
    },
    /// Ranked full-text search: title matches first, with a snippet of each story.
    Search {
        /// Words that must all appear; "quoted words" together; word* as a prefix.
        query: String,
        /// Folders or files.
        paths: Vec<PathBuf>,
        /// JSON Lines instead of tab-separated text.
        #[arg(long)]
        json: bool,
        /// At most this many stories.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Build or update the index of the stories under the paths.
    Index {
        /// Folders or files.
        paths: Vec<PathBuf>,
    },
    /// (Internal) what a big `list` or `search` leaves to a process in the background once
    /// it has answered: stat every file of the saved listing, and when one changed, say
    /// so on stderr and update the index.
    #[command(hide = true)]
    Check {
        /// What was printed: "list" or "search".
        what: String,
        /// Folders or files.
        paths: Vec<PathBuf>,
    },
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum Format {
    Json,
    Markdown,
    Text,
}

fn main() -> ExitCode {
    broadsheet::timing::start();
    let cli = Cli::parse(); // usage errors exit with status 2
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            if e.downcast_ref::<Reported>().is_none() {
                eprintln!("broadsheet: {}", line(&format!("{e:#}")));
            }
            ExitCode::from(1)
        }
    }
}

/// A failure already said on stderr (a named path that cannot be read): exit 1, quietly.
#[derive(Debug)]
struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("reported above")
    }
}

impl std::error::Error for Reported {}

/// Text from names and messages made safe for a terminal line: no control characters
/// (escape sequences in a file name are not obeyed), no bidi overrides, no newline.
fn line(s: &str) -> std::borrow::Cow<'_, str> {
    if plain(s) {
        return s.into();
    }
    broadsheet::text::sanitize(s).replace('\n', " ").into()
}

/// Is the text safe on a terminal line as it is? (ASCII checked a byte at a time.)
fn plain(s: &str) -> bool {
    let odd = |c: char| {
        c.is_control()
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if s.is_ascii() {
        return !s.bytes().any(|b| b < 0x20 || b == 0x7f);
    }
    !s.chars().any(odd)
}

/// Fails (quietly: the walk reports each) when a path named on the command line is not a
/// folder or a regular file that can be read: the exit status is then 1.
fn named_paths_readable(paths: &[PathBuf]) -> Result<()> {
    let ok = |p: &PathBuf| std::fs::metadata(p).is_ok_and(|m| m.is_dir() || m.is_file());
    if paths.iter().all(ok) {
        Ok(())
    } else {
        Err(Reported.into())
    }
}

fn run(cli: Cli) -> Result<()> {
    // another model file, named for the training's cross-validation (tools/cv_binary.py)
    broadsheet::clean::model::model_override().map_err(anyhow::Error::msg)?;
    let (config, _) = Config::load(cli.config.as_deref())?;
    broadsheet::article::limits::set(config.limits.limits());
    let opts = config.clean_options(cli.no_clean);
    let default_paths = |paths: Vec<PathBuf>| {
        if paths.is_empty() {
            vec![config.archive.articles_dir.clone()]
        } else {
            paths
        }
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let places = Places {
        state: cli.state.clone(),
        index: cli.index.clone(),
        no_index: cli.no_index,
        config: cli.config.clone(),
        no_clean: cli.no_clean,
    };
    match cli.command {
        None => {
            drop(out);
            return Ok(broadsheet::tui::run(
                default_paths(cli.paths),
                &config,
                opts,
                broadsheet::tui::Places {
                    state: places.state.clone(),
                    index: places.index.clone(),
                    no_index: places.no_index,
                },
            )?);
        }
        Some(Command::List { paths, json }) => {
            let paths = default_paths(paths);
            list(&paths, &opts, &places, json, &mut out)?;
            out.flush()?;
            named_paths_readable(&paths)?;
        }
        Some(Command::Search {
            query,
            paths,
            json,
            limit,
        }) => {
            let paths = default_paths(paths);
            search(&query, &paths, &opts, &places, json, limit, &mut out)?;
            out.flush()?;
            named_paths_readable(&paths)?;
        }
        Some(Command::Index { paths }) => {
            let paths = default_paths(paths);
            let mut index = Index::open_default(places.index.as_deref())?;
            said_moved_aside(&index);
            let r = match build(&mut index, &paths, &opts) {
                Err(e) if damaged(&e) => {
                    index = replace_damaged(index)?;
                    build(&mut index, &paths, &opts)?
                }
                r => r?,
            };
            eprintln!(
                "broadsheet: {}: {} added, {} changed, {} removed, {} unchanged",
                line(&index.path().display().to_string()),
                r.added,
                r.changed,
                r.removed,
                r.unchanged
            );
            named_paths_readable(&paths)?;
        }
        Some(Command::Check { what, paths }) => {
            // started by a list or search still answering: begin when it has ended (its
            // end closes our stdin), so as not to take the cores from its answer
            if !std::io::stdin().is_terminal() {
                let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
            }
            let mut ix = Index::open_default(places.index.as_deref())?;
            if let Some(saved) = ix.saved_listing(&paths)? {
                let mut to = Printer {
                    out: &mut out,
                    state: None,
                    json: false,
                    what: &what,
                };
                archive::list::check(&mut ix, &saved, &paths, &opts, &mut to)?;
            }
        }
        Some(Command::Show { file, raw, width }) => {
            let s = one(&file, &opts)?;
            out.write_all(export::text(&s, width, raw).as_bytes())?;
        }
        Some(Command::Export { paths, format }) => {
            let paths = default_paths(paths);
            let a = open(&paths, &opts);
            for s in &a.stories {
                let text = match format {
                    Format::Json => export::json_line(s) + "\n",
                    Format::Markdown => export::markdown(s) + "\n",
                    Format::Text => export::text(s, 0, false) + "\n",
                };
                out.write_all(text.as_bytes())?;
            }
            out.flush()?;
            named_paths_readable(&paths)?;
        }
        Some(Command::Explain { file, url }) => {
            let s = one_of(&file, url.as_deref(), &opts)?;
            out.write_all(export::explain(&s).as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Open an archive, reporting each problem once on stderr.
fn open(paths: &[PathBuf], opts: &broadsheet::clean::Options) -> Archive {
    let a = archive::open(paths, opts);
    for p in &a.problems {
        eprintln!("broadsheet: {}", line(&p.to_string()));
    }
    a
}

/// The one story in a file (the first, if it holds several).
fn one(file: &PathBuf, opts: &broadsheet::clean::Options) -> Result<archive::Story> {
    one_of(file, None, opts)
}

/// The story of `file` with this URL (the first, with none), cleaned as the reader does.
fn one_of(
    file: &PathBuf,
    url: Option<&str>,
    opts: &broadsheet::clean::Options,
) -> Result<archive::Story> {
    if !file.exists() {
        bail!("{}: no such file", line(&file.display().to_string()));
    }
    let (mut articles, problems) = archive::load_all(std::slice::from_ref(file));
    if let Some(p) = problems.iter().find(|p| p.at.is_none()) {
        bail!("{p}");
    }
    report(&problems);
    if articles.is_empty() {
        bail!("{}: no story found", file.display());
    }
    let at = match url {
        None => 0,
        Some(u) => articles
            .iter()
            .position(|a| a.url.as_deref() == Some(u))
            .ok_or_else(|| {
                let f = line(&file.display().to_string()).into_owned();
                anyhow::anyhow!("{f}: no story with the URL {}", line(u))
            })?,
    };
    let story = articles.swap_remove(at);
    // The file is cleaned as it is in the reader: with the evidence of the folder it
    // sits in (other stories' titles, blocks repeated across a source). Problems with
    // the other files are theirs, not this command's, and are not reported here.
    let siblings = match file.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => archive::find_files(&[dir.to_path_buf()]).0,
        None => archive::find_files(&[PathBuf::from(".")]).0,
    };
    let me = std::fs::canonicalize(file).ok();
    let others: Vec<PathBuf> = siblings
        .into_iter()
        .filter(|p| std::fs::canonicalize(p).ok() != me)
        .collect();
    let (mut all, _) = archive::load_all(&others);
    all.push(story.clone());
    let ev = broadsheet::clean::Evidence::gather(&all);
    let cleaned = broadsheet::clean::clean(&story, &ev, opts);
    Ok(archive::Story {
        article: story,
        cleaned,
    })
}

/// Where the state and the index are, from the command line (and what a background
/// [`Command::Check`] needs to be run as this one was).
#[derive(Clone)]
struct Places {
    state: Option<PathBuf>,
    index: Option<PathBuf>,
    no_index: bool,
    config: Option<PathBuf>,
    no_clean: bool,
}

fn report(problems: &[broadsheet::article::LoadError]) {
    for p in problems {
        eprintln!("broadsheet: {}", line(&p.to_string()));
    }
}

/// The reading state, or none (with a warning) when it cannot be opened: listing and
/// searching still work.
fn open_state(places: &Places) -> Option<Store> {
    match Store::open_default(places.state.as_deref()) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!(
                "broadsheet: reading state not available: {}",
                line(&e.to_string())
            );
            None
        }
    }
}

/// The index, or none when it cannot be used (the caller reads the files). A damaged one
/// found on opening has been moved aside: said here, in one line.
fn open_index(places: &Places) -> Option<Index> {
    if places.no_index {
        return None;
    }
    match Index::open_default(places.index.as_deref()) {
        Ok(i) => {
            said_moved_aside(&i);
            Some(i)
        }
        Err(e) => {
            eprintln!(
                "broadsheet: index not available, reading the files: {}",
                line(&e.to_string())
            );
            None
        }
    }
}

fn said_moved_aside(ix: &Index) {
    if let Some(aside) = ix.moved_aside() {
        eprintln!(
            "broadsheet: the index was damaged: moved aside to {}; it is built again",
            aside.display()
        );
    }
}

/// True when `e` is SQLite finding the index damaged.
fn damaged(e: &anyhow::Error) -> bool {
    e.downcast_ref::<archive::db::DbError>()
        .is_some_and(archive::index::is_damage)
}

/// Replace a damaged index by a new one (the old moved aside, said in one line).
fn replace_damaged(ix: Index) -> Result<Index> {
    let ix = ix.replace_damaged()?;
    said_moved_aside(&ix);
    Ok(ix)
}

/// Build the index under `paths` (the first search, or `broadsheet index`), with its
/// progress on stderr; keeps the listing and the folders' times for the next `list`.
fn build(
    ix: &mut Index,
    paths: &[PathBuf],
    opts: &broadsheet::clean::Options,
) -> Result<archive::Refresh> {
    use std::io::IsTerminal;
    let tty = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let mut last = started;
    let mut said = false;
    let folders = archive::index::saved::folders(paths);
    ix.build_alone(); // a command: nothing else here reads the index meanwhile
    let (r, problems) = ix.refresh_with(paths, opts, &mut |done, total| {
        if !said {
            said = true;
            eprintln!(
                "broadsheet: indexing {total} file(s) under {} (once; later runs read only \
                 what changed)",
                ix_paths(paths)
            );
        } else if tty && (last.elapsed().as_millis() > 200 || done == total) {
            last = std::time::Instant::now();
            eprint!("\rbroadsheet: indexed {done}/{total} files");
        }
    })?;
    if said {
        if tty {
            eprintln!();
        }
        eprintln!(
            "broadsheet: index ready in {:.1} s: {} added, {} changed, {} removed",
            started.elapsed().as_secs_f64(),
            r.added,
            r.changed,
            r.removed
        );
    }
    report(&problems);
    ix.save_listings(paths)?; // the listing, ready for the next run
    ix.keep_folders(&folders)?;
    Ok(r)
}

fn ix_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The list (`archive::list`): printed first and checked after, the check of a big
/// archive's saved listing left to a process in the background.
fn list(
    paths: &[PathBuf],
    opts: &broadsheet::clean::Options,
    places: &Places,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let state = json.then(|| open_state(places)).flatten(); // only JSON shows read, starred
    let mut to = Printer {
        out,
        state: state.as_ref(),
        json,
        what: "list",
    };
    match archive::list::list(open_index(places), paths, opts, &mut to)? {
        Listed::Done => Ok(()),
        Listed::Unchecked(mut ix, saved) => {
            match check_later(&mut ix, &saved, paths, opts, places, &mut to) {
                Err(e) if damaged(&e) => {
                    replace_damaged(*ix)?;
                    Ok(())
                }
                r => r,
            }
        }
    }
}

/// Prints a list (or search results) as it comes: rows or JSON on stdout, problems and
/// notices on stderr.
struct Printer<'a, W: Write> {
    out: &'a mut W,
    /// The reading state, for JSON's read and starred.
    state: Option<&'a Store>,
    json: bool,
    /// What is printed ("list", "search"), for the notices.
    what: &'a str,
}

impl<W: Write> Listener for Printer<'_, W> {
    fn entries(&mut self, entries: &[Entry]) -> std::io::Result<()> {
        write_list(entries, self.state, self.json, self.out)
    }

    fn row(&mut self, r: archive::index::saved::Row<'_>) -> std::io::Result<()> {
        if self.json {
            writeln!(self.out, "{}", entry_json(&r.entry(), self.state))
        } else {
            let (date, source) = (r.date.unwrap_or("-"), r.source.unwrap_or("-"));
            let (dir, name) = (line(r.path.0), line(r.path.1));
            for part in [date, "\t", source, "\t", r.title, "\t", &dir, &name, "\n"] {
                self.out.write_all(part.as_bytes())?;
            }
            Ok(())
        }
    }

    fn shown(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    fn problems(&mut self, problems: &[broadsheet::article::LoadError]) {
        report(problems);
    }

    fn said(&mut self, what: Said<'_>) {
        let w = self.what;
        match what {
            Said::MovedAside(aside) => eprintln!(
                "broadsheet: the index was damaged: moved aside to {}; it is built again",
                aside.display()
            ),
            Said::IndexUnavailable(e) => eprintln!(
                "broadsheet: index not available, reading the files: {}",
                line(&e.to_string())
            ),
            Said::OutOfDate(r) => eprintln!(
                "broadsheet: the {w} above is out of date: {} file(s) added, {} changed, {} \
                 removed since the index was made; it is updated now, {w} again to see them",
                r.added, r.changed, r.removed
            ),
            Said::ChangedInPlace(changed) => eprintln!(
                "broadsheet: the {w} above is out of date: {} file(s) changed since they \
                 were indexed ({}{}); the index is updated now, {w} again to see them",
                changed.len(),
                changed
                    .first()
                    .map_or(String::new(), |p| p.display().to_string()),
                if changed.len() > 1 { ", ..." } else { "" }
            ),
            Said::NotUpdated(e) => eprintln!("broadsheet: index not updated: {e}"),
        }
    }
}

/// A saved listing of more files than this is checked (a stat of every file) by a process
/// left in the background once the answer is printed: the command ends at once.
const CHECK_IN_BACKGROUND_FROM: usize = 20_000;

/// After a saved listing (or search results) was printed: every file's size and time
/// checked ([`archive::list::check`]), here, or for a big archive by this program run
/// again in the background ([`Command::Check`]; its stderr is this one's).
fn check_later<W: Write>(
    ix: &mut Index,
    saved: &archive::index::saved::Saved,
    paths: &[PathBuf],
    opts: &broadsheet::clean::Options,
    places: &Places,
    to: &mut Printer<'_, W>,
) -> Result<()> {
    if saved.file_count() >= CHECK_IN_BACKGROUND_FROM
        && spawn_check(ix.path(), paths, places, to.what)
    {
        return Ok(());
    }
    Ok(archive::list::check(ix, saved, paths, opts, to)?)
}

/// [`spawn_check`] on a thread of its own, started before the answer is printed: the
/// wait for the new process to start (tens of milliseconds on a busy machine) overlaps
/// the printing, and the check itself waits for this process to end. `true` from the
/// thread when it started.
fn spawn_check_early(
    index: &Path,
    paths: &[PathBuf],
    places: &Places,
    what: &'static str,
) -> std::thread::JoinHandle<bool> {
    let (index, paths) = (index.to_path_buf(), paths.to_vec());
    let places = places.clone();
    std::thread::spawn(move || spawn_check(&index, &paths, &places, what))
}

/// Start [`Command::Check`] in the background: stdout closed, stderr shared, and stdin
/// a pipe kept open until this process ends (the check begins then).
fn spawn_check(index: &Path, paths: &[PathBuf], places: &Places, what: &str) -> bool {
    use std::process::{Command, Stdio};
    let Ok(exe) = std::env::current_exe() else {
        return false;
    };
    let mut cmd = Command::new(exe);
    if let Some(c) = &places.config {
        cmd.arg("--config").arg(c);
    }
    if places.no_clean {
        cmd.arg("--no-clean");
    }
    cmd.arg("--index").arg(index);
    cmd.args(["check", what, "--"]).args(paths);
    cmd.stdin(Stdio::piped()).stdout(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0); // not stopped by the terminal's ^C meant for the next command
    }
    match cmd.spawn() {
        Ok(mut child) => {
            // closed when this process ends, whatever way it ends: the check's signal
            std::mem::forget(child.stdin.take());
            true
        }
        Err(_) => false,
    }
}

/// A story of the list as JSON: path, title, source, date, id, read, starred.
fn entry_json(e: &Entry, state: Option<&Store>) -> serde_json::Value {
    serde_json::json!({
        "path": e.path().display().to_string(),
        "title": e.title(),
        "source": e.source(),
        "date": e.date(),
        "id": e.id.to_string(),
        "read": state.map_or(e.feed_read(), |s| s.marks_or(e.id, e.feed_read()).0),
        "starred": state.is_some_and(|s| s.is_starred(e.id)),
    })
}

/// A story of the list as a tab-separated row: date, source, title, path.
fn entry_row(e: &Entry) -> String {
    let mut row = Vec::new();
    write_entry_row(&mut row, e).expect("writing to memory");
    row.pop(); // the newline
    String::from_utf8_lossy(&row).into_owned()
}

/// [`entry_row`] and a newline, straight to `out`: a path of UTF-8 as it is, a piece at a
/// time, with no formatting.
fn write_entry_row(out: &mut impl Write, e: &Entry) -> std::io::Result<()> {
    let (date, source) = (e.date(), e.source());
    let Some(path) = e.path().to_str().filter(|p| plain(p)) else {
        // a name that is not UTF-8, or holds control characters, shown safely
        let shown = line(&e.path().display().to_string()).into_owned();
        return write_row(out, date, source, e.title(), &shown);
    };
    let (date, source) = (date.unwrap_or("-"), source.unwrap_or("-"));
    for part in [date, "\t", source, "\t", e.title(), "\t", path, "\n"] {
        out.write_all(part.as_bytes())?;
    }
    Ok(())
}

/// A row of the list and a newline: date, source, title, path.
fn write_row(
    out: &mut impl Write,
    date: Option<&str>,
    source: Option<&str>,
    title: &str,
    path: &dyn std::fmt::Display,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{}\t{}\t{}\t{}",
        date.unwrap_or("-"),
        source.unwrap_or("-"),
        title,
        path
    )
}

fn write_list(
    entries: &[Entry],
    state: Option<&Store>,
    json: bool,
    out: &mut impl Write,
) -> std::io::Result<()> {
    for e in entries {
        if json {
            writeln!(out, "{}", entry_json(e, state))?;
        } else {
            write_entry_row(out, e)?;
        }
    }
    Ok(())
}

/// Ranked search through the index: at once from the index when it holds the paths
/// (then checked, as `list` checks, and said on stderr when out of date), else built
/// first (progress on stderr). A damaged index is moved aside and built again.
fn search(
    query: &str,
    paths: &[PathBuf],
    opts: &broadsheet::clean::Options,
    places: &Places,
    json: bool,
    limit: usize,
    out: &mut impl Write,
) -> Result<()> {
    if broadsheet::archive::search::fts_query(query).is_none() {
        bail!("nothing to search for in {query:?}: give at least one word");
    }
    let state = json.then(|| open_state(places)).flatten(); // only JSON shows read, starred
    let mut index = match Index::open_default(places.index.as_deref()) {
        Ok(i) => i,
        Err(e) => bail!("search needs the index: {e}"),
    };
    said_moved_aside(&index);
    let mut printed = false;
    let s = Search {
        places,
        query,
        paths,
        opts,
        state: state.as_ref(),
        json,
        limit,
    };
    match s.run(&mut index, out, &mut printed) {
        Err(e) if damaged(&e) => {
            let mut index = replace_damaged(index)?;
            if !printed {
                s.run(&mut index, out, &mut printed)?;
            }
            Ok(())
        }
        r => r,
    }
}

/// A search's question and how to answer it.
struct Search<'a> {
    places: &'a Places,
    query: &'a str,
    paths: &'a [PathBuf],
    opts: &'a broadsheet::clean::Options,
    state: Option<&'a Store>,
    json: bool,
    limit: usize,
}

impl Search<'_> {
    fn run(&self, index: &mut Index, out: &mut impl Write, printed: &mut bool) -> Result<()> {
        let (paths, opts) = (self.paths, self.opts);
        if index.is_cold(paths, opts)? {
            build(index, paths, opts)?;
            *printed = true;
            return self.print(index, out);
        }
        // trusted while no folder changed, as the saved listing is; a big archive's
        // check of every file is started in the background at once
        let count = index.saved_file_count(paths)?;
        let early = count
            .filter(|&n| n >= CHECK_IN_BACKGROUND_FROM)
            .map(|_| spawn_check_early(index.path(), paths, self.places, "search"));
        let saved = match (&early, count) {
            (None, Some(_)) => index.saved_heads(paths)?,
            _ => None,
        };
        let told = index.problems(paths)?;
        report(&told);
        *printed = true;
        self.print(index, out)?;
        broadsheet::timing::since_start("results shown");
        let mut to = Printer {
            out,
            state: self.state,
            json: self.json,
            what: "search",
        };
        let started = early.map(|t| t.join().unwrap_or(false));
        let saved = match started {
            Some(true) => return Ok(()),
            Some(false) => index.saved_heads(paths)?, // checked here after all
            None => saved,
        };
        match saved {
            Some(saved) => check_later(index, &saved, paths, opts, self.places, &mut to)?,
            None => {
                let folders = archive::index::saved::folders(paths);
                let (r, problems) = index.refresh(paths, opts)?;
                report(&archive::list::not_told(&told, problems));
                if r.added + r.changed + r.removed > 0 {
                    to.said(Said::OutOfDate(&r));
                }
                index.entries(paths)?;
                index.keep_folders(&folders)?;
            }
        }
        Ok(())
    }

    fn print(&self, index: &Index, out: &mut impl Write) -> Result<()> {
        for h in index.search(self.query, self.paths, self.limit)? {
            let e = &h.entry;
            if self.json {
                let mut v = entry_json(e, self.state);
                v["score"] = serde_json::json!(h.score);
                v["snippet"] = serde_json::json!(h.snippet);
                v["marks"] =
                    serde_json::json!(h.marks.iter().map(|m| [m.start, m.end]).collect::<Vec<_>>());
                writeln!(out, "{v}")?;
            } else {
                writeln!(out, "{}\t{}", entry_row(e), h.marked_snippet("[", "]"))?;
            }
        }
        out.flush()?;
        Ok(())
    }
}
