# Shared by the scripts: one build directory outside the clone, reused across clones and runs.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/yiben/target}"
export PATH="$HOME/.cargo/bin:$PATH"
