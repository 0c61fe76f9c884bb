package org.abscan.server.worker;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.config.WorkerConfig;
import org.abscan.server.errors.ShuttingDownException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Supervises the worker processes: one {@link WorkerSlot} per configured worker, each holding at most one live
 * process that runs one task at a time. A process that dies is replaced after a backoff; one past its task or
 * memory limit is recycled after a task ({@link WorkerReplacementPolicy}). Idle workers are health-checked every
 * {@code --worker-health-interval}: a process that is alive but does not answer (stopped, deadlocked) would
 * otherwise take the next scan and hold it until the scan timeout.
 */
public final class WorkerPool implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(WorkerPool.class);
  static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  /** How a lease ended, which decides what becomes of its worker. */
  enum Outcome { FINISHED, KILLED, CRASHED }

  /** A worker held for one task. */
  record Lease(WorkerSlot slot, WorkerProcess process) {}

  private final DaemonConfig config;
  private final WorkerConfig limits;
  private final WorkerReplacementPolicy policy;
  private final Path socketDir;
  private final EventLoopGroup group = new EpollEventLoopGroup(1);
  private final List<WorkerSlot> slots = new ArrayList<>();
  private final ScheduledExecutorService supervisor;
  private int recycles;
  private int restarts;
  private int startFailures;
  private int unresponsive;
  private boolean closed;

  public WorkerPool(DaemonConfig config) {
    this.config = config;
    this.limits = config.worker();
    this.policy = new WorkerReplacementPolicy(limits);
    try {
      // Sockets live in a fresh 0700 directory: only this user can connect to a worker. /tmp keeps the path
      // short (Unix socket paths are limited to 107 bytes).
      this.socketDir = Files.createTempDirectory("abscan-workers-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the worker socket directory", e);
    }
    this.supervisor = Executors.newScheduledThreadPool(Math.min(config.workers(), 4), r -> {
      Thread t = new Thread(r, "abscan-worker-supervisor");
      t.setDaemon(true);
      return t;
    });
    for (int i = 1; i <= config.workers(); i++) {
      WorkerSlot slot = new WorkerSlot(i);
      slots.add(slot);
      supervisor.execute(() -> start(slot));
    }
    Duration interval = limits.healthInterval();
    if (!interval.isZero()) {
      // A periodic task that throws is never run again, so nothing may escape it.
      supervisor.scheduleWithFixedDelay(() -> {
        try {
          checkIdleWorkers();
        } catch (RuntimeException e) {
          LOG.error("worker health check failed: {}", e.toString());
        }
      }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    LOG.info("{} worker process(es), sockets in {}", config.workers(), socketDir);
  }

  /**
   * Health-checks every idle worker, one at a time; while checked it is not leased. One that does not answer
   * SERVING within the deadline is killed and replaced (counted as a failure, so the restart backs off).
   */
  private void checkIdleWorkers() {
    Duration deadline = policy.healthDeadline();
    for (WorkerSlot slot : slots) {
      WorkerProcess process;
      synchronized (this) {
        if (closed || !slot.idleAndAlive()) {
          continue;
        }
        slot.state = WorkerSlot.State.CHECKING;
        process = slot.process;
      }
      boolean healthy = process.answersHealth(deadline);
      synchronized (this) {
        if (closed || slot.process != process || slot.state != WorkerSlot.State.CHECKING) {
          continue;
        }
        if (healthy) {
          slot.state = WorkerSlot.State.IDLE;
          notifyAll();
          continue;
        }
        unresponsive++;
        slot.state = WorkerSlot.State.DOWN;
        slot.failures++;
        LOG.warn("{} did not answer a health check within {} ms", process, deadline.toMillis());
        scheduleRestart(slot, process);
      }
    }
  }

  /**
   * Waits for an idle worker and marks it busy.
   *
   * @throws CancellationException when {@code cancelled} turns true while waiting
   * @throws ShuttingDownException when the pool closes
   */
  Lease lease(BooleanSupplier cancelled) {
    synchronized (this) {
      while (true) {
        if (closed) {
          throw new ShuttingDownException("the daemon is shutting down");
        }
        for (WorkerSlot slot : slots) {
          if (slot.idleAndAlive()) {
            slot.state = WorkerSlot.State.BUSY;
            return new Lease(slot, slot.process);
          }
        }
        if (cancelled.getAsBoolean()) {
          throw new CancellationException("cancelled while waiting for a worker");
        }
        try {
          wait(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancellationException("interrupted while waiting for a worker");
        }
      }
    }
  }

  void release(Lease lease, Outcome outcome) {
    WorkerSlot slot = lease.slot();
    WorkerProcess process = lease.process();
    synchronized (this) {
      if (closed || slot.process != process) {
        return;
      }
      if (outcome == Outcome.FINISHED && process.isAlive()) {
        slot.tasks++;
        slot.failures = 0;
        String reason = policy.recycleReason(slot.tasks, process.pid());
        if (reason == null) {
          slot.state = WorkerSlot.State.IDLE;
          notifyAll();
          return;
        }
        recycles++;
        slot.state = WorkerSlot.State.DOWN;
        LOG.info("recycling {}: {}", process, reason);
        supervisor.execute(() -> {
          process.stop(Duration.ofSeconds(5));
          start(slot);
        });
        return;
      }
      slot.state = WorkerSlot.State.DOWN;
      if (outcome != Outcome.KILLED) {
        slot.failures++;
      }
      scheduleRestart(slot, process);
    }
  }

  /** Caller holds the lock. */
  private void scheduleRestart(WorkerSlot slot, WorkerProcess dead) {
    restarts++;
    long delay = WorkerReplacementPolicy.backoffMillis(slot.failures);
    LOG.warn("{} {}; starting a replacement in {} ms", dead, dead.exitDescription(), delay);
    supervisor.schedule(() -> {
      dead.kill();
      start(slot);
    }, delay, TimeUnit.MILLISECONDS);
  }

  private void start(WorkerSlot slot) {
    synchronized (this) {
      if (closed) {
        return;
      }
      slot.state = WorkerSlot.State.STARTING;
    }
    WorkerProcess process;
    try {
      process = WorkerProcess.start("worker-" + slot.index,
          WorkerCommand.of(config, socketDir.resolve("w" + slot.index + ".sock"),
              config.dataDir().resolve("plugin-scratch")),
          WorkerCommand.environment(limits, slot.index),
          socketDir.resolve("w" + slot.index + ".sock"), group, READY_TIMEOUT);
    } catch (IOException | RuntimeException e) {
      LOG.error("worker-{} could not start: {}", slot.index, e.getMessage());
      synchronized (this) {
        startFailures++;
        slot.failures++;
        long delay = WorkerReplacementPolicy.backoffMillis(slot.failures);
        if (!closed) {
          supervisor.schedule(() -> start(slot), delay, TimeUnit.MILLISECONDS);
        }
      }
      return;
    }
    synchronized (this) {
      if (closed) {
        process.stop(Duration.ofSeconds(2));
        return;
      }
      slot.process = process;
      slot.tasks = 0;
      slot.state = WorkerSlot.State.IDLE;
      notifyAll();
    }
    process.onExit().thenRun(() -> onExit(slot, process));
  }

  /** A worker that dies between tasks is replaced; one that dies in a task is its caller's to report. */
  private synchronized void onExit(WorkerSlot slot, WorkerProcess process) {
    if (!closed && slot.process == process && slot.state == WorkerSlot.State.IDLE) {
      slot.state = WorkerSlot.State.DOWN;
      slot.failures++;
      scheduleRestart(slot, process);
    }
  }

  /** Pids of the live workers, by slot (0 where none is up). For operators' logs, tests and harnesses. */
  public synchronized List<Long> pids() {
    return slots.stream().map(s -> s.process != null && s.process.isAlive() ? s.process.pid() : 0L).toList();
  }

  /** Workers replaced because of --worker-max-scans or --worker-max-rss-mb. */
  public synchronized int recycles() {
    return recycles;
  }

  /** Workers replaced after they died or were killed. */
  public synchronized int restarts() {
    return restarts;
  }

  /** Idle workers replaced because they did not answer a health check. */
  public synchronized int unresponsive() {
    return unresponsive;
  }

  /** Worker JVMs that did not come up (each retried after the backoff). */
  public synchronized int startFailures() {
    return startFailures;
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /** Stops every worker (stdin closed, then signals) and removes the socket directory. */
  @Override
  public void close() {
    List<WorkerProcess> live = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      slots.stream().filter(s -> s.process != null).forEach(s -> live.add(s.process));
      notifyAll();
    }
    supervisor.shutdownNow();
    try {
      // A start in progress ends (and stops what it started) before the directory is removed.
      supervisor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    live.forEach(p -> p.stop(Duration.ofSeconds(5)));
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    try (var entries = Files.list(socketDir)) {
      for (Path entry : entries.toList()) {
        Files.deleteIfExists(entry);
      }
      Files.deleteIfExists(socketDir);
    } catch (IOException e) {
      LOG.debug("cannot remove {}: {}", socketDir, e.getMessage());
    }
    LOG.info("worker processes stopped");
  }
}
