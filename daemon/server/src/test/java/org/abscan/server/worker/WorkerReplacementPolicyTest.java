package org.abscan.server.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.config.WorkerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a worker is replaced: a worker that cannot start is retried with a growing delay, not in a tight loop; one
 * past its task or memory limit is recycled; a health check never waits longer than its cap.
 */
class WorkerReplacementPolicyTest {
  @TempDir Path temp;

  @Test
  void theBackoffDoublesUpToItsCap() {
    assertEquals(0, WorkerReplacementPolicy.backoffMillis(0));
    assertEquals(500, WorkerReplacementPolicy.backoffMillis(1));
    assertEquals(1000, WorkerReplacementPolicy.backoffMillis(2));
    assertEquals(8000, WorkerReplacementPolicy.backoffMillis(5));
    assertEquals(WorkerReplacementPolicy.MAX_BACKOFF.toMillis(), WorkerReplacementPolicy.backoffMillis(40));
  }

  @Test
  void aWorkerIsRecycledAfterItsTaskLimitOrOverItsMemoryLimit() {
    WorkerConfig limits = new WorkerConfig(true, Duration.ofMinutes(1), Duration.ofSeconds(1), 3, 100, "1g");
    WorkerReplacementPolicy policy = new WorkerReplacementPolicy(limits, pid -> OptionalLong.of(pid * 1024));
    assertNull(policy.recycleReason(2, 100), "2 of 3 tasks, 100 MiB: keeps its worker");
    assertEquals("it ran 3 tasks (--worker-max-scans 3)", policy.recycleReason(3, 50));
    assertEquals("RSS 101 MiB > --worker-max-rss-mb 100", policy.recycleReason(1, 101));
    WorkerReplacementPolicy unreadable = new WorkerReplacementPolicy(limits, pid -> OptionalLong.empty());
    assertNull(unreadable.recycleReason(1, 101), "an unreadable RSS recycles nothing");
  }

  @Test
  void aHealthCheckWaitsTheIntervalAtMostAndNeverMoreThanItsCap() {
    WorkerConfig defaults = DaemonConfig.defaults().worker();
    assertEquals(WorkerReplacementPolicy.MAX_HEALTH_DEADLINE, new WorkerReplacementPolicy(defaults).healthDeadline());
    WorkerConfig often = new WorkerConfig(defaults.processes(), defaults.scanTimeout(), defaults.cancelGrace(),
        defaults.maxScans(), defaults.maxRssMb(), defaults.heap(), defaults.gpus(), Duration.ofSeconds(2));
    assertEquals(Duration.ofSeconds(2), new WorkerReplacementPolicy(often).healthDeadline());
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
