package org.abscan.server.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.model.v1.DescribeModelRequest;
import org.abscan.proto.model.v1.ModelServiceGrpc;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.server.testing.TestModelPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's own errors, found by the loader in a worker process, reach the client as the same gRPC status (code,
 * message, details) as when the daemon loads the model itself: the worker carries the category and violations
 * across and the daemon's StatusMapper maps them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WorkerLoaderErrorsTest {
  @TempDir static Path inProcessTemp;
  @TempDir static Path workerTemp;
  static WorkerFixture inProcess;
  static WorkerFixture worker;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isDirectory(WorkerFixture.DEMO.resolve("seeds")), "demo seeds absent");
    inProcess = new WorkerFixture(inProcessTemp, 0, c -> c);
    worker = new WorkerFixture(workerTemp, 1, c -> c);
  }

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.close();
    }
    if (inProcess != null) {
      inProcess.close();
    }
  }

  @Test
  void aRefusedModelIsFailedPreconditionNamingTheOpInBothModes() throws Exception {
    com.google.rpc.Status status = sameScanStatus("refused.model",
        TestModelPlugin.model(28, 28, 1, 10, "ReadFile", "WriteFile"), Function.identity());
    assertEquals(com.google.rpc.Code.FAILED_PRECONDITION_VALUE, status.getCode());
    assertTrue(status.getDetailsList().stream().anyMatch(d -> d.toString().contains("ReadFile")), status.toString());
  }

  @Test
  void unreadableModelsAndBadLayersAndSeedSizesAreInvalidArgumentInBothModes() throws Exception {
    com.google.rpc.Status unknown = sameScanStatus("garbage.bin",
        "not a model".getBytes(StandardCharsets.UTF_8), Function.identity());
    assertEquals(com.google.rpc.Code.INVALID_ARGUMENT_VALUE, unknown.getCode());

    com.google.rpc.Status layer = sameScanStatus("layers.model", TestModelPlugin.model(28, 28, 1, 10),
        r -> r.toBuilder().setParameters(ScanParameters.newBuilder().addLayers("no_such_layer")).build());
    assertTrue(layer.toString().contains("parameters.layers"), layer.toString());

    com.google.rpc.Status size = sameScanStatus("size.model", TestModelPlugin.model(32, 32, 3, 10),
        Function.identity());
    assertTrue(size.getMessage().contains("but the model takes 32x32"), size.getMessage());
  }

  @Test
  void describeModelAnswersTheSameInBothModes() throws Exception {
    Function<WorkerFixture, Object> describe = daemon -> {
      try {
        Path file = Files.write(daemon.roots.resolve("d.model"), TestModelPlugin.model(28, 28, 1, 7));
        return ModelServiceGrpc.newBlockingStub(daemon.daemon.channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
            .describeModel(DescribeModelRequest.newBuilder()
                .setModel(ModelRef.newBuilder().setServerPath(file.toString())).build())
            .getDescription();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    assertEquals(describe.apply(inProcess), describe.apply(worker));
  }

  /** Runs the same scan on both daemons and returns the (equal) status it ends with. */
  private static com.google.rpc.Status sameScanStatus(String name, byte[] model,
      Function<ScanRequest, ScanRequest> tweak) throws Exception {
    com.google.rpc.Status expected = status(inProcess, tweak.apply(inProcess.testModelScan(name, model)));
    com.google.rpc.Status actual = status(worker, tweak.apply(worker.testModelScan(name, model)));
    assertEquals(expected.getCode(), actual.getCode(), actual.toString());
    assertEquals(expected.getMessage(), actual.getMessage());
    assertEquals(expected.getDetailsList(), actual.getDetailsList());
    return actual;
  }

  private static com.google.rpc.Status status(WorkerFixture daemon, ScanRequest request) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> daemon.scans.scan(request).forEachRemaining(r -> { }));
    return StatusProto.fromThrowable(e);
  }
}
