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
}

const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '*', '_'];

/// Measure a block.
pub fn of(text: &str) -> Features {
    let t = text.trim();
    let ws: Vec<&str> = words(t).collect();
    let core = t.trim_end_matches(CLOSERS);
    let last = core.chars().last();
    let ends_sentence = matches!(
        last,
        Some('.' | '!' | '?' | '…' | '。' | '！' | '？' | '؟' | '।')
    );
    let ends_colon = matches!(last, Some(':' | '：'));
    Features {
        words: ws.len(),
        ends_sentence,
        ends_colon,
        inner_breaks: inner_breaks(t),
    }
}

/// Count sentence ends inside the text: `.`, `!`, `?` (maybe with closing quotes) then a
/// space then a capital, digit or opening quote. CJK full stops count on their own.
fn inner_breaks(t: &str) -> usize {
    let cs: Vec<char> = t.chars().collect();
    let mut n = 0;
    for i in 0..cs.len().saturating_sub(1) {
        let c = cs[i];
        if matches!(c, '。' | '！' | '？') {
            n += 1;
            continue;
        }
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut j = i + 1;
        while j < cs.len() && CLOSERS.contains(&cs[j]) {
            j += 1;
        }
        if j < cs.len() && cs[j] == ' ' {
            if let Some(&nx) = cs.get(j + 1) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ends() {
        assert!(of("He said so.").ends_sentence);
        assert!(of("\u{201c}Please.\u{201d}").ends_sentence);
        assert!(!of("Storm closes coast road").ends_sentence);
        assert!(of("Here are the highlights:").ends_colon);
    }

    #[test]
    fn inner_breaks_count_sentences() {
        assert_eq!(of("One two. Three four. Five").inner_breaks, 2);
        assert_eq!(of("Mr. smith went").inner_breaks, 0);
    }

    #[test]
    fn splits_sentences() {
        assert_eq!(
            sentences("A b c. D e f! G?"),
            vec!["A b c.", "D e f!", "G?"]
        );
    }
}
