#!/usr/bin/env bash
# Measures the customer list in the real desktop app: from the user's action (opening 客户,
# scrolling to the end, typing a search, picking a filter) to the rows on screen, over a
# generated ledger. Prints a Markdown section.
# Usage: bench/ui.sh [CUSTOMERS] [RUNS]. Needs the release app (tauri build --bundles deb, as
# bench/app.sh) and tauri-driver with WebKitWebDriver (as the end-to-end tests).
# The seeded ledger is kept in $UI_LEDGER_CACHE (seeding a million customers takes minutes);
# each run works on a fresh copy of it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash "$0" "$@"
fi
source scripts/env.sh
customers=${1:-1000000}
runs=${2:-20}
app="$CARGO_TARGET_DIR/release/yiben-desktop"
[ -x "$app" ] || { echo "no release app at \$CARGO_TARGET_DIR/release/yiben-desktop: run scripts/tauri.sh build --bundles deb" >&2; exit 1; }
cargo build --release --bin yiben --quiet
yiben="$CARGO_TARGET_DIR/release/yiben"

# One ledger per size and schema; tag links as in the tags benchmark (2.5 per customer,
# skewed: four tags take half of them), so the tag chips have customers behind them.
cache=${UI_LEDGER_CACHE:-$HOME/.cache/yiben/bench}
schema=$(ls migrations | tail -1)
ledger="$cache/ui-$customers-${schema%.sql}.db"
if [ ! -f "$ledger" ]; then
  mkdir -p "$cache"
  echo "ui: seeding $customers customers (once; kept for the next run)" >&2
  rm -f "$ledger.tmp"
  "$yiben" --db "$ledger.tmp" bench seed --customers "$customers" >/dev/null
  links=$(awk -v n="$customers" 'BEGIN { printf "%d", n * 2.5 }')
  sqlite3 "$ledger.tmp" <<SQL
WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n + 1 < $links)
INSERT OR IGNORE INTO customer_tags (tag_id, customer_id, auto)
SELECT CASE WHEN n % 2 = 0 THEN n / 2 % 4 + 1 ELSE n / 2 % 13 + 5 END, n * 7919 % $customers + 1, 0
FROM k;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  mv "$ledger.tmp" "$ledger"
fi

# Another WebDriver run in progress would have its app ended with ours: wait for it.
while pgrep -x tauri-driver >/dev/null || pgrep -x WebKitWebDriver >/dev/null; do
  echo "ui: waiting for another WebDriver run to finish" >&2
  sleep 20
done

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
mkdir -p "$data/cn.yiben.crm"
cp "$ledger" "$data/cn.yiben.crm/yiben.db"
# The accessibility bus announces itself on stdout; the report is the rest.
YIBEN_APP="$app" node bench/ui.mjs "$data" "$customers" "$runs" | grep -v '^SpiRegistry daemon'

