package org.abscan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.QuotaFailure;
import com.google.rpc.ResourceInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.common.v1.SeedImage;
import org.abscan.proto.common.v1.SeedSet;
import org.abscan.proto.model.v1.DescribeModelRequest;
import org.abscan.proto.model.v1.ListModelsRequest;
import org.abscan.proto.model.v1.ModelDescription;
import org.abscan.proto.model.v1.StoredModel;
import org.abscan.proto.scan.v1.GetScanRequest;
import org.abscan.proto.scan.v1.ListScansRequest;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.ScanState;
import org.abscan.server.errors.StatusMapper;
import org.abscan.server.testing.GrpcCleanup;
import org.abscan.server.testing.TestDaemon;
import org.abscan.server.testing.TestModelPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets the documented status with rich details, and never costs what was accepted before it. */
class BadInputTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;
  private TestDaemon daemon;
  private String goodModel;
  private String goodScan;

  @BeforeEach
  void acceptSomething() throws Exception {
    daemon = new TestDaemon(cleanup, temp, c -> c.withMaxUploadBytes(1_000));
    goodModel = daemon.uploadOk("good.tm", TestModelPlugin.model(4, 4, 3, 10));
    var events = daemon.scans.scan(TestDaemon.scanRequest(goodModel, TestDaemon.pngSeeds(2, 4, 4)));
    goodScan = events.next().getEvent().getScanId();
    events.forEachRemaining(e -> { });
  }

  @Test
  void unknownModelIdIsNotFoundWithResourceInfo() {
    String missing = "0".repeat(64);
    StatusRuntimeException e = scanFails(TestDaemon.scanRequest(missing, TestDaemon.pngSeeds(1, 4, 4)));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    ResourceInfo info = TestDaemon.detail(e, ResourceInfo.class).orElseThrow();
    assertEquals("model", info.getResourceType());
    assertEquals(missing, info.getResourceName());
    assertEquals(StatusMapper.DOMAIN, TestDaemon.detail(e, ErrorInfo.class).orElseThrow().getDomain());
    assertNothingLost();
  }

  @Test
  void malformedSeedImageNamesTheField() {
    SeedSet seeds = TestDaemon.pngSeeds(2, 4, 4).toBuilder()
        .addImages(SeedImage.newBuilder().setData(ByteString.copyFromUtf8("\u0089PNG but not really"))
            .setLabel(2))
        .build();
    StatusRuntimeException e = scanFails(TestDaemon.scanRequest(goodModel, seeds));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    BadRequest bad = TestDaemon.detail(e, BadRequest.class).orElseThrow();
    assertEquals("seeds.images[2]", bad.getFieldViolations(0).getField());
    assertNothingLost();
  }

  @Test
  void seedOfTheWrongSizeNamesTheFieldAndBothSizes() {
    SeedSet seeds = TestDaemon.pngSeeds(1, 5, 4);
    StatusRuntimeException e = scanFails(TestDaemon.scanRequest(goodModel, seeds));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    BadRequest.FieldViolation v = TestDaemon.detail(e, BadRequest.class).orElseThrow().getFieldViolations(0);
    assertEquals("seeds.images[0]", v.getField());
    assertTrue(v.getDescription().contains("5x4") && v.getDescription().contains("4x4"), v.getDescription());
  }

  @Test
  void badParametersAreAllReportedAtOnce() {
    ScanRequest request = TestDaemon.scanRequest(goodModel, TestDaemon.pngSeeds(1, 4, 4)).toBuilder()
        .setParameters(ScanParameters.newBuilder().setTopK(-1).setPerLabelCap(-2).setLabelCapModeValue(7)
            .setLabelCover(-3).setSlowTriggerSteps(-5).setCorroboratingNeurons(-2)
            .setFastTriggerSteps(-7)
            .setThreshold(2f).addTriggers("nope"))
        .build();
    StatusRuntimeException e = scanFails(request);
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    List<String> fields = TestDaemon.detail(e, BadRequest.class).orElseThrow().getFieldViolationsList().stream()
        .map(BadRequest.FieldViolation::getField).toList();
    assertEquals(List.of("parameters.top_k", "parameters.per_label_cap", "parameters.label_cap_mode",
        "parameters.label_cover", "parameters.slow_trigger_steps", "parameters.corroborating_neurons",
        "parameters.fast_trigger_steps", "parameters.threshold", "parameters.triggers[0]"), fields);
  }

  @Test
  void uploadOverTheCapIsRefusedAndNothingIsStored() throws Exception {
    byte[] big = new byte[2_000];
    // Declared size over the cap: refused at once.
    ExecutionException declared = assertThrows(ExecutionException.class,
        () -> daemon.upload("big.tm", big, big.length, 100).get(30, TimeUnit.SECONDS));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(declared.getCause()).getCode());
    assertEquals("metadata.size_bytes",
        TestDaemon.detail(declared.getCause(), QuotaFailure.class).orElseThrow().getViolations(0).getSubject());
    // Undeclared (or understated) size: refused when the bytes pass the cap.
    ExecutionException streamed = assertThrows(ExecutionException.class,
        () -> daemon.upload("big.tm", big, 0, 100).get(30, TimeUnit.SECONDS));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(streamed.getCause()).getCode());

    assertEquals(List.of(goodModel), storedModelIds());
    try (var tmp = Files.list(daemon.config.dataDir().resolve("tmp"))) {
      assertEquals(List.of(), tmp.toList(), "no partial upload left behind");
    }
    assertNothingLost();
  }

  @Test
  void unsupportedModelFormatNamesTheFile() throws Exception {
    String junk = daemon.uploadOk("weights.xyz", "definitely not a model".getBytes());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> daemon.models.describeModel(
        DescribeModelRequest.newBuilder().setModel(ModelRef.newBuilder().setModelId(junk)).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("unsupported model format"), e.getMessage());
    assertTrue(e.getStatus().getDescription().contains("model.xyz"), e.getMessage());
    assertEquals("UNSUPPORTED_MODEL", TestDaemon.detail(e, ErrorInfo.class).orElseThrow().getReason());

    StatusRuntimeException named = scanFails(ScanRequest.newBuilder()
        .setModel(ModelRef.newBuilder().setModelId(goodModel).setFormat("caffe"))
        .setSeeds(TestDaemon.pngSeeds(1, 4, 4)).build());
    assertEquals(Status.Code.INVALID_ARGUMENT, named.getStatus().getCode());
    BadRequest.FieldViolation v = TestDaemon.detail(named, BadRequest.class).orElseThrow().getFieldViolations(0);
    assertEquals("model.format", v.getField());
    assertTrue(v.getDescription().contains("caffe") && v.getDescription().contains(TestModelPlugin.FORMAT),
        v.getDescription());
    assertNothingLost();
  }

  @Test
  void refusedModelIsFailedPreconditionWithOneViolationPerOp() throws Exception {
    String refused = daemon.uploadOk("evil.tm", TestModelPlugin.model(4, 4, 3, 10, "PyFunc", "ReadFile"));
    StatusRuntimeException e = scanFails(TestDaemon.scanRequest(refused, TestDaemon.pngSeeds(1, 4, 4)));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    List<String> subjects = TestDaemon.detail(e, PreconditionFailure.class).orElseThrow().getViolationsList()
        .stream().map(PreconditionFailure.Violation::getSubject).toList();
    assertEquals(List.of("PyFunc", "ReadFile"), subjects);
    assertNothingLost();
  }

  @Test
  void serverPathsOutsideTheModelRootsAreRefused() throws Exception {
    Path outside = Files.writeString(temp.resolve("outside.tm"), new String(TestModelPlugin.model(4, 4, 3, 10)));
    Path root = Files.createDirectories(temp.resolve("roots"));
    Files.createSymbolicLink(root.resolve("sneaky.tm"), outside);
    for (String path : List.of(outside.toString(), "../outside.tm", "sneaky.tm")) {
      StatusRuntimeException e = scanFails(ScanRequest.newBuilder()
          .setModel(ModelRef.newBuilder().setServerPath(path)).setSeeds(TestDaemon.pngSeeds(1, 4, 4)).build());
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), path);
      assertEquals("model.server_path",
          TestDaemon.detail(e, BadRequest.class).orElseThrow().getFieldViolations(0).getField());
    }
    StatusRuntimeException missing = scanFails(ScanRequest.newBuilder()
        .setModel(ModelRef.newBuilder().setServerPath("nothing-here.tm"))
        .setSeeds(TestDaemon.pngSeeds(1, 4, 4)).build());
    assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());

    Files.write(root.resolve("inside.tm"), TestModelPlugin.model(4, 4, 3, 10));
    ModelDescription described = daemon.models.describeModel(DescribeModelRequest.newBuilder()
        .setModel(ModelRef.newBuilder().setServerPath("inside.tm")).build()).getDescription();
    assertEquals(goodModel, described.getModelId(), "same content, same sha256");
    assertEquals(TestModelPlugin.FORMAT, described.getFormat());
    assertEquals(10, described.getNumLabels());
  }

  private StatusRuntimeException scanFails(ScanRequest request) {
    return assertThrows(StatusRuntimeException.class, () -> daemon.scans.scan(request).next());
  }

  private List<String> storedModelIds() {
    return daemon.models.listModels(ListModelsRequest.getDefaultInstance()).getModelsList().stream()
        .map(StoredModel::getModelId).toList();
  }

  private void assertNothingLost() {
    assertTrue(storedModelIds().contains(goodModel), "the earlier upload is still listed");
    assertEquals(ScanState.SCAN_STATE_SUCCEEDED,
        daemon.scans.getScan(GetScanRequest.newBuilder().setScanId(goodScan).build()).getScan().getState());
    assertEquals(List.of(goodScan), daemon.scans.listScans(ListScansRequest.getDefaultInstance())
        .getScansList().stream().map(s -> s.getScanId()).toList(), "refused scans are not recorded");
  }
}
