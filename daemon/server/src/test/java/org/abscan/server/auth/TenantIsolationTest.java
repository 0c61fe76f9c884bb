package org.abscan.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.abscan.proto.model.v1.DeleteModelRequest;
import org.abscan.proto.model.v1.DescribeModelRequest;
import org.abscan.proto.model.v1.ListModelsRequest;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.scan.v1.CancelScanRequest;
import org.abscan.proto.scan.v1.GetScanRequest;
import org.abscan.proto.scan.v1.ListScansRequest;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanResponse;
import org.abscan.proto.scan.v1.ScanState;
import org.abscan.proto.scan.v1.WatchScanRequest;
import org.abscan.server.testing.GrpcCleanup;
import org.abscan.server.testing.TestDaemon;
import org.abscan.server.testing.TestModelPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TenantIsolationTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;

  private TestDaemon daemon(int workers, int queue, int tenantRunning, int tenantQueued) throws Exception {
    Path file = Files.writeString(temp.resolve("tokens"), "alice-token alice\nbob-token bob\n");
    return new TestDaemon(cleanup, temp, c -> c.withWorkers(workers).withQueueCapacity(queue)
        .withAccess(c.access().withAuthTokensFile(file).withTenantLimits(tenantRunning, tenantQueued)));
  }

  private static void assertNotFound(org.junit.jupiter.api.function.Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getStatus().toString());
  }

  private static String scanId(Iterator<ScanResponse> responses) {
    return responses.next().getEvent().getAccepted().getScanId();
  }

  private static void awaitKind(Iterator<ScanResponse> responses, ScanEvent.KindCase kind) {
    while (responses.next().getEvent().getKindCase() != kind) {
      // skip to it
    }
  }

  @Test
  void aTenantCannotSeeOrTouchAnotherTenantsModelsAndScans() throws Exception {
    TestDaemon daemon = daemon(2, 4, Integer.MAX_VALUE, Integer.MAX_VALUE);
    TestDaemon alice = daemon.as("alice-token");
    TestDaemon bob = daemon.as("bob-token");
    String model = alice.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    List<ScanResponse> events = new ArrayList<>();
    alice.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4))).forEachRemaining(events::add);
    String scan = events.get(0).getEvent().getAccepted().getScanId();

    assertNotFound(() -> bob.scans.getScan(GetScanRequest.newBuilder().setScanId(scan).build()));
    assertNotFound(() -> bob.scans.watchScan(WatchScanRequest.newBuilder().setScanId(scan).build()).next());
    assertNotFound(() -> bob.scans.cancelScan(CancelScanRequest.newBuilder().setScanId(scan).build()));
    assertEquals(0, bob.scans.listScans(ListScansRequest.getDefaultInstance()).getScansCount());
    assertEquals(0, bob.models.listModels(ListModelsRequest.getDefaultInstance()).getModelsCount());
    assertNotFound(() -> bob.models.describeModel(DescribeModelRequest.newBuilder()
        .setModel(ModelRef.newBuilder().setModelId(model)).build()));
    assertNotFound(() -> bob.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4))).next());
    assertNotFound(() -> bob.models.deleteModel(DeleteModelRequest.newBuilder().setModelId(model).build()));

    assertEquals(ScanState.SCAN_STATE_SUCCEEDED,
        alice.scans.getScan(GetScanRequest.newBuilder().setScanId(scan).build()).getScan().getState());
    assertEquals(List.of(scan), alice.scans.listScans(ListScansRequest.getDefaultInstance()).getScansList()
        .stream().map(s -> s.getScanId()).toList());
    assertEquals(1, alice.models.listModels(ListModelsRequest.getDefaultInstance()).getModelsCount());

    // The same bytes uploaded by bob are bob's own copy; deleting it leaves alice's.
    String bobs = bob.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    assertEquals(model, bobs, "content-addressed ids");
    bob.models.deleteModel(DeleteModelRequest.newBuilder().setModelId(bobs).build());
    assertEquals(1, alice.models.listModels(ListModelsRequest.getDefaultInstance()).getModelsCount());
  }

  @Test
  void perTenantCapsRefuseWithQuotaFailureAndRetryInfoWhileOtherTenantsRun() throws Exception {
    TestDaemon daemon = daemon(2, 4, 1, 1);
    daemon.engine.holdScans();
    TestDaemon alice = daemon.as("alice-token");
    TestDaemon bob = daemon.as("bob-token");
    String aliceModel = alice.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    String bobModel = bob.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));

    Iterator<ScanResponse> first = alice.scans.scan(TestDaemon.scanRequest(aliceModel, TestDaemon.pngSeeds(2, 4, 4)));
    String firstId = scanId(first);
    awaitKind(first, ScanEvent.KindCase.MODEL_LOADED);
    // A worker is free, but alice may run only one scan: her second waits.
    Iterator<ScanResponse> second = alice.scans.scan(TestDaemon.scanRequest(aliceModel, TestDaemon.pngSeeds(2, 4, 4)));
    String secondId = scanId(second);
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> alice.scans
        .scan(TestDaemon.scanRequest(aliceModel, TestDaemon.pngSeeds(2, 4, 4))).next());
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
    assertEquals("TENANT_QUOTA", TestDaemon.detail(refused, ErrorInfo.class).orElseThrow().getReason());
    assertEquals("tenant_queued_scans", TestDaemon.detail(refused, QuotaFailure.class).orElseThrow()
        .getViolations(0).getSubject());
    assertTrue(TestDaemon.detail(refused, RetryInfo.class).orElseThrow().getRetryDelay().getSeconds() > 0);

    // bob is not held back by alice's backlog: his scan takes the free worker.
    Iterator<ScanResponse> bobs = bob.scans.scan(TestDaemon.scanRequest(bobModel, TestDaemon.pngSeeds(2, 4, 4)));
    String bobId = scanId(bobs);
    awaitKind(bobs, ScanEvent.KindCase.MODEL_LOADED);
    assertEquals(ScanState.SCAN_STATE_QUEUED,
        alice.scans.getScan(GetScanRequest.newBuilder().setScanId(secondId).build()).getScan().getState());

    daemon.engine.release();
    assertEquals(ScanState.SCAN_STATE_SUCCEEDED, alice.awaitEnd(firstId));
    assertEquals(ScanState.SCAN_STATE_SUCCEEDED, alice.awaitEnd(secondId));
    assertEquals(ScanState.SCAN_STATE_SUCCEEDED, bob.awaitEnd(bobId));
  }

  @Test
  void waitingScansAreToldTheirNewPositionWhenTheQueueMoves() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c.withWorkers(1).withQueueCapacity(4));
    daemon.engine.holdScans();
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    Iterator<ScanResponse> running = daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4)));
    scanId(running);
    awaitKind(running, ScanEvent.KindCase.MODEL_LOADED);
    Iterator<ScanResponse> ahead = daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4)));
    String aheadId = scanId(ahead);
    Iterator<ScanResponse> behind = daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(2, 4, 4)));
    scanId(behind);
    assertEquals(1, behind.next().getEvent().getQueued().getPosition());

    daemon.scans.cancelScan(CancelScanRequest.newBuilder().setScanId(aheadId).build());
    ScanEvent moved = behind.next().getEvent();
    assertEquals(ScanEvent.KindCase.QUEUED, moved.getKindCase());
    assertEquals(0, moved.getQueued().getPosition());
    assertFalse(moved.getSequence() <= 2, "a new event, not a replay");
    daemon.engine.release();
  }

}
