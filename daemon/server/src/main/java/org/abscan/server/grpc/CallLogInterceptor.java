package org.abscan.server.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One log line per finished call: method, status code and duration (an access log). Failed calls log at INFO
 * with their description so an operator sees what clients were told without turning on debug logging.
 */
final class CallLogInterceptor implements ServerInterceptor {
  private static final Logger LOG = LogManager.getLogger("org.abscan.server.access");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (status.isOk()) {
          LOG.debug("{} OK {} ms", method, millis);
        } else {
          LOG.log(status.getCode() == Status.Code.INTERNAL ? Level.WARN : Level.INFO, "{} {} {} ms: {}",
              method, status.getCode(), millis, status.getDescription());
        }
        super.close(status, trailers);
      }
    }, headers);
  }
}
