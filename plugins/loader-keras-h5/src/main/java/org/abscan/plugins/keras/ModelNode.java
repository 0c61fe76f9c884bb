package org.abscan.plugins.keras;

import java.util.List;

/**
 * One addressable tensor of the built model: a Keras layer's output, or one half of a layer whose activation
 * is fused ({@code conv2d/pre_activation} and {@code conv2d}).
 *
 * @param name tensor name, unique in the model; the post-activation half keeps the Keras layer name
 * @param kind what computes it, e.g. "Conv2D", "Conv2D/relu", "ReLU"
 * @param inputs names of the tensors it consumes
 * @param op its shape and ops
 */
record ModelNode(String name, String kind, List<String> inputs, LayerOp op) {
  ModelNode {
    inputs = List.copyOf(inputs);
  }

  static final String PRE_ACTIVATION = "/pre_activation";
}
