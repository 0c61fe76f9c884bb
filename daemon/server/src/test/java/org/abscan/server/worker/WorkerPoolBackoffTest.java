package org.abscan.server.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.config.WorkerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker that cannot start is retried with a growing delay, not in a tight loop. */
class WorkerPoolBackoffTest {
  @TempDir Path temp;

  @Test
  void theBackoffDoublesUpToItsCap() {
    assertEquals(0, WorkerPool.backoffMillis(0));
    assertEquals(500, WorkerPool.backoffMillis(1));
    assertEquals(1000, WorkerPool.backoffMillis(2));
    assertEquals(8000, WorkerPool.backoffMillis(5));
    assertEquals(WorkerPool.MAX_BACKOFF.toMillis(), WorkerPool.backoffMillis(40));
  }

  @Test
  void aWorkerThatNeverStartsDoesNotSpin() throws Exception {
    // A JVM refuses a 1 KiB heap at once: every start fails, as a broken install or a crash loop would.
    DaemonConfig config = DaemonConfig.defaults().withDataDir(temp).withWorkers(1).withWorker(
        new WorkerConfig(true, Duration.ofMinutes(1), Duration.ofSeconds(1), 0, 0, "1k"));
    try (WorkerPool pool = new WorkerPool(config)) {
      Thread.sleep(6000);
      int failures = pool.startFailures();
      // Attempts at about 0, 0.5, 1.5, 3.5 s (+ JVM start each); without the backoff there would be dozens.
      assertTrue(failures >= 2 && failures <= 5, failures + " failed starts in 6 s");
      assertEquals(List.of(0L), pool.pids(), "no worker is up");
    }
  }
}
