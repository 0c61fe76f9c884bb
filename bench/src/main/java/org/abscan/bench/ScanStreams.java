package org.abscan.bench;

import java.util.Iterator;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.ScanResponse;

/** Reading a Scan call's event stream the way a harness needs it: to the report, or a clear failure. */
public final class ScanStreams {
  private ScanStreams() {}

  /**
   * Drains {@code events} and returns the final report.
   *
   * @param what names the scan in failures (a model name, a run label)
   * @throws IllegalStateException when the scan reports a failure or ends without a report
   */
  public static ScanReport awaitReport(Iterator<ScanResponse> events, String what) {
    return awaitReport(events, what, event -> { });
  }

  /** As {@link #awaitReport(Iterator, String)}, showing every event to {@code observer} as it arrives. */
  public static ScanReport awaitReport(
      Iterator<ScanResponse> events, String what, java.util.function.Consumer<ScanEvent> observer) {
    ScanReport report = null;
    while (events.hasNext()) {
      ScanResponse response = events.next();
      observer.accept(response.getEvent());
      if (response.getEvent().hasReport()) {
        report = response.getEvent().getReport();
      }
      if (response.getEvent().hasFailed()) {
        throw new IllegalStateException(what + ": scan failed: " + response.getEvent().getFailed().getMessage());
      }
    }
    if (report == null) {
      throw new IllegalStateException(what + ": scan ended without a report");
    }
    return report;
  }
}
