package org.abscan.spi.model;

import java.util.Map;

/**
 * Options for {@link ModelLoader#load}.
 *
 * @param layerTensors for graph formats, layer name to tensor name ("conv1" to "model/conv1/Relu:0") when the
 *     user names the layers to analyse; empty: the loader's own choice
 * @param maxModelBytes upper bound on what the loader may read or allocate for weights
 */
public record LoadOptions(Map<String, String> layerTensors, long maxModelBytes) {
  public static final long DEFAULT_MAX_MODEL_BYTES = 2L << 30;

  public LoadOptions {
    layerTensors = Map.copyOf(layerTensors);
  }

  public static LoadOptions defaults() {
    return new LoadOptions(Map.of(), DEFAULT_MAX_MODEL_BYTES);
  }
}
