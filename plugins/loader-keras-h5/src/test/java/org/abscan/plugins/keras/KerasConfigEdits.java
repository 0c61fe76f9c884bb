package org.abscan.plugins.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.abscan.spi.testkit.fuzz.ByteMutations;

/**
 * Structure-aware edits of a Keras {@code model_config}: each keeps the JSON valid and changes one thing the
 * parser and the layer builders must check — a number (units, kernel sizes, strides, shapes) to a boundary
 * value, a value to another JSON type, a field removed, a layer duplicated, a model nested inside a layer many
 * levels deep, or a functional chain of thousands of layers.
 */
final class KerasConfigEdits {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Writes deeper documents than Jackson's default allows, so the parser under test sees its own limit hit. */
  private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder()
          .maxNestingDepth(10_000).build()).build());

  enum Kind { NUMBER, RETYPE, REMOVE_FIELD, DUPLICATE_LAYER, NESTED_MODEL, LONG_CHAIN }

  /**
   * @param kind what is edited
   * @param index which value node (in document order, modulo their count), or the depth/length
   * @param value the new number
   */
  record Edit(Kind kind, int index, long value) {}

  private KerasConfigEdits() {}

  static Arbitrary<List<Edit>> edits(int max) {
    Arbitrary<Long> value = Arbitraries.oneOf(Arbitraries.longs().between(-2, 64), ByteMutations.values());
    return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 100_000), value)
        .as(Edit::new).list().ofMinSize(1).ofMaxSize(max);
  }

  static String apply(String config, List<Edit> edits) {
    try {
      JsonNode root = JSON.readTree(config);
      for (Edit edit : edits) {
        root = apply(root, edit);
      }
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("fixture config is not JSON", e);
    }
  }

  private static JsonNode apply(JsonNode root, Edit edit) {
    switch (edit.kind()) {
      case NUMBER, RETYPE, REMOVE_FIELD -> editValue(root, edit);
      case DUPLICATE_LAYER -> {
        ArrayNode layers = layers(root);
        if (layers != null && !layers.isEmpty()) {
          layers.add(layers.get(edit.index() % layers.size()).deepCopy());
        }
      }
      case NESTED_MODEL -> {
        ArrayNode layers = layers(root);
        if (layers != null && !layers.isEmpty()) {
          ObjectNode nested = (ObjectNode) root.deepCopy();
          for (int depth = 1 + edit.index() % 300; depth > 0; depth--) {
            ObjectNode outer = NODES.objectNode().put("class_name", "Functional");
            outer.set("config", NODES.objectNode().put("name", "nest" + depth).set("layers",
                NODES.arrayNode().add(nested)));
            nested = outer;
          }
          layers.set(layers.size() - 1, nested);
        }
      }
      case LONG_CHAIN -> {
        // Around the parser's layer cap: long enough to overflow a recursive walk, short enough for the heap.
        return chain(1 + edit.index() % 12_000);
      }
      default -> throw new IllegalStateException(edit.kind().toString());
    }
    return root;
  }

  private static ArrayNode layers(JsonNode root) {
    JsonNode config = root.path("config");
    JsonNode layers = config.isArray() ? config : config.path("layers");
    return layers instanceof ArrayNode a ? a : null;
  }

  /** Visits value nodes in document order and changes the {@code index % count}-th one. */
  private static void editValue(JsonNode root, Edit edit) {
    List<ObjectNode> parents = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    collect(root, parents, fields);
    if (parents.isEmpty()) {
      return;
    }
    int i = edit.index() % parents.size();
    ObjectNode parent = parents.get(i);
    String field = fields.get(i);
    switch (edit.kind()) {
      case NUMBER -> parent.put(field, edit.value());
      case RETYPE -> parent.set(field, switch ((int) Math.floorMod(edit.value(), 4)) {
        case 0 -> NODES.nullNode();
        case 1 -> NODES.textNode("x");
        case 2 -> NODES.arrayNode().add(edit.value());
        default -> NODES.objectNode();
      });
      default -> parent.remove(field);
    }
  }

  private static void collect(JsonNode node, List<ObjectNode> parents, List<String> fields) {
    if (node instanceof ObjectNode object) {
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        parents.add(object);
        fields.add(name);
        collect(object.get(name), parents, fields);
      }
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, parents, fields));
    }
  }

  /** A functional model input -> relu_1 -> ... -> relu_n: deep enough to overflow a recursive graph walk. */
  static JsonNode chain(int length) {
    ArrayNode layers = NODES.arrayNode();
    ObjectNode input = layers.addObject().put("class_name", "InputLayer").put("name", "in");
    input.putObject("config").put("name", "in").putArray("batch_input_shape").addNull().add(2).add(2).add(1);
    String previous = "in";
    for (int i = 1; i <= length; i++) {
      ObjectNode layer = layers.addObject().put("class_name", "ReLU").put("name", "r" + i);
      layer.putObject("config").put("name", "r" + i);
      layer.putArray("inbound_nodes").addArray().addArray().add(previous).add(0).add(0).addObject();
      previous = "r" + i;
    }
    ObjectNode root = NODES.objectNode().put("class_name", "Functional");
    ObjectNode config = root.putObject("config").put("name", "chain");
    config.set("layers", layers);
    config.putArray("input_layers").addArray().add("in").add(0).add(0);
    config.putArray("output_layers").addArray().add(previous).add(0).add(0);
    return root;
  }
}
