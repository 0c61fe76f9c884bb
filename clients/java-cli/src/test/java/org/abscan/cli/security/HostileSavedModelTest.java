package org.abscan.cli.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.rpc.PreconditionFailure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.abscan.cli.AbscanCli;
import org.abscan.cli.CliContext;
import org.abscan.cli.ExitCodes;
import org.abscan.cli.UserInterrupt;
import org.abscan.cli.connect.DaemonConnector;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.model.v1.DescribeModelRequest;
import org.abscan.proto.model.v1.ModelServiceGrpc;
import org.abscan.server.EmbeddedDaemon;
import org.abscan.server.config.DaemonConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;

/**
 * A SavedModel whose graph reads a local file (ReadFile of /etc/hostname) goes through the real daemon and the
 * real SavedModel loader: refused before TensorFlow runs anything, FAILED_PRECONDITION naming ReadFile on the
 * API, exit code 3 from the CLI.
 */
class HostileSavedModelTest {
  @TempDir Path dir;
  private Path model;
  private Path seeds;

  @BeforeEach
  void writeHostileModel() throws Exception {
    GraphDef graph = GraphDef.newBuilder()
        .addNode(NodeDef.newBuilder().setName("input").setOp("Placeholder")
            .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()))
        .addNode(NodeDef.newBuilder().setName("evil/path").setOp("Const")
            .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_STRING).build())
            .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                .setDtype(DataType.DT_STRING).addStringVal(ByteString.copyFromUtf8("/etc/hostname"))).build()))
        .addNode(NodeDef.newBuilder().setName("evil/read").setOp("ReadFile").addInput("evil/path"))
        .build();
    SavedModel saved = SavedModel.newBuilder().setSavedModelSchemaVersion(1)
        .addMetaGraphs(MetaGraphDef.newBuilder()
            .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
            .setGraphDef(graph))
        .build();
    model = Files.createDirectories(dir.resolve("hostile_savedmodel"));
    Files.write(model.resolve("saved_model.pb"), saved.toByteArray());
    Files.createDirectories(model.resolve("variables"));
    seeds = Files.createDirectories(dir.resolve("seeds/0"));
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", seeds.resolve("a.png").toFile());
    seeds = seeds.getParent();
  }

  @Test
  void theApiRefusesItWithFailedPreconditionNamingReadFile() {
    try (EmbeddedDaemon daemon = EmbeddedDaemon.start(DaemonConfig.defaults().withDataDir(dir.resolve("data"))
        .withModelRoots(List.of(dir)).withWorkers(1))) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ModelServiceGrpc
          .newBlockingStub(daemon.channel()).describeModel(DescribeModelRequest.newBuilder()
              .setModel(ModelRef.newBuilder().setServerPath(model.toString())).build()));
      assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.toString());
      assertTrue(e.getStatus().getDescription().contains("ReadFile"), e.getStatus().getDescription());
      PreconditionFailure failure = StatusProto.fromThrowable(e).getDetailsList().stream()
          .filter(any -> any.is(PreconditionFailure.class)).findFirst().orElseThrow()
          .unpack(PreconditionFailure.class);
      assertTrue(failure.getViolations(0).getSubject().contains("ReadFile"), failure.toString());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theCliExitsWith3AndSaysWhy() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext context = new CliContext(new DaemonConnector(), false, name -> null, dir, new UserInterrupt());
    var commandLine = AbscanCli.commandLine(context);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute("scan", model.toString(), "--seeds", seeds.toString(), "--data-dir",
        dir.resolve("cli-data").toString());
    assertEquals(ExitCodes.REJECTED, exit, out + "\n" + err);
    assertTrue(err.toString().contains("ReadFile"), err.toString());
  }
}
