package org.abscan.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DaemonOptionsTest {
  @TempDir Path temp;

  private static DaemonConfig parse(String... args) {
    DaemonOptions options = new DaemonOptions();
    new CommandLine(options).parseArgs(args);
    return options.toConfig();
  }

  @Test
  void flagsSetEveryField() {
    DaemonConfig config = parse("--port", "0", "--host", "0.0.0.0", "--data-dir", "/var/abscan",
        "--model-root", "/models/a", "--model-root", "/models/b", "--plugin-dir", "/opt/plugins",
        "--log-format", "json", "--max-upload-bytes", "1234", "--max-message-bytes", "4096",
        "--workers", "3", "--queue-capacity", "9", "--auth-tokens", "/etc/abscan/tokens",
        "--tenant-max-running", "2", "--tenant-max-queued", "5", "--max-seeds", "100",
        "--max-image-dimension", "512", "--job-store", "sqlite", "--on-restart", "interrupt",
        "--retention-days", "7", "--scan-timeout", "90s", "--cancel-grace", "3s", "--worker-max-scans", "20",
        "--worker-max-rss-mb", "900", "--worker-heap", "512m", "--worker-gpus", "0, 1",
        "--worker-health-interval", "1m");
    assertEquals(new DaemonConfig("0.0.0.0", 0, Path.of("/var/abscan"),
        List.of(Path.of("/models/a"), Path.of("/models/b")), List.of(Path.of("/opt/plugins")), "json", 1234,
        4096, 3, 9, new AccessConfig(Path.of("/etc/abscan/tokens"), null, null, null, 2, 5, 100, 512),
        new JobsConfig(true, false, 7),
        new WorkerConfig(true, Duration.ofSeconds(90), Duration.ofSeconds(3), 20, 900, "512m",
            List.of("0", "1"), Duration.ofMinutes(1))), config);
  }

  @Test
  void noFlagsGiveTheDefaults() {
    // abscand keeps its jobs in SQLite; the embedded daemon's defaults keep them in memory.
    // abscand runs TensorFlow in one worker process; the embedded daemon's defaults keep it in-process.
    assertEquals(DaemonConfig.defaults().withJobs(new JobsConfig(true, true, JobsConfig.DEFAULT_RETENTION_DAYS))
        .withWorkers(1).withWorker(WorkerConfig.inProcess().withProcesses(true)), parse());
  }

  @Test
  void zeroWorkersKeepTheEngineInProcess() {
    DaemonConfig config = parse("--workers", "0");
    assertFalse(config.worker().processes());
    assertEquals(DaemonConfig.defaults().workers(), config.workers(), "engine threads as before");
    assertTrue(parse("--workers", "2").worker().processes());
  }

  @Test
  void durationsTakeUnitsAndIso8601() {
    assertEquals(Duration.ofMillis(500), WorkerConfig.parseDuration("500ms"));
    assertEquals(Duration.ofSeconds(45), WorkerConfig.parseDuration("45"));
    assertEquals(Duration.ofMinutes(10), WorkerConfig.parseDuration("10m"));
    assertEquals(Duration.ofHours(2), WorkerConfig.parseDuration("2h"));
    assertEquals(Duration.ofSeconds(30), WorkerConfig.parseDuration("PT30S"));
    assertEquals(Duration.ZERO, parse("--scan-timeout", "0").worker().scanTimeout());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> parse("--scan-timeout", "soon"));
    assertTrue(bad.getMessage().contains("scan-timeout"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parse("--worker-heap", "lots"));
    IllegalArgumentException gpu = assertThrows(IllegalArgumentException.class,
        () -> parse("--worker-gpus", "0,$(id)"));
    assertTrue(gpu.getMessage().contains("worker-gpus") && gpu.getMessage().contains("$(id)"), gpu.getMessage());
  }

  @Test
  void theConfigFileFillsWhatFlagsLeaveOutAndFlagsWin() throws Exception {
    Path file = Files.writeString(temp.resolve("abscand.properties"), """
        port=6000
        host=10.0.0.1
        model-root=/m1, /m2
        workers=5
        log-format=json
        """);
    DaemonConfig config = parse("--config", file.toString(), "--port", "7000");
    assertEquals(7000, config.port(), "the flag wins");
    assertEquals("10.0.0.1", config.host());
    assertEquals(List.of(Path.of("/m1"), Path.of("/m2")), config.modelRoots());
    assertEquals(5, config.workers());
    assertEquals("json", config.logFormat());
    assertEquals(DaemonConfig.defaults().queueCapacity(), config.queueCapacity());
  }

  @Test
  void badConfigurationIsReportedClearly() throws Exception {
    Path typo = Files.writeString(temp.resolve("typo.properties"), "prot=1\n");
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> parse("--config", typo.toString()));
    assertTrue(unknown.getMessage().contains("'prot'"), unknown.getMessage());

    Path badValue = Files.writeString(temp.resolve("bad.properties"), "workers=many\n");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> parse("--config", badValue.toString()));
    assertTrue(bad.getMessage().contains("workers"), bad.getMessage());

    assertThrows(IllegalArgumentException.class, () -> parse("--log-format", "xml"));
    assertThrows(IllegalArgumentException.class, () -> parse("--workers", "-1"));
    assertThrows(CommandLine.ParameterException.class, () -> parse("--port", "many"));
  }
}
