//! A second opinion on every block, learned from labelled pages: small ensembles of
//! decision trees over the block's shape, its neighbours, its place in the article, the
//! archive's evidence and what the rules decided. Two passes: the first judges each
//! block alone, the second also sees what the first made of the blocks around it. It never sees words, only measurements
//! (the list is [`FEATURES`]), so it cannot learn a site or a phrase.
//!
//! The trees are trained by `tools/train_model.py` on the labelled corpora in
//! `../shared/corpus` from the features this module computes (`examples/features.rs`
//! writes them), and stored in `model.json` beside this file. The rules' decision stands
//! where the model agrees; where it is confident the rules were wrong, the model's
//! decision is taken, and the reason names the measurements that weighed most.

use super::evidence::{Evidence, Fnv};
use super::features;
use super::measure::Measured;
use super::{Cleaned, Decision, Kind};
use crate::article::{Article, Markup};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Every kind, in the order of the one-hot features.
const KINDS: [Kind; 13] = [
    Kind::Story,
    Kind::Subheading,
    Kind::Standfirst,
    Kind::SourceLine,
    Kind::Byline,
    Kind::RelatedHeadline,
    Kind::HeadlineList,
    Kind::Caption,
    Kind::Promo,
    Kind::Copyright,
    Kind::Duplicate,
    Kind::Pattern,
    Kind::Clutter,
];

/// The features, by name, with how a reason describes a feature that weighed against
/// (or for) the block being story.
pub const FEATURES: &[(&str, &str)] = &[
    ("words", "its length"),
    ("ends_sentence", "how it ends"),
    ("ends_colon", "a closing colon"),
    ("inner_breaks", "sentences inside it"),
    ("capitalised", "capitalised words"),
    ("joins", "run-together capitals"),
    ("digits", "digits"),
    ("title_overlap", "words of the title"),
    ("position", "its place in the article"),
    ("before_prose", "coming before the story's paragraphs"),
    ("after_prose", "coming after the story's paragraphs"),
    ("from_first_prose", "its distance from the story's start"),
    ("from_last_prose", "its distance from the story's end"),
    ("prev_words", "the block before"),
    ("next_words", "the block after"),
    ("prev2_words", "the blocks before"),
    ("next2_words", "the blocks after"),
    ("prev_shown", "the block before"),
    ("next_shown", "the block after"),
    ("separators", "separator marks"),
    ("starts_lower", "a lower-case start"),
    ("starts_list", "a list-like start"),
    ("repeats", "repeats across the archive"),
    ("rules_shown", "the rules' decision"),
    ("doc_words", "the article's length"),
    ("share", "its share of the article"),
    ("heading", "heading markup"),
    ("list_item", "list markup"),
    ("short_run", "a run of short lines"),
    ("kind_story", "the rules' reading"),
    ("kind_subheading", "the rules' reading"),
    ("kind_standfirst", "the rules' reading"),
    ("kind_source_line", "the rules' reading"),
    ("kind_byline", "the rules' reading"),
    ("kind_related_headline", "the rules' reading"),
    ("kind_headline_list", "the rules' reading"),
    ("kind_caption", "the rules' reading"),
    ("kind_promo", "the rules' reading"),
    ("kind_copyright", "the rules' reading"),
    ("kind_duplicate", "the rules' reading"),
    ("kind_pattern", "the rules' reading"),
    ("kind_clutter", "the rules' reading"),
];

/// The second pass's extra features: what the first pass made of the blocks around each
/// one (its probability of being story), with how a reason describes them. Computed by
/// [`context_features`]; `tools/train_model.py` computes the same.
pub const CONTEXT: &[(&str, &str)] = &[
    ("ctx_prev", "how the block before reads"),
    ("ctx_prev2", "how the blocks before read"),
    ("ctx_next", "how the block after reads"),
    ("ctx_next2", "how the blocks after read"),
    ("ctx_window", "how the blocks around it read"),
    ("ctx_max_before", "story before it"),
    ("ctx_max_after", "story after it"),
    ("ctx_story_before", "how much before it reads as story"),
    ("ctx_story_after", "how much after it reads as story"),
    ("ctx_article", "how the whole article reads"),
];

/// The context features of every block, from the first pass's probabilities `p` (in
/// block order): the probabilities of the two blocks before and after (-1 where there is
/// none), their mean over three blocks each side, the highest before and after, the
/// shares before and after of at least 0.5, and the article's mean.
pub fn context_features(p: &[f64]) -> Vec<[f64; 10]> {
    let n = p.len();
    if n == 0 {
        return Vec::new();
    }
    let mean = p.iter().sum::<f64>() / n as f64;
    let story = |v: f64| usize::from(v >= 0.5);
    // running maxima and counts of story-like blocks, from each end
    let (mut max_before, mut story_before) = (vec![-1.0f64; n], vec![0usize; n]);
    for i in 1..n {
        max_before[i] = max_before[i - 1].max(p[i - 1]);
        story_before[i] = story_before[i - 1] + story(p[i - 1]);
    }
    let (mut max_after, mut story_after) = (vec![-1.0f64; n], vec![0usize; n]);
    for i in (0..n - 1).rev() {
        max_after[i] = max_after[i + 1].max(p[i + 1]);
        story_after[i] = story_after[i + 1] + story(p[i + 1]);
    }
    (0..n)
        .map(|i| {
            let mut f = [-1.0; 10];
            if i >= 1 {
                f[0] = p[i - 1];
                f[5] = max_before[i];
                f[7] = story_before[i] as f64 / i as f64;
            }
            if i >= 2 {
                f[1] = p[i - 2];
            }
            if i + 1 < n {
                f[2] = p[i + 1];
                f[6] = max_after[i];
                f[8] = story_after[i] as f64 / (n - i - 1) as f64;
            }
            if i + 2 < n {
                f[3] = p[i + 2];
            }
            // summed left to right, as training sums them
            let window = i.saturating_sub(3)..(i + 4).min(n);
            let others = window.len() - 1;
            if others > 0 {
                f[4] = window.filter(|&j| j != i).map(|j| p[j]).sum::<f64>() / others as f64;
            }
            f[9] = mean;
            f
        })
        .collect()
}

/// A block at least this long, ending like a sentence, is prose that marks the story.
const PROSE_WORDS: usize = 30;
/// A block shorter than this counts towards a run of short lines.
const SHORT_WORDS: usize = 8;

/// A long paragraph ending like a sentence: the prose that marks the story.
pub(super) fn is_prose(f: &features::Features) -> bool {
    f.words >= PROSE_WORDS && f.ends_sentence
}

fn ln1p(n: usize) -> f64 {
    (n as f64).ln_1p()
}

/// The features of every block of an article, given the rules' decisions.
pub fn block_features(article: &Article, out: &Cleaned, ev: &Evidence) -> Vec<Vec<f64>> {
    block_features_measured(article, out, ev, &Measured::of(article))
}

/// The title's distinct words in lower case, numbered, for [`title_overlap`].
struct TitleWords {
    numbers: HashMap<String, usize, Fnv>,
    /// Bit `n` set when a word of `n` bytes is among them (bit 63: 63 bytes or more).
    lengths: u64,
}

/// The bit of a word's length in [`TitleWords::lengths`].
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

fn title_words(title: &str) -> TitleWords {
    let mut numbers = HashMap::default();
    let mut lengths = 0;
    for w in crate::text::words(title) {
        let n = numbers.len();
        let lower = w.to_lowercase();
        lengths |= length_bit(lower.len());
        numbers.entry(lower).or_insert(n);
    }
    TitleWords { numbers, lengths }
}

/// The share of the title's distinct words (in lower case) that the text holds. `seen`
/// and `buf` are reused between blocks.
fn title_overlap(title: &TitleWords, text: &str, seen: &mut Vec<bool>, buf: &mut String) -> f64 {
    let (lengths, title) = (title.lengths, &title.numbers);
    if title.is_empty() {
        return 0.0;
    }
    seen.clear();
    seen.resize(title.len(), false);
    let mut found = 0usize;
    for w in crate::text::words(text) {
        let at = if w.is_ascii() {
            // in lower case an ASCII word keeps its length: none of the title's, not one
            if lengths & length_bit(w.len()) == 0 {
                continue;
            }
            buf.clear();
            buf.push_str(w);
            buf.make_ascii_lowercase();
            title.get(buf.as_str())
        } else {
            title.get(w.to_lowercase().as_str())
        };
        if let Some(&j) = at {
            if !seen[j] {
                seen[j] = true;
                found += 1;
            }
        }
    }
    found as f64 / title.len() as f64
}

/// [`block_features`] with the article's blocks measured (`m`, by block).
pub(super) fn block_features_measured(
    article: &Article,
    out: &Cleaned,
    ev: &Evidence,
    m: &Measured,
) -> Vec<Vec<f64>> {
    let n = out.blocks.len();
    let feats = &m.feats;
    let words: Vec<usize> = feats.iter().map(|f| f.words).collect();
    let total: usize = words.iter().sum();
    let prose: Vec<usize> = (0..n).filter(|&i| is_prose(&feats[i])).collect();
    let first = prose.first().copied().unwrap_or(n) as f64;
    let last = prose.last().map_or(-1.0, |&l| l as f64);
    let title = title_words(&article.title);
    let (mut seen, mut buf) = (Vec::new(), String::new());
    // the length of the run of short blocks each block belongs to (0 for a long one)
    let mut run = vec![0usize; n];
    let mut i = 0;
    while i < n {
        if words[i] < SHORT_WORDS {
            let j = (i..n).find(|&j| words[j] >= SHORT_WORDS).unwrap_or(n);
            run[i..j].iter_mut().for_each(|r| *r = j - i);
            i = j;
        } else {
            i += 1;
        }
    }
    let nf = n.max(1) as f64;
    (0..n)
        .map(|i| {
            let d = &out.blocks[i];
            let f = &feats[i];
            let t = d.text.trim();
            // characters, digits and separator marks, in one pass
            let (mut chars, mut digits, mut separators) = (0usize, 0usize, false);
            for c in t.chars() {
                chars += 1;
                digits += usize::from(c.is_ascii_digit());
                separators |= matches!(c, '|' | '»' | '›' | '•' | '·');
            }
            let chars = chars.max(1);
            let overlap = title_overlap(&title, t, &mut seen, &mut buf);
            let near = |k: isize| -> f64 {
                let j = i as isize + k;
                if j < 0 || j as usize >= n {
                    -1.0
                } else {
                    ln1p(words[j as usize])
                }
            };
            let shown = |k: isize| -> f64 {
                let j = i as isize + k;
                if j < 0 || j as usize >= n {
                    -1.0
                } else {
                    f64::from(u8::from(out.blocks[j as usize].shown))
                }
            };
            let c0 = t.chars().next().unwrap_or(' ');
            let fi = i as f64;
            let mut v = Vec::with_capacity(FEATURES.len() + CONTEXT.len());
            v.extend_from_slice(&[
                ln1p(f.words),
                f64::from(u8::from(f.ends_sentence)),
                f64::from(u8::from(f.ends_colon)),
                f.inner_breaks.min(10) as f64,
                if f.cased == 0 {
                    0.0
                } else {
                    f.capitalised as f64 / f.cased as f64
                },
                f.joins.min(20) as f64,
                digits as f64 / chars as f64,
                overlap,
                fi / nf,
                f64::from(u8::from(fi < first)),
                f64::from(u8::from(fi > last)),
                (fi - first) / nf,
                (fi - last) / nf,
                near(-1),
                near(1),
                near(-2),
                near(2),
                shown(-1),
                shown(1),
                f64::from(u8::from(separators)),
                f64::from(u8::from(c0.is_lowercase())),
                f64::from(u8::from(
                    c0.is_ascii_digit() || matches!(c0, '-' | '*' | '•'),
                )),
                ln1p(ev.repeats_keyed(&m.source_key, t, &m.repeat_keys[i])),
                f64::from(u8::from(d.shown)),
                ln1p(total),
                words[i] as f64 / total.max(1) as f64,
                f64::from(u8::from(d.markup == Markup::Heading)),
                f64::from(u8::from(d.markup == Markup::ListItem)),
                ln1p(run[i]),
            ]);
            v.extend(KINDS.iter().map(|&k| f64::from(u8::from(d.kind == k))));
            v
        })
        .collect()
}

/// One tree, as parallel arrays of nodes (node 0 the root); `feature < 0` marks a leaf.
#[derive(Debug, serde::Deserialize)]
struct Tree {
    feature: Vec<i32>,
    threshold: Vec<f64>,
    left: Vec<u32>,
    right: Vec<u32>,
    /// A leaf's score; an inner node's, the average of the leaves below (for reasons).
    value: Vec<f64>,
}

/// An ensemble of trees: a block's score is the baseline plus a leaf of every tree.
#[derive(Debug, serde::Deserialize)]
struct Ensemble {
    features: Vec<String>,
    baseline: f64,
    trees: Vec<Tree>,
    /// Every tree's nodes in one array, made from `trees` when the model is read: what
    /// [`Ensemble::probability`] walks.
    #[serde(skip)]
    flat: Flat,
}

/// The trees of an ensemble as one array of nodes (a node's threshold and children side
/// by side, a leaf holding its score), and where each tree's root is.
#[derive(Debug, Default)]
struct Flat {
    nodes: Vec<Node>,
    roots: Vec<u32>,
    /// Each tree's depth: the steps from its root to its deepest leaf.
    depths: Vec<u8>,
}

/// A node of [`Flat`]: an inner node sends a block left when `x[feature] <= value`; a
/// leaf (`feature < 0`) holds its score in `value`, and both its children are itself, so
/// that every walk can take as many steps as its tree is deep.
#[derive(Debug, Clone, Copy)]
struct Node {
    value: f64,
    feature: i32,
    left: u32,
    right: u32,
}

impl Flat {
    fn of(trees: &[Tree]) -> Flat {
        let mut flat = Flat::default();
        for t in trees {
            let base = flat.nodes.len() as u32;
            flat.roots.push(base);
            for k in 0..t.feature.len() {
                let leaf = t.feature[k] < 0;
                let at = base + k as u32;
                flat.nodes.push(Node {
                    value: if leaf { t.value[k] } else { t.threshold[k] },
                    feature: t.feature[k],
                    left: if leaf { at } else { base + t.left[k] },
                    right: if leaf { at } else { base + t.right[k] },
                });
            }
            fn depth(t: &Tree, k: usize) -> u8 {
                if t.feature[k] < 0 {
                    0
                } else {
                    1 + depth(t, t.left[k] as usize).max(depth(t, t.right[k] as usize))
                }
            }
            flat.depths.push(depth(t, 0));
        }
        flat
    }
}

/// The trained model: a first pass over each block's own features, and a second that
/// also sees the first pass's reading of the blocks around it ([`CONTEXT`]).
#[derive(Debug, serde::Deserialize)]
struct Model {
    #[serde(flatten)]
    first: Ensemble,
    context: Ensemble,
    /// A block the rules show is hidden when its probability of being story is below
    /// this; one they hide is shown when it is at least `show_from`. Between the two, the
    /// rules' decision stands.
    hide_below: f64,
    show_from: f64,
}

/// The environment variable naming another model file, for the training's
/// cross-validation only (`tools/cv_binary.py`: each fold's articles cleaned by the real
/// binary with a model that never saw them). A reader never sets it.
pub const MODEL_ENV: &str = "BROADSHEET_MODEL";

/// The model file [`MODEL_ENV`] names, when it is set: `Err` says why it cannot be used
/// (checked by the command line before any story is cleaned, so a tool's mistake stops
/// the command instead of leaving every story uncleaned).
pub fn model_override() -> Result<Option<String>, String> {
    let Some(path) = std::env::var_os(MODEL_ENV) else {
        return Ok(None);
    };
    let shown = path.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{MODEL_ENV}={shown}: {e}"))?;
    let m: Model = serde_json::from_str(&text)
        .map_err(|e| format!("{MODEL_ENV}={shown}: not a model file: {e}"))?;
    let names: Vec<&str> = FEATURES.iter().map(|f| f.0).collect();
    let with_context: Vec<&str> = FEATURES.iter().chain(CONTEXT).map(|f| f.0).collect();
    if m.first.features != names || m.context.features != with_context {
        return Err(format!("{MODEL_ENV}={shown}: trained on other features"));
    }
    Ok(Some(text))
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let text = match model_override() {
            Ok(Some(text)) => text,
            _ => include_str!("model.json").to_string(),
        };
        let mut m: Model = serde_json::from_str(&text).expect("model.json is valid");
        m.first.flat = Flat::of(&m.first.trees);
        m.context.flat = Flat::of(&m.context.trees);
        let names: Vec<&str> = FEATURES.iter().map(|f| f.0).collect();
        assert_eq!(
            m.first.features, names,
            "model.json was trained on other features"
        );
        let names: Vec<&str> = FEATURES.iter().chain(CONTEXT).map(|f| f.0).collect();
        assert_eq!(
            m.context.features, names,
            "model.json's second pass was trained on other features"
        );
        m
    })
}

impl Ensemble {
    /// The probability that each block is story ([`Ensemble::score`] without the parts,
    /// the same leaves summed in the same order, from the flat array of nodes), several
    /// blocks at once: four walk each tree side by
    /// side, each step a choice of child with no branch (a leaf is its own child, every
    /// walk as long as the tree is deep), so the four overlap rather than wait on each
    /// other's mispredicted turns. Each block's leaves are summed in tree order, as one
    /// at a time would.
    fn probabilities(&self, xs: &[&[f64]]) -> Vec<f64> {
        const LANES: usize = 4;
        let nodes = &self.flat.nodes;
        let mut out = Vec::with_capacity(xs.len());
        for group in xs.chunks(LANES) {
            // a short last group walks its last block again in the spare lanes
            let x: [&[f64]; LANES] = std::array::from_fn(|l| group[l.min(group.len() - 1)]);
            let mut raw = [self.baseline; LANES];
            for (&root, &depth) in self.flat.roots.iter().zip(&self.flat.depths) {
                let mut k = [root as usize; LANES];
                for _ in 0..depth {
                    for l in 0..LANES {
                        let n = &nodes[k[l]];
                        let go_left = x[l][n.feature.max(0) as usize] <= n.value;
                        k[l] = if go_left { n.left } else { n.right } as usize;
                    }
                }
                for l in 0..LANES {
                    raw[l] += nodes[k[l]].value;
                }
            }
            out.extend(raw[..group.len()].iter().map(|r| 1.0 / (1.0 + (-r).exp())));
        }
        out
    }

    /// The probability that a block is story, and each feature's part in the log-odds
    /// (the change in score along each tree's path, credited to the feature split on).
    fn score(&self, x: &[f64], parts: Option<&mut Vec<f64>>) -> f64 {
        let mut raw = self.baseline;
        let mut parts = parts;
        for t in &self.trees {
            let mut k = 0usize;
            while t.feature[k] >= 0 {
                let f = t.feature[k] as usize;
                let next = if x[f] <= t.threshold[k] {
                    t.left[k]
                } else {
                    t.right[k]
                } as usize;
                if let Some(p) = parts.as_deref_mut() {
                    p[f] += t.value[next] - t.value[k];
                }
                k = next;
            }
            raw += t.value[k];
        }
        1.0 / (1.0 + (-raw).exp())
    }
}

/// Every block's features for the second pass: its own, then the context of the first
/// pass's reading.
fn both_passes(xs: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    let m = model();
    let refs: Vec<&[f64]> = xs.iter().map(Vec::as_slice).collect();
    let first: Vec<f64> = m.first.probabilities(&refs);
    xs.into_iter()
        .zip(context_features(&first))
        .map(|(mut x, c)| {
            x.extend_from_slice(&c);
            x
        })
        .collect()
}

/// Every block's probability of being story, from both passes (given the rules'
/// decisions `out`).
pub fn probabilities(article: &Article, out: &Cleaned, ev: &Evidence) -> Vec<f64> {
    let xs = both_passes(block_features(article, out, ev));
    let refs: Vec<&[f64]> = xs.iter().map(Vec::as_slice).collect();
    model().context.probabilities(&refs)
}

/// May the model overrule the rules on this block? Not for the story's long prose
/// (hidden only on the rules' or the archive's word), marked-up blocks (headings, list
/// items, quotes: the plain text it learned from had none), scripts without spaces,
/// a block hidden on the archive's evidence, or a block hidden because the story repeats
/// it (a standfirst the body repeats, a duplicate): shown, its words would be read twice.
#[cfg(test)]
fn may_overrule(article: &Article, d: &Decision, ev: &Evidence) -> bool {
    let m = Measured::of(article);
    let key = crate::text::norm_key(&d.text);
    let block = Block {
        feats: &features::of(&d.text),
        key: &key,
        repeat_key: &super::evidence::repeat_key(&d.text),
    };
    overrule_check(d, ev, &block, &m)
}

/// [`may_overrule`] for block `i` of an article measured (`m`).
#[cfg(test)]
fn may_overrule_measured(d: &Decision, ev: &Evidence, m: &Measured, i: usize) -> bool {
    may_overrule_counted(d, ev, m, i, &key_counts(m))
}

/// How many blocks of the article have each key.
fn key_counts(m: &Measured) -> HashMap<&str, usize, Fnv> {
    let mut counts: HashMap<&str, usize, Fnv> = HashMap::default();
    for k in &m.keys {
        *counts.entry(k.as_str()).or_default() += 1;
    }
    counts
}

/// [`may_overrule_measured`] with the article's key counts (`counts`) made once.
fn may_overrule_counted(
    d: &Decision,
    ev: &Evidence,
    m: &Measured,
    i: usize,
    counts: &HashMap<&str, usize, Fnv>,
) -> bool {
    let block = Block {
        feats: &m.feats[i],
        key: &m.keys[i],
        repeat_key: &m.repeat_keys[i],
    };
    overrule_check(d, ev, &block, m) && (d.shown || !furniture_the_story_repeats(d, m, i, counts))
}

/// Hidden on evidence of its own, and found again elsewhere in the story ("BGR may
/// receive a commission" under every product): the page's furniture twice over.
fn furniture_the_story_repeats(
    d: &Decision,
    m: &Measured,
    i: usize,
    counts: &HashMap<&str, usize, Fnv>,
) -> bool {
    let key = m.keys[i].as_str();
    d.grounds == super::Grounds::Evidence
        && !key.is_empty()
        && counts.get(key).is_some_and(|&n| n >= 2)
}

/// A block's measurements, as [`overrule_check`] reads them.
struct Block<'a> {
    feats: &'a features::Features,
    key: &'a str,
    repeat_key: &'a str,
}

/// [`may_overrule`], the cheap tests first; of `m` only the title's and the source's
/// keys are read.
fn overrule_check(d: &Decision, ev: &Evidence, b: &Block, m: &Measured) -> bool {
    !(d.markup != Markup::Paragraph
        || (d.shown && is_prose(b.feats))
        || in_an_unspaced_script(&d.text)
        || (!d.shown && repeated_by_the_story(d))
        || (!d.shown && d.reason.starts_with(super::rules::READER_COMMENT))
        || (!d.shown && decisive(&d.reason))
        || (!d.shown && d.kind == Kind::Promo && speaks_of_the_subscription(d, b))
        || (!d.shown && backed_by_archive(ev, m, b, &d.text)))
}

/// Hidden on words the model cannot read ([`super::rules::DECISIVE`]); a metadata
/// line's reason names what it is before ": the story's metadata".
fn decisive(reason: &str) -> bool {
    super::rules::DECISIVE.iter().any(|r| reason.starts_with(r))
}

/// Hidden as a newsletter's note to its reader about the subscription: what it says is
/// the evidence, which the model (reading no words) cannot weigh.
fn speaks_of_the_subscription(d: &Decision, b: &Block) -> bool {
    super::rules::subscription_note(&d.text, b.feats).is_some()
}

/// Hidden on the evidence that the story repeats it (a standfirst or a duplicate found
/// again in the body), not for its place.
fn repeated_by_the_story(d: &Decision) -> bool {
    d.grounds == super::Grounds::Evidence && matches!(d.kind, Kind::Duplicate | Kind::Standfirst)
}

/// Take the model's side wherever it disagrees with the rules: a block the rules showed
/// is hidden as [`Kind::Clutter`]; a block the rules hid is shown as story. Every changed
/// decision says why, naming what weighed most.
pub fn judge(article: &Article, out: &mut Cleaned, ev: &Evidence) {
    judge_measured(article, out, ev, &Measured::of(article));
}

/// [`judge`] with the article's blocks measured (`m`, by block). Blocks the model may
/// not overrule are not scored by the second pass; an article with none it may
/// overrule is not scored at all.
pub(super) fn judge_measured(article: &Article, out: &mut Cleaned, ev: &Evidence, m: &Measured) {
    // the article's key counts, read only for blocks hidden on evidence
    let on_evidence = |d: &Decision| !d.shown && d.grounds == super::Grounds::Evidence;
    let counts = if out.blocks.iter().any(on_evidence) {
        key_counts(m)
    } else {
        HashMap::default()
    };
    let open: Vec<bool> = (out.blocks.iter().enumerate())
        .map(|(i, d)| may_overrule_counted(d, ev, m, i, &counts))
        .collect();
    if !open.contains(&true) {
        return;
    }
    let xs = both_passes(block_features_measured(article, out, ev, m));
    let model = model();
    let words = |i: usize| m.feats[i].words;
    let shown_before: usize = (0..out.blocks.len())
        .filter(|&i| out.blocks[i].shown)
        .map(words)
        .sum();
    // the second pass's probability of each block it may overrule, all at once
    let scored: Vec<&[f64]> = (xs.iter().zip(&open))
        .filter(|(_, &o)| o)
        .map(|(x, _)| x.as_slice())
        .collect();
    let mut ps = model.context.probabilities(&scored).into_iter();
    // (block, probability, what weighed most) for every decision the model changes
    let mut changes: Vec<(usize, f64, String)> = Vec::new();
    for (i, (d, x)) in out.blocks.iter().zip(&xs).enumerate() {
        if !open[i] {
            continue;
        }
        let Some(p) = ps.next() else { break };
        let story = if d.shown {
            p >= model.hide_below
        } else {
            p >= model.show_from
        };
        if story == d.shown {
            continue;
        }
        // what weighed most, only for the decisions it changes
        let mut parts = vec![0.0; x.len()];
        model.context.score(x, Some(&mut parts));
        changes.push((i, p, weightiest(&parts, story)));
    }
    // it never takes most of what the rules showed: the story itself, as in a brief of
    // two short paragraphs, the kind of article the pages it learned from never were
    let hidden: usize = changes
        .iter()
        .filter(|c| out.blocks[c.0].shown)
        .map(|c| words(c.0))
        .sum();
    let keep_hides = 2 * hidden <= shown_before;
    for (i, p, why) in changes {
        let d = &mut out.blocks[i];
        if !d.shown {
            d.reason = format!(
                "kept: reads as story ({:.0} %; most for: {why}), though the rules saw {} ({})",
                p * 100.0,
                d.kind.as_str(),
                d.reason
            );
            d.kind = Kind::Story;
            d.shown = true;
            d.grounds = super::Grounds::Shown;
        } else if keep_hides {
            d.reason = format!(
                "reads as page clutter ({:.0} % story; most against: {why})",
                p * 100.0
            );
            d.kind = Kind::Clutter;
            d.shown = false;
            d.grounds = super::Grounds::Shape;
        }
    }
}

/// The model learned from plain text, where no block is marked up: a block whose format
/// says it is a heading, a list item or a quotation is left to the rules (as is one in
/// a script written without spaces between words, below).
///
/// The model counts words by the spaces between them. In scripts written without
/// (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) a paragraph reads as one long word, its
/// measurements mean something else, and the rules' decision stands. Scripts with
/// spaces, cased or not (Korean, Arabic, Hindi, ...), are measured as Latin is.
fn in_an_unspaced_script(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            // kana; Han (extension A, unified, compatibility, the supplementary planes)
            0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
            | 0x20000..=0x2FFFF
            // Thai and Lao, Myanmar, Khmer
            | 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF)
    })
}

/// Is a block hidden on the archive's word (another story's title, or furniture repeated
/// across a source's stories)? The corpora the model learned from are single pages of
/// many sites, where such evidence is rare, so it cannot judge it: the rules' decision
/// stands.
fn backed_by_archive(ev: &Evidence, m: &Measured, b: &Block, text: &str) -> bool {
    ev.is_other_title_keyed(b.key, &m.title_key)
        || ev.repeats_keyed(&m.source_key, text, b.repeat_key) >= super::evidence::MIN_REPEATS
}

/// The two descriptions that weighed most for (`story`) or against the block being story.
fn weightiest(parts: &[f64], story: bool) -> String {
    let mut idx: Vec<usize> = (0..parts.len())
        .filter(|&i| {
            if story {
                parts[i] > 0.0
            } else {
                parts[i] < 0.0
            }
        })
        .collect();
    idx.sort_by(|&a, &b| parts[b].abs().total_cmp(&parts[a].abs()));
    let mut names: Vec<&str> = Vec::new();
    for i in idx {
        let name = FEATURES.iter().chain(CONTEXT).nth(i).map_or("", |f| f.1);
        if !names.contains(&name) {
            names.push(name);
        }
        if names.len() == 2 {
            break;
        }
    }
    if names.is_empty() {
        "its shape".into()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_blocks_at_once_score_as_each_alone() {
        // blocks of every shape the trees split on, and fewer than four, and not a
        // multiple of four
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 2000) as f64 / 100.0 - 5.0
        };
        let m = model();
        for (e, width) in [
            (&m.first, FEATURES.len()),
            (&m.context, FEATURES.len() + CONTEXT.len()),
        ] {
            for n in [1, 3, 4, 9] {
                let xs: Vec<Vec<f64>> = (0..n)
                    .map(|_| (0..width).map(|_| next()).collect())
                    .collect();
                let refs: Vec<&[f64]> = xs.iter().map(Vec::as_slice).collect();
                let many = e.probabilities(&refs);
                for (x, p) in xs.iter().zip(&many) {
                    assert_eq!(p.to_bits(), e.score(x, None).to_bits());
                }
            }
        }
    }
    use crate::article::Block;

    fn art(title: &str, blocks: &[&str]) -> Article {
        Article {
            title: title.into(),
            blocks: blocks.iter().map(|b| Block::para(*b)).collect(),
            ..Article::default()
        }
    }

    #[test]
    fn long_prose_is_never_the_models_to_hide() {
        let long = "The harbour board said on Tuesday that ferry fares would rise by ten per \
                    cent from April, the first increase in four years, because fuel and wages \
                    had both grown faster than the number of passengers.";
        let a = art(
            "Ferry fares to rise",
            &[long, "Fares rise in April", "Fares rise."],
        );
        let ev = Evidence::default();
        let out = super::super::rules::decide(&a, &ev);
        let shown = |text: &str| Decision {
            text: text.into(),
            markup: Markup::Paragraph,
            kind: Kind::Story,
            shown: true,
            reason: String::new(),
            grounds: crate::clean::Grounds::Shown,
        };
        assert!(out.blocks[0].shown);
        assert!(
            !may_overrule(&a, &out.blocks[0], &ev),
            "30+ words ending like a sentence"
        );
        // a long block that does not end like a sentence, or a short one, may be
        assert!(may_overrule(&a, &shown(long.trim_end_matches('.')), &ev));
        assert!(may_overrule(&a, &shown("Fares rise."), &ev));
        // the model may still show a long paragraph the rules hid
        let mut hidden = shown(long);
        hidden.shown = false;
        assert!(may_overrule(&a, &hidden, &ev));
    }

    #[test]
    fn furniture_the_story_repeats_is_never_the_models_to_show() {
        let note = "The Harbour Times may receive a commission";
        let a = art(
            "Ferry fares to rise",
            &["Fares rise in April.", note, "Wages rose too.", note],
        );
        let ev = Evidence::default();
        let m = Measured::of(&a);
        let out = super::super::rules::decide_measured(&a, &ev, &m);
        for i in [1, 3] {
            assert!(!out.blocks[i].shown, "{}", out.blocks[i].reason);
            assert!(!may_overrule_measured(&out.blocks[i], &ev, &m, i));
        }
        // said once, the model may weigh it
        let once = art(
            "Ferry fares to rise",
            &["Fares rise in April.", note, "Wages rose too."],
        );
        let m = Measured::of(&once);
        let out = super::super::rules::decide_measured(&once, &ev, &m);
        assert!(may_overrule_measured(&out.blocks[1], &ev, &m, 1));
    }

    #[test]
    fn the_model_matches_the_features() {
        let m = model();
        assert_eq!(m.first.features.len(), FEATURES.len());
        assert!(0.0 < m.hide_below && m.hide_below <= m.show_from && m.show_from < 1.0);
        let a = art("Harbour fares rise", &["One.", "Two."]);
        let out = super::super::rules::decide(&a, &Evidence::default());
        let xs = block_features(&a, &out, &Evidence::default());
        for x in &xs {
            assert_eq!(x.len(), FEATURES.len());
        }
        for x in both_passes(xs) {
            assert_eq!(x.len(), m.context.features.len());
        }
    }

    #[test]
    fn scripts_without_spaces_are_left_to_the_rules() {
        let a = art("港の朝市", &["朝市は毎週日曜日に開かれる。"]);
        let ev = Evidence::default();
        let block = |text: &str| Decision {
            text: text.into(),
            markup: Markup::Paragraph,
            kind: Kind::Story,
            shown: true,
            reason: String::new(),
            grounds: crate::clean::Grounds::Shown,
        };
        for unspaced in ["朝市は毎週日曜日に開かれる。", "ตลาดเช้าเปิดทุกวันอาทิตย์"]
        {
            assert!(!may_overrule(&a, &block(unspaced), &ev), "{unspaced}");
        }
        // words with spaces between them are measured, whatever the script
        for spaced in ["많이 본 칼럼", "الأكثر قراءة اليوم", "Most read today"]
        {
            assert!(may_overrule(&a, &block(spaced), &ev), "{spaced}");
        }
    }

    #[test]
    fn the_models_thresholds_are_read_exactly() {
        // training compares with exact doubles; a threshold read one ulp off sends a block
        // down another branch than in training (serde_json needs `float_roundtrip`)
        let text = include_str!("model.json");
        let written: Vec<f64> = text
            .split("\"threshold\":[")
            .skip(1)
            .flat_map(|rest| rest[..rest.find(']').unwrap()].split(','))
            .map(|t| t.parse().unwrap())
            .collect();
        let m = model();
        let read: Vec<f64> = (m.first.trees.iter().chain(&m.context.trees))
            .flat_map(|t| t.threshold.iter().copied())
            .collect();
        assert_eq!(written.len(), read.len());
        for (w, r) in written.iter().zip(&read) {
            assert_eq!(w.to_bits(), r.to_bits(), "{w} read as {r}");
        }
    }

    #[test]
    fn context_is_what_the_first_pass_made_of_the_neighbours() {
        let c = context_features(&[0.9, 0.2, 0.6, 0.1]);
        assert_eq!(c.len(), 4);
        // the first block: nothing before
        assert_eq!(&c[0][..4], &[-1.0, -1.0, 0.2, 0.6]);
        assert_eq!((c[0][5], c[0][7]), (-1.0, -1.0));
        assert_eq!((c[0][6], c[0][8]), (0.6, 1.0 / 3.0));
        // the third: two before, one after
        assert_eq!(&c[2][..4], &[0.2, 0.9, 0.1, -1.0]);
        assert!((c[2][4] - (0.9 + 0.2 + 0.1) / 3.0).abs() < 1e-12);
        assert_eq!((c[2][5], c[2][6], c[2][7], c[2][8]), (0.9, 0.1, 0.5, 0.0));
        // the last: nothing after; every block sees the article's mean
        assert_eq!((c[3][2], c[3][6], c[3][8]), (-1.0, -1.0, -1.0));
        assert!(c.iter().all(|f| (f[9] - 0.45).abs() < 1e-12));
        assert!(context_features(&[]).is_empty());
        let one = context_features(&[0.3]);
        assert_eq!(one[0][4], -1.0);
    }

    #[test]
    fn a_brief_is_never_hidden_whole() {
        let a = art(
            "Pier repainted",
            &["The pier has been repainted.", "It took six weeks."],
        );
        let ev = Evidence::default();
        let mut out = super::super::rules::decide(&a, &ev);
        judge(&a, &mut out, &ev);
        assert!(out.blocks.iter().all(|d| d.shown), "{:#?}", out.blocks);
    }

    #[test]
    fn long_prose_stays_and_a_menu_after_it_goes() {
        let paras: Vec<String> = [
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Monday",
            "Sunday",
        ]
        .iter()
        .map(|day| {
            format!(
                "The harbour board said on {day} that ferry fares would rise by ten per \
                     cent from April, the first increase in four years, because fuel and \
                     wages had both grown faster than the number of passengers."
            )
        })
        .collect();
        let mut blocks: Vec<&str> = paras.iter().map(String::as_str).collect();
        blocks.extend(["Home", "News", "Sport", "Weather", "Contact us"]);
        let a = art("Ferry fares to rise in April", &blocks);
        let ev = Evidence::default();
        let mut out = super::super::rules::decide(&a, &ev);
        judge(&a, &mut out, &ev);
        assert!(out.blocks[..6].iter().all(|d| d.shown), "{:#?}", out.blocks);
        assert!(
            out.blocks[6..].iter().all(|d| !d.shown),
            "{:#?}",
            out.blocks
        );
    }
}
