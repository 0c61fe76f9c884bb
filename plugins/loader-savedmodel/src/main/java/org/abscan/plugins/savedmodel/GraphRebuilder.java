package org.abscan.plugins.savedmodel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.ModelGraph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;

/**
 * Re-creates a {@link GraphRecipe}'s nodes inside a caller's graph: each NodeDef becomes an op of the same
 * type and attributes, with its inputs remapped to the ops built before it, the input placeholder replaced by
 * the caller's input and every overridden layer tensor replaced by its override.
 */
final class GraphRebuilder {
  /**
   * Ops whose inputs include lists: how many single inputs come before the list (the list takes attr N,
   * or, without N, every remaining input), and how many come after it.
   */
  private static final Map<String, int[]> LIST_INPUTS =
      Map.of(
          "ConcatV2", new int[] {0, 1},
          "Concat", new int[] {1, 0},
          "Pack", new int[] {0, 0},
          "AddN", new int[] {0, 0},
          "IdentityN", new int[] {0, 0});

  private final GraphRecipe recipe;

  GraphRebuilder(GraphRecipe recipe) {
    this.recipe = recipe;
  }

  ModelGraph build(Ops tf, Operand<TFloat32> input, Map<String, Operand<TFloat32>> overrides) {
    Scope scope = tf.scope();
    // One fresh prefix per instantiation, so the engine can build the model many times in one graph.
    String prefix = scope.makeOpName("savedmodel");
    Map<String, Output<?>> overrideByTensor = new HashMap<>();
    for (Map.Entry<String, Operand<TFloat32>> e : overrides.entrySet()) {
      String tensor = recipe.layerTensors().get(e.getKey());
      if (tensor == null) {
        throw new AbscanException(
            ErrorCategory.INVALID_ARGUMENT,
            "cannot override unknown layer " + e.getKey(),
            List.of(new Violation(e.getKey(), "not a layer of this model")));
      }
      overrideByTensor.put(tensor, e.getValue().asOutput());
    }
    Map<String, Operation> built = new HashMap<>();
    Map<String, Output<?>> resolved = new HashMap<>(overrideByTensor);
    resolved.put(recipe.inputNode() + ":0", input.asOutput());
    for (NodeDef node : recipe.nodes()) {
      if (node.getName().equals(recipe.inputNode())) {
        continue;
      }
      built.put(node.getName(), buildNode(scope, prefix, node, resolved, built));
    }
    Map<String, Operand<TFloat32>> layers = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : recipe.layerTensors().entrySet()) {
      layers.put(e.getKey(), output(e.getValue(), resolved, built).expect(TFloat32.class));
    }
    Output<TFloat32> logits = output(recipe.logitsTensor(), resolved, built).expect(TFloat32.class);
    return new ModelGraph(layers, logits);
  }

  private Operation buildNode(
      Scope scope, String prefix, NodeDef node, Map<String, Output<?>> resolved, Map<String, Operation> built) {
    String name = prefix + "/" + node.getName();
    try {
      TensorProto frozen = recipe.frozen().get(node.getName());
      if (frozen != null) {
        return scope.env()
            .opBuilder("Const", name, scope)
            .setAttr("dtype", AttrValue.newBuilder().setType(frozen.getDtype()).build())
            .setAttr("value", AttrValue.newBuilder().setTensor(frozen).build())
            .build();
      }
      OperationBuilder builder = scope.env().opBuilder(node.getOp(), name, scope);
      List<Output<?>> inputs = new ArrayList<>();
      for (String ref : node.getInputList()) {
        if (!GraphNodes.isControl(ref)) {
          inputs.add(output(ref, resolved, built));
        }
      }
      addInputs(builder, node, inputs);
      for (Map.Entry<String, AttrValue> attr : node.getAttrMap().entrySet()) {
        // "_class", "_output_shapes" and friends are graph-construction hints that may name ops we skip.
        if (!attr.getKey().startsWith("_")) {
          builder.setAttr(attr.getKey(), attr.getValue());
        }
      }
      return builder.build();
    } catch (AbscanException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new AbscanException(
          ErrorCategory.UNSUPPORTED_MODEL,
          "cannot rebuild node " + node.getName() + " (op " + node.getOp() + "): " + e.getMessage(),
          List.of(new Violation(node.getName(), "op " + node.getOp() + ": " + e.getMessage())),
          e);
    }
  }

  private static void addInputs(OperationBuilder builder, NodeDef node, List<Output<?>> inputs) {
    int[] layout = LIST_INPUTS.get(node.getOp());
    if (layout == null) {
      inputs.forEach(builder::addInput);
      return;
    }
    int before = layout[0];
    int after = layout[1];
    int listSize = inputs.size() - before - after;
    if (listSize < 0) {
      throw new AbscanException(
          ErrorCategory.MALFORMED_MODEL,
          "node " + node.getName() + " (op " + node.getOp() + ") has too few inputs",
          List.of(new Violation(node.getName(), inputs.size() + " inputs")));
    }
    for (int i = 0; i < before; i++) {
      builder.addInput(inputs.get(i));
    }
    builder.addInputList(inputs.subList(before, before + listSize).toArray(new Output<?>[0]));
    for (int i = before + listSize; i < inputs.size(); i++) {
      builder.addInput(inputs.get(i));
    }
  }

  private static Output<?> output(String ref, Map<String, Output<?>> resolved, Map<String, Operation> built) {
    String tensor = GraphNodes.tensorName(ref);
    Output<?> output = resolved.get(tensor);
    if (output != null) {
      return output;
    }
    Operation op = built.get(GraphNodes.nodeName(ref));
    if (op == null) {
      throw new AbscanException(
          ErrorCategory.INTERNAL, "node " + GraphNodes.nodeName(ref) + " used before it was built");
    }
    int index = GraphNodes.outputIndex(ref);
    if (index >= op.numOutputs()) {
      throw new AbscanException(
          ErrorCategory.MALFORMED_MODEL,
          "tensor " + tensor + " does not exist: the op has " + op.numOutputs() + " outputs",
          List.of(new Violation(tensor, "output index out of range")));
    }
    output = op.output(index);
    resolved.put(tensor, output);
    return output;
  }
}
