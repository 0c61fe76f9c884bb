package org.abscan.plugins.onnx;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * MaxPool, AveragePool and their global forms on NHWC tensors. Pads and ceil_mode become an explicit pad
 * (-inf for max, zeros for average) and a VALID pool; AveragePool then rescales each window by the number of
 * cells PyTorch divides by (count_include_pad), computed at build time from the static geometry.
 */
final class PoolOps {
  private PoolOps() {}

  static Value.Tensor maxPool(NodeInputs in) {
    return pool(in, true);
  }

  static Value.Tensor averagePool(NodeInputs in) {
    return pool(in, false);
  }

  private static Value.Tensor pool(NodeInputs in, boolean max) {
    Ops tf = in.tf();
    if (in.node().getOutputCount() > 1 && !in.node().getOutput(1).isEmpty()) {
      throw in.unsupported("the Indices output of MaxPool is not supported");
    }
    Value.Tensor input = in.tensor(0);
    if (input.rank() != 4) {
      throw in.unsupported("only 2-D pooling (rank-4 inputs) is supported, got rank " + input.rank());
    }
    Operand<TFloat32> x = Layouts.toNhwc(tf, input).operand();
    long[] kernel = in.attrs().getInts("kernel_shape", null);
    if (kernel == null || kernel.length != 2) {
      throw OnnxErrors.malformed(in.describe(), "kernel_shape must have two values");
    }
    long[] strides = in.attrs().getInts("strides", new long[] {1, 1});
    long[] dilations = in.attrs().getInts("dilations", new long[] {1, 1});
    long[] pads = in.attrs().getInts("pads", null);
    if (strides.length != 2 || pads != null && pads.length != 4) {
      throw OnnxErrors.malformed(in.describe(), "strides and pads must be given for 2 axes");
    }
    if (dilations.length != 2 || dilations[0] != 1 || dilations[1] != 1) {
      throw in.unsupported("dilated pooling");
    }
    boolean ceil = in.attrs().getInt("ceil_mode", 0) != 0;
    long[] shape = x.shape().asArray();
    Windows h = Windows.resolve(in, pads, 0, shape[1], kernel[0], strides[0], 1, ceil);
    Windows w = Windows.resolve(in, pads, 1, shape[2], kernel[1], strides[1], 1, ceil);
    List<Long> ksize = List.of(1L, kernel[0], kernel[1], 1L);
    List<Long> stride4 = List.of(1L, strides[0], strides[1], 1L);
    if (max) {
      Operand<TFloat32> padded = ConvOps.pad(tf, x, h, w, Float.NEGATIVE_INFINITY);
      return new Value.Tensor(tf.nn.maxPool(padded, tf.constant(toInts(ksize)), tf.constant(toInts(stride4)),
          "VALID"), true);
    }
    Operand<TFloat32> padded = ConvOps.pad(tf, x, h, w, 0f);
    Operand<TFloat32> y = tf.nn.avgPool(padded, ksize, stride4, "VALID");
    boolean countPads = in.attrs().getInt("count_include_pad", 0) != 0;
    if (h.padded() || w.padded()) {
      boolean uniform = true;
      float[] scale = new float[(int) (h.out() * w.out())];
      for (int i = 0; i < h.out(); i++) {
        long rows = h.cellsIn(i, shape[1], kernel[0], strides[0], countPads);
        for (int j = 0; j < w.out(); j++) {
          long cells = rows * w.cellsIn(j, shape[2], kernel[1], strides[1], countPads);
          scale[(int) (i * w.out() + j)] = (float) (kernel[0] * kernel[1]) / cells;
          uniform &= cells == kernel[0] * kernel[1];
        }
      }
      if (!uniform) {
        y = tf.math.mul(y, in.derived("avgpool-divisor",
            () -> ConstTensor.ofFloats(new long[] {1, h.out(), w.out(), 1}, scale)));
      }
    }
    return new Value.Tensor(y, true);
  }

  static Value.Tensor global(NodeInputs in, boolean max) {
    Ops tf = in.tf();
    Value.Tensor input = in.tensor(0);
    if (input.rank() != 4) {
      throw in.unsupported("only 2-D global pooling (rank-4 inputs) is supported, got rank " + input.rank());
    }
    Operand<TFloat32> x = Layouts.toNhwc(tf, input).operand();
    Operand<TFloat32> y = max
        ? tf.reduceMax(x, tf.constant(new int[] {1, 2}), ReduceMax.keepDims(true))
        : tf.math.mean(x, tf.constant(new int[] {1, 2}), Mean.keepDims(true));
    return new Value.Tensor(y, true);
  }

  private static int[] toInts(List<Long> values) {
    return values.stream().mapToInt(Long::intValue).toArray();
  }
}
