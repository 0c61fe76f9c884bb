package org.abscan.plugins.keras;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/** Layers that keep their input's shape: activations, inference-mode BatchNormalization, Dropout. */
final class ElementwiseLayers {
  private ElementwiseLayers() {}

  static LayerOp activation(long[] in, String activation) {
    return new LayerOp(in, (tf, inputs, constants) -> Activations.apply(tf, activation, inputs.get(0)));
  }

  static LayerOp identity(long[] in) {
    return new LayerOp(in, (tf, inputs, constants) -> inputs.get(0));
  }

  static LayerOp relu(LayerConfig c, long[] in) {
    double maxValue = c.number("max_value", Double.NaN);
    double slope = c.number("negative_slope", 0);
    if (c.number("threshold", 0) != 0) {
      throw c.unsupported("ReLU threshold " + c.number("threshold", 0));
    }
    return new LayerOp(in, (tf, inputs, constants) -> {
      Operand<TFloat32> x = inputs.get(0);
      Operand<TFloat32> y = slope == 0 ? tf.nn.relu(x) : tf.nn.leakyRelu(x, LeakyRelu.alpha((float) slope));
      return Double.isNaN(maxValue) ? y : tf.math.minimum(y, tf.constant((float) maxValue));
    });
  }

  static LayerOp leakyRelu(LayerConfig c, long[] in) {
    float alpha = (float) c.number("alpha", 0.3);
    return new LayerOp(in, (tf, inputs, constants) -> tf.nn.leakyRelu(inputs.get(0), LeakyRelu.alpha(alpha)));
  }

  static LayerOp softmax(LayerConfig c, long[] in) {
    int axis = softmaxAxis(c);
    if (axis != -1 && axis != in.length) {
      throw c.unsupported("Softmax over axis " + axis + " (last axis supported)");
    }
    return activation(in, Activations.SOFTMAX);
  }

  /**
   * Inference-mode batch normalisation folded into one scale and one offset per channel:
   * {@code y = x * gamma / sqrt(var + eps) + (beta - mean * gamma / sqrt(var + eps))}.
   */
  static LayerOp batchNormalization(LayerConfig c, long[] in, Map<String, Weight> weights) {
    int axis = batchNormAxis(c);
    if (axis != -1 && axis != in.length) {
      throw c.unsupported("BatchNormalization over axis " + axis + " (last axis supported)");
    }
    long channels = in[in.length - 1];
    double epsilon = c.number("epsilon", 1e-3);
    Weight mean = ConvolutionLayers.weight(c, weights, "moving_mean", channels);
    Weight variance = ConvolutionLayers.weight(c, weights, "moving_variance", channels);
    Weight gamma = c.bool("scale", true) ? ConvolutionLayers.weight(c, weights, "gamma", channels) : null;
    Weight beta = c.bool("center", true) ? ConvolutionLayers.weight(c, weights, "beta", channels) : null;
    float[] scale = new float[(int) channels];
    float[] offset = new float[(int) channels];
    for (int i = 0; i < channels; i++) {
      double s = (gamma == null ? 1.0 : gamma.values()[i]) / Math.sqrt(variance.values()[i] + epsilon);
      scale[i] = (float) s;
      offset[i] = (float) ((beta == null ? 0.0 : beta.values()[i]) - mean.values()[i] * s);
    }
    Weight scaleWeight = new Weight("folded_scale", new long[] {channels}, scale);
    Weight offsetWeight = new Weight("folded_offset", new long[] {channels}, offset);
    return new LayerOp(in, (tf, inputs, constants) ->
        tf.nn.biasAdd(tf.math.mul(inputs.get(0), constants.of(tf, scaleWeight)), constants.of(tf, offsetWeight)));
  }

  private static int batchNormAxis(LayerConfig c) {
    var axis = c.raw("axis");
    if (axis.isArray() && axis.size() == 1) {
      axis = axis.get(0);
    }
    if (axis.isMissingNode() || axis.isNull()) {
      return -1;
    }
    if (!axis.canConvertToInt()) {
      throw c.unsupported("BatchNormalization axis " + axis);
    }
    return axis.asInt();
  }

  private static int softmaxAxis(LayerConfig c) {
    var axis = c.raw("axis");
    if (axis.isArray() && axis.size() == 1) {
      axis = axis.get(0);
    }
    return axis.canConvertToInt() ? axis.asInt() : -1;
  }
}
