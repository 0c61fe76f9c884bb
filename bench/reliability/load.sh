#!/usr/bin/env bash
# Load harness: bench/reliability/load.sh [CLIENTS=50] [ROUNDS=4] [WORKERS=1] [QUEUE=16]
# Starts bin/abscand on loopback with two tenants and a bounded queue and runs load.py with the Python client's
# venv (clients/python/setup first). Build first: mvn -B -q package -DskipTests.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); cd "$ROOT"
CLIENTS=${1:-50}; ROUNDS=${2:-4}; WORKERS=${3:-1}; QUEUE=${4:-16}
SHARED=${ABSCAN_SHARED:-$ROOT/../shared}
MODEL=${ABSCAN_LOAD_MODEL:-$SHARED/models/keras/mnist_badnets_baseline.h5}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/abscan-load.XXXXXX")
for d in "$SHARED"/data/seeds/mnist-5pc/*/; do l=$(basename "$d"); mkdir -p "$TMP/seeds/$l"; cp "$d/$(ls "$d" | sort | head -1)" "$TMP/seeds/$l/"; done
printf 'load-token-a tenant-a\nload-token-b tenant-b\n' >"$TMP/tokens"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bin/abscand --port "$PORT" --data-dir "$TMP/data" --workers "$WORKERS" --queue-capacity "$QUEUE" \
  --auth-tokens "$TMP/tokens" >"$TMP/daemon.log" 2>&1 &
DAEMON=$!
trap 'kill $DAEMON 2>/dev/null; wait $DAEMON 2>/dev/null' EXIT
for _ in $(seq 60); do grep -q "listening" "$TMP/daemon.log" && break; sleep 1; done
threads() { ls /proc/$DAEMON/task | wc -l; }
fds() { ls /proc/$DAEMON/fd | wc -l; }
rss() { awk '/VmRSS/ {print int($2/1024) " MiB"}' /proc/$DAEMON/status; }
echo "daemon before: threads $(threads), fds $(fds), RSS $(rss)"
PYTHONPATH=clients/python/src clients/python/.venv/bin/python bench/reliability/load.py "127.0.0.1:$PORT" \
  "$MODEL" "$TMP/seeds" "$CLIENTS" "$ROUNDS"
rc=$?
sleep 2
echo "daemon after:  threads $(threads), fds $(fds), RSS $(rss); logs in $TMP"
exit $rc
