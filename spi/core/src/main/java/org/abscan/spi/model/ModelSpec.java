package org.abscan.spi.model;

import java.util.List;
import java.util.Optional;

/**
 * What a loader found in a model.
 *
 * @param format the loader's name
 * @param input the input tensor
 * @param layers layers whose outputs are addressable, in model order
 * @param logitsName name of the pre-softmax logits (the layer before a cut softmax)
 * @param numLabels number of output labels
 * @param parameterCount number of weights
 */
public record ModelSpec(
    String format,
    InputSpec input,
    List<LayerSpec> layers,
    String logitsName,
    int numLabels,
    long parameterCount) {
  public ModelSpec {
    layers = List.copyOf(layers);
  }

  public Optional<LayerSpec> layer(String name) {
    return layers.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /** Layers ABS analyses by default. */
  public List<LayerSpec> candidateLayers() {
    return layers.stream().filter(LayerSpec::candidate).toList();
  }
}
