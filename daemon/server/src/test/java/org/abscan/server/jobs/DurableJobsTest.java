package org.abscan.server.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.abscan.proto.scan.v1.FailureReason;
import org.abscan.proto.scan.v1.GetScanRequest;
import org.abscan.proto.scan.v1.GetScanResponse;
import org.abscan.proto.scan.v1.ListScansRequest;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.ScanResponse;
import org.abscan.proto.scan.v1.ScanState;
import org.abscan.proto.scan.v1.Verdict;
import org.abscan.proto.scan.v1.WatchScanRequest;
import org.abscan.server.config.JobsConfig;
import org.abscan.server.testing.GrpcCleanup;
import org.abscan.server.testing.TestDaemon;
import org.abscan.server.testing.TestModelPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accepted scans outlive the daemon. The first daemon is abandoned mid-scan, as after a kill -9: it writes
 * nothing more, and a second daemon on the same data directory must account for every scan it accepted.
 */
class DurableJobsTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;

  private TestDaemon durable(boolean rerun) {
    return new TestDaemon(cleanup, temp, c -> c.withWorkers(1).withQueueCapacity(4)
        .withJobs(new JobsConfig(true, rerun, 30)));
  }

  private static String acceptedId(Iterator<ScanResponse> responses) {
    return responses.next().getEvent().getAccepted().getScanId();
  }

  /** One scan running (held by the fake engine) and one waiting behind it. */
  private static String[] runningAndQueued(TestDaemon first, String model) {
    Iterator<ScanResponse> running = first.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4)));
    String runningId = acceptedId(running);
    while (running.next().getEvent().getKindCase() != ScanEvent.KindCase.MODEL_LOADED) {
      // until the only worker runs it
    }
    Iterator<ScanResponse> waiting = first.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4)));
    String waitingId = acceptedId(waiting);
    assertEquals(ScanEvent.KindCase.QUEUED, waiting.next().getEvent().getKindCase());
    return new String[] {runningId, waitingId};
  }

  @Test
  void runningAndWaitingScansRunAgainAfterARestartAndKeepTheirLogs() throws Exception {
    TestDaemon first = durable(true);
    first.engine.holdScans();
    String model = first.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    String[] ids = runningAndQueued(first, model);

    TestDaemon second = durable(true); // the first is never heard from again
    for (String id : ids) {
      assertEquals(ScanState.SCAN_STATE_SUCCEEDED, second.awaitEnd(id), id);
    }
    GetScanResponse got = second.scans.getScan(GetScanRequest.newBuilder().setScanId(ids[0]).build());
    assertEquals(Verdict.VERDICT_TROJANED, got.getReport().getVerdict());
    assertEquals(ids[0], got.getReport().getScanId());
    assertEquals(List.of(ids[1], ids[0]), second.scans.listScans(ListScansRequest.getDefaultInstance())
        .getScansList().stream().map(s -> s.getScanId()).toList());

    // The log resumes where a watcher left off: sequences continue across the restart without gaps.
    List<ScanEvent> resumed = new ArrayList<>();
    second.scans.watchScan(WatchScanRequest.newBuilder().setScanId(ids[0]).setAfterSequence(2).build())
        .forEachRemaining(r -> resumed.add(r.getEvent()));
    for (int i = 0; i < resumed.size(); i++) {
      assertEquals(3 + i, resumed.get(i).getSequence());
    }
    assertEquals(ScanEvent.KindCase.MODEL_LOADED, resumed.get(0).getKindCase(), "the first attempt's event");
    assertTrue(resumed.stream().anyMatch(e -> e.getKindCase() == ScanEvent.KindCase.QUEUED),
        "queued again after the restart");
    assertEquals(ScanEvent.KindCase.REPORT, resumed.get(resumed.size() - 1).getKindCase());

    Path reportFile = temp.resolve("data/reports/_/" + ids[0] + ".binpb");
    assertEquals(got.getReport(), ScanReport.parseFrom(Files.readAllBytes(reportFile)),
        "the report is also written as proto binary");
  }

  @Test
  void theInterruptPolicyEndsRunningScansButStillRunsWaitingOnes() throws Exception {
    TestDaemon first = durable(false);
    first.engine.holdScans();
    String model = first.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    String[] ids = runningAndQueued(first, model);

    TestDaemon second = durable(false);
    assertEquals(ScanState.SCAN_STATE_FAILED, second.awaitEnd(ids[0]));
    assertEquals(FailureReason.FAILURE_REASON_INTERRUPTED, second.scans.getScan(
        GetScanRequest.newBuilder().setScanId(ids[0]).build()).getScan().getFailure().getReason());
    assertEquals(ScanState.SCAN_STATE_SUCCEEDED, second.awaitEnd(ids[1]));
  }

  @Test
  void aGracefulStopIsNotTheScansEndEither() throws Exception {
    TestDaemon first = durable(true);
    first.engine.holdScans();
    String model = first.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    String[] ids = runningAndQueued(first, model);
    first.daemon.close();

    TestDaemon second = durable(true);
    for (String id : ids) {
      assertEquals(ScanState.SCAN_STATE_SUCCEEDED, second.awaitEnd(id), id);
    }
  }

  @Test
  void retentionPurgesEndedScansAndTheirReportsButKeepsRecentAndUnfinishedOnes() throws Exception {
    Path data = temp.resolve("store");
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    Clock then = Clock.fixed(start, ZoneOffset.UTC);
    try (SqliteJobStore store = new SqliteJobStore(data, then, Duration.ofDays(30))) {
      for (int i = 1; i <= 3; i++) {
        ScanJob job = new ScanJob("scan-" + i, "t", i, "sha", then);
        store.put(job, new byte[] {1});
        job.attachJournal(store);
        job.append(ScanEvent.newBuilder().setAccepted(
            org.abscan.proto.scan.v1.ScanAccepted.newBuilder().setScanId(job.id())).build());
        if (i < 3) {
          job.append(ScanEvent.newBuilder().setReport(ScanReport.newBuilder().setScanId(job.id())).build());
        }
      }
      assertTrue(Files.exists(store.reportFile("t", "scan-1")));
    }
    Clock later = Clock.fixed(start.plus(Duration.ofDays(31)), ZoneOffset.UTC);
    try (SqliteJobStore store = new SqliteJobStore(data, later, Duration.ofDays(30))) {
      assertFalse(store.find("scan-1").isPresent());
      assertFalse(store.find("scan-2").isPresent());
      assertFalse(Files.exists(store.reportFile("t", "scan-1")));
      assertTrue(store.find("scan-3").isPresent(), "an unfinished scan is never purged");
      assertEquals(List.of("scan-3"), store.recovered().stream().map(r -> r.job().id()).toList());
      assertEquals(3, store.maxOrdinal(), "new ordinals continue after purged ones");
    }
  }

  @Test
  void aJournalThatFailsDoesNotFailTheScan() throws Exception {
    Clock clock = Clock.systemUTC();
    ScanJob job = new ScanJob("scan-x", "t", 1, "sha", clock);
    job.attachJournal(new JobStore() {
      @Override
      public void put(ScanJob added, byte[] request) {}

      @Override
      public void appended(ScanJob failing, ScanEvent event) {
        throw new IllegalStateException("disk full");
      }

      @Override
      public java.util.Optional<ScanJob> find(String scanId) {
        return java.util.Optional.empty();
      }

      @Override
      public List<ScanJob> listNewestFirst(String tenant, long olderThan, int limit) {
        return List.of();
      }
    });
    job.append(ScanEvent.newBuilder().setReport(ScanReport.newBuilder().setScanId("scan-x")).build());
    assertEquals(ScanState.SCAN_STATE_SUCCEEDED, job.state());
  }

}
