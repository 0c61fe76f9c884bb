package org.abscan.plugins.onnx;

import java.util.List;
import org.abscan.plugins.onnx.proto.OnnxProto.NodeProto;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A node being converted: its attributes, its input values, and the graph it is built into. Converters ask for
 * inputs in the form they need; a weight asked for as a tensor becomes a per-graph cached constant.
 */
final class NodeInputs {
  private final NodeProto node;
  private final List<Value> values;
  private final NodeAttributes attributes;
  private final Ops tf;
  private final WeightCache weights;
  private final int opset;

  NodeInputs(NodeProto node, List<Value> values, Ops tf, WeightCache weights, int opset) {
    this.node = node;
    this.values = values;
    this.attributes = new NodeAttributes(node);
    this.tf = tf;
    this.weights = weights;
    this.opset = opset;
  }

  Ops tf() {
    return tf;
  }

  int opset() {
    return opset;
  }

  NodeProto node() {
    return node;
  }

  NodeAttributes attrs() {
    return attributes;
  }

  String describe() {
    return OnnxErrors.describe(node);
  }

  /** The input values (null for an absent optional input). */
  List<Value> values() {
    return values;
  }

  int count() {
    return values.size();
  }

  /** Whether optional input {@code i} is given (ONNX marks an absent one with an empty name). */
  boolean has(int i) {
    return i < values.size() && values.get(i) != null;
  }

  Value value(int i) {
    if (!has(i)) {
      throw OnnxErrors.malformed(describe(), "input " + i + " is missing");
    }
    return values.get(i);
  }

  /** Input {@code i} as a graph tensor (a constant input is materialised, in its ONNX layout). */
  Value.Tensor tensor(int i) {
    Value v = value(i);
    if (v instanceof Value.Tensor t) {
      return t;
    }
    return new Value.Tensor(weight(i, "plain", c -> c), false);
  }

  /** Input {@code i}, which must be known at load time (a weight, a pad amount, a target shape). */
  ConstTensor constant(int i) {
    Value v = value(i);
    if (v instanceof Value.Const c) {
      return c.tensor();
    }
    throw OnnxErrors.unsupported(describe(), "input " + i + " (" + node.getInput(i)
        + ") must be a constant or computable from static shapes, but it depends on the model's input");
  }

  /** Constant input {@code i} transformed by {@code transform}, as a constant cached per graph. */
  Operand<TFloat32> weight(int i, String transformName, java.util.function.UnaryOperator<ConstTensor> transform) {
    ConstTensor c = constant(i);
    return weights.get(tf, transformName + ":" + node.getInput(i), () -> transform.apply(c));
  }

  /** A constant derived from this node's attributes or several inputs, cached per graph under {@code key}. */
  Operand<TFloat32> derived(String key, java.util.function.Supplier<ConstTensor> value) {
    return weights.get(tf, key + "@" + node.getOutput(0), value);
  }

  /** A small uncached scalar. */
  Operand<TFloat32> scalar(float value) {
    return tf.constant(value);
  }

  /** An UNSUPPORTED_MODEL error naming this node. */
  org.abscan.spi.AbscanException unsupported(String what) {
    return OnnxErrors.unsupported(describe(), what);
  }
}
