package org.abscan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.model.v1.DeleteModelRequest;
import org.abscan.proto.model.v1.ListModelsRequest;
import org.abscan.proto.scan.v1.CancelScanRequest;
import org.abscan.proto.scan.v1.GenerateTriggerRequest;
import org.abscan.proto.scan.v1.GenerateTriggerResponse;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanResponse;
import org.abscan.proto.scan.v1.ScanState;
import org.abscan.proto.scan.v1.StreamNSFRequest;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.server.testing.GrpcCleanup;
import org.abscan.server.testing.TestDaemon;
import org.abscan.server.testing.TestModelPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** StreamNSF, GenerateTrigger, CancelScan of a waiting scan, DeleteModel. */
class InteractiveCallsTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;

  @Test
  void streamNsfAndGenerateTriggerStreamTheEnginesOutput() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c);
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    ModelRef ref = ModelRef.newBuilder().setModelId(model).build();

    List<StreamNSFResponse> nsf = new ArrayList<>();
    daemon.scans.streamNSF(StreamNSFRequest.newBuilder().setModel(ref)
        .setSeeds(TestDaemon.pngSeeds(2, 4, 4)).build()).forEachRemaining(nsf::add);
    assertEquals(1, nsf.size());
    assertEquals("conv1", nsf.get(0).getNsf().getLayer());

    List<GenerateTriggerResponse> trigger = new ArrayList<>();
    daemon.scans.generateTrigger(GenerateTriggerRequest.newBuilder().setModel(ref)
        .setSeeds(TestDaemon.pngSeeds(2, 4, 4)).setLayer("conv1").addNeurons(3)
        .setTrigger(TestModelPlugin.TRIGGER).build()).forEachRemaining(trigger::add);
    assertEquals(GenerateTriggerResponse.KindCase.PROGRESS, trigger.get(0).getKindCase());
    assertEquals(List.of(3), trigger.get(1).getResult().getNeuronsList());
  }

  @Test
  void generateTriggerNamesEveryBadField() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c);
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> daemon.scans.generateTrigger(
        GenerateTriggerRequest.newBuilder().setModel(ModelRef.newBuilder().setModelId(model))
            .setSeeds(TestDaemon.pngSeeds(1, 4, 4)).setLayer("conv1").addNeurons(4).setTargetLabel(10)
            .setTrigger("nope").build()).next());
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    List<String> fields = TestDaemon.detail(e, BadRequest.class).orElseThrow().getFieldViolationsList().stream()
        .map(BadRequest.FieldViolation::getField).toList();
    assertEquals(List.of("trigger", "neurons[0]", "target_label"), fields);
  }

  @Test
  void cancellingAWaitingScanEndsItAndFreesItsSlot() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c.withWorkers(1).withQueueCapacity(1));
    daemon.engine.holdScans();
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    var running = daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(1, 4, 4)));
    while (running.next().getEvent().getKindCase() != ScanEvent.KindCase.MODEL_LOADED) {
      // the worker is busy
    }
    var waiting = daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(1, 4, 4)));
    String waitingId = waiting.next().getEvent().getScanId();

    assertEquals(ScanState.SCAN_STATE_CANCELLED, daemon.scans.cancelScan(
        CancelScanRequest.newBuilder().setScanId(waitingId).build()).getScan().getState());
    StatusRuntimeException closed = assertThrows(StatusRuntimeException.class,
        () -> waiting.forEachRemaining((ScanResponse r) -> { }));
    assertEquals(Status.Code.CANCELLED, closed.getStatus().getCode());

    // Its queue slot is free again.
    var next = daemon.scans.scan(TestDaemon.scanRequest(model, TestDaemon.pngSeeds(1, 4, 4)));
    String nextId = next.next().getEvent().getScanId();
    daemon.engine.release();
    next.forEachRemaining(r -> { });
    assertEquals(ScanState.SCAN_STATE_SUCCEEDED, daemon.awaitEnd(nextId));
    assertEquals(ScanState.SCAN_STATE_CANCELLED, daemon.awaitEnd(waitingId),
        "cancelling is final");
  }

  @Test
  void deleteModelRemovesItAndThenIsNotFound() throws Exception {
    TestDaemon daemon = new TestDaemon(cleanup, temp, c -> c);
    String model = daemon.uploadOk("net.tm", TestModelPlugin.model(4, 4, 3, 10));
    daemon.models.deleteModel(DeleteModelRequest.newBuilder().setModelId(model).build());
    assertEquals(0, daemon.models.listModels(ListModelsRequest.getDefaultInstance()).getModelsCount());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> daemon.models.deleteModel(DeleteModelRequest.newBuilder().setModelId(model).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }
}
