package org.abscan.cli.options;

import java.util.ArrayList;
import java.util.List;
import org.abscan.proto.scan.v1.ScanParameters;
import picocli.CommandLine.Option;

/** Engine flags for candidate selection and the verdict; unset flags leave the server's defaults. */
public final class SelectionOptions {
  @Option(names = "--top-k", paramLabel = "K", description = "Candidate neurons kept by Algorithm 1 [10].")
  public Integer topK;

  @Option(names = "--per-label-cap", paramLabel = "N", description = "At most N candidates for one target label "
      + "[2; -1: no cap].")
  public Integer perLabelCap;

  @Option(names = "--threshold", paramLabel = "R", description = "Evidence (the lower of a trigger's two REASRs) at "
      + "or above which the model is trojaned [0.92].")
  public Float threshold;

  @Option(names = "--min-neuron-lift", paramLabel = "L", description = "A trigger counts only if it raises its "
      + "neuron by more than this share over the neuron's benign level [0.05]; negative: every trigger counts.")
  public Float minNeuronLift;

  @Option(names = "--slow-trigger-steps", paramLabel = "N", description = "A trigger that settles after more than N "
      + "optimisation steps (at the default learning rate) counts only with evidence of 0.97 or more [200]; -1: "
      + "every trigger counts.")
  public Integer slowTriggerSteps;

  @Option(names = "--layers", split = ",", hideParamSyntax = true, paramLabel = "a,b", description = "Candidate layers (default: every conv/dense layer).")
  public List<String> layers = new ArrayList<>();

  @Option(names = "--triggers", split = ",", hideParamSyntax = true, paramLabel = "pixel,filter,multi-neuron",
      description = "Trigger-apply plugins run per candidate [pixel,filter].")
  public List<String> triggers = new ArrayList<>();

  public void applyTo(ScanParameters.Builder parameters) {
    if (topK != null) {
      parameters.setTopK(topK);
    }
    if (perLabelCap != null) {
      parameters.setPerLabelCap(perLabelCap);
    }
    if (threshold != null) {
      parameters.setThreshold(threshold);
    }
    if (minNeuronLift != null) {
      parameters.setMinNeuronLift(minNeuronLift);
    }
    if (slowTriggerSteps != null) {
      parameters.setSlowTriggerSteps(slowTriggerSteps);
    }
    parameters.addAllLayers(layers).addAllTriggers(triggers);
  }
}
