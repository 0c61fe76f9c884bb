"""Soak: SCANS scans of a tiny model (the demo model, one layer, short optimisation) through abscand's worker pool,
CONCURRENCY at a time, by server path (no upload). Every SAMPLE scans it prints the workers' pids and RSS, the
pool's recycles so far (pid changes), and the daemon's threads, open fds and RSS, read from /proc. Exit 1 if any
scan does not succeed. Run through bench/reliability/soak.sh (starts the daemon)."""
import os
import subprocess
import sys
import threading
import time

import grpc

from abscan_client._gen.abscan.common.v1 import common_pb2
from abscan_client._gen.abscan.scan.v1 import report_pb2, scan_service_pb2 as scan_pb
from abscan_client._gen.abscan.scan.v1 import scan_service_pb2_grpc as scan_grpc

target, daemon_pid, model, seeds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
SCANS, CONCURRENCY, SAMPLE = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])

PARAMS = report_pb2.ScanParameters(layers=["conv1/Relu"], top_k=2, baseline_neurons=1, re_steps=40,
                                   triggers=["pixel"], samples=3)
REQUEST = scan_pb.ScanRequest(model=common_pb2.ModelRef(server_path=model),
                              seeds=common_pb2.SeedSet(server_folder=seeds), parameters=PARAMS)


def proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return -1


def workers():
    out = subprocess.run(["pgrep", "-P", str(daemon_pid), "-f", "WorkerMain"], capture_output=True, text=True)
    return sorted(int(p) for p in out.stdout.split())


seen_pids = set(workers())
lock = threading.Lock()
done, failed, durations = 0, [], []
next_index = 0
t_start = time.time()


def sample(label):
    pids = workers()
    seen_pids.update(pids)
    rss = ", ".join(f"{p}:{proc_status(p, 'VmRSS') // 1024}" for p in pids)
    fds = len(os.listdir(f"/proc/{daemon_pid}/fd"))
    threads = proc_status(daemon_pid, "Threads")
    print(f"{label:>8} {time.time() - t_start:7.0f}s  workers(pid:RSS MiB) [{rss}]  pids so far {len(seen_pids)}"
          f"  daemon threads {threads} fds {fds} RSS {proc_status(daemon_pid, 'VmRSS') // 1024} MiB"
          f"  load {os.getloadavg()[0]:.2f}", flush=True)


def client():
    global done, next_index
    channel = grpc.insecure_channel(target)
    stub = scan_grpc.ScanServiceStub(channel)
    while True:
        with lock:
            if next_index >= SCANS:
                break
            next_index += 1
        t0 = time.perf_counter()
        ok, why = False, ""
        try:
            for response in stub.Scan(REQUEST, timeout=600):
                if response.event.HasField("report"):
                    ok = True
        except grpc.RpcError as e:
            why = f"{e.code().name}: {e.details()}"
        with lock:
            durations.append(time.perf_counter() - t0)
            done += 1
            if not ok:
                failed.append(why)
            if done % SAMPLE == 0:
                sample(f"{done}/{SCANS}")
    channel.close()


sample("start")
threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
for t in threads:
    t.start()
for t in threads:
    t.join()
time.sleep(3)
sample("end")
durations.sort()
print(f"scans {done}, succeeded {done - len(failed)}, failed {len(failed)} {failed[:3]}; "
      f"scan wall time p50 {durations[len(durations) // 2]:.1f} s, max {durations[-1]:.1f} s; "
      f"distinct worker pids {len(seen_pids)}", flush=True)
sys.exit(1 if failed else 0)
