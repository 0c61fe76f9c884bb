package org.abscan.server.errors;

/** The worker process running a task died (killed, aborted, exited) before the task ended. */
public final class WorkerCrashedException extends RuntimeException {
  public WorkerCrashedException(String message) {
    super(message);
  }
}
