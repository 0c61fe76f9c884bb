package org.abscan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RetryInfo;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.abscan.proto.scan.v1.GetScanRequest;
import org.abscan.proto.scan.v1.GetScanResponse;
import org.abscan.proto.scan.v1.ListScansRequest;
import org.abscan.proto.scan.v1.ListScansResponse;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanResponse;
import org.abscan.proto.scan.v1.ScanState;
import org.abscan.proto.scan.v1.Verdict;
import org.abscan.proto.scan.v1.WatchScanRequest;
import org.abscan.proto.scan.v1.WatchScanResponse;
import org.abscan.server.testing.GrpcCleanup;
import org.abscan.server.testing.TestDaemon;
import org.abscan.server.testing.TestModelPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ScanServiceTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;

  private static List<ScanEvent> drain(Iterator<ScanResponse> responses) {
    List<ScanEvent> events = new ArrayList<>();
    responses.forEachRemaining(r -> events.add(r.getEvent()));
    return events;
  }

  @Test
  void scanStreamsAcceptedQueuedEngineEventsThenReport() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c);
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));

    List<ScanEvent> events = drain(daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(3, 4, 4))));

    List<ScanEvent.KindCase> kinds = events.stream().map(ScanEvent::getKindCase).toList();
    assertEquals(List.of(ScanEvent.KindCase.ACCEPTED, ScanEvent.KindCase.QUEUED, ScanEvent.KindCase.MODEL_LOADED,
        ScanEvent.KindCase.STIMULATION_PROGRESS, ScanEvent.KindCase.REPORT), kinds);
    String scanId = events.get(0).getAccepted().getScanId();
    assertTrue(scanId.startsWith("scan-"), scanId);
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).getSequence(), "sequence of event " + i);
      assertEquals(scanId, events.get(i).getScanId());
      assertTrue(events.get(i).getUnixMillis() > 0);
    }
    assertEquals(0, events.get(1).getQueued().getPosition());
    assertEquals(3, events.get(2).getModelLoaded().getSeedImages(), "seeds reached the engine");
    assertEquals(model, events.get(2).getModelLoaded().getModelSha256());
    assertEquals(scanId, events.get(4).getReport().getScanId(), "the server stamps the report's scan id");

    GetScanResponse got = daemon.scans.getScan(GetScanRequest.newBuilder().setScanId(scanId).build());
    assertEquals(ScanState.SCAN_STATE_SUCCEEDED, got.getScan().getState());
    assertEquals(Verdict.VERDICT_TROJANED, got.getScan().getVerdict());
    assertEquals(7, got.getScan().getTargetLabel());
    assertEquals(events.get(4).getReport(), got.getReport());
  }

  @Test
  void cancellingTheCallCancelsTheScan() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c);
    daemon.engine.holdScans();
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));

    Context.CancellableContext call = Context.current().withCancellation();
    String scanId;
    Context previous = call.attach();
    try {
      Iterator<ScanResponse> responses =
          daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4)));
      scanId = responses.next().getEvent().getAccepted().getScanId();
      while (responses.next().getEvent().getKindCase() != ScanEvent.KindCase.MODEL_LOADED) {
        // wait until the engine runs
      }
    } finally {
      call.detach(previous);
    }
    call.cancel(null);

    ScanState state = daemon.awaitEnd(scanId);
    assertEquals(ScanState.SCAN_STATE_CANCELLED, state);
    assertTrue(daemon.engine.cancelledScans.get() > 0, "the engine saw the cancellation");
    assertEquals(0, daemon.engine.completedScans.get());
  }

  @Test
  void watchScanResumesAfterASequenceNumber() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c);
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    List<ScanEvent> all = drain(daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4))));
    String scanId = all.get(0).getScanId();

    List<ScanEvent> resumed = new ArrayList<>();
    daemon.scans.watchScan(WatchScanRequest.newBuilder().setScanId(scanId).setAfterSequence(2).build())
        .forEachRemaining((WatchScanResponse r) -> resumed.add(r.getEvent()));

    assertEquals(all.subList(2, all.size()), resumed);
  }

  @Test
  void watchersOfARunningScanAllSeeEveryEvent() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c);
    daemon.engine.holdScans();
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    Iterator<ScanResponse> owner = daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4)));
    String scanId = owner.next().getEvent().getScanId();
    Iterator<WatchScanResponse> watcher =
        daemon.scans.watchScan(WatchScanRequest.newBuilder().setScanId(scanId).build());
    assertEquals(1, watcher.next().getEvent().getSequence(), "replay starts at the first event");

    daemon.engine.release();
    List<ScanEvent> fromOwner = new ArrayList<>();
    owner.forEachRemaining(r -> fromOwner.add(r.getEvent()));
    List<ScanEvent> fromWatcher = new ArrayList<>();
    watcher.forEachRemaining(r -> fromWatcher.add(r.getEvent()));
    assertEquals(fromOwner, fromWatcher.subList(fromWatcher.size() - fromOwner.size(), fromWatcher.size()));
    assertEquals(ScanEvent.KindCase.REPORT, fromWatcher.get(fromWatcher.size() - 1).getKindCase());
  }

  @Test
  void aFullQueueRefusesWithRetryInfoAndLosesNothingAccepted() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c.withWorkers(1).withQueueCapacity(1));
    daemon.engine.holdScans();
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));

    Iterator<ScanResponse> running = daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4)));
    String first = running.next().getEvent().getScanId();
    while (running.next().getEvent().getKindCase() != ScanEvent.KindCase.MODEL_LOADED) {
      // the only worker is now busy
    }
    Iterator<ScanResponse> waiting = daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4)));
    String second = waiting.next().getEvent().getScanId();
    assertEquals(0, waiting.next().getEvent().getQueued().getPosition());

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> daemon.scans
        .scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4))).next());
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
    RetryInfo retry = TestDaemon.detail(refused, RetryInfo.class).orElseThrow();
    assertTrue(retry.getRetryDelay().getSeconds() > 0);
    assertFalse(TestDaemon.detail(refused, QuotaFailure.class).orElseThrow().getViolationsList().isEmpty());
    assertEquals("QUEUE_FULL", TestDaemon.detail(refused, ErrorInfo.class).orElseThrow().getReason());

    daemon.engine.release();
    assertEquals(ScanState.SCAN_STATE_SUCCEEDED, daemon.awaitEnd(first));
    assertEquals(ScanState.SCAN_STATE_SUCCEEDED, daemon.awaitEnd(second));
    ListScansResponse listed = daemon.scans.listScans(ListScansRequest.getDefaultInstance());
    assertEquals(List.of(second, first), listed.getScansList().stream().map(s -> s.getScanId()).toList(),
        "both accepted scans, newest first, and nothing for the refused one");
  }

  @Test
  void listScansPagesNewestFirst() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c);
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(0, drain(daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(1, 4, 4))))
          .get(0).getScanId());
    }
    ListScansResponse page1 = daemon.scans.listScans(ListScansRequest.newBuilder().setPageSize(2).build());
    ListScansResponse page2 = daemon.scans.listScans(ListScansRequest.newBuilder().setPageSize(2)
        .setPageToken(page1.getNextPageToken()).build());
    List<String> listed = new ArrayList<>();
    page1.getScansList().forEach(s -> listed.add(s.getScanId()));
    page2.getScansList().forEach(s -> listed.add(s.getScanId()));
    assertEquals(ids, listed);
    assertEquals("", page2.getNextPageToken());
    StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> daemon.scans
        .listScans(ListScansRequest.newBuilder().setPageToken("garbage!").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
  }

}
