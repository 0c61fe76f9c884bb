package org.abscan.engine.reverse;

import java.util.List;
import org.abscan.engine.SeedImages;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.trigger.NeuronCandidate;

/**
 * One reverse-engineering batch.
 *
 * @param optimisationImages seed images the triggers are optimised on (~30 % of the seeds)
 * @param heldOutImages seed images REASR is measured on
 * @param candidates neurons from Algorithm 1 (or chosen by the user, or random for the baseline)
 * @param trigger name of the trigger applier
 * @param parameters resolved parameters (defaults filled in)
 * @param references how many of the candidates, at the end of the list, are reference neurons (the outlier
 *     score's random baseline): their triggers stop after {@link ReverseSettings#referenceSteps} steps
 */
public record ReverseEngineeringJob(
    LoadedModel model,
    InputPreprocessor preprocessor,
    SeedImages optimisationImages,
    SeedImages heldOutImages,
    List<NeuronCandidate> candidates,
    String trigger,
    ScanParameters parameters,
    int references) {
  public ReverseEngineeringJob {
    candidates = List.copyOf(candidates);
    if (references < 0 || references > candidates.size()) {
      throw new IllegalArgumentException(references + " reference neurons among " + candidates.size());
    }
  }

  /** A job without reference neurons. */
  public ReverseEngineeringJob(LoadedModel model, InputPreprocessor preprocessor, SeedImages optimisationImages,
      SeedImages heldOutImages, List<NeuronCandidate> candidates, String trigger, ScanParameters parameters) {
    this(model, preprocessor, optimisationImages, heldOutImages, candidates, trigger, parameters, 0);
  }

  /** Whether candidate {@code index} is a reference neuron. */
  boolean isReference(int index) {
    return index >= candidates.size() - references;
  }
}
