//! Pass 4, repeats within the article: word-for-word repeats, pull quotes and teasers.

use super::Verdict;
use crate::article::Article;
use crate::clean::evidence::Fnv;
use crate::clean::features::sentences;
use crate::clean::limits::*;
use crate::clean::Kind;
use crate::text::norm_key;

/// The sieve of the openings wanted, in 64-bit words.
const SIEVE_WORDS: usize = 64;

/// The bit of the sieve for an opening's hash and its number of words.
fn sieve_bit(h: u64, n: usize) -> usize {
    let x =
        (h ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (x >> 52) as usize % (SIEVE_WORDS * 64)
}

/// Repeats inside the article: a block whose every sentence is said again by other
/// blocks (a standfirst the first paragraph repeats, a pull quote) is hidden once.
///
/// Linear in the article's words. A sentence is found in a longer block where its words
/// stand, the last one perhaps the start of a longer word (as `contains` finds it; a
/// sentence of three words, all three whole). Its opening words (all but the last; all
/// three of three) are hashed, every block's runs of words of each such count are hashed
/// in one rolling pass, and where a run is an opening wanted, the start of the next word
/// is hashed too: so each sentence is looked for only in the blocks that hold it, longest
/// first. (Comparing blocks with each other took 4 s on a story of 800 KB whose
/// paragraphs all begin alike, and minutes on 5 MB.)
/// (`keys`: every block's `norm_key`.)
pub(super) fn repeat_pass(article: &Article, keys: &[String], verdicts: &mut [Verdict]) {
    use std::collections::HashMap;
    let hidden = |v: &Verdict| matches!(v, Verdict::Hide(..));
    // never 0, which stands for "no last word" (a sentence of three)
    let word_hash = |w: &[u8]| {
        use std::hash::Hasher;
        let mut h = crate::clean::evidence::FnvHasher::default();
        h.write(w);
        h.finish() | 1
    };
    // a run of words hashed as a polynomial of its words' hashes
    const BASE: u64 = 0x0000_0100_0000_01b3;
    let run_hash = |hs: &[u64]| {
        hs.iter()
            .fold(0u64, |a, &h| a.wrapping_mul(BASE).wrapping_add(h))
    };
    // a sentence's key: the hash of its opening, how many words that is, and the hash
    // of the last word (0 for a sentence of three)
    let sentence_key = |sk: &str| -> Option<(u64, usize, u64)> {
        let ws: Vec<&str> = sk.split(' ').collect();
        if sk.is_empty() || ws.len() < 3 {
            return None;
        }
        let n = if ws.len() == 3 { 3 } else { ws.len() - 1 };
        let hs: Vec<u64> = ws[..n].iter().map(|w| word_hash(w.as_bytes())).collect();
        let last = if n == ws.len() {
            0
        } else {
            word_hash(ws[n].as_bytes())
        };
        Some((run_hash(&hs), n, last))
    };
    let sentence_keys = |i: usize| -> Vec<String> {
        sentences(&article.blocks[i].text)
            .iter()
            .map(|s| norm_key(s))
            .collect()
    };
    // the openings wanted (of sentences of blocks of 8 to 60 words), each with the
    // lengths of the last words that follow it (0: none)
    let mut wanted: HashMap<(u64, usize), Vec<usize>, Fnv> = Default::default();
    // a sieve before the map: a bit for every (opening hash, words) wanted, so that the
    // runs no sentence opens with (nearly all) cost a bit test, not a map lookup
    let mut sieve = [0u64; SIEVE_WORDS];
    let mut counts = [false; PULL_QUOTE_MAX_WORDS + 1];
    // each block's sentence keys, when worked out (read again below)
    let mut sentences_of: Vec<Option<Vec<String>>> = vec![None; keys.len()];
    for (i, k) in keys.iter().enumerate() {
        if (PULL_QUOTE_MIN_WORDS..=PULL_QUOTE_MAX_WORDS).contains(&k.split(' ').count())
            && !hidden(&verdicts[i])
        {
            for sk in sentences_of[i].insert(sentence_keys(i)).iter() {
                let Some((h, n, last)) = sentence_key(sk) else {
                    continue;
                };
                let bit = sieve_bit(h, n);
                sieve[bit / 64] |= 1 << (bit % 64);
                let len = if last == 0 {
                    0
                } else {
                    sk.len() - sk.rfind(' ').map_or(0, |p| p + 1)
                };
                let lens = wanted.entry((h, n)).or_default();
                if !lens.contains(&len) {
                    lens.push(len);
                }
                counts[n.min(PULL_QUOTE_MAX_WORDS)] = true;
            }
        }
    }
    // where each sentence is: the blocks, by its key
    let mut found: HashMap<(u64, usize, u64), Vec<usize>, Fnv> = Default::default();
    if !wanted.is_empty() {
        let counts: Vec<usize> = (3..=PULL_QUOTE_MAX_WORDS).filter(|&n| counts[n]).collect();
        let (mut ws, mut hs): (Vec<&[u8]>, Vec<u64>) = (Vec::new(), Vec::new());
        for (j, k) in keys.iter().enumerate() {
            ws.clear();
            ws.extend(k.split(' ').map(str::as_bytes));
            hs.clear();
            hs.extend(ws.iter().map(|w| word_hash(w)));
            for &n in &counts {
                if n > hs.len() {
                    break;
                }
                // BASE^n, to take the word leaving the run out
                let top = (0..n).fold(1u64, |a, _| a.wrapping_mul(BASE));
                let mut h = run_hash(&hs[..n]);
                for w in n..=hs.len() {
                    // the run is hs[w - n..w]; the word after it, ws[w]
                    let bit = sieve_bit(h, n);
                    let lens = if sieve[bit / 64] & (1 << (bit % 64)) == 0 {
                        &[][..]
                    } else {
                        wanted.get(&(h, n)).map_or(&[][..], |l| l.as_slice())
                    };
                    for &len in lens {
                        let last = match ws.get(w) {
                            _ if len == 0 => 0,
                            Some(next) if next.len() >= len => word_hash(&next[..len]),
                            _ => continue,
                        };
                        let v = found.entry((h, n, last)).or_default();
                        if v.last() != Some(&j) {
                            v.push(j);
                        }
                    }
                    if w < hs.len() {
                        h = h
                            .wrapping_mul(BASE)
                            .wrapping_add(hs[w])
                            .wrapping_sub(hs[w - n].wrapping_mul(top));
                    }
                }
            }
        }
        // longest first: a search stops at the first block no longer than the one asked
        for v in found.values_mut() {
            v.sort_by_key(|&j| std::cmp::Reverse(keys[j].len()));
        }
    }
    let mut first_seen: HashMap<&str, usize> = Default::default();
    let mut prose_before = false;
    for i in 0..keys.len() {
        if i > 0 {
            prose_before |= matches!(verdicts[i - 1], Verdict::Prose);
        }
        if hidden(&verdicts[i]) || keys[i].split(' ').count() < REPEAT_MIN_WORDS {
            continue;
        }
        // an exact repeat of an earlier block
        if first_seen.contains_key(keys[i].as_str()) {
            verdicts[i] = Verdict::Hide(
                Kind::Duplicate,
                "repeats an earlier block word for word".into(),
            );
            continue;
        }
        // a pull quote or teaser is a sentence or more (a short phrase is naturally
        // found inside longer paragraphs) and rarely more than a few sentences
        let n_words = keys[i].split(' ').count();
        let all_elsewhere = (PULL_QUOTE_MIN_WORDS..=PULL_QUOTE_MAX_WORDS).contains(&n_words) && {
            let sents = sentences_of[i].take().unwrap_or_else(|| sentence_keys(i));
            !sents.is_empty()
                && sents.iter().all(|k| {
                    // a key only for a sentence of three words or more
                    sentence_key(k)
                        .and_then(|key| found.get(&key))
                        .is_some_and(|js| {
                            js.iter()
                                .take_while(|&&j| keys[j].len() > keys[i].len())
                                .any(|&j| {
                                    j != i && !hidden(&verdicts[j]) && keys[j].contains(k.as_str())
                                })
                        })
                })
        };
        if all_elsewhere {
            verdicts[i] = if !prose_before {
                Verdict::Hide(
                    Kind::Standfirst,
                    "a summary: its sentences are all in a longer paragraph below".into(),
                )
            } else {
                Verdict::Hide(
                    Kind::Duplicate,
                    "its sentences are all in a longer paragraph of the story (a pull quote or teaser)"
                        .into(),
                )
            };
        } else {
            first_seen.entry(keys[i].as_str()).or_insert(i);
        }
    }
}
