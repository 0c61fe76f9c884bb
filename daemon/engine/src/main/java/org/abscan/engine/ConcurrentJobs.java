package org.abscan.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs independent jobs (a scan's reverse-engineering batches, one per trigger kind) on a few threads and hands
 * their results back in submission order. Why: one trigger batch's TensorFlow steps are small (a few hundred
 * 28x28 images) and keep two cores only partly busy, so the pixel and filter batches overlapped finish well
 * before they would one after the other. Each job has its own graph and session, so the results do not
 * depend on the interleaving.
 *
 * <p>Every job is waited for before this returns, also when one fails (a job may still be inside a TensorFlow
 * run on the model, which the caller is about to release). The first failure stops the others at their next
 * cancellation check and is the one rethrown.
 */
final class ConcurrentJobs {
  /**
   * System property: how many jobs run at once (1: one after the other). Default: 2 (one per trigger kind of
   * the default scan), or 1 on a single core. Not more by default: every running job holds a trigger graph of
   * up to 2048 stamped images, and label-specific scans have one job per label and kind.
   */
  static final String PARALLELISM_PROPERTY = "abscan.re.parallelism";
  private static final int DEFAULT_PARALLELISM = 2;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private ConcurrentJobs() {}

  /** The configured parallelism: the property if set to a positive number, else the default. */
  static int defaultParallelism() {
    Integer configured = Integer.getInteger(PARALLELISM_PROPERTY);
    return configured != null && configured > 0
        ? configured : Math.min(DEFAULT_PARALLELISM, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Runs every job, at most {@code parallelism} at once, each given a cancellation that also trips when a
   * sibling failed.
   *
   * @return the jobs' results, in the jobs' order
   */
  static <T> List<T> run(List<Function<Cancellation, T>> jobs, int parallelism, Cancellation cancellation) {
    if (jobs.size() <= 1 || parallelism <= 1) {
      List<T> results = new ArrayList<>();
      for (Function<Cancellation, T> job : jobs) {
        results.add(job.apply(cancellation));
      }
      return results;
    }
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    Cancellation shared = () -> firstFailure.get() != null || cancellation.isCancelled();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, jobs.size()), r -> {
      Thread thread = new Thread(r, "abscan-re-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Function<Cancellation, T> job : jobs) {
        futures.add(pool.submit(() -> {
          try {
            return job.apply(shared);
          } catch (RuntimeException | Error e) {
            firstFailure.compareAndSet(null, e);
            throw e;
          }
        }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(awaitQuietly(future));
      }
      Throwable failure = firstFailure.get();
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }

  /** The job's result, or null when it failed (its failure is in firstFailure); waits through interrupts. */
  private static <T> T awaitQuietly(Future<T> future) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true; // the job must still be waited for: it may be using the model
        } catch (ExecutionException e) {
          return null;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
