"""AbscanClient: the thin idiomatic wrapper over the generated abscan stubs."""
from __future__ import annotations

import os
import pathlib
from typing import Iterator, Iterable, Optional

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from abscan_client._gen.abscan.model.v1 import model_service_pb2 as model_pb, model_service_pb2_grpc as model_grpc
from abscan_client._gen.abscan.plugin.v1 import plugin_service_pb2 as plugin_pb, plugin_service_pb2_grpc as plugin_grpc
from abscan_client._gen.abscan.scan.v1 import scan_service_pb2 as scan_pb, scan_service_pb2_grpc as scan_grpc
from abscan_client.errors import from_rpc_error

CHUNK_SIZE = 1 << 20
TOKEN_ENV = "ABSCAN_TOKEN"


class Stream:
    """A server stream that raises AbscanError instead of grpc.RpcError and can be cancelled from any thread."""

    def __init__(self, call):
        self._call = call

    def __iter__(self):
        try:
            yield from self._call
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None

    def cancel(self) -> None:
        self._call.cancel()


class AbscanClient:
    """One channel to an abscan daemon. `token` (or $ABSCAN_TOKEN) is sent as `authorization: Bearer <token>`;
    `deadline` (seconds) applies to every call that does not pass its own `timeout`."""

    def __init__(self, target: str, token: Optional[str] = None, deadline: Optional[float] = None,
                 channel: Optional[grpc.Channel] = None):
        self._channel = channel or grpc.insecure_channel(target, options=[
            ("grpc.max_receive_message_length", 64 << 20), ("grpc.max_send_message_length", 64 << 20)])
        self._token = token if token is not None else os.environ.get(TOKEN_ENV) or None
        self._deadline = deadline
        self.models = model_grpc.ModelServiceStub(self._channel)
        self.scans = scan_grpc.ScanServiceStub(self._channel)
        self.plugins = plugin_grpc.PluginServiceStub(self._channel)
        self._health = health_pb2_grpc.HealthStub(self._channel)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self._channel.close()

    def _opts(self, timeout: Optional[float]) -> dict:
        opts = {"timeout": timeout if timeout is not None else self._deadline}
        if self._token:
            opts["metadata"] = (("authorization", f"Bearer {self._token}"),)
        return opts

    def call(self, method, request, timeout: Optional[float] = None):
        """Any unary method of the raw stubs (e.g. `client.call(client.models.DeleteModel, req)`) with the
        client's token and deadline, raising AbscanError."""
        try:
            return method(request, **self._opts(timeout))
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None

    def health(self, service: str = "", timeout: Optional[float] = None) -> str:
        """The serving status name ("SERVING", ...) of the daemon or one of its services."""
        resp = self.call(self._health.Check, health_pb2.HealthCheckRequest(service=service), timeout)
        return health_pb2.HealthCheckResponse.ServingStatus.Name(resp.status)

    def list_plugins(self, timeout: Optional[float] = None):
        return list(self.call(self.plugins.ListPlugins, plugin_pb.ListPluginsRequest(), timeout).plugins)

    def upload_model(self, path, format: str = "", chunk_size: int = CHUNK_SIZE,
                     timeout: Optional[float] = None) -> model_pb.UploadModelResponse:
        """Streams a model file: metadata first (name, format, declared size), then chunks of `chunk_size`."""
        p = pathlib.Path(path)
        size = p.stat().st_size

        def parts() -> Iterator[model_pb.UploadModelRequest]:
            yield model_pb.UploadModelRequest(metadata=model_pb.UploadModelMetadata(
                filename=p.name, format=format, size_bytes=size))
            with p.open("rb") as f:
                while chunk := f.read(chunk_size):
                    yield model_pb.UploadModelRequest(chunk=chunk)

        return self.call(self.models.UploadModel, parts(), timeout)

    def upload_bytes(self, filename: str, data: bytes, declared_size: Optional[int] = None,
                     timeout: Optional[float] = None) -> model_pb.UploadModelResponse:
        def parts() -> Iterable[model_pb.UploadModelRequest]:
            yield model_pb.UploadModelRequest(metadata=model_pb.UploadModelMetadata(
                filename=filename, size_bytes=len(data) if declared_size is None else declared_size))
            for i in range(0, len(data), CHUNK_SIZE):
                yield model_pb.UploadModelRequest(chunk=data[i:i + CHUNK_SIZE])
        return self.call(self.models.UploadModel, parts(), timeout)

    def scan(self, request: scan_pb.ScanRequest, timeout: Optional[float] = None) -> Stream:
        """Starts a scan; iterate the returned Stream for ScanResponse events, `cancel()` it to cancel the scan."""
        return Stream(self.scans.Scan(request, **self._opts(timeout)))

    def stream_nsf(self, request: scan_pb.StreamNSFRequest, timeout: Optional[float] = None) -> Stream:
        return Stream(self.scans.StreamNSF(request, **self._opts(timeout)))

    def generate_trigger(self, request: scan_pb.GenerateTriggerRequest, timeout: Optional[float] = None) -> Stream:
        return Stream(self.scans.GenerateTrigger(request, **self._opts(timeout)))

    def cancel_scan(self, scan_id: str, timeout: Optional[float] = None):
        return self.call(self.scans.CancelScan, scan_pb.CancelScanRequest(scan_id=scan_id), timeout).scan
