package org.abscan.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ConcurrentJobsTest {
  @Test
  void resultsComeBackInJobOrderWhateverOrderTheJobsFinishIn() {
    CountDownLatch secondDone = new CountDownLatch(1);
    List<Function<Cancellation, String>> jobs = List.of(
        c -> {
          await(secondDone); // finishes after the second job: only possible when both run at once
          return "first";
        },
        c -> {
          secondDone.countDown();
          return "second";
        });
    assertEquals(List.of("first", "second"), ConcurrentJobs.run(jobs, 2, Cancellation.NEVER));
  }

  @Test
  void oneAtATimeRunsOnTheCallersThread() {
    Thread caller = Thread.currentThread();
    List<Function<Cancellation, Thread>> jobs = List.of(c -> Thread.currentThread(), c -> Thread.currentThread());
    List<Thread> threads = ConcurrentJobs.run(jobs, 1, Cancellation.NEVER);
    assertSame(caller, threads.get(0));
    assertSame(caller, threads.get(1));
  }

  @Test
  void aFailureCancelsTheSiblingsAndIsRethrownAfterAllHaveStopped() {
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicBoolean siblingStopped = new AtomicBoolean();
    CountDownLatch siblingStarted = new CountDownLatch(1);
    List<Function<Cancellation, String>> jobs = List.of(
        c -> {
          siblingStarted.countDown();
          try {
            while (true) { // a long optimisation loop that polls its cancellation
              c.check();
              Thread.onSpinWait();
            }
          } finally {
            siblingStopped.set(true);
          }
        },
        c -> {
          await(siblingStarted);
          throw boom;
        });
    IllegalStateException thrown =
        assertThrows(IllegalStateException.class, () -> ConcurrentJobs.run(jobs, 2, Cancellation.NEVER));
    assertSame(boom, thrown, "the first failure, not the sibling's cancellation");
    assertTrue(siblingStopped.get(), "the sibling was waited for");
  }

  @Test
  void theScansCancellationReachesEveryJob() {
    List<Function<Cancellation, String>> jobs = List.of(c -> {
      c.check();
      return "ran";
    }, c -> {
      c.check();
      return "ran";
    });
    assertThrows(CancellationException.class, () -> ConcurrentJobs.run(jobs, 2, () -> true));
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS), "latch");
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
