#!/usr/bin/env python3
"""Which source modules use which, and any circle among them.

Reads every src/**/*.rs up to its first `#[cfg(test)] mod` (tests may look anywhere),
takes each `crate::a::b...` and `super::...` path it names (in `use` lines and inline),
resolves it to the deepest module that is a file, and prints the circles found: two
modules using each other, or a longer ring. A module using its own parent or ancestor
(the parent's shared types, as ARCHITECTURE.md allows) and a parent using its own
children are not counted. Exit 1 when there is a circle.

    python3 tools/module_deps.py            # circles only
    python3 tools/module_deps.py --edges    # and every edge
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "src"


def module_of(path):
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


files = {module_of(p): p for p in ROOT.rglob("*.rs")}


def resolve(parts):
    """The deepest module (a file) that a path's leading segments name."""
    for n in range(len(parts), 0, -1):
        if tuple(parts[:n]) in files:
            return tuple(parts[:n])
    return None


def body(path):
    text = path.read_text()
    m = re.search(r"#\[cfg\(test\)\]\s*(pub(\(crate\))?\s+)?mod\s", text)
    text = text[: m.start()] if m else text
    # comments name modules without using them (doc links)
    return re.sub(r"//[^\n]*", "", text)


PATH = re.compile(r"\b(crate|super)((?:::(?:super|\w+))+)")
GROUP = re.compile(r"\b(crate|super)((?:::\w+)*)::\{([^;]*?)\}", re.S)

edges = {}
for mod, path in files.items():
    text = body(path)
    named = []
    # grouped imports: use crate::a::{b, c::d}
    for m in GROUP.finditer(text):
        head = [m.group(1)] + [s for s in m.group(2).split("::") if s]
        for item in re.split(r",(?![^{]*\})", m.group(3)):
            item = item.strip().split(" as ")[0]
            if item:
                named.append(head + [s for s in re.split(r"::", item.strip("{} ")) if s])
    for m in PATH.finditer(text):
        named.append([m.group(1)] + [s for s in m.group(2).split("::") if s])
    for segs in named:
        if segs[0] == "crate":
            base, rest = (), segs[1:]
        else:
            # super: the parent of this file's module (mod.rs's module is its folder)
            base, rest = mod[:-1], segs[1:]
            while rest and rest[0] == "super":
                base, rest = base[:-1], rest[1:]
        target = resolve(list(base) + [s for s in rest if re.match(r"^\w+$", s)])
        if target is None or target == mod:
            continue
        if mod[: len(target)] == target or target[: len(mod)] == mod:
            continue  # an ancestor's shared types, or a parent using its children
        edges.setdefault(mod, set()).add(target)

name = lambda m: "::".join(m) or "crate"
if "--edges" in sys.argv:
    for a in sorted(edges):
        print(f"{name(a)} -> {', '.join(sorted(name(b) for b in edges[a]))}")

# circles: strongly connected components of more than one module
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]


def strong(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            strong(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(comp)


sys.setrecursionlimit(10000)
for v in list(files):
    if v not in index:
        strong(v)
for comp in sccs:
    print("circle:", ", ".join(sorted(name(m) for m in comp)))
    for a in sorted(comp):
        print(f"  {name(a)} -> {', '.join(sorted(name(b) for b in edges[a] if b in comp))}")
print(f"{len(files)} modules, {sum(len(v) for v in edges.values())} edges, {len(sccs)} circle(s)")
sys.exit(1 if sccs else 0)
