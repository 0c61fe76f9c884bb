package org.abscan.server.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.common.v1.SeedSet;
import org.abscan.proto.scan.v1.GenerateTriggerRequest;
import org.abscan.proto.scan.v1.GenerateTriggerResponse;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.StreamNSFRequest;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** StreamNSF and GenerateTrigger run in a worker process too: real engine, the demo model. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WorkerInteractiveCallsTest {
  @TempDir static Path temp;
  static WorkerFixture daemon;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isRegularFile(WorkerFixture.DEMO.resolve("models/trojaned.pb")), "demo model absent");
    daemon = new WorkerFixture(temp, 1, c -> c);
  }

  @AfterAll
  static void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  private static ModelRef model() {
    return ModelRef.newBuilder().setServerPath(WorkerFixture.DEMO.resolve("models/trojaned.pb").toString()).build();
  }

  private static SeedSet seeds() {
    return SeedSet.newBuilder().setServerFolder(WorkerFixture.DEMO.resolve("seeds").toString()).build();
  }

  @Test
  void streamNsfStreamsTheLayersNeuronsFromTheWorker() {
    List<StreamNSFResponse> responses = new ArrayList<>();
    daemon.scans.streamNSF(StreamNSFRequest.newBuilder().setModel(model()).setSeeds(seeds())
        .setParameters(ScanParameters.newBuilder().addLayers("conv1/Relu").setSamples(3))
        .addNeurons(2).addNeurons(3).build()).forEachRemaining(responses::add);
    List<Integer> neurons = responses.stream().filter(StreamNSFResponse::hasNsf)
        .map(r -> r.getNsf().getNeuron()).toList();
    assertEquals(List.of(2, 3), neurons.stream().sorted().toList(), responses.toString());
  }

  @Test
  void generateTriggerReturnsAResultFromTheWorker() {
    List<GenerateTriggerResponse> responses = new ArrayList<>();
    daemon.scans.generateTrigger(GenerateTriggerRequest.newBuilder().setModel(model()).setSeeds(seeds())
        .setLayer("conv1/Relu").addNeurons(2).setTargetLabel(0)
        .setParameters(ScanParameters.newBuilder().setReSteps(40)).build()).forEachRemaining(responses::add);
    GenerateTriggerResponse last = responses.get(responses.size() - 1);
    assertTrue(last.hasResult(), responses.toString());
    assertEquals("conv1/Relu", last.getResult().getLayer());
    assertEquals(0, last.getResult().getTargetLabel());
  }

  @Test
  void aLayerTheModelLacksIsInvalidArgumentFromTheWorker() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> daemon.scans.generateTrigger(
        GenerateTriggerRequest.newBuilder().setModel(model()).setSeeds(seeds()).setLayer("no_such_layer")
            .addNeurons(0).build()).forEachRemaining(r -> { }));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertTrue(status.getMessage().contains("the model has no layer 'no_such_layer'"), status.getMessage());
  }
}
