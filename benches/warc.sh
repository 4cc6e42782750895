#!/usr/bin/env bash
# Benchmark a big web archive (issue 13's targets): news-sh's saved pages packed 20 times
# over by make_warc.py (about 120 MB); `gzip -dc` of it, the first `list` (no index) and
# `list --no-index`, with wall time, CPU time and peak RSS, and their ratio to gzip's
# wall time (the target: 3 times, under 200 MB); then the index built, and stories of the
# crawl read as the reader reads them, each from its record (the target: under 100 ms).
#
#   benches/warc.sh [REPEAT]          # default 20; needs ../shared and GNU time
#
# Not a test: figures only. gzip runs between the lists, so all meet the same load; on a
# shared machine compare the ratios, not the seconds. State and index go to a temporary
# folder, never the user's.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT=${1:-20}
SHARED=../shared
HTML=$SHARED/corpus/news-sh/html
[ -d "$HTML" ] || { echo "no $HTML (the shared corpus)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

cargo build --release --quiet --bin broadsheet --example open_story
BIN=target/release/broadsheet
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export BROADSHEET_STATE=$TMP/state.sqlite BROADSHEET_INDEX=$TMP/index.sqlite
CRAWL=$TMP/news-sh-x$REPEAT.warc.gz
python3 "$SHARED/tools/make_warc.py" "$HTML" "$CRAWL" --truth "$HTML/ground-truth.json" \
  --extras --repeat "$REPEAT" >/dev/null
echo "crawl: news-sh x$REPEAT, $(du -h "$CRAWL" | cut -f1); $(nproc) cores"
echo "at $(date -u '+%F %T UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)"

# run LABEL CMD...: wall and CPU seconds and peak RSS of one command
run() {
  local label=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err" || {
    echo "$label: failed"; cat "$TMP/err" >&2; exit 1; }
  read -r secs user sys kb <"$TMP/time"
  last=$secs
  printf '%-30s %7.2f s  (CPU %6.2f s)  %5d MB peak RSS  %6d lines\n' \
    "$label" "$secs" "$(echo "$user + $sys" | bc)" $((kb / 1024)) "$(wc -l <"$TMP/out")"
}
ratio() { printf '%-30s %7.2f x gzip -dc\n' "  ratio" "$(echo "$last / $gz" | bc -l)"; }

unpack=(bash -c 'gzip -dc "$1" >/dev/null' _ "$CRAWL")   # as `gzip -dc FILE > /dev/null`
run "gzip -dc > /dev/null" "${unpack[@]}"; gz=$last
run "list (no index yet)" "$BIN" list "$CRAWL"; ratio
run "gzip -dc > /dev/null (again)" "${unpack[@]}"; gz=$last
run "list --no-index" "$BIN" list --no-index "$CRAWL"; ratio
run "build the index" "$BIN" index "$CRAWL"
target/release/examples/open_story "$CRAWL" "$BROADSHEET_INDEX" | sed 's/^/  /'
