package org.abscan.server.worker;

/**
 * One of {@link WorkerPool}'s places for a worker process: at most one live process, running at most one task. Its
 * fields are guarded by the pool's lock.
 */
final class WorkerSlot {
  /** CHECKING: idle, under a health check, not to be leased until it answers. */
  enum State { STARTING, IDLE, CHECKING, BUSY, DOWN }

  final int index;
  WorkerProcess process;
  State state = State.STARTING;
  /** Tasks the current process has run. */
  int tasks;
  /** Consecutive failures (start failures, crashes, unanswered health checks), for the restart backoff. */
  int failures;

  WorkerSlot(int index) {
    this.index = index;
  }

  /** Idle and alive: may be leased or health-checked. */
  boolean idleAndAlive() {
    return state == State.IDLE && process.isAlive();
  }
}
