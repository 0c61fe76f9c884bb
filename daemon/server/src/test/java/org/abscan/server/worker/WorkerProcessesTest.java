package org.abscan.server.worker;

import static org.abscan.server.worker.WorkerFixture.QUICK;
import static org.abscan.server.worker.WorkerFixture.awaitTrue;
import static org.abscan.server.worker.WorkerFixture.demoScan;
import static org.abscan.server.worker.WorkerFixture.kill9;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.abscan.proto.scan.v1.CancelScanRequest;
import org.abscan.proto.scan.v1.FailureReason;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.ScanResponse;
import org.abscan.proto.scan.v1.ScanState;
import org.abscan.proto.scan.v1.ScanSummary;
import org.abscan.proto.scan.v1.Verdict;
import org.abscan.server.testing.TestModelPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes for real: each test starts a daemon whose scans run in a child JVM with the real engine and
 * loaders, and breaks that JVM the way a hostile model or an operator would (SIGKILL, a loader that never
 * returns, one that ends the process).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class WorkerProcessesTest {
  @TempDir Path temp;

  @BeforeAll
  static void demoModelPresent() {
    assumeTrue(Files.isRegularFile(WorkerFixture.DEMO.resolve("models/trojaned.pb")), "demo model absent");
  }

  @Test
  void killingTheWorkerMidScanFailsOnlyThatScanAndTheNextSucceeds() throws Exception {
    try (WorkerFixture daemon = new WorkerFixture(temp, 1, c -> c)) {
      long first = daemon.awaitWorker(0);
      String id = detach(daemon, demoScan(WorkerFixture.SLOW));
      awaitTrue(Duration.ofSeconds(60), () -> daemon.get(id).getState() == ScanState.SCAN_STATE_RUNNING,
          "the scan to run");
      Thread.sleep(2000); // into the engine's TensorFlow work
      kill9(first);

      awaitTrue(Duration.ofSeconds(30), () -> daemon.get(id).getState() == ScanState.SCAN_STATE_FAILED,
          "the scan to fail");
      ScanSummary failed = daemon.get(id);
      assertEquals(FailureReason.FAILURE_REASON_WORKER_CRASHED, failed.getFailure().getReason());
      assertTrue(failed.getFailure().getMessage().contains("signal 9"), failed.getFailure().getMessage());
      assertEquals(ServingStatus.SERVING, daemon.health());

      long second = daemon.awaitWorker(first);
      List<ScanEvent> events = events(daemon.scans.scan(demoScan(QUICK)));
      ScanEvent last = events.get(events.size() - 1);
      assertTrue(last.hasReport(), "the next scan ends with a report");
      assertNotEquals(Verdict.VERDICT_UNSPECIFIED, last.getReport().getVerdict());
      assertTrue(events.stream().anyMatch(ScanEvent::hasModelLoaded), "the engine's events come through");
      assertEquals(List.of(second), daemon.workerPids(), "the replacement ran it");
    }
  }

  @Test
  void aScanPastItsTimeoutFailsWithTimeoutAndItsWorkerIsReplaced() throws Exception {
    try (WorkerFixture daemon = new WorkerFixture(temp, 1,
        c -> new org.abscan.server.config.WorkerConfig(true, Duration.ofSeconds(2), c.cancelGrace(),
            c.maxScans(), c.maxRssMb(), c.heap()))) {
      long first = daemon.awaitWorker(0);
      ScanRequest hang = daemon.testModelScan("hang.model", TestModelPlugin.misbehaving("hang"));
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> events(daemon.scans.scan(hang)));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
      com.google.rpc.Status details = io.grpc.protobuf.StatusProto.fromThrowable(e);
      assertTrue(details.getDetailsList().stream().anyMatch(d -> d.toString().contains("TIMEOUT")), details.toString());
      String id = daemon.scans.listScans(org.abscan.proto.scan.v1.ListScansRequest.getDefaultInstance())
          .getScans(0).getScanId();
      assertEquals(FailureReason.FAILURE_REASON_TIMEOUT, daemon.get(id).getFailure().getReason());
      assertNotEquals(first, daemon.awaitWorker(first), "the hung worker was killed and replaced");
      assertTrue(ProcessHandle.of(first).map(p -> !p.isAlive()).orElse(true), "the hung worker is gone");
      assertEquals(ServingStatus.SERVING, daemon.health());
    }
  }

  @Test
  void anIdleWorkerThatStopsAnsweringIsReplacedBeforeTheNextScan() throws Exception {
    try (WorkerFixture daemon = new WorkerFixture(temp, 1, c -> c.withHealthInterval(Duration.ofSeconds(1)))) {
      long first = daemon.awaitWorker(0);
      Thread.sleep(2500);
      assertEquals(0, daemon.pool.unresponsive(), "a healthy idle worker passes its checks");
      assertEquals(List.of(first), daemon.workerPids());

      // Alive but answering nothing: what a deadlocked or swapped-out JVM looks like from outside.
      WorkerFixture.signal("STOP", first);
      long second = daemon.awaitWorker(first);
      assertEquals(1, daemon.pool.unresponsive());
      awaitTrue(Duration.ofSeconds(10), () -> ProcessHandle.of(first).map(p -> !p.isAlive()).orElse(true),
          "the stopped worker to be killed");

      List<ScanEvent> events = events(daemon.scans.scan(demoScan(QUICK)));
      assertTrue(events.get(events.size() - 1).hasReport(), "the next scan runs on the replacement");
      assertEquals(List.of(second), daemon.workerPids());
    }
  }

  @Test
  void cancelStopsTheEngineCooperativelyAndKeepsTheWorker() throws Exception {
    try (WorkerFixture daemon = new WorkerFixture(temp, 1, c -> c)) {
      long worker = daemon.awaitWorker(0);
      Iterator<ScanResponse> stream = daemon.scans.scan(demoScan(WorkerFixture.SLOW));
      String id = stream.next().getEvent().getAccepted().getScanId();
      ScanEvent event;
      do {
        event = stream.next().getEvent();
      } while (!event.hasStimulationProgress());
      daemon.scans.cancelScan(CancelScanRequest.newBuilder().setScanId(id).build());
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> {
        while (stream.hasNext()) {
          stream.next();
        }
      });
      assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
      assertEquals(FailureReason.FAILURE_REASON_CANCELLED, daemon.get(id).getFailure().getReason());
      Thread.sleep(500);
      assertEquals(List.of(worker), daemon.workerPids(), "a cooperative cancel does not cost the worker");
    }
  }

  @Test
  void aWorkerThatIgnoresTheCancelIsKilledAfterTheGrace() throws Exception {
    try (WorkerFixture daemon = new WorkerFixture(temp, 1,
        c -> new org.abscan.server.config.WorkerConfig(true, c.scanTimeout(), Duration.ofSeconds(1),
            c.maxScans(), c.maxRssMb(), c.heap()))) {
      long first = daemon.awaitWorker(0);
      String id = detach(daemon, daemon.testModelScan("hang.model", TestModelPlugin.misbehaving("hang")));
      awaitTrue(Duration.ofSeconds(30), () -> daemon.get(id).getState() == ScanState.SCAN_STATE_RUNNING,
          "the scan to run");
      daemon.scans.cancelScan(CancelScanRequest.newBuilder().setScanId(id).build());
      awaitTrue(Duration.ofSeconds(30), () -> daemon.get(id).hasFailure(), "the scan to end");
      assertEquals(FailureReason.FAILURE_REASON_CANCELLED, daemon.get(id).getFailure().getReason());
      assertNotEquals(first, daemon.awaitWorker(first));
    }
  }

  @Test
  void aWorkerThatEndsItsProcessIsReportedWithItsExitCode() throws Exception {
    try (WorkerFixture daemon = new WorkerFixture(temp, 1, c -> c)) {
      long first = daemon.awaitWorker(0);
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> events(daemon.scans.scan(daemon.testModelScan("abort.model", TestModelPlugin.misbehaving("halt:134")))));
      assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("signal 6"), e.getStatus().getDescription());
      assertNotEquals(first, daemon.awaitWorker(first));
    }
  }

  @Test
  void aWorkerIsRecycledAfterItsMaximumNumberOfTasks() throws Exception {
    try (WorkerFixture daemon = new WorkerFixture(temp, 1,
        c -> new org.abscan.server.config.WorkerConfig(true, c.scanTimeout(), c.cancelGrace(), 2,
            c.maxRssMb(), c.heap()))) {
      long first = daemon.awaitWorker(0);
      var models = org.abscan.proto.model.v1.ModelServiceGrpc.newBlockingStub(daemon.daemon.channel());
      Path model = Files.write(daemon.roots.resolve("ok.model"), TestModelPlugin.model(28, 28, 1, 10));
      var describe = org.abscan.proto.model.v1.DescribeModelRequest.newBuilder()
          .setModel(org.abscan.proto.common.v1.ModelRef.newBuilder().setServerPath(model.toString())).build();
      assertEquals(10, models.describeModel(describe).getDescription().getNumLabels());
      assertEquals(List.of(first), daemon.workerPids(), "one task: same worker");
      assertEquals(10, models.describeModel(describe).getDescription().getNumLabels());
      long second = daemon.awaitWorker(first);
      assertEquals(TestModelPlugin.FORMAT, models.describeModel(describe).getDescription().getFormat(),
          "the replacement serves the third");
      assertEquals(List.of(second), daemon.workerPids());
    }
  }

  @Test
  void aWorkerAboveTheRssBoundIsRecycledAfterItsTask() throws Exception {
    // Every JVM is above 1 MiB: the bound is crossed after each task, which is read from /proc/PID/status.
    try (WorkerFixture daemon = new WorkerFixture(temp, 1,
        c -> new org.abscan.server.config.WorkerConfig(true, c.scanTimeout(), c.cancelGrace(), 0, 1, c.heap()))) {
      long first = daemon.awaitWorker(0);
      assertTrue(RssProbe.rssKb(first).orElseThrow() > 1024, "VmRSS is read");
      var models = org.abscan.proto.model.v1.ModelServiceGrpc.newBlockingStub(daemon.daemon.channel());
      Path model = Files.write(daemon.roots.resolve("ok.model"), TestModelPlugin.model(28, 28, 1, 10));
      models.describeModel(org.abscan.proto.model.v1.DescribeModelRequest.newBuilder()
          .setModel(org.abscan.proto.common.v1.ModelRef.newBuilder().setServerPath(model.toString())).build());
      daemon.awaitWorker(first);
      assertEquals(1, daemon.pool.recycles());
    }
  }

  @Test
  void aWorkerPinnedToAGpuSeesOnlyThatDevice() throws Exception {
    // No GPU is needed to check the pinning: the worker's environment is read from /proc/PID/environ.
    try (WorkerFixture daemon = new WorkerFixture(temp, 1,
        c -> new org.abscan.server.config.WorkerConfig(true, c.scanTimeout(), c.cancelGrace(), c.maxScans(),
            c.maxRssMb(), c.heap(), List.of("1")))) {
      long pid = daemon.awaitWorker(0);
      String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
          java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(List.of(environ.split("\0")).contains("CUDA_VISIBLE_DEVICES=1"), "worker environment");
    }
  }

  private static String detach(WorkerFixture daemon, ScanRequest request) {
    Iterator<ScanResponse> it = daemon.scans.scan(request.toBuilder().setDetach(true).build());
    String id = it.next().getEvent().getAccepted().getScanId();
    it.forEachRemaining(r -> { });
    return id;
  }

  private static List<ScanEvent> events(Iterator<ScanResponse> stream) {
    List<ScanEvent> events = new ArrayList<>();
    stream.forEachRemaining(r -> events.add(r.getEvent()));
    return events;
  }
}
