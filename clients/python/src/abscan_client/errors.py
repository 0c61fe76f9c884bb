"""Decodes gRPC failures (with their google.rpc.Status details) into one typed exception."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

import grpc
from google.rpc import error_details_pb2, status_pb2

_DETAILS_TRAILER = "grpc-status-details-bin"

# Exit codes shared with the Java CLI.
EXIT_BENIGN = 0
EXIT_TROJANED = 10
EXIT_USAGE = 2
EXIT_REJECTED = 3
EXIT_ERROR = 4
_REJECTED_CODES = {grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.FAILED_PRECONDITION,
                   grpc.StatusCode.NOT_FOUND}


@dataclass
class FieldViolation:
    field: str
    description: str


@dataclass
class PreconditionViolation:
    type: str
    subject: str
    description: str


@dataclass
class QuotaViolation:
    subject: str
    description: str


@dataclass
class AbscanError(Exception):
    """A failed abscan call: its status code and message plus every rich detail the server attached."""
    code: grpc.StatusCode
    message: str
    field_violations: List[FieldViolation] = field(default_factory=list)
    precondition_violations: List[PreconditionViolation] = field(default_factory=list)
    quota_violations: List[QuotaViolation] = field(default_factory=list)
    retry_delay_seconds: Optional[float] = None
    reason: Optional[str] = None
    domain: Optional[str] = None
    metadata: dict = field(default_factory=dict)
    resource_type: Optional[str] = None
    resource_name: Optional[str] = None

    def __post_init__(self):
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.describe()

    @property
    def exit_code(self) -> int:
        return EXIT_REJECTED if self.code in _REJECTED_CODES else EXIT_ERROR

    def describe(self) -> str:
        lines = [f"{self.code.name}: {self.message}"]
        lines += [f"  field {v.field}: {v.description}" for v in self.field_violations]
        lines += [f"  precondition {v.type} {v.subject}: {v.description}" for v in self.precondition_violations]
        lines += [f"  quota {v.subject}: {v.description}" for v in self.quota_violations]
        if self.retry_delay_seconds is not None:
            lines.append(f"  retry after {self.retry_delay_seconds:g}s")
        if self.resource_type or self.resource_name:
            lines.append(f"  resource {self.resource_type} {self.resource_name}")
        if self.reason:
            meta = ", ".join(f"{k}={v}" for k, v in sorted(self.metadata.items()))
            lines.append(f"  reason {self.reason} ({self.domain}){' ' + meta if meta else ''}")
        return "\n".join(lines)


def _status_from_trailers(err: grpc.RpcError) -> Optional[status_pb2.Status]:
    trailers = err.trailing_metadata() if hasattr(err, "trailing_metadata") else None
    for key, value in trailers or ():
        if key == _DETAILS_TRAILER:
            status = status_pb2.Status()
            status.ParseFromString(value)
            return status
    return None


def from_rpc_error(err: grpc.RpcError) -> AbscanError:
    """Turns any grpc.RpcError (unary or stream) into an AbscanError; details that fail to parse are skipped."""
    code = err.code() if hasattr(err, "code") else grpc.StatusCode.UNKNOWN
    message = err.details() if hasattr(err, "details") else str(err)
    out = AbscanError(code=code or grpc.StatusCode.UNKNOWN, message=message or "")
    status = _status_from_trailers(err)
    if status is None:
        return out
    if status.message:
        out.message = status.message
    for any_detail in status.details:
        _add_detail(out, any_detail)
    return out


def _add_detail(out: AbscanError, any_detail) -> None:
    candidates = [error_details_pb2.BadRequest(), error_details_pb2.PreconditionFailure(),
                  error_details_pb2.QuotaFailure(), error_details_pb2.RetryInfo(), error_details_pb2.ErrorInfo(),
                  error_details_pb2.ResourceInfo()]
    for msg in candidates:
        if any_detail.Is(msg.DESCRIPTOR) and any_detail.Unpack(msg):
            break
    else:
        return
    if isinstance(msg, error_details_pb2.BadRequest):
        out.field_violations += [FieldViolation(v.field, v.description) for v in msg.field_violations]
    elif isinstance(msg, error_details_pb2.PreconditionFailure):
        out.precondition_violations += [PreconditionViolation(v.type, v.subject, v.description)
                                        for v in msg.violations]
    elif isinstance(msg, error_details_pb2.QuotaFailure):
        out.quota_violations += [QuotaViolation(v.subject, v.description) for v in msg.violations]
    elif isinstance(msg, error_details_pb2.RetryInfo):
        out.retry_delay_seconds = msg.retry_delay.seconds + msg.retry_delay.nanos / 1e9
    elif isinstance(msg, error_details_pb2.ErrorInfo):
        out.reason, out.domain, out.metadata = msg.reason, msg.domain, dict(msg.metadata)
    elif isinstance(msg, error_details_pb2.ResourceInfo):
        out.resource_type, out.resource_name = msg.resource_type, msg.resource_name
