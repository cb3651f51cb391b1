#!/usr/bin/env bash
# Sets up dentfarm on a fresh Debian/Ubuntu machine: Chromium (if no
# Chromium is found), the npm dependencies, and the build. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

have_chromium() {
  for c in "${DENTFARM_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    [ -n "$c" ] && [ -x "$c" ] && return 0
  done
  return 1
}

if ! have_chromium; then
  echo "setup: installing Debian's chromium" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "setup: building" >&2
npm run --silent build
