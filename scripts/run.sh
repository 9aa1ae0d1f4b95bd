#!/usr/bin/env bash
# Sets up everything and runs Frontdesk on the demo clinic (release build).
#   scripts/run.sh [--data-dir <dir>]     default data dir: the OS app-data directory
# On a machine without a display it says so, runs the app under Xvfb and saves a screenshot.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

echo "run: building the UI and the app (release; the first build takes several minutes)"
(cd ui && npm run build --silent)
cargo build --release -p frontdesk-desktop
app=target/release/frontdesk

echo "run: demo accounts — receptionist: reception / frontdesk-demo, owner: owner / frontdesk-owner"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$app" --demo "$@"
fi

shot="$PWD/target/screenshots/run.png"
mkdir -p "$(dirname "$shot")"
echo "run: no display found (DISPLAY is unset); running the app under Xvfb instead"
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
export DISPLAY="$display"
dbus-run-session -- "$app" --demo "$@" &
pid=$!
sleep 8
import -window root "$shot"
echo "run: the app is running on the virtual display $display; a screenshot of its window is at $shot"
echo "run: press Ctrl+C to quit"
wait $pid
