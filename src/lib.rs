//! broadsheet: a terminal reader for archived news.
//!
//! The crate is layered; each module only looks down the list:
//!
//! - [`article`]: the [`article::Article`] model and one loader per stored format.
//! - [`clean`]: the cleaning core, pure functions from an article to shown and hidden blocks.
//! - [`archive`]: a folder of stories: scanning, loading, archive-wide evidence.
//! - [`export`]: the story as JSON Lines, Markdown or plain text (CLI output).
//! - [`config`]: `config.toml` parsed and checked.
#![warn(missing_docs)]

pub mod archive;
pub mod article;
pub mod clean;
pub mod config;
pub mod export;
pub mod text;
