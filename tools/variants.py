#!/usr/bin/env python3
"""Build variants of a labelled plain-text corpus (a folder with labels.jsonl) to test that
the cleaner never loses the story:

    tools/variants.py clean   LABELS OUT   # each article's body paragraphs under its title
    tools/variants.py trimmed LABELS OUT   # the leading and trailing clutter cut away
    tools/variants.py split   LABELS OUT --part train|gate   # a fixed half, by article

Each writes OUT/<file> (title, blank line, paragraphs separated by blank lines) and
OUT/labels.jsonl with the paragraphs kept, so score.py and lede.py read it as they read
the corpus. `split` copies the articles of one part as they were scraped (clutter kept);
the part of an article is fixed by a hash of its file name (see `part_of`), so training
(tools/train_model.py) and the gates (tests/quality.rs) agree without a list.
"""
import hashlib
import json
import os
import sys


def part_of(name):
    """'gate' for about one article in three, 'train' for the rest: fixed by the name."""
    h = hashlib.sha256(os.path.basename(name).encode()).digest()
    return "gate" if h[0] % 3 == 0 else "train"


def write(out, rec, paras):
    name = os.path.basename(rec["file"])
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(rec["title"].strip() + "\n\n" + "\n\n".join(p["text"] for p in paras) + "\n")
    r = dict(rec, paragraphs=paras)
    return json.dumps(r, ensure_ascii=False)


def main(argv):
    if len(argv) < 3 or argv[0] not in ("clean", "trimmed", "split"):
        sys.exit(__doc__)
    mode, labels, out = argv[0], argv[1], argv[2]
    part = argv[argv.index("--part") + 1] if "--part" in argv else None
    src = os.path.dirname(os.path.abspath(labels))
    os.makedirs(out, exist_ok=True)
    lines = []
    for line in open(labels, encoding="utf-8"):
        rec = json.loads(line)
        paras = rec["paragraphs"]
        body = [i for i, p in enumerate(paras) if p["label"] == "body"]
        if not body:
            continue
        if mode == "clean":
            lines.append(write(out, rec, [paras[i] for i in body]))
        elif mode == "trimmed":
            lines.append(write(out, rec, paras[body[0]:body[-1] + 1]))
        elif part_of(rec["file"]) == part:
            name = os.path.basename(rec["file"])
            with open(os.path.join(src, name), encoding="utf-8") as f, \
                    open(os.path.join(out, name), "w", encoding="utf-8") as g:
                g.write(f.read())
            lines.append(json.dumps(rec, ensure_ascii=False))
    with open(os.path.join(out, "labels.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
