//! broadsheet: a terminal reader for archived news.
//!
//! The crate is layered; each module only looks down the list:
//!
//! - [`article`]: the [`article::Article`] model and one loader per stored format.
//! - [`clean`]: the cleaning core, pure functions from an article to shown and hidden blocks.
//! - [`archive`]: a folder of stories: scanning, loading, archive-wide evidence.
//! - [`export`]: the story as JSON Lines, Markdown or plain text (CLI output).
//! - [`app`]: the reader's state and actions: `update(state, msg) -> effect`; no terminal, no I/O.
//! - [`ui`]: drawing the reader from its state (widgets that borrow the state).
//! - [`keymap`]: keys as data, parsed from config strings; actions; hints and help.
//! - [`config`]: `config.toml` parsed and checked.
//! - [`shell`]: the reader's effects done (state, index, OS), its loader and story
//!   reader threads.
//! - [`hash`]: FNV-1a, for story ids and the cleaner's maps.
//! - [`timing`]: timings on stderr for the benchmarks.
//! - [`tui`]: the terminal: setup / restore, its events as messages, the event loop.
#![warn(missing_docs)]

pub mod app;
pub mod archive;
pub mod article;
pub mod clean;
pub mod config;
pub mod export;
pub mod hash;
pub mod keymap;
pub mod shell;
pub mod text;
pub mod timing;
pub mod tui;
pub mod ui;
