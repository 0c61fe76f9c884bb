"""Load on loopback: CLIENTS concurrent clients (one channel each, two tenants) each submit ROUNDS scans and
watch them; a prober measures health latency meanwhile. Accepted scans are cancelled once running or after
their first events so the bounded queue keeps moving. Checks that no accepted scan is lost or duplicated (each
tenant's ListScans equals exactly the ids its clients were given) and prints a table of latencies.
Run through bench/reliability/load.sh (starts the daemon)."""
import sys
import threading
import time

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from abscan_client._gen.abscan.common.v1 import common_pb2
from abscan_client._gen.abscan.scan.v1 import scan_service_pb2 as scan_pb, scan_service_pb2_grpc as scan_grpc
from abscan_client._gen.abscan.model.v1 import model_service_pb2 as model_pb
from abscan_client.client import AbscanClient
from abscan_client.seeds import load_seed_folder

target, model_path, seeds_dir = sys.argv[1], sys.argv[2], sys.argv[3]
CLIENTS, ROUNDS = int(sys.argv[4]), int(sys.argv[5])
TOKENS = {"tenant-a": "load-token-a", "tenant-b": "load-token-b"}

seeds = load_seed_folder(seeds_dir)
models = {}
for tenant, token in TOKENS.items():
    with AbscanClient(target, token=token, deadline=120) as c:
        models[tenant] = c.upload_model(model_path).model_id

lock = threading.Lock()
accept_ms, refuse_ms, accepted, refused, errors = [], [], {t: [] for t in TOKENS}, {}, []
health_ms = []
stop = threading.Event()


def prober():
    channel = grpc.insecure_channel(target)
    stub = health_pb2_grpc.HealthStub(channel)
    while not stop.is_set():
        t0 = time.perf_counter()
        stub.Check(health_pb2.HealthCheckRequest(), timeout=30)
        health_ms.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.02)
    channel.close()


def client(i):
    tenant = list(TOKENS)[i % 2]
    md = (("authorization", f"Bearer {TOKENS[tenant]}"),)
    channel = grpc.insecure_channel(target, options=[("grpc.max_send_message_length", 64 << 20)])
    stub = scan_grpc.ScanServiceStub(channel)
    request = scan_pb.ScanRequest(model=common_pb2.ModelRef(model_id=models[tenant]), seeds=seeds)
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        call = stub.Scan(request, metadata=md, timeout=300)
        try:
            first = next(iter(call))
            ms = (time.perf_counter() - t0) * 1000
            scan_id = first.event.accepted.scan_id
            with lock:
                accept_ms.append(ms)
                accepted[tenant].append(scan_id)
            for response in call:  # watch until it runs (or a few events), then cancel to free the worker
                if response.event.WhichOneof("kind") in ("model_loaded", "report", "failed"):
                    break
            stub.CancelScan(scan_pb.CancelScanRequest(scan_id=scan_id), metadata=md, timeout=30)
            call.cancel()
        except grpc.RpcError as e:
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                if e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
                    refuse_ms.append(ms)
                    reason = "QUEUE_FULL" if "queue is full" in (e.details() or "") else "TENANT_QUOTA"
                    refused[reason] = refused.get(reason, 0) + 1
                else:
                    errors.append(f"{e.code()}: {e.details()}")
            time.sleep(0.2)
    channel.close()


probe = threading.Thread(target=prober)
probe.start()
t_start = time.perf_counter()
threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - t_start
stop.set()
probe.join()


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


lost = dup = 0
for tenant, token in TOKENS.items():
    with AbscanClient(target, token=token, deadline=60) as c:
        listed, page = [], ""
        while True:
            r = c.call(c.scans.ListScans, scan_pb.ListScansRequest(page_size=100, page_token=page))
            listed += [s.scan_id for s in r.scans]
            page = r.next_page_token
            if not page:
                break
    dup += len(listed) - len(set(listed)) + len(accepted[tenant]) - len(set(accepted[tenant]))
    lost += len(set(accepted[tenant]) ^ set(listed))

n_acc = sum(len(v) for v in accepted.values())
print(f"{CLIENTS} clients x {ROUNDS} rounds = {CLIENTS * ROUNDS} submissions in {elapsed:.1f} s")
print(f"| metric | value |\n|---|---|")
print(f"| accepted | {n_acc} |")
print(f"| refused RESOURCE_EXHAUSTED | {sum(refused.values())} {refused} |")
print(f"| other errors | {len(errors)} {errors[:3]} |")
print(f"| accept latency p50 / p99 (ms) | {pct(accept_ms, 50):.1f} / {pct(accept_ms, 99):.1f} |")
print(f"| refusal latency p50 / p99 (ms) | {pct(refuse_ms, 50):.1f} / {pct(refuse_ms, 99):.1f} |")
print(f"| health latency p50 / p99 (ms), {len(health_ms)} probes | {pct(health_ms, 50):.1f} / {pct(health_ms, 99):.1f} |")
print(f"| accepted ids missing from or extra in ListScans | {lost} |")
print(f"| duplicated ids | {dup} |")
sys.exit(0 if lost == 0 and dup == 0 and not errors else 1)
