package org.abscan.server.services;

import com.google.protobuf.InvalidProtocolBufferException;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.abscan.proto.scan.v1.FailureReason;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.server.auth.Tenants;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.jobs.JobScheduler;
import org.abscan.server.jobs.JobStore;
import org.abscan.server.jobs.RecoveredJob;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * At startup, gives every scan the journal says was accepted but not finished its due: waiting ones are queued
 * again; running ones run again ({@code --on-restart rerun}) or end INTERRUPTED ({@code interrupt}). Re-running
 * prepares the stored request again, as the tenant that sent it, so a model deleted meanwhile ends the scan
 * with a reason instead of losing it.
 */
@Singleton
public final class ScanRecovery {
  private static final Logger LOG = LogManager.getLogger(ScanRecovery.class);

  private final JobStore store;
  private final JobScheduler scheduler;
  private final ScanBackend backend;
  private final boolean rerun;
  private boolean done;

  @Inject
  ScanRecovery(JobStore store, JobScheduler scheduler, ScanBackend backend, DaemonConfig config) {
    this.store = store;
    this.scheduler = scheduler;
    this.backend = backend;
    this.rerun = config.jobs().rerunOnRestart();
  }

  /** Idempotent: only the first call recovers. */
  public synchronized void run() {
    if (done) {
      return;
    }
    done = true;
    for (RecoveredJob recovered : store.recovered()) {
      if (recovered.wasRunning() && !rerun) {
        scheduler.failRecovered(recovered.job(), FailureReason.FAILURE_REASON_INTERRUPTED,
            "the daemon restarted during the scan");
        continue;
      }
      try {
        ScanRequest request = ScanRequest.parseFrom(recovered.request());
        ScanBackend.PreparedScan prepared = Tenants.with(recovered.job().tenant())
            .call(() -> backend.prepareScan(request));
        scheduler.requeue(recovered.job(), prepared.work());
      } catch (InvalidProtocolBufferException e) {
        scheduler.failRecovered(recovered.job(), FailureReason.FAILURE_REASON_INTERNAL,
            "the stored request is unreadable");
      } catch (Exception e) {
        LOG.warn("scan {} cannot run again after the restart: {}", recovered.job().id(), e.getMessage());
        scheduler.failRecovered(recovered.job(), FailureReason.FAILURE_REASON_INTERRUPTED,
            "the daemon restarted and the scan cannot run again: " + e.getMessage());
      }
    }
  }
}
