package org.abscan.bench;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.abscan.engine.ScanParameterDefaults;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.common.v1.SeedSet;
import org.abscan.proto.scan.v1.Sampling;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.ScanServiceGrpc;
import org.abscan.server.EmbeddedDaemon;
import org.abscan.server.config.DaemonConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Time to verdict on a warm daemon: one warm-up scan (graph building, TF kernels, JIT), then timed scans of the
 * same model through the embedded daemon's real gRPC path. Prints one table row per run and the median.
 *
 * <p>Run: {@code bench/run MODEL --seeds DIR [--sampling grid --samples 5 ...]}.
 */
@Command(name = "scan-benchmark", mixinStandardHelpOptions = true)
public final class ScanBenchmark implements Callable<Integer> {
  @Parameters(index = "0", description = "model file")
  Path model;

  @Option(names = "--seeds", required = true, description = "seed folder (ImageFolder layout)")
  Path seeds;

  @Option(names = "--input-range", defaultValue = "0,1", split = ",")
  float[] inputRange;

  @Option(names = "--sampling", defaultValue = "grid", description = "grid | adaptive")
  String sampling;

  @Option(names = "--samples", defaultValue = "5")
  int samples;

  @Option(names = "--top-k", defaultValue = "10")
  int topK;

  @Option(names = "--triggers", split = ",",
      description = "trigger plugins (default: the engine's default set, pixel + filter)")
  List<String> triggers = List.of();

  @Option(names = "--target-logit-weight", defaultValue = "1.0",
      description = "weight of the target-logit term in trigger optimisation; 0 or negative = off (pure neuron "
          + "maximisation, as in the paper); the CLI's scan has the same flag")
  float targetLogitWeight;

  @Option(names = "--label-cap-mode", defaultValue = "add", description = "add | replace: the label-capped "
      + "candidates added to the top k (the default, 10-20 candidates) or replacing them (k candidates, the work "
      + "the reference does)")
  String labelCapMode;

  @Option(names = "--batch-rows", defaultValue = "0", description = "stimulated rows per run (0: auto)")
  int batchRows;

  @Option(names = "--runs", defaultValue = "3", description = "timed runs after the warm-up")
  int runs;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScanBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws java.io.IOException {
    // Real paths: the daemon resolves symlinks (../shared is one) before checking its model roots.
    Path modelPath = model.toRealPath();
    Path seedPath = seeds.toRealPath();
    DaemonConfig config = DaemonConfig.defaults()
        .withModelRoots(List.of(modelPath.getParent(), seedPath.getParent()))
        .withDataDir(Path.of(System.getProperty("java.io.tmpdir"), "abscan-bench"));
    ScanRequest request = ScanRequest.newBuilder()
        .setModel(ModelRef.newBuilder().setServerPath(modelPath.toString()))
        .setSeeds(SeedSet.newBuilder().setServerFolder(seedPath.toString()))
        .setPreprocessing(Preprocessing.newBuilder()
            .setInputMin(inputRange[0]).setInputMax(inputRange[1]))
        .setParameters(ScanParameters.newBuilder()
            .setSampling(sampling.equals("grid") ? Sampling.SAMPLING_GRID : Sampling.SAMPLING_ADAPTIVE)
            .setSamples(samples)
            .setTopK(topK)
            .addAllTriggers(triggers)
            .setBatchRows(batchRows)
            .setLabelCapMode(ScanParameterDefaults.labelCapMode(labelCapMode))
            .setTargetLogitWeight(targetLogitWeight > 0f ? targetLogitWeight : -1f))
        .build();

    try (EmbeddedDaemon daemon = EmbeddedDaemon.start(config)) {
      ScanServiceGrpc.ScanServiceBlockingStub scans = ScanServiceGrpc.newBlockingStub(daemon.channel());
      System.out.println("model " + modelPath.getFileName() + ", seeds " + seedPath + ", sampling "
          + sampling + " x" + samples + ", top-k " + topK + ", triggers "
          + (triggers.isEmpty() ? "default" : triggers) + ", target-logit-weight " + targetLogitWeight
          + ", cores " + Runtime.getRuntime().availableProcessors() + ", load average "
          + String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
              .getSystemLoadAverage()));
      System.out.println(BenchmarkTable.header());
      scanOnce(scans, request, "warm-up");
      List<Double> totals = new ArrayList<>();
      for (int i = 1; i <= runs; i++) {
        totals.add(scanOnce(scans, request, "run " + i));
      }
      totals.sort(Double::compare);
      System.out.printf("median wall time to verdict: %.2f s over %d runs%n",
          totals.get(totals.size() / 2), runs);
    }
    return 0;
  }

  private double scanOnce(ScanServiceGrpc.ScanServiceBlockingStub scans, ScanRequest request, String label) {
    TriggerTimeline timeline = new TriggerTimeline();
    double load = loadAverage();
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    ScanReport report = ScanStreams.awaitReport(scans.scan(request), label, timeline);
    double wall = (System.nanoTime() - start) / 1e9;
    double cpu = (processCpuNanos() - cpuStart) / 1e9;
    System.out.println(BenchmarkTable.row(label, wall, report));
    // CPU seconds of the whole process (daemon and client share it) are less sensitive to other load than wall
    // time: compare them between builds when the machine is busy.
    System.out.printf("         | RE by trigger: %s | process cpu %.2f s | load %.2f%n", timeline.summary(), cpu,
        load);
    return wall;
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0L;
  }
}
