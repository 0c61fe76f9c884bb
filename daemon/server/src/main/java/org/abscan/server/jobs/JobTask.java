package org.abscan.server.jobs;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.abscan.proto.scan.v1.FailureReason;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.server.errors.ScanTimeoutException;
import org.abscan.server.errors.ShuttingDownException;
import org.abscan.server.errors.WorkerCrashedException;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One accepted scan and the work that runs it: runs the work once and records how it ended on the job — the
 * report, or a {@link FailureReason} chosen from what was thrown (a cancel, a daemon shutdown, a crashed or
 * timed-out worker, a refused model, a bug). The scheduler decides when; this decides what the outcome means.
 */
final class JobTask {
  private static final Logger LOG = LogManager.getLogger(JobScheduler.class);

  final ScanJob job;
  final ScanWork work;
  private final BooleanSupplier shuttingDown;

  JobTask(ScanJob job, ScanWork work, BooleanSupplier shuttingDown) {
    this.job = job;
    this.work = work;
    this.shuttingDown = shuttingDown;
  }

  void run() {
    try (work) {
      if (job.ended()) {
        return; // cancelled while waiting
      }
      job.markRunning();
      ScanReport report = work.run(job::appendEngineEvent,
          () -> job.cancelRequested() || shuttingDown.getAsBoolean());
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
    } catch (WorkerCrashedException e) {
      job.fail(FailureReason.FAILURE_REASON_WORKER_CRASHED, e.getMessage(), e);
      LOG.warn("scan {} failed: {}", job.id(), e.getMessage());
    } catch (ScanTimeoutException e) {
      job.fail(FailureReason.FAILURE_REASON_TIMEOUT, e.getMessage(), e);
      LOG.warn("scan {} failed: {}", job.id(), e.getMessage());
    } catch (AbscanException e) {
      failed(e);
    } catch (RuntimeException | Error e) {
      job.fail(FailureReason.FAILURE_REASON_INTERNAL, "internal error", e);
      LOG.error("scan {} failed", job.id(), e);
      if (e instanceof VirtualMachineError vme) {
        throw vme;
      }
    }
  }

  /** The engine or a loader refused: the input's fault (its message is the client's) unless INTERNAL. */
  private void failed(AbscanException e) {
    boolean refused = e.category() == ErrorCategory.MODEL_REFUSED;
    boolean internal = e.category() == ErrorCategory.INTERNAL;
    job.fail(refused ? FailureReason.FAILURE_REASON_MODEL_REJECTED : FailureReason.FAILURE_REASON_INTERNAL,
        internal ? "internal error" : e.getMessage(), e);
    if (internal) {
      LOG.warn("scan {} failed: {}", job.id(), e.getMessage(), e); // the stack trace: our bug, not the input's
    } else {
      LOG.warn("scan {} failed: {}", job.id(), e.getMessage());
    }
  }
}
