package org.abscan.plugins.keras;

import java.util.List;

/**
 * A model's layers in an order where each comes after its inputs.
 *
 * @param input the input layer (class InputLayer)
 * @param inputShape input dimensions without the batch dimension
 * @param layers every other layer, topologically ordered
 * @param output name of the layer producing the model's output
 */
record KerasTopology(KerasLayer input, long[] inputShape, List<KerasLayer> layers, String output) {
  KerasTopology {
    inputShape = inputShape.clone();
    layers = List.copyOf(layers);
  }

  @Override
  public long[] inputShape() {
    return inputShape.clone();
  }
}
