package org.abscan.plugins.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One layer of the model as {@code model_config} describes it.
 *
 * @param name the layer's unique name
 * @param className the Keras class ("Conv2D", "Dense", ...)
 * @param config the layer's {@code config} object
 * @param inputs names of the layers whose outputs it consumes, in call order
 */
record KerasLayer(String name, String className, JsonNode config, List<String> inputs) {
  KerasLayer {
    inputs = List.copyOf(inputs);
  }
}
