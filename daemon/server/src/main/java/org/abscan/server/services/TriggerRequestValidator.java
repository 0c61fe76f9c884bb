package org.abscan.server.services;

import java.util.Set;
import org.abscan.proto.scan.v1.GenerateTriggerRequest;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.ModelSpec;

/** GenerateTrigger's checks against the loaded model; run wherever the model was parsed (daemon or worker). */
public final class TriggerRequestValidator {
  private TriggerRequestValidator() {}

  /** The trigger a request names, "pixel" when it names none. */
  public static String triggerName(GenerateTriggerRequest request) {
    return request.getTrigger().isEmpty() ? "pixel" : request.getTrigger();
  }

  /** @throws org.abscan.spi.AbscanException INVALID_ARGUMENT with one violation per bad field */
  public static void validate(GenerateTriggerRequest request, Set<String> knownTriggers, ModelSpec spec) {
    String trigger = triggerName(request);
    ParameterValidator validator = new ParameterValidator("parameters");
    if (!knownTriggers.contains(trigger)) {
      validator.addViolation("trigger", "unknown trigger '" + trigger + "'; known: " + knownTriggers);
    }
    var layer = spec.layer(request.getLayer());
    if (request.getLayer().isEmpty() || layer.isEmpty()) {
      validator.addViolation("layer", "the model has no layer '" + request.getLayer() + "'");
    }
    if (request.getNeuronsCount() == 0) {
      validator.addViolation("neurons", "name at least one neuron");
    }
    int neurons = layer.map(LayerSpec::neurons).orElse(Integer.MAX_VALUE);
    for (int i = 0; i < request.getNeuronsCount(); i++) {
      int neuron = request.getNeurons(i);
      if (neuron < 0 || neuron >= neurons) {
        validator.addViolation("neurons[" + i + "]", "neuron " + neuron + " outside 0.." + (neurons - 1));
      }
    }
    int labels = spec.numLabels();
    if (request.hasTargetLabel() && (request.getTargetLabel() < 0 || request.getTargetLabel() >= labels)) {
      validator.addViolation("target_label", "label " + request.getTargetLabel() + " outside 0.."
          + (labels - 1));
    }
    validator.throwIfInvalid();
  }
}
