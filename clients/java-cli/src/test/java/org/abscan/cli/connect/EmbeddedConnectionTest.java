package org.abscan.cli.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.abscan.server.config.DaemonConfig;
import org.junit.jupiter.api.Test;

class EmbeddedConnectionTest {
  @Test
  void theEmbeddedDaemonGetsTheEndpointsRootsDataAndPluginDirectories() {
    Endpoint endpoint = new Endpoint(null, List.of(Path.of("/work"), Path.of("/data/models")), null,
        List.of(Path.of("/opt/plugins")));

    DaemonConfig config = EmbeddedConnection.config(endpoint, Path.of("/tmp/abscan-1"));

    assertEquals(List.of(Path.of("/work"), Path.of("/data/models")), config.modelRoots());
    assertEquals(Path.of("/tmp/abscan-1"), config.dataDir());
    assertEquals(List.of(Path.of("/opt/plugins")), config.pluginDirs());
  }
}
