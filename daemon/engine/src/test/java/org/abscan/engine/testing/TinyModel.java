package org.abscan.engine.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A small NHWC model built from Java weight arrays, honouring layer overrides like a real loader: conv
 * (VALID, stride 1) and dense layers with optional relu, a flatten layer, and a final dense layer as logits.
 */
public final class TinyModel implements LoadedModel {
  private interface Layer {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);
  }

  private final InputSpec input;
  private final List<LayerSpec> specs = new ArrayList<>();
  private final List<Layer> ops = new ArrayList<>();
  /** Layer index -> the earlier layer whose output it adds (a residual block's skip connection). */
  private final Map<Integer, String> skips = new java.util.HashMap<>();
  private long[] shape;
  private long parameters;

  public TinyModel(int height, int width, int channels) {
    input = new InputSpec("input", height, width, channels, InputSpec.Layout.NHWC);
    shape = new long[] {height, width, channels};
  }

  /** kernel[kh][kw][in][out]. */
  public TinyModel conv(String name, float[][][][] kernel, float[] bias, boolean relu) {
    int kh = kernel.length;
    int kw = kernel[0].length;
    int out = kernel[0][0][0].length;
    shape = new long[] {shape[0] - kh + 1, shape[1] - kw + 1, out};
    specs.add(new LayerSpec(name, relu ? "Conv2D/relu" : "Conv2D", shape, 2, relu));
    parameters += (long) kh * kw * kernel[0][0].length * out + out;
    ops.add((tf, x) -> {
      Operand<TFloat32> y = tf.nn.biasAdd(
          tf.nn.conv2d(x, tf.constant(kernel), List.of(1L, 1L, 1L, 1L), "VALID"), tf.constant(bias));
      return relu ? tf.nn.relu(y) : y;
    });
    return this;
  }

  /** A separate relu layer (how loaders expose a fused activation: pre-activation, then this candidate). */
  public TinyModel relu(String name, String kind) {
    specs.add(new LayerSpec(name, kind, shape, shape.length - 1, true));
    ops.add((tf, x) -> tf.nn.relu(x));
    return this;
  }

  /** A residual Add: the current tensor plus the output of the earlier layer {@code from} (same shape). */
  public TinyModel add(String name, String from, boolean relu) {
    skips.put(specs.size(), from);
    specs.add(new LayerSpec(name, relu ? "Add/relu" : "Add", shape, shape.length - 1, relu));
    ops.add((tf, x) -> x);
    return this;
  }

  /** 2x2 average pooling, stride 2 (not a candidate, like a pooling layer a loader exposes). */
  public TinyModel avgPool(String name) {
    shape = new long[] {shape[0] / 2, shape[1] / 2, shape[2]};
    specs.add(new LayerSpec(name, "AveragePooling2D", shape, 2, false));
    ops.add((tf, x) -> tf.nn.avgPool(x, List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID"));
    return this;
  }

  /**
   * The Keras MNIST BadNets architecture (conv16 5x5, pool, conv32 5x5, pool, dense 512, dense 10) with random
   * weights, fused activations split into pre-activation and relu layers as the keras-h5 loader does.
   */
  public static TinyModel mnistLike(long seed) {
    Random r = new Random(seed);
    TinyModel m = new TinyModel(28, 28, 1);
    m.conv("conv2d/pre", randomKernel(r, 5, 1, 16), randomVector(r, 16, 0.05f), false);
    m.relu("conv2d", "Conv2D/relu");
    m.avgPool("average_pooling2d");
    m.conv("conv2d_1/pre", randomKernel(r, 5, 16, 32), randomVector(r, 32, 0.05f), false);
    m.relu("conv2d_1", "Conv2D/relu");
    m.avgPool("average_pooling2d_1");
    m.flatten("flatten");
    m.dense("dense/pre", randomMatrix(r, 512, 512, (float) Math.sqrt(2.0 / 512)),
        randomVector(r, 512, 0.05f), false, false);
    m.relu("dense", "Dense/relu");
    m.dense("dense_1", randomMatrix(r, 512, 10, (float) Math.sqrt(2.0 / 512)), randomVector(r, 10, 0.05f),
        false, false);
    return m;
  }

  public TinyModel flatten(String name) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    shape = new long[] {size};
    int flat = (int) size;
    specs.add(new LayerSpec(name, "Flatten", shape, 0, false));
    ops.add((tf, x) -> tf.reshape(x, tf.constant(new int[] {-1, flat})));
    return this;
  }

  /** weights[in][out]; the last dense layer added is the logits layer (not a candidate). */
  public TinyModel dense(String name, float[][] weights, float[] bias, boolean relu, boolean candidate) {
    shape = new long[] {weights[0].length};
    specs.add(new LayerSpec(name, relu ? "Dense/relu" : "Dense", shape, 0, candidate));
    parameters += (long) weights.length * weights[0].length + bias.length;
    ops.add((tf, x) -> {
      Operand<TFloat32> y = tf.math.add(tf.linalg.matMul(x, tf.constant(weights)), tf.constant(bias));
      return relu ? tf.nn.relu(y) : y;
    });
    return this;
  }

  @Override
  public ModelSpec spec() {
    LayerSpec last = specs.get(specs.size() - 1);
    return new ModelSpec("tiny", input, specs, last.name(), last.neurons(), parameters);
  }

  @Override
  public ModelGraph build(Ops tf, Operand<TFloat32> in, Map<String, Operand<TFloat32>> overrides) {
    Map<String, Operand<TFloat32>> outputs = new LinkedHashMap<>();
    Operand<TFloat32> x = in;
    for (int i = 0; i < specs.size(); i++) {
      String name = specs.get(i).name();
      Operand<TFloat32> override = overrides.get(name);
      if (override != null) {
        x = override;
      } else if (skips.containsKey(i)) {
        Operand<TFloat32> sum = tf.math.add(x, outputs.get(skips.get(i)));
        x = specs.get(i).kind().endsWith("/relu") ? tf.nn.relu(sum) : sum;
      } else {
        x = ops.get(i).apply(tf, x);
      }
      outputs.put(name, x);
    }
    return new ModelGraph(outputs, x);
  }

  /** A random conv -> flatten -> dense(relu) -> dense(logits) model. */
  public static TinyModel random(long seed, int size, int channels, int filters, int hidden, int labels) {
    Random r = new Random(seed);
    TinyModel m = new TinyModel(size, size, channels);
    m.conv("conv1", randomKernel(r, 3, channels, filters), randomVector(r, filters, 0.1f), true);
    m.flatten("flatten");
    int flat = (size - 2) * (size - 2) * filters;
    m.dense("dense1", randomMatrix(r, flat, hidden, (float) Math.sqrt(2.0 / flat)),
        randomVector(r, hidden, 0.1f), true, true);
    m.dense("logits", randomMatrix(r, hidden, labels, (float) Math.sqrt(2.0 / hidden)),
        randomVector(r, labels, 0.1f), false, false);
    return m;
  }

  /**
   * conv1 (3x3, relu) -> a residual block (block_conv 1x1 relu, block_proj 1x1 linear, then block_add =
   * relu(block_proj + conv1)) -> flatten -> dense1 (relu) -> logits: stimulating block_conv needs conv1's output
   * through the skip, and block_proj (affine) is where a linear shortcut from block_conv can start.
   */
  public static TinyModel residual(long seed, int size, int channels, int filters, int hidden, int labels) {
    Random r = new Random(seed);
    TinyModel m = new TinyModel(size, size, channels);
    m.conv("conv1", randomKernel(r, 3, channels, filters), randomVector(r, filters, 0.1f), true);
    m.conv("block_conv", randomKernel(r, 1, filters, filters), randomVector(r, filters, 0.1f), true);
    m.conv("block_proj", randomKernel(r, 1, filters, filters), randomVector(r, filters, 0.1f), false);
    m.add("block_add", "conv1", true);
    m.flatten("flatten");
    int flat = (size - 2) * (size - 2) * filters;
    m.dense("dense1", randomMatrix(r, flat, hidden, (float) Math.sqrt(2.0 / flat)),
        randomVector(r, hidden, 0.1f), true, true);
    m.dense("logits", randomMatrix(r, hidden, labels, (float) Math.sqrt(2.0 / hidden)),
        randomVector(r, labels, 0.1f), false, false);
    return m;
  }

  public static float[][][][] randomKernel(Random r, int k, int in, int out) {
    float[][][][] w = new float[k][k][in][out];
    float scale = (float) Math.sqrt(2.0 / (k * k * in));
    for (float[][][] a : w) {
      for (float[][] b : a) {
        for (float[] c : b) {
          for (int i = 0; i < c.length; i++) {
            c[i] = (float) r.nextGaussian() * scale;
          }
        }
      }
    }
    return w;
  }

  public static float[][] randomMatrix(Random r, int rows, int cols, float scale) {
    float[][] w = new float[rows][cols];
    for (float[] row : w) {
      for (int i = 0; i < cols; i++) {
        row[i] = (float) r.nextGaussian() * scale;
      }
    }
    return w;
  }

  public static float[] randomVector(Random r, int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian() * scale;
    }
    return v;
  }
}
