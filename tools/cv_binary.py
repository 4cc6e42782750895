#!/usr/bin/env python3
"""Cross-validated figures from the real binary, not from a Python copy of its policy.

    python3 tools/train_model.py PAIRS... /tmp/m.json --folds /tmp/folds   # fold models
    python3 tools/cv_binary.py /tmp/folds target/release/broadsheet DIR...

For every variant folder DIR (a training part, stored clean, trimmed: each with its
labels.jsonl), each fold's model cleans the whole folder (`BROADSHEET_MODEL=fold-K.json
broadsheet export --format json --no-index DIR`: the archive's evidence as in use) and
only the fold's own articles are kept from its export; the five exports' kept stories
are scored together with ../shared/tools/score.py and lede.py. Every article is so
cleaned by rules, guard and a model that never saw it. Articles in no fold (a gate part's
left out of the training) are not scored. Prints one line per folder."""
import json
import os
import subprocess
import sys
import tempfile

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "tools")


def main(folds_dir, binary, *dirs):
    fold_of = json.load(open(os.path.join(folds_dir, "folds.json")))
    n_folds = max(fold_of.values()) + 1
    for d in dirs:
        labels = os.path.join(d, "labels.jsonl")
        with tempfile.TemporaryDirectory() as tmp:
            kept_labels = os.path.join(tmp, "labels.jsonl")
            with open(labels) as src, open(kept_labels, "w") as out:
                for line in src:
                    if os.path.basename(json.loads(line)["file"]) in fold_of:
                        out.write(line)
            pred = os.path.join(tmp, "pred.jsonl")
            with open(pred, "w") as out:
                for k in range(n_folds):
                    env = dict(os.environ, BROADSHEET_MODEL=os.path.join(folds_dir, f"fold-{k}.json"))
                    res = subprocess.run([binary, "export", "--format", "json", "--no-index", d],
                                         env=env, capture_output=True, text=True, check=True)
                    for line in res.stdout.splitlines():
                        name = os.path.basename(json.loads(line).get("path") or "")
                        if fold_of.get(name) == k:
                            out.write(line + "\n")
            score = subprocess.run([sys.executable, os.path.join(TOOLS, "score.py"), "text",
                                    kept_labels, pred], capture_output=True, text=True, check=True)
            lede = subprocess.run([sys.executable, os.path.join(TOOLS, "lede.py"), kept_labels,
                                   pred], capture_output=True, text=True, check=True)
            s = json.loads(score.stdout.strip().splitlines()[-1])
            le = json.loads(lede.stdout.strip())
            print(f"{os.path.basename(d.rstrip('/')):30} recall {s['body_recall']} "
                  f"boiler {s['boiler_hidden']}  first lost {le['lede_hidden']}/{le['articles']}"
                  f"  clean touched {le['clean_touched']}/{le['clean']}")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
