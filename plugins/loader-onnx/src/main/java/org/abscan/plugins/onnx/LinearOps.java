package org.abscan.plugins.onnx;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/** Gemm, MatMul and inference-mode BatchNormalization (folded to a per-channel scale and shift). */
final class LinearOps {
  private LinearOps() {}

  /** Y = alpha * A' B' + beta * C, with A' and B' optionally transposed. */
  static Value.Tensor gemm(NodeInputs in) {
    Ops tf = in.tf();
    Value.Tensor a = Layouts.toLogical(tf, in.tensor(0));
    if (a.rank() != 2) {
      throw OnnxErrors.malformed(in.describe(), "Gemm input A must be rank 2, got rank " + a.rank());
    }
    boolean transA = in.attrs().getInt("transA", 0) != 0;
    boolean transB = in.attrs().getInt("transB", 0) != 0;
    float alpha = in.attrs().getFloat("alpha", 1f);
    float beta = in.attrs().getFloat("beta", 1f);
    Operand<TFloat32> b;
    if (in.value(1) instanceof Value.Const) {
      // Transposing and scaling the weight once, at graph build time, keeps the hot path a plain MatMul.
      b = in.weight(1, "gemm-b" + (transB ? "T" : "") + "*" + alpha, k -> {
        ConstTensor t = transB ? ConstIndexing.transpose(k, new int[] {1, 0}) : k;
        return alpha == 1f ? t : Broadcasting.arithmetic("Mul", t, scalar(alpha));
      });
    } else {
      b = Layouts.toLogical(tf, in.tensor(1)).operand();
      if (transB) {
        b = tf.linalg.transpose(b, tf.constant(new int[] {1, 0}));
      }
      if (alpha != 1f) {
        b = tf.math.mul(b, tf.constant(alpha));
      }
    }
    Operand<TFloat32> y = tf.linalg.matMul(a.operand(), b, MatMul.transposeA(transA));
    if (in.has(2) && beta != 0f) {
      Operand<TFloat32> c;
      if (in.value(2) instanceof Value.Const) {
        c = in.weight(2, "gemm-c*" + beta,
            k -> beta == 1f ? k : Broadcasting.arithmetic("Mul", k, scalar(beta)));
      } else {
        c = Layouts.toLogical(tf, in.tensor(2)).operand();
        if (beta != 1f) {
          c = tf.math.mul(c, tf.constant(beta));
        }
      }
      y = tf.math.add(y, c);
    }
    return new Value.Tensor(y, false);
  }

  /**
   * numpy matmul of an activation by a rank-2 matrix. A rank-r activation ([N, ..., K], e.g. a Linear applied
   * to a sequence) is flattened to [-1, K], multiplied and reshaped back.
   */
  static Value.Tensor matMul(NodeInputs in) {
    Ops tf = in.tf();
    Value.Tensor a = Layouts.toLogical(tf, in.tensor(0));
    Operand<TFloat32> b = in.value(1) instanceof Value.Const
        ? in.weight(1, "plain", k -> k)
        : Layouts.toLogical(tf, in.tensor(1)).operand();
    if (b.shape().numDimensions() != 2 || a.rank() < 2) {
      throw in.unsupported("MatMul of rank " + a.rank() + " by rank " + b.shape().numDimensions()
          + " (only an activation times a matrix is supported)");
    }
    if (a.rank() == 2) {
      return new Value.Tensor(tf.linalg.matMul(a.operand(), b), false);
    }
    long[] shape = a.logicalShape();
    long k = shape[shape.length - 1];
    long m = b.shape().get(1);
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw in.unsupported("MatMul input with a dynamic dimension " + Arrays.toString(shape));
      }
    }
    Operand<TFloat32> flat = tf.reshape(a.operand(), Layouts.indices(tf, -1, k));
    Operand<TFloat32> product = tf.linalg.matMul(flat, b);
    long[] outShape = shape.clone();
    outShape[0] = -1;
    outShape[outShape.length - 1] = m;
    return new Value.Tensor(tf.reshape(product, Layouts.indices(tf, outShape)), false);
  }

  /** y = (x - mean) / sqrt(var + eps) * scale + bias, folded to y = x * a + b per channel (axis 1). */
  static Value.Tensor batchNorm(NodeInputs in) {
    Ops tf = in.tf();
    if (in.attrs().getInt("training_mode", 0) != 0) {
      throw in.unsupported("BatchNormalization in training mode");
    }
    for (int i = 1; i < in.node().getOutputCount(); i++) {
      if (!in.node().getOutput(i).isEmpty()) {
        throw in.unsupported("BatchNormalization's running-statistics outputs");
      }
    }
    float epsilon = in.attrs().getFloat("epsilon", 1e-5f);
    float[] scale = in.constant(1).asFloats();
    float[] bias = in.constant(2).asFloats();
    float[] mean = in.constant(3).asFloats();
    float[] variance = in.constant(4).asFloats();
    int channels = scale.length;
    if (bias.length != channels || mean.length != channels || variance.length != channels) {
      throw OnnxErrors.malformed(in.describe(), "scale, bias, mean and var must have the same length");
    }
    float[] a = new float[channels];
    float[] b = new float[channels];
    for (int c = 0; c < channels; c++) {
      a[c] = (float) (scale[c] / Math.sqrt(variance[c] + (double) epsilon));
      b[c] = bias[c] - mean[c] * a[c];
    }
    Value.Tensor x = in.tensor(0);
    long[] shape;
    if (x.rank() == 4) {
      x = Layouts.toNhwc(tf, x);
      shape = new long[] {channels};
    } else if (x.rank() == 2) {
      shape = new long[] {channels};
    } else if (x.rank() == 3) {
      shape = new long[] {channels, 1};
    } else {
      throw in.unsupported("BatchNormalization of a rank-" + x.rank() + " tensor");
    }
    Operand<TFloat32> mul = in.derived("bn-scale", () -> ConstTensor.ofFloats(shape, a));
    Operand<TFloat32> add = in.derived("bn-shift", () -> ConstTensor.ofFloats(shape, b));
    return new Value.Tensor(tf.math.add(tf.math.mul(x.operand(), mul), add), x.nhwc());
  }

  private static ConstTensor scalar(float value) {
    return ConstTensor.ofFloats(new long[0], new float[] {value});
  }
}
