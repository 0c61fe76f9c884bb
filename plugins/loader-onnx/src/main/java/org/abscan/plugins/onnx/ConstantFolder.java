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
      case "Gather" -> ConstIndexing.gather(c(inputs, 0), c(inputs, 1), (int) attrs.getInt("axis", 0));
      case "Unsqueeze" -> ConstIndexing.unsqueeze(c(inputs, 0), axes(attrs, inputs));
      case "Squeeze" -> ConstIndexing.squeeze(c(inputs, 0), axes(attrs, inputs));
      case "Concat" -> ConstIndexing.concat(consts(inputs), (int) attrs.getInt("axis", 0));
      case "Reshape" -> ConstIndexing.reshape(c(inputs, 0), c(inputs, 1).rawLongs(),
          attrs.getInt("allowzero", 0) != 0);
      case "Flatten" -> ConstIndexing.flatten(c(inputs, 0), (int) attrs.getInt("axis", 1));
      case "Slice" -> slice(c(inputs, 0), attrs, inputs);
      case "Transpose" ->
          ConstIndexing.transpose(c(inputs, 0), ConstIndexing.toInts(attrs.getInts("perm", null)));
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
    int start = (int) ConstIndexing.normalize(attrs.getInt("start", 0), dims.length, true);
    int end = (int) ConstIndexing.normalize(attrs.getInt("end", dims.length), dims.length, true);
    return ConstIndexing.sliceAxis(full, 0, start, Math.max(start, end), 1);
  }

  private ConstTensor slice(ConstTensor data, NodeAttributes attrs, List<Value> inputs) {
    long[][] ranges = ConstIndexing.sliceRanges(data.shape(), sliceArguments(opset, attrs, inputs));
    ConstTensor out = data;
    for (int axis = 0; axis < ranges.length; axis++) {
      out = ConstIndexing.sliceAxis(out, axis, ranges[axis][0], ranges[axis][1], ranges[axis][2]);
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
    int size = ConstIndexing.checkedCount(ConstTensor.elementCount(shape));
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

}
