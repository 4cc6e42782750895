#!/usr/bin/env python3
"""Train the cleaner's learned second opinion (src/clean/model.rs) and write
src/clean/model.json. Only the training part of each corpus is learned from: an article
whose name `tools/variants.py` puts in the gate part (a third, by a hash of its name) is
left out wherever it appears, so the gates in tests/quality.rs score articles the model
never saw. The shipped model was made so:

    S=../shared/corpus V=/tmp/v
    for c in news-sh news-wcxb-dev; do
      python3 tools/variants.py split $S/$c/text/labels.jsonl $V/$c-train --part train
      python3 tools/variants.py clean $V/$c-train/labels.jsonl $V/$c-train-clean
      python3 tools/variants.py trimmed $V/$c-train/labels.jsonl $V/$c-train-trimmed
    done
    python3 ../shared/tools/gen_archive.py $V/gen-train 2000 --seed 5 --clean 0.5
    for d in news-sh-train news-sh-train-clean news-sh-train-trimmed news-wcxb-dev-train \
             news-wcxb-dev-train-clean news-wcxb-dev-train-trimmed gen-train; do
      cargo run --release --example features -- $V/$d > $V/$d.features.jsonl
      set -- "$@" $V/$d.features.jsonl:$V/$d/labels.jsonl
    done
    python3 tools/train_model.py "$@"

The stored-clean and trimmed variants teach that a story without clutter has none to
find; the generated archive (another seed than the gates' 1 and 11), the shapes of the
generator's clutter. Each block's features come from the Rust code itself (so training
and use agree); the labels are matched to blocks by file name and text. The figures
printed are from 5-fold cross-validation grouped by article name (each article, in every
variant, scored by a model that never saw it), with the metrics of score.py: body_recall
(share of story words shown) and boiler_hidden (share of other blocks hidden), before
the guard (src/clean/guard.rs) has its say. Needs scikit-learn and numpy.
"""
import json
import sys
import os
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from variants import part_of  # noqa: E402  (the gate part is never trained on)

# every article's name, numbered: its scraped, stored-clean and trimmed variants share one
# number, so cross-validation never scores a variant of an article another fold saw
NAMES = {}

PARAMS = dict(max_iter=100, learning_rate=0.1, max_leaf_nodes=15, min_samples_leaf=100,
              random_state=0)
# weight of a boiler block against a story block's words (the metrics count boiler
# blocks and story words)
BOILER_WEIGHT = 3.0


def norm(t):
    return " ".join(t.split())


def load(pair, group0):
    """Every block of every labelled article of the training part, in file order:
    features, label (1 story, 0 other, -1 unmatched: used as a neighbour, never fitted or
    scored), words, article, the article's name number."""
    feats, labels = pair.split(":")
    lab = {}
    for line in open(labels):
        r = json.loads(line)
        lab[r["file"].split("/")[-1]] = [(norm(p["text"]), p["label"] == "body") for p in r["paragraphs"]]
    X, y, w, g, n = [], [], [], [], []
    names = None
    skipped = 0
    gate = 0
    for k, line in enumerate(open(feats)):
        d = json.loads(line)
        names = d["names"]
        paras = lab.get(d["file"])
        if paras is None:
            continue
        if part_of(d["file"]) != "train":
            gate += 1
            continue
        num = NAMES.setdefault(d["file"], len(NAMES))
        # walk both in order; a block matches the next label paragraph with its text
        j = 0
        for text, x in zip(d["texts"], d["x"]):
            t = norm(text)
            m = next((i for i in range(j, min(j + 4, len(paras))) if paras[i][0] == t), None)
            if m is None:
                skipped += 1
            else:
                j = m + 1
            X.append(x)
            y.append(-1 if m is None else 1 if paras[m][1] else 0)
            w.append(len(t.split()))
            g.append(group0 + k)
            n.append(num)
    print(f"{feats}: {len(y)} blocks, {skipped} unmatched, {gate} gate articles left out",
          file=sys.stderr)
    return names, np.array(X, float), np.array(y), np.array(w, float), np.array(g), np.array(n)


# The second pass's extra features: what the first pass made of the blocks around each
# one (src/clean/model.rs, context_features, computes the same).
CONTEXT = ["ctx_prev", "ctx_prev2", "ctx_next", "ctx_next2", "ctx_window", "ctx_max_before",
           "ctx_max_after", "ctx_story_before", "ctx_story_after", "ctx_article"]


def context(p, g):
    """Context features of every block from first-pass probabilities `p`, article by
    article (`g`: the article of each block, articles contiguous)."""
    out = np.full((len(p), len(CONTEXT)), -1.0)
    starts = np.r_[0, np.nonzero(np.diff(g))[0] + 1, len(p)]
    for a, b in zip(starts[:-1], starts[1:]):
        q = [float(v) for v in p[a:b]]
        n = len(q)
        mean = sum(q) / n
        # running maxima and counts of story-like blocks, from each end
        max_before, story_before = [-1.0] * n, [0] * n
        for i in range(1, n):
            max_before[i] = max(max_before[i - 1], q[i - 1])
            story_before[i] = story_before[i - 1] + (q[i - 1] >= 0.5)
        max_after, story_after = [-1.0] * n, [0] * n
        for i in range(n - 2, -1, -1):
            max_after[i] = max(max_after[i + 1], q[i + 1])
            story_after[i] = story_after[i + 1] + (q[i + 1] >= 0.5)
        for i in range(n):
            f = out[a + i]
            if i >= 1:
                f[0] = q[i - 1]
                f[5] = max_before[i]
                f[7] = story_before[i] / i
            if i >= 2:
                f[1] = q[i - 2]
            if i + 1 < n:
                f[2] = q[i + 1]
                f[6] = max_after[i]
                f[8] = story_after[i] / (n - i - 1)
            if i + 2 < n:
                f[3] = q[i + 2]
            win = [q[j] for j in range(max(0, i - 3), min(n, i + 4)) if j != i]
            if win:
                f[4] = sum(win) / len(win)
            f[9] = mean
    return out


def metrics(y, w, keep):
    recall = (w * (y == 1) * keep).sum() / max((w * (y == 1)).sum(), 1)
    hidden = ((y == 0) * (1 - keep)).sum() / max((y == 0).sum(), 1)
    return recall, hidden


def export(model):
    """An ensemble as model.rs reads it: its baseline score and its trees."""
    trees = []
    for pred in model._predictors:
        nodes = pred[0].nodes
        n = len(nodes)
        value = [float(v) for v in nodes["value"]]
        count = [float(c) for c in nodes["count"]]

        # an inner node's value: the count-weighted mean of the leaves below it
        def fill(i):
            if nodes["is_leaf"][i]:
                return value[i] * count[i], count[i]
            a = fill(int(nodes["left"][i]))
            b = fill(int(nodes["right"][i]))
            s, c = a[0] + b[0], a[1] + b[1]
            value[i] = s / c if c else 0.0
            return s, c

        fill(0)
        trees.append({
            "feature": [-1 if nodes["is_leaf"][i] else int(nodes["feature_idx"][i]) for i in range(n)],
            "threshold": [float(t) for t in nodes["num_threshold"]],
            "left": [int(v) for v in nodes["left"]],
            "right": [int(v) for v in nodes["right"]],
            "value": value,
        })
    return {"baseline": float(np.ravel(model._baseline_prediction)[0]), "trees": trees}


def main():
    pairs = [a for a in sys.argv[1:] if ":" in a]
    out = next((a for a in sys.argv[1:] if a.endswith(".json")), "src/clean/model.json")
    # (--folds DIR: also each cross-validation fold's model, for tools/cv_binary.py)
    sets = []
    names = None
    for k, p in enumerate(pairs):
        names, X, y, w, g, n = load(p, k * 1_000_000)
        sets.append((p.split(":")[0], X, y, w, g, n))
    X = np.vstack([s[1] for s in sets])
    y = np.concatenate([s[2] for s in sets])
    w = np.concatenate([s[3] for s in sets])
    g = np.concatenate([s[4] for s in sets])
    by_name = np.concatenate([s[5] for s in sets])
    src = np.concatenate([[k] * len(s[2]) for k, s in enumerate(sets)])
    sw = np.where(y == 1, np.maximum(w, 1), BOILER_WEIGHT)
    fit = y >= 0  # blocks with a label
    folds = list(GroupKFold(5).split(X, y, by_name))

    def cross_validated(X):
        """Every block's probability from a model that never saw its article."""
        prob = np.zeros(len(y))
        for tr, te in folds:
            tr = tr[fit[tr]]
            m = HistGradientBoostingClassifier(**PARAMS).fit(X[tr], y[tr], sample_weight=sw[tr])
            prob[te] = m.predict_proba(X[te])[:, 1]
        return prob

    # Two passes. The first judges each block alone; the second also sees what the first
    # made of the blocks around it. It learns from first-pass probabilities of models that
    # never saw the article, as it will meet them on a new one.
    first = cross_validated(X)
    X2 = np.hstack([X, context(first, g)])
    prob = cross_validated(X2)
    rules = X[:, names.index("rules_shown")]
    # a long paragraph ending like a sentence is never hidden by the model (model.rs,
    # is_prose: PROSE_WORDS words or more; "words" is ln(1 + words))
    prose = (np.expm1(X[:, names.index("words")]) >= PROSE_WORDS - 0.01) & (
        X[:, names.index("ends_sentence")] == 1)

    def figures(keep):
        return "  ".join(
            "%s %.4f/%.4f" % (s[0].split("/")[-1], *metrics(
                y[(src == k) & fit], w[(src == k) & fit], keep[(src == k) & fit]))
            for k, s in enumerate(sets))

    print("cross-validated (recall / boiler hidden):")
    print("  rules alone   " + figures(rules))
    # The model overrides the rules only where it is confident: a block the rules show is
    # hidden below HIDE_BELOW, a block they hide is shown from SHOW_FROM. The grid shows
    # the trade; the pair used is the constants below.
    print("  (hide below / show from)")
    for name, p in [("first pass", first), ("both passes", prob)]:
        print("  " + name)
        for hb in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]:
            for sf in [0.75, 0.85, 0.95]:
                keep = np.where(rules == 1, (p >= hb) | prose, p >= sf).astype(float)
                mark = " <- used" if (hb, sf) == (HIDE_BELOW, SHOW_FROM) and p is prob else ""
                print("  %.2f / %.2f   " % (hb, sf) + figures(keep) + mark)
    m1 = HistGradientBoostingClassifier(**PARAMS).fit(X[fit], y[fit], sample_weight=sw[fit])
    m2 = HistGradientBoostingClassifier(**PARAMS).fit(X2[fit], y[fit], sample_weight=sw[fit])
    model = {"features": names, "hide_below": HIDE_BELOW, "show_from": SHOW_FROM, **export(m1),
             "context": {"features": names + CONTEXT, **export(m2)}}
    with open(out, "w") as f:
        json.dump(model, f, separators=(",", ":"))
    print(f"wrote {out}")
    if "--folds" in sys.argv:
        write_folds(sys.argv[sys.argv.index("--folds") + 1], names, folds, X, X2, y, sw, fit,
                    by_name)


def write_folds(out_dir, names, folds, X, X2, y, sw, fit, by_name):
    """Each fold's model (both passes, learned without the fold's articles) as
    fold-K.json, and folds.json: article file name -> K. tools/cv_binary.py cleans each
    fold's articles with its model through the real binary."""
    os.makedirs(out_dir, exist_ok=True)
    fold_of = {}
    for k, (tr, te) in enumerate(folds):
        tr = tr[fit[tr]]
        m1 = HistGradientBoostingClassifier(**PARAMS).fit(X[tr], y[tr], sample_weight=sw[tr])
        m2 = HistGradientBoostingClassifier(**PARAMS).fit(X2[tr], y[tr], sample_weight=sw[tr])
        model = {"features": names, "hide_below": HIDE_BELOW, "show_from": SHOW_FROM,
                 **export(m1), "context": {"features": names + CONTEXT, **export(m2)}}
        with open(os.path.join(out_dir, f"fold-{k}.json"), "w") as f:
            json.dump(model, f, separators=(",", ":"))
        for num in set(int(v) for v in by_name[te]):
            fold_of[num] = k
    file_of = {num: name for name, num in NAMES.items()}
    with open(os.path.join(out_dir, "folds.json"), "w") as f:
        json.dump({file_of[num]: k for num, k in sorted(fold_of.items())}, f)
    print(f"wrote {len(folds)} fold models and folds.json to {out_dir}")


# Raising it trades story for clutter along the grid (cross-validated, stop 18: 0.5 gave
# +0.007 / +0.009 boiler on the training parts for -0.001 recall), but the blocks it adds
# to the hidden are short lines inside stories as often as clutter: story subheadings, a
# last line of reported speech, a list of names (tests/articles.rs fails at 0.5). Kept.
HIDE_BELOW = 0.4
SHOW_FROM = 0.85
PROSE_WORDS = 30

if __name__ == "__main__":
    main()
