#!/usr/bin/env bash
# Installs what Frontdesk needs on a fresh Debian machine (run as root, or with sudo available):
# WebKitGTK and the GTK stack, Xvfb, a keyring and a notification daemon, the WebDriver bridge
# for end-to-end tests, PostgreSQL (the clinic hub and its tests start their own clusters) and
# libclang (SQLite changesets), Rust and Node.js when missing, and the UI's npm packages.
#   scripts/setup.sh            everything to build and run the app
#   scripts/setup.sh --tests    also tauri-driver for the end-to-end tests
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--tests" ] && want_tests=1

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi

packages=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev
  libayatana-appindicator3-dev libxdo-dev libssl-dev libdbus-1-dev pkg-config build-essential curl ca-certificates
  xvfb xauth imagemagick webkit2gtk-driver gnome-keyring dbus dbus-x11 libsecret-tools dunst xz-utils util-linux
  postgresql libclang-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "setup: installing Rust (rustup, stable)"
    curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt >/dev/null
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

# The UI build (Vite 8) needs Node.js ^20.19 or >= 22.12.
node_ok() {
  command -v node >/dev/null || return 1
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) || (a === 20 && b >= 19) ? 0 : 1)'
}
if ! node_ok; then
  echo "setup: Node.js ^20.19 or >= 22.12 is needed for the UI build (found: $(node --version 2>/dev/null || echo none)); trying Debian's nodejs"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null || true
  hash -r
fi
if ! node_ok; then
  case "$(uname -m)" in
    x86_64) node_arch=x64 ;;
    aarch64 | arm64) node_arch=arm64 ;;
    *) echo "setup: no Node.js build for $(uname -m); install Node.js 22 and rerun" >&2; exit 1 ;;
  esac
  node_file=$(curl -fsSL https://nodejs.org/dist/latest-v22.x/SHASUMS256.txt | awk -v a="linux-${node_arch}.tar.xz" '$2 ~ a"$" {print $2}')
  echo "setup: Debian's Node.js is too old; installing ${node_file%.tar.xz} from nodejs.org into /usr/local"
  curl -fsSL "https://nodejs.org/dist/latest-v22.x/${node_file}" | $SUDO tar -xJ -C /usr/local --strip-components=1
  hash -r
  node_ok || { echo "setup: Node.js install failed; install Node.js 22 and rerun" >&2; exit 1; }
fi

if [ "$want_tests" = 1 ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver (WebDriver bridge for the end-to-end tests)"
  cargo install tauri-driver --locked --quiet
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing the UI's npm packages from the lockfile"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
