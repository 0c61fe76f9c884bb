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
}
