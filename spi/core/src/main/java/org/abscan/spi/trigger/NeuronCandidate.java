package org.abscan.spi.trigger;

/**
 * A neuron selected by stimulation analysis, as trigger appliers see it.
 *
 * @param layer layer name
 * @param neuron neuron (channel) index in that layer
 * @param targetLabel the label its stimulation elevates
 * @param score Algorithm 1 score (top label elevation minus the runner-up's)
 */
public record NeuronCandidate(String layer, int neuron, int targetLabel, float score) {}
