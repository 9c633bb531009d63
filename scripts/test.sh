#!/usr/bin/env bash
# Runs every test: core (cargo), UI unit (Vitest), and end-to-end through the real app.
# Ends with one summary line per runner.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
source scripts/env.sh
logs=$(mktemp -d)
failed_steps=()

step() {  # step NAME LOG COMMAND...
  local name=$1 log=$2 started=$SECONDS; shift 2
  echo "==> $name"
  "$@" 2>&1 | tee "$logs/$log"
  local status=${PIPESTATUS[0]}
  echo "<== $name: exit status $status after $((SECONDS - started)) s"
  [ "$status" -eq 0 ] || failed_steps+=("$name")
}

step "core tests (cargo test)" core.log cargo test --color never
# cargo test regenerates the TypeScript DTOs; a difference means they were not committed.
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- ui/src/bindings; then
  echo "ui/src/bindings is out of date with the Rust types: commit the regenerated files"
  git --no-pager diff --stat -- ui/src/bindings
  failed_steps+=("bindings up to date")
fi
step "UI type check" typecheck.log npm --prefix ui run --silent typecheck
step "UI unit tests (vitest)" ui.log npm --prefix ui test --silent -- --reporter=default --no-color
step "UI build" uibuild.log npm --prefix ui run --silent build
step "desktop build" desktop.log cargo build -p yiben-desktop --features tauri/custom-protocol --color never
# A short run of every fuzz target (its own workspace, nightly, sanitizers) over a corpus seeded
# from the fixtures; a crash fails the step and leaves its input in fuzz/artifacts/<target>.
# Builds beside the main target directory: the sanitizer flags would rebuild it from scratch.
fuzz() {
  local target_dir status=0 name
  target_dir="$(dirname "$CARGO_TARGET_DIR")/fuzz-target"
  (cd fuzz && CARGO_TARGET_DIR="$target_dir" cargo +nightly fuzz build) || return 1
  for name in decode_csv header cells filter workbook; do
    mkdir -p "fuzz/corpus/$name"
    echo "fuzz target $name"
    (cd fuzz && CARGO_TARGET_DIR="$target_dir" cargo +nightly fuzz run "$name" "corpus/$name" "seeds/$name" -- \
      -max_total_time="${FUZZ_SECONDS:-20}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1) || status=1
  done
  return $status
}
step "fuzzing (cargo fuzz)" fuzz.log fuzz

export YIBEN_APP="$CARGO_TARGET_DIR/debug/yiben-desktop"
# The verdict is the test runner's own exit status. The X server and session bus around it
# are scaffolding: a run has been seen to hang in their teardown after every test passed,
# so once the runner has finished they get a short grace period and are then stopped.
export E2E_STATUS="$logs/e2e.status"
e2e() {
  timeout -k 20 1200 xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
    bash -c 'cd tests/e2e && node --test --test-force-exit --test-concurrency=1 --test-reporter=spec
             echo $? > "$E2E_STATUS"' &
  local wrapper=$!
  while kill -0 "$wrapper" 2>/dev/null && [ ! -f "$E2E_STATUS" ]; do sleep 1; done
  for _ in $(seq 15); do kill -0 "$wrapper" 2>/dev/null || break; sleep 1; done
  if kill -0 "$wrapper" 2>/dev/null; then
    echo "(the display and session bus did not shut down; stopping them)"
    kill "$wrapper"
  fi
  wait "$wrapper" 2>/dev/null
  pkill -x tauri-driver; pkill -x WebKitWebDriver; pkill -x yiben-desktop
  [ -f "$E2E_STATUS" ] && return "$(cat "$E2E_STATUS")"
  echo "the end-to-end runner never finished"; return 1
}
step "end-to-end tests (tauri-driver)" e2e.log e2e

echo
echo "==> summary"
[ "${#failed_steps[@]}" -gt 0 ] && printf 'failed step: %s\n' "${failed_steps[@]}"
core_passed=$(grep '^test result:' "$logs/core.log" | grep -o '[0-9]* passed' | awk '{s+=$1} END {print s+0}')
core_failed=$(grep '^test result:' "$logs/core.log" | grep -o '[0-9]* failed' | awk '{s+=$1} END {print s+0}')
ui_passed=$(grep -E '^\s*Tests' "$logs/ui.log" | grep -o '[0-9]* passed' | awk '{print $1+0}')
ui_failed=$(grep -E '^\s*Tests' "$logs/ui.log" | grep -o '[0-9]* failed' | awk '{print $1+0}')
e2e_passed=$(grep -E '^ℹ pass ' "$logs/e2e.log" | awk '{print $3+0}')
e2e_failed=$(grep -E '^ℹ fail ' "$logs/e2e.log" | awk '{print $3+0}')
echo "core: ${core_passed:-0} passed, ${core_failed:-0} failed"
echo "ui: ${ui_passed:-0} passed, ${ui_failed:-0} failed"
echo "e2e: ${e2e_passed:-0} passed, ${e2e_failed:-0} failed"
fuzz_targets=$(grep -c '^fuzz target ' "$logs/fuzz.log")
fuzz_runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/fuzz.log" | awk '{s+=$2} END {print s+0}')
fuzz_crashes=$(grep -c 'Test unit written to' "$logs/fuzz.log")
echo "fuzz: ${fuzz_targets:-0} targets, ${fuzz_runs:-0} executions, ${fuzz_crashes:-0} crashes"
[ "${#failed_steps[@]}" -eq 0 ]
