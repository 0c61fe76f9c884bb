package org.abscan.server.jobs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.abscan.proto.scan.v1.FailureReason;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanFailed;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.ScanState;
import org.abscan.proto.scan.v1.ScanSummary;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One scan: its state and its event log. The server stamps each event (sequence 1, 2, 3, ..., scan id, time)
 * as it is appended and fans it out to every watcher; a watcher that attaches later first replays the log after
 * the sequence it asks for, so no event is missed or repeated. All state changes happen under this object's
 * lock, which also serialises the calls to each watcher.
 */
public final class ScanJob {
  private static final Logger LOG = LogManager.getLogger(ScanJob.class);

  private final String id;
  private final String tenant;
  private final long ordinal;
  private final String modelSha256;
  private final Clock clock;
  private final long createdMillis;
  private final List<ScanEvent> events = new ArrayList<>();
  private final List<ScanWatcher> watchers = new ArrayList<>();
  private ScanState state = ScanState.SCAN_STATE_QUEUED;
  private long updatedMillis;
  private volatile boolean cancelRequested;
  private ScanReport report;
  private ScanFailed failure;
  private Throwable failureCause;
  /** Write-ahead journal of stamped events; none once the daemon is stopping (see {@link #detachJournal()}). */
  private JobStore journal;

  ScanJob(String id, String tenant, long ordinal, String modelSha256, Clock clock) {
    this(id, tenant, ordinal, modelSha256, clock, clock.millis());
  }

  private ScanJob(String id, String tenant, long ordinal, String modelSha256, Clock clock, long createdMillis) {
    this.id = id;
    this.tenant = tenant;
    this.ordinal = ordinal;
    this.modelSha256 = modelSha256;
    this.clock = clock;
    this.createdMillis = createdMillis;
    this.updatedMillis = createdMillis;
  }

  /** A job rebuilt from a journal: its events replayed (not journaled again), its state what they say. */
  public static ScanJob restore(String id, String tenant, long ordinal, String modelSha256, long createdMillis,
      List<ScanEvent> events, Clock clock) {
    ScanJob job = new ScanJob(id, tenant, ordinal, modelSha256, clock, createdMillis);
    synchronized (job) {
      for (ScanEvent event : events) {
        job.events.add(event);
        job.updatedMillis = event.getUnixMillis();
        job.applyState(event);
      }
    }
    return job;
  }

  synchronized void attachJournal(JobStore store) {
    this.journal = store;
  }

  /**
   * Stops journaling: what happens to the job from now on (its stop at daemon shutdown) is not its fate, so a
   * restarted daemon still finds it waiting or running.
   */
  synchronized void detachJournal() {
    this.journal = null;
  }

  public long createdMillis() {
    return createdMillis;
  }

  public String modelSha256() {
    return modelSha256;
  }

  public String id() {
    return id;
  }

  /** Who submitted the scan; only that tenant sees it. */
  public String tenant() {
    return tenant;
  }

  /** Creation order; newer jobs have larger ordinals. */
  public long ordinal() {
    return ordinal;
  }

  public boolean cancelRequested() {
    return cancelRequested;
  }

  public synchronized ScanState state() {
    return state;
  }

  public synchronized boolean ended() {
    return state == ScanState.SCAN_STATE_SUCCEEDED
        || state == ScanState.SCAN_STATE_FAILED
        || state == ScanState.SCAN_STATE_CANCELLED;
  }

  public synchronized Optional<ScanReport> report() {
    return Optional.ofNullable(report);
  }

  /** Why the scan failed, as thrown by the work (for the Scan call's closing status). */
  public synchronized Optional<Throwable> failureCause() {
    return Optional.ofNullable(failureCause);
  }

  /** Appends an event; {@code event}'s sequence, scan id and time are set here. Ignored once ended. */
  public synchronized void append(ScanEvent event) {
    if (ended()) {
      return;
    }
    ScanEvent stamped = event.toBuilder()
        .setSequence(events.size() + 1L)
        .setScanId(id)
        .setUnixMillis(clock.millis())
        .build();
    if (journal != null) {
      try {
        journal.appended(this, stamped); // ahead of the watchers: what they saw survives a crash
      } catch (RuntimeException e) {
        // A full disk must not also fail the scan (or kill the worker recording that failure): the scan
        // goes on in memory and the operator learns durability is degraded.
        LOG.error("scan {}: cannot journal event {}; continuing in memory only", id, stamped.getSequence(), e);
      }
    }
    events.add(stamped);
    updatedMillis = stamped.getUnixMillis();
    applyState(stamped);
    for (ScanWatcher watcher : List.copyOf(watchers)) {
      deliver(watcher, stamped);
    }
    if (ended()) {
      for (ScanWatcher watcher : List.copyOf(watchers)) {
        end(watcher);
      }
      watchers.clear();
    }
  }

  private void applyState(ScanEvent event) {
    switch (event.getKindCase()) {
      case REPORT -> {
        report = event.getReport();
        state = ScanState.SCAN_STATE_SUCCEEDED;
      }
      case FAILED -> {
        failure = event.getFailed();
        state = failure.getReason() == FailureReason.FAILURE_REASON_CANCELLED
            ? ScanState.SCAN_STATE_CANCELLED
            : ScanState.SCAN_STATE_FAILED;
      }
      default -> { }
    }
  }

  /**
   * An event from the engine. Lifecycle events (accepted, queued, report, failed) are the server's to emit:
   * the engine returns its report and throws its failures, so such an event from it is dropped.
   */
  void appendEngineEvent(ScanEvent event) {
    switch (event.getKindCase()) {
      case ACCEPTED, QUEUED, REPORT, FAILED, KIND_NOT_SET ->
          LOG.warn("scan {}: ignoring a {} event from the engine", id, event.getKindCase());
      default -> append(event);
    }
  }

  synchronized void markRunning() {
    if (state == ScanState.SCAN_STATE_QUEUED) {
      state = ScanState.SCAN_STATE_RUNNING;
      updatedMillis = clock.millis();
      if (journal != null) {
        try {
          journal.started(this);
        } catch (RuntimeException e) {
          LOG.error("scan {}: cannot journal its start", id, e);
        }
      }
    }
  }

  /** Back to waiting (a recovered scan re-queued for another run). */
  synchronized void markQueued() {
    if (state == ScanState.SCAN_STATE_RUNNING) {
      state = ScanState.SCAN_STATE_QUEUED;
    }
  }

  synchronized void fail(FailureReason reason, String message, Throwable cause) {
    if (!ended()) {
      failureCause = cause;
      append(ScanEvent.newBuilder()
          .setFailed(ScanFailed.newBuilder().setReason(reason).setMessage(message))
          .build());
    }
  }

  /**
   * Asks the scan to stop: a queued scan ends at once; a running one ends when the engine next polls its
   * cancellation. Cancelling an ended scan does nothing.
   */
  public synchronized void cancel() {
    if (ended()) {
      return;
    }
    cancelRequested = true;
    if (state == ScanState.SCAN_STATE_QUEUED) {
      fail(FailureReason.FAILURE_REASON_CANCELLED, "cancelled while queued",
          new java.util.concurrent.CancellationException("cancelled"));
    }
  }

  /**
   * Replays events after {@code afterSequence}, then streams new ones; ends the watcher at once if the scan has
   * ended.
   *
   * @return detaches the watcher (e.g. when its client goes away)
   */
  public synchronized Runnable watch(long afterSequence, ScanWatcher watcher) {
    for (int i = (int) Math.max(0, Math.min(afterSequence, events.size())); i < events.size(); i++) {
      if (!deliver(watcher, events.get(i))) {
        return () -> { };
      }
    }
    if (ended()) {
      end(watcher);
      return () -> { };
    }
    watchers.add(watcher);
    return () -> {
      synchronized (this) {
        watchers.remove(watcher);
      }
    };
  }

  /** The first {@code n} events of the log (fewer if it is shorter). */
  public synchronized List<ScanEvent> firstEvents(int n) {
    return List.copyOf(events.subList(0, Math.min(n, events.size())));
  }

  public synchronized ScanSummary summary(int queuePosition) {
    ScanSummary.Builder summary = ScanSummary.newBuilder()
        .setScanId(id)
        .setState(state)
        .setModelSha256(modelSha256)
        .setCreatedUnixMillis(createdMillis)
        .setUpdatedUnixMillis(updatedMillis)
        .setQueuePosition(queuePosition);
    if (report != null) {
      summary.setVerdict(report.getVerdict()).setMaxReasr(report.getMaxReasr());
      if (report.hasTargetLabel()) {
        summary.setTargetLabel(report.getTargetLabel());
      }
    }
    if (failure != null) {
      summary.setFailure(failure);
    }
    return summary.build();
  }

  private boolean deliver(ScanWatcher watcher, ScanEvent event) {
    try {
      watcher.onEvent(event);
      return true;
    } catch (RuntimeException e) {
      LOG.debug("scan {}: dropping a watcher that failed: {}", id, e.toString());
      watchers.remove(watcher);
      return false;
    }
  }

  private void end(ScanWatcher watcher) {
    try {
      watcher.onEnd(this);
    } catch (RuntimeException e) {
      LOG.debug("scan {}: watcher failed at end: {}", id, e.toString());
    }
  }
}
