package org.abscan.server.services;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.abscan.engine.Cancellation;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.worker.v1.RunRequest;
import org.abscan.server.jobs.ScanWork;
import org.abscan.server.worker.WorkerCall;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;

/** A queued scan that runs in a worker process: the task carries the model file and the decoded seeds. */
final class WorkerScanWork implements ScanWork {
  private final WorkerCall call;
  private final RunRequest task;

  WorkerScanWork(WorkerCall call, RunRequest task) {
    this.call = call;
    this.task = task;
  }

  @Override
  public ScanReport run(Consumer<ScanEvent> events, Cancellation cancellation) {
    AtomicReference<ScanReport> report = new AtomicReference<>();
    call.run(task, response -> {
      if (response.hasScanEvent()) {
        events.accept(response.getScanEvent());
      } else if (response.hasScanReport()) {
        report.set(response.getScanReport());
      }
    }, cancellation::isCancelled);
    if (report.get() == null) {
      throw new AbscanException(ErrorCategory.INTERNAL, "the worker ended the scan without a report");
    }
    return report.get();
  }
}
