package org.abscan.zoo;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.abscan.engine.ScanParameterDefaults;
import org.abscan.engine.VerdictCalculator;
import org.abscan.engine.reverse.ReverseSettings;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.LabelCapMode;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;

/**
 * The evidence behind each verdict, kept for the analysis in docs/zoo.md: the scan report next to the model
 * as scan.json (so the docs can be regenerated without scanning again), and one line per model with the best
 * pixel and feature-space triggers, the random-neuron baseline and the outlier score.
 */
final class ScanDiagnostics {
  private ScanDiagnostics() {}

  static void save(ZooEvaluator.Result r) {
    try {
      Files.writeString(file(r.manifest()), String.format(Locale.ROOT, "{\"wallSeconds\": %.3f, \"report\": %s}",
          r.wallSeconds(), JsonFormat.printer().print(r.report())));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The saved scan of {@code m}, or null when it was never scanned. Every saved scan is decided again by today's
   * {@link VerdictCalculator} with today's threshold, slow-trigger rule, corroboration and fast window (also for scans
   * saved before slow_trigger_steps, corroborating_neurons or fast_trigger_steps existed): the verdict is a function
   * of the saved candidates, and neither the rules nor these parameters shape the optimisation
   * ({@code ReverseSettings.HOPELESS_BELOW}), so the result is what a scan with today's defaults would report on the
   * triggers that scan found.
   */
  static ZooEvaluator.Result load(Manifest m) throws IOException {
    return load(m, Replay.ALL);
  }

  /**
   * Which of a saved scan's candidates the verdict is decided on, and how. A scan made with the label cap added
   * examines the top k and the label-capped selection; since each trigger starts from its own candidate's seed and
   * settles on its own, deciding on one selection's candidates gives what a scan with that selection alone would
   * report, up to float rounding.
   */
  enum Replay {
    /** Every candidate, as scanned. */
    ALL(true),
    /**
     * Every candidate, decided without corroboration (corroborating_neurons -1, the verdict before session 17): a
     * rule of the verdict alone, so this is exactly what a scan without it reports.
     */
    NO_CORROBORATION(true),
    /**
     * Every candidate, decided with one convergence window for triggers that leave their neuron still
     * (fast_trigger_steps 50, the verdict of sessions 16-17): a rule of the verdict alone, like NO_CORROBORATION.
     */
    ONE_FAST_WINDOW(true),
    /** The top k only: no label cap. */
    TOP_K(false),
    /** The label-capped selection only: the cap replacing the top k. */
    LABEL_CAP(false),
    /** The top k and the label-capped selection, without the label cover (session 14's selection). */
    NO_LABEL_COVER(false);

    /** Whether the scan is decided on every candidate (another rule), not on one selection's. */
    final boolean everyCandidate;

    Replay(boolean everyCandidate) {
      this.everyCandidate = everyCandidate;
    }

    /** What a report's header adds to say how its saved scans were decided: nothing for ALL. */
    String decided() {
      return switch (this) {
        case ALL -> "";
        case NO_CORROBORATION -> ", decided without corroboration";
        case ONE_FAST_WINDOW -> ", decided with one fast window (" + ONE_WINDOW + " steps)";
        default -> ", decided on the " + this + " candidates only";
      };
    }
  }

  /** fast_trigger_steps of the verdict before session 18: one convergence window. */
  static final int ONE_WINDOW = ReverseSettings.CONVERGENCE_WINDOW;

  /** The saved scan of {@code m} decided on the candidates {@code replay} keeps; null when never scanned. */
  static ZooEvaluator.Result load(Manifest m, Replay replay) throws IOException {
    Path file = file(m);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    com.fasterxml.jackson.databind.JsonNode saved = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(file.toFile());
    ScanReport.Builder report = ScanReport.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(saved.get("report").toString(), report);
    // Decided again by today's rules (the verdict is a function of the candidates), at today's threshold and
    // slow-trigger rule, so that every set's tables are one engine's verdict on the triggers its scan found.
    ScanParameters.Builder p = report.getParametersBuilder()
        .setThreshold(ScanParameterDefaults.THRESHOLD).setSlowTriggerSteps(ScanParameterDefaults.SLOW_TRIGGER_STEPS)
        .setCorroboratingNeurons(replay == Replay.NO_CORROBORATION
            ? ScanParameterDefaults.NO_CORROBORATION : ScanParameterDefaults.CORROBORATING_NEURONS)
        .setFastTriggerSteps(replay == Replay.ONE_FAST_WINDOW ? ONE_WINDOW : ScanParameterDefaults.FAST_TRIGGER_STEPS);
    VerdictCalculator.decide(report, p.build(), List.copyOf(report.getBaselineReasrsList()));
    if (!replay.everyCandidate) {
      replay(m, report, replay);
    }
    return new ZooEvaluator.Result(m, report.build(), saved.get("wallSeconds").asDouble());
  }

  private static void replay(Manifest m, ScanReport.Builder report, Replay replay) {
    ScanParameters.Builder p = report.getParametersBuilder();
    if (p.getLabelCapMode() != LabelCapMode.LABEL_CAP_MODE_ADD || p.getPerLabelCap() < 1) {
      throw new IllegalStateException("the scan of " + m.name() + " was not made with the label cap added "
          + "(label_cap_mode " + p.getLabelCapMode() + ", per_label_cap " + p.getPerLabelCap()
          + "): one selection's candidates cannot be told apart");
    }
    List<Candidate> kept = report.getCandidatesList().stream().filter(c -> switch (replay) {
      case TOP_K -> c.getSelectedByTopK();
      case LABEL_CAP -> c.getSelectedByLabelCap();
      default -> c.getSelectedByTopK() || c.getSelectedByLabelCap();
    }).toList();
    report.clearCandidates().addAllCandidates(kept);
    p.setLabelCover(ScanParameterDefaults.NO_LABEL_COVER);
    if (replay == Replay.TOP_K) {
      p.setPerLabelCap(ScanParameterDefaults.NO_LABEL_CAP);
    } else if (replay == Replay.LABEL_CAP) {
      p.setLabelCapMode(LabelCapMode.LABEL_CAP_MODE_REPLACE);
    }
    VerdictCalculator.decide(report, p.build(), List.copyOf(report.getBaselineReasrsList()));
  }

  private static Path file(Manifest m) {
    return Path.of(m.model()).resolveSibling("scan.json");
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
    List<Candidate> all = report.getCandidatesList();
    boolean[] counts = VerdictCalculator.counting(all, report.getParameters());
    int i = VerdictCalculator.strongest(all, c -> c.getTriggerKind().equals(kind) && counts[all.indexOf(c)],
        report.getParameters());
    Candidate best = i < 0 ? null : all.get(i);
    return best == null ? "-" : String.format(Locale.ROOT, "%.3f/%.3f/%d", VerdictCalculator.evidence(best),
        best.getMaskSize(), best.getTargetLabel());
  }
}
