package org.abscan.server.worker;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One worker JVM and the channel to it: started, waited for (ready line, then a health check), logged (its
 * stdout and stderr become daemon log lines prefixed with the worker's id and pid), and stopped or killed.
 */
public final class WorkerProcess {
  private static final Logger LOG = LogManager.getLogger(WorkerProcess.class);

  private final String name;
  private final Process process;
  private final Path socket;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile ManagedChannel channel;
  private volatile boolean killedByUs;

  private WorkerProcess(String name, Process process, Path socket) {
    this.name = name;
    this.process = process;
    this.socket = socket;
  }

  /** Starts the JVM and returns once it serves, or throws (and leaves no process behind). */
  static WorkerProcess start(String name, List<String> command, Map<String, String> environment, Path socket,
      EventLoopGroup group, Duration readyTimeout) throws IOException {
    Files.deleteIfExists(socket);
    // stdin stays a pipe the worker watches: it ends when this JVM does, however it ends.
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    WorkerProcess worker = new WorkerProcess(name, process, socket);
    Thread pump = new Thread(worker::pumpOutput, "abscan-" + name + "-output");
    pump.setDaemon(true);
    pump.start();
    try {
      worker.awaitReady(readyTimeout);
      worker.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
          .channelType(EpollDomainSocketChannel.class)
          .eventLoopGroup(group)
          .usePlaintext()
          .maxInboundMessageSize(WorkerMain.MAX_MESSAGE_BYTES)
          .build();
      HealthCheckResponse.ServingStatus health = worker.health(readyTimeout);
      if (health != HealthCheckResponse.ServingStatus.SERVING) {
        throw new IOException(name + " answers health " + health);
      }
    } catch (IOException | RuntimeException e) {
      worker.kill();
      throw e instanceof IOException io ? io : new IOException(name + " did not start: " + e.getMessage(), e);
    }
    LOG.info("{} started, pid {}", name, process.pid());
    return worker;
  }

  private void awaitReady(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!ready.await(100, TimeUnit.MILLISECONDS)) {
        if (!process.isAlive()) {
          throw new IOException(name + " " + exitDescription() + " before it was ready");
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting " + name, e);
    }
  }

  private void pumpOutput() {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.equals(WorkerMain.READY_LINE)) {
          ready.countDown();
        } else {
          LOG.info("[{} pid {}] {}", name, process.pid(), line);
        }
      }
    } catch (IOException e) {
      // The process is gone; its exit is reported by whoever waits for it.
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Completes when the process has ended, however it ended. */
  java.util.concurrent.CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  ManagedChannel channel() {
    return channel;
  }

  /**
   * Whether the worker answers a health check with SERVING within {@code deadline}. A worker that is alive but
   * stuck (stopped, deadlocked, thrashing) answers nothing, which only a call can tell.
   */
  boolean answersHealth(Duration deadline) {
    try {
      return health(deadline) == HealthCheckResponse.ServingStatus.SERVING;
    } catch (io.grpc.StatusRuntimeException e) {
      return false;
    }
  }

  /** The worker's grpc.health.v1 status; throws StatusRuntimeException when it does not answer in time. */
  private HealthCheckResponse.ServingStatus health(Duration deadline) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }

  /** Waits up to {@code timeout} for the process to end; true when it has. */
  boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** "exited with code 3", "killed by signal 9 (SIGKILL)", or "is still running". */
  String exitDescription() {
    if (process.isAlive()) {
      return "is still running";
    }
    int code = process.exitValue();
    if (code > 128 && code < 160) {
      int signal = code - 128;
      String known = switch (signal) {
        case 6 -> " (SIGABRT)";
        case 9 -> killedByUs ? " (SIGKILL, by the daemon)" : " (SIGKILL)";
        case 11 -> " (SIGSEGV)";
        case 15 -> " (SIGTERM)";
        default -> "";
      };
      return "was killed by signal " + signal + known;
    }
    return "exited with code " + code;
  }

  /** SIGKILL now; waits briefly for the exit so the caller can report it. */
  void kill() {
    killedByUs = true;
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(5));
    closeChannel();
  }

  /** Graceful: the stop byte and end of file on stdin (the worker halts), then SIGTERM, then SIGKILL. */
  void stop(Duration grace) {
    try (var stdin = process.getOutputStream()) {
      stdin.write(WorkerMain.STOP_BYTE);
    } catch (IOException e) {
      // Already closed: the process is ending anyway.
    }
    if (!awaitExit(grace)) {
      process.destroy();
      if (!awaitExit(Duration.ofSeconds(2))) {
        kill();
      }
    }
    closeChannel();
  }

  private void closeChannel() {
    ManagedChannel c = channel;
    if (c != null) {
      c.shutdownNow();
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", socket, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
