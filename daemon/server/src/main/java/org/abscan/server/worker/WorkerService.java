package org.abscan.server.worker;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.abscan.proto.worker.v1.RunRequest;
import org.abscan.proto.worker.v1.RunResponse;
import org.abscan.proto.worker.v1.WorkerServiceGrpc;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The worker's end of abscan.worker.v1: one task at a time on the task thread. A cancel message, or the daemon
 * cancelling the stream, is seen by the engine at its next cancellation check. Task failures travel as
 * WorkerFailure messages and the stream ends OK, so to the daemon a transport error always means a lost worker.
 */
final class WorkerService extends WorkerServiceGrpc.WorkerServiceImplBase {
  private static final Logger LOG = LogManager.getLogger(WorkerService.class);

  private final WorkerTasks tasks;
  private final ExecutorService taskThread;
  private final AtomicBoolean busy = new AtomicBoolean();

  WorkerService(WorkerTasks tasks, ExecutorService taskThread) {
    this.tasks = tasks;
    this.taskThread = taskThread;
  }

  @Override
  public StreamObserver<RunRequest> run(StreamObserver<RunResponse> responses) {
    ServerCallStreamObserver<RunResponse> call = (ServerCallStreamObserver<RunResponse>) responses;
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicBoolean started = new AtomicBoolean();
    call.setOnCancelHandler(() -> cancelled.set(true));
    return new StreamObserver<>() {
      @Override
      public void onNext(RunRequest request) {
        if (request.hasCancel()) {
          LOG.info("cancel requested");
          cancelled.set(true);
        } else if (started.compareAndSet(false, true)) {
          if (!busy.compareAndSet(false, true)) {
            // The daemon leases a worker for one task at a time; a second one is a daemon bug.
            send(call, RunResponse.newBuilder().setFailure(WorkerMessages.toProto(new AbscanException(
                ErrorCategory.INTERNAL, "worker busy"))).build());
            call.onCompleted();
            return;
          }
          taskThread.execute(() -> runTask(request, call, cancelled));
        }
      }

      @Override
      public void onError(Throwable t) {
        cancelled.set(true);
      }

      @Override
      public void onCompleted() {
        // The daemon half-closes after the task; nothing to do.
      }
    };
  }

  private void runTask(RunRequest request, ServerCallStreamObserver<RunResponse> call, AtomicBoolean cancelled) {
    long start = System.nanoTime();
    try {
      tasks.run(request, response -> send(call, response), cancelled::get);
      LOG.info("{} task done in {} ms", request.getKindCase(), (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException | Error e) {
      if (!(e instanceof AbscanException) && !(e instanceof java.util.concurrent.CancellationException)) {
        LOG.error("{} task failed", request.getKindCase(), e);
      } else {
        LOG.info("{} task ended: {}", request.getKindCase(), e.toString());
      }
      send(call, RunResponse.newBuilder().setFailure(WorkerMessages.toProto(e)).build());
      if (e instanceof VirtualMachineError) {
        // The JVM is in no state to run another model; the daemon sees the exit and respawns.
        Runtime.getRuntime().halt(70);
      }
    } finally {
      busy.set(false);
      synchronized (call) {
        if (!call.isCancelled()) {
          call.onCompleted();
        }
      }
    }
  }

  private static void send(ServerCallStreamObserver<RunResponse> call, RunResponse response) {
    synchronized (call) {
      if (!call.isCancelled()) {
        call.onNext(response);
      }
    }
  }
}
