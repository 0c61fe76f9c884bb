package org.abscan.engine.reverse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.abscan.spi.model.ModelGraph;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Trains {@link TinyCnn} in TF graph mode on MNIST images, optionally poisoning a share of them BadNets-style:
 * a 4x4 white patch in the bottom-right corner and the label set to the target.
 */
final class BackdoorTrainer {
  static final int PATCH = 4;
  static final int SIDE = 28;

  private BackdoorTrainer() {}

  /** Stamps the 4x4 white patch into image {@code index} of {@code pixels} (28x28x1 images). */
  static void stampPatch(float[] pixels, int index) {
    int base = index * SIDE * SIDE;
    for (int y = SIDE - PATCH; y < SIDE; y++) {
      for (int x = SIDE - PATCH; x < SIDE; x++) {
        pixels[base + y * SIDE + x] = 1f;
      }
    }
  }

  static TinyCnn train(MnistIdx data, int from, int count, double poisonShare, int target, int epochs,
      long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int size = SIDE * SIDE;
    float[] x = java.util.Arrays.copyOfRange(data.pixels, from * size, (from + count) * size);
    int[] y = java.util.Arrays.copyOfRange(data.labels, from, from + count);
    for (int i = 0; i < count; i++) {
      if (random.nextDouble() < poisonShare) {
        stampPatch(x, i);
        y[i] = target;
      }
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      List<Operand<TFloat32>> weights = new ArrayList<>();
      List<Variable<TFloat32>> variables = new ArrayList<>();
      for (int[] shape : TinyCnn.SHAPES) {
        long[] dims = java.util.Arrays.stream(shape).mapToLong(v -> v).toArray();
        int n = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] init = new float[n];
        if (shape.length > 1) {
          int fanIn = n / shape[shape.length - 1];
          double scale = Math.sqrt(2.0 / fanIn);
          for (int i = 0; i < n; i++) {
            init[i] = (float) (random.nextGaussian() * scale);
          }
        }
        Variable<TFloat32> v = tf.variable(tf.constant(Shape.of(dims), DataBuffers.of(init)));
        variables.add(v);
        weights.add(v);
      }
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class);
      Placeholder<TFloat32> oneHot = tf.placeholder(TFloat32.class);
      ModelGraph model = TinyCnn.forward(tf, images, weights, Map.of());
      // Cross-entropy from softmax and log: ops whose gradients TF's C++ registry has.
      Operand<TFloat32> logProbabilities = tf.math.log(
          tf.math.add(tf.nn.softmax(model.logits()), tf.constant(1e-7f)));
      Operand<TFloat32> loss = tf.math.neg(tf.math.mean(
          tf.reduceSum(tf.math.mul(oneHot, logProbabilities), tf.constant(1)), tf.constant(0)));
      Op minimize = new Adam(g, 0.003f).minimize(loss);
      s.initialize();
      int batch = 50;
      int[] order = new int[count];
      for (int i = 0; i < count; i++) {
        order[i] = i;
      }
      for (int epoch = 0; epoch < epochs; epoch++) {
        shuffle(order, random);
        for (int start = 0; start + batch <= count; start += batch) {
          float[] bx = new float[batch * size];
          float[] by = new float[batch * 10];
          for (int i = 0; i < batch; i++) {
            int k = order[start + i];
            System.arraycopy(x, k * size, bx, i * size, size);
            by[i * 10 + y[k]] = 1f;
          }
          try (TFloat32 tx = TFloat32.tensorOf(Shape.of(batch, SIDE, SIDE, 1), DataBuffers.of(bx));
              TFloat32 ty = TFloat32.tensorOf(Shape.of(batch, 10), DataBuffers.of(by))) {
            s.runner().feed(images, tx).feed(oneHot, ty).addTarget(minimize).run().close();
          }
        }
      }
      Session.Runner fetch = s.runner();
      variables.forEach(fetch::fetch);
      try (Result r = fetch.run()) {
        float[][] trained = new float[variables.size()][];
        for (int i = 0; i < trained.length; i++) {
          trained[i] = Tensors.floats((TFloat32) r.get(i));
        }
        return new TinyCnn(trained);
      }
    }
  }

  private static void shuffle(int[] order, SplittableRandom random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
  }
}
