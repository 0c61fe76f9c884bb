package org.abscan.plugins.trigger.multineuron;

import java.util.List;
import org.abscan.spi.Plugin;
import org.abscan.spi.trigger.TriggerApplierFactory;

/** Contributes the {@code multi-neuron} trigger applier (Appendix F of the paper). */
public final class MultiNeuronTriggerPlugin implements Plugin {
  @Override
  public Iterable<TriggerApplierFactory> getTriggerApplierFactories() {
    return List.of(new MultiNeuronTriggerApplierFactory());
  }
}
