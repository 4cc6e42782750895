//! Measurements of one block that the rules read: length, punctuation, casing.

use crate::text::words;

/// What the rules know about a block's shape.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// Number of words.
    pub words: usize,
    /// Ends like a sentence: `.`, `!`, `?`, `…`, possibly inside closing quotes or brackets.
    pub ends_sentence: bool,
    /// Ends with a colon (introduces what follows).
    pub ends_colon: bool,
    /// Sentence breaks inside the block (". " followed by a capital, etc.).
    pub inner_breaks: usize,
    /// Places where a word in lower case is followed, with only a space between, by a
    /// capitalised word: where one headline ends and the next begins when several are
    /// run together (proper names inside a sentence count too, so this is a hint).
    pub joins: usize,
    /// Words that start with a capital letter (of the words written in a cased script).
    pub capitalised: usize,
    /// Words written in a cased script (Latin, Cyrillic, Greek, ...).
    pub cased: usize,
}

/// A pictograph or emoji (faces, symbols), as informal writing ends sentences with.
fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF)
}

/// Is the character from a script written without spaces between words (Han, kana)?
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
}

/// Number of words, counting text in scripts written without spaces (Chinese, Japanese)
/// as one word per two characters, so that a Japanese sentence weighs like an English one.
pub fn word_count(t: &str) -> usize {
    if t.is_ascii() {
        // every word one: the runs of letters, digits and apostrophes, a byte at a time
        let mut n = 0;
        let mut in_word = false;
        for &b in t.as_bytes() {
            let w = b.is_ascii_alphanumeric() || b == b'\'';
            n += usize::from(w && !in_word);
            in_word = w;
        }
        return n;
    }
    words(t)
        .map(|w| {
            if w.is_ascii() {
                return 1;
            }
            let n = w.chars().filter(|&c| unspaced(c)).count();
            if n == 0 {
                1
            } else {
                (n / 2).max(1) + usize::from(w.chars().count() > n)
            }
        })
        .sum()
}

const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '*', '_'];

/// `t.split(' ')`, a byte at a time (splitting on a char searched for each space apart,
/// which cost more than the words' own checks).
fn split_spaces(t: &str) -> SplitSpaces<'_> {
    SplitSpaces { t, at: Some(0) }
}

/// The words of [`split_spaces`]: `at` is where the next begins (`None`: all given).
struct SplitSpaces<'a> {
    t: &'a str,
    at: Option<usize>,
}

impl<'a> Iterator for SplitSpaces<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let start = self.at?;
        let rest = &self.t.as_bytes()[start..];
        match rest.iter().position(|&b| b == b' ') {
            Some(n) => {
                self.at = Some(start + n + 1);
                Some(&self.t[start..start + n])
            }
            None => {
                self.at = None;
                Some(&self.t[start..])
            }
        }
    }
}

/// Measure a block.
pub fn of(text: &str) -> Features {
    let t = text.trim();
    // an emoji closing a line closes its sentence in informal writing
    let core = t.trim_end_matches(|c: char| CLOSERS.contains(&c) || is_emoji(c) || c == ' ');
    let emoji_end = core.len() < t.trim_end_matches(CLOSERS).len();
    let last = core.chars().last();
    let ends_sentence = emoji_end
        || matches!(
            last,
            Some('.' | '!' | '?' | '…' | '。' | '！' | '？' | '؟' | '।')
        );
    let ends_colon = matches!(last, Some(':' | '：'));
    let mut joins = 0;
    let mut capitalised = 0;
    let mut cased = 0;
    let mut prev: Option<&str> = None;
    for w in split_spaces(t).filter(|w| !w.is_empty()) {
        let Some(c0) = w.chars().next() else { continue };
        if c0.is_uppercase() || c0.is_lowercase() {
            cased += 1;
            capitalised += usize::from(c0.is_uppercase());
        }
        if let Some(prev) = prev.filter(|_| c0.is_uppercase()) {
            if prev
                .chars()
                .last()
                .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
                && prev.chars().next().is_some_and(|c| c.is_lowercase())
            {
                joins += 1;
            }
        }
        prev = Some(w);
    }
    Features {
        words: word_count(t),
        joins,
        capitalised,
        cased,
        ends_sentence,
        ends_colon,
        inner_breaks: inner_breaks(t),
    }
}

/// Count sentence ends inside the text: `.`, `!`, `?` (maybe with closing quotes) then a
/// space then a capital, digit or opening quote. CJK full stops count on their own.
fn inner_breaks(t: &str) -> usize {
    let mut n = 0;
    for (i, c) in t.char_indices() {
        let after = i + c.len_utf8();
        if after >= t.len() {
            break; // the last character ends the block, not a sentence inside it
        }
        if matches!(c, '。' | '！' | '？') {
            n += 1;
            continue;
        }
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut rest = t[after..].chars();
        let mut next = rest.next();
        while next.is_some_and(|x| CLOSERS.contains(&x)) {
            next = rest.next();
        }
        if next == Some(' ') {
            if let Some(nx) = rest.next() {
                if nx.is_uppercase() || nx.is_ascii_digit() || matches!(nx, '"' | '“' | '‘' | '\'')
                {
                    n += 1;
                }
            }
        }
    }
    n
}

/// Split a block into sentences (at `.`, `!`, `?` followed by a space and a capital).
pub fn sentences(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    // the sentence under way is t[start..]
    let mut start = 0;
    let mut i = 0;
    while let Some(c) = t[i..].chars().next() {
        let mut j = i + c.len_utf8();
        if matches!(c, '.' | '!' | '?' | '。' | '！' | '？') {
            while let Some(x) = t[j..].chars().next().filter(|x| CLOSERS.contains(x)) {
                j += x.len_utf8();
            }
            let mut rest = t[j..].chars();
            let boundary = j >= t.len()
                || (rest.next() == Some(' ')
                    && rest
                        .next()
                        .is_some_and(|n| n.is_uppercase() || matches!(n, '"' | '“')))
                || matches!(c, '。' | '！' | '？');
            if boundary {
                let s = t[start..j].trim();
                if !s.is_empty() {
                    out.push(s.to_string());
                }
                start = j;
            }
        }
        i = j;
    }
    let s = t[start..].trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_spaces_splits_as_split_does() {
        for t in ["", " ", "a", "a b", "  a  b ", "é ü  ß", "x\ty z"] {
            let ours: Vec<&str> = split_spaces(t).collect();
            let std: Vec<&str> = t.split(' ').collect();
            assert_eq!(ours, std, "{t:?}");
        }
    }

    #[test]
    fn sentence_ends() {
        assert!(of("He said so.").ends_sentence);
        assert!(of("\u{201c}Please.\u{201d}").ends_sentence);
        assert!(!of("Storm closes coast road").ends_sentence);
        assert!(of("Here are the highlights:").ends_colon);
        assert!(of("We will see you all at the harbour next summer \u{1F642}").ends_sentence);
    }

    #[test]
    fn ascii_words_counted_as_split() {
        for t in [
            "",
            "   ",
            "The harbour's 12 boats -- and 3,000 fish!",
            "'quoted' words, don't split; a-b c_d e.f",
            "' ,,, x '' y",
        ] {
            assert_eq!(word_count(t), words(t).count(), "{t:?}");
        }
    }

    #[test]
    fn unspaced_scripts_count_by_characters() {
        assert_eq!(word_count("港の朝市が再開した"), 4);
        assert_eq!(word_count("The harbour market"), 3);
    }

    #[test]
    fn joins_mark_run_together_headlines() {
        assert_eq!(
            of("Storm closes coast road Council approves library").joins,
            1
        );
        assert_eq!(of("the board met in Port Ellis").joins, 1);
        assert_eq!(of("the board met on Tuesday").joins, 1);
        assert_eq!(of("Ferry fares rise").joins, 0);
    }

    #[test]
    fn inner_breaks_count_sentences() {
        assert_eq!(of("One two. Three four. Five").inner_breaks, 2);
        assert_eq!(of("Mr. smith went").inner_breaks, 0);
    }

    #[test]
    fn splits_sentences_as_char_by_char() {
        // the sentences as the split was first written, a char at a time
        fn by_chars(t: &str) -> Vec<String> {
            let mut out = Vec::new();
            let mut cur = String::new();
            let cs: Vec<char> = t.chars().collect();
            let mut i = 0;
            while i < cs.len() {
                let c = cs[i];
                cur.push(c);
                if matches!(c, '.' | '!' | '?' | '。' | '！' | '？') {
                    let mut j = i + 1;
                    while j < cs.len() && CLOSERS.contains(&cs[j]) {
                        cur.push(cs[j]);
                        j += 1;
                    }
                    let boundary = j >= cs.len()
                        || (cs[j] == ' '
                            && cs
                                .get(j + 1)
                                .is_some_and(|n| n.is_uppercase() || matches!(n, '"' | '“')))
                        || matches!(c, '。' | '！' | '？');
                    if boundary {
                        let s = cur.trim().to_string();
                        if !s.is_empty() {
                            out.push(s);
                        }
                        cur.clear();
                    }
                    i = j;
                    continue;
                }
                i += 1;
            }
            let s = cur.trim().to_string();
            if !s.is_empty() {
                out.push(s);
            }
            out
        }
        for t in [
            "A b c. D e f! G?",
            "  He said \"Go.\" Then left.  ",
            "港の朝市。再開した！ Yes? no. Ünder. “Quoted.” End",
            "Mr. smith went. . . Done!)] Next.",
            "",
            "...",
            "Ends with a space. ",
        ] {
            assert_eq!(sentences(t), by_chars(t), "{t:?}");
        }
    }

    #[test]
    fn splits_sentences() {
        assert_eq!(
            sentences("A b c. D e f! G?"),
            vec!["A b c.", "D e f!", "G?"]
        );
    }
}
