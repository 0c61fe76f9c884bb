package org.abscan.plugins.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.abscan.plugins.onnx.proto.OnnxProto.NodeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorProto.DataType;

/**
 * Evaluates, in Java at load time, the small integer subgraphs exporters emit to compute shapes and pads
 * (Shape → Gather → Unsqueeze → Concat → Reshape, ConstantOfShape/Slice/Transpose/Cast for Pad...), so the
 * TensorFlow graph only ever sees their constant result. A node folds when all its inputs are constants, or
 * when it is a Shape of a tensor whose non-batch dimensions are static.
 */
final class ConstantFolder {
  /** Ops this class can evaluate. Those not also in {@link OpConverters} only work on constants. */
  static final Set<String> FOLDABLE = Set.of(
      "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Reshape", "Slice", "Transpose", "Cast",
      "ConstantOfShape", "Identity", "Dropout", "Add", "Sub", "Mul", "Div", "Flatten");

  /**
   * Largest tensor a fold may create. Folds that copy their input (Transpose, Reshape) are bounded by the
   * model's own constants; those that can multiply it (ConstantOfShape, Gather, Concat, broadcasting) are
   * checked against this before allocating.
   */
  static final long MAX_FOLDED_ELEMENTS = 1L << 24;

  private final int opset;

  ConstantFolder(int opset) {
    this.opset = opset;
  }

  /** True if {@code node} can be folded given its inputs (null: an absent optional input). */
  static boolean canFold(NodeProto node, List<Value> inputs) {
    if (!FOLDABLE.contains(node.getOpType())) {
      return false;
    }
    if (node.getOpType().equals("Shape")) {
      return true;
    }
    return inputs.stream().allMatch(v -> v == null || v instanceof Value.Const);
  }

  /** The node's first output. */
  ConstTensor fold(NodeProto node, List<Value> inputs) {
    NodeAttributes attrs = new NodeAttributes(node);
    return switch (node.getOpType()) {
      case "Shape" -> shape(inputs.get(0), attrs);
      case "Gather" -> gather(c(inputs, 0), c(inputs, 1), (int) attrs.getInt("axis", 0));
      case "Unsqueeze" -> unsqueeze(c(inputs, 0), axes(attrs, inputs));
      case "Squeeze" -> squeeze(c(inputs, 0), axes(attrs, inputs));
      case "Concat" -> concat(consts(inputs), (int) attrs.getInt("axis", 0));
      case "Reshape" -> reshape(c(inputs, 0), c(inputs, 1).rawLongs(), attrs.getInt("allowzero", 0) != 0);
      case "Flatten" -> flatten(c(inputs, 0), (int) attrs.getInt("axis", 1));
      case "Slice" -> slice(c(inputs, 0), attrs, inputs);
      case "Transpose" -> transpose(c(inputs, 0), toInts(attrs.getInts("perm", null)));
      case "Cast" -> cast(c(inputs, 0), (int) attrs.getInt("to", DataType.FLOAT_VALUE));
      case "ConstantOfShape" -> constantOfShape(c(inputs, 0), attrs);
      case "Identity", "Dropout" -> c(inputs, 0);
      case "Add", "Sub", "Mul", "Div" -> Broadcasting.arithmetic(node.getOpType(), c(inputs, 0), c(inputs, 1));
      default -> throw new IllegalStateException("not foldable: " + node.getOpType());
    };
  }

  private static ConstTensor c(List<Value> inputs, int i) {
    if (i >= inputs.size() || inputs.get(i) == null) {
      throw new IllegalArgumentException("missing input " + i);
    }
    return ((Value.Const) inputs.get(i)).tensor();
  }

  private static List<ConstTensor> consts(List<Value> inputs) {
    List<ConstTensor> out = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      out.add(c(inputs, i));
    }
    return out;
  }

  private long[] axes(NodeAttributes attrs, List<Value> inputs) {
    if (attrs.has("axes")) {
      return attrs.getInts("axes", null);
    }
    return inputs.size() > 1 && inputs.get(1) != null ? c(inputs, 1).asLongs() : null;
  }

  private static ConstTensor shape(Value input, NodeAttributes attrs) {
    long[] dims;
    BitSet batch = new BitSet();
    if (input instanceof Value.Const k) {
      dims = k.tensor().shape();
    } else {
      dims = ((Value.Tensor) input).logicalShape();
      batch.set(0);
      dims[0] = 0;
      for (int i = 1; i < dims.length; i++) {
        if (dims[i] < 0) {
          throw new UnsupportedOperationException("dimension " + i + " of the shape is not static");
        }
      }
    }
    ConstTensor full = ConstTensor.ofLongs(new long[] {dims.length}, dims, batch);
    int start = (int) normalize(attrs.getInt("start", 0), dims.length, true);
    int end = (int) normalize(attrs.getInt("end", dims.length), dims.length, true);
    return sliceAxis(full, 0, start, Math.max(start, end), 1);
  }

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

  private static ConstTensor flatten(ConstTensor data, int axis) {
    long[] shape = data.shape();
    axis = (int) normalize(axis, shape.length, true);
    return data.reshape(new long[] {product(shape, 0, axis), product(shape, axis, shape.length)});
  }

  private ConstTensor slice(ConstTensor data, NodeAttributes attrs, List<Value> inputs) {
    long[][] ranges = sliceRanges(data.shape(), sliceArguments(opset, attrs, inputs));
    ConstTensor out = data;
    for (int axis = 0; axis < ranges.length; axis++) {
      out = sliceAxis(out, axis, ranges[axis][0], ranges[axis][1], ranges[axis][2]);
    }
    return out;
  }

  /** Slice's starts, ends, axes (null: 0..n-1) and steps (null: ones), from attributes before opset 10. */
  static long[][] sliceArguments(int opset, NodeAttributes attrs, List<Value> inputs) {
    if (opset < 10) {
      return new long[][] {attrs.getInts("starts", null), attrs.getInts("ends", null),
          attrs.getInts("axes", null), null};
    }
    return new long[][] {c(inputs, 1).asLongs(), c(inputs, 2).asLongs(),
        inputs.size() > 3 && inputs.get(3) != null ? c(inputs, 3).asLongs() : null,
        inputs.size() > 4 && inputs.get(4) != null ? c(inputs, 4).asLongs() : null};
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

  private static ConstTensor sliceAxis(ConstTensor data, int axis, long start, long end, long step) {
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

  private static ConstTensor cast(ConstTensor data, int to) {
    DataType type = DataType.forNumber(to);
    boolean toFloat = type == DataType.FLOAT || type == DataType.DOUBLE || type == DataType.FLOAT16;
    if (toFloat) {
      return data.kind() == ConstTensor.Kind.FLOAT ? data : ConstTensor.ofFloats(data.shape(), data.asFloats());
    }
    if (data.kind() == ConstTensor.Kind.INT) {
      return data;
    }
    return ConstTensor.ofLongs(data.shape(), data.asLongs());
  }

  private static ConstTensor constantOfShape(ConstTensor shapeTensor, NodeAttributes attrs) {
    long[] shape = shapeTensor.asLongs();
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in ConstantOfShape " + Arrays.toString(shape));
      }
    }
    int size = checkedCount(ConstTensor.elementCount(shape));
    if (!attrs.has("value")) {
      return ConstTensor.ofFloats(shape, new float[size]);
    }
    ConstTensor value = new TensorDecoder(64).decode(attrs.getTensor("value"), "ConstantOfShape value");
    if (value.kind() == ConstTensor.Kind.FLOAT) {
      float[] out = new float[size];
      Arrays.fill(out, value.floats()[0]);
      return ConstTensor.ofFloats(shape, out);
    }
    long[] out = new long[size];
    Arrays.fill(out, value.asLongs()[0]);
    return ConstTensor.ofLongs(shape, out);
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
}
