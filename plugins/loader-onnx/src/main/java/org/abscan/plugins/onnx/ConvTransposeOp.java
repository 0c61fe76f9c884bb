package org.abscan.plugins.onnx;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TFloat32;

/**
 * ONNX ConvTranspose (2-D, group 1) as an ordinary convolution: the input is spread out with stride - 1 zeros
 * between elements, padded by (kernel - 1 - pad), and convolved with the spatially flipped kernel. This avoids
 * Conv2DBackpropInput, whose gradient TensorFlow's C++ registry lacks, so the model stays differentiable.
 */
final class ConvTransposeOp {
  private ConvTransposeOp() {}

  static Value.Tensor convTranspose(NodeInputs in) {
    Ops tf = in.tf();
    Value.Tensor input = in.tensor(0);
    if (input.rank() != 4) {
      throw in.unsupported("only 2-D transposed convolutions (rank-4 inputs) are supported");
    }
    if (in.attrs().getInt("group", 1) != 1 || in.attrs().has("output_shape")
        || !in.attrs().getString("auto_pad", "NOTSET").equals("NOTSET")) {
      throw in.unsupported("ConvTranspose with groups, output_shape or auto_pad");
    }
    long[] ws = in.constant(1).shape();
    Operand<TFloat32> x = Layouts.toNhwc(tf, input).operand();
    long[] shape = x.shape().asArray();
    if (ws.length != 4 || ws[0] != shape[3]) {
      throw OnnxErrors.malformed(in.describe(), "kernel " + Arrays.toString(ws) + " does not fit "
          + shape[3] + " input channels");
    }
    long[] strides = in.attrs().getInts("strides", new long[] {1, 1});
    long[] dilations = in.attrs().getInts("dilations", new long[] {1, 1});
    long[] pads = in.attrs().getInts("pads", new long[] {0, 0, 0, 0});
    long[] outputPadding = in.attrs().getInts("output_padding", new long[] {0, 0});
    if (strides.length != 2 || dilations.length != 2 || pads.length != 4 || outputPadding.length != 2) {
      throw OnnxErrors.malformed(in.describe(), "strides, dilations, pads and output_padding need 2 axes");
    }
    long[][] amounts = new long[4][2];
    for (int axis = 0; axis < 2; axis++) {
      long effective = (ws[2 + axis] - 1) * dilations[axis] + 1;
      // The spread input has (stride - 1) trailing zeros past its last element; they count toward the end pad.
      long begin = effective - 1 - pads[axis];
      long end = effective - 1 - pads[2 + axis] + outputPadding[axis] - (strides[axis] - 1);
      if (begin < 0 || pads[axis] < 0 || pads[2 + axis] < 0 || begin > Windows.MAX_PAD || end > Windows.MAX_PAD) {
        throw in.unsupported("ConvTranspose pads " + Arrays.toString(pads));
      }
      amounts[1 + axis] = new long[] {begin, end};
    }
    Operand<TFloat32> spread = spread(tf, x, shape, strides);
    long[][] padBy = new long[4][2];
    long[] cropEnd = new long[4];
    for (int axis = 1; axis <= 2; axis++) {
      padBy[axis] = new long[] {amounts[axis][0], Math.max(0, amounts[axis][1])};
      cropEnd[axis] = Math.max(0, -amounts[axis][1]);
    }
    Operand<TFloat32> padded = tf.pad(spread, Layouts.paddings(tf, padBy), tf.constant(0f));
    if (cropEnd[1] > 0 || cropEnd[2] > 0) {
      long keepWhole = 1L | 8L | (cropEnd[1] == 0 ? 2L : 0) | (cropEnd[2] == 0 ? 4L : 0);
      padded = tf.stridedSlice(padded, Layouts.indices(tf, 0, 0, 0, 0),
          Layouts.indices(tf, 0, -cropEnd[1], -cropEnd[2], 0), Layouts.indices(tf, 1, 1, 1, 1),
          StridedSlice.beginMask(15L), StridedSlice.endMask(keepWhole));
    }
    Operand<TFloat32> kernel = in.weight(1, "transposed-hwio-" + dilations[0] + "x" + dilations[1],
        k -> ConstIndexing.transpose(flip(ConvOps.dilateKernel(k, dilations[0], dilations[1])),
            new int[] {2, 3, 0, 1}));
    Operand<TFloat32> y = tf.nn.conv2d(padded, kernel, List.of(1L, 1L, 1L, 1L), "VALID");
    if (in.has(2)) {
      y = tf.nn.biasAdd(y, in.weight(2, "plain", k -> k));
    }
    return new Value.Tensor(y, true);
  }

  /** [N, H, W, C] to [N, (H-1)s+s, (W-1)t+t, C] with each element followed by zeros (trailing ones included). */
  private static Operand<TFloat32> spread(Ops tf, Operand<TFloat32> x, long[] shape, long[] strides) {
    if (strides[0] == 1 && strides[1] == 1) {
      return x;
    }
    long h = shape[1];
    long w = shape[2];
    long c = shape[3];
    Operand<TFloat32> split = tf.reshape(x, Layouts.indices(tf, -1, h, 1, w, 1, c));
    long[][] zeros = {{0, 0}, {0, 0}, {0, strides[0] - 1}, {0, 0}, {0, strides[1] - 1}, {0, 0}};
    Operand<TFloat32> padded = tf.pad(split, Layouts.paddings(tf, zeros), tf.constant(0f));
    return tf.reshape(padded, Layouts.indices(tf, -1, h * strides[0], w * strides[1], c));
  }

  /** Reverses a [Cin, Cout, kH, kW] kernel along both spatial axes. */
  private static ConstTensor flip(ConstTensor kernel) {
    long[] s = kernel.shape();
    float[] in = kernel.floats();
    float[] out = new float[in.length];
    int kh = (int) s[2];
    int kw = (int) s[3];
    for (int base = 0; base < in.length; base += kh * kw) {
      for (int i = 0; i < kh; i++) {
        for (int j = 0; j < kw; j++) {
          out[base + i * kw + j] = in[base + (kh - 1 - i) * kw + (kw - 1 - j)];
        }
      }
    }
    return ConstTensor.ofFloats(s, out);
  }
}
