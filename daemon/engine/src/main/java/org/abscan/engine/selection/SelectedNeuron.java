package org.abscan.engine.selection;

import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.NeuronStimulation;
import org.abscan.spi.trigger.NeuronCandidate;

/**
 * A compromised-neuron candidate chosen by Algorithm 1.
 *
 * @param score top label elevation minus the runner-up's
 * @param peakValue stimulation value at the target label's NSF peak
 * @param nsf the aggregate stimulation curves, for the report
 * @param sourceLabel the label whose images the neuron flips most consistently (Appendix D), -1 if none
 * @param byTopK among the top-k that stand out most in their layers
 * @param byLabelCap in the label-capped selection
 * @param byLabelCover its label's best neuron, a label the other selections leave out
 */
public record SelectedNeuron(String layer, int neuron, int targetLabel, float score, float peakValue,
    NeuronStimulation nsf, int sourceLabel, boolean byTopK, boolean byLabelCap, boolean byLabelCover) {

  /** A neuron not chosen by a ranking (named in a request). */
  public SelectedNeuron(String layer, int neuron, int targetLabel, float score, float peakValue,
      NeuronStimulation nsf, int sourceLabel) {
    this(layer, neuron, targetLabel, score, peakValue, nsf, sourceLabel, false, false, false);
  }

  SelectedNeuron selectedBy(boolean topK, boolean labelCap, boolean labelCover) {
    return new SelectedNeuron(layer, neuron, targetLabel, score, peakValue, nsf, sourceLabel, topK, labelCap,
        labelCover);
  }

  public NeuronCandidate toNeuronCandidate() {
    return new NeuronCandidate(layer, neuron, targetLabel, score);
  }

  /** The candidate as reported before reverse engineering. */
  public Candidate toCandidate() {
    return Candidate.newBuilder()
        .setLayer(layer)
        .setNeuron(neuron)
        .addNeurons(neuron)
        .setTargetLabel(targetLabel)
        .setElevationScore(score)
        .setPeakValue(peakValue)
        .setSelectedByTopK(byTopK)
        .setSelectedByLabelCap(byLabelCap)
        .setSelectedByLabelCover(byLabelCover)
        .build();
  }
}
