package org.abscan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abscan.proto.plugin.v1.ListPluginsRequest;
import org.abscan.proto.plugin.v1.PluginInfo;
import org.abscan.proto.plugin.v1.PluginServiceGrpc;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.testing.GrpcCleanup;
import org.abscan.server.testing.TestModelPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's entry point: the production graph on an in-process transport. */
class EmbeddedDaemonTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;

  @Test
  void startsTheProductionGraphInProcess() throws Exception {
    Path leftover = Files.createDirectories(temp.resolve("tmp")).resolve("upload-1.part");
    Files.writeString(leftover, "half an upload from a crashed daemon");

    EmbeddedDaemon daemon = cleanup.register(EmbeddedDaemon.start(DaemonConfig.defaults().withDataDir(temp)
        .withModelRoots(List.of(temp)).withWorkers(1)));

    assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(daemon.channel())
        .check(HealthCheckRequest.getDefaultInstance()).getStatus());
    List<PluginInfo> plugins = PluginServiceGrpc.newBlockingStub(daemon.channel())
        .listPlugins(ListPluginsRequest.getDefaultInstance()).getPluginsList();
    assertTrue(plugins.stream().anyMatch(p -> p.getName().equals(TestModelPlugin.FORMAT)
        && p.getSource().equals("builtin")), plugins.toString());
    assertFalse(Files.exists(leftover), "temp files of an interrupted upload are cleared at startup");

    daemon.close();
    assertTrue(daemon.channel().isShutdown());
  }
}
