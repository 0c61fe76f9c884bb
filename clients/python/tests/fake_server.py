"""An in-process fake abscan daemon: just enough behaviour (and the same rich errors) to test the client."""
from __future__ import annotations

import hashlib
import sys
import pathlib
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "src"))
import threading
import time
from concurrent import futures

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from abscan_client._gen.abscan.model.v1 import model_service_pb2 as model_pb, model_service_pb2_grpc as model_grpc
from abscan_client._gen.abscan.plugin.v1 import plugin_service_pb2 as plugin_pb, plugin_service_pb2_grpc as plugin_grpc
from abscan_client._gen.abscan.scan.v1 import report_pb2, scan_service_pb2 as scan_pb, scan_service_pb2_grpc as scan_grpc

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _abort(context, code, message, *details):
    packed = []
    for d in details:
        a = any_pb2.Any()
        a.Pack(d)
        packed.append(a)
    context.abort_with_status(rpc_status.to_status(status_pb2.Status(code=code, message=message, details=packed)))


class FakeState:
    def __init__(self, max_upload=10 << 20, token=None, event_delay=0.0):
        self.max_upload, self.token, self.event_delay = max_upload, token, event_delay
        self.uploads = []          # (metadata, [chunk sizes])
        self.auth_headers = []
        self.nsf_cancelled = threading.Event()
        self.trojaned = True
        self.fail_reason = None   # a FailureReason: the scan ends with a ScanFailed event

    def check_auth(self, context):
        md = dict(context.invocation_metadata())
        self.auth_headers.append(md.get("authorization"))
        if self.token and md.get("authorization") != f"Bearer {self.token}":
            _abort(context, code_pb2.UNAUTHENTICATED, "missing or unknown bearer token",
                   error_details_pb2.ErrorInfo(reason="BAD_TOKEN", domain="abscan.org", metadata={"scheme": "Bearer"}))


class Models(model_grpc.ModelServiceServicer):
    def __init__(self, s: FakeState):
        self.s = s

    def UploadModel(self, request_iterator, context):
        self.s.check_auth(context)
        first = next(request_iterator, None)
        if first is None or first.WhichOneof("part") != "metadata":
            _abort(context, code_pb2.INVALID_ARGUMENT, "the first message must carry metadata",
                   error_details_pb2.BadRequest(field_violations=[error_details_pb2.BadRequest.FieldViolation(
                       field="metadata", description="missing")]))
        sizes, digest, total = [], hashlib.sha256(), 0
        for part in request_iterator:
            sizes.append(len(part.chunk))
            total += len(part.chunk)
            digest.update(part.chunk)
            if total > self.s.max_upload:
                _abort(context, code_pb2.RESOURCE_EXHAUSTED, f"upload over {self.s.max_upload} bytes",
                       error_details_pb2.QuotaFailure(violations=[error_details_pb2.QuotaFailure.Violation(
                           subject="upload", description=f"cap is {self.s.max_upload} bytes")]),
                       error_details_pb2.RetryInfo(retry_delay=duration_pb2.Duration(seconds=2, nanos=500_000_000)))
        self.s.uploads.append((first.metadata, sizes))
        return model_pb.UploadModelResponse(model_id=digest.hexdigest(), size_bytes=total, format="keras-h5")

    def DeleteModel(self, request, context):
        _abort(context, code_pb2.NOT_FOUND, f"no model {request.model_id}",
               error_details_pb2.ResourceInfo(resource_type="model", resource_name=request.model_id),
               error_details_pb2.ErrorInfo(reason="NOT_FOUND", domain="abscan.org", metadata={"b": "2", "a": "1"}))

    def DescribeModel(self, request, context):
        _abort(context, code_pb2.FAILED_PRECONDITION, "model refused",
               error_details_pb2.PreconditionFailure(violations=[error_details_pb2.PreconditionFailure.Violation(
                   type="OP", subject="PyFunc", description="op not allowed")]))


class Plugins(plugin_grpc.PluginServiceServicer):
    def __init__(self, s: FakeState):
        self.s = s

    def ListPlugins(self, request, context):
        self.s.check_auth(context)
        return plugin_pb.ListPluginsResponse(plugins=[
            plugin_pb.PluginInfo(name="keras-h5", kind=plugin_pb.PLUGIN_KIND_MODEL_LOADER, source="builtin"),
            plugin_pb.PluginInfo(name="pixel", kind=plugin_pb.PLUGIN_KIND_TRIGGER_APPLIER, source="builtin")])


class Scans(scan_grpc.ScanServiceServicer):
    def __init__(self, s: FakeState):
        self.s = s

    def _validate(self, request, context):
        bad = [error_details_pb2.BadRequest.FieldViolation(field=f"seeds.images[{i}].data",
                                                           description=f"{img.name}: not a PNG, JPEG or PPM image")
               for i, img in enumerate(request.seeds.images) if not img.data.startswith(PNG_MAGIC)]
        if bad:
            _abort(context, code_pb2.INVALID_ARGUMENT, "malformed seed image", error_details_pb2.BadRequest(field_violations=bad))

    def Scan(self, request, context):
        self.s.check_auth(context)
        self._validate(request, context)
        events = [scan_pb.ScanEvent(accepted=scan_pb.ScanAccepted(scan_id="scan-1")),
                  scan_pb.ScanEvent(model_loaded=scan_pb.ModelLoaded(format="keras-h5", num_labels=10,
                                                                     seed_images=len(request.seeds.images))),
                  scan_pb.ScanEvent(stimulation_progress=scan_pb.StimulationProgress(layer="conv1", neurons_done=16,
                                                                                     neurons_total=16))]
        cand = report_pb2.Candidate(layer="conv1", neuron=3, target_label=0, reasr=0.95, mask_size=0.01,
                                    within_size_bound=True, trigger="pixel", trigger_kind="pixel")
        report = report_pb2.ScanReport(scan_id="scan-1", model_sha256=request.model.model_id, num_labels=10,
                                       verdict=report_pb2.VERDICT_TROJANED if self.s.trojaned else report_pb2.VERDICT_BENIGN,
                                       max_reasr=0.95, candidates=[cand], best_candidate=0,
                                       parameters=request.parameters, timings=report_pb2.Timings(total_seconds=1.5))
        if self.s.trojaned:
            report.target_label = 0
        if self.s.fail_reason is not None:
            events.append(scan_pb.ScanEvent(failed=scan_pb.ScanFailed(reason=self.s.fail_reason, message="boom")))
        else:
            events.append(scan_pb.ScanEvent(report=report))
        for seq, e in enumerate(events, 1):
            if self.s.event_delay:
                time.sleep(self.s.event_delay)
            e.sequence, e.scan_id = seq, "scan-1"
            yield scan_pb.ScanResponse(event=e)

    def StreamNSF(self, request, context):
        self.s.check_auth(context)
        self._validate(request, context)
        context.add_callback(lambda: self.s.nsf_cancelled.set() if context.is_active() is False else None)
        n = 0
        while context.is_active():
            n += 1
            yield scan_pb.StreamNSFResponse(progress=scan_pb.StimulationProgress(layer="conv1", neurons_done=n,
                                                                                 neurons_total=10_000))
            time.sleep(0.02)
        self.s.nsf_cancelled.set()


class FakeDaemon:
    def __init__(self, **kw):
        self.state = FakeState(**kw)
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        model_grpc.add_ModelServiceServicer_to_server(Models(self.state), self.server)
        plugin_grpc.add_PluginServiceServicer_to_server(Plugins(self.state), self.server)
        scan_grpc.add_ScanServiceServicer_to_server(Scans(self.state), self.server)
        hs = health.HealthServicer()
        hs.set("", health_pb2.HealthCheckResponse.SERVING)
        health_pb2_grpc.add_HealthServicer_to_server(hs, self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.target = f"127.0.0.1:{self.port}"

    def __enter__(self):
        self.server.start()
        return self

    def __exit__(self, *exc):
        self.server.stop(grace=None)


if __name__ == "__main__":  # a standalone fake for clients/conformance/run with ABSCAN_CONFORMANCE_FAKE=1
    import argparse
    import pathlib
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--max-upload-bytes", type=int, default=10 << 20)
    p.add_argument("--auth-tokens")
    a = p.parse_args()
    token = pathlib.Path(a.auth_tokens).read_text().strip() if a.auth_tokens else None
    d = FakeDaemon(max_upload=a.max_upload_bytes, token=token, event_delay=0.5)
    d.server.add_insecure_port(f"127.0.0.1:{a.port}")
    d.server.start()
    d.server.wait_for_termination()
