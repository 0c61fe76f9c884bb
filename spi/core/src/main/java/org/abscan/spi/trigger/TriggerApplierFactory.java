package org.abscan.spi.trigger;

import java.util.Map;
import org.abscan.spi.PluginContext;

/** Creates {@link TriggerApplier}s of one kind. Its {@link #name()} is the trigger name in requests. */
public interface TriggerApplierFactory {
  /** e.g. "pixel", "filter", "multi-neuron". */
  String name();

  /** One line for {@code abscan plugins}. */
  default String description() {
    return name();
  }

  /** An applier configured by {@code config} (applier-specific keys; unknown keys are an error). */
  TriggerApplier create(Map<String, String> config, PluginContext context);
}
