package org.abscan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.abscan.server.testing.GrpcCleanup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** abscand as a process: the "listening" line, a working server, JSON logs, graceful stop on SIGTERM. */
class DaemonMainTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;

  private Process abscand(Path stderr, String... flags) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        // The test classpath has log4j2-test.xml; the daemon's own configuration is what is under test.
        "-Dlog4j2.configurationFile=log4j2.xml",
        DaemonMain.class.getName(),
        "--data-dir", temp.resolve("data").toString(), "--workers", "1"));
    command.addAll(List.of(flags));
    return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
  }

  @Test
  void aPortInUseIsAClearStartupFailure() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      Path stderr = temp.resolve("stderr.log");
      Process process = abscand(stderr, "--port", Integer.toString(taken.getLocalPort()));
      assertTrue(process.waitFor(60, TimeUnit.SECONDS));
      assertEquals(1, process.exitValue());
      String logs = Files.readString(stderr);
      assertTrue(logs.contains("abscand could not start") && logs.contains(":" + taken.getLocalPort()), logs);
    }
  }

  @Test
  void startsServesAndStopsGracefully() throws Exception {
    Path stderr = temp.resolve("stderr.log");
    Process process = abscand(stderr, "--port", "0", "--log-format", "json");
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      Matcher listening = Pattern.compile("abscand listening on 127\\.0\\.0\\.1:(\\d+)").matcher(
          String.valueOf(line));
      assertTrue(listening.matches(), "first stdout line: " + line + "\nstderr:\n" + Files.readString(stderr));

      ManagedChannel channel = cleanup.register(NettyChannelBuilder
          .forAddress("127.0.0.1", Integer.parseInt(listening.group(1))).usePlaintext().build());
      assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus());

      process.destroy(); // SIGTERM: the shutdown hook drains and stops
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "abscand stopped");
      String logs = Files.readString(stderr);
      assertTrue(logs.contains("\"message\":\"daemon stopped\""), "JSON log of the shutdown:\n" + logs);
      assertTrue(logs.lines().filter(l -> !l.isBlank()).allMatch(l -> l.startsWith("{")), logs);
    } finally {
      process.destroyForcibly();
    }
  }
}
