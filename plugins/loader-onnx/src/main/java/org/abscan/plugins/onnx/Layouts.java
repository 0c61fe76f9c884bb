package org.abscan.plugins.onnx;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The loader's one layout rule. ONNX (PyTorch) tensors are NCHW; TensorFlow's CPU kernels for Conv2D and the
 * pools only take NHWC. So rank-4 activations are held NHWC from the first spatial op on, and converted back to
 * the ONNX layout only where semantics depend on it (Flatten, Reshape, Gemm...), which keeps PyTorch's flatten
 * order exact. Exposed rank-4 layers are NHWC too ({@code [H, W, C]}, channel axis 2), like the Keras loader's.
 */
final class Layouts {
  private static final int[] TO_NHWC = {0, 2, 3, 1};
  private static final int[] TO_NCHW = {0, 3, 1, 2};

  private Layouts() {}

  static long[] nhwcToNchw(long[] s) {
    return new long[] {s[0], s[3], s[1], s[2]};
  }

  static long[] nchwToNhwc(long[] s) {
    return new long[] {s[0], s[2], s[3], s[1]};
  }

  /** Axis of an NHWC tensor that holds logical (NCHW) axis {@code axis}. */
  static int physicalAxis(int axis) {
    return switch (axis) {
      case 0 -> 0;
      case 1 -> 3;
      case 2 -> 1;
      case 3 -> 2;
      default -> throw new IllegalArgumentException("axis " + axis + " of a rank-4 tensor");
    };
  }

  static Value.Tensor toNhwc(Ops tf, Value.Tensor t) {
    if (t.nhwc()) {
      return t;
    }
    if (t.rank() != 4) {
      throw new IllegalArgumentException("expected a rank-4 tensor, got rank " + t.rank());
    }
    return new Value.Tensor(tf.linalg.transpose(t.operand(), tf.constant(TO_NHWC)), true);
  }

  static Value.Tensor toLogical(Ops tf, Value.Tensor t) {
    if (!t.nhwc()) {
      return t;
    }
    return new Value.Tensor(tf.linalg.transpose(t.operand(), tf.constant(TO_NCHW)), false);
  }

  /** The layout layers are exposed in (and overrides arrive in): NHWC for rank 4, ONNX's otherwise. */
  static Value.Tensor toExposed(Ops tf, Value.Tensor t) {
    return t.rank() == 4 ? toNhwc(tf, t) : t;
  }

  static Value.Tensor fromExposed(Operand<TFloat32> operand) {
    return new Value.Tensor(operand, operand.shape().numDimensions() == 4);
  }

  /**
   * A constant that broadcasts against a rank-4 NCHW tensor, rearranged to broadcast the same way against the
   * NHWC form: left-pad its shape with ones to rank 4, then move axis 1 last.
   */
  static ConstTensor broadcastableNhwc(ConstTensor c) {
    if (c.rank() > 4) {
      throw new IllegalArgumentException("rank " + c.rank() + " constant against a rank-4 tensor");
    }
    long[] shape = new long[4];
    long[] own = c.shape();
    java.util.Arrays.fill(shape, 1);
    System.arraycopy(own, 0, shape, 4 - own.length, own.length);
    return ConstIndexing.transpose(c.reshape(shape), TO_NHWC);
  }

  /**
   * Shapes, pads and slice bounds as int32 constants: TensorFlow's C++ gradients of Pad, Slice and friends build
   * int32 index tensors and fail on int64 ones.
   */
  static Operand<TInt32> indices(Ops tf, long... values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Math.toIntExact(values[i]);
    }
    return tf.constant(out);
  }

  /** [n, 2] int32 paddings (before, after) per axis; see {@link #indices}. */
  static Operand<TInt32> paddings(Ops tf, long[][] amounts) {
    int[][] out = new int[amounts.length][2];
    for (int i = 0; i < amounts.length; i++) {
      out[i][0] = Math.toIntExact(amounts[i][0]);
      out[i][1] = Math.toIntExact(amounts[i][1]);
    }
    return tf.constant(out);
  }

  /** A rank-r (r < 4) tensor that broadcasts against NCHW, reshaped to broadcast against the NHWC form. */
  static Operand<TFloat32> broadcastableNhwc(Ops tf, Value.Tensor t) {
    Operand<TFloat32> x = t.operand();
    for (int r = t.rank(); r < 4; r++) {
      x = tf.expandDims(x, tf.constant(0));
    }
    return tf.linalg.transpose(x, tf.constant(TO_NHWC));
  }
}
