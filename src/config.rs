//! `config.toml`: parsed with serde (unknown keys are errors) and checked.
//!
//! The shipped `config.toml` at the repository root documents every key; its values are
//! the defaults below (a test checks the two agree). A user's file only needs the keys it
//! changes.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The shipped default configuration, every key commented.
pub const DEFAULT_TOML: &str = include_str!("../config.toml");

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `[archive]`
    pub archive: ArchiveConfig,
    /// `[layout]`
    pub layout: LayoutConfig,
    /// `[theme]`
    pub theme: ThemeConfig,
    /// `[keys]`: action name -> key names.
    pub keys: BTreeMap<String, Vec<String>>,
    /// `[cleaning]`
    pub cleaning: CleaningConfig,
    /// `[reading]`
    pub reading: ReadingConfig,
    /// `[limits]`
    pub limits: LimitsConfig,
}

/// What one file may cost ([`crate::article::limits`]): past a limit the file is reported
/// and skipped (or, for the extraction's time, the page read flat).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Biggest file read, in MB.
    pub file_mb: u64,
    /// Most a gzip file may unpack to, in MB.
    pub unpacked_mb: u64,
    /// Biggest file of one story (text, Markdown, a saved page), in MB.
    pub story_mb: u64,
    /// Seconds the extraction of one saved page may take.
    pub extract_seconds: f64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        use crate::article::limits as l;
        LimitsConfig {
            file_mb: l::MAX_FILE >> 20,
            unpacked_mb: l::MAX_UNPACKED >> 20,
            story_mb: l::MAX_STORY >> 20,
            extract_seconds: l::MAX_EXTRACT_MS as f64 / 1000.0,
        }
    }
}

impl LimitsConfig {
    /// The limits to [`crate::article::limits::set`].
    pub fn limits(&self) -> crate::article::limits::Limits {
        crate::article::limits::Limits {
            file: self.file_mb << 20,
            unpacked: self.unpacked_mb << 20,
            story: self.story_mb << 20,
            extract_ms: (self.extract_seconds * 1000.0) as u64,
        }
    }
}

/// Where the archive is.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ArchiveConfig {
    /// Folder opened when no path is given; relative paths are taken from the current folder.
    pub articles_dir: PathBuf,
}

/// Sizes of the panes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LayoutConfig {
    /// Width of the list pane, in columns.
    pub list_width: u16,
    /// Widest the story text is set, in columns (centred in the reading pane).
    pub max_width: u16,
    /// Below this terminal width only one pane is shown at a time.
    pub narrow_below: u16,
}

/// Colours, as names ("yellow", "dark-gray") or "#rrggbb".
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeConfig {
    /// Accent: focused borders, the selection.
    pub accent: String,
    /// Secondary text: meta lines, sources, dates.
    pub dim: String,
    /// Hidden blocks when shown with `H`.
    pub hidden: String,
    /// The unread dot.
    pub unread: String,
    /// The star.
    pub star: String,
}

/// The cleaner's settings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CleaningConfig {
    /// Hide clutter at all.
    pub enabled: bool,
    /// Blocks containing any of these (case-insensitive) are always hidden.
    pub always_hide: Vec<String>,
    /// Blocks containing any of these (case-insensitive) are always shown.
    pub always_keep: Vec<String>,
    /// Sources whose stories are shown uncleaned.
    pub raw_sources: Vec<String>,
}

/// Reading behaviour.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReadingConfig {
    /// Mark a story read when it is opened in the reading pane.
    pub mark_read_on_open: bool,
    /// Words per minute for the reading time in the meta line.
    pub words_per_minute: u32,
}

impl ThemeConfig {
    /// (key, value) of every colour.
    pub fn entries(&self) -> [(&'static str, &str); 5] {
        [
            ("accent", &self.accent),
            ("dim", &self.dim),
            ("hidden", &self.hidden),
            ("unread", &self.unread),
            ("star", &self.star),
        ]
    }
}

/// A colour from config: a name (`cyan`, `dark-gray`, `light-blue`, `reset`) or `#rrggbb`.
pub fn parse_color(s: &str) -> Option<ratatui::style::Color> {
    use ratatui::style::Color;
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let v = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    let name: String = s
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match name.as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

impl Default for ArchiveConfig {
    fn default() -> Self {
        ArchiveConfig {
            articles_dir: PathBuf::from("articles"),
        }
    }
}
impl Default for LayoutConfig {
    fn default() -> Self {
        LayoutConfig {
            list_width: 36,
            max_width: 80,
            narrow_below: 80,
        }
    }
}
impl Default for ThemeConfig {
    fn default() -> Self {
        ThemeConfig {
            accent: "cyan".into(),
            dim: "dark-gray".into(),
            hidden: "dark-gray".into(),
            unread: "yellow".into(),
            star: "yellow".into(),
        }
    }
}
impl Default for CleaningConfig {
    fn default() -> Self {
        CleaningConfig {
            enabled: true,
            always_hide: vec![],
            always_keep: vec![],
            raw_sources: vec![],
        }
    }
}
impl Default for ReadingConfig {
    fn default() -> Self {
        ReadingConfig {
            mark_read_on_open: true,
            words_per_minute: 230,
        }
    }
}

/// A configuration error: the file, the line, the key and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    /// The config file.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong, naming the key.
    pub message: String,
}

/// A value serde cannot check, found wrong: where (for the line), and what is wrong.
struct Invalid {
    /// The table (`layout`, `keys`).
    section: &'static str,
    /// The key in it.
    key: String,
    /// What is wrong, naming the key.
    message: String,
}

impl Config {
    /// Parse a config file's text. `path` is only used in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(text).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().trim().to_string(),
        })?;
        cfg.check().map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: find_section_key_line(text, e.section, &e.key)
                .or_else(|| find_key_line(text, &e.key)),
            message: e.message,
        })?;
        Ok(cfg)
    }

    /// Load the config: the file given, else the user's file in the platform config dir
    /// if there is one, else the defaults. Returns the config and the file it came from.
    pub fn load(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>), ConfigError> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => user_config_path().filter(|p| p.exists()),
        };
        match path {
            None => Ok((Config::default(), None)),
            Some(p) => {
                let text = std::fs::read_to_string(&p).map_err(|e| ConfigError {
                    path: p.clone(),
                    line: None,
                    message: format!("cannot read: {e}"),
                })?;
                let cfg = Config::parse(&text, &p)?;
                Ok((cfg, Some(p)))
            }
        }
    }

    /// Values serde cannot check.
    fn check(&self) -> Result<(), Invalid> {
        if self.layout.list_width < 10 {
            return Err(Invalid {
                section: "layout",
                key: "list_width".into(),
                message: "layout.list_width must be at least 10".into(),
            });
        }
        if self.layout.max_width < 20 {
            return Err(Invalid {
                section: "layout",
                key: "max_width".into(),
                message: "layout.max_width must be at least 20".into(),
            });
        }
        let l = &self.limits;
        for (key, v) in [
            ("file_mb", l.file_mb),
            ("unpacked_mb", l.unpacked_mb),
            ("story_mb", l.story_mb),
        ] {
            if v == 0 || v > 1 << 20 {
                return Err(Invalid {
                    section: "limits",
                    key: key.into(),
                    message: format!("limits.{key} must be from 1 to 1048576"),
                });
            }
        }
        if !(l.extract_seconds > 0.0 && l.extract_seconds <= 86_400.0) {
            return Err(Invalid {
                section: "limits",
                key: "extract_seconds".into(),
                message: "limits.extract_seconds must be above 0 and at most 86400".into(),
            });
        }
        if self.reading.words_per_minute == 0 {
            return Err(Invalid {
                section: "reading",
                key: "words_per_minute".into(),
                message: "reading.words_per_minute must be above 0".into(),
            });
        }
        for (key, value) in self.theme.entries() {
            if parse_color(value).is_none() {
                return Err(Invalid {
                    section: "theme",
                    key: key.to_string(),
                    message: format!(
                        "theme.{key}: unknown colour {value:?} (use a name like \"cyan\", \
                         \"dark-gray\", \"reset\", or \"#rrggbb\")"
                    ),
                });
            }
        }
        self.keymap().map_err(|e| Invalid {
            section: "keys",
            key: e.entry().to_string(),
            message: e.to_string(),
        })?;
        Ok(())
    }

    /// The keymap: the defaults with `[keys]` applied.
    pub fn keymap(&self) -> Result<crate::keymap::Keymap, crate::keymap::KeymapError> {
        crate::keymap::Keymap::from_config(&self.keys)
    }

    /// The cleaner's options from `[cleaning]` (and `--no-clean`).
    pub fn clean_options(&self, no_clean: bool) -> crate::clean::Options {
        crate::clean::Options {
            disabled: no_clean || !self.cleaning.enabled,
            always_hide: self.cleaning.always_hide.clone(),
            always_keep: self.cleaning.always_keep.clone(),
            raw_sources: self.cleaning.raw_sources.clone(),
        }
    }
}

/// The user's config file in the platform config dir (`~/.config/broadsheet/config.toml`).
pub fn user_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "broadsheet").map(|d| d.config_dir().join("config.toml"))
}

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// The first line that sets `key` (for errors found after parsing).
pub fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            !t.starts_with('#')
                && t.split('=')
                    .next()
                    .is_some_and(|k| k.trim().trim_matches('"') == key)
        })
        .map(|i| i + 1)
}

/// The line that sets `key` inside `[section]` (a key can appear in several sections).
pub fn find_section_key_line(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut current = String::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') && !t.starts_with("[[") {
            current = t.trim_matches(|c| c == '[' || c == ']').trim().to_string();
            continue;
        }
        if t.starts_with('#') || current != section {
            continue;
        }
        if t.split('=')
            .next()
            .is_some_and(|k| k.trim().trim_matches('"') == key)
        {
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_is_the_default() {
        let cfg = Config::parse(DEFAULT_TOML, Path::new("config.toml")).unwrap();
        let want = Config {
            keys: cfg.keys.clone(),
            ..Config::default()
        };
        assert_eq!(cfg, want);
    }

    #[test]
    fn unknown_key_names_key_file_and_line() {
        let e = Config::parse(
            "[layout]\nlist_width = 30\nlist_wdith = 4\n",
            Path::new("my.toml"),
        )
        .unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("my.toml:3:"), "{s}");
        assert!(s.contains("list_wdith"), "{s}");
    }

    #[test]
    fn bad_value_names_the_line() {
        let e = Config::parse("[layout]\n\nmax_width = 5\n", Path::new("c.toml")).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("max_width"));
    }

    #[test]
    fn bad_colour_names_key_file_and_line() {
        let e = Config::parse(
            "[keys]\nstar = [\"s\"]\n[theme]\n\nstar = \"purpleish\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.to_string().starts_with("c.toml:5:"), "{e}");
        assert!(e.message.contains("theme.star"), "{e}");
        assert!(Config::parse("[theme]\naccent = \"#00ff7f\"\n", Path::new("c")).is_ok());
        assert!(Config::parse("[theme]\naccent = \"#00ff7\"\n", Path::new("c")).is_err());
    }

    #[test]
    fn bad_key_or_action_names_key_file_and_line() {
        let e = Config::parse(
            "[keys]\ndown = [\"j\"]\nup = [\"k\", \"ctrl-\"]\n",
            Path::new("k.toml"),
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(
            e.message.contains("keys.up") && e.message.contains("ctrl-"),
            "{e}"
        );
        let e = Config::parse("[keys]\n\nscroll_sideways = [\"x\"]\n", Path::new("k.toml"))
            .unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("scroll_sideways"), "{e}");
    }

    #[test]
    fn shipped_key_docs_parse() {
        // the [keys] section documents every default as a commented line: they must parse
        let mut section = "";
        let uncommented: String = DEFAULT_TOML
            .lines()
            .map(|l| {
                if l.starts_with('[') {
                    section = l;
                }
                let binding = l.strip_prefix("# ").filter(|r| {
                    r.split_once(" = [")
                        .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                });
                match binding {
                    Some(b) if section == "[keys]" && !b.starts_with("action") => {
                        &b[..=b.find(']').unwrap()]
                    }
                    _ => l,
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let cfg = Config::parse(&uncommented, Path::new("config.toml")).unwrap();
        assert_eq!(cfg.keymap().unwrap(), crate::keymap::Keymap::default());
        assert_eq!(cfg.keys.len(), crate::keymap::Action::ALL.len());
    }

    #[test]
    fn partial_file_keeps_other_defaults() {
        let c = Config::parse("[reading]\nmark_read_on_open = false\n", Path::new("c")).unwrap();
        assert!(!c.reading.mark_read_on_open);
        assert_eq!(c.layout, LayoutConfig::default());
    }
}
