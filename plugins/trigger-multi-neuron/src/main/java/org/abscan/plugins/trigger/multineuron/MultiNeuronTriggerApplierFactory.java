package org.abscan.plugins.trigger.multineuron;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abscan.plugins.trigger.pixel.PixelTriggerConfig;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.PluginContext;
import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerApplierFactory;

/** Creates {@link MultiNeuronTriggerApplier}s: {@code max_neurons} plus the pixel applier's keys. */
public final class MultiNeuronTriggerApplierFactory implements TriggerApplierFactory {
  public static final String NAME = "multi-neuron";
  public static final String MAX_NEURONS = "max_neurons";
  public static final int DEFAULT_MAX_NEURONS = 3;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "pixel trigger optimised for several candidates of one layer and label together (Appendix F)";
  }

  @Override
  public TriggerApplier create(Map<String, String> config, PluginContext context) {
    PixelTriggerConfig pixel = PixelTriggerConfig.parse(config, Set.of(MAX_NEURONS));
    int maxNeurons = DEFAULT_MAX_NEURONS;
    String raw = config.get(MAX_NEURONS);
    if (raw != null) {
      try {
        maxNeurons = Integer.parseInt(raw.trim());
      } catch (NumberFormatException e) {
        maxNeurons = -1;
      }
      if (maxNeurons < 1) {
        throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "invalid multi-neuron trigger config",
            List.of(new Violation(MAX_NEURONS, "must be an integer >= 1, got " + raw)));
      }
    }
    return new MultiNeuronTriggerApplier(maxNeurons, pixel);
  }
}
