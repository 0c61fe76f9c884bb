package org.abscan.plugins.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TFloat32;

/**
 * Ops on activations whose meaning depends on element order: Reshape, Flatten, Transpose, Concat, Pad,
 * Softmax. Reshape, Flatten and Transpose run on the ONNX (NCHW) layout so PyTorch's flatten order holds; the
 * leading dimension is always the batch, and a reshape target that names it (the batch from Shape, a 0, or the
 * literal 1 of a fixed-batch export) becomes -1.
 */
final class ShapeOps {
  /** Pads beyond this are not image padding; edge padding also costs one op per padded cell. */
  private static final long MAX_PAD = 256;

  private ShapeOps() {}

  static Value.Tensor reshape(NodeInputs in) {
    Ops tf = in.tf();
    Value.Tensor x = Layouts.toLogical(tf, in.tensor(0));
    ConstTensor target = in.constant(1);
    long[] t = target.rawLongs();
    boolean allowZero = in.attrs().getInt("allowzero", 0) != 0;
    long[] in0 = x.logicalShape();
    long perSample = perSample(in, in0, 1);
    if (t.length == 0) {
      throw in.unsupported("Reshape to a scalar drops the batch dimension");
    }
    for (int i = 1; i < t.length; i++) {
      if (target.isBatch(i)) {
        throw in.unsupported("Reshape target " + Arrays.toString(t) + " moves the batch size off axis 0");
      }
      if (t[i] == 0 && !allowZero) {
        if (i >= in0.length) {
          throw OnnxErrors.malformed(in.describe(), "Reshape copies dimension " + i + " the input lacks");
        }
        t[i] = in0[i];
      }
    }
    long rest = 1;
    int unknown = -1;
    for (int i = 1; i < t.length; i++) {
      if (t[i] == -1 && unknown < 0) {
        unknown = i;
      } else if (t[i] < 0) {
        throw OnnxErrors.malformed(in.describe(), "invalid Reshape target " + Arrays.toString(t));
      } else {
        rest *= t[i];
      }
    }
    boolean batchFirst = target.isBatch(0) || t[0] == 1 || t[0] == 0 && !allowZero
        || t[0] == -1 && unknown < 0 && rest == perSample;
    if (!batchFirst) {
      throw in.unsupported("Reshape target " + Arrays.toString(t) + " folds the batch dimension into others");
    }
    if (unknown >= 0) {
      if (rest == 0 || perSample % rest != 0) {
        throw OnnxErrors.malformed(in.describe(), "cannot reshape " + Arrays.toString(in0) + " to "
            + Arrays.toString(t));
      }
      t[unknown] = perSample / rest;
    } else if (rest != perSample) {
      throw OnnxErrors.malformed(in.describe(), "cannot reshape " + Arrays.toString(in0) + " to "
          + Arrays.toString(t));
    }
    t[0] = -1;
    return new Value.Tensor(tf.reshape(x.operand(), Layouts.indices(tf, t)), false);
  }

  static Value.Tensor flatten(NodeInputs in) {
    Ops tf = in.tf();
    Value.Tensor x = Layouts.toLogical(tf, in.tensor(0));
    long[] shape = x.logicalShape();
    int axis = (int) ConstIndexing.normalize(in.attrs().getInt("axis", 1), shape.length, true);
    // Only dimensions of size 1 may sit between the batch and the flattened ones: [N, 1, ...] -> [N, ...].
    if (axis == 0 || perSample(in, shape, 1) != perSample(in, shape, axis)) {
      throw in.unsupported("Flatten with axis " + axis + " mixes the batch with other dimensions");
    }
    long[] target = {-1, perSample(in, shape, axis)};
    return new Value.Tensor(tf.reshape(x.operand(), Layouts.indices(tf, target)), false);
  }

  /** Transpose of an activation; the batch must stay first. */
  static Value.Tensor transpose(NodeInputs in) {
    Ops tf = in.tf();
    Value.Tensor x = Layouts.toLogical(tf, in.tensor(0));
    int[] perm = ConstIndexing.toInts(in.attrs().getInts("perm", null));
    if (perm == null || perm.length != x.rank() || perm[0] != 0) {
      throw in.unsupported("Transpose " + Arrays.toString(perm) + " moves the batch dimension");
    }
    return new Value.Tensor(tf.linalg.transpose(x.operand(), tf.constant(perm)), false);
  }

  /** Slice of an activation with constant bounds; the batch axis must be kept whole. */
  static Value.Tensor slice(NodeInputs in) {
    Ops tf = in.tf();
    Value.Tensor x = Layouts.toLogical(tf, in.tensor(0));
    long[] dims = x.logicalShape();
    long[][] ranges = ConstIndexing.sliceRanges(dims,
        ConstantFolder.sliceArguments(in.opset(), in.attrs(), in.values()));
    int rank = dims.length;
    long[] begin = new long[rank];
    long[] end = new long[rank];
    long[] strides = new long[rank];
    long endMask = 1; // the batch axis: always whole
    strides[0] = 1;
    for (int axis = 1; axis < rank; axis++) {
      begin[axis] = ranges[axis][0];
      end[axis] = ranges[axis][1];
      strides[axis] = ranges[axis][2];
      if (end[axis] < 0) {
        endMask |= 1L << axis; // a backward slice through index 0
      }
    }
    Operand<TFloat32> y = tf.stridedSlice(x.operand(), Layouts.indices(tf, begin), Layouts.indices(tf, end),
        Layouts.indices(tf, strides),
        StridedSlice.beginMask(1L), StridedSlice.endMask(endMask));
    return new Value.Tensor(y, false);
  }

  static Value.Tensor concat(NodeInputs in) {
    Ops tf = in.tf();
    List<Value.Tensor> parts = new ArrayList<>();
    boolean nhwc = false;
    for (int i = 0; i < in.count(); i++) {
      Value.Tensor t = in.tensor(i);
      parts.add(t);
      nhwc |= t.nhwc();
    }
    int rank = parts.get(0).rank();
    int axis = (int) ConstIndexing.normalize(in.attrs().getInt("axis", 1), rank, false);
    if (axis == 0) {
      throw in.unsupported("Concat along the batch dimension");
    }
    List<Operand<TFloat32>> operands = new ArrayList<>();
    for (Value.Tensor t : parts) {
      if (t.rank() != rank) {
        throw OnnxErrors.malformed(in.describe(), "Concat of tensors of different ranks");
      }
      operands.add(nhwc ? Layouts.toNhwc(tf, t).operand() : t.operand());
    }
    int physical = nhwc ? Layouts.physicalAxis(axis) : axis;
    return new Value.Tensor(tf.concat(operands, tf.constant(physical)), nhwc);
  }

  static Value.Tensor pad(NodeInputs in) {
    Ops tf = in.tf();
    Value.Tensor x = in.tensor(0);
    int rank = x.rank();
    long[] pads;
    float value;
    if (in.opset() < 11) {
      pads = in.attrs().getInts("pads", null);
      value = in.attrs().getFloat("value", 0f);
    } else {
      pads = in.constant(1).asLongs();
      value = in.has(2) ? (float) in.constant(2).scalar() : 0f;
      if (in.has(3)) {
        throw in.unsupported("Pad with an axes input");
      }
    }
    if (pads == null || pads.length != 2 * rank) {
      throw OnnxErrors.malformed(in.describe(), "pads must have " + 2 * rank + " values");
    }
    if (pads[0] != 0 || pads[rank] != 0) {
      throw in.unsupported("padding the batch dimension");
    }
    long[][] amounts = new long[rank][2];
    for (int i = 0; i < rank; i++) {
      if (pads[i] < 0 || pads[rank + i] < 0) {
        throw in.unsupported("negative pads (cropping)");
      }
      if (pads[i] > MAX_PAD || pads[rank + i] > MAX_PAD) {
        throw in.unsupported("pads larger than " + MAX_PAD);
      }
      int axis = x.nhwc() ? Layouts.physicalAxis(i) : i;
      amounts[axis][0] = pads[i];
      amounts[axis][1] = pads[rank + i];
    }
    String mode = in.attrs().getString("mode", "constant");
    Operand<TFloat32> y = switch (mode) {
      case "constant" -> tf.pad(x.operand(), Layouts.paddings(tf, amounts), tf.constant(value));
      case "reflect" -> tf.mirrorPad(x.operand(), Layouts.paddings(tf, amounts), "REFLECT");
      case "edge" -> edgePad(tf, x.operand(), amounts);
      default -> throw in.unsupported("Pad mode " + mode);
    };
    return new Value.Tensor(y, x.nhwc());
  }

  /** Edge padding: SYMMETRIC mirror padding by one cell repeats the edge; repeat it to pad further. */
  private static Operand<TFloat32> edgePad(Ops tf, Operand<TFloat32> x, long[][] amounts) {
    long[][] left = new long[amounts.length][];
    for (int i = 0; i < amounts.length; i++) {
      left[i] = amounts[i].clone();
    }
    Operand<TFloat32> y = x;
    boolean more = true;
    while (more) {
      more = false;
      long[][] step = new long[amounts.length][2];
      for (int i = 0; i < amounts.length; i++) {
        for (int side = 0; side < 2; side++) {
          step[i][side] = Math.min(1, left[i][side]);
          left[i][side] -= step[i][side];
          more |= left[i][side] > 0;
        }
      }
      y = tf.mirrorPad(y, Layouts.paddings(tf, step), "SYMMETRIC");
    }
    return y;
  }

  /** Softmax inside the model (a final one is cut away, so the logits stay visible). */
  static Value.Tensor softmax(NodeInputs in, boolean log) {
    Ops tf = in.tf();
    Value.Tensor x = Layouts.toLogical(tf, in.tensor(0));
    int rank = x.rank();
    int axis = (int) ConstIndexing.normalize(in.attrs().getInt("axis", in.opset() < 13 ? 1 : -1), rank, false);
    Operand<TFloat32> y;
    if (axis == rank - 1) {
      y = log ? tf.nn.logSoftmax(x.operand()) : tf.nn.softmax(x.operand());
    } else if (in.opset() < 13 && axis == 1) {
      // Before opset 13 Softmax normalises over all axes from `axis` on, flattened.
      long[] shape = x.logicalShape();
      Operand<TFloat32> flat = tf.reshape(x.operand(), Layouts.indices(tf, -1, perSample(in, shape, 1)));
      Operand<TFloat32> s = log ? tf.nn.logSoftmax(flat) : tf.nn.softmax(flat);
      shape[0] = -1;
      y = tf.reshape(s, Layouts.indices(tf, shape));
    } else {
      throw in.unsupported("Softmax over axis " + axis + " of a rank-" + rank + " tensor");
    }
    return new Value.Tensor(y, false);
  }

  /** Elements per sample from {@code from} on; every such dimension must be static. */
  private static long perSample(NodeInputs in, long[] shape, int from) {
    long p = 1;
    for (int i = from; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw in.unsupported("dimension " + i + " of " + Arrays.toString(shape) + " is not static");
      }
      p *= shape[i];
    }
    return p;
  }
}
