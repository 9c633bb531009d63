#!/usr/bin/env bash
# The Tauri CLI, run from the repository root with the front-end folder named explicitly:
# left to itself it picks whichever package.json it finds first (tests/e2e has one too).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export TAURI_FRONTEND_PATH="$PWD/ui"
exec ui/node_modules/.bin/tauri "$@"
