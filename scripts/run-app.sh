#!/usr/bin/env bash
# Installs what is missing, builds the UI and the desktop app, and launches it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
npm --prefix ui run build --silent
# custom-protocol makes the binary serve the embedded UI instead of the dev server URL.
cargo build -p yiben-desktop --features tauri/custom-protocol
exec "$CARGO_TARGET_DIR/debug/yiben-desktop" "$@"
