package org.abscan.spi.trigger;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.op.Ops;

/**
 * A trigger shape for Algorithm 2 (trigger reverse engineering). The engine optimises many triggers at once:
 * it asks the applier for a {@link TriggerBatch} with one independent set of variables per trigger, stamps
 * images with it, and minimises its loss with respect to {@link TriggerBatch#variables()}.
 */
public interface TriggerApplier {
  TriggerKind kind();

  /**
   * Which candidates share a trigger: each inner list holds indices into {@code candidates} whose neurons are
   * optimised together (their activations summed). The default is one trigger per candidate; the multi-neuron
   * applier groups compromised neurons of one layer and label (Appendix F of the paper).
   */
  default List<List<Integer>> group(List<NeuronCandidate> candidates) {
    List<List<Integer>> groups = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      groups.add(List.of(i));
    }
    return groups;
  }

  /** Declares the variables of {@code spec.triggers()} independent triggers in {@code tf}'s graph. */
  TriggerBatch declare(Ops tf, TriggerSpec spec);
}
