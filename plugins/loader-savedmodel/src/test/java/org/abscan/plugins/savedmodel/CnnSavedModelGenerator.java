package org.abscan.plugins.savedmodel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * Writes a small, deterministic CNN as a TF1-style SavedModel (variables + saver) with TF Java's exporter,
 * and as a frozen GraphDef (weights as Const). Fixed seeds make every run produce the same weights, so the
 * loader tests need no committed binaries.
 *
 * <p>Architecture (NHWC, 8x8x3 input): conv1 3x3x4 + bias + relu, max-pool 2x2, conv2 3x3x6 + bias + relu,
 * flatten, dense1 16 + bias + relu, logits 5 + bias, softmax.
 */
final class CnnSavedModelGenerator {
  static final int HEIGHT = 8;
  static final int WIDTH = 8;
  static final int CHANNELS = 3;
  static final int LABELS = 5;
  static final String INPUT = "input";
  static final String LOGITS = "logits/BiasAdd";
  static final String PROBS = "probs";
  /** The activation tensors the loader should find as candidate layers, in model order. */
  static final List<String> ACTIVATIONS = List.of("conv1/Relu", "conv2/Relu", "dense1/Relu");

  private CnnSavedModelGenerator() {}

  /** Builds the model into {@code graph}; returns {input, probs}. Weights are variables when asked. */
  static Operand<?>[] build(Graph graph, boolean variables) {
    Ops tf = Ops.create(graph);
    Random random = new Random(20191101L);
    Placeholder<TFloat32> input =
        tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, HEIGHT, WIDTH, CHANNELS)));
    Operand<TFloat32> x = conv(tf.withSubScope("conv1"), input, 3, CHANNELS, 4, random, variables);
    x = tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
    x = conv(tf.withSubScope("conv2"), x, 3, 4, 6, random, variables);
    x = tf.withName("flatten").reshape(x, tf.constant(new int[] {-1, 4 * 4 * 6}));
    x = dense(tf.withSubScope("dense1"), x, 4 * 4 * 6, 16, random, variables, true);
    x = dense(tf.withSubScope("logits"), x, 16, LABELS, random, variables, false);
    Operand<TFloat32> probs = tf.withName(PROBS).nn.softmax(x);
    return new Operand<?>[] {input, probs};
  }

  private static Operand<TFloat32> conv(
      Ops tf, Operand<TFloat32> x, int k, int in, int out, Random r, boolean variables) {
    Operand<TFloat32> kernel = weight(tf.withName("kernel"), Shape.of(k, k, in, out), r, variables);
    Operand<TFloat32> bias = weight(tf.withName("bias"), Shape.of(out), r, variables);
    Operand<TFloat32> conv = tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
    return tf.nn.relu(tf.nn.biasAdd(conv, bias));
  }

  private static Operand<TFloat32> dense(
      Ops tf, Operand<TFloat32> x, int in, int out, Random r, boolean variables, boolean relu) {
    Operand<TFloat32> kernel = weight(tf.withName("kernel"), Shape.of(in, out), r, variables);
    Operand<TFloat32> bias = weight(tf.withName("bias"), Shape.of(out), r, variables);
    Operand<TFloat32> y = tf.nn.biasAdd(tf.linalg.matMul(x, kernel), bias);
    return relu ? tf.nn.relu(y) : y;
  }

  private static Operand<TFloat32> weight(Ops tf, Shape shape, Random r, boolean variables) {
    float[] values = new float[(int) shape.size()];
    // He initialisation over the fan-in (every dimension but the last), so activations stay in a sane range.
    float scale = (float) Math.sqrt(2.0 / (shape.size() / shape.get(shape.numDimensions() - 1)));
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) r.nextGaussian() * scale;
    }
    Operand<TFloat32> init = tf.constant(shape, DataBuffers.of(values));
    if (!variables) {
      return init;
    }
    Variable<TFloat32> variable = tf.variable(init);
    return variable;
  }

  /** Exports the variable-based model as a SavedModel into {@code dir} (created). */
  static void exportSavedModel(Path dir) throws IOException {
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Operand<?>[] io = build(graph, true);
      session.initialize();
      SavedModelBundle.exporter(dir.toString())
          .withSession(session)
          .withSignature(Signature.builder().input("input", io[0]).output("probs", io[1]).build())
          .export();
    }
  }

  /** The frozen model (weights as constants) as a GraphDef. */
  static GraphDef frozenGraphDef() {
    try (Graph graph = new Graph()) {
      build(graph, false);
      return graph.toGraphDef();
    }
  }

  /** Writes the frozen GraphDef to {@code file}. */
  static void writeFrozenGraphDef(Path file) throws IOException {
    Files.write(file, frozenGraphDef().toByteArray());
  }

  /** Deterministic pseudo-images in [0, 1], NHWC. */
  static float[] images(int batch, long seed) {
    Random r = new Random(seed);
    float[] data = new float[batch * HEIGHT * WIDTH * CHANNELS];
    for (int i = 0; i < data.length; i++) {
      data[i] = r.nextFloat();
    }
    return data;
  }
}
