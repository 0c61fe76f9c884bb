package org.abscan.server.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One log line per finished call: method, status code and duration (an access log). Failed calls log at INFO
 * with their description so an operator sees what clients were told without turning on debug logging. A call
 * the client cancels (or whose deadline passes) before the server closes it is never closed by the server, so
 * it is logged when gRPC reports the cancellation; whichever comes first writes the call's one line.
 */
final class CallLogInterceptor implements ServerInterceptor {
  private static final Logger LOG = LogManager.getLogger("org.abscan.server.access");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    AtomicBoolean logged = new AtomicBoolean();
    ServerCall.Listener<Q> listener = next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (logged.compareAndSet(false, true)) {
          log(method, status, start);
        }
        super.close(status, trailers);
      }
    }, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        if (logged.compareAndSet(false, true)) {
          log(method, Status.CANCELLED.withDescription("by the client (cancel or deadline)"), start);
        }
        super.onCancel();
      }
    };
  }

  private static void log(String method, Status status, long start) {
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (status.isOk()) {
      LOG.debug("{} OK {} ms", method, millis);
    } else {
      LOG.log(status.getCode() == Status.Code.INTERNAL ? Level.WARN : Level.INFO, "{} {} {} ms: {}",
          method, status.getCode(), millis, status.getDescription());
    }
  }
}
