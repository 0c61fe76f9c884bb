package org.abscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abscan.cli.connect.Endpoint;
import org.abscan.cli.testing.CliRunner;
import org.abscan.cli.testing.FakeScanService;
import org.abscan.cli.testing.Fixtures;
import org.abscan.cli.testing.InProcessDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a command asks its connector for: the embedded daemon's model roots, data and plugin directories. */
class EndpointTest {
  @TempDir
  Path dir;

  @Test
  void embeddedRootsAreTheWorkingDirectoryAndTheInputsParents() throws Exception {
    Path model = Fixtures.modelFile(Files.createDirectories(dir.resolve("models")), 10);
    Path seeds = Fixtures.seedFolder(Files.createDirectories(dir.resolve("data")), 1, 1);
    Path link = Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("models"));
    Path cwd = Files.createDirectories(dir.resolve("work"));
    FakeScanService scans = new FakeScanService();
    scans.events = List.of(org.abscan.proto.scan.v1.ScanEvent.newBuilder().setReport(Fixtures.benignReport()).build());
    try (InProcessDaemon daemon = new InProcessDaemon(scans)) {
      CliRunner cli = new CliRunner(daemon, cwd).embedded();

      CliRunner.Result result = cli.run("scan", link.resolve(model.getFileName()).toString(), "--seeds",
          seeds.toString(), "--data-dir", dir.resolve("state").toString(), "--plugin-dir", dir.resolve("p").toString());

      assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
      Endpoint endpoint = cli.endpoints.get(0);
      assertTrue(endpoint.embedded());
      assertEquals(cwd, endpoint.modelRoots().get(0));
      assertTrue(endpoint.modelRoots().containsAll(
          List.of(link, dir.toRealPath().resolve("models"), seeds.getParent().toRealPath())),
          () -> "working dir, model's dir as given and real, seeds' parent: " + endpoint.modelRoots());
      assertEquals(dir.resolve("state"), endpoint.dataDir());
      assertEquals(List.of(dir.resolve("p")), endpoint.pluginDirs());
    }
  }

  @Test
  void remoteEndpointNamesTheServerAndNoDataDir() throws Exception {
    try (InProcessDaemon daemon = new InProcessDaemon(new io.grpc.protobuf.services.HealthStatusManager()
        .getHealthService())) {
      CliRunner cli = new CliRunner(daemon, dir);
      cli.run("health", "--server", "10.0.0.1:50051");
      assertEquals("10.0.0.1:50051", cli.endpoints.get(0).server());
      assertNull(cli.endpoints.get(0).dataDir());

      CliRunner.Result mixed = cli.run("health", "--server", "10.0.0.1:50051", "--data-dir", dir.toString());
      assertEquals(ExitCodes.USAGE, mixed.exitCode(), mixed::toString);
    }
  }
}
