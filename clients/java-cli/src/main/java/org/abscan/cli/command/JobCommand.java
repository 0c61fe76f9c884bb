package org.abscan.cli.command;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.abscan.cli.report.ReportSummary;
import org.abscan.proto.scan.v1.ScanState;
import org.abscan.proto.scan.v1.ScanSummary;

/**
 * A command on a daemon's scan jobs (get, list, cancel, watch). Jobs live in a daemon's store, so these need
 * --server: an embedded daemon starts empty and ends with the command.
 */
public abstract class JobCommand extends ConnectedCommand {
  @Override
  protected boolean requiresServer() {
    return true;
  }

  static String state(ScanState state) {
    return state.name().replaceFirst("^SCAN_STATE_", "");
  }

  static String time(long unixMillis) {
    return unixMillis == 0 ? "-" : Instant.ofEpochMilli(unixMillis).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** "RUNNING", "SUCCEEDED: TROJANED (label 0, REASR 0.990)", "FAILED: <why>", ... */
  static String outcome(ScanSummary scan) {
    StringBuilder text = new StringBuilder(state(scan.getState()));
    switch (scan.getState()) {
      case SCAN_STATE_SUCCEEDED -> text.append(": ").append(ReportSummary.verdictName(scan.getVerdict()))
          .append(String.format(Locale.ROOT, " (label %s, REASR %.3f)",
              scan.hasTargetLabel() ? String.valueOf(scan.getTargetLabel()) : "none", scan.getMaxReasr()));
      case SCAN_STATE_FAILED -> text.append(": ").append(scan.getFailure().getMessage());
      case SCAN_STATE_QUEUED -> text.append(" at position ").append(scan.getQueuePosition());
      default -> {
        // RUNNING and CANCELLED say it all.
      }
    }
    return text.toString();
  }
}
