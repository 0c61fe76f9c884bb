package org.abscan.plugins.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

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
    long[] ws = in.constant(1).shape();
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
    if (strides.length != 2 || dilations.length != 2 || pads != null && pads.length != 4) {
      throw OnnxErrors.malformed(in.describe(), "strides, dilations and pads must be given for 2 axes");
    }
    // Dilation is applied to the kernel (zeros between taps), not through Conv2D's dilations attribute: the
    // gradient of a dilated Conv2D crashes TensorFlow 2.x's oneDNN CPU kernels (native abort), and reverse
    // engineering needs that gradient.
    String tag = dilations[0] == 1 && dilations[1] == 1 ? "" : "-dilated" + dilations[0] + "x" + dilations[1];
    UnaryOperator<ConstTensor> dilate = k -> dilateKernel(k, dilations[0], dilations[1]);
    long kh = (ws[2] - 1) * dilations[0] + 1;
    long kw = (ws[3] - 1) * dilations[1] + 1;
    Windows h = Windows.resolve(in, pads, 0, physical[1], kh, strides[0], 1, false);
    Windows v = Windows.resolve(in, pads, 1, physical[2], kw, strides[1], 1, false);
    Operand<TFloat32> padded = zeroPad(tf, x.operand(), h, v);
    List<Long> stride4 = List.of(1L, strides[0], strides[1], 1L);

    Operand<TFloat32> y;
    if (group == 1) {
      Operand<TFloat32> kernel = in.weight(1, "hwio" + tag,
          k -> ConstIndexing.transpose(dilate.apply(k), new int[] {2, 3, 1, 0}));
      y = tf.nn.conv2d(padded, kernel, stride4, "VALID");
    } else if (group == channels && ws[1] == 1) {
      long multiplier = ws[0] / channels;
      Operand<TFloat32> kernel = in.weight(1, "depthwise" + tag, k -> ConstIndexing.transpose(
          dilate.apply(k).reshape(new long[] {channels, multiplier, kh, kw}), new int[] {2, 3, 0, 1}));
      y = tf.nn.depthwiseConv2dNative(padded, kernel, stride4, "VALID");
    } else {
      y = groupedConv(in, padded, ws[0], (int) group, stride4, tag, dilate);
    }
    if (in.has(2)) {
      y = tf.nn.biasAdd(y, in.weight(2, "plain", k -> k));
    }
    return new Value.Tensor(y, true);
  }

  /** A grouped convolution as one convolution per group on a channel slice, concatenated. */
  private static Operand<TFloat32> groupedConv(NodeInputs in, Operand<TFloat32> x, long outChannels, int groups,
      List<Long> strides, String tag, UnaryOperator<ConstTensor> dilate) {
    Ops tf = in.tf();
    long perGroup = outChannels / groups;
    List<Output<TFloat32>> slices = tf.split(tf.constant(3), x, (long) groups).output();
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      int group = g;
      Operand<TFloat32> kernel = in.weight(1, "hwio-group" + g + tag, k -> {
        ConstTensor part = ConstIndexing.gather(k, rangeTensor(group * perGroup, perGroup), 0);
        return ConstIndexing.transpose(dilate.apply(part), new int[] {2, 3, 1, 0});
      });
      outputs.add(tf.nn.conv2d(slices.get(g), kernel, strides, "VALID"));
    }
    return tf.concat(outputs, tf.constant(3));
  }

  /** An [O, I, kH, kW] kernel with (d - 1) zeros between taps: the same convolution without dilation. */
  static ConstTensor dilateKernel(ConstTensor kernel, long dh, long dw) {
    if (dh == 1 && dw == 1) {
      return kernel;
    }
    long[] s = kernel.shape();
    long kh = (s[2] - 1) * dh + 1;
    long kw = (s[3] - 1) * dw + 1;
    float[] in = kernel.floats();
    float[] out = new float[(int) (s[0] * s[1] * kh * kw)];
    for (int oi = 0; oi < s[0] * s[1]; oi++) {
      for (int i = 0; i < s[2]; i++) {
        for (int j = 0; j < s[3]; j++) {
          out[(int) ((oi * kh + i * dh) * kw + j * dw)] = in[(int) ((oi * s[2] + i) * s[3] + j)];
        }
      }
    }
    return ConstTensor.ofFloats(new long[] {s[0], s[1], kh, kw}, out);
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
    long[][] paddings = {{0, 0}, {h.begin(), h.end() + h.extra()}, {w.begin(), w.end() + w.extra()}, {0, 0}};
    return tf.pad(x, Layouts.paddings(tf, paddings), tf.constant(value));
  }

  private static Operand<TFloat32> zeroPad(Ops tf, Operand<TFloat32> x, Windows h, Windows w) {
    return pad(tf, x, h, w, 0f);
  }
}
