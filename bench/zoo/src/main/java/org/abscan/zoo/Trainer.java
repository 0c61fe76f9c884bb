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
      TrainingWeights weights = new TrainingWeights(tf, init);
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
      Map<String, Shape> shapes = new HashMap<>(weights.shapes);
      for (Map.Entry<String, Variable<TFloat32>> e : weights.variables.entrySet()) {
        try (Result r = session.runner().fetch(e.getValue()).run()) {
          values.put(e.getKey(), floats((TFloat32) r.get(0)));
        }
      }
      populationStatistics(session, x, train, weights, values, shapes);
      return new Trained(values, shapes);
    }
  }

  /**
   * Batch norm's population mean and variance: the batch statistics averaged over the training set in
   * batches of {@link #EVAL_BATCH}, after training (what a moving average converges to, without the bias of
   * early batches).
   */
  private static void populationStatistics(Session session, Placeholder<TFloat32> x, Dataset train,
      TrainingWeights weights, Map<String, float[]> values, Map<String, Shape> shapes) {
    if (weights.statistics.isEmpty()) {
      return;
    }
    Map<String, float[]> sums = new HashMap<>();
    int batches = 0;
    for (int start = 0; start + EVAL_BATCH <= train.count(); start += EVAL_BATCH) {
      Session.Runner runner = session.runner();
      List<String> names = new java.util.ArrayList<>(weights.statistics.keySet());
      try (TFloat32 xb = images(train.range(start, start + EVAL_BATCH))) {
        runner.feed(x, xb);
        names.forEach(n -> runner.fetch(weights.statistics.get(n)));
        try (Result r = runner.run()) {
          for (int i = 0; i < names.size(); i++) {
            float[] batch = floats((TFloat32) r.get(i));
            float[] sum = sums.computeIfAbsent(names.get(i), k -> new float[batch.length]);
            for (int k = 0; k < batch.length; k++) {
              sum[k] += batch[k];
            }
          }
        }
      }
      batches++;
    }
    for (Map.Entry<String, float[]> e : sums.entrySet()) {
      float[] mean = e.getValue();
      for (int k = 0; k < mean.length; k++) {
        mean[k] /= batches;
      }
      values.put(e.getKey(), mean);
      shapes.put(e.getKey(), Shape.of(mean.length));
    }
  }

  private static float[] floats(TFloat32 t) {
    float[] data = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(data);
    return data;
  }

  /** Variables for the weights; batch norm over batch statistics, whose mean/variance ops are kept. */
  private static final class TrainingWeights implements Architecture.Weights {
    static final float EPSILON = 1e-3f;
    final Ops root;
    final Random init;
    final Map<String, Variable<TFloat32>> variables = new java.util.LinkedHashMap<>();
    final Map<String, Shape> shapes = new HashMap<>();
    /** "<layer>/bn/mean" and "<layer>/bn/variance": the batch statistics of every batch norm. */
    final Map<String, Operand<TFloat32>> statistics = new java.util.LinkedHashMap<>();

    TrainingWeights(Ops root, Random init) {
      this.root = root;
      this.init = init;
    }

    @Override
    public Operand<TFloat32> get(Ops scope, String name, Shape shape, boolean bias) {
      return variable(name, shape, initial(shape, bias, init));
    }

    private Variable<TFloat32> variable(String name, Shape shape, float[] initial) {
      // Root-scoped names without '/': Adam derives its slot names from the variable's name.
      Variable<TFloat32> v = root.withName(name.replace('/', '_')).variable(root.constant(shape,
          DataBuffers.of(initial)));
      variables.put(name, v);
      shapes.put(name, shape);
      return v;
    }

    @Override
    public Operand<TFloat32> batchNorm(Ops tf, String name, Operand<TFloat32> x, int channels) {
      float[] ones = new float[channels];
      java.util.Arrays.fill(ones, 1f);
      Operand<TFloat32> gamma = variable(name + "/gamma", Shape.of(channels), ones);
      Operand<TFloat32> beta = variable(name + "/beta", Shape.of(channels), new float[channels]);
      // Built from Mean/Sub/Square/Rsqrt (all with C++ gradients): FusedBatchNorm's gradient is not registered.
      Operand<org.tensorflow.types.TInt32> axes = tf.constant(new int[] {0, 1, 2});
      Operand<TFloat32> mean = tf.math.mean(x, axes);
      Operand<TFloat32> centred = tf.math.sub(x, mean);
      Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), axes);
      statistics.put(name + "/mean", mean);
      statistics.put(name + "/variance", variance);
      Operand<TFloat32> scale = tf.math.mul(gamma, tf.math.rsqrt(tf.math.add(variance, tf.constant(EPSILON))));
      return tf.math.add(tf.math.mul(centred, scale), beta);
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
