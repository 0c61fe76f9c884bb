package org.abscan.plugins.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * ONNX Conv (2-D) on an NHWC tensor: ONNX's [O, I/group, kH, kW] kernels become TensorFlow's HWIO (or the
 * depthwise [kH, kW, C, multiplier]) once per graph; pads become an explicit zero pad and a VALID convolution.
 */
final class ConvOps {
  private ConvOps() {}

  static Value.Tensor conv(NodeInputs in) {
    Ops tf = in.tf();
    Value.Tensor input = in.tensor(0);
    if (input.rank() != 4) {
      throw in.unsupported("only 2-D convolutions (rank-4 inputs) are supported, got rank " + input.rank());
    }
    Value.Tensor x = Layouts.toNhwc(tf, input);
    ConstTensor w = in.constant(1);
    long[] ws = w.shape();
    if (ws.length != 4) {
      throw OnnxErrors.malformed(in.describe(), "kernel must be rank 4, got " + Arrays.toString(ws));
    }
    long[] physical = x.operand().shape().asArray();
    long channels = physical[3];
    long group = in.attrs().getInt("group", 1);
    if (group <= 0 || channels % group != 0 || ws[1] * group != channels || ws[0] % group != 0) {
      throw OnnxErrors.malformed(in.describe(), "kernel " + Arrays.toString(ws) + " with group " + group
          + " does not fit " + channels + " input channels");
    }
    long[] strides = in.attrs().getInts("strides", new long[] {1, 1});
    long[] dilations = in.attrs().getInts("dilations", new long[] {1, 1});
    long[] pads = in.attrs().getInts("pads", null);
    Windows h = Windows.resolve(in, pads, 0, physical[1], ws[2], strides[0], dilations[0], false);
    Windows v = Windows.resolve(in, pads, 1, physical[2], ws[3], strides[1], dilations[1], false);
    Operand<TFloat32> padded = zeroPad(tf, x.operand(), h, v);
    List<Long> stride4 = List.of(1L, strides[0], strides[1], 1L);
    Long[] dilation4 = {1L, dilations[0], dilations[1], 1L};

    Operand<TFloat32> y;
    if (group == 1) {
      Operand<TFloat32> kernel = in.weight(1, "hwio", k -> ConstantFolder.transpose(k, new int[] {2, 3, 1, 0}));
      y = tf.nn.conv2d(padded, kernel, stride4, "VALID", Conv2d.dilations(dilation4));
    } else if (group == channels && ws[1] == 1) {
      long multiplier = ws[0] / channels;
      Operand<TFloat32> kernel = in.weight(1, "depthwise", k -> ConstantFolder.transpose(
          k.reshape(new long[] {channels, multiplier, ws[2], ws[3]}), new int[] {2, 3, 0, 1}));
      y = tf.nn.depthwiseConv2dNative(padded, kernel, stride4, "VALID",
          DepthwiseConv2dNative.dilations(Arrays.asList(dilation4)));
    } else {
      y = groupedConv(in, padded, w, (int) group, stride4, dilation4);
    }
    if (in.has(2)) {
      y = tf.nn.biasAdd(y, in.weight(2, "plain", k -> k));
    }
    return new Value.Tensor(y, true);
  }

  /** A grouped convolution as one convolution per group on a channel slice, concatenated. */
  private static Operand<TFloat32> groupedConv(NodeInputs in, Operand<TFloat32> x, ConstTensor w, int groups,
      List<Long> strides, Long[] dilations) {
    Ops tf = in.tf();
    long[] ws = w.shape();
    long perGroup = ws[0] / groups;
    List<org.tensorflow.Output<TFloat32>> slices = tf.split(tf.constant(3), x, (long) groups).output();
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      int group = g;
      Operand<TFloat32> kernel = in.weight(1, "hwio-group" + g, k -> {
        ConstTensor part = ConstantFolder.gather(k, rangeTensor(group * perGroup, perGroup), 0);
        return ConstantFolder.transpose(part, new int[] {2, 3, 1, 0});
      });
      outputs.add(tf.nn.conv2d(slices.get(g), kernel, strides, "VALID", Conv2d.dilations(dilations)));
    }
    return tf.concat(outputs, tf.constant(3));
  }

  private static ConstTensor rangeTensor(long start, long count) {
    long[] values = new long[(int) count];
    for (int i = 0; i < count; i++) {
      values[i] = start + i;
    }
    return ConstTensor.ofLongs(new long[] {count}, values);
  }

  /** Pads an NHWC tensor's spatial axes by the windows' pads (and ceil_mode's extra) with {@code value}. */
  static Operand<TFloat32> pad(Ops tf, Operand<TFloat32> x, Windows h, Windows w, float value) {
    if (!h.padded() && !w.padded()) {
      return x;
    }
    long[] paddings = {0, 0, h.begin(), h.end() + h.extra(), w.begin(), w.end() + w.extra(), 0, 0};
    Operand<TInt64> amounts = tf.constant(Shape.of(4, 2), DataBuffers.of(paddings, true, false));
    return tf.pad(x, amounts, tf.constant(value));
  }

  private static Operand<TFloat32> zeroPad(Ops tf, Operand<TFloat32> x, Windows h, Windows w) {
    return pad(tf, x, h, w, 0f);
  }
}
