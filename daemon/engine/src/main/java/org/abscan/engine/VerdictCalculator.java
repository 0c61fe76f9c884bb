package org.abscan.engine;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.abscan.engine.reverse.ReverseSettings;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Verdict;

/**
 * The verdict from the reverse-engineered candidates: the best evidence among the triggers that count (within the
 * size bound, raising their neuron or {@link #foundFast found fast} unless min_neuron_lift is negative, and not slow
 * and short of {@link #SLOW_TRIGGER_EVIDENCE} unless {@link #corroboratedLabels corroborated}); TROJANED when it
 * reaches the threshold. A trigger's evidence is its REASR on both samples of seed images, the held-out ones and the
 * ones it was optimised on: the lower of the two ({@link #evidence}). The outlier score (section 5.1) says how far
 * that evidence stands out from the evidence of triggers generated from random neurons: (best - mean) / std, std
 * floored at 1e-3.
 */
public final class VerdictCalculator {
  static final double STD_FLOOR = 1e-3;

  /**
   * How strong a trigger's evidence is: the higher {@link #evidence}, then the higher held-out REASR, then the
   * trigger that flips more of its optimisation images. Ties on all three are common (several triggers flip every
   * image) and decide the reported target label; {@link #strongest} breaks them.
   */
  static final Comparator<Candidate> EVIDENCE = Comparator.comparingDouble(VerdictCalculator::evidence)
      .thenComparingDouble(Candidate::getReasr)
      .thenComparingDouble(Candidate::getReasrTrain);

  /**
   * The evidence a slow trigger (one that settled after more than slow_trigger_steps steps) needs to count: on
   * MNIST's 13-14 optimisation and about 31 held-out images, every image of both samples; on GTSRB32's larger
   * samples, all but one or two. A planted trigger is a strong, simple feature that the optimisation finds within a
   * few convergence windows; a natural feature of a benign model is stretched to the size bound over hundreds of
   * steps and then flips most images, not all: the zoo's benign models' slow triggers that reached the threshold
   * had evidence 0.92-0.96 (docs/zoo.md, "Slow triggers").
   */
  public static final float SLOW_TRIGGER_EVIDENCE = 0.97f;

  /**
   * The evidence each of the corroborating_neurons neurons' triggers needs for a slow trigger short of the bar to
   * count: the slow trigger's own and the others', for the same label. Partial triggers of a trojan's compromised
   * neurons reach it (holdout 11's GTSRB32 ResNet red square: five neurons at 0.83-0.92); a benign model's stretched
   * natural feature is one or two neurons' (docs/zoo.md, "Slow triggers three neurons agree on").
   */
  public static final float CORROBORATION_EVIDENCE = 0.8f;

  private VerdictCalculator() {}

  /**
   * How strongly a trigger says "trojan": the lower of its REASR on the held-out images and on the images it was
   * optimised on. A planted trigger flips both samples; a natural feature of a benign model, stretched to the
   * size bound by the optimisation, flips a share that varies from sample to sample, and the held-out sample is
   * small (about 30 images on MNIST, one image is 3 %). On the model zoo 12 of 140 benign models had a trigger
   * at held-out REASR 0.90-1.00, 8 of them flipping only 0.71-0.86 of their own optimisation images, while the
   * detecting triggers of 66 of the 67 trojans found flip 0.92-1.00 of theirs, 64 of them all (docs/zoo.md,
   * "Evidence from both samples").
   */
  public static float evidence(Candidate c) {
    return Math.min(c.getReasr(), c.getReasrTrain());
  }

  /**
   * Whether a trigger is evidence at all: within the size bound, raising its neuron or {@link #foundFast found fast}
   * (when min_neuron_lift is not negative). {@code p}: the scan's resolved parameters.
   */
  static boolean isEvidence(Candidate c, ScanParameters p) {
    return c.getWithinSizeBound() && (p.getMinNeuronLift() < 0f || c.getRaisesNeuron() || foundFast(c, p));
  }

  /**
   * Which of {@code candidates} count toward the verdict under {@code p}, the scan's resolved parameters: each
   * {@link #isEvidence is evidence}, and not {@link #slowAndShort slow and short of the bar} unless
   * {@link #corroborated}. Public for tools that read saved reports (the zoo's evidence table) and must count triggers
   * as the verdict did.
   */
  public static boolean[] counting(List<Candidate> candidates, ScanParameters p) {
    Set<String> corroboratedLabels = corroboratedLabels(candidates, p);
    boolean[] counts = new boolean[candidates.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = counts(candidates.get(i), p, corroboratedLabels);
    }
    return counts;
  }

  private static boolean counts(Candidate c, ScanParameters p, Set<String> corroboratedLabels) {
    return isEvidence(c, p) && (!slowAndShort(c, p) || corroborated(c, p, corroboratedLabels));
  }

  /**
   * Whether a trigger is one of corroborating_neurons neurons agreeing on its label: {@link #corroborates it
   * corroborates}, for a label in {@code corroboratedLabels}.
   */
  private static boolean corroborated(Candidate c, ScanParameters p, Set<String> corroboratedLabels) {
    return corroborates(c, p) && corroboratedLabels.contains(labelOf(c));
  }

  /** Whether a trigger, slow or not, speaks for its label: evidence at all, at {@link #CORROBORATION_EVIDENCE}. */
  private static boolean corroborates(Candidate c, ScanParameters p) {
    return isEvidence(c, p) && evidence(c) >= CORROBORATION_EVIDENCE;
  }

  /**
   * The labels (target, and source for label-specific triggers) for which at least corroborating_neurons distinct
   * candidate neurons (a multi-neuron trigger's neurons are one) have triggers that are evidence at all and reach
   * {@link #CORROBORATION_EVIDENCE}, slow or not; none when corroborating_neurons is not positive.
   */
  static Set<String> corroboratedLabels(List<Candidate> candidates, ScanParameters p) {
    if (p.getCorroboratingNeurons() <= 0) {
      return Set.of();
    }
    Map<String, Set<String>> neuronsByLabel = new HashMap<>();
    for (Candidate c : candidates) {
      if (corroborates(c, p)) {
        String neurons = c.getLayer() + "/" + (c.getNeuronsCount() > 0 ? c.getNeuronsList() : List.of(c.getNeuron()));
        neuronsByLabel.computeIfAbsent(labelOf(c), k -> new HashSet<>()).add(neurons);
      }
    }
    Set<String> labels = new HashSet<>();
    neuronsByLabel.forEach((label, neurons) -> {
      if (neurons.size() >= p.getCorroboratingNeurons()) {
        labels.add(label);
      }
    });
    return labels;
  }

  private static String labelOf(Candidate c) {
    return (c.hasSourceLabel() ? c.getSourceLabel() + "->" : "") + c.getTargetLabel();
  }

  /**
   * Whether a trigger flipped every optimisation image within fast_trigger_steps (scaled to the scan's learning
   * rate, {@link ScanParameterDefaults#FAST_TRIGGER_STEPS}): fast enough to count even if it leaves its neuron where
   * benign images have it. Never when fast_trigger_steps is not positive.
   */
  public static boolean foundFast(Candidate c, ScanParameters p) {
    return p.getFastTriggerSteps() > 0 && c.getFoundAtStep() > 0
        && c.getFoundAtStep() <= atScanRate(p.getFastTriggerSteps(), p);
  }

  /**
   * Whether a trigger is slow, found (or, never flipping every optimisation image, settled) after more than
   * {@link #slowAfter} steps, with evidence below {@link #SLOW_TRIGGER_EVIDENCE}. Off when slow_trigger_steps is not
   * positive.
   */
  public static boolean slowAndShort(Candidate c, ScanParameters p) {
    return p.getSlowTriggerSteps() > 0 && stepsToFind(c) > slowAfter(p) && evidence(c) < SLOW_TRIGGER_EVIDENCE;
  }

  /**
   * How long the optimisation took to find the trigger: the step at which it first flipped every optimisation
   * image, or, if it never did, the steps it ran. The steps a found trigger then spends on confidence do not make
   * it slow; in reports from before found_at_step existed such triggers stopped on that step anyway.
   */
  static int stepsToFind(Candidate c) {
    return c.getFoundAtStep() > 0 ? c.getFoundAtStep() : c.getSteps();
  }

  /**
   * slow_trigger_steps scaled to the scan's learning rate: Adam moves every trigger variable by about the learning
   * rate per step, so at a tenth of the default rate the same trigger needs about ten times the steps.
   */
  static double slowAfter(ScanParameters p) {
    return atScanRate(p.getSlowTriggerSteps(), p);
  }

  /** {@code steps} at the default learning rate, as many at the scan's rate (see {@link #slowAfter}). */
  private static double atScanRate(int steps, ScanParameters p) {
    return ScanParameterDefaults.stepsAtLearningRate(steps, p.getLearningRate());
  }

  /**
   * Which of {@code candidates} that pass {@code eligible} is the evidence; -1 when none does. The strongest by
   * {@link #EVIDENCE}; among triggers tied on it, the ones found within a convergence window ({@link #soonerBy}) of
   * the first found, and of those the neuron that stood out more in stimulation analysis (then the earlier
   * candidate). A planted trigger is a strong, simple feature found within a few windows, a benign model's natural
   * feature is stretched to the bound over hundreds of steps (the slow-trigger rule's reasoning): on the zoo a
   * ResNet's yellow square found in 234 steps tied at 1.000 with a trigger towards the "priority road" sign found in
   * 406, which stood out more and took the target. Steps closer than a window are noise (a NiN trojan's filter
   * found in 45 steps tied with one towards 8 in 41), so they leave it to stimulation (docs/zoo.md, "Ties go to the
   * trigger found sooner"). Public for tools that rank a saved report's triggers the way the verdict did.
   */
  public static int strongest(List<Candidate> candidates, Predicate<Candidate> eligible, ScanParameters p) {
    List<Integer> counted = IntStream.range(0, candidates.size())
        .filter(i -> eligible.test(candidates.get(i))).boxed().toList();
    if (counted.isEmpty()) {
      return -1;
    }
    Candidate strongest = counted.stream().map(candidates::get).max(EVIDENCE).orElseThrow();
    List<Integer> tied = counted.stream().filter(i -> EVIDENCE.compare(candidates.get(i), strongest) == 0).toList();
    double foundBy = tied.stream().mapToInt(i -> stepsToFind(candidates.get(i))).min().orElseThrow() + soonerBy(p);
    int best = -1;
    for (int i : tied) {
      Candidate c = candidates.get(i);
      if (stepsToFind(c) <= foundBy && (best < 0 || c.getElevationScore() > candidates.get(best).getElevationScore())) {
        best = i;
      }
    }
    return best;
  }

  /**
   * How many steps sooner a tied trigger must have been found to win the tie: one convergence window, scaled to
   * the scan's learning rate as {@link #slowAfter} is.
   */
  static double soonerBy(ScanParameters p) {
    return atScanRate(ReverseSettings.CONVERGENCE_WINDOW, p);
  }

  /**
   * Sets every candidate's counts and corroborated flags and the report's verdict, max_reasr, best_candidate,
   * target_label, outlier_score and baseline_reasrs from the candidates and {@code p}, the scan's resolved parameters
   * (threshold, min_neuron_lift, slow_trigger_steps, corroborating_neurons, fast_trigger_steps). Public for tools that
   * re-decide a saved report with other parameters (the verdict is a function of the candidates alone).
   */
  public static void decide(ScanReport.Builder report, ScanParameters p, List<Float> baselineReasrs) {
    Set<String> corroboratedLabels = corroboratedLabels(report.getCandidatesList(), p);
    for (int i = 0; i < report.getCandidatesCount(); i++) {
      Candidate c = report.getCandidates(i);
      boolean counts = counts(c, p, corroboratedLabels);
      // A slow trigger short of the bar counts only through corroboration.
      report.getCandidatesBuilder(i).setCounts(counts).setCorroborated(counts && slowAndShort(c, p));
    }
    int best = strongest(report.getCandidatesList(), Candidate::getCounts, p);
    float maxReasr = best < 0 ? 0f : evidence(report.getCandidates(best));
    report.setBestCandidate(best).setMaxReasr(maxReasr);
    if (best >= 0) {
      report.setTargetLabel(report.getCandidates(best).getTargetLabel());
    } else {
      report.clearTargetLabel();
    }
    report.setVerdict(best >= 0 && maxReasr >= p.getThreshold() ? Verdict.VERDICT_TROJANED : Verdict.VERDICT_BENIGN);
    report.clearBaselineReasrs().addAllBaselineReasrs(baselineReasrs);
    report.setOutlierScore(outlierScore(maxReasr, baselineReasrs));
  }

  static float outlierScore(float best, List<Float> baseline) {
    if (baseline.isEmpty()) {
      return 0f;
    }
    double mean = baseline.stream().mapToDouble(Float::doubleValue).average().orElse(0);
    double var = baseline.stream().mapToDouble(r -> (r - mean) * (r - mean)).sum() / baseline.size();
    return (float) ((best - mean) / Math.max(Math.sqrt(var), STD_FLOOR));
  }
}
