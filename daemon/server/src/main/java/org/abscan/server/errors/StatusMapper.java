package org.abscan.server.errors;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.QuotaFailure;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import org.abscan.spi.AbscanException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The one place where failures become gRPC statuses. Services and jobs throw (or record) exceptions; only this
 * class builds {@code google.rpc.Status}, so every call reports the same failure the same way.
 *
 * <table>
 *   <caption>Failure to status</caption>
 *   <tr><th>Failure</th><th>Code</th><th>Details (besides ErrorInfo)</th><th>ErrorInfo.reason</th></tr>
 *   <tr><td>AbscanException INVALID_ARGUMENT, MALFORMED_MODEL, UNSUPPORTED_MODEL</td><td>INVALID_ARGUMENT</td>
 *       <td>BadRequest: one field violation per {@link AbscanException.Violation} (field = subject)</td>
 *       <td>the category name</td></tr>
 *   <tr><td>AbscanException MODEL_REFUSED</td><td>FAILED_PRECONDITION</td>
 *       <td>PreconditionFailure: one violation per item (type MODEL_POLICY, subject, description)</td>
 *       <td>MODEL_REFUSED</td></tr>
 *   <tr><td>{@link QueueFullException}</td><td>RESOURCE_EXHAUSTED</td><td>QuotaFailure + RetryInfo</td>
 *       <td>QUEUE_FULL</td></tr>
 *   <tr><td>AbscanException LIMIT_EXCEEDED</td><td>RESOURCE_EXHAUSTED</td>
 *       <td>QuotaFailure (no RetryInfo: the same request would fail again)</td><td>LIMIT_EXCEEDED</td></tr>
 *   <tr><td>{@link NotFoundException}</td><td>NOT_FOUND</td><td>ResourceInfo (type, name)</td>
 *       <td>NOT_FOUND</td></tr>
 *   <tr><td>{@link UnauthenticatedException}</td><td>UNAUTHENTICATED</td><td>none</td>
 *       <td>UNAUTHENTICATED</td></tr>
 *   <tr><td>{@link QueueFullException} of one tenant's quota</td><td>RESOURCE_EXHAUSTED</td>
 *       <td>QuotaFailure + RetryInfo</td><td>TENANT_QUOTA</td></tr>
 *   <tr><td>{@link CancellationException}</td><td>CANCELLED</td><td>none</td><td>CANCELLED</td></tr>
 *   <tr><td>{@link WorkerCrashedException}</td><td>ABORTED</td><td>none; the message names the exit code or
 *       signal</td><td>WORKER_CRASHED</td></tr>
 *   <tr><td>{@link ScanTimeoutException}</td><td>DEADLINE_EXCEEDED</td><td>none</td><td>TIMEOUT</td></tr>
 *   <tr><td>{@link ShuttingDownException}</td><td>UNAVAILABLE</td><td>none</td><td>SHUTTING_DOWN</td></tr>
 *   <tr><td>{@link StatusRuntimeException} / {@link StatusException}</td><td>unchanged</td><td>unchanged</td>
 *       <td>unchanged</td></tr>
 *   <tr><td>AbscanException INTERNAL, anything else</td><td>INTERNAL</td>
 *       <td>none; logged here with its stack under an incident id, the message only names that id</td>
 *       <td>INTERNAL</td></tr>
 * </table>
 *
 * <p>ErrorInfo always carries domain {@value #DOMAIN}.
 */
public final class StatusMapper {
  public static final String DOMAIN = "abscan.org";
  private static final Logger LOG = LogManager.getLogger(StatusMapper.class);

  private StatusMapper() {}

  /** The status to close a call with. */
  public static StatusRuntimeException toStatusException(Throwable failure) {
    if (failure instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (failure instanceof StatusException se) {
      return new StatusRuntimeException(se.getStatus(), se.getTrailers());
    }
    return StatusProto.toStatusRuntimeException(toStatusProto(failure));
  }

  /** The rich status for {@code failure} (see the class table). */
  public static com.google.rpc.Status toStatusProto(Throwable failure) {
    if (failure instanceof NotFoundException nf) {
      return status(Code.NOT_FOUND, nf.getMessage(), "NOT_FOUND",
          Any.pack(ResourceInfo.newBuilder()
              .setResourceType(nf.resourceType())
              .setResourceName(nf.resourceName())
              .setDescription(nf.getMessage())
              .build()));
    }
    if (failure instanceof UnauthenticatedException) {
      // Which part was wrong (absent, unknown, expired) is not said: that would help guessing.
      return status(Code.UNAUTHENTICATED, failure.getMessage(), "UNAUTHENTICATED");
    }
    if (failure instanceof ShuttingDownException) {
      return status(Code.UNAVAILABLE, failure.getMessage(), "SHUTTING_DOWN");
    }
    if (failure instanceof WorkerCrashedException) {
      // ABORTED, not INTERNAL: the daemon is fine and says what happened; a retry may succeed (or crash again).
      return status(Code.ABORTED, failure.getMessage(), "WORKER_CRASHED");
    }
    if (failure instanceof ScanTimeoutException) {
      return status(Code.DEADLINE_EXCEEDED, failure.getMessage(), "TIMEOUT");
    }
    if (failure instanceof CancellationException) {
      return status(Code.CANCELLED, "cancelled", "CANCELLED");
    }
    if (failure instanceof AbscanException ae) {
      return fromAbscan(ae);
    }
    return internal(failure);
  }

  private static com.google.rpc.Status fromAbscan(AbscanException e) {
    switch (e.category()) {
      case INVALID_ARGUMENT, MALFORMED_MODEL, UNSUPPORTED_MODEL -> {
        BadRequest.Builder bad = BadRequest.newBuilder();
        e.violations().forEach(v -> bad.addFieldViolations(BadRequest.FieldViolation.newBuilder()
            .setField(v.subject()).setDescription(v.description())));
        return status(Code.INVALID_ARGUMENT, e.getMessage(), e.category().name(), Any.pack(bad.build()));
      }
      case MODEL_REFUSED -> {
        PreconditionFailure.Builder pf = PreconditionFailure.newBuilder();
        e.violations().forEach(v -> pf.addViolations(PreconditionFailure.Violation.newBuilder()
            .setType("MODEL_POLICY").setSubject(v.subject()).setDescription(v.description())));
        return status(Code.FAILED_PRECONDITION, e.getMessage(), "MODEL_REFUSED", Any.pack(pf.build()));
      }
      case LIMIT_EXCEEDED -> {
        QuotaFailure.Builder quota = QuotaFailure.newBuilder();
        e.violations().forEach(v -> quota.addViolations(QuotaFailure.Violation.newBuilder()
            .setSubject(v.subject()).setDescription(v.description())));
        if (e instanceof QueueFullException full) {
          return status(Code.RESOURCE_EXHAUSTED, e.getMessage(),
              full.tenantQuota() ? "TENANT_QUOTA" : "QUEUE_FULL", Any.pack(quota.build()),
              Any.pack(retryInfo(full.retryAfter())));
        }
        return status(Code.RESOURCE_EXHAUSTED, e.getMessage(), "LIMIT_EXCEEDED", Any.pack(quota.build()));
      }
      default -> {
        return internal(e);
      }
    }
  }

  private static RetryInfo retryInfo(java.time.Duration after) {
    return RetryInfo.newBuilder()
        .setRetryDelay(com.google.protobuf.Duration.newBuilder()
            .setSeconds(after.getSeconds())
            .setNanos(after.getNano()))
        .build();
  }

  private static com.google.rpc.Status internal(Throwable failure) {
    // Internal messages can carry paths and library details; the client gets an id to quote instead.
    String incident = UUID.randomUUID().toString();
    LOG.error("internal error, incident {}", incident, failure);
    return status(Code.INTERNAL, "internal error (incident " + incident + ")", "INTERNAL");
  }

  private static com.google.rpc.Status status(Code code, String message, String reason, Any... details) {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber())
        .setMessage(message == null ? code.name() : message);
    for (Any detail : details) {
      status.addDetails(detail);
    }
    status.addDetails(Any.pack(ErrorInfo.newBuilder().setDomain(DOMAIN).setReason(reason).build()));
    return status.build();
  }
}
