#!/usr/bin/env bash
# Measures the desktop app itself: cold start to an interactive customer list, idle memory of
# all its processes, and the .deb size. Prints a Markdown section.
# Usage: bench/app.sh [CUSTOMERS] [RUNS]. Needs the release bundle (tauri build --bundles deb).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash "$0" "$@"
fi
source scripts/env.sh
customers=${1:-10000}
runs=${2:-5}
app="$CARGO_TARGET_DIR/release/yiben-desktop"
cargo build --release --bin yiben --quiet
yiben="$CARGO_TARGET_DIR/release/yiben"

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export XDG_DATA_HOME="$data"
"$yiben" --db "$data/cn.yiben.crm/yiben.db" bench seed --customers "$customers" >/dev/null

descendants() {  # a pid and every process below it
  echo "$1"
  for child in $(pgrep -P "$1"); do descendants "$child"; done
}
kb() { awk -v key="$2" '$1 == key":" { print $2 }' "$1" 2>/dev/null || true; }

starts=() rss=() pss=()
for _ in $(seq "$runs"); do
  log="$data/stderr.log"
  launched=$(date +%s%3N)
  YIBEN_STARTUP_PROBE=1 "$app" >/dev/null 2>"$log" &
  pid=$!
  for _ in $(seq 300); do grep -q "interactive at" "$log" && break; sleep 0.1; done
  ready=$(sed -n 's/.*interactive at \([0-9]*\).*/\1/p' "$log" | head -1)
  [ -n "$ready" ] || { echo "the app never became interactive:"; cat "$log"; exit 1; }
  starts+=($((ready - launched)))
  sleep 5  # idle
  total_rss=0 total_pss=0
  for p in $(descendants "$pid"); do
    total_rss=$((total_rss + $(kb "/proc/$p/status" VmRSS || echo 0)))
    total_pss=$((total_pss + $(kb "/proc/$p/smaps_rollup" Pss || echo 0)))
  done
  rss+=($((total_rss / 1024))) pss+=($((total_pss / 1024)))
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
max() { printf '%s\n' "$@" | sort -n | tail -1; }
deb=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb 2>/dev/null | head -1)
deb_mb=$([ -n "$deb" ] && awk -v b="$(stat -c %s "$deb")" 'BEGIN { printf "%.1f MB", b / 1048576 }' || echo "not built")

cat <<MD
### Desktop app (release build, $customers customers in the ledger, $runs launches)

| Figure | Median | Worst | Target |
|---|---|---|---|
| Cold start: launch → the 工作台 on screen with its data | $(median "${starts[@]}") ms | $(max "${starts[@]}") ms | ≤ 1500 ms |
| Idle memory, RSS summed over the app and its WebKit processes | $(median "${rss[@]}") MB | $(max "${rss[@]}") MB | ≤ 150 MB |
| Idle memory, PSS (shared pages counted once) | $(median "${pss[@]}") MB | $(max "${pss[@]}") MB | |
| \`.deb\` size | $deb_mb | | ≤ 15 MB |
MD
