package org.abscan.plugins.onnx;

import java.util.Arrays;

/** Numpy-style broadcasting for folding element-wise arithmetic on constants. */
final class Broadcasting {
  private Broadcasting() {}

  static long[] strides(long[] shape) {
    long[] strides = new long[shape.length];
    long s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= shape[i];
    }
    return strides;
  }

  /** Advances a row-major multi-index over {@code shape}. */
  static void increment(long[] index, long[] shape) {
    for (int i = index.length - 1; i >= 0; i--) {
      if (++index[i] < shape[i]) {
        return;
      }
      index[i] = 0;
    }
  }

  static long[] broadcastShape(long[] a, long[] b) {
    int rank = Math.max(a.length, b.length);
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(
            "shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** For every element of {@code outShape}, the element of a tensor of {@code shape} broadcast onto it. */
  static int[] sourceIndices(long[] shape, long[] outShape) {
    int offset = outShape.length - shape.length;
    long[] strides = strides(shape);
    int size = ConstIndexing.checkedCount(ConstTensor.elementCount(outShape));
    int[] source = new int[size];
    long[] index = new long[outShape.length];
    for (int o = 0; o < size; o++) {
      long src = 0;
      for (int i = 0; i < shape.length; i++) {
        src += (shape[i] == 1 ? 0 : index[i + offset]) * strides[i];
      }
      source[o] = (int) src;
      increment(index, outShape);
    }
    return source;
  }

  /** Add, Sub, Mul or Div of two constants; integer if both are integers (Div truncates, as ONNX Runtime). */
  static ConstTensor arithmetic(String op, ConstTensor a, ConstTensor b) {
    a.requireNoBatch("used in arithmetic");
    b.requireNoBatch("used in arithmetic");
    long[] outShape = broadcastShape(a.shape(), b.shape());
    int[] sa = sourceIndices(a.shape(), outShape);
    int[] sb = sourceIndices(b.shape(), outShape);
    if (a.kind() == ConstTensor.Kind.INT && b.kind() == ConstTensor.Kind.INT) {
      long[] x = a.asLongs();
      long[] y = b.asLongs();
      long[] out = new long[sa.length];
      for (int i = 0; i < out.length; i++) {
        long u = x[sa[i]];
        long v = y[sb[i]];
        out[i] = switch (op) {
          case "Add" -> u + v;
          case "Sub" -> u - v;
          case "Mul" -> u * v;
          default -> {
            if (v == 0) {
              throw new IllegalArgumentException("integer division by zero");
            }
            yield u / v;
          }
        };
      }
      return ConstTensor.ofLongs(outShape, out);
    }
    float[] x = a.asFloats();
    float[] y = b.asFloats();
    float[] out = new float[sa.length];
    for (int i = 0; i < out.length; i++) {
      float u = x[sa[i]];
      float v = y[sb[i]];
      out[i] = switch (op) {
        case "Add" -> u + v;
        case "Sub" -> u - v;
        case "Mul" -> u * v;
        default -> u / v;
      };
    }
    return ConstTensor.ofFloats(outShape, out);
  }
}
