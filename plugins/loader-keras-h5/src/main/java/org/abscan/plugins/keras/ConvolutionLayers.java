package org.abscan.plugins.keras;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;

/** Conv2D, DepthwiseConv2D and Dense without their fused activation (that is a separate tensor). */
final class ConvolutionLayers {
  private ConvolutionLayers() {}

  static LayerOp conv2d(LayerConfig c, long[] in, Map<String, Weight> weights, boolean depthwise) {
    c.requireChannelsLast();
    requireRank(c, in, 3);
    int[] kernelSize = c.pair("kernel_size", null);
    int[] strides = c.pair("strides", new int[] {1, 1});
    int[] dilation = c.pair("dilation_rate", new int[] {1, 1});
    if (!depthwise && c.integer("groups", 1) != 1) {
      throw c.unsupported("grouped convolution (groups=" + c.integer("groups", 1) + ")");
    }
    if ((strides[0] > 1 || strides[1] > 1) && (dilation[0] > 1 || dilation[1] > 1)) {
      throw c.unsupported("strides and dilation_rate both > 1");
    }
    String padding = c.padding();
    long outChannels;
    Weight kernel;
    if (depthwise) {
      int multiplier = c.integer("depth_multiplier", 1);
      kernel = weight(c, weights, "depthwise_kernel", kernelSize[0], kernelSize[1], in[2], multiplier);
      outChannels = in[2] * multiplier;
    } else {
      int filters = c.integer("filters", -1);
      kernel = weight(c, weights, "kernel", kernelSize[0], kernelSize[1], in[2], filters);
      outChannels = filters;
    }
    Weight bias = c.bool("use_bias", true) ? weight(c, weights, "bias", outChannels) : null;
    long[] out = {
      outputSize(c, in[0], kernelSize[0], strides[0], dilation[0], padding),
      outputSize(c, in[1], kernelSize[1], strides[1], dilation[1], padding),
      outChannels
    };
    List<Long> strides4 = List.of(1L, (long) strides[0], (long) strides[1], 1L);
    List<Long> dilations4 = List.of(1L, (long) dilation[0], (long) dilation[1], 1L);
    return new LayerOp(out, (tf, inputs, constants) -> {
      Operand<TFloat32> k = constants.of(tf, kernel);
      Operand<TFloat32> y = depthwise
          ? tf.nn.depthwiseConv2dNative(inputs.get(0), k, strides4, padding,
              DepthwiseConv2dNative.dataFormat("NHWC"), DepthwiseConv2dNative.dilations(dilations4))
          : tf.nn.conv2d(inputs.get(0), k, strides4, padding,
              Conv2d.dataFormat("NHWC"), Conv2d.dilations(dilations4));
      return bias == null ? y : tf.nn.biasAdd(y, constants.of(tf, bias));
    });
  }

  static LayerOp dense(LayerConfig c, long[] in, Map<String, Weight> weights) {
    if (in.length < 1) {
      throw c.malformed("Dense input has no feature axis");
    }
    int units = c.integer("units", -1);
    long features = in[in.length - 1];
    Weight kernel = weight(c, weights, "kernel", features, units);
    Weight bias = c.bool("use_bias", true) ? weight(c, weights, "bias", units) : null;
    long[] out = in.clone();
    out[out.length - 1] = units;
    return new LayerOp(out, (tf, inputs, constants) -> {
      Operand<TFloat32> x = inputs.get(0);
      // Keras applies Dense to the last axis of a higher-rank input.
      Operand<TFloat32> flat = in.length == 1 ? x : tf.reshape(x, tf.constant(new long[] {-1, features}));
      Operand<TFloat32> y = tf.linalg.matMul(flat, constants.of(tf, kernel));
      if (bias != null) {
        y = tf.nn.biasAdd(y, constants.of(tf, bias));
      }
      return in.length == 1 ? y : tf.reshape(y, tf.constant(LayerOp.withAnyBatch(out)));
    });
  }

  /** Output length along one spatial axis, as TensorFlow computes it for SAME and VALID padding. */
  static long outputSize(LayerConfig c, long in, long kernel, long stride, long dilation, String padding) {
    long effective = (kernel - 1) * dilation + 1;
    long out = padding.equals("SAME") ? (in + stride - 1) / stride : (in - effective + stride) / stride;
    if (out <= 0 || (padding.equals("VALID") && in < effective)) {
      throw c.malformed("window " + effective + " larger than its input " + in);
    }
    return out;
  }

  static void requireRank(LayerConfig c, long[] in, int rank) {
    if (in.length != rank) {
      throw c.unsupported("input of rank " + in.length + " " + Arrays.toString(in) + " (expected " + rank + ", NHWC)");
    }
  }

  /** A named weight that must have exactly {@code expected} as its shape. */
  static Weight weight(LayerConfig c, Map<String, Weight> weights, String name, long... expected) {
    Weight weight = weights.get(name);
    if (weight == null) {
      throw KerasErrors.malformed("model_weights/" + c.layerName(), "weight " + name + " missing (have " + weights.keySet() + ")");
    }
    if (!Arrays.equals(weight.shape(), expected)) {
      throw KerasErrors.malformed(
          "model_weights/" + c.layerName() + "/" + name,
          "shape " + Arrays.toString(weight.shape()) + ", config implies " + Arrays.toString(expected));
    }
    return weight;
  }
}
