package org.abscan.plugins.keras;

import java.util.Map;

/**
 * What a Keras full-model HDF5 file holds that the loader needs.
 *
 * @param modelConfig the {@code model_config} JSON
 * @param weights layer name to its weights by short name ("kernel", "bias", ...)
 */
record KerasH5Contents(String modelConfig, Map<String, Map<String, Weight>> weights) {
  KerasH5Contents {
    weights = Map.copyOf(weights);
  }

  /** A layer's weights; empty for layers without any. */
  Map<String, Weight> weightsOf(String layerName) {
    return weights.getOrDefault(layerName, Map.of());
  }
}
