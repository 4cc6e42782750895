//! The command line: parse arguments, load the config, then run a subcommand or the reader.

use anyhow::{bail, Result};
use broadsheet::archive::{self, Archive};
use broadsheet::config::Config;
use broadsheet::export;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
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
    },
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum Format {
    Json,
    Markdown,
    Text,
}

fn main() -> ExitCode {
    let cli = Cli::parse(); // usage errors exit with status 2
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("broadsheet: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let (config, _) = Config::load(cli.config.as_deref())?;
    let opts = config.clean_options(cli.no_clean);
    let default_paths = |paths: Vec<PathBuf>| {
        if paths.is_empty() {
            vec![config.archive.articles_dir.clone()]
        } else {
            paths
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match cli.command {
        None => {
            drop(out);
            return Ok(broadsheet::tui::run(
                default_paths(cli.paths),
                &config,
                opts,
            )?);
        }
        Some(Command::List { paths, json }) => {
            let a = open(&default_paths(paths), &opts);
            list(&a, json, &mut out)?;
        }
        Some(Command::Show { file, raw, width }) => {
            let s = one(&file, &opts)?;
            out.write_all(export::text(&s, width, raw).as_bytes())?;
        }
        Some(Command::Export { paths, format }) => {
            let a = open(&default_paths(paths), &opts);
            for s in &a.stories {
                let text = match format {
                    Format::Json => export::json_line(s) + "\n",
                    Format::Markdown => export::markdown(s) + "\n",
                    Format::Text => export::text(s, 0, false) + "\n",
                };
                out.write_all(text.as_bytes())?;
            }
        }
        Some(Command::Explain { file }) => {
            let s = one(&file, &opts)?;
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
        eprintln!("broadsheet: {p}");
    }
    a
}

/// The one story in a file (the first, if it holds several).
fn one(file: &PathBuf, opts: &broadsheet::clean::Options) -> Result<archive::Story> {
    if !file.exists() {
        bail!("{}: no such file", file.display());
    }
    let (articles, problems) = archive::load_all(std::slice::from_ref(file));
    if let Some(p) = problems.iter().find(|p| p.at.is_none()) {
        bail!("{p}");
    }
    for p in &problems {
        eprintln!("broadsheet: {p}");
    }
    let mut stories = archive::clean_all(articles, opts);
    if stories.is_empty() {
        bail!("{}: no story found", file.display());
    }
    Ok(stories.swap_remove(0))
}

fn list(a: &Archive, json: bool, out: &mut impl Write) -> Result<()> {
    for s in &a.stories {
        if json {
            let v = serde_json::json!({
                "path": s.article.path.display().to_string(),
                "title": s.article.title,
                "source": s.source(),
                "date": s.article.date,
            });
            writeln!(out, "{v}")?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{}\t{}",
                s.article.date.as_deref().unwrap_or("-"),
                s.source().unwrap_or("-"),
                s.article.title,
                s.article.path.display()
            )?;
        }
    }
    Ok(())
}
