package org.abscan.plugins.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns the {@code model_config} JSON of a Sequential or Functional model into a {@link KerasTopology}. */
final class KerasConfigParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Bound on the layers of one model. Real classifiers have hundreds (a Keras ResNet-152 about 500); without a
   * bound a small config could ask for millions of graph ops.
   */
  static final int MAX_LAYERS = 10_000;
  /**
   * Bound on the model_config JSON, checked before parsing: the parsed tree takes about ten times the text, and
   * the text is only bounded by the model size limit (gigabytes). Real configs are well under a megabyte.
   */
  static final int MAX_CONFIG_CHARS = 16 << 20;

  private KerasConfigParser() {}

  static KerasTopology parse(String modelConfig) {
    if (modelConfig.length() > MAX_CONFIG_CHARS) {
      throw KerasErrors.limit("model_config", modelConfig.length() + " characters, limit is " + MAX_CONFIG_CHARS);
    }
    JsonNode root;
    try {
      root = JSON.readTree(modelConfig);
    } catch (JsonProcessingException e) {
      throw KerasErrors.malformed("model_config", "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw KerasErrors.malformed("model_config", "not a JSON object");
    }
    String className = root.path("class_name").asText("");
    JsonNode config = root.path("config");
    return switch (className) {
      case "Sequential" -> sequential(config);
      case "Functional", "Model" -> functional(config);
      default -> throw KerasErrors.unsupported(
          config.path("name").asText("model"), "model class " + className + " (Sequential or Functional expected)");
    };
  }

  private static KerasTopology sequential(JsonNode config) {
    // Keras 2.2 stored the layer list directly as the config; later versions under "layers".
    JsonNode layerList = config.isArray() ? config : config.path("layers");
    if (!layerList.isArray() || layerList.isEmpty()) {
      throw KerasErrors.malformed("model_config.config.layers", "missing or empty");
    }
    checkLayerCount(layerList);
    List<KerasLayer> layers = new ArrayList<>();
    for (JsonNode entry : layerList) {
      layers.add(new KerasLayer(name(entry), text(entry, "class_name"), entry.path("config"), List.of()));
    }
    KerasLayer input;
    if (layers.get(0).className().equals("InputLayer")) {
      input = layers.remove(0);
    } else {
      // Keras synthesises "<first layer>_input" from the first layer's batch_input_shape.
      KerasLayer first = layers.get(0);
      ObjectNode inputConfig = JsonNodeFactory.instance.objectNode();
      inputConfig.set("batch_input_shape", first.config().path("batch_input_shape"));
      input = new KerasLayer(first.name() + "_input", "InputLayer", inputConfig, List.of());
    }
    List<KerasLayer> chained = new ArrayList<>();
    String previous = input.name();
    for (KerasLayer layer : layers) {
      chained.add(new KerasLayer(layer.name(), layer.className(), layer.config(), List.of(previous)));
      previous = layer.name();
    }
    checkUniqueNames(input, chained);
    return new KerasTopology(input, inputShape(input), chained, previous);
  }

  private static KerasTopology functional(JsonNode config) {
    JsonNode layerList = config.path("layers");
    if (!layerList.isArray() || layerList.isEmpty()) {
      throw KerasErrors.malformed("model_config.config.layers", "missing or empty");
    }
    checkLayerCount(layerList);
    Map<String, KerasLayer> byName = new LinkedHashMap<>();
    for (JsonNode entry : layerList) {
      String name = name(entry);
      KerasLayer layer = new KerasLayer(name, text(entry, "class_name"), entry.path("config"), inbound(entry, name));
      if (byName.put(name, layer) != null) {
        throw KerasErrors.malformed("layer " + name, "name used twice");
      }
    }
    String inputName = single(config.path("input_layers"), "input_layers");
    String outputName = single(config.path("output_layers"), "output_layers");
    KerasLayer input = byName.get(inputName);
    if (input == null || !input.className().equals("InputLayer")) {
      throw KerasErrors.malformed("input_layers", "names " + inputName + ", which is not an InputLayer of the model");
    }
    if (!byName.containsKey(outputName)) {
      throw KerasErrors.malformed("output_layers", "names unknown layer " + outputName);
    }
    List<KerasLayer> ordered = topologicalOrder(outputName, byName);
    ordered.remove(input);
    for (KerasLayer layer : ordered) {
      if (layer.className().equals("InputLayer")) {
        throw KerasErrors.unsupported(layer.name(), "a second model input (one image input supported)");
      }
    }
    return new KerasTopology(input, inputShape(input), ordered, outputName);
  }

  /**
   * Depth-first post-order from the output: inputs first, and layers the output does not need are dropped.
   * Iterative with an explicit stack: a recursive walk overflowed the thread stack on a chain of ~10,000 layers
   * (found by fuzzing), and the config is untrusted.
   */
  private static List<KerasLayer> topologicalOrder(String output, Map<String, KerasLayer> byName) {
    List<KerasLayer> ordered = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> active = new HashSet<>();
    Deque<Visit> stack = new ArrayDeque<>();
    active.add(output);
    stack.push(new Visit(layer(output, byName)));
    while (!stack.isEmpty()) {
      Visit top = stack.peek();
      if (top.nextInput < top.layer.inputs().size()) {
        String input = top.layer.inputs().get(top.nextInput++);
        if (done.contains(input)) {
          continue;
        }
        if (!active.add(input)) {
          throw KerasErrors.malformed("layer " + input, "is part of a cycle");
        }
        stack.push(new Visit(layer(input, byName)));
      } else {
        stack.pop();
        active.remove(top.layer.name());
        done.add(top.layer.name());
        ordered.add(top.layer);
      }
    }
    return ordered;
  }

  private static KerasLayer layer(String name, Map<String, KerasLayer> byName) {
    KerasLayer layer = byName.get(name);
    if (layer == null) {
      throw KerasErrors.malformed("inbound_nodes", "reference unknown layer " + name);
    }
    return layer;
  }

  /** A layer on the walk's stack and which of its inputs to visit next. */
  private static final class Visit {
    final KerasLayer layer;
    int nextInput;

    Visit(KerasLayer layer) {
      this.layer = layer;
    }
  }

  /** Inbound layer names of a functional layer: [[["conv2d", 0, 0, {}], ...]] in Keras 2.x. */
  private static List<String> inbound(JsonNode entry, String name) {
    JsonNode nodes = entry.path("inbound_nodes");
    if (nodes.isMissingNode() || nodes.isNull() || (nodes.isArray() && nodes.isEmpty())) {
      return List.of();
    }
    if (!nodes.isArray()) {
      throw KerasErrors.malformed("layer " + name, "inbound_nodes is not a list");
    }
    if (nodes.size() > 1) {
      throw KerasErrors.unsupported(name, "layer called " + nodes.size() + " times (shared layers)");
    }
    JsonNode node = nodes.get(0);
    if (!node.isArray()) {
      throw KerasErrors.unsupported(name, "inbound node format " + node.getNodeType() + " (Keras 2.x list expected)");
    }
    List<String> inputs = new ArrayList<>();
    for (JsonNode ref : node) {
      if (!ref.isArray() || ref.isEmpty() || !ref.get(0).isTextual()) {
        throw KerasErrors.malformed("layer " + name, "inbound reference is not [layer, node, tensor, kwargs]");
      }
      if (ref.size() > 1 && ref.get(1).asInt(0) != 0 || ref.size() > 2 && ref.get(2).asInt(0) != 0) {
        throw KerasErrors.unsupported(name, "consumes a shared layer's second call or a multi-output layer");
      }
      inputs.add(ref.get(0).asText());
    }
    return inputs;
  }

  /** The one name in [["input_1", 0, 0]] (or the flat ["input_1", 0, 0] some versions write). */
  private static String single(JsonNode refs, String field) {
    if (refs.isArray() && !refs.isEmpty() && refs.get(0).isTextual()) {
      return refs.get(0).asText();
    }
    if (!refs.isArray() || refs.isEmpty()) {
      throw KerasErrors.malformed(field, "missing");
    }
    if (refs.size() != 1) {
      throw KerasErrors.unsupported(field, refs.size() + " model " + field + " (one supported)");
    }
    JsonNode ref = refs.get(0);
    if (!ref.isArray() || ref.isEmpty() || !ref.get(0).isTextual()) {
      throw KerasErrors.malformed(field, "entry is not [layer, node, tensor]");
    }
    return ref.get(0).asText();
  }

  private static long[] inputShape(KerasLayer input) {
    JsonNode shape = input.config().path("batch_input_shape");
    if (shape.isMissingNode()) {
      shape = input.config().path("batch_shape");
    }
    if (!shape.isArray() || shape.size() < 2) {
      throw KerasErrors.malformed("layer " + input.name(), "batch_input_shape missing");
    }
    long[] dims = new long[shape.size() - 1];
    for (int i = 1; i < shape.size(); i++) {
      JsonNode dim = shape.get(i);
      if (!dim.canConvertToLong() || dim.asLong() <= 0) {
        throw KerasErrors.unsupported(input.name(), "input dimension " + i + " is " + dim + " (fixed sizes required)");
      }
      dims[i - 1] = dim.asLong();
    }
    return dims;
  }

  private static void checkLayerCount(JsonNode layerList) {
    if (layerList.size() > MAX_LAYERS) {
      throw KerasErrors.limit("model_config.config.layers", layerList.size() + " layers, limit is " + MAX_LAYERS);
    }
  }

  private static void checkUniqueNames(KerasLayer input, List<KerasLayer> layers) {
    Set<String> names = new HashSet<>();
    names.add(input.name());
    for (KerasLayer layer : layers) {
      if (!names.add(layer.name())) {
        throw KerasErrors.malformed("layer " + layer.name(), "name used twice");
      }
    }
  }

  private static String name(JsonNode entry) {
    JsonNode name = entry.path("config").path("name");
    if (!name.isTextual()) {
      name = entry.path("name");
    }
    if (!name.isTextual() || name.asText().isEmpty()) {
      throw KerasErrors.malformed("model_config", "a layer without a name");
    }
    return name.asText();
  }

  private static String text(JsonNode entry, String field) {
    JsonNode value = entry.path(field);
    if (!value.isTextual()) {
      throw KerasErrors.malformed("layer " + name(entry), field + " missing");
    }
    return value.asText();
  }
}
