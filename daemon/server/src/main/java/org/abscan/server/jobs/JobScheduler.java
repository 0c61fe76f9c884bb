package org.abscan.server.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.abscan.proto.scan.v1.FailureReason;
import org.abscan.proto.scan.v1.ScanAccepted;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanQueued;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.server.errors.NotFoundException;
import org.abscan.server.errors.QueueFullException;
import org.abscan.server.errors.ShuttingDownException;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs scans on a fixed pool of workers behind a bounded queue. A scan that finds the queue full is refused
 * (nothing recorded) so that everything accepted is eventually run; accepted scans get "accepted" and "queued"
 * as their first events, then the engine's events, then a report or a failure.
 */
public final class JobScheduler implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(JobScheduler.class);
  /** What RetryInfo suggests when the queue is full: about the time a small scan takes. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final JobStore store;
  private final Clock clock;
  private final ThreadPoolExecutor executor;
  private final AtomicLong ordinals = new AtomicLong();
  /** Accepted scans not yet picked up by a worker, in queue order (guarded by itself). */
  private final Map<ScanJob, JobTask> waiting = new LinkedHashMap<>();

  public JobScheduler(JobStore store, Clock clock, int workers, int queueCapacity) {
    this.store = store;
    this.clock = clock;
    AtomicInteger threads = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueCapacity), r -> {
          Thread t = new Thread(r, "abscan-scan-worker-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Accepts a scan.
   *
   * @throws QueueFullException when every worker is busy and the queue is full; {@code work} is closed
   */
  public ScanJob submit(String modelSha256, ScanWork work) {
    ScanJob job = new ScanJob("scan-" + UUID.randomUUID(), ordinals.incrementAndGet(), modelSha256, clock);
    JobTask task = new JobTask(job, work);
    synchronized (waiting) {
      int position = waiting.size();
      job.append(ScanEvent.newBuilder().setAccepted(ScanAccepted.newBuilder().setScanId(job.id())).build());
      job.append(ScanEvent.newBuilder().setQueued(ScanQueued.newBuilder().setPosition(position)).build());
      waiting.put(job, task);
      try {
        executor.execute(task);
      } catch (RejectedExecutionException e) {
        waiting.remove(job);
        work.close();
        throw new QueueFullException("queue", "the scan queue is full (" + executor.getQueue().size()
            + " waiting, " + executor.getMaximumPoolSize() + " running); retry later", RETRY_AFTER);
      }
      LOG.info("scan {} accepted for model {} at queue position {}", job.id(), modelSha256, position);
    }
    store.put(job);
    return job;
  }

  /** @throws NotFoundException for an unknown id */
  public ScanJob get(String scanId) {
    return store.find(scanId).orElseThrow(() -> new NotFoundException("scan", scanId));
  }

  public List<ScanJob> listNewestFirst(long olderThan, int limit) {
    return store.listNewestFirst(olderThan, limit);
  }

  /** 0 = next to run; also 0 for scans no longer waiting. */
  public int queuePosition(ScanJob job) {
    synchronized (waiting) {
      int position = 0;
      for (ScanJob waitingJob : waiting.keySet()) {
        if (waitingJob == job) {
          return position;
        }
        position++;
      }
      return 0;
    }
  }

  /** Cancels a scan; a waiting one also frees its queue slot at once. */
  public ScanJob cancel(String scanId) {
    ScanJob job = get(scanId);
    JobTask task;
    synchronized (waiting) {
      task = waiting.remove(job);
    }
    job.cancel();
    if (task != null && executor.remove(task)) {
      task.work.close();
    }
    return job;
  }

  /** Stops the workers: waiting scans fail as INTERRUPTED, running ones are asked to cancel. */
  @Override
  public void close() {
    List<JobTask> dropped;
    synchronized (waiting) {
      dropped = new ArrayList<>(waiting.values());
      waiting.clear();
    }
    executor.shutdownNow();
    for (JobTask task : dropped) {
      task.job.fail(FailureReason.FAILURE_REASON_INTERRUPTED, "the daemon shut down before the scan ran",
          new ShuttingDownException("the daemon shut down before the scan ran"));
      task.work.close();
    }
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("scan workers did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class JobTask implements Runnable {
    final ScanJob job;
    final ScanWork work;

    JobTask(ScanJob job, ScanWork work) {
      this.job = job;
      this.work = work;
    }

    @Override
    public void run() {
      synchronized (waiting) {
        waiting.remove(job);
      }
      try (work) {
        if (job.ended()) {
          return; // cancelled while waiting
        }
        job.markRunning();
        ScanReport report = work.run(job::appendEngineEvent,
            () -> job.cancelRequested() || executor.isShutdown());
        job.append(ScanEvent.newBuilder().setReport(report.toBuilder().setScanId(job.id())).build());
        LOG.info("scan {} succeeded: {}", job.id(), report.getVerdict());
      } catch (CancellationException e) {
        if (job.cancelRequested()) {
          job.fail(FailureReason.FAILURE_REASON_CANCELLED, "cancelled", e);
        } else {
          job.fail(FailureReason.FAILURE_REASON_INTERRUPTED, "the daemon shut down during the scan",
              new ShuttingDownException("the daemon shut down during the scan"));
        }
        LOG.info("scan {} stopped: {}", job.id(), job.state());
      } catch (AbscanException e) {
        boolean refused = e.category() == ErrorCategory.MODEL_REFUSED;
        boolean internal = e.category() == ErrorCategory.INTERNAL;
        job.fail(refused ? FailureReason.FAILURE_REASON_MODEL_REJECTED : FailureReason.FAILURE_REASON_INTERNAL,
            internal ? "internal error" : e.getMessage(), e);
        LOG.warn("scan {} failed: {}", job.id(), e.getMessage(), internal ? e : null);
      } catch (RuntimeException | Error e) {
        job.fail(FailureReason.FAILURE_REASON_INTERNAL, "internal error", e);
        LOG.error("scan {} failed", job.id(), e);
        if (e instanceof VirtualMachineError vme) {
          throw vme;
        }
      }
    }
  }
}
