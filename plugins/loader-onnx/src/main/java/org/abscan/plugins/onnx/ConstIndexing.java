package org.abscan.plugins.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The index arithmetic of folding: ops that only move elements of a {@link ConstTensor} (Gather, Concat, Slice,
 * Transpose, Reshape...), with numpy/ONNX semantics, plus the axis and size helpers they share.
 */
final class ConstIndexing {
  /**
   * Largest tensor a fold may create. Folds that copy their input (Transpose, Reshape) are bounded by the
   * model's own constants; those that can multiply it (ConstantOfShape, Gather, Concat, broadcasting) are
   * checked against this before allocating.
   */
  static final long MAX_FOLDED_ELEMENTS = 1L << 24;

  static ConstTensor gather(ConstTensor data, ConstTensor indices, int axis) {
    long[] shape = data.shape();
    axis = (int) normalize(axis, shape.length, false);
    long[] idx = indices.asLongs();
    long[] outShape = concatDims(Arrays.copyOfRange(shape, 0, axis), indices.shape(),
        Arrays.copyOfRange(shape, axis + 1, shape.length));
    long outer = product(shape, 0, axis);
    long inner = product(shape, axis + 1, shape.length);
    int[] source = new int[checkedCount(Math.multiplyExact(Math.multiplyExact(outer, (long) idx.length), inner))];
    int o = 0;
    for (long a = 0; a < outer; a++) {
      for (long index : idx) {
        long k = index < 0 ? index + shape[axis] : index;
        if (k < 0 || k >= shape[axis]) {
          throw new IllegalArgumentException("Gather index " + index + " out of range " + shape[axis]);
        }
        for (long b = 0; b < inner; b++) {
          source[o++] = (int) ((a * shape[axis] + k) * inner + b);
        }
      }
    }
    return data.select(outShape, source);
  }

  static ConstTensor unsqueeze(ConstTensor data, long[] axes) {
    int rank = data.rank() + axes.length;
    boolean[] inserted = new boolean[rank];
    for (long a : axes) {
      inserted[(int) normalize(a, rank, false)] = true;
    }
    long[] shape = new long[rank];
    long[] own = data.shape();
    for (int i = 0, j = 0; i < rank; i++) {
      shape[i] = inserted[i] ? 1 : own[j++];
    }
    return data.reshape(shape);
  }

  static ConstTensor squeeze(ConstTensor data, long[] axes) {
    long[] own = data.shape();
    boolean[] removed = new boolean[own.length];
    if (axes == null) {
      for (int i = 0; i < own.length; i++) {
        removed[i] = own[i] == 1;
      }
    } else {
      for (long a : axes) {
        int i = (int) normalize(a, own.length, false);
        if (own[i] != 1) {
          throw new IllegalArgumentException("Squeeze of axis " + i + " with size " + own[i]);
        }
        removed[i] = true;
      }
    }
    return data.reshape(filter(own, removed));
  }

  static ConstTensor concat(List<ConstTensor> parts, int axis) {
    long[] shape = parts.get(0).shape();
    axis = (int) normalize(axis, shape.length, false);
    long outer = product(shape, 0, axis);
    long total = 0;
    for (ConstTensor p : parts) {
      if (p.rank() != shape.length || p.kind() != parts.get(0).kind()) {
        throw new IllegalArgumentException("Concat of mismatched tensors " + parts);
      }
      total += p.shape()[axis];
    }
    long[] outShape = shape.clone();
    outShape[axis] = total;
    int size = checkedCount(ConstTensor.elementCount(outShape));
    long[] longs = new long[size];
    float[] floats = new float[size];
    BitSet batch = new BitSet();
    boolean isFloat = parts.get(0).kind() == ConstTensor.Kind.FLOAT;
    List<float[]> floatParts = new ArrayList<>();
    List<long[]> longParts = new ArrayList<>();
    for (ConstTensor p : parts) {
      floatParts.add(isFloat ? p.floats() : null);
      longParts.add(isFloat ? null : p.rawLongs());
    }
    int o = 0;
    for (long a = 0; a < outer; a++) {
      for (int k = 0; k < parts.size(); k++) {
        ConstTensor p = parts.get(k);
        int chunk = (int) product(p.shape(), axis, p.rank());
        for (int b = 0; b < chunk; b++, o++) {
          int src = (int) (a * chunk + b);
          if (isFloat) {
            floats[o] = floatParts.get(k)[src];
          } else {
            longs[o] = longParts.get(k)[src];
            if (p.isBatch(src)) {
              batch.set(o);
            }
          }
        }
      }
    }
    return isFloat
        ? ConstTensor.ofFloats(outShape, floats) : ConstTensor.ofLongs(outShape, longs, batch);
  }

  static ConstTensor reshape(ConstTensor data, long[] target, boolean allowZero) {
    long[] shape = target.clone();
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == 0 && !allowZero) {
        shape[i] = data.shape()[i];
      }
      if (shape[i] == -1) {
        if (unknown >= 0) {
          throw new IllegalArgumentException("Reshape target " + Arrays.toString(target) + " has two -1");
        }
        unknown = i;
      } else {
        known *= shape[i];
      }
    }
    if (unknown >= 0) {
      shape[unknown] = known == 0 ? 0 : data.size() / known;
    }
    if (ConstTensor.elementCount(shape) != data.size()) {
      throw new IllegalArgumentException("cannot reshape " + Arrays.toString(data.shape()) + " to "
          + Arrays.toString(target));
    }
    return data.reshape(shape);
  }

  static ConstTensor flatten(ConstTensor data, int axis) {
    long[] shape = data.shape();
    axis = (int) normalize(axis, shape.length, true);
    return data.reshape(new long[] {product(shape, 0, axis), product(shape, axis, shape.length)});
  }

  /**
   * Per axis of a tensor of {@code dims}, the clamped [start, end, step] an ONNX Slice selects; axes it does not
   * name get [0, dim, 1]. A negative-step slice that runs past index 0 ends at -1.
   */
  static long[][] sliceRanges(long[] dims, long[][] arguments) {
    long[] starts = arguments[0];
    long[] ends = arguments[1];
    long[] axes = arguments[2];
    long[] steps = arguments[3];
    if (starts == null || ends == null || starts.length != ends.length) {
      throw new IllegalArgumentException("Slice needs as many starts as ends");
    }
    long[][] ranges = new long[dims.length][];
    for (int i = 0; i < dims.length; i++) {
      ranges[i] = new long[] {0, dims[i], 1};
    }
    for (int i = 0; i < starts.length; i++) {
      int axis = (int) normalize(axes == null ? i : axes[i], dims.length, false);
      long step = steps == null ? 1 : steps[i];
      if (step == 0) {
        throw new IllegalArgumentException("Slice step 0");
      }
      long dim = dims[axis];
      if (dim < 0) {
        throw new UnsupportedOperationException("Slice along the batch (or another dynamic) dimension");
      }
      ranges[axis] = new long[] {clampSliceIndex(starts[i], dim, step), clampSliceIndex(ends[i], dim, step), step};
    }
    return ranges;
  }

  /** ONNX Slice index rules: negative counts from the end, then clamp ([0, dim] forward, [-1, dim-1] back). */
  private static long clampSliceIndex(long index, long dim, long step) {
    if (index < 0) {
      index = Math.max(index, Long.MIN_VALUE / 2) + dim;
    }
    return step > 0 ? Math.max(0, Math.min(index, dim)) : Math.max(-1, Math.min(index, dim - 1));
  }

  static ConstTensor sliceAxis(ConstTensor data, int axis, long start, long end, long step) {
    long[] shape = data.shape();
    List<Long> picked = new ArrayList<>();
    for (long k = start; step > 0 ? k < end : k > end; k += step) {
      picked.add(k);
    }
    long outer = product(shape, 0, axis);
    long inner = product(shape, axis + 1, shape.length);
    long[] outShape = shape.clone();
    outShape[axis] = picked.size();
    int[] source = new int[checkedCount(Math.multiplyExact(Math.multiplyExact(outer, (long) picked.size()), inner))];
    int o = 0;
    for (long a = 0; a < outer; a++) {
      for (long k : picked) {
        for (long b = 0; b < inner; b++) {
          source[o++] = (int) ((a * shape[axis] + k) * inner + b);
        }
      }
    }
    return data.select(outShape, source);
  }

  static ConstTensor transpose(ConstTensor data, int[] perm) {
    long[] shape = data.shape();
    int rank = shape.length;
    if (perm == null) {
      perm = new int[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = rank - 1 - i;
      }
    }
    long[] outShape = new long[rank];
    for (int i = 0; i < rank; i++) {
      outShape[i] = shape[perm[i]];
    }
    long[] inStrides = Broadcasting.strides(shape);
    int size = data.size();
    int[] source = new int[size];
    long[] index = new long[rank];
    for (int o = 0; o < size; o++) {
      long src = 0;
      for (int i = 0; i < rank; i++) {
        src += index[i] * inStrides[perm[i]];
      }
      source[o] = (int) src;
      Broadcasting.increment(index, outShape);
    }
    return data.select(outShape, source);
  }

  /** Refuses (LIMIT_EXCEEDED) a folded tensor of {@code count} elements before it is allocated. */
  static int checkedCount(long count) {
    if (count < 0 || count > MAX_FOLDED_ELEMENTS) {
      throw new org.abscan.spi.AbscanException(org.abscan.spi.ErrorCategory.LIMIT_EXCEEDED,
          "a constant subgraph computes " + count + " elements, more than " + MAX_FOLDED_ELEMENTS,
          List.of(new org.abscan.spi.AbscanException.Violation("constant folding", "result too large")));
    }
    return (int) count;
  }

  static long normalize(long axis, int rank, boolean clamp) {
    long a = axis < 0 ? axis + rank : axis;
    if (clamp) {
      return Math.max(0, Math.min(a, rank));
    }
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
    }
    return a;
  }

  static long product(long[] shape, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) {
      p *= shape[i];
    }
    return p;
  }

  private static long[] concatDims(long[]... parts) {
    return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
  }

  private static long[] filter(long[] shape, boolean[] removed) {
    List<Long> kept = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      if (!removed[i]) {
        kept.add(shape[i]);
      }
    }
    return kept.stream().mapToLong(Long::longValue).toArray();
  }

  static int[] toInts(long[] values) {
    if (values == null) {
      return null;
    }
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Math.toIntExact(values[i]);
    }
    return out;
  }

  private ConstIndexing() {}
}
