package org.abscan.plugins.keras;

import java.util.List;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.math.Mean;

/** MaxPooling2D, AveragePooling2D and their global variants. */
final class PoolingLayers {
  private PoolingLayers() {}

  static LayerOp pool2d(LayerConfig c, long[] in, boolean max) {
    c.requireChannelsLast();
    ConvolutionLayers.requireRank(c, in, 3);
    int[] size = c.pair("pool_size", new int[] {2, 2});
    // Keras: strides=None means strides=pool_size.
    int[] strides = c.pair("strides", size);
    String padding = c.padding();
    long[] out = {
      ConvolutionLayers.outputSize(c, in[0], size[0], strides[0], 1, padding),
      ConvolutionLayers.outputSize(c, in[1], size[1], strides[1], 1, padding),
      in[2]
    };
    List<Long> window = List.of(1L, (long) size[0], (long) size[1], 1L);
    List<Long> step = List.of(1L, (long) strides[0], (long) strides[1], 1L);
    return new LayerOp(out, (tf, inputs, constants) -> max
        ? tf.nn.maxPool(inputs.get(0),
            tf.constant(new int[] {1, size[0], size[1], 1}),
            tf.constant(new int[] {1, strides[0], strides[1], 1}), padding)
        : tf.nn.avgPool(inputs.get(0), window, step, padding));
  }

  static LayerOp global(LayerConfig c, long[] in, boolean max) {
    c.requireChannelsLast();
    ConvolutionLayers.requireRank(c, in, 3);
    boolean keepDims = c.bool("keepdims", false);
    long[] out = keepDims ? new long[] {1, 1, in[2]} : new long[] {in[2]};
    return new LayerOp(out, (tf, inputs, constants) -> max
        ? tf.max(inputs.get(0), tf.constant(new int[] {1, 2}), Max.keepDims(keepDims))
        : tf.math.mean(inputs.get(0), tf.constant(new int[] {1, 2}), Mean.keepDims(keepDims)));
  }
}
