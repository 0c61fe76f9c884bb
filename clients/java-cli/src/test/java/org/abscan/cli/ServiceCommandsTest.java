package org.abscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.nio.file.Path;
import java.util.List;
import org.abscan.cli.testing.CliRunner;
import org.abscan.cli.testing.FakeModelService;
import org.abscan.cli.testing.FakePluginService;
import org.abscan.cli.testing.Fixtures;
import org.abscan.cli.testing.InProcessDaemon;
import org.abscan.proto.common.v1.Layout;
import org.abscan.proto.model.v1.DescribeModelRequest;
import org.abscan.proto.model.v1.InputSpec;
import org.abscan.proto.model.v1.LayerInfo;
import org.abscan.proto.model.v1.ModelDescription;
import org.abscan.proto.plugin.v1.PluginInfo;
import org.abscan.proto.plugin.v1.PluginKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** health, plugins and describe against fakes. */
class ServiceCommandsTest {
  @TempDir
  Path dir;

  private final HealthStatusManager health = new HealthStatusManager();
  private final FakeModelService models = new FakeModelService();
  private InProcessDaemon daemon;
  private CliRunner cli;

  @BeforeEach
  void start() {
    FakePluginService plugins = new FakePluginService(List.of(
        PluginInfo.newBuilder().setName("keras-h5").setKind(PluginKind.PLUGIN_KIND_MODEL_LOADER)
            .setPluginVersion("0.1.0").setSpiVersion("1.0").setSource("builtin").build(),
        PluginInfo.newBuilder().setName("multi-neuron").setKind(PluginKind.PLUGIN_KIND_TRIGGER_APPLIER)
            .setPluginVersion("0.1.0").setSpiVersion("1.0").setSource("/opt/abscan/plugins").build()));
    daemon = new InProcessDaemon(health.getHealthService(), plugins, models);
    cli = new CliRunner(daemon, dir);
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  @Test
  void healthPrintsServingAndExits0() {
    health.setStatus("", ServingStatus.SERVING);
    CliRunner.Result result = cli.run("health", "--server", "fake:1");
    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    assertEquals("SERVING", result.out().trim());
  }

  @Test
  void healthExits4WhenNotServingOrUnknown() {
    health.setStatus("", ServingStatus.NOT_SERVING);
    CliRunner.Result notServing = cli.run("health");
    assertEquals(ExitCodes.SERVER_ERROR, notServing.exitCode(), notServing::toString);
    assertEquals("NOT_SERVING", notServing.out().trim());

    CliRunner.Result unknown = cli.run("health", "--service", "abscan.nope.v1.Nope");
    assertEquals(ExitCodes.SERVER_ERROR, unknown.exitCode(), unknown::toString);
    assertEquals("SERVICE_UNKNOWN", unknown.out().trim(), unknown::toString);
  }

  @Test
  void pluginsPrintsATable() {
    CliRunner.Result result = cli.run("plugins");
    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    List<String> lines = result.out().lines().toList();
    assertEquals("NAME          KIND             VERSION  SPI  SOURCE", lines.get(0));
    assertEquals("keras-h5      model-loader     0.1.0    1.0  builtin", lines.get(1));
    assertEquals("multi-neuron  trigger-applier  0.1.0    1.0  /opt/abscan/plugins", lines.get(2));
  }

  @Test
  void describePrintsInputLogitsAndLayers() throws Exception {
    models.description = ModelDescription.newBuilder().setModelId("44b2").setFormat("keras-h5")
        .setInput(InputSpec.newBuilder().setName("input_1").setHeight(28).setWidth(28).setChannels(1)
            .setLayout(Layout.LAYOUT_NHWC))
        .addLayers(LayerInfo.newBuilder().setName("conv2d_1").setKind("Conv2D/relu").addShape(24).addShape(24)
            .addShape(16).setNeurons(16).setCandidate(true))
        .addLayers(LayerInfo.newBuilder().setName("flatten").setKind("Flatten").addShape(512).setNeurons(512))
        .setLogits("dense_2/BiasAdd").setNumLabels(10).setParameterCount(431_080).build();
    Path model = Fixtures.modelFile(dir, 100);

    CliRunner.Result result = cli.embedded().run("describe", model.toString(), "--layout", "NHWC");

    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    String out = result.out();
    assertTrue(out.contains("input       input_1: 28x28x1 (HxWxC), NHWC"), out);
    assertTrue(out.contains("logits      dense_2/BiasAdd (10 labels)"), out);
    assertTrue(out.contains("parameters  431,080"), out);
    assertTrue(out.contains("conv2d_1  Conv2D/relu  24x24x16  16       yes"), out);
    DescribeModelRequest request = models.describeRequests.get(0);
    assertEquals(model.toAbsolutePath().toString(), request.getModel().getServerPath());
    assertEquals(Layout.LAYOUT_NHWC, request.getPreprocessing().getLayout());
  }

  @Test
  void describeOfARefusedModelExits3() throws Exception {
    models.describeError = Fixtures.badRequest("model", "not an HDF5 file");
    Path model = Fixtures.modelFile(dir, 100);

    CliRunner.Result result = cli.run("describe", model.toString(), "--server", "fake:1");

    assertEquals(ExitCodes.REJECTED, result.exitCode(), result::toString);
    assertTrue(result.err().contains("field model: not an HDF5 file"), result::toString);
    assertEquals(1, models.uploads.size(), "remote: the model was uploaded first");
  }

  @Test
  void unavailableDaemonExits4() {
    models.describeError = Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException();
    CliRunner.Result result = cli.run("describe", "/srv/m.h5", "--server", "fake:1", "--server-paths");
    assertEquals(ExitCodes.SERVER_ERROR, result.exitCode(), result::toString);
    assertTrue(result.err().contains("daemon unavailable (UNAVAILABLE): connection refused"), result::toString);
  }
}
