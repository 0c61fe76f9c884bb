package org.abscan.cli.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.abscan.proto.scan.v1.LabelCapMode;
import org.abscan.proto.scan.v1.ScanParameters;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Engine flags for candidate selection and the verdict; unset flags leave the server's defaults. */
public final class SelectionOptions {
  @Option(names = "--top-k", paramLabel = "K", description = "Candidate neurons kept by Algorithm 1 [10].")
  public Integer topK;

  @Option(names = "--per-label-cap", paramLabel = "N", description = "A second selection of K candidates with at "
      + "most N for one target label [2; -1: none].")
  public Integer perLabelCap;

  @Option(names = "--label-cap-mode", paramLabel = "add|replace", converter = LabelCapModeConverter.class,
      description = "Whether the label-capped candidates are added to the top K (up to 2K candidates; added, they "
          + "are not held to the per-layer cap) or replace them [add].")
  public LabelCapMode labelCapMode;

  @Option(names = "--label-cover", paramLabel = "N", description = "A third selection: each label the other two "
      + "leave without a candidate gets its best neuron, for at most N labels [K; -1: none].")
  public Integer labelCover;

  @Option(names = "--threshold", paramLabel = "R", description = "Evidence (the lower of a trigger's two REASRs) at "
      + "or above which the model is trojaned [0.92].")
  public Float threshold;

  @Option(names = "--min-neuron-lift", paramLabel = "L", description = "A trigger counts only if it raises its "
      + "neuron by more than this share over the neuron's benign level [0.05] or was found within "
      + "--fast-trigger-steps; negative: every trigger counts.")
  public Float minNeuronLift;

  @Option(names = "--slow-trigger-steps", paramLabel = "N", description = "A trigger found (first flipping every "
      + "optimisation image) or, never flipping them all, settled after more than N optimisation steps (at the "
      + "default learning rate) counts only with evidence of 0.97 or more [200]; -1: every trigger counts.")
  public Integer slowTriggerSteps;

  @Option(names = "--corroborating-neurons", paramLabel = "N", description = "A slow trigger short of 0.97 still "
      + "counts when N candidate neurons, its own included, have triggers for its label at evidence 0.8 or more "
      + "[3]; -1: never.")
  public Integer corroboratingNeurons;

  @Option(names = "--fast-trigger-steps", paramLabel = "N", description = "A trigger that leaves its neuron still "
      + "counts when found (flipping every optimisation image) within N steps (at the default learning rate) "
      + "[100]; -1: never, every trigger must raise its neuron.")
  public Integer fastTriggerSteps;

  @Option(names = "--layers", split = ",", hideParamSyntax = true, paramLabel = "a,b", description = "Candidate layers (default: every conv/dense layer).")
  public List<String> layers = new ArrayList<>();

  @Option(names = "--triggers", split = ",", hideParamSyntax = true, paramLabel = "pixel,filter,multi-neuron",
      description = "Trigger-apply plugins run per candidate [pixel,filter].")
  public List<String> triggers = new ArrayList<>();

  /** "add" or "replace", as the proto's LABEL_CAP_MODE_ADD and LABEL_CAP_MODE_REPLACE. */
  public static final class LabelCapModeConverter implements ITypeConverter<LabelCapMode> {
    @Override
    public LabelCapMode convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "add" -> LabelCapMode.LABEL_CAP_MODE_ADD;
        case "replace" -> LabelCapMode.LABEL_CAP_MODE_REPLACE;
        default -> throw new TypeConversionException("expected add or replace, got '" + value + "'");
      };
    }
  }

  public void applyTo(ScanParameters.Builder parameters) {
    if (topK != null) {
      parameters.setTopK(topK);
    }
    if (perLabelCap != null) {
      parameters.setPerLabelCap(perLabelCap);
    }
    if (labelCapMode != null) {
      parameters.setLabelCapMode(labelCapMode);
    }
    if (labelCover != null) {
      parameters.setLabelCover(labelCover);
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
    if (corroboratingNeurons != null) {
      parameters.setCorroboratingNeurons(corroboratingNeurons);
    }
    if (fastTriggerSteps != null) {
      parameters.setFastTriggerSteps(fastTriggerSteps);
    }
    parameters.addAllLayers(layers).addAllTriggers(triggers);
  }
}
