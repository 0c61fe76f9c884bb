package org.abscan.plugins.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abscan.plugins.onnx.proto.OnnxProto.NodeProto;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Builds one instance of an ONNX model into a TensorFlow graph: walks the needed nodes in order, folds
 * constant-only nodes in Java, converts the rest to TensorFlow ops, and swaps in overrides where layers are
 * produced.
 */
final class GraphBuilder {
  /**
   * @param layers exposed layer tensors by layer name, in plan order
   * @param logits [batch, labels]
   * @param folded every value this build computed in Java (the load-time build's result is reused by later
   *     builds, which then skip those nodes)
   */
  record Result(Map<String, Operand<TFloat32>> layers, Operand<TFloat32> logits,
      Map<String, ConstTensor> folded) {}

  private final OnnxModel model;
  private final LayerPlanner.Plan plan;
  private final Map<String, ConstTensor> folded;
  private final WeightCache weights;
  private final ConstantFolder folder;
  private final Map<String, LayerPlanner.LayerDef> layersByTensor = new HashMap<>();

  GraphBuilder(OnnxModel model, LayerPlanner.Plan plan, Map<String, ConstTensor> folded, WeightCache weights) {
    this.model = model;
    this.plan = plan;
    this.folded = folded;
    this.weights = weights;
    this.folder = new ConstantFolder(model.opset());
    for (LayerPlanner.LayerDef layer : plan.layers()) {
      layersByTensor.putIfAbsent(layer.tensor(), layer);
    }
  }

  /**
   * @param input [batch, C, H, W]
   * @param overrides layer name to the tensor that replaces it (exposed layout)
   * @param failure category for a TensorFlow error while converting a node: MALFORMED_MODEL while loading, where
   *     the model's own shapes are at fault
   */
  Result build(Ops tf, Operand<TFloat32> input, Map<String, Operand<TFloat32>> overrides, ErrorCategory failure) {
    Map<String, Value> values = new HashMap<>();
    model.constants().forEach((name, c) -> values.put(name, new Value.Const(c)));
    folded.forEach((name, c) -> values.put(name, new Value.Const(c)));
    Map<String, ConstTensor> newlyFolded = new HashMap<>();
    Map<String, Operand<TFloat32>> exposed = new HashMap<>();
    values.put(model.input().name(), new Value.Tensor(input, false));
    exposeIfLayer(tf, model.input().name(), values, overrides, exposed);

    List<NodeProto> nodes = model.nodes();
    for (int i = plan.needed().nextSetBit(0); i >= 0; i = plan.needed().nextSetBit(i + 1)) {
      NodeProto node = nodes.get(i);
      String output = node.getOutput(0);
      if (values.containsKey(output)) {
        continue; // a Constant, or folded when the model was loaded
      }
      List<Value> inputs = inputs(node, values);
      try {
        if (ConstantFolder.canFold(node, inputs)) {
          ConstTensor c = folder.fold(node, inputs);
          values.put(output, new Value.Const(c));
          newlyFolded.put(output, c);
        } else {
          values.put(output, OpConverters.convert(new NodeInputs(node, inputs, tf, weights, model.opset())));
        }
      } catch (AbscanException e) {
        throw e;
      } catch (UnsupportedOperationException e) {
        throw OnnxErrors.unsupported(OnnxErrors.describe(node), e.getMessage());
      } catch (RuntimeException e) {
        throw new AbscanException(failure, OnnxErrors.describe(node) + ": " + e.getMessage(),
            List.of(new AbscanException.Violation(OnnxErrors.describe(node), String.valueOf(e.getMessage()))), e);
      }
      exposeIfLayer(tf, output, values, overrides, exposed);
    }

    Map<String, Operand<TFloat32>> layers = new LinkedHashMap<>();
    for (LayerPlanner.LayerDef layer : plan.layers()) {
      Operand<TFloat32> operand = exposed.get(layer.tensor());
      if (overrides.containsKey(layer.name())) {
        operand = overrides.get(layer.name());
      }
      layers.put(layer.name(), operand);
    }
    Value logitsValue = values.get(plan.logitsTensor());
    if (!(logitsValue instanceof Value.Tensor logits)) {
      throw OnnxErrors.unsupported(plan.logitsTensor(), "the model's output does not depend on its input");
    }
    Value.Tensor flat = Layouts.toLogical(tf, logits);
    if (flat.rank() != 2) {
      throw OnnxErrors.unsupported(plan.logitsTensor(), "the logits must be [batch, labels], got shape "
          + Arrays.toString(flat.logicalShape()));
    }
    return new Result(layers, flat.operand(), newlyFolded);
  }

  private List<Value> inputs(NodeProto node, Map<String, Value> values) {
    List<Value> inputs = new ArrayList<>(node.getInputCount());
    for (String name : node.getInputList()) {
      if (name.isEmpty()) {
        inputs.add(null);
        continue;
      }
      Value v = values.get(name);
      if (v == null) {
        throw OnnxErrors.unsupported(OnnxErrors.describe(node), "uses " + name
            + ", a secondary output of its producer that this loader does not compute");
      }
      inputs.add(v);
    }
    return inputs;
  }

  /** Records a layer's output in the exposed layout, or replaces it by the caller's override. */
  private void exposeIfLayer(Ops tf, String tensor, Map<String, Value> values,
      Map<String, Operand<TFloat32>> overrides, Map<String, Operand<TFloat32>> exposed) {
    LayerPlanner.LayerDef layer = layersByTensor.get(tensor);
    if (layer == null) {
      return;
    }
    Operand<TFloat32> override = null;
    for (LayerPlanner.LayerDef l : plan.layers()) {
      if (l.tensor().equals(tensor) && overrides.containsKey(l.name())) {
        override = overrides.get(l.name());
      }
    }
    if (!(values.get(tensor) instanceof Value.Tensor t)) {
      throw OnnxErrors.unsupported(layer.name(), "layer " + tensor + " is a constant, not an activation");
    }
    Value.Tensor shown = override != null ? Layouts.fromExposed(override) : Layouts.toExposed(tf, t);
    values.put(tensor, shown);
    exposed.put(tensor, shown.operand());
  }
}
