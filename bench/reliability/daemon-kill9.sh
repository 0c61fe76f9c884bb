#!/usr/bin/env bash
# Chaos: kill -9 the daemon with scans running and queued, restart it on the same --data-dir, and check that
# every accepted scan is accounted for (each ends SUCCEEDED, or INTERRUPTED with --on-restart interrupt).
# Usage: bench/reliability/daemon-kill9.sh [SCANS] [rerun|interrupt]   (build first: mvn -B -q package -DskipTests)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); cd "$ROOT"
SCANS=${1:-4}; POLICY=${2:-rerun}
SHARED=${ABSCAN_SHARED:-$ROOT/../shared}
MODEL=$SHARED/models/keras/mnist_badnets_pattern_all_to_one.h5
TMP=$(mktemp -d "${TMPDIR:-/tmp}/abscan-kill9.XXXXXX")
for d in "$SHARED"/data/seeds/mnist-5pc/*/; do l=$(basename "$d"); mkdir -p "$TMP/seeds/$l"; cp "$d/$(ls "$d" | sort | head -1)" "$TMP/seeds/$l/"; done
echo "chaos-token chaos" >"$TMP/tokens"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export ABSCAN_TOKEN=chaos-token
start() {
  bin/abscand --port "$PORT" --data-dir "$TMP/data" --workers 1 --auth-tokens "$TMP/tokens" \
    --on-restart "$POLICY" >>"$TMP/daemon.log" 2>&1 &
  DAEMON=$!
  for _ in $(seq 60); do bin/abscan health --server "127.0.0.1:$PORT" >/dev/null 2>&1 && return; sleep 1; done
  echo "daemon did not start; see $TMP/daemon.log" >&2; exit 1
}
outcome() { { bin/abscan get "$1" --server "127.0.0.1:$PORT" 2>/dev/null || true; } | sed -n 's/^state *//p'; }
state() { outcome "$1" | awk '{print $1}' | tr -d :; }
start
ids=()
for i in $(seq "$SCANS"); do
  ids+=("$(bin/abscan scan "$MODEL" --seeds "$TMP/seeds" --input-range 0,1 --server "127.0.0.1:$PORT" --detach)")
done
for _ in $(seq 120); do [ "$(state "${ids[0]}")" = RUNNING ] && break; sleep 0.5; done
# One call for the snapshot, right before the kill (scans move on while several JVMs start).
snapshot=$(bin/abscan list --server "127.0.0.1:$PORT" 2>/dev/null || true)
kill -9 "$DAEMON"; wait "$DAEMON" 2>/dev/null || true
declare -A before
for id in "${ids[@]}"; do before[$id]=$(grep -o "$id *[A-Z]*" <<<"$snapshot" | awk '{print $2}'); done
t0=$(date +%s.%N)
start
echo "restarted in $(python3 -c "print(round($(date +%s.%N)-$t0,1))") s (JVM start to SERVING)"
printf '%-44s %-10s %s\n' SCAN BEFORE_KILL AFTER_RESTART
ok=0
for id in "${ids[@]}"; do
  for _ in $(seq 600); do s=$(state "$id"); case $s in SUCCEEDED|FAILED|CANCELLED) break;; esac; sleep 1; done
  o=$(outcome "$id")
  printf '%-44s %-11s %s\n' "$id" "${before[$id]}" "$o"
  # rerun: everything succeeds; interrupt: the scan that was running ends FAILED "the daemon restarted ..."
  if [ "$s" = SUCCEEDED ] || { [ "$POLICY" = interrupt ] && [ "${before[$id]}" = RUNNING ] && grep -q "restarted" <<<"$o"; }; then
    ok=$((ok+1))
  fi
done
listed=$(bin/abscan list --server "127.0.0.1:$PORT" 2>/dev/null | grep -c '^scan-' || true)
kill "$DAEMON"; wait "$DAEMON" 2>/dev/null || true
echo "$ok/${#ids[@]} accepted scans accounted for; the daemon lists $listed scan(s); logs in $TMP"
[ "$ok" -eq "${#ids[@]}" ]
