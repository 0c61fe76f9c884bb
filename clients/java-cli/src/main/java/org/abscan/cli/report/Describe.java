package org.abscan.cli.report;

import java.util.Locale;
import java.util.stream.Collectors;
import org.abscan.proto.scan.v1.Candidate;

/** Short human phrases for report parts, shared by progress lines, summaries and tables. */
public final class Describe {
  private Describe() {}

  /** "conv2d_1 neuron 12" or "dense neurons 3,7". */
  public static String neurons(Candidate candidate) {
    return candidate.getLayer() + (candidate.getNeuronsCount() > 1 ? " neurons " : " neuron ")
        + neuronList(candidate);
  }

  /** "12", or "3,7" for a multi-neuron candidate. */
  public static String neuronList(Candidate candidate) {
    return candidate.getNeuronsCount() > 1
        ? candidate.getNeuronsList().stream().map(String::valueOf).collect(Collectors.joining(","))
        : String.valueOf(candidate.getNeuron());
  }

  /**
   * "mask 2.1% of the input" for pixel triggers, with a note when it exceeds the size bound; feature-space
   * triggers (filters) have no mask and say what they are instead; a trigger that leaves its neuron at its benign
   * level says so (by default the verdict counts it only if it was found within two convergence windows,
   * ScanParameters.fast_trigger_steps).
   */
  public static String size(Candidate candidate) {
    String kind = candidate.getTriggerKind();
    String neuron = candidate.getRaisesNeuron() ? ""
        : " (does not raise its neuron: counted by default only if found within 100 steps)";
    if (!kind.isEmpty() && !kind.equals("pixel") && candidate.getMaskSize() == 0f) {
      return (kind.equals("feature") ? "feature-space trigger" : kind + " trigger") + neuron;
    }
    String size = String.format(Locale.ROOT, "mask %.1f%% of the input", 100 * candidate.getMaskSize());
    return (candidate.getWithinSizeBound() ? size : size + " (over the size bound: not counted)") + neuron;
  }
}
