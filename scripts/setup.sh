#!/usr/bin/env bash
# Installs what building, running and testing Yiben needs on Debian/Ubuntu.
# Safe to run again: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=(
  # Tauri on Linux
  libwebkit2gtk-4.1-dev build-essential curl wget file pkg-config libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev
  # Headless end-to-end tests: a display, a session bus, a notification daemon, WebDriver
  xvfb xauth dbus-x11 dunst webkit2gtk-driver
  # Without a CJK font every Chinese character renders as a box
  fonts-noto-cjk
  python3-pip
  # The end-to-end test of a notification service that never answers
  python3-dbus python3-gi
  # The encryption test shows a plain sqlite3 cannot read an encrypted ledger
  # (SQLCipher itself is built from source and links libssl-dev's libcrypto, listed above)
  sqlite3
)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "setup: installing the Rust toolchain (rustup)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  # shellcheck disable=SC1091
  source "$HOME/.cargo/env"
fi

if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is required (https://nodejs.org or your distribution's nodejs 20+ package)" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
for dir in ui tests/e2e; do
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "setup: npm ci in $dir"
    # npm 11 can refuse its own lock file in `npm ci` ("Missing: @rollup/rollup-android-…"):
    # the lock omits other platforms' optional packages. `npm install` honours the same lock.
    (cd "$dir" && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null \
      || npm install --no-audit --no-fund --loglevel=error; })
  fi
done

# The export tests read written workbooks back with openpyxl as a second, independent reader.
if ! python3 -c 'import openpyxl' 2>/dev/null; then
  echo "setup: installing openpyxl"
  python3 -m pip install --quiet openpyxl 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages openpyxl 2>/dev/null \
    || sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-openpyxl >/dev/null
fi

# Fuzzing: cargo-fuzz builds with the sanitizer flags only nightly accepts.
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "setup: installing the nightly toolchain (for cargo fuzz)"
  rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null; then
  echo "setup: installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

if ! command -v tauri-driver >/dev/null; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi
