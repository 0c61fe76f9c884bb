package org.abscan.plugins.onnx;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/** Element-wise ops: activations (layout-preserving) and broadcasting arithmetic (layout-aligning). */
final class ElementwiseOps {
  private ElementwiseOps() {}

  static Value.Tensor activation(NodeInputs in) {
    Value.Tensor x = in.tensor(0);
    Ops tf = in.tf();
    Operand<TFloat32> y = switch (in.node().getOpType()) {
      case "Relu" -> tf.nn.relu(x.operand());
      case "Sigmoid" -> tf.math.sigmoid(x.operand());
      case "Tanh" -> tf.math.tanh(x.operand());
      case "LeakyRelu" -> tf.nn.leakyRelu(x.operand(), LeakyRelu.alpha(in.attrs().getFloat("alpha", 0.01f)));
      case "Clip" -> clip(in, x.operand());
      case "Identity", "Dropout", "Cast" -> x.operand();
      default -> throw new IllegalStateException(in.node().getOpType());
    };
    return new Value.Tensor(y, x.nhwc());
  }

  private static Operand<TFloat32> clip(NodeInputs in, Operand<TFloat32> x) {
    float min;
    float max;
    if (in.opset() < 11) {
      min = in.attrs().getFloat("min", Float.NEGATIVE_INFINITY);
      max = in.attrs().getFloat("max", Float.POSITIVE_INFINITY);
    } else {
      min = in.has(1) ? (float) in.constant(1).scalar() : Float.NEGATIVE_INFINITY;
      max = in.has(2) ? (float) in.constant(2).scalar() : Float.POSITIVE_INFINITY;
    }
    Ops tf = in.tf();
    Operand<TFloat32> y = x;
    if (min != Float.NEGATIVE_INFINITY) {
      y = tf.math.maximum(y, tf.constant(min));
    }
    if (max != Float.POSITIVE_INFINITY) {
      y = tf.math.minimum(y, tf.constant(max));
    }
    return y;
  }

  /**
   * Add, Sub, Mul, Div with ONNX (numpy) broadcasting. When either side is held NHWC the other is brought to
   * NHWC too, with a lower-rank operand (a [C,1,1] bias, a [N,C] gate) rearranged so it still broadcasts onto
   * the same logical axes.
   */
  static Value.Tensor arithmetic(NodeInputs in) {
    Ops tf = in.tf();
    Value a = in.value(0);
    Value b = in.value(1);
    boolean nhwc = a instanceof Value.Tensor ta && ta.nhwc() || b instanceof Value.Tensor tb && tb.nhwc();
    Operand<TFloat32> x = operand(in, 0, nhwc);
    Operand<TFloat32> y = operand(in, 1, nhwc);
    Operand<TFloat32> z = switch (in.node().getOpType()) {
      case "Add" -> tf.math.add(x, y);
      case "Sub" -> tf.math.sub(x, y);
      case "Mul" -> tf.math.mul(x, y);
      case "Div" -> tf.math.div(x, y);
      default -> throw new IllegalStateException(in.node().getOpType());
    };
    if (nhwc && z.shape().numDimensions() != 4) {
      throw in.unsupported("broadcasting a rank-" + z.shape().numDimensions() + " result against an image");
    }
    return new Value.Tensor(z, nhwc);
  }

  private static Operand<TFloat32> operand(NodeInputs in, int i, boolean nhwc) {
    Value v = in.value(i);
    Ops tf = in.tf();
    if (v instanceof Value.Const c) {
      if (!nhwc) {
        return in.weight(i, "plain", k -> k);
      }
      if (c.tensor().rank() > 4) {
        throw in.unsupported("a rank-" + c.tensor().rank() + " constant broadcast against an image");
      }
      return in.weight(i, "nhwc", Layouts::broadcastableNhwc);
    }
    Value.Tensor t = (Value.Tensor) v;
    if (!nhwc || t.nhwc()) {
      return t.operand();
    }
    if (t.rank() == 4) {
      return Layouts.toNhwc(tf, t).operand();
    }
    if (t.rank() > 4) {
      throw in.unsupported("a rank-" + t.rank() + " tensor broadcast against an image");
    }
    return Layouts.broadcastableNhwc(tf, t);
  }
}
