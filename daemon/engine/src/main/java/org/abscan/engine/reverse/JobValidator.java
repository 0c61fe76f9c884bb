package org.abscan.engine.reverse;

import java.util.ArrayList;
import java.util.List;
import org.abscan.engine.SeedImages;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.ModelSpec;
import org.abscan.spi.trigger.NeuronCandidate;

/** Checks a job against its model before any graph is built, naming every bad field. */
final class JobValidator {
  private JobValidator() {}

  /**
   * @throws AbscanException INVALID_ARGUMENT with one violation per problem
   */
  static void validate(ReverseEngineeringJob job) {
    List<Violation> violations = new ArrayList<>();
    ModelSpec spec = job.model().spec();
    if (job.candidates().isEmpty()) {
      violations.add(new Violation("candidates", "no candidate neurons to reverse-engineer"));
    }
    for (int i = 0; i < job.candidates().size(); i++) {
      NeuronCandidate c = job.candidates().get(i);
      String where = "candidates[" + i + "]";
      LayerSpec layer = spec.layer(c.layer()).orElse(null);
      if (layer == null) {
        violations.add(new Violation(where + ".layer", "the model has no layer named " + c.layer()));
      } else if (c.neuron() < 0 || c.neuron() >= layer.neurons()) {
        violations.add(new Violation(where + ".neuron", "layer " + c.layer() + " has " + layer.neurons()
            + " neurons, got index " + c.neuron()));
      }
      if (c.targetLabel() < 0 || c.targetLabel() >= spec.numLabels()) {
        violations.add(new Violation(where + ".target_label", "the model has " + spec.numLabels()
            + " labels, got " + c.targetLabel()));
      }
    }
    checkImages("optimisation_images", job.optimisationImages(), spec.input(), violations);
    checkImages("held_out_images", job.heldOutImages(), spec.input(), violations);
    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "invalid reverse-engineering job", violations);
    }
  }

  private static void checkImages(String field, SeedImages images, InputSpec input, List<Violation> out) {
    if (images.count() == 0) {
      out.add(new Violation(field, "no images"));
      return;
    }
    if (images.height() != input.height() || images.width() != input.width()
        || images.channels() != input.channels()) {
      out.add(new Violation(field, "images are " + images.height() + "x" + images.width() + "x"
          + images.channels() + " but the model's input " + input.name() + " is " + input.height() + "x"
          + input.width() + "x" + input.channels()));
    }
  }
}
