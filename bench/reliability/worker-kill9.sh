#!/usr/bin/env bash
# Chaos: kill -9 a worker process mid-scan under a real bin/abscand --workers 2 and report what happened: the
# scan on that worker must FAIL (worker crashed, with the signal), the scan on the other worker and the queued
# ones must succeed, the daemon must stay SERVING, the worker must be replaced, and a later scan must succeed.
# Usage: bench/reliability/worker-kill9.sh [SCANS=4]   (build first: mvn -B -q package -DskipTests)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); cd "$ROOT"
SCANS=${1:-4}
MODEL=$ROOT/demo/models/trojaned.pb; SEEDS=$ROOT/demo/seeds
TMP=$(mktemp -d "${TMPDIR:-/tmp}/abscan-worker-kill9.XXXXXX")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
S=127.0.0.1:$PORT
bin/abscand --port "$PORT" --data-dir "$TMP/data" --workers 2 --model-root "$ROOT/demo" >"$TMP/daemon.log" 2>&1 &
DAEMON=$!
trap 'kill $DAEMON 2>/dev/null; wait $DAEMON 2>/dev/null || true' EXIT
for _ in $(seq 120); do [ "$(grep -c 'started, pid' "$TMP/daemon.log")" -ge 2 ] && break; sleep 1; done
workers() { pgrep -P "$DAEMON" -f WorkerMain | sort | tr '\n' ' '; }
state() { { bin/abscan get "$1" --server "$S" 2>/dev/null || true; } | sed -n 's/^state *//p'; }
echo "abscand pid $DAEMON; workers: $(workers); load average $(cut -d' ' -f1-3 /proc/loadavg)"
ids=()
for _ in $(seq "$SCANS"); do
  ids+=("$(bin/abscan scan "$MODEL" --seeds "$SEEDS" --server "$S" --server-paths --detach)")
done
for _ in $(seq 240); do
  running=$(bin/abscan list --server "$S" 2>/dev/null | grep -c RUNNING || true)
  [ "$running" -ge 2 ] && break; sleep 0.5
done
sleep 3 # into TensorFlow work
victim=$(pgrep -P "$DAEMON" -f WorkerMain | head -1)
echo "before kill: $(bin/abscan list --server "$S" | grep -c RUNNING) RUNNING, $(bin/abscan list --server "$S" | grep -c QUEUED) QUEUED"
t0=$(date +%s.%N)
echo "kill at $(date -u +%T.%3N) UTC"; kill -9 "$victim"
echo "kill -9 worker pid $victim"
for _ in $(seq 120); do bin/abscan list --server "$S" 2>/dev/null | grep -q FAILED && break; sleep 0.5; done
echo "a scan ended $(python3 -c "print(round($(date +%s.%N)-$t0,1))") s after the kill; health: $(bin/abscan health --server "$S" 2>&1)"
ok=0; crashed=0
printf '%-44s %s\n' SCAN OUTCOME
for id in "${ids[@]}"; do
  for _ in $(seq 600); do s=$(state "$id"); case $s in SUCCEEDED*|FAILED*|CANCELLED*) break;; esac; sleep 1; done
  printf '%-44s %s\n' "$id" "$s"
  case $s in SUCCEEDED*) ok=$((ok+1));; FAILED*signal\ 9*) crashed=$((crashed+1));; esac
done
echo "workers now: $(workers) (the killed one was $victim)"
set +e
bin/abscan scan "$MODEL" --seeds "$SEEDS" --server "$S" --server-paths --quiet --layers conv1/Relu --top-k 2 --re-steps 40
next=$?
set -e
echo "next scan exit code $next (10 = TROJANED, 0 = BENIGN); health: $(bin/abscan health --server "$S" 2>&1)"
grep -E "WorkerCall|WorkerPool" "$TMP/daemon.log" | grep -E "SIGKILL|replacement" | sed 's/^/log: /' | cut -c1-220
# The daemon itself killed -9 must not leave its workers behind: they watch their stdin (a pipe from it).
left=$(workers)
kill -9 "$DAEMON"; wait "$DAEMON" 2>/dev/null || true; trap - EXIT
orphans=""
for _ in $(seq 20); do orphans=""; for p in $left; do kill -0 "$p" 2>/dev/null && orphans="$orphans $p"; done
  [ -z "$orphans" ] && break; sleep 0.5; done
echo "daemon kill -9: workers $left ${orphans:+still alive:$orphans}${orphans:-all exited}"
echo "result: $crashed scan(s) failed with the worker's SIGKILL, $ok succeeded, of ${#ids[@]}; logs in $TMP"
[ -z "$orphans" ] && [ "$crashed" -eq 1 ] && [ $((ok + crashed)) -eq "${#ids[@]}" ] && { [ "$next" -eq 10 ] || [ "$next" -eq 0 ]; }
