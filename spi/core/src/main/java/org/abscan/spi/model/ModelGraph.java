package org.abscan.spi.model;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * One instantiation of a model in a graph.
 *
 * @param layers every layer of {@link ModelSpec#layers()} by name, in model order
 * @param logits pre-softmax scores, shape [batch, numLabels]
 */
public record ModelGraph(Map<String, Operand<TFloat32>> layers, Operand<TFloat32> logits) {
  public ModelGraph {
    layers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layers));
  }

  public Operand<TFloat32> layer(String name) {
    Operand<TFloat32> layer = layers.get(name);
    if (layer == null) {
      throw new IllegalArgumentException("no layer named " + name);
    }
    return layer;
  }
}
