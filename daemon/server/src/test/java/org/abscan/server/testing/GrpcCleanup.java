package org.abscan.server.testing;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 counterpart of grpc-java's GrpcCleanupRule: servers, channels and other closeables registered during
 * a test are shut down after it, newest first, and awaited so no test leaks threads into the next.
 */
public final class GrpcCleanup implements AfterEachCallback {
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  public <T extends ManagedChannel> T register(T channel) {
    resources.push(() -> {
      channel.shutdown();
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    });
    return channel;
  }

  public <T extends Server> T register(T server) {
    resources.push(() -> {
      server.shutdown();
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    });
    return server;
  }

  public <T extends AutoCloseable> T register(T closeable) {
    resources.push(closeable);
    return closeable;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
