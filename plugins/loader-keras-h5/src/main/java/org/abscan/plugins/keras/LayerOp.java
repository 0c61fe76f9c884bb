package org.abscan.plugins.keras;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A layer ready to build: its output shape (checked against its inputs and weights at load time, so build()
 * cannot fail on the file's contents) and how to make its ops.
 *
 * @param outputShape output dimensions without the batch dimension
 * @param builder makes the ops from the input operands
 */
record LayerOp(long[] outputShape, Builder builder) {
  LayerOp {
    outputShape = outputShape.clone();
  }

  @Override
  public long[] outputShape() {
    return outputShape.clone();
  }

  Operand<TFloat32> build(Ops tf, List<Operand<TFloat32>> inputs, WeightConstants weights) {
    return builder.build(tf, inputs, weights);
  }

  @FunctionalInterface
  interface Builder {
    Operand<TFloat32> build(Ops tf, List<Operand<TFloat32>> inputs, WeightConstants weights);
  }

  /** Prepends the batch dimension as -1 for reshape targets. */
  static long[] withAnyBatch(long[] shape) {
    long[] full = new long[shape.length + 1];
    full[0] = -1;
    System.arraycopy(shape, 0, full, 1, shape.length);
    return full;
  }

  static long product(long[] shape) {
    long total = 1;
    for (long d : shape) {
      total = Math.multiplyExact(total, d);
    }
    return total;
  }
}
