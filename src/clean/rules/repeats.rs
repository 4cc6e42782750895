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

/// The words of a key, as `key.split(' ')` gives them (a byte loop: splitting on a char
/// looked for each space with a search of its own, a tenth of the cleaner's time).
fn words_of(key: &str) -> impl Iterator<Item = &[u8]> {
    key.as_bytes().split(|&b| b == b' ')
}

/// How many words a key has: `key.split(' ').count()`.
fn key_words(key: &str) -> usize {
    key.bytes().filter(|&b| b == b' ').count() + 1
}

/// Repeats inside the article: a block whose every sentence is said again by other
/// blocks (a standfirst the first paragraph repeats, a pull quote) is hidden once.
///
/// Linear in the article's words. A sentence is found in a longer block where its words
/// stand, the last one perhaps the start of a longer word (as `contains` finds it; a
/// sentence of three words, all three whole). Its opening words (all but the last; all
/// three of three) are hashed; in every block, only where two words begin an opening
/// wanted is the run of that opening's length hashed (from the block's prefix hashes),
/// and where it is an opening wanted, the start of the next word is hashed too: so each
/// sentence is looked for only in the blocks that hold it, longest first. (Hashing every
/// run of every length an opening has took a quarter of the cleaner's time.) (Comparing blocks with each other took 4 s on a story of 800 KB whose
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
        let ws: Vec<&[u8]> = words_of(sk).collect();
        if sk.is_empty() || ws.len() < 3 {
            return None;
        }
        let n = if ws.len() == 3 { 3 } else { ws.len() - 1 };
        let hs: Vec<u64> = ws[..n].iter().map(|w| word_hash(w)).collect();
        let last = if n == ws.len() { 0 } else { word_hash(ws[n]) };
        Some((run_hash(&hs), n, last))
    };
    // every block's number of words, counted once
    let n_words: Vec<usize> = keys.iter().map(|k| key_words(k)).collect();
    let sentence_keys = |i: usize| -> Vec<String> {
        sentences(&article.blocks[i].text)
            .iter()
            .map(|s| norm_key(s))
            .collect()
    };
    // the openings wanted (of sentences of blocks of 8 to 60 words), each with the
    // lengths of the last words that follow it (0: none)
    let mut wanted: HashMap<(u64, usize), Vec<usize>, Fnv> = Default::default();
    // the openings' first two words (their run hash) -> the numbers of words of the
    // openings that begin so: a run is hashed only where a wanted opening could begin
    let mut starts: HashMap<u64, Vec<usize>, Fnv> = Default::default();
    // a sieve before that map: a bit for every pair of first words wanted, so that the
    // places no sentence opens at (nearly all) cost a bit test, not a map lookup
    let mut sieve = [0u64; SIEVE_WORDS];
    // each block's sentence keys, when worked out (read again below)
    let mut sentences_of: Vec<Option<Vec<String>>> = vec![None; keys.len()];
    for i in 0..keys.len() {
        if (PULL_QUOTE_MIN_WORDS..=PULL_QUOTE_MAX_WORDS).contains(&n_words[i])
            && !hidden(&verdicts[i])
        {
            for sk in sentences_of[i].insert(sentence_keys(i)).iter() {
                let Some((h, n, last)) = sentence_key(sk) else {
                    continue;
                };
                let len = if last == 0 {
                    0
                } else {
                    sk.len() - sk.rfind(' ').map_or(0, |p| p + 1)
                };
                let lens = wanted.entry((h, n)).or_default();
                if !lens.contains(&len) {
                    lens.push(len);
                }
                let mut two = words_of(sk).map(word_hash);
                let pair = run_hash(&[two.next().unwrap_or(0), two.next().unwrap_or(0)]);
                let bit = sieve_bit(pair, 2);
                sieve[bit / 64] |= 1 << (bit % 64);
                let ns = starts.entry(pair).or_default();
                // (a longer opening than a block holds is never found)
                if n <= PULL_QUOTE_MAX_WORDS && !ns.contains(&n) {
                    ns.push(n);
                }
            }
        }
    }
    // where each sentence is: the blocks, by its key
    let mut found: HashMap<(u64, usize, u64), Vec<usize>, Fnv> = Default::default();
    if !wanted.is_empty() {
        // BASE^n for every n an opening has
        let mut pow = vec![1u64; PULL_QUOTE_MAX_WORDS + 1];
        for n in 1..pow.len() {
            pow[n] = pow[n - 1].wrapping_mul(BASE);
        }
        let (mut ws, mut hs, mut prefix): (Vec<&[u8]>, Vec<u64>, Vec<u64>) =
            (Vec::new(), Vec::new(), Vec::new());
        for (j, k) in keys.iter().enumerate() {
            ws.clear();
            ws.extend(words_of(k));
            hs.clear();
            hs.extend(ws.iter().map(|w| word_hash(w)));
            // prefix[i]: the run hash of the first i words; the run hs[a..b] hashes to
            // prefix[b] - prefix[a] * BASE^(b - a)
            prefix.clear();
            prefix.push(0);
            for &h in &hs {
                let last = prefix[prefix.len() - 1];
                prefix.push(last.wrapping_mul(BASE).wrapping_add(h));
            }
            for a in 0..hs.len().saturating_sub(1) {
                let pair = prefix[a + 2].wrapping_sub(prefix[a].wrapping_mul(pow[2]));
                let bit = sieve_bit(pair, 2);
                if sieve[bit / 64] & (1 << (bit % 64)) == 0 {
                    continue;
                }
                let Some(ns) = starts.get(&pair) else {
                    continue;
                };
                for &n in ns {
                    let w = a + n;
                    if w > hs.len() {
                        continue;
                    }
                    let h = prefix[w].wrapping_sub(prefix[a].wrapping_mul(pow[n]));
                    let Some(lens) = wanted.get(&(h, n)) else {
                        continue;
                    };
                    for &len in lens {
                        // the word after the run, ws[w]
                        let last = match ws.get(w) {
                            _ if len == 0 => 0,
                            Some(next) if next.len() >= len => word_hash(&next[..len]),
                            _ => continue,
                        };
                        // each block once a sentence, in the order of the blocks
                        let v = found.entry((h, n, last)).or_default();
                        if v.last() != Some(&j) {
                            v.push(j);
                        }
                    }
                }
            }
        }
        // longest first: a search stops at the first block no longer than the one asked
        for v in found.values_mut() {
            v.sort_by_key(|&j| std::cmp::Reverse(keys[j].len()));
        }
    }
    let mut first_seen: HashMap<&str, usize, Fnv> = Default::default();
    let mut prose_before = false;
    for i in 0..keys.len() {
        if i > 0 {
            prose_before |= matches!(verdicts[i - 1], Verdict::Prose);
        }
        if hidden(&verdicts[i]) || n_words[i] < REPEAT_MIN_WORDS {
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
        let all_elsewhere = (PULL_QUOTE_MIN_WORDS..=PULL_QUOTE_MAX_WORDS).contains(&n_words[i])
            && {
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
                                        j != i
                                            && !hidden(&verdicts[j])
                                            && keys[j].contains(k.as_str())
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
