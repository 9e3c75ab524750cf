#!/usr/bin/env bash
# Takes a screenshot of a running service's trace page with headless Chromium (Debian's chromium
# package), as docs/trace-page.png was taken from ./demo.sh's orders service:
#
#   docs/screenshot-trace-page.sh 'http://localhost:8081/actuator/traces#{traceId}/{spanId}' docs/trace-page.png 600
#
# A URL ending in #{traceId} shows that trace; #{traceId}/{spanId} also opens that span's details.
set -eu -o pipefail
url=${1:?usage: $0 URL OUT.png [HEIGHT]}
out=${2:?usage: $0 URL OUT.png [HEIGHT]}
height=${3:-700}
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install -y chromium)" >&2; exit 1; }
# --virtual-time-budget lets the page fetch and draw the trace before the picture is taken.
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size="1360,$height" --virtual-time-budget=5000 --screenshot="$out" "$url" 2>/dev/null
echo "wrote $out"
