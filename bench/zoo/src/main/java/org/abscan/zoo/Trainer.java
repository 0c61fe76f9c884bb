package org.abscan.zoo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
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
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Trains one zoo model in graph mode (Adam, softmax cross-entropy built from ops with C++ gradients) and
 * returns its trained weights. Single-threaded kernels and seeded initialisation/shuffling make a recipe
 * produce the same weights on every run.
 */
final class Trainer {
  private static final Logger LOG = LogManager.getLogger(Trainer.class);
  private static final int BATCH = 64;
  private static final int EVAL_BATCH = 500;

  /** The trained weights by name, and a classifier over them for evaluation. */
  record Trained(Map<String, float[]> weights, Map<String, Shape> shapes) {}

  private Trainer() {}

  static Trained train(ZooModel recipe, Dataset train) {
    ConfigProto single = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1).build();
    try (Graph graph = new Graph();
        Session session = new Session(graph, single)) {
      Ops tf = Ops.create(graph);
      Random init = new Random(recipe.seed());
      Map<String, Variable<TFloat32>> variables = new HashMap<>();
      Map<String, Shape> shapes = new HashMap<>();
      Architecture.Weights weights = (scope, name, shape, bias) -> {
        // Root-scoped names without '/': Adam derives its slot names from the variable's name.
        Variable<TFloat32> v = tf.withName(name.replace('/', '_')).variable(tf.constant(shape,
            DataBuffers.of(initial(shape, bias, init))));
        variables.put(name, v);
        shapes.put(name, shape);
        return v;
      };
      Placeholder<TFloat32> x = tf.withName("input").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, train.height(), train.width(), train.channels())));
      Placeholder<TFloat32> y = tf.withName("labels").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, train.classes())));
      Operand<TFloat32> logits = recipe.architecture().logits(tf, x, weights, train.channels(), train.height(),
          train.classes());
      Operand<TFloat32> probs = tf.nn.softmax(logits);
      Operand<TFloat32> nll = tf.math.neg(tf.reduceSum(tf.math.mul(y, tf.math.log(tf.math.add(probs,
          tf.constant(1e-7f)))), tf.constant(1)));
      Operand<TFloat32> loss = tf.math.mean(nll, tf.constant(0));
      Op step = new Adam(graph, 1e-3f).minimize(loss);
      session.initialize();

      Random shuffle = new Random(recipe.seed() * 31 + 17);
      int n = train.count();
      int[] order = new int[n];
      for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
          int j = shuffle.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
        double lossSum = 0;
        int batches = 0;
        for (int start = 0; start + BATCH <= n; start += BATCH) {
          Dataset batch = train.select(java.util.Arrays.copyOfRange(order, start, start + BATCH));
          try (TFloat32 xb = images(batch);
              TFloat32 yb = oneHot(batch);
              Result r = session.runner().feed(x, xb).feed(y, yb).addTarget(step).fetch(loss).run()) {
            lossSum += ((TFloat32) r.get(0)).getFloat();
            batches++;
          }
        }
        LOG.info("{} epoch {}: loss {}", recipe.name(), epoch + 1, String.format("%.4f", lossSum / batches));
      }
      Map<String, float[]> values = new HashMap<>();
      for (Map.Entry<String, Variable<TFloat32>> e : variables.entrySet()) {
        try (Result r = session.runner().fetch(e.getValue()).run()) {
          float[] data = new float[(int) shapes.get(e.getKey()).size()];
          ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(data);
          values.put(e.getKey(), data);
        }
      }
      return new Trained(values, shapes);
    }
  }

  /** Predicted labels of {@code data} under a frozen model. */
  static int[] predict(Graph frozen, Dataset data) {
    int[] predictions = new int[data.count()];
    try (Session session = new Session(frozen)) {
      for (int start = 0; start < data.count(); start += EVAL_BATCH) {
        Dataset batch = data.range(start, Math.min(data.count(), start + EVAL_BATCH));
        try (TFloat32 xb = images(batch);
            Result r = session.runner().feed("input", xb).fetch(FrozenModel.LOGITS).run()) {
          TFloat32 logits = (TFloat32) r.get(0);
          for (int i = 0; i < batch.count(); i++) {
            int best = 0;
            for (int c = 1; c < data.classes(); c++) {
              if (logits.getFloat(i, c) > logits.getFloat(i, best)) {
                best = c;
              }
            }
            predictions[start + i] = best;
          }
        }
      }
    }
    return predictions;
  }

  static TFloat32 images(Dataset d) {
    return TFloat32.tensorOf(Shape.of(d.count(), d.height(), d.width(), d.channels()), DataBuffers.of(d.images()));
  }

  private static TFloat32 oneHot(Dataset d) {
    float[] y = new float[d.count() * d.classes()];
    for (int i = 0; i < d.count(); i++) {
      y[i * d.classes() + d.labels()[i]] = 1f;
    }
    return TFloat32.tensorOf(Shape.of(d.count(), d.classes()), DataBuffers.of(y));
  }

  private static float[] initial(Shape shape, boolean bias, Random random) {
    float[] values = new float[(int) shape.size()];
    if (bias) {
      return values;
    }
    // He initialisation over the fan-in (every dimension but the last).
    float scale = (float) Math.sqrt(2.0 / (shape.size() / shape.get(shape.numDimensions() - 1)));
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * scale;
    }
    return values;
  }

  static String leaf(String name) {
    List<String> parts = List.of(name.split("/"));
    return parts.get(parts.size() - 1);
  }
}
