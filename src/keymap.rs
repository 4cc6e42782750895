//! Keys as data: the project's own [`Key`] type (parsed from and printed as config
//! strings like `"j"`, `"ctrl-d"`, `"pagedown"`), the bindable [`Action`]s, and the
//! [`Keymap`] from one to the other, with a reverse lookup for hints and help.
//!
//! No terminal types here: `tui.rs` turns terminal events into [`Key`]s.

use std::fmt;
use std::str::FromStr;

/// A key without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// A printable character (`' '` is written `space`).
    Char(char),
    /// Enter / return.
    Enter,
    /// Escape.
    Esc,
    /// Tab.
    Tab,
    /// Shift-tab.
    BackTab,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Insert.
    Insert,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// Home.
    Home,
    /// End.
    End,
    /// A function key, F1..F12.
    F(u8),
}

/// A key press: a code and the ctrl / alt modifiers. Shift is part of the character
/// (`J`, `?`) and is not recorded separately for characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: Code,
    /// Control held.
    pub ctrl: bool,
    /// Alt held.
    pub alt: bool,
}

impl Key {
    /// A key with no modifiers.
    pub const fn plain(code: Code) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }
    /// A plain character key.
    pub const fn ch(c: char) -> Key {
        Key::plain(Code::Char(c))
    }
    /// Control and a character.
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: Code::Char(c),
            ctrl: true,
            alt: false,
        }
    }
}

/// Why a key name could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadKey(pub String);

impl fmt::Display for BadKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown key name {:?} (use a character like \"j\", a name like \"enter\", \
             \"pagedown\", \"f1\", optionally with \"ctrl-\" or \"alt-\")",
            self.0
        )
    }
}

impl FromStr for Key {
    type Err = BadKey;
    fn from_str(s: &str) -> Result<Key, BadKey> {
        let bad = || BadKey(s.to_string());
        let mut rest = s;
        let mut key = Key::plain(Code::Esc);
        let mut shift = false;
        // modifiers: only when something follows the dash ("-" alone is a character)
        loop {
            let lower = rest.to_ascii_lowercase();
            if lower.starts_with("ctrl-") && rest.len() > 5 {
                key.ctrl = true;
                rest = &rest[5..];
            } else if lower.starts_with("alt-") && rest.len() > 4 {
                key.alt = true;
                rest = &rest[4..];
            } else if lower.starts_with("shift-") && rest.len() > 6 {
                shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        key.code = match (chars.next(), chars.next()) {
            (None, _) => return Err(bad()),
            (Some(c), None) if !c.is_control() => {
                if shift {
                    Code::Char(c.to_uppercase().next().unwrap_or(c))
                } else {
                    Code::Char(c)
                }
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" => Code::Char(' '),
                "enter" | "return" => Code::Enter,
                "esc" | "escape" => Code::Esc,
                "tab" if shift => Code::BackTab,
                "tab" => Code::Tab,
                "backtab" => Code::BackTab,
                "backspace" => Code::Backspace,
                "delete" | "del" => Code::Delete,
                "insert" | "ins" => Code::Insert,
                "up" => Code::Up,
                "down" => Code::Down,
                "left" => Code::Left,
                "right" => Code::Right,
                "pageup" | "pgup" => Code::PageUp,
                "pagedown" | "pgdn" => Code::PageDown,
                "home" => Code::Home,
                "end" => Code::End,
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => Code::F(n),
                    _ => return Err(bad()),
                },
                _ => return Err(bad()),
            },
        };
        Ok(key)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            Code::Char(' ') => f.write_str("space"),
            Code::Char(c) => write!(f, "{c}"),
            Code::Enter => f.write_str("enter"),
            Code::Esc => f.write_str("esc"),
            Code::Tab => f.write_str("tab"),
            Code::BackTab => f.write_str("backtab"),
            Code::Backspace => f.write_str("backspace"),
            Code::Delete => f.write_str("delete"),
            Code::Insert => f.write_str("insert"),
            Code::Up => f.write_str("↑"),
            Code::Down => f.write_str("↓"),
            Code::Left => f.write_str("←"),
            Code::Right => f.write_str("→"),
            Code::PageUp => f.write_str("pgup"),
            Code::PageDown => f.write_str("pgdn"),
            Code::Home => f.write_str("home"),
            Code::End => f.write_str("end"),
            Code::F(n) => write!(f, "f{n}"),
        }
    }
}

macro_rules! actions {
    ($( $(#[$doc:meta])* $v:ident = $name:literal, $desc:literal, [$($key:expr),*]; )*) => {
        /// Something a key can be bound to. Names are the `[keys]` names in config.toml.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $( $(#[$doc])* $v, )*
        }
        impl Action {
            /// Every action, in the order help lists them.
            pub const ALL: &'static [Action] = &[$(Action::$v),*];
            /// The config name (`next_story`).
            pub fn name(self) -> &'static str {
                match self { $(Action::$v => $name,)* }
            }
            /// What it does, for help.
            pub fn describe(self) -> &'static str {
                match self { $(Action::$v => $desc,)* }
            }
            /// The default keys, as config strings.
            pub fn default_keys(self) -> &'static [&'static str] {
                match self { $(Action::$v => &[$($key),*],)* }
            }
        }
    };
}

actions! {
    /// Next item in the focused pane (list: story; reader: line).
    Down = "down", "next item (list: story, reader: line)", ["j", "down"];
    /// Previous item in the focused pane.
    Up = "up", "previous item (list: story, reader: line)", ["k", "up"];
    /// Next story, from either pane.
    NextStory = "next_story", "next story, from either pane", ["J"];
    /// Previous story, from either pane.
    PrevStory = "prev_story", "previous story, from either pane", ["K"];
    /// Read the selected story (focus the reading pane).
    Read = "read", "read the selected story", ["enter", "l", "right"];
    /// Back to the list.
    Back = "back", "back to the list", ["h", "left", "esc"];
    /// Switch pane.
    SwitchPane = "switch_pane", "switch pane", ["tab"];
    /// A page down.
    PageDown = "page_down", "page down", ["space", "pagedown"];
    /// A page up.
    PageUp = "page_up", "page up", ["b", "pageup"];
    /// Half a page down.
    HalfDown = "half_page_down", "half a page down", ["ctrl-d"];
    /// Half a page up.
    HalfUp = "half_page_up", "half a page up", ["ctrl-u"];
    /// To the top.
    Top = "top", "to the top", ["g", "home"];
    /// To the bottom.
    Bottom = "bottom", "to the bottom", ["G", "end"];
    /// Search: filter the list as you type; in a story, find in the story.
    Search = "search", "filter the list (enter: full-text search) / find in the story", ["/"];
    /// While a find is active: next match.
    NextMatch = "next_match", "next match of the find", ["n"];
    /// While a find is active: previous match.
    PrevMatch = "prev_match", "previous match of the find", ["N"];
    /// Show or hide the hidden blocks of the story.
    ToggleHidden = "toggle_hidden", "show / hide the hidden blocks", ["H"];
    /// Help: every binding.
    Help = "help", "this help", ["?"];
    /// Quit.
    Quit = "quit", "quit", ["q", "ctrl-c"];
    /// Next unread story.
    NextUnread = "next_unread", "next unread story", ["n"];
    /// Previous unread story.
    PrevUnread = "prev_unread", "previous unread story", ["p"];
    /// Mark read / unread.
    ToggleRead = "toggle_read", "mark read / unread", ["m"];
    /// Star / unstar.
    ToggleStar = "toggle_star", "star / unstar", ["s"];
    /// Unread only, on / off.
    UnreadOnly = "unread_only", "unread only, on / off", ["u"];
    /// Sort the list: archive order, date, source, title.
    Sort = "sort", "sort: archive order, date, source, title", ["S"];
    /// Show one source only: each source in turn, then all.
    SourceFilter = "source_filter", "one source only: next source, then all", ["f"];
    /// Open the story's URL in the browser.
    OpenUrl = "open_url", "open the story's URL", ["o"];
    /// Copy the story's URL (OSC 52).
    CopyUrl = "copy_url", "copy the story's URL", ["y"];
    /// Export the story as Markdown.
    Export = "export", "export the story as Markdown", ["e"];
}

/// A name that is no action's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAction(pub String);

impl fmt::Display for UnknownAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown action {:?}", self.0)
    }
}

impl std::error::Error for UnknownAction {}
impl std::error::Error for BadKey {}

impl FromStr for Action {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Action, UnknownAction> {
        Action::ALL
            .iter()
            .copied()
            .find(|a| a.name() == s)
            .ok_or_else(|| UnknownAction(s.to_string()))
    }
}

/// Why the config's `[keys]` could not be applied; each names its entry
/// ([`KeymapError::entry`]), which the config's error points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeymapError {
    /// An entry names no action.
    UnknownAction(UnknownAction),
    /// A key of an action's list could not be read.
    BadKey {
        /// The action.
        action: Action,
        /// The key name, and why.
        key: BadKey,
    },
}

impl KeymapError {
    /// The `[keys]` entry at fault (an action's config name).
    pub fn entry(&self) -> &str {
        match self {
            KeymapError::UnknownAction(UnknownAction(name)) => name,
            KeymapError::BadKey { action, .. } => action.name(),
        }
    }
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeymapError::UnknownAction(e) => write!(f, "keys.{}: {e}", self.entry()),
            KeymapError::BadKey { key, .. } => write!(f, "keys.{}: {key}", self.entry()),
        }
    }
}

impl std::error::Error for KeymapError {}

/// Keys to actions, in help order. A key may be bound to several actions (`n`: next
/// match while a find is active); the app takes the first that applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<(Action, Vec<Key>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = Action::ALL
            .iter()
            .map(|&a| {
                let keys = a
                    .default_keys()
                    .iter()
                    .map(|k| k.parse().expect("default keys parse"))
                    .collect();
                (a, keys)
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults with the `[keys]` section applied: listing an action replaces its
    /// keys, and a key given to an action is taken from the other actions it had.
    /// Errors name the entry (an action's config name) and what is wrong.
    pub fn from_config<'a>(
        keys: impl IntoIterator<Item = (&'a String, &'a Vec<String>)>,
    ) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        let mut given: Vec<(Action, Vec<Key>)> = Vec::new();
        for (name, list) in keys {
            let action: Action = name.parse().map_err(KeymapError::UnknownAction)?;
            let mut parsed = Vec::new();
            for k in list {
                let key: Key = k
                    .parse()
                    .map_err(|key| KeymapError::BadKey { action, key })?;
                parsed.push(key);
            }
            given.push((action, parsed));
        }
        for (action, keys) in &given {
            for (a, ks) in &mut map.bindings {
                if a == action {
                    ks.clone_from(keys);
                } else if !given.iter().any(|(g, _)| g == a) {
                    ks.retain(|k| !keys.contains(k));
                }
            }
        }
        Ok(map)
    }

    /// The actions bound to a key, in order.
    pub fn actions(&self, key: Key) -> impl Iterator<Item = Action> + '_ {
        self.bindings
            .iter()
            .filter(move |(_, ks)| ks.contains(&key))
            .map(|(a, _)| *a)
    }

    /// The keys bound to an action.
    pub fn keys(&self, action: Action) -> &[Key] {
        self.bindings
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, k)| k.as_slice())
            .unwrap_or(&[])
    }

    /// The first key of an action as shown in hints (`"j"`), if it has one.
    pub fn first(&self, action: Action) -> Option<String> {
        self.keys(action).first().map(|k| k.to_string())
    }

    /// A hint for a pair of actions: `"j/k"`; one side alone if the other is unbound.
    pub fn pair(&self, a: Action, b: Action) -> Option<String> {
        match (self.first(a), self.first(b)) {
            (Some(x), Some(y)) => Some(format!("{x}/{y}")),
            (x, y) => x.or(y),
        }
    }

    /// Every bound action with its keys, in help order.
    pub fn bindings(&self) -> impl Iterator<Item = (Action, &[Key])> {
        self.bindings
            .iter()
            .filter(|(_, k)| !k.is_empty())
            .map(|(a, k)| (*a, k.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn key_names_parse_and_print() {
        for (s, want) in [
            ("j", Key::ch('j')),
            ("J", Key::ch('J')),
            ("?", Key::ch('?')),
            ("-", Key::ch('-')),
            ("ctrl-d", Key::ctrl('d')),
            ("space", Key::ch(' ')),
            ("pagedown", Key::plain(Code::PageDown)),
            ("PgUp", Key::plain(Code::PageUp)),
            ("enter", Key::plain(Code::Enter)),
            ("esc", Key::plain(Code::Esc)),
            ("tab", Key::plain(Code::Tab)),
            ("shift-tab", Key::plain(Code::BackTab)),
            ("f5", Key::plain(Code::F(5))),
        ] {
            assert_eq!(s.parse::<Key>(), Ok(want), "{s}");
            let back: Key = want
                .to_string()
                .replace('↓', "down")
                .parse()
                .unwrap_or(want);
            assert_eq!(back, want);
        }
        for bad in ["", "ctrl-", "pagedwn", "f13", "jj"] {
            assert!(bad.parse::<Key>().is_err(), "{bad}");
        }
        assert_eq!(
            "alt-x".parse::<Key>().unwrap().to_string(),
            "alt-x".to_string()
        );
    }

    #[test]
    fn every_action_has_a_unique_name() {
        for a in Action::ALL {
            assert_eq!(a.name().parse::<Action>(), Ok(*a));
        }
    }

    #[test]
    fn config_replaces_keys_and_takes_them_from_others() {
        let mut cfg = BTreeMap::new();
        cfg.insert("quit".to_string(), vec!["x".to_string(), "j".to_string()]);
        let m = Keymap::from_config(&cfg).unwrap();
        assert_eq!(m.keys(Action::Quit), &[Key::ch('x'), Key::ch('j')]);
        assert_eq!(m.keys(Action::Down), &[Key::plain(Code::Down)]);
        assert_eq!(m.actions(Key::ch('q')).count(), 0);
        assert_eq!(m.pair(Action::Down, Action::Up).as_deref(), Some("↓/k"));
    }

    #[test]
    fn config_errors_name_the_action() {
        let mut cfg = BTreeMap::new();
        cfg.insert("jump".to_string(), vec!["j".to_string()]);
        let e = Keymap::from_config(&cfg).unwrap_err();
        assert_eq!(e, KeymapError::UnknownAction(UnknownAction("jump".into())));
        assert_eq!(e.entry(), "jump");
        assert_eq!(e.to_string(), "keys.jump: unknown action \"jump\"");
        let mut cfg = BTreeMap::new();
        cfg.insert(
            "down".to_string(),
            vec!["j".to_string(), "ctrl-".to_string()],
        );
        let e = Keymap::from_config(&cfg).unwrap_err();
        assert_eq!(
            e,
            KeymapError::BadKey {
                action: Action::Down,
                key: BadKey("ctrl-".into())
            }
        );
        assert_eq!(e.entry(), "down");
        assert!(
            e.to_string()
                .starts_with("keys.down: unknown key name \"ctrl-\""),
            "{e}"
        );
    }
}
