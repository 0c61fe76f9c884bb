package org.abscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.abscan.cli.testing.CliRunner;
import org.abscan.cli.testing.FakeScanService;
import org.abscan.cli.testing.Fixtures;
import org.abscan.cli.testing.InProcessDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C: what the SIGINT hook does, cancelling the call (so the server sees it) and exiting 130. */
class InterruptTest {
  @TempDir
  Path dir;

  @Test
  void interruptCancelsTheScanCallAndExits130() throws Exception {
    FakeScanService scans = new FakeScanService();
    scans.hang = true;
    try (InProcessDaemon daemon = new InProcessDaemon(scans)) {
      CliRunner cli = new CliRunner(daemon, dir).embedded();
      Path model = Fixtures.modelFile(dir, 10);
      Path seeds = Fixtures.seedFolder(dir, 1, 1);

      CompletableFuture<CliRunner.Result> running = CompletableFuture.supplyAsync(
          () -> cli.run("scan", model.toString(), "--seeds", seeds.toString()));
      assertTrue(scans.started.await(10, TimeUnit.SECONDS), "the scan call reached the server");
      cli.interrupt.interrupt();

      CliRunner.Result result = running.get(10, TimeUnit.SECONDS);
      assertEquals(ExitCodes.INTERRUPTED, result.exitCode(), result::toString);
      assertTrue(result.err().contains("interrupted"), result::toString);
      assertTrue(scans.cancelled.await(5, TimeUnit.SECONDS), "the server saw the call cancelled");
      assertEquals(0, cli.openConnections, "the connection (and an embedded daemon) is closed");
    }
  }
}
