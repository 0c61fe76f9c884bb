package org.abscan.server.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.junit.jupiter.api.Test;

class StatusMapperTest {
  private static ErrorInfo errorInfo(Status status) throws Exception {
    for (var any : status.getDetailsList()) {
      if (any.is(ErrorInfo.class)) {
        return any.unpack(ErrorInfo.class);
      }
    }
    throw new AssertionError("no ErrorInfo in " + status);
  }

  @Test
  void everyCategoryHasItsCode() throws Exception {
    for (ErrorCategory category : ErrorCategory.values()) {
      Status status = StatusMapper.toStatusProto(new AbscanException(category, "m",
          List.of(new AbscanException.Violation("s", "d"))));
      Code expected = switch (category) {
        case INVALID_ARGUMENT, MALFORMED_MODEL, UNSUPPORTED_MODEL -> Code.INVALID_ARGUMENT;
        case MODEL_REFUSED -> Code.FAILED_PRECONDITION;
        case LIMIT_EXCEEDED -> Code.RESOURCE_EXHAUSTED;
        case INTERNAL -> Code.INTERNAL;
      };
      assertEquals(expected.getNumber(), status.getCode(), category.name());
      assertEquals(StatusMapper.DOMAIN, errorInfo(status).getDomain());
    }
    assertEquals(Code.CANCELLED_VALUE, StatusMapper.toStatusProto(new CancellationException()).getCode());
    assertEquals(Code.NOT_FOUND_VALUE, StatusMapper.toStatusProto(new NotFoundException("scan", "x")).getCode());
  }

  @Test
  void internalErrorsDoNotLeakTheirMessage() throws Exception {
    Status status = StatusMapper.toStatusProto(new IllegalStateException("/secret/path/weights.h5 exploded"));
    assertEquals(Code.INTERNAL_VALUE, status.getCode());
    assertFalse(status.getMessage().contains("secret"), status.getMessage());
    assertEquals("INTERNAL", errorInfo(status).getReason());
  }

  @Test
  void workerCrashesAndTimeoutsSayWhatHappened() throws Exception {
    Status crashed = StatusMapper.toStatusProto(new WorkerCrashedException(
        "the worker process running the scan was killed by signal 9 (SIGKILL) (pid 42)"));
    assertEquals(Code.ABORTED_VALUE, crashed.getCode());
    assertEquals("WORKER_CRASHED", errorInfo(crashed).getReason());
    assertTrue(crashed.getMessage().contains("signal 9"), crashed.getMessage());

    Status timeout = StatusMapper.toStatusProto(new ScanTimeoutException(java.time.Duration.ofMinutes(90)));
    assertEquals(Code.DEADLINE_EXCEEDED_VALUE, timeout.getCode());
    assertEquals("TIMEOUT", errorInfo(timeout).getReason());
    assertTrue(timeout.getMessage().contains("limit of 1h30m"), timeout.getMessage());
  }
}
