package org.abscan.server.services;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.abscan.server.errors.QueueFullException;

/**
 * Where StreamNSF and GenerateTrigger run: they are not jobs (nothing is recorded; the call is the only
 * watcher) but they are as heavy as scans, so they get their own bounded pool instead of gRPC's threads.
 */
public final class InteractiveExecutor implements AutoCloseable {
  private final ThreadPoolExecutor executor;

  public InteractiveExecutor(int threads, int queueCapacity) {
    AtomicInteger count = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueCapacity), r -> {
          Thread t = new Thread(r, "abscan-interactive-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** @throws QueueFullException when every thread is busy and the queue is full */
  public void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      throw new QueueFullException("interactive", "too many StreamNSF/GenerateTrigger calls in progress; "
          + "retry later", Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
