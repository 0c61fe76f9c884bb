package org.abscan.cli.command;

import java.util.Iterator;
import java.util.Locale;
import java.util.function.Function;
import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;
import org.abscan.cli.progress.ProgressPrinter;
import org.abscan.proto.scan.v1.FailureReason;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanFailed;
import org.abscan.proto.scan.v1.ScanReport;

/** Follows a scan's event stream (Scan or WatchScan) to its report, showing progress on the way. */
final class ScanEvents {
  private ScanEvents() {}

  static <R> ScanReport follow(Iterator<R> responses, Function<R, ScanEvent> event, ProgressPrinter progress) {
    ScanReport report = null;
    try {
      while (responses.hasNext()) {
        ScanEvent next = event.apply(responses.next());
        progress.onScanEvent(next);
        if (next.hasFailed()) {
          throw failure(next.getScanId(), next.getFailed());
        }
        if (next.hasReport()) {
          report = next.getReport();
        }
      }
    } finally {
      progress.finish();
    }
    if (report == null) {
      throw new CliFailure(ExitCodes.SERVER_ERROR, "the scan's event stream ended without a report");
    }
    return report;
  }

  private static CliFailure failure(String scanId, ScanFailed failed) {
    int exitCode = failed.getReason() == FailureReason.FAILURE_REASON_MODEL_REJECTED
        ? ExitCodes.REJECTED
        : ExitCodes.SERVER_ERROR;
    String reason = failed.getReason().name().replaceFirst("^FAILURE_REASON_", "").toLowerCase(Locale.ROOT)
        .replace('_', ' ');
    return new CliFailure(exitCode, "scan " + scanId + " failed (" + reason + "): " + failed.getMessage());
  }
}
