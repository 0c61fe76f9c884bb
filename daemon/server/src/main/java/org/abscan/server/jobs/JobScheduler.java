package org.abscan.server.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.abscan.proto.scan.v1.FailureReason;
import org.abscan.proto.scan.v1.ScanAccepted;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanQueued;
import org.abscan.server.errors.NotFoundException;
import org.abscan.server.errors.QueueFullException;
import org.abscan.server.errors.ShuttingDownException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs scans on a fixed pool of workers behind a bounded queue shared by all tenants, with a per-tenant cap on
 * running and on waiting scans. A scan refused by a limit leaves nothing recorded, so everything accepted is
 * eventually run; accepted scans get "accepted" and "queued" as their first events (and a new "queued" each time
 * their position improves), then the engine's events, then a report or a failure. Workers take the oldest
 * waiting scan whose tenant is below its running cap, so one tenant's backlog cannot starve the others.
 */
public final class JobScheduler implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(JobScheduler.class);
  /** What RetryInfo suggests when a queue is full: about the time a small scan takes. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final JobStore store;
  private final Clock clock;
  private final SchedulerLimits limits;
  private final AtomicLong ordinals = new AtomicLong();
  private final List<Thread> workers = new ArrayList<>();
  /** Accepted scans not yet picked up by a worker, in queue order. Guarded by {@code this}. */
  private final Map<ScanJob, JobTask> waiting = new LinkedHashMap<>();
  private final Map<String, Integer> runningByTenant = new HashMap<>();
  private final Map<String, Integer> waitingByTenant = new HashMap<>();
  private final java.util.Set<ScanJob> running = new java.util.HashSet<>();
  private int idleWorkers;
  private boolean closed;

  public JobScheduler(JobStore store, Clock clock, SchedulerLimits limits) {
    this.store = store;
    this.clock = clock;
    this.limits = limits;
    this.ordinals.set(store.maxOrdinal());
    for (int i = 1; i <= limits.workers(); i++) {
      Thread worker = new Thread(this::workLoop, "abscan-scan-worker-" + i);
      worker.setDaemon(true);
      workers.add(worker);
    }
    workers.forEach(Thread::start);
  }

  /**
   * Accepts a scan for {@code tenant}.
   *
   * @throws QueueFullException when the shared queue or the tenant's share is full; {@code work} is closed
   */
  public ScanJob submit(String tenant, String modelSha256, ScanWork work, byte[] request) {
    ScanJob job = new ScanJob("scan-" + UUID.randomUUID(), tenant, ordinals.incrementAndGet(), modelSha256,
        clock);
    int position;
    synchronized (this) {
      try {
        checkRoom(tenant);
      } catch (RuntimeException e) {
        work.close();
        throw e;
      }
      position = waiting.size();
      try {
        store.put(job, request);
      } catch (RuntimeException e) {
        work.close();
        throw e;
      }
      job.attachJournal(store);
      job.append(ScanEvent.newBuilder().setAccepted(ScanAccepted.newBuilder().setScanId(job.id())).build());
      job.append(ScanEvent.newBuilder().setQueued(ScanQueued.newBuilder().setPosition(position)).build());
      waiting.put(job, new JobTask(job, work, this::isClosed));
      waitingByTenant.merge(tenant, 1, Integer::sum);
      notifyAll();
    }
    LOG.info("scan {} accepted for tenant '{}', model {} at queue position {}", job.id(), tenant, modelSha256,
        position);
    return job;
  }

  private void checkRoom(String tenant) {
    if (closed) {
      throw new ShuttingDownException("the daemon is shutting down");
    }
    // Idle workers take waiting scans at once, so they count as room too (as with a thread pool's hand-off).
    if (waiting.size() >= limits.queueCapacity() + idleWorkers) {
      throw new QueueFullException("queue", "the scan queue is full (" + waiting.size() + " waiting, "
          + limits.workers() + " workers); retry later", RETRY_AFTER);
    }
    if (waitingByTenant.getOrDefault(tenant, 0) >= limits.tenantMaxQueued()) {
      throw QueueFullException.tenantQuota("tenant_queued_scans", "this tenant already has "
          + limits.tenantMaxQueued() + " scan(s) waiting; retry later", RETRY_AFTER);
    }
  }

  /**
   * Queues a scan recovered from the journal again (it was accepted before the restart, so no limit refuses
   * it); its log continues with a new "queued" event.
   */
  public void requeue(ScanJob job, ScanWork work) {
    synchronized (this) {
      if (closed) {
        work.close();
        return;
      }
      job.attachJournal(store);
      job.markQueued();
      job.append(ScanEvent.newBuilder().setQueued(ScanQueued.newBuilder().setPosition(waiting.size())).build());
      waiting.put(job, new JobTask(job, work, this::isClosed));
      waitingByTenant.merge(job.tenant(), 1, Integer::sum);
      notifyAll();
    }
    LOG.info("scan {} recovered and queued again", job.id());
  }

  /** Ends a recovered scan that will not run again (restart policy, or its input is gone). */
  public void failRecovered(ScanJob job, FailureReason reason, String message) {
    job.attachJournal(store);
    job.fail(reason, message, new ShuttingDownException(message));
    LOG.info("scan {} recovered as {}: {}", job.id(), reason, message);
  }

  /** @throws NotFoundException for an unknown id, or another tenant's scan (which must not be confirmed) */
  public ScanJob get(String tenant, String scanId) {
    return store.find(scanId).filter(job -> job.tenant().equals(tenant))
        .orElseThrow(() -> new NotFoundException("scan", scanId));
  }

  public List<ScanJob> listNewestFirst(String tenant, long olderThan, int limit) {
    return store.listNewestFirst(tenant, olderThan, limit);
  }

  /** 0 = next to run; also 0 for scans no longer waiting. */
  public synchronized int queuePosition(ScanJob job) {
    int position = 0;
    for (ScanJob waitingJob : waiting.keySet()) {
      if (waitingJob == job) {
        return position;
      }
      position++;
    }
    return 0;
  }

  /** Cancels a scan; a waiting one also frees its queue slot at once. */
  public ScanJob cancel(String tenant, String scanId) {
    ScanJob job = get(tenant, scanId);
    JobTask task;
    synchronized (this) {
      task = dequeue(job);
    }
    job.cancel();
    if (task != null) {
      task.work.close();
    }
    return job;
  }

  /** Removes a waiting job (caller holds the lock) and tells the ones behind it their new position. */
  private JobTask dequeue(ScanJob job) {
    JobTask task = waiting.remove(job);
    if (task == null) {
      return null;
    }
    waitingByTenant.merge(job.tenant(), -1, Integer::sum);
    int position = 0;
    boolean behind = false;
    for (ScanJob other : waiting.keySet()) {
      if (behind || other.ordinal() > job.ordinal()) {
        behind = true;
        other.append(ScanEvent.newBuilder().setQueued(ScanQueued.newBuilder().setPosition(position)).build());
      }
      position++;
    }
    return task;
  }

  private void workLoop() {
    while (true) {
      JobTask task;
      synchronized (this) {
        task = nextRunnable();
        while (task == null && !closed) {
          idleWorkers++;
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          } finally {
            idleWorkers--;
          }
          task = nextRunnable();
        }
        if (task == null) {
          return;
        }
        runningByTenant.merge(task.job.tenant(), 1, Integer::sum);
        running.add(task.job);
      }
      try {
        task.run();
      } finally {
        synchronized (this) {
          runningByTenant.merge(task.job.tenant(), -1, Integer::sum);
          running.remove(task.job);
          notifyAll(); // the tenant may now have room to run another
        }
      }
    }
  }

  /** The oldest waiting scan whose tenant may run one more (caller holds the lock). */
  private JobTask nextRunnable() {
    if (closed) {
      return null;
    }
    Iterator<ScanJob> it = waiting.keySet().iterator();
    while (it.hasNext()) {
      ScanJob job = it.next();
      if (runningByTenant.getOrDefault(job.tenant(), 0) < limits.tenantMaxRunning()) {
        return dequeue(job);
      }
    }
    return null;
  }

  /**
   * Stops the workers: waiting scans fail as INTERRUPTED, running ones are asked to cancel. Neither end is
   * journaled: to a durable store they are still accepted, and the next start runs them.
   */
  @Override
  public void close() {
    List<JobTask> dropped;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      dropped = new ArrayList<>(waiting.values());
      dropped.forEach(task -> task.job.detachJournal());
      running.forEach(ScanJob::detachJournal);
      waiting.clear();
      waitingByTenant.clear();
      notifyAll();
    }
    for (JobTask task : dropped) {
      task.job.fail(FailureReason.FAILURE_REASON_INTERRUPTED, "the daemon shut down before the scan ran",
          new ShuttingDownException("the daemon shut down before the scan ran"));
      task.work.close();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Thread worker : workers) {
      try {
        worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (worker.isAlive()) {
        LOG.warn("scan worker {} did not stop within 10 s", worker.getName());
      }
    }
    store.close();
  }

  private synchronized boolean isClosed() {
    return closed;
  }
}
