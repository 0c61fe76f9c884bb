package org.abscan.zoo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.abscan.proto.scan.v1.ScanParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench/zoo/run train|evaluate [--set full|ci|sweep]}. */
@Command(name = "zoo", mixinStandardHelpOptions = true,
    description = "Trains the trojan model zoo and scans it with abscan.")
public final class ZooMain implements Callable<Integer> {
  @Parameters(index = "0", description = "train | evaluate")
  String action;

  @Option(names = "--set", defaultValue = "full", description = "full | ci | sweep | all")
  String set;

  @Option(names = "--shared", defaultValue = "../shared")
  Path shared;

  @Option(names = "--cache", defaultValue = "target/zoo", description = "where trained models are cached")
  Path cache;

  @Option(names = "--report", defaultValue = "docs/benchmarks.md")
  Path report;

  @Option(names = "--html", defaultValue = "docs/zoo/index.html")
  Path html;

  @Option(names = "--only", description = "scan only models whose name matches this regex (diagnostics; "
      + "no report is written)")
  String only;

  @Option(names = "--max-trigger-size", description = "scan with this trigger-size bound instead of the "
      + "default (diagnostics; no report is written)")
  Float maxTriggerSize;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ZooMain()).execute(args));
  }

  static List<ZooModel> recipes(String set) {
    return switch (set) {
      case "full" -> Catalogue.full();
      case "ci" -> Catalogue.ci();
      case "sweep" -> Catalogue.sizeSweep();
      case "all" -> {
        List<ZooModel> all = new ArrayList<>(Catalogue.full());
        all.addAll(Catalogue.sizeSweep());
        yield all;
      }
      default -> throw new IllegalArgumentException("unknown set " + set);
    };
  }

  @Override
  public Integer call() throws Exception {
    ZooBuilder builder = new ZooBuilder(shared, cache);
    List<Manifest> zoo = train(builder, set.equals("all") ? Catalogue.full() : recipes(set));
    List<Manifest> sweep = set.equals("all") ? train(builder, Catalogue.sizeSweep()) : List.of();
    if (action.equals("train")) {
      return 0;
    }
    if (!action.equals("evaluate")) {
      throw new IllegalArgumentException("unknown action " + action + " (train | evaluate)");
    }
    if (only != null || maxTriggerSize != null) {
      return diagnose(builder, zoo, sweep);
    }
    try (ZooEvaluator evaluator = new ZooEvaluator(builder)) {
      long start = System.nanoTime();
      List<ZooEvaluator.Result> zooResults = evaluator.scanAll(zoo);
      List<ZooEvaluator.Result> sweepResults = evaluator.scanAll(sweep);
      double minutes = (System.nanoTime() - start) / 60e9;
      float threshold = zooResults.isEmpty() ? 0f : zooResults.get(0).report().getParameters().getThreshold();
      float bound = zooResults.isEmpty() ? 0f : zooResults.get(0).report().getParameters().getMaxTriggerSize();
      String environment = String.format(java.util.Locale.ROOT, "%d models scanned in %.1f min on %d cores",
          zooResults.size() + sweepResults.size(), minutes, Runtime.getRuntime().availableProcessors());
      ZooReport.writeSection(report, ZooReport.markdown(zooResults, sweepResults, threshold, bound, environment));
      List<ZooEvaluator.Result> everything = new ArrayList<>(zooResults);
      everything.addAll(sweepResults);
      TriggerGallery.write(html, everything, builder);
      System.out.println("wrote " + report + " and " + html + " (" + environment + ")");
    }
    return 0;
  }

  /** Scans a subset and/or with another bound and prints the evidence table; writes no report. */
  private int diagnose(ZooBuilder builder, List<Manifest> zoo, List<Manifest> sweep) throws java.io.IOException {
    ScanParameters.Builder parameters = ScanParameters.newBuilder();
    if (maxTriggerSize != null) {
      parameters.setMaxTriggerSize(maxTriggerSize);
    }
    List<Manifest> chosen = new ArrayList<>(zoo);
    chosen.addAll(sweep);
    if (only != null) {
      chosen.removeIf(m -> !m.name().matches(only));
    }
    try (ZooEvaluator evaluator = new ZooEvaluator(builder, parameters.build())) {
      List<ZooEvaluator.Result> results = new ArrayList<>();
      for (Manifest m : chosen) {
        if (!m.accepted()) {
          continue;
        }
        ZooEvaluator.Result r = evaluator.scan(m);
        results.add(r);
        System.out.println(ScanDiagnostics.row(r));
      }
      System.out.print(ScanDiagnostics.table(results));
    }
    return 0;
  }

  private static List<Manifest> train(ZooBuilder builder, List<ZooModel> recipes) throws java.io.IOException {
    List<Manifest> manifests = new ArrayList<>();
    for (ZooModel recipe : recipes) {
      Manifest m = builder.build(recipe);
      manifests.add(m);
      System.out.printf("%-48s acc %6.2f %%  asr %s  %s%n", m.name(), 100 * m.cleanAccuracy(),
          ZooBuilder.asrText(m.attackSuccess()), m.accepted() ? "" : "DROPPED (attack success < 90 %)");
    }
    return manifests;
  }
}
