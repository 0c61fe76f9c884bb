package org.abscan.server.worker;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.abscan.proto.worker.v1.CancelTask;
import org.abscan.proto.worker.v1.RunRequest;
import org.abscan.proto.worker.v1.RunResponse;
import org.abscan.proto.worker.v1.WorkerFailure;
import org.abscan.proto.worker.v1.WorkerServiceGrpc;
import org.abscan.server.config.WorkerConfig;
import org.abscan.server.errors.ScanTimeoutException;
import org.abscan.server.errors.WorkerCrashedException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs one task on a worker from the pool, on the caller's thread, and enforces what the daemon promises around
 * it: responses are handed to {@code out} in order; a cancel is passed on to the engine and, if the worker has
 * not stopped within the grace period, the worker is killed; a task past the scan timeout kills its worker; a
 * worker that dies fails only this task, with its exit code or signal.
 */
public final class WorkerCall {
  private static final Logger LOG = LogManager.getLogger(WorkerCall.class);
  private static final Object COMPLETED = new Object();
  private static final long POLL_MILLIS = 50;

  private record StreamBroken(Throwable cause) {}

  private record ProcessEnded() {}

  private final WorkerPool pool;
  private final WorkerConfig limits;

  public WorkerCall(WorkerPool pool, WorkerConfig limits) {
    this.pool = pool;
    this.limits = limits;
  }

  /**
   * @throws CancellationException when cancelled (cooperatively, or by killing the worker after the grace)
   * @throws ScanTimeoutException past {@code --scan-timeout}
   * @throws WorkerCrashedException when the worker died
   * @throws org.abscan.spi.AbscanException the task's own failure, as the worker reported it
   */
  public void run(RunRequest task, Consumer<RunResponse> out, BooleanSupplier cancelled) {
    WorkerPool.Lease lease = pool.lease(cancelled);
    WorkerProcess worker = lease.process();
    WorkerPool.Outcome outcome = WorkerPool.Outcome.FINISHED;
    BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    ClientCallStreamObserver<RunRequest> requests = null;
    try {
      requests = (ClientCallStreamObserver<RunRequest>) WorkerServiceGrpc.newStub(worker.channel())
          .run(new StreamObserver<>() {
            @Override
            public void onNext(RunResponse response) {
              inbox.add(response);
            }

            @Override
            public void onError(Throwable t) {
              inbox.add(new StreamBroken(t));
            }

            @Override
            public void onCompleted() {
              inbox.add(COMPLETED);
            }
          });
      worker.onExit().thenRun(() -> inbox.add(new ProcessEnded()));
      requests.onNext(task);
      long start = System.nanoTime();
      long timeoutNanos = limits.scanTimeout().isZero() ? Long.MAX_VALUE : limits.scanTimeout().toNanos();
      long cancelSentAt = -1;
      WorkerFailure failure = null;
      while (true) {
        Object item = inbox.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (item instanceof RunResponse response) {
          if (response.hasFailure()) {
            failure = response.getFailure();
          } else {
            out.accept(response);
          }
          continue;
        }
        if (item == COMPLETED) {
          requests.onCompleted();
          if (failure != null) {
            throw WorkerMessages.fromProto(failure);
          }
          return;
        }
        if (item instanceof StreamBroken || item instanceof ProcessEnded) {
          outcome = WorkerPool.Outcome.CRASHED;
          throw lost(worker, item);
        }
        long now = System.nanoTime();
        if (cancelSentAt < 0 && cancelled.getAsBoolean()) {
          LOG.info("cancelling the task on {}", worker);
          requests.onNext(RunRequest.newBuilder().setCancel(CancelTask.getDefaultInstance()).build());
          cancelSentAt = now;
        }
        if (cancelSentAt >= 0 && now - cancelSentAt > limits.cancelGrace().toNanos()) {
          outcome = WorkerPool.Outcome.KILLED;
          LOG.warn("{} did not stop within {} ms of the cancel; killing it", worker,
              limits.cancelGrace().toMillis());
          worker.kill();
          throw new CancellationException("cancelled; the worker did not stop in time and was killed");
        }
        if (now - start > timeoutNanos) {
          outcome = WorkerPool.Outcome.KILLED;
          LOG.warn("task on {} exceeded the scan timeout of {} s; killing it", worker,
              limits.scanTimeout().toSeconds());
          worker.kill();
          throw new ScanTimeoutException(limits.scanTimeout());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = WorkerPool.Outcome.KILLED;
      worker.kill();
      throw new CancellationException("interrupted");
    } catch (RuntimeException e) {
      boolean taskEnded = e instanceof org.abscan.spi.AbscanException || e instanceof CancellationException;
      if (outcome == WorkerPool.Outcome.FINISHED && !taskEnded) {
        // The daemon's side failed mid-task (a consumer threw): the worker may still be running it, and a busy
        // worker must not be leased again, so it is replaced.
        outcome = WorkerPool.Outcome.KILLED;
        if (requests != null) {
          requests.cancel("the daemon side of the task failed", e);
        }
        worker.kill();
      }
      throw e;
    } finally {
      pool.release(lease, outcome);
    }
  }

  /** The worker died or its connection broke (then it is killed, as it can no longer be trusted to stop). */
  private RuntimeException lost(WorkerProcess worker, Object item) {
    if (!worker.awaitExit(Duration.ofSeconds(5))) {
      worker.kill();
    }
    if (pool.isClosed()) {
      // Not the worker's fault: the scan ends as interrupted, like an in-process one at shutdown.
      return new CancellationException("the daemon shut down during the scan");
    }
    String cause = item instanceof StreamBroken broken ? " (" + broken.cause().getMessage() + ")" : "";
    LOG.warn("{} {} during a task{}", worker, worker.exitDescription(), cause);
    return new WorkerCrashedException("the worker process running the scan " + worker.exitDescription()
        + " (pid " + worker.pid() + ")");
  }
}
