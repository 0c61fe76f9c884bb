package org.abscan.server.jobs;

import org.abscan.proto.scan.v1.ScanEvent;

/**
 * Receives a scan's events in sequence order, then exactly one {@link #onEnd}. Calls for one watcher never
 * overlap. A watcher that throws is dropped (its client has gone).
 */
public interface ScanWatcher {
  void onEvent(ScanEvent event);

  /** The scan ended (its last event was a report or a failure). */
  void onEnd(ScanJob job);
}
