package org.abscan.cli;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.QuotaFailure;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place that turns a failed command into an exit code and what the user reads: one line saying what
 * went wrong, then the google.rpc.Status details the server attached (field violations, precondition
 * violations, when to retry).
 */
public final class ErrorReporter implements IExecutionExceptionHandler {
  private static final Logger LOG = LogManager.getLogger(ErrorReporter.class);

  private final UserInterrupt interrupt;

  public ErrorReporter(UserInterrupt interrupt) {
    this.interrupt = interrupt;
  }

  @Override
  public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    Report report = report(exception);
    for (String line : report.lines()) {
      err.println(line);
    }
    err.flush();
    return report.exitCode();
  }

  /** An exit code and the lines explaining it. */
  record Report(int exitCode, List<String> lines) {}

  Report report(Throwable thrown) {
    Throwable status = findStatusCause(thrown);
    if (status != null) {
      return statusReport(status);
    }
    if (thrown instanceof CliFailure failure) {
      return new Report(failure.exitCode(), List.of("abscan: " + failure.getMessage()));
    }
    if (interrupt.wasInterrupted()) {
      return new Report(ExitCodes.INTERRUPTED, List.of("abscan: interrupted"));
    }
    LOG.debug("command failed", thrown);
    return new Report(ExitCodes.SERVER_ERROR, List.of("abscan: internal error: " + thrown));
  }

  /** Exit code of a gRPC status: the model or another named input was refused (3), else the server failed (4). */
  public static int exitCode(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT, FAILED_PRECONDITION, NOT_FOUND -> ExitCodes.REJECTED;
      default -> ExitCodes.SERVER_ERROR;
    };
  }

  private Report statusReport(Throwable thrown) {
    Status status = Status.fromThrowable(thrown);
    if (status.getCode() == Status.Code.CANCELLED && interrupt.wasInterrupted()) {
      return new Report(ExitCodes.INTERRUPTED, List.of("abscan: interrupted: the call was cancelled"));
    }
    List<String> lines = new ArrayList<>();
    String description = status.getDescription() == null ? "" : ": " + status.getDescription();
    lines.add("abscan: " + headline(status.getCode()) + " (" + status.getCode() + ")" + description);
    com.google.rpc.Status details = StatusProto.fromThrowable(thrown);
    if (details != null) {
      for (Any detail : details.getDetailsList()) {
        lines.addAll(describe(detail));
      }
    }
    return new Report(exitCode(status.getCode()), lines);
  }

  private static String headline(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT -> "rejected";
      case FAILED_PRECONDITION -> "model refused";
      case NOT_FOUND -> "not found";
      case UNAVAILABLE -> "daemon unavailable";
      case DEADLINE_EXCEEDED -> "deadline exceeded";
      case UNAUTHENTICATED -> "not authenticated (give --token or set ABSCAN_TOKEN)";
      case PERMISSION_DENIED -> "permission denied";
      case RESOURCE_EXHAUSTED -> "server busy or over a limit";
      case CANCELLED -> "cancelled";
      default -> "server error";
    };
  }

  private static List<String> describe(Any detail) {
    List<String> lines = new ArrayList<>();
    try {
      if (detail.is(BadRequest.class)) {
        for (BadRequest.FieldViolation v : detail.unpack(BadRequest.class).getFieldViolationsList()) {
          lines.add("  field " + v.getField() + ": " + v.getDescription());
        }
      } else if (detail.is(PreconditionFailure.class)) {
        for (PreconditionFailure.Violation v : detail.unpack(PreconditionFailure.class).getViolationsList()) {
          lines.add("  precondition " + v.getType() + " " + v.getSubject() + ": " + v.getDescription());
        }
      } else if (detail.is(RetryInfo.class)) {
        lines.add("  retry after " + seconds(detail.unpack(RetryInfo.class).getRetryDelay()));
      } else if (detail.is(ErrorInfo.class)) {
        ErrorInfo info = detail.unpack(ErrorInfo.class);
        lines.add("  reason " + info.getReason() + (info.getDomain().isEmpty() ? "" : " (" + info.getDomain() + ")")
            + (info.getMetadataMap().isEmpty() ? "" : " " + info.getMetadataMap()));
      } else if (detail.is(QuotaFailure.class)) {
        for (QuotaFailure.Violation v : detail.unpack(QuotaFailure.class).getViolationsList()) {
          lines.add("  quota " + v.getSubject() + ": " + v.getDescription());
        }
      } else if (detail.is(ResourceInfo.class)) {
        ResourceInfo info = detail.unpack(ResourceInfo.class);
        lines.add("  resource " + info.getResourceType() + " " + info.getResourceName() + ": "
            + info.getDescription());
      } else {
        lines.add("  detail " + detail.getTypeUrl());
      }
    } catch (InvalidProtocolBufferException e) {
      lines.add("  detail " + detail.getTypeUrl() + " (undecodable)");
    }
    return lines;
  }

  private static String seconds(Duration delay) {
    return String.format(Locale.ROOT, "%.1f s", delay.getSeconds() + delay.getNanos() / 1e9);
  }

  private static Throwable findStatusCause(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof io.grpc.StatusRuntimeException || t instanceof io.grpc.StatusException) {
        return t;
      }
    }
    return null;
  }
}
