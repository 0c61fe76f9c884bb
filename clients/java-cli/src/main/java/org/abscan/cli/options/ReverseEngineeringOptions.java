package org.abscan.cli.options;

import org.abscan.proto.scan.v1.ScanParameters;
import picocli.CommandLine.Option;

/** Engine flags for trigger reverse engineering; unset flags leave the server's defaults. */
public final class ReverseEngineeringOptions {
  @Option(names = "--re-steps", paramLabel = "N", description = "Optimisation steps per trigger (a cap; it stops early) [1000].")
  public Integer reSteps;

  @Option(names = "--max-trigger-size", paramLabel = "FRACTION",
      description = "Largest trigger as a fraction of the input area [0.04].")
  public Float maxTriggerSize;

  @Option(names = "--target-logit-weight", paramLabel = "W",
      description = "Weight of the target label's logit in the trigger loss; 0 or negative switches the term off "
          + "(pure neuron maximisation, as in the paper) [1.0].")
  public Float targetLogitWeight;

  public void applyTo(ScanParameters.Builder parameters) {
    if (reSteps != null) {
      parameters.setReSteps(reSteps);
    }
    if (maxTriggerSize != null) {
      parameters.setMaxTriggerSize(maxTriggerSize);
    }
    if (targetLogitWeight != null) {
      // The request's 0 means "server default", so "off" travels as a negative weight.
      parameters.setTargetLogitWeight(targetLogitWeight > 0f ? targetLogitWeight : -1f);
    }
  }
}
