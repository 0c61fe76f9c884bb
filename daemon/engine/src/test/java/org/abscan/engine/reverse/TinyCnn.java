package org.abscan.engine.reverse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A small MNIST CNN: conv1 5x5x8 relu, maxpool 2, conv2 3x3x16 relu, maxpool 2, dense1 64 relu, logits 10.
 * {@link #forward} builds it on any weights (variables while training, constants once trained); as a
 * {@link LoadedModel} it serves trained weights and honours layer overrides.
 */
final class TinyCnn implements LoadedModel {
  static final int[][] SHAPES = {
    {5, 5, 1, 8}, {8}, {3, 3, 8, 16}, {16}, {400, 64}, {64}, {64, 10}, {10}
  };

  private final float[][] weights;

  TinyCnn(float[][] weights) {
    this.weights = weights;
  }

  static ModelGraph forward(
      Ops tf, Operand<TFloat32> input, List<Operand<TFloat32>> w, Map<String, Operand<TFloat32>> overrides) {
    Map<String, Operand<TFloat32>> layers = new LinkedHashMap<>();
    Operand<TFloat32> conv1 = tf.nn.relu(tf.nn.biasAdd(
        tf.nn.conv2d(input, w.get(0), List.of(1L, 1L, 1L, 1L), "VALID"), w.get(1)));
    conv1 = overrides.getOrDefault("conv1", conv1);
    layers.put("conv1", conv1);
    Operand<TFloat32> pool1 = pool(tf, conv1);
    Operand<TFloat32> conv2 = tf.nn.relu(tf.nn.biasAdd(
        tf.nn.conv2d(pool1, w.get(2), List.of(1L, 1L, 1L, 1L), "VALID"), w.get(3)));
    conv2 = overrides.getOrDefault("conv2", conv2);
    layers.put("conv2", conv2);
    Operand<TFloat32> flat = tf.reshape(pool(tf, conv2), tf.constant(new int[] {-1, 400}));
    Operand<TFloat32> dense1 = tf.nn.relu(tf.math.add(tf.linalg.matMul(flat, w.get(4)), w.get(5)));
    dense1 = overrides.getOrDefault("dense1", dense1);
    layers.put("dense1", dense1);
    Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(dense1, w.get(6)), w.get(7));
    return new ModelGraph(layers, logits);
  }

  private static Operand<TFloat32> pool(Ops tf, Operand<TFloat32> x) {
    return tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  @Override
  public ModelSpec spec() {
    return new ModelSpec("test-cnn", new InputSpec("input", 28, 28, 1, InputSpec.Layout.NHWC),
        List.of(new LayerSpec("conv1", "Conv2D/relu", new long[] {24, 24, 8}, 2, true),
            new LayerSpec("conv2", "Conv2D/relu", new long[] {10, 10, 16}, 2, true),
            new LayerSpec("dense1", "Dense/relu", new long[] {64}, 0, true)),
        "logits", 10, 0L);
  }

  @Override
  public ModelGraph build(Ops tf, Operand<TFloat32> input, Map<String, Operand<TFloat32>> overrides) {
    List<Operand<TFloat32>> w = new java.util.ArrayList<>();
    for (int i = 0; i < SHAPES.length; i++) {
      long[] shape = java.util.Arrays.stream(SHAPES[i]).mapToLong(v -> v).toArray();
      w.add(tf.constant(Shape.of(shape), DataBuffers.of(weights[i])));
    }
    return forward(tf, input, w, overrides);
  }
}
