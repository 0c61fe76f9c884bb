package org.abscan.zoo;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ScanReport;

/**
 * The evidence behind each verdict, kept for the analysis in docs/zoo.md: the scan report (without images)
 * next to the model as scan.json, and one line per model with the best pixel and feature-space triggers, the
 * random-neuron baseline and the outlier score.
 */
final class ScanDiagnostics {
  /** The engine's order of evidence (VerdictCalculator): REASR, then REASR on the optimisation images. */
  private static final java.util.Comparator<Candidate> STRENGTH =
      java.util.Comparator.comparingDouble(Candidate::getReasr).thenComparingDouble(Candidate::getReasrTrain);

  private ScanDiagnostics() {}

  static void save(ZooEvaluator.Result r) {
    ScanReport.Builder slim = r.report().toBuilder();
    for (Candidate.Builder c : slim.getCandidatesBuilderList()) {
      c.clearImages();
    }
    Path file = Path.of(r.manifest().model()).resolveSibling("scan.json");
    try {
      Files.writeString(file, JsonFormat.printer().print(slim));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Header and one row per model: the columns of {@link #row}. */
  static String table(List<ZooEvaluator.Result> results) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-44s %-8s %-8s %-22s %-22s %-18s %s%n",
        "model", "truth", "verdict", "best pixel (reasr/mask/t)", "best feature (reasr/size/t)",
        "baseline mean/max", "outlier"));
    results.forEach(r -> out.append(row(r)).append('\n'));
    return out.toString();
  }

  static String row(ZooEvaluator.Result r) {
    ScanReport report = r.report();
    double mean = report.getBaselineReasrsList().stream().mapToDouble(Float::doubleValue).average().orElse(0);
    double max = report.getBaselineReasrsList().stream().mapToDouble(Float::doubleValue).max().orElse(0);
    return String.format(Locale.ROOT, "%-44s %-8s %-8s %-22s %-22s %5.3f/%5.3f        %6.2f", r.manifest().name(),
        r.manifest().trojaned() ? "t=" + r.manifest().target() : "benign", r.flagged() ? "TROJAN" : "benign",
        best(report, "pixel"), best(report, "feature"), mean, max, report.getOutlierScore());
  }

  private static String best(ScanReport report, String kind) {
    Candidate best = null;
    for (Candidate c : report.getCandidatesList()) {
      if (c.getTriggerKind().equals(kind) && c.getWithinSizeBound()
          && (best == null || STRENGTH.compare(c, best) > 0)) {
        best = c;
      }
    }
    return best == null ? "-" : String.format(Locale.ROOT, "%.3f/%.3f/%d", best.getReasr(), best.getMaskSize(),
        best.getTargetLabel());
  }
}
