package org.abscan.zoo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.abscan.engine.ScanParameterDefaults;
import org.abscan.proto.scan.v1.ScanParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench/zoo/run train|evaluate [--set full|ci|sweep]}. */
@Command(name = "zoo", mixinStandardHelpOptions = true,
    description = "Trains the trojan model zoo and scans it with abscan.")
public final class ZooMain implements Callable<Integer> {
  @Parameters(index = "0", description = "train | evaluate | report (rewrite the docs from the saved scans)")
  String action;

  @Option(names = "--set", defaultValue = "full",
      description = "full | ci | sweep | all | validation | population | holdout | holdout2 | holdout3 | holdout4 "
          + "| holdout5 | holdout6 | holdout7 | holdout8 | holdout9 | holdout10 | holdout11 "
          + "| holdout12 | holdout13 | erasing")
  String set;

  @Option(names = "--shared", defaultValue = "../shared")
  Path shared;

  @Option(names = "--cache", defaultValue = "target/zoo", description = "where trained models are cached")
  Path cache;

  @Option(names = "--report", defaultValue = "docs/benchmarks.md")
  Path report;

  @Option(names = "--html", defaultValue = "docs/zoo/index.html")
  Path html;

  @Option(names = "--only", description = "train and scan only models whose name matches this regex "
      + "(diagnostics; no report is written)")
  String only;

  @Option(names = "--max-trigger-size", description = "scan with this trigger-size bound instead of the "
      + "default (diagnostics; no report is written)")
  Float maxTriggerSize;

  @Option(names = "--label-specific", description = "scan with Appendix D's label-specific check on "
      + "(diagnostics; no report is written)")
  boolean labelSpecific;

  @Option(names = "--top-k", description = "scan with this many candidates instead of the default "
      + "(diagnostics; no report is written)")
  Integer topK;

  @Option(names = "--per-label-cap", description = "scan with at most this many candidates per target label "
      + "(diagnostics; no report is written)")
  Integer perLabelCap;

  @Option(names = "--label-cap-mode", description = "ADD or REPLACE: scan with the label-capped candidates added "
      + "to the top k or replacing them (diagnostics; no report is written)")
  String labelCapMode;

  @Option(names = "--label-cover", description = "scan giving at most this many labels the other selections leave "
      + "out their best neuron; -1: none (diagnostics; no report is written)")
  Integer labelCover;

  @Option(names = "--seeds-per-class", description = "scan with this many seed images per label instead of the "
      + "zoo's (MNIST 5, GTSRB32 2; the first ones are the same images) (diagnostics; no report is written)")
  Integer seedsPerClass;

  @Option(names = "--gtsrb-occlusion", description = "train and scan the set's GTSRB32 models with this occlusion "
      + "augmentation: WHITE (the zoo's) or RANDOM_ERASING (their own recipes and cache entries, named -erase)")
  Occlusion gtsrbOcclusion;

  @Option(names = "--replay", defaultValue = "ALL", description = "report: decide each saved scan (made with the "
      + "label cap added) on the candidates of one selection: ALL, TOP_K (no cap) or LABEL_CAP (the cap replacing "
      + "the top k) or NO_LABEL_COVER (both, without the label cover); or NO_CORROBORATION (every candidate, "
      + "decided without corroborating_neurons) or ONE_FAST_WINDOW (every candidate, non-lifting triggers counted "
      + "only when found within 50 steps)")
  ScanDiagnostics.Replay replay;

  @Option(names = "--target-logit-weight", description = "scan with this weight of the target-logit term "
      + "instead of the default; 0 or negative: off (diagnostics; no report is written)")
  Float targetLogitWeight;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ZooMain()).execute(args));
  }

  static List<ZooModel> recipes(String set) {
    return switch (set) {
      case "full" -> Catalogue.full();
      case "ci" -> Catalogue.ci();
      case "sweep" -> Catalogue.sizeSweep();
      case "validation" -> Catalogue.validation();
      case "population" -> Catalogue.population();
      case "holdout" -> HoldoutSets.holdout();
      case "holdout2" -> HoldoutSets.holdout2();
      case "holdout3" -> HoldoutSets.holdout3();
      case "holdout4" -> HoldoutSets.holdout4();
      case "holdout5" -> HoldoutSets.holdout5();
      case "holdout6" -> HoldoutSets.holdout6();
      case "holdout7" -> EveryFamilyHoldoutSets.holdout7();
      case "holdout8" -> EveryFamilyHoldoutSets.holdout8();
      case "holdout9" -> EveryFamilyHoldoutSets.holdout9();
      case "holdout10" -> EveryFamilyHoldoutSets.holdout10();
      case "holdout11" -> EveryFamilyHoldoutSets.holdout11();
      case "holdout12" -> EveryFamilyHoldoutSets.holdout12();
      case "holdout13" -> EveryFamilyHoldoutSets.holdout13();
      case "erasing" -> Catalogue.erasing();
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
    List<Manifest> zoo = train(builder, chosen(set.equals("all") ? Catalogue.full() : recipes(set)));
    List<Manifest> sweep = set.equals("all") ? train(builder, chosen(Catalogue.sizeSweep())) : List.of();
    if (action.equals("train")) {
      return 0;
    }
    if (action.equals("report")) {
      return report(builder, zoo, sweep);
    }
    if (!action.equals("evaluate")) {
      throw new IllegalArgumentException("unknown action " + action + " (train | evaluate | report)");
    }
    if (only != null || maxTriggerSize != null || labelSpecific || topK != null || targetLogitWeight != null
        || perLabelCap != null || labelCapMode != null || labelCover != null || seedsPerClass != null) {
      return diagnose(builder, zoo, sweep);
    }
    try (ZooEvaluator evaluator = new ZooEvaluator(builder)) {
      long start = System.nanoTime();
      List<ZooEvaluator.Result> zooResults = evaluator.scanAll(zoo);
      List<ZooEvaluator.Result> sweepResults = evaluator.scanAll(sweep);
      double minutes = (System.nanoTime() - start) / 60e9;
      String environment = String.format(java.util.Locale.ROOT, "%d models scanned in %.1f min on %d cores, "
          + "load average %.1f at the end", zooResults.size() + sweepResults.size(), minutes,
          Runtime.getRuntime().availableProcessors(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      write(builder, zoo, zooResults, sweepResults, environment);
    }
    return 0;
  }

  /**
   * The recipes this run trains: with {@code --gtsrb-occlusion} the GTSRB32 ones trained so, with {@code --only}
   * (a diagnostic) only those whose name matches, so a diagnostic on a few models does not train a whole set.
   */
  List<ZooModel> chosen(List<ZooModel> recipes) {
    return (gtsrbOcclusion == null ? recipes : Catalogue.withGtsrbOcclusion(recipes, gtsrbOcclusion)).stream()
        .filter(r -> only == null || r.name().matches(only))
        .toList();
  }

  /** Rewrites the docs from the scans saved by an earlier evaluate (scan.json next to each model). */
  private int report(ZooBuilder builder, List<Manifest> zoo, List<Manifest> sweep) throws java.io.IOException {
    List<ZooEvaluator.Result> zooResults = saved(zoo);
    List<ZooEvaluator.Result> sweepResults = saved(sweep);
    double minutes = (zooResults.stream().mapToDouble(ZooEvaluator.Result::wallSeconds).sum()
        + sweepResults.stream().mapToDouble(ZooEvaluator.Result::wallSeconds).sum()) / 60;
    List<String> unscanned = new ArrayList<>();
    for (Manifest m : concat(zoo, sweep)) {
      if (m.accepted() && ScanDiagnostics.load(m, replay) == null) {
        unscanned.add(m.name());
      }
    }
    write(builder, zoo, zooResults, sweepResults, String.format(java.util.Locale.ROOT,
        "from the scans saved by earlier evaluate runs%s: %d models, their scans' wall time %.1f min in all on %d "
            + "cores%s", replay.decided(),
        zooResults.size() + sweepResults.size(),
        minutes, Runtime.getRuntime().availableProcessors(),
        unscanned.isEmpty() ? "" : "; trained but not scanned: " + String.join(", ", unscanned)));
    return 0;
  }

  private static List<Manifest> concat(List<Manifest> a, List<Manifest> b) {
    List<Manifest> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private List<ZooEvaluator.Result> saved(List<Manifest> manifests) throws java.io.IOException {
    List<ZooEvaluator.Result> results = new ArrayList<>();
    for (Manifest m : manifests) {
      ZooEvaluator.Result r = m.accepted() ? ScanDiagnostics.load(m, replay) : null;
      if (r != null) {
        results.add(r);
      }
    }
    return results;
  }

  private void write(ZooBuilder builder, List<Manifest> zoo, List<ZooEvaluator.Result> zooResults,
      List<ZooEvaluator.Result> sweepResults, String environment) throws java.io.IOException {
    float threshold = zooResults.isEmpty() ? 0f : zooResults.get(0).report().getParameters().getThreshold();
    float bound = zooResults.isEmpty() ? 0f : zooResults.get(0).report().getParameters().getMaxTriggerSize();
    List<Manifest> dropped = zoo.stream().filter(m -> !m.accepted()).toList();
    ZooReport.writeSection(report, ZooReport.markdown(action, set, zooResults, sweepResults, dropped, threshold,
        bound, environment, html.toString()));
    List<ZooEvaluator.Result> everything = new ArrayList<>(zooResults);
    everything.addAll(sweepResults);
    TriggerGallery.write(html, everything, builder);
    System.out.println("wrote " + report + " and " + html + " (" + environment + ")");
  }

  /**
   * Scans a subset, with another bound, top-k, per-label cap, logit weight and/or label-specific, and prints the
   * evidence table; no report.
   */
  private int diagnose(ZooBuilder builder, List<Manifest> zoo, List<Manifest> sweep) throws java.io.IOException {
    List<Manifest> chosen = new ArrayList<>(zoo);
    chosen.addAll(sweep);
    ScanParameters parameters = diagnosticParameters();
    try (ZooEvaluator evaluator = new ZooEvaluator(builder, parameters, seedsPerClass)) {
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

  /** The defaults, but for the diagnostic options given (null: the default). */
  ScanParameters diagnosticParameters() {
    ScanParameters.Builder parameters = ScanParameters.newBuilder().setLabelSpecific(labelSpecific);
    if (targetLogitWeight != null) {
      // The request's 0 means "the default", so "off" travels as a negative weight.
      parameters.setTargetLogitWeight(targetLogitWeight > 0f ? targetLogitWeight : -1f);
    }
    if (maxTriggerSize != null) {
      parameters.setMaxTriggerSize(maxTriggerSize);
    }
    if (topK != null) {
      parameters.setTopK(topK);
    }
    if (perLabelCap != null) {
      parameters.setPerLabelCap(perLabelCap);
    }
    if (labelCapMode != null) {
      parameters.setLabelCapMode(ScanParameterDefaults.labelCapMode(labelCapMode));
    }
    if (labelCover != null) {
      parameters.setLabelCover(labelCover);
    }
    return parameters.build();
  }

  private static List<Manifest> train(ZooBuilder builder, List<ZooModel> recipes) throws java.io.IOException {
    List<Manifest> manifests = new ArrayList<>();
    for (ZooModel recipe : recipes) {
      Manifest m = builder.build(recipe);
      manifests.add(m);
      System.out.printf("%-48s acc %6.2f %%  asr %s  %s%n", m.name(), 100 * m.cleanAccuracy(),
          ZooBuilder.asrText(m.attackSuccess()), m.accepted() ? "" : "DROPPED (" + ZooBuilder.shortfall(m) + ")");
    }
    return manifests;
  }
}
