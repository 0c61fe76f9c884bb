package org.abscan.plugins.savedmodel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadOptions;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/**
 * Turns a {@link CheckedModel} into a {@link GraphRecipe}: picks input, layers and logits, keeps the nodes they
 * depend on, refuses nodes that cannot be rebuilt, and freezes variables into constants.
 */
final class RecipeBuilder {
  private static final Set<String> VARIABLE_VALUES = Set.of("VariableV2", "Variable", "ReadVariableOp");

  static final String KERAS_V2_ADVICE =
      "this SavedModel computes its layers inside tf.function calls (a TF 2 / Keras model.save or "
          + "tf.saved_model.save export), which abscan cannot rebuild layer by layer. Export a model abscan "
          + "can scan instead: save the Keras model as HDF5 (model.save(\"model.h5\")) for the keras-h5 "
          + "loader, or freeze it to a GraphDef (convert_variables_to_constants_v2 on the concrete serving "
          + "function, then write graph_def.SerializeToString() to model.pb) for this loader";

  private RecipeBuilder() {}

  static GraphRecipe build(CheckedModel model, LoadOptions options, Path scratch) throws IOException {
    GraphNodes nodes = new GraphNodes(model.graph());
    LayerFinder finder = new LayerFinder(nodes, model.signature());
    String input = finder.input().getName();
    String logits = finder.logits();
    Set<String> stopAt = new HashSet<>();
    stopAt.add(input);
    for (NodeDef node : nodes.all()) {
      if (VARIABLE_VALUES.contains(node.getOp())) {
        stopAt.add(node.getName());
      }
    }
    List<NodeDef> logitsAncestors = nodes.dataAncestorsInOrder(List.of(GraphNodes.nodeName(logits)), stopAt);
    Map<String, String> layers =
        options.layerTensors().isEmpty()
            ? finder.automaticLayers(logitsAncestors, logits)
            : inModelOrder(finder.userLayers(options.layerTensors()), logitsAncestors);
    Set<String> roots = new LinkedHashSet<>();
    roots.add(GraphNodes.nodeName(logits));
    layers.values().forEach(t -> roots.add(GraphNodes.nodeName(t)));
    List<NodeDef> order = nodes.dataAncestorsInOrder(roots, stopAt);
    if (order.stream().noneMatch(n -> n.getName().equals(input))) {
      throw new AbscanException(
          ErrorCategory.UNSUPPORTED_MODEL,
          "the logits " + logits + " do not depend on the input " + input,
          List.of(new Violation(logits, "not computed from the input")));
    }
    requireRebuildable(order, input, nodes, model);
    Set<String> variables = new LinkedHashSet<>();
    order.stream().filter(n -> VARIABLE_VALUES.contains(n.getOp())).forEach(n -> variables.add(n.getName()));
    Map<String, TensorProto> frozen = freeze(model, variables, scratch, options.maxModelBytes());
    Map<String, String> kinds = new LinkedHashMap<>();
    layers.forEach((name, tensor) -> kinds.put(name, finder.kind(tensor)));
    return new GraphRecipe(order, input, frozen, layers, logits, kinds);
  }

  /** The user's layers sorted as they occur in the model; a layer that does not feed the logits is an error. */
  private static Map<String, String> inModelOrder(Map<String, String> layers, List<NodeDef> logitsAncestors) {
    Map<String, Integer> position = new LinkedHashMap<>();
    for (int i = 0; i < logitsAncestors.size(); i++) {
      position.put(logitsAncestors.get(i).getName(), i);
    }
    List<Violation> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : layers.entrySet()) {
      if (!position.containsKey(GraphNodes.nodeName(e.getValue()))) {
        problems.add(new Violation(e.getKey(), "tensor " + e.getValue() + " does not feed the logits"));
      }
    }
    if (!problems.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "layerTensors names unusable tensors", problems);
    }
    Map<String, String> sorted = new LinkedHashMap<>();
    layers.entrySet().stream()
        .sorted(java.util.Comparator.comparing(e -> position.get(GraphNodes.nodeName(e.getValue()))))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  private static void requireRebuildable(List<NodeDef> order, String input, GraphNodes nodes, CheckedModel model) {
    Set<String> libraryFunctions = new HashSet<>();
    model.graph().getLibrary().getFunctionList().forEach(f -> libraryFunctions.add(f.getSignature().getName()));
    List<Violation> problems = new ArrayList<>();
    boolean callsFunctions = false;
    for (NodeDef node : order) {
      String op = node.getOp();
      boolean functionCall = OpAllowList.FUNCTION_CALLS.contains(op) || libraryFunctions.contains(op);
      callsFunctions |= functionCall;
      if (functionCall || OpAllowList.NOT_REBUILDABLE.contains(op) || OpAllowList.SAVER_ONLY.contains(op)) {
        problems.add(new Violation(node.getName(), "op " + op + " cannot be rebuilt in the scan graph"));
      } else if (op.equals("Placeholder") && !node.getName().equals(input)) {
        problems.add(new Violation(node.getName(), "a second Placeholder the model needs fed"));
      } else if (VARIABLE_VALUES.contains(op) && !model.isSavedModel()) {
        problems.add(new Violation(node.getName(), "variable without a checkpoint: freeze the graph first"));
      }
    }
    if (!problems.isEmpty()) {
      String message =
          callsFunctions
              ? KERAS_V2_ADVICE
              : "the graph has ops abscan cannot rebuild: "
                  + problems.stream().map(Violation::subject).toList();
      throw new AbscanException(ErrorCategory.UNSUPPORTED_MODEL, message, problems);
    }
  }

  private static Map<String, TensorProto> freeze(
      CheckedModel model, Set<String> variables, Path scratch, long maxBytes) throws IOException {
    if (variables.isEmpty()) {
      return Map.of();
    }
    return VariableFreezer.freeze(
        model.savedModelBytes(), model.variablesDir(), model.tags(), variables, scratch, maxBytes);
  }
}
