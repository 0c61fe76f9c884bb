package org.abscan.server.di;

import dagger.Module;
import dagger.Provides;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.inject.Named;
import javax.inject.Singleton;

/** Health and the bounded executor gRPC runs call handlers on. */
@Module
public final class GrpcServerModule {
  /** Calls waiting for a handler thread; beyond this the transport refuses new work. */
  static final int CALL_QUEUE = 10_000;

  private GrpcServerModule() {}

  @Provides
  @Singleton
  static HealthStatusManager health() {
    return new HealthStatusManager();
  }

  /**
   * Handlers only validate, read small files and hand work to the scan workers or the interactive pool, so a
   * small fixed pool suffices; it is bounded so a flood of calls cannot grow threads or memory without limit.
   */
  @Provides
  @Singleton
  @Named("grpc")
  static ExecutorService grpcExecutor() {
    int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(CALL_QUEUE), r -> {
          Thread t = new Thread(r, "abscan-grpc-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
