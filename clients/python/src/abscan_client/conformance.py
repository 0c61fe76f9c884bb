"""Conformance driver: runs one named case against a daemon; exit 0 and one summary line on success, exit 1 and
the reason otherwise. The same cases (and constants) exist in the Go and Node drivers."""
from __future__ import annotations

import argparse
import io
import json
import sys

import grpc

from abscan_client import cli
from abscan_client._gen.abscan.common.v1 import common_pb2
from abscan_client._gen.abscan.plugin.v1 import plugin_service_pb2 as plugin_pb
from abscan_client._gen.abscan.scan.v1 import report_pb2, scan_service_pb2 as scan_pb
from abscan_client.client import AbscanClient
from abscan_client.errors import AbscanError
from abscan_client.seeds import load_seed_folder

# A scan that finishes in seconds: few samples, few candidates, few optimisation steps, one trigger kind.
QUICK = dict(top_k=2, re_steps=10, samples=3, baseline_neurons=1, seed=1, triggers="pixel", layers="")
NSF_CANCEL_AFTER = 2
DEADLINE_SECONDS = 0.3
LONG_SCAN_SAMPLES, LONG_SCAN_TOP_K = 1000, 30  # the deadline case's scan takes seconds (as the Java case's)


class CaseFailed(Exception):
    pass


def expect_error(fn, code: grpc.StatusCode) -> AbscanError:
    try:
        fn()
    except AbscanError as e:
        if e.code != code:
            raise CaseFailed(f"want {code.name}, got {e.describe()}") from None
        return e
    raise CaseFailed(f"want {code.name}, the call succeeded")


def quick_args(a) -> argparse.Namespace:
    return argparse.Namespace(model=a.model, seeds=a.seeds, input_range=a.input_range or "0,1", format="",
                              deadline=None, **QUICK)


def case_health(c, a):
    status = c.health()
    if status != "SERVING":
        raise CaseFailed(f"health is {status}")
    return "SERVING"


def case_plugins(c, a):
    plugins = c.list_plugins()
    kinds = {(p.name, plugin_pb.PluginKind.Name(p.kind)) for p in plugins}
    for want in [("keras-h5", "PLUGIN_KIND_MODEL_LOADER"), ("pixel", "PLUGIN_KIND_TRIGGER_APPLIER")]:
        if want not in kinds:
            raise CaseFailed(f"{want} not in {sorted(kinds)}")
    return f"{len(plugins)} plugins: " + ",".join(p.name for p in plugins)


def case_upload_scan(c, a):
    out, err = io.StringIO(), io.StringIO()
    rc = cli.run_scan(c, quick_args(a), out=out, err=err)
    if rc not in (0, 10):
        raise CaseFailed(f"exit {rc}: {err.getvalue()[-500:]}")
    report = json.loads(out.getvalue())
    if report.get("verdict") not in ("VERDICT_BENIGN", "VERDICT_TROJANED"):
        raise CaseFailed(f"no verdict in report: {out.getvalue()[:300]}")
    if a.out:
        with open(a.out, "w") as f:
            f.write(out.getvalue())
    return f"exit {rc}, {report['verdict']}, maxReasr {report.get('maxReasr')}"


def _uploaded_nsf_request(c, a):
    model_id = c.upload_model(a.model).model_id
    req = cli.scan_request(quick_args(a), model_id, load_seed_folder(a.seeds))
    return scan_pb.StreamNSFRequest(model=req.model, seeds=req.seeds, preprocessing=req.preprocessing,
                                    parameters=req.parameters)


def case_nsf_cancel(c, a):
    stream = c.stream_nsf(_uploaded_nsf_request(c, a))
    got = 0
    try:
        for _ in stream:
            got += 1
            if got == NSF_CANCEL_AFTER:
                stream.cancel()
    except AbscanError as e:
        if e.code == grpc.StatusCode.CANCELLED and got >= NSF_CANCEL_AFTER:
            return f"cancelled after {got} messages"
        raise CaseFailed(f"after {got} messages: {e.describe()}") from None
    raise CaseFailed(f"stream ended normally after {got} messages, before the cancel took effect")


def case_deadline(c, a):
    req = _uploaded_nsf_request(c, a)
    scan = cli.scan_request(quick_args(a), req.model.model_id, req.seeds)
    # As the Java case: a scan of several seconds, so the deadline expires inside it whatever the engine's speed
    # (the quick scan alone came in under the deadline once the engine got faster).
    scan.parameters.samples, scan.parameters.top_k = LONG_SCAN_SAMPLES, LONG_SCAN_TOP_K
    e = expect_error(lambda: list(c.scan(scan, timeout=DEADLINE_SECONDS)), grpc.StatusCode.DEADLINE_EXCEEDED)
    return e.code.name


def case_bad_request(c, a):
    model_id = c.upload_model(a.model).model_id
    seeds = common_pb2.SeedSet(images=[common_pb2.SeedImage(data=b"this is not an image", label=0, name="0/bad.png")])
    req = cli.scan_request(quick_args(a), model_id, seeds)
    e = expect_error(lambda: list(c.scan(req)), grpc.StatusCode.INVALID_ARGUMENT)
    if not any(v.field.startswith("seeds") for v in e.field_violations):
        raise CaseFailed(f"no BadRequest field violation naming the seed decoded: {e.describe()}")
    print(e.describe(), file=sys.stderr)
    return "; ".join(f"{v.field}: {v.description}" for v in e.field_violations)


def case_oversized(c, a):
    e = expect_error(lambda: c.upload_model(a.model), grpc.StatusCode.RESOURCE_EXHAUSTED)
    print(e.describe(), file=sys.stderr)
    return e.describe().replace("\n", ";")


def case_wrong_token(c, a):
    e = expect_error(lambda: c.list_plugins(), grpc.StatusCode.UNAUTHENTICATED)
    return e.describe().replace("\n", ";")


CASES = {"health": case_health, "plugins": case_plugins, "upload-scan": case_upload_scan,
         "nsf-cancel": case_nsf_cancel, "deadline": case_deadline, "bad-request": case_bad_request,
         "oversized": case_oversized, "wrong-token": case_wrong_token}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="conformance")
    p.add_argument("case", choices=sorted(CASES))
    p.add_argument("--server", required=True)
    p.add_argument("--model")
    p.add_argument("--seeds")
    p.add_argument("--input-range", default="0,1")
    p.add_argument("--token")
    p.add_argument("--out", help="upload-scan: write the report JSON here")
    a = p.parse_args(argv)
    try:
        with AbscanClient(a.server, token=a.token, deadline=120) as c:
            print(CASES[a.case](c, a))
        return 0
    except (CaseFailed, AbscanError, OSError, ValueError) as e:
        print(str(e).replace("\n", "; "))
        return 1


if __name__ == "__main__":
    sys.exit(main())
