package org.abscan.engine.reverse;

import java.util.List;
import org.abscan.spi.trigger.NeuronCandidate;

/**
 * One trigger to optimise: the candidates the applier grouped together (one layer, one target label).
 *
 * @param candidateIndices indices into the job's candidates; the first is the group's representative
 * @param layer their layer
 * @param neurons their neurons, in candidate order
 * @param targetLabel the label the trigger should flip images to
 * @param score the representative's Algorithm 1 score
 */
record TriggerGroup(
    List<Integer> candidateIndices, String layer, int[] neurons, int targetLabel, float score) {

  static TriggerGroup of(List<Integer> indices, List<NeuronCandidate> candidates) {
    NeuronCandidate first = candidates.get(indices.get(0));
    int[] neurons = indices.stream().mapToInt(i -> candidates.get(i).neuron()).toArray();
    return new TriggerGroup(List.copyOf(indices), first.layer(), neurons, first.targetLabel(), first.score());
  }

  int firstCandidate() {
    return candidateIndices.get(0);
  }

  /**
   * The seed of this trigger's random start, from the scan's seed, the layer, the neurons and the target: the same
   * candidate starts from the same trigger whatever else is selected (a batch-wide stream once gave a neuron another
   * start when another candidate was selected before it, docs/zoo.md).
   */
  long seed(long scanSeed) {
    long h = mix(scanSeed + layer.hashCode());
    for (int neuron : neurons) {
      h = mix(h + neuron);
    }
    return mix(h + targetLabel);
  }

  /** SplittableRandom's finaliser (Stafford's mix 13) after a golden-ratio step, so that 0 is no fixed point. */
  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
