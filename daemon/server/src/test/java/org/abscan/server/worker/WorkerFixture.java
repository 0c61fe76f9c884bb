package org.abscan.server.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.common.v1.SeedSet;
import org.abscan.proto.scan.v1.GetScanRequest;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.ScanServiceGrpc;
import org.abscan.proto.scan.v1.ScanSummary;
import org.abscan.server.EmbeddedDaemon;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.config.WorkerConfig;
import org.abscan.server.di.DaemonComponent;
import org.abscan.server.services.WorkerBackend;

/**
 * A production daemon (real Dagger graph, real worker JVMs running the real engine and loaders) on an in-process
 * transport, the committed demo model, and helpers to find and wait for its worker processes.
 */
final class WorkerFixture implements AutoCloseable {
  static final Path DEMO = Path.of("../../demo").toAbsolutePath().normalize();
  /** A few seconds of real ABS on the demo model: one layer, two candidates, short optimisation. */
  static final ScanParameters QUICK = ScanParameters.newBuilder().addLayers("conv1/Relu").setTopK(2)
      .setBaselineNeurons(1).setReSteps(40).addTriggers("pixel").setSamples(3).build();

  /** Tens of seconds of real ABS: every layer, full optimisation (pixel triggers: the test classpath's plugin). */
  static final ScanParameters SLOW = ScanParameters.newBuilder().addTriggers("pixel").build();

  final EmbeddedDaemon daemon;
  final ScanServiceGrpc.ScanServiceBlockingStub scans;
  final Path roots;
  final WorkerPool pool;

  WorkerFixture(Path temp, int workers, UnaryOperator<WorkerConfig> tweak) throws IOException {
    roots = Files.createDirectories(temp.resolve("roots"));
    DaemonConfig config = DaemonConfig.defaults()
        .withDataDir(temp.resolve("data"))
        .withModelRoots(List.of(roots, DEMO))
        .withWorkers(Math.max(1, workers))
        .withQueueCapacity(4)
        .withWorker(tweak.apply(WorkerConfig.inProcess().withProcesses(workers > 0)));
    DaemonComponent graph = DaemonComponent.create(config);
    daemon = EmbeddedDaemon.start(graph);
    pool = graph.scanBackend() instanceof WorkerBackend backend ? backend.pool() : null;
    scans = ScanServiceGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(3, TimeUnit.MINUTES);
  }

  static ScanRequest demoScan(ScanParameters parameters) {
    return ScanRequest.newBuilder()
        .setModel(ModelRef.newBuilder().setServerPath(DEMO.resolve("models/trojaned.pb").toString()))
        .setSeeds(SeedSet.newBuilder().setServerFolder(DEMO.resolve("seeds").toString()))
        .setParameters(parameters)
        .build();
  }

  /** A scan of a test-plugin model written under the roots (seeds: the demo's). */
  ScanRequest testModelScan(String name, byte[] model) throws IOException {
    Path file = Files.write(roots.resolve(name), model);
    return ScanRequest.newBuilder()
        .setModel(ModelRef.newBuilder().setServerPath(file.toString()))
        .setSeeds(SeedSet.newBuilder().setServerFolder(DEMO.resolve("seeds").toString()))
        .build();
  }

  ScanSummary get(String scanId) {
    return scans.getScan(GetScanRequest.newBuilder().setScanId(scanId).build()).getScan();
  }

  HealthCheckResponse.ServingStatus health() {
    return HealthGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }

  /** Pids of the live workers, and they are children of this JVM. */
  List<Long> workerPids() {
    List<Long> pids = poolPids();
    List<Long> children = childPids();
    assertTrue(children.containsAll(pids), "workers " + pids + " are children of this JVM " + children);
    return pids;
  }

  private List<Long> poolPids() {
    return pool.pids().stream().filter(pid -> pid != 0).toList();
  }

  private static List<Long> childPids() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).toList();
  }

  /**
   * The single worker's pid once one is up and is not {@code old}. While waiting, a pid the pool still lists for a
   * worker that has just exited (not a child any more) is a passing state, not a failure.
   */
  long awaitWorker(long old) {
    awaitTrue(Duration.ofSeconds(60), () -> {
      List<Long> pids = poolPids();
      return pids.size() == 1 && pids.get(0) != old && childPids().containsAll(pids);
    }, "a worker other than " + old);
    return workerPids().get(0);
  }

  static void awaitTrue(Duration timeout, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  /** A real SIGKILL, as an operator's or the kernel's OOM killer's. */
  static void kill9(long pid) throws IOException, InterruptedException {
    signal("9", pid);
  }

  /** {@code kill -SIGNAL pid}, e.g. "9" or "STOP". */
  static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + pid);
  }

  @Override
  public void close() {
    daemon.close();
  }
}
