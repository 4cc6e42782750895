#!/usr/bin/env bash
# The reader on a big archive, driven like a person would: the real binary in a
# pseudo-terminal (100x30), its screen kept by a small terminal emulator, peak memory
# read from /proc/PID/status (VmHWM). Prints, per run: time from start to the first
# frame with the whole list (list title "Stories N", no "loading" in the status line),
# VmHWM then, time to show the last story (G: key to its meta line drawn), time until
# the background work (index refresh, evidence) has ended, and VmHWM at the end; then
# quits with q.
#
#   python3 ../shared/tools/gen_archive.py /tmp/gen100k 100000   # once
#   benches/reader.sh [DIR]                                       # default /tmp/gen100k
#
# Runs: without an index (--no-index), then (after `broadsheet index DIR` builds one)
# with the index, twice. Not a test: figures only. The state and index go to a temporary
# folder, never the user's. WAIT=seconds bounds each wait (default 900); INDEX=FILE keeps
# the index there (built only when the file is missing), NOINDEX=0 skips the first run,
# BACKGROUND=0 quits without waiting for the background work.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/gen100k}
[ -d "$DIR" ] || { echo "no archive at $DIR (see the top of this script)" >&2; exit 2; }
# BIN=path/to/broadsheet measures another build (an older one, say)
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin broadsheet
  BIN=$PWD/target/release/broadsheet
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export BROADSHEET_STATE=$TMP/state.sqlite BROADSHEET_INDEX=${INDEX:-$TMP/index.sqlite}
echo "archive: $DIR ($(find "$DIR" -type f | wc -l) files, $(du -sh "$DIR" | cut -f1)); $(nproc) cores"
cat "$DIR"/*/* >/dev/null 2>&1 || true   # warm the page cache for every run

# drive LABEL CMD...: one run, with a reading state of its own (so no run starts on
# the story the last one left selected)
drive() { BROADSHEET_STATE=$(mktemp -u "$TMP/state-XXXX.sqlite") TIMINGS=$TMP/timings \
  python3 - "$@" <<'EOF'
import os, pty, re, select, struct, sys, termios, fcntl, time, signal, unicodedata

label, args = sys.argv[1], sys.argv[2:]
ROWS, COLS = 30, 100
WAIT = float(os.environ.get("WAIT", "900"))

class Screen:
    """Just enough of a terminal for ratatui's output: cursor moves, erases, text."""
    def __init__(self):
        self.g = [[" "] * COLS for _ in range(ROWS)]
        self.y = self.x = 0
        self.pending = ""
    def feed(self, data):
        s = self.pending + data
        self.pending = ""
        i = 0
        while i < len(s):
            c = s[i]
            if c == "\x1b":
                m = re.compile(r"\x1b\[([?0-9;]*)([@-~])").match(s, i)
                if m:
                    self.csi(m.group(1), m.group(2))
                    i = m.end()
                    continue
                m = re.compile(r"\x1b\][^\x07\x1b]*(\x07|\x1b\\)").match(s, i)
                if m:
                    i = m.end()
                    continue
                if len(s) - i < 32:  # a sequence cut by the read: wait for the rest
                    self.pending = s[i:]
                    return
                i += 2
                continue
            if c == "\r":
                self.x = 0
            elif c == "\n":
                self.y = min(self.y + 1, ROWS - 1)
            elif c >= " ":
                w = 2 if unicodedata.east_asian_width(c) in "WF" else 1
                if self.y < ROWS and self.x < COLS:
                    self.g[self.y][self.x] = c
                    if w == 2 and self.x + 1 < COLS:
                        self.g[self.y][self.x + 1] = ""
                self.x += w
            i += 1
    def csi(self, p, f):
        n = [int(v) if v.isdigit() else 0 for v in p.lstrip("?").split(";")] if p else []
        if f == "H":
            self.y = max((n[0] if n else 1) - 1, 0)
            self.x = max((n[1] if len(n) > 1 else 1) - 1, 0)
        elif f == "J" and (n[:1] or [0])[0] == 2:
            self.g = [[" "] * COLS for _ in range(ROWS)]
        elif f == "K":
            for x in range(self.x, COLS):
                self.g[self.y][x] = " "
    def row(self, y):
        return "".join(self.g[y])

pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    os.environ["TERM"] = "xterm-256color"
    os.environ["BROADSHEET_TIMINGS"] = "1"  # the reader's own phase times, to a file
    err = os.open(os.environ["TIMINGS"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(err, 2)
    os.execv(args[0], args)
t0 = time.monotonic()
scr = Screen()

def pump(timeout):
    r, _, _ = select.select([fd], [], [], timeout)
    if r:
        try:
            scr.feed(os.read(fd, 1 << 16).decode("utf-8", "replace"))
        except OSError:
            return False
    return True

def wait(what, ok):
    end = time.monotonic() + WAIT
    while time.monotonic() < end:
        if ok():
            return time.monotonic()
        if not pump(0.005):
            break
    print(f"{label}: timed out waiting for {what}; the screen:", file=sys.stderr)
    print("\n".join(scr.row(y) for y in range(ROWS)), file=sys.stderr)
    os.kill(pid, signal.SIGKILL)
    sys.exit(1)

def hwm():
    with open(f"/proc/{pid}/status") as f:
        v = dict(l.split(":", 1) for l in f if ":" in l)
    return int(v["VmHWM"].split()[0]) // 1024

listed = lambda: re.search(r"Stories [1-9]", scr.row(0)) and "loading" not in scr.row(ROWS - 1)
t_list = wait("the whole list", listed)
n = re.search(r"Stories (\d+)", scr.row(0)).group(1)
mem_list = hwm()
before = scr.row(0)
t1 = time.monotonic()
os.write(fd, b"G")
shown = lambda: (scr.row(0) != before and re.search(r"\d+ min", scr.row(1))
                 and "loading" not in scr.row(1) + scr.row(2))
t_open = wait("the last story", shown) - t1
quiet = lambda: not re.search(r"indexing|cleaning", scr.row(ROWS - 1))
t_bg = wait("the background work to end", quiet) if os.environ.get("BACKGROUND") != "0" else float("nan")
mem_end = hwm()
rss = 0
with open(f"/proc/{pid}/status") as f:
    for l in f:
        if l.startswith("VmRSS:"):
            rss = int(l.split()[1]) // 1024
os.write(fd, b"q")
end = time.monotonic() + 10
while time.monotonic() < end and pump(0.05):
    if os.waitpid(pid, os.WNOHANG)[0]:
        break
print(f"{label:34} list {n} stories: {t_list - t0:7.3f} s, {mem_list:5d} MB peak | "
      f"G: last story {t_open * 1000:5.0f} ms | background done {t_bg - t0:7.1f} s, "
      f"{mem_end:5d} MB peak, {rss} MB now")
EOF
  grep -h '^timing:' "$TMP/timings" | sed 's/^/    /' || true
}

[ "${NOINDEX:-1}" = 0 ] || drive "no index (--no-index)" "$BIN" --no-index "$DIR"
if [ ! -s "$BROADSHEET_INDEX" ]; then
  /usr/bin/time -f '%e s, %M KB peak' -o "$TMP/time" "$BIN" index "$DIR" >/dev/null 2>&1 || true
  echo "build the index (broadsheet index): $(cat "$TMP/time")"
fi
drive "with the index" "$BIN" "$DIR"
drive "with the index (again)" "$BIN" "$DIR"
