package org.abscan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.abscan.proto.scan.v1.FailureReason;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanResponse;
import org.abscan.server.testing.GrpcCleanup;
import org.abscan.server.testing.TestDaemon;
import org.abscan.server.testing.TestModelPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Closing the daemon ends running and waiting scans as INTERRUPTED and closes their calls UNAVAILABLE. */
class ShutdownTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;

  @Test
  void closeEndsOpenScansAndTheirStreams() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c.withWorkers(1).withQueueCapacity(2));
    daemon.engine.holdScans();
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    Iterator<ScanResponse> running = daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(1, 4, 4)));
    while (running.next().getEvent().getKindCase() != ScanEvent.KindCase.MODEL_LOADED) {
      // the worker is busy
    }
    Iterator<ScanResponse> waiting = daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(1, 4, 4)));
    waiting.next();

    Thread closer = new Thread(daemon.daemon::close);
    closer.start();
    for (Iterator<ScanResponse> stream : List.of(running, waiting)) {
      List<ScanEvent> rest = new ArrayList<>();
      StatusRuntimeException end = assertThrows(StatusRuntimeException.class,
          () -> stream.forEachRemaining(r -> rest.add(r.getEvent())));
      assertEquals(Status.Code.UNAVAILABLE, end.getStatus().getCode());
      assertEquals(FailureReason.FAILURE_REASON_INTERRUPTED, rest.get(rest.size() - 1).getFailed().getReason());
    }
    closer.join(30_000);
    assertEquals(0, daemon.engine.completedScans.get());
  }
}
