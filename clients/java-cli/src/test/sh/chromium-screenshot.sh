#!/usr/bin/env bash
# Renders a local HTML file in headless Chromium and saves a screenshot; Chromium's own log (console messages
# included, as "CONSOLE" lines) goes to stderr for the caller to check.
#   chromium-screenshot.sh PAGE.html SHOT.png [WIDTHxHEIGHT]
# Exit 0 rendered; 77 Chromium absent and not installable here (the caller skips); other codes: failures.
# Chromium comes from the Debian package "chromium"; when it is absent and this runs as root with apt-get
# (a CI container), it is installed first, unless ABSCAN_NO_INSTALL=1.
set -uo pipefail
page=$1 shot=$2 size=${3:-1280,2000}

find_chromium() {
  for c in "${ABSCAN_CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && { command -v "$c"; return 0; }
  done
  return 1
}

bin=$(find_chromium)
if [ -z "$bin" ]; then
  if [ "${ABSCAN_NO_INSTALL:-}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium-screenshot: installing the Debian package chromium (apt-get)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1
    bin=$(find_chromium)
  fi
  if [ -z "$bin" ]; then
    echo "chromium-screenshot: no chromium on PATH and it cannot be installed here (not root, or no apt-get)" >&2
    exit 77
  fi
fi

profile=$(mktemp -d "${TMPDIR:-/tmp}/abscan-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT
# No network, no first-run or background traffic: the report must render from the file alone.
timeout 120 "$bin" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
  --user-data-dir="$profile" --enable-logging=stderr --v=0 --hide-scrollbars \
  --window-size="$size" --screenshot="$shot" "file://$(readlink -f "$page")"
