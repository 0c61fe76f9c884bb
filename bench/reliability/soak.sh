#!/usr/bin/env bash
# Soak: bench/reliability/soak.sh [SCANS=200] [WORKERS=2] [MAX_SCANS=50] [CONCURRENCY=WORKERS]
# Starts bin/abscand --workers WORKERS --worker-max-scans MAX_SCANS and runs SCANS scans of the demo model (one
# layer, short optimisation; a few seconds each) through the pool with soak.py (Python client venv:
# clients/python/setup first), printing worker RSS, recycles, daemon threads and fds as it goes.
# Build first: mvn -B -q package -DskipTests.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); cd "$ROOT"
SCANS=${1:-200}; WORKERS=${2:-2}; MAX_SCANS=${3:-50}; CONCURRENCY=${4:-$WORKERS}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/abscan-soak.XXXXXX")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bin/abscand --port "$PORT" --data-dir "$TMP/data" --workers "$WORKERS" --worker-max-scans "$MAX_SCANS" \
  --model-root "$ROOT/demo" --job-store memory >"$TMP/daemon.log" 2>&1 &
DAEMON=$!
trap 'kill $DAEMON 2>/dev/null; wait $DAEMON 2>/dev/null || true' EXIT
for _ in $(seq 120); do grep -q "listening" "$TMP/daemon.log" && break; sleep 1; done
# Workers start in the background; wait until all are up so "start" is the steady state.
for _ in $(seq 120); do [ "$(grep -c 'started, pid' "$TMP/daemon.log")" -ge "$WORKERS" ] && break; sleep 1; done
echo "abscand pid $DAEMON, --workers $WORKERS --worker-max-scans $MAX_SCANS, $SCANS scans, $CONCURRENCY at a time;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg); logs in $TMP"
rc=0
PYTHONPATH=clients/python/src clients/python/.venv/bin/python bench/reliability/soak.py "127.0.0.1:$PORT" "$DAEMON" \
  "$ROOT/demo/models/trojaned.pb" "$ROOT/demo/seeds" "$SCANS" "$CONCURRENCY" 20 || rc=$?
echo "recycles logged: $(grep -c 'recycling worker' "$TMP/daemon.log" || true);" \
  "worker deaths logged: $(grep -c 'starting a replacement' "$TMP/daemon.log" || true);" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
kill "$DAEMON"; wait "$DAEMON" 2>/dev/null || true; trap - EXIT
exit $rc
