package org.abscan.zoo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abscan.bench.ScanStreams;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.common.v1.SeedSet;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.ScanServiceGrpc;
import org.abscan.server.EmbeddedDaemon;
import org.abscan.server.config.DaemonConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Scans zoo models with abscan's default settings through an embedded daemon's real gRPC path (as
 * {@code abscan scan} does without --server), one model after another on the same warm daemon.
 */
public final class ZooEvaluator implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(ZooEvaluator.class);

  /** One model's manifest and the scan's report. */
  public record Result(Manifest manifest, ScanReport report, double wallSeconds) {
    public boolean flagged() {
      return report.getVerdict() == org.abscan.proto.scan.v1.Verdict.VERDICT_TROJANED;
    }

    public boolean rightTarget() {
      return report.hasTargetLabel() && report.getTargetLabel() == manifest.target();
    }
  }

  /**
   * Seed images per class, the scans' only data: 5 held-out test images per label on MNIST; 2 on GTSRB32,
   * whose 43 labels make 5 per class (215 images) cost several minutes per scan on two cores (the paper
   * uses as few as one image per label).
   */
  static int seedsPerClass(String dataset) {
    return dataset.equals("gtsrb") ? 2 : 5;
  }

  private final ZooBuilder builder;
  private final ScanParameters parameters;
  /** Seed images per label for every dataset (a diagnostic); null: {@link #seedsPerClass}. */
  private final Integer seedsPerClassOverride;
  private final EmbeddedDaemon daemon;
  private final ScanServiceGrpc.ScanServiceBlockingStub scans;

  public ZooEvaluator(ZooBuilder builder) {
    this(builder, ScanParameters.getDefaultInstance());
  }

  /** @param parameters the scan parameters (the defaults for the published figures; overrides for sweeps) */
  public ZooEvaluator(ZooBuilder builder, ScanParameters parameters) {
    this(builder, parameters, null);
  }

  /** @param seedsPerClass seed images per label for every dataset; null: the zoo's ({@link #seedsPerClass}) */
  public ZooEvaluator(ZooBuilder builder, ScanParameters parameters, Integer seedsPerClass) {
    if (seedsPerClass != null && seedsPerClass < 2) {
      throw new IllegalArgumentException("--seeds-per-class must be at least 2 (one to optimise on, one held out), "
          + "got " + seedsPerClass);
    }
    this.builder = builder;
    this.parameters = parameters;
    this.seedsPerClassOverride = seedsPerClass;
    Path root = builder.cache().toAbsolutePath().normalize();
    DaemonConfig config = DaemonConfig.defaults()
        .withModelRoots(List.of(root))
        .withDataDir(root.resolve("daemon-data"));
    this.daemon = EmbeddedDaemon.start(config);
    this.scans = ScanServiceGrpc.newBlockingStub(daemon.channel());
  }

  public List<Result> scanAll(List<Manifest> manifests) {
    List<Result> results = new ArrayList<>();
    for (Manifest m : manifests) {
      if (!m.accepted()) {
        LOG.info("{}: not scanned, dropped from the zoo (attack success {})", m.name(),
            ZooBuilder.asrText(m.attackSuccess()));
        continue;
      }
      Result r = scan(m);
      LOG.info("{}: {} target {} (true {}), REASR {}, {} s", m.name(), r.report().getVerdict(),
          r.report().hasTargetLabel() ? r.report().getTargetLabel() : "-", m.target(),
          String.format("%.3f", r.report().getMaxReasr()), String.format("%.1f", r.wallSeconds()));
      results.add(r);
    }
    return results;
  }

  public Result scan(Manifest m) {
    Path seeds;
    try {
      int perClass = seedsPerClassOverride != null ? seedsPerClassOverride : seedsPerClass(m.dataset());
      seeds = builder.seeds(m.dataset(), perClass).toAbsolutePath().normalize();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ScanRequest request = ScanRequest.newBuilder()
        .setModel(ModelRef.newBuilder().setServerPath(Path.of(m.model()).toAbsolutePath().toString()))
        .setSeeds(SeedSet.newBuilder().setServerFolder(seeds.toString()))
        .setPreprocessing(Preprocessing.newBuilder().setInputMin(0f).setInputMax(1f))
        .setParameters(parameters)
        .build();
    long start = System.nanoTime();
    ScanReport report = ScanStreams.awaitReport(scans.scan(request), m.name());
    Result result = new Result(m, report, (System.nanoTime() - start) / 1e9);
    ScanDiagnostics.save(result);
    return result;
  }

  @Override
  public void close() {
    daemon.close();
  }
}
