package org.abscan.cli.testing;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the headers of every call, so tests can see what the CLI sent (the bearer token). */
public final class MetadataRecorder implements ServerInterceptor {
  public final List<Metadata> headers = new CopyOnWriteArrayList<>();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata metadata, ServerCallHandler<Q, R> next) {
    headers.add(metadata);
    return next.startCall(call, metadata);
  }
}
