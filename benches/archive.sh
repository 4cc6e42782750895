#!/usr/bin/env bash
# Benchmark a big archive, whole commands timed from the shell as a user meets them: the
# first list (no index yet), list again, building the index, re-opening with it, searches
# of a common and a rare word, peak memory of each, and ripgrep's time to scan the same
# folder (run between the lists, so both meet the same load).
#
#   python3 ../shared/tools/gen_archive.py /tmp/gen100k 100000 --seed 7   # ~830 MB, once
#   benches/archive.sh [DIR]                                      # default /tmp/gen100k
#   BIN=/tmp/old/target/release/broadsheet FIRST=0 benches/archive.sh DIR   # another build
#   SKIP_FLOOR=1 benches/archive.sh DIR                           # without the floor bench
#
# Needs ripgrep and GNU time (apt-get install ripgrep time). Not a test: figures only.
# The state and index go to a temporary folder, never the user's.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/gen100k}
[ -d "$DIR" ] || { echo "no archive at $DIR (see the top of this script)" >&2; exit 2; }
command -v rg >/dev/null || { echo "needs ripgrep: apt-get install ripgrep" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

# BIN=path/to/broadsheet measures another build (an older one, say), with the index
# bench beside it (BENCH=path, else the newest deps/index-* next to BIN); FIRST=0 skips
# the first two lists with no index (a version whose list builds the index then)
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin broadsheet --bench index
  BIN=target/release/broadsheet
fi
BENCH=${BENCH:-$(ls -t "$(dirname "$BIN")"/deps/index-* | grep -v '\.d$' | head -1)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export BROADSHEET_STATE=$TMP/state.sqlite BROADSHEET_INDEX=$TMP/index.sqlite
export BROADSHEET_TIMINGS=1   # the index's phases, on stderr (shown for the build)

files=$(find "$DIR" -type f | wc -l)
size=$(du -sh "$DIR" | cut -f1)
echo "archive: $DIR ($files files, $size); $(nproc) cores; page cache warm for all runs"
echo "at $(date -u '+%F %T UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
rg -l zzqx "$DIR" >/dev/null 2>&1 || true   # warm the page cache for everyone
broadsheet_count() { wc -l <"$TMP/out"; }

# run LABEL CMD...: wall time and peak RSS of one command, stdout kept in $TMP/out
run() {
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err" || {
    echo "$label: failed"; cat "$TMP/err" >&2; exit 1; }
  read -r secs kb <"$TMP/time"
  printf '%-44s %8.3f s  %6d MB peak RSS  (%s lines)\n' "$label" "$secs" $((kb / 1024)) "$(broadsheet_count)"
}

# rg exits 1 when nothing matches, as here
rg_scan=(bash -c 'rg -l zzqx "$1"; [ $? -le 1 ]' _ "$DIR")
run "ripgrep: rg -l zzqx DIR"                 "${rg_scan[@]}"
run "ripgrep: rg -l zzqx DIR (again)"         "${rg_scan[@]}"
# a new user: no index yet; list prints what the quick scan finds and builds nothing
if [ "${FIRST:-1}" != 0 ]; then
  run "first list (no index yet)"             "$BIN" list "$DIR"
  run "ripgrep: rg -l zzqx DIR (again)"       "${rg_scan[@]}"
  run "list again (still no index)"           "$BIN" list "$DIR"
fi
run "list --no-index"                         "$BIN" list --no-index "$DIR"
# the index: built by `broadsheet index` (or the first search, or the reader)
run "build the index (broadsheet index)"      "$BIN" index "$DIR"
sed 's/^/    /' "$TMP/err"
# the list shown: from main() to the last row written and flushed (BROADSHEET_TIMINGS);
# the whole command then stats every file for one changed in place
shown() { sed -n 's/^timing: \(list\|results\) shown: /    shown after (in process):                   /p' "$TMP/err"; }
run "re-open: list with the index"            "$BIN" list "$DIR"
shown
run "re-open: list with the index (again)"    "$BIN" list "$DIR"
shown
run "list --json with the index"              "$BIN" list --json "$DIR"
shown
echo "index file: $(du -sh "$TMP"/index.sqlite | cut -f1)"
# in-process figures: what the reader will call (index already built)
"$BENCH" "$DIR" "$TMP/index.sqlite" "$TMP/words"
read -r common common_word rare <"$TMP/words"
run "search \"$common\" (whole command)"        "$BIN" search "$common" "$DIR"
shown
run "search \"$common_word\" (whole command)"   "$BIN" search "$common_word" "$DIR"
shown
run "search \"$rare\" (whole command)"          "$BIN" search "$rare" "$DIR"
shown
# the floor under the build: each step of it timed alone on 5,000 stories (benches/floor.rs)
if [ -z "${FLOOR:-}" ] && [ -z "${SKIP_FLOOR:-}" ]; then
  cargo build --release --quiet --bench floor
  FLOOR=$(ls -t target/release/deps/floor-* | grep -v '\.d$' | head -1)
fi
if [ -z "${SKIP_FLOOR:-}" ]; then
  echo "the build's floor (benches/floor.rs; beside 20x ripgrep):"
  "$FLOOR" "$DIR" 5000 | sed 's/^/    /'
fi
