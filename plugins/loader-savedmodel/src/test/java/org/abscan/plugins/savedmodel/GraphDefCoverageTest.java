package org.abscan.plugins.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.BiasAdd;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * Frozen GraphDefs beyond the plain CNN: list-input ops (ConcatV2), batch norm, depthwise convolution, padding,
 * pooling, reductions and an Add-based logits layer are rebuilt faithfully; NCHW graphs are described as NCHW;
 * graphs the rebuilder cannot reproduce are UNSUPPORTED_MODEL naming the node.
 */
class GraphDefCoverageTest {
  @TempDir static Path temp;
  static ModelLoader loader;

  @BeforeAll
  static void setUp() {
    loader = TestModels.loader(temp.resolve("scratch"));
  }

  /** Two branches (conv+relu6, depthwise+batchnorm+leakyrelu), concat, pool, tanh, pad, mean, dense. */
  private static void branchyModel(Graph graph) {
    Ops tf = Ops.create(graph);
    Random r = new Random(3);
    Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 6, 6, 2)));
    Ops a = tf.withSubScope("branch_a");
    Operand<TFloat32> conv = a.nn.conv2d(x, weights(a, r, 3, 3, 2, 3), List.of(1L, 1L, 1L, 1L), "SAME");
    Operand<TFloat32> left = a.nn.relu6(a.nn.biasAdd(conv, weights(a, r, 3)));
    Ops b = tf.withSubScope("branch_b");
    Operand<TFloat32> depthwise =
        b.nn.depthwiseConv2dNative(x, weights(b, r, 3, 3, 2, 1), List.of(1L, 1L, 1L, 1L), "SAME");
    FusedBatchNorm<TFloat32, TFloat32> norm =
        b.nn.fusedBatchNorm(
            depthwise, weights(b, r, 2), weights(b, r, 2), weights(b, r, 2),
            b.math.abs(weights(b, r, 2)), FusedBatchNorm.isTraining(false));
    Operand<TFloat32> right = b.nn.leakyRelu(norm.y());
    Operand<TFloat32> merged = tf.concat(List.of(left, right), tf.constant(3));
    Operand<TFloat32> pooled = tf.nn.avgPool(merged, List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID");
    Operand<TFloat32> padded =
        tf.pad(tf.math.tanh(pooled), tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}), tf.constant(0f));
    Operand<TFloat32> pooledMean = tf.math.mean(padded, tf.constant(new int[] {1, 2}));
    Operand<TFloat32> logits =
        tf.withName("scores").math.add(tf.linalg.matMul(pooledMean, weights(tf, r, 5, 4)), weights(tf, r, 4));
    tf.withName("output").identity(tf.nn.softmax(logits));
  }

  private static Operand<TFloat32> weights(Ops tf, Random r, long... shape) {
    float[] values = new float[(int) Shape.of(shape).size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) r.nextGaussian() * 0.5f;
    }
    return tf.constant(Shape.of(shape), DataBuffers.of(values));
  }

  private static Path write(String name, Consumer<Graph> model) throws Exception {
    Path file = temp.resolve(name);
    try (Graph graph = new Graph()) {
      model.accept(graph);
      Files.write(file, graph.toGraphDef().toByteArray());
    }
    return file;
  }

  @Test
  void branchyGraphIsRebuiltFaithfully() throws Exception {
    Path file = write("branchy.pb", GraphDefCoverageTest::branchyModel);
    float[] images = CnnSavedModelGenerator.images(1, 9);
    images = java.util.Arrays.copyOf(images, 2 * 6 * 6 * 2);
    float[] override = new float[2 * 6 * 6 * 2];
    for (int i = 0; i < override.length; i++) {
      override[i] = (i % 7) * 0.3f;
    }
    try (LoadedModel model = loader.load(file, LoadOptions.defaults());
        Graph original = new Graph();
        Graph rebuilt = new Graph();
        TFloat32 x = TestModels.tensor(images, 2, 6, 6, 2);
        TFloat32 stimulated = TestModels.tensor(override, 2, 6, 6, 2)) {
      branchyModel(original);
      List<LayerSpec> layers = model.spec().layers();
      assertEquals(
          List.of(
              new LayerSpec("branch_a/Relu6", "Conv2D/relu6", new long[] {6, 6, 3}, 2, true),
              new LayerSpec("branch_b/LeakyRelu", "DepthwiseConv2dNative/leakyrelu", new long[] {6, 6, 2}, 2, true)),
          layers);
      assertEquals("scores:0", model.spec().logitsName());
      assertEquals(4, model.spec().numLabels());

      Ops tf = Ops.create(rebuilt);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
      Placeholder<TFloat32> replacement = tf.placeholder(TFloat32.class);
      ModelGraph plain = model.build(tf, input, Map.of());
      ModelGraph overridden = model.build(tf, input, Map.of("branch_b/LeakyRelu", replacement));
      Map<String, TFloat32> feed = Map.of(input.op().name(), x, replacement.op().name(), stimulated);
      TestModels.assertClose(
          TestModels.run(original, Map.of("x", x), "scores"),
          TestModels.run(rebuilt, feed, plain.logits().asOutput().op().name()),
          1e-5);
      TestModels.assertClose(
          TestModels.run(original, Map.of("x", x, "branch_b/LeakyRelu", stimulated), "scores"),
          TestModels.run(rebuilt, feed, overridden.logits().asOutput().op().name()),
          1e-5);
    }
  }

  @Test
  void nchwGraphIsDescribedAsNchw() throws Exception {
    Path file = write("nchw.pb", graph -> {
      Ops tf = Ops.create(graph);
      Random r = new Random(4);
      Placeholder<TFloat32> x =
          tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2, 6, 5)));
      Operand<TFloat32> conv =
          tf.nn.conv2d(x, weights(tf, r, 3, 3, 2, 3), List.of(1L, 1L, 1L, 1L), "SAME", Conv2d.dataFormat("NCHW"));
      Operand<TFloat32> act = tf.withName("act").nn.relu(
          tf.nn.biasAdd(conv, weights(tf, r, 3), BiasAdd.dataFormat("NCHW")));
      Operand<TFloat32> flat = tf.reshape(act, tf.constant(new int[] {-1, 3 * 6 * 5}));
      tf.withName("logits").nn.biasAdd(tf.linalg.matMul(flat, weights(tf, r, 90, 2)), weights(tf, r, 2));
    });
    try (LoadedModel model = loader.load(file, LoadOptions.defaults())) {
      assertEquals(new InputSpec("x", 6, 5, 2, InputSpec.Layout.NCHW), model.spec().input());
      assertEquals(
          List.of(new LayerSpec("act", "Conv2D/relu", new long[] {3, 6, 5}, 0, true)), model.spec().layers());
      assertEquals(2, model.spec().numLabels());
    }
  }

  @Test
  void secondPlaceholderIsUnsupportedNamingIt() throws Exception {
    Path file = write("two-inputs.pb", graph -> {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x =
          tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 1)));
      Placeholder<TFloat32> scale = tf.withName("scale").placeholder(TFloat32.class, Placeholder.shape(Shape.of()));
      Operand<TFloat32> flat = tf.reshape(tf.math.mul(x, scale), tf.constant(new int[] {-1, 16}));
      tf.withName("logits").linalg.matMul(flat, tf.constant(Shape.of(16, 3), DataBuffers.of(new float[48])));
    });
    AbscanException e = assertThrows(AbscanException.class, () -> loader.load(file, LoadOptions.defaults()));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, e.category(), e.getMessage());
    assertTrue(e.violations().stream().anyMatch(v -> v.subject().equals("scale")), e.violations().toString());
  }
}
