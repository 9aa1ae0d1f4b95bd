#!/usr/bin/env bash
# Sets up everything and runs all the tests: formatting, lints, the UI type check and unit tests, the core's
# tests on real SQLite files, the binding drift check, and the end-to-end test in the real window
# (under Xvfb and a private D-Bus session).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

step() { echo; echo "== $*"; }

step "UI: type check, unit tests (vitest) and build (the app embeds ui/dist)"
(cd ui && npx --no-install svelte-check --tsconfig ./tsconfig.json --threshold error --output human \
  && npx --no-install vitest run && npm run build --silent)

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test (core, bindings drift, end to end under Xvfb + D-Bus)"
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- cargo test --workspace --no-fail-fast 2>&1
echo
echo "screenshots: $(ls target/screenshots/*.png 2>/dev/null | tr '\n' ' ')"
