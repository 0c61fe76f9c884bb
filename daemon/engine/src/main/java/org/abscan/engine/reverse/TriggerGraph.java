package org.abscan.engine.reverse;

import java.util.List;
import java.util.Map;
import org.abscan.engine.SeedImages;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.graph.TensorFlowRuntime;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerBatch;
import org.abscan.spi.trigger.TriggerSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The one graph in which all T triggers of a batch are optimised and evaluated. Built once per batch:
 *
 * <ul>
 *   <li>optimisation: the n optimisation images (a constant) tiled to [T, n, H, W, C] and stamped; the rows
 *       of the still-active triggers (fed indices, A of them) flattened to [A*n, ...], preprocessed and run
 *       through the model; their losses summed, and one {@link MaskedAdam} step for all triggers (settled ones
 *       held still by the fed flags);
 *   <li>evaluation: held-out images fed through a placeholder in chunks, stamped by every trigger, classified;
 *       every trigger's neuron measured on them with and without the trigger ({@link FeaturePresenceTally}), and
 *       the images as they are classified ({@link TransplantCheck}).
 * </ul>
 */
final class TriggerGraph implements AutoCloseable {
  final Graph graph;
  final Session session;
  /** Fed each step: [T], 1 while a trigger optimises. */
  final Placeholder<TFloat32> active;
  /** Fed each step: [A] indices of the triggers to run through the model (the active ones). */
  final Placeholder<TInt32> selected;
  /** Fed each step: Adam's bias-corrected step size. */
  final Placeholder<TFloat32> stepSize;
  final Op train;
  /** Run once after the optimisation: fits the triggers over the size bound onto it; null if the kind cannot. */
  final Op fitToBound;
  /** [A] per-trigger cost (line 15 of Algorithm 2) of the selected triggers. */
  final Operand<TFloat32> loss;
  /** [A] f1 in the layer's units. */
  final Operand<TFloat32> activation;
  /** [T] trigger area fraction (all triggers). */
  final Operand<TFloat32> size;
  /** [A] share of the optimisation images (true label != target) classified as the target. */
  final Operand<TFloat32> flipRate;
  /** [A] the same, counting only images given the target with {@link ReverseSettings#CONFIDENT_PROBABILITY}. */
  final Operand<TFloat32> confidentRate;
  /** Fed: [m, H, W, C] held-out images. */
  final Placeholder<TFloat32> heldOut;
  /** [T, m] predicted labels of the stamped held-out images. */
  final Operand<TInt64> heldOutPredictions;
  /** [T, m, H, W, C] the stamped held-out images. */
  final Operand<TFloat32> heldOutStamped;
  /** [T, m] each trigger's neuron activation on the stamped held-out images. */
  final Operand<TFloat32> heldOutNeuron;
  /** [T, m] each trigger's neuron activation on the fed images as they are (no trigger). */
  final Operand<TFloat32> cleanNeuron;
  /** [m] the model's labels for the fed images as they are. */
  final Operand<TInt64> cleanPredictions;
  /** [T, n] each trigger's neuron activation on the clean optimisation images (from {@link CleanReference}). */
  final float[] optimisationNeuron;
  final Map<String, Operand<TFloat32>> renderings;
  /** The neuron terms, whose per-layer row feeds ({@link #layerFeeds}) go with every optimisation step. */
  private final NeuronObjective neurons;

  private TriggerGraph(Graph graph, Builder b, String device) {
    this.graph = graph;
    this.session = new Session(graph, TensorFlowRuntime.sessionConfig(device));
    this.active = b.active;
    this.selected = b.selected;
    this.stepSize = b.stepSize;
    this.train = b.train;
    this.fitToBound = b.fitToBound;
    this.loss = b.loss;
    this.activation = b.activation;
    this.size = b.size;
    this.flipRate = b.flipRate;
    this.confidentRate = b.confidentRate;
    this.heldOut = b.heldOut;
    this.heldOutPredictions = b.heldOutPredictions;
    this.heldOutStamped = b.heldOutStamped;
    this.heldOutNeuron = b.heldOutNeuron;
    this.cleanNeuron = b.cleanNeuron;
    this.cleanPredictions = b.cleanPredictions;
    this.optimisationNeuron = b.optimisationNeuron;
    this.renderings = b.renderings;
    this.neurons = b.neurons;
  }

  /**
   * The per-layer feeds of one optimisation step over the {@code selected} triggers; the caller closes them
   * (they are AutoCloseable tensors) after the run.
   */
  List<Tensor> feedLayers(Session.Runner runner, int[] selected, List<TriggerGroup> groups) {
    List<Tensor> tensors = new java.util.ArrayList<>();
    try {
      for (Map.Entry<String, int[]> e : neurons.rowsOf(selected, groups).entrySet()) {
        int[] rows = e.getValue();
        TInt32 rowTensor = TInt32.vectorOf(rows);
        tensors.add(rowTensor);
        TFloat32 placement = TFloat32.tensorOf(Shape.of(selected.length, rows.length),
            DataBuffers.of(NeuronObjective.placementOf(rows, selected.length)));
        tensors.add(placement);
        runner.feed(neurons.rows().get(e.getKey()), rowTensor).feed(neurons.placement().get(e.getKey()), placement);
      }
      return tensors;
    } catch (RuntimeException ex) {
      tensors.forEach(Tensor::close);
      throw ex;
    }
  }

  private static final class Builder {
    Placeholder<TFloat32> active;
    Placeholder<TInt32> selected;
    Placeholder<TFloat32> stepSize;
    Op train;
    Op fitToBound;
    Operand<TFloat32> loss;
    Operand<TFloat32> activation;
    Operand<TFloat32> size;
    Operand<TFloat32> flipRate;
    Operand<TFloat32> confidentRate;
    Placeholder<TFloat32> heldOut;
    Operand<TInt64> heldOutPredictions;
    Operand<TFloat32> heldOutStamped;
    Operand<TFloat32> heldOutNeuron;
    Operand<TFloat32> cleanNeuron;
    Operand<TInt64> cleanPredictions;
    float[] optimisationNeuron;
    Map<String, Operand<TFloat32>> renderings;
    NeuronObjective neurons;
  }

  static TriggerGraph build(LoadedModel model, InputPreprocessor preprocessor, TriggerApplier applier,
      List<TriggerGroup> groups, SeedImages images, CleanReference clean, ReverseSettings settings) {
    Graph graph = new Graph();
    try {
      Ops tf = TensorFlowRuntime.onDevice(Ops.create(graph), settings.device());
      ModelSpec spec = model.spec();
      int t = groups.size();
      int n = images.count();
      int h = images.height();
      int w = images.width();
      int c = images.channels();
      int labels = spec.numLabels();
      Builder b = new Builder();
      List<Long> seeds = groups.stream().map(g -> g.seed(settings.seed())).toList();
      TriggerBatch batch = applier.declare(tf, new TriggerSpec(h, w, c, t, settings.maxSize(), settings.seed(), seeds));

      Operand<TFloat32> x = tf.constant(Shape.of(n, h, w, c), DataBuffers.of(images.pixels()));
      Operand<TFloat32> tiled = tile(tf, x, t);
      Operand<TFloat32> stamped = batch.apply(tf, tiled);
      Ops opt = tf.withSubScope("optimise");
      // Only the selected (still active) triggers' images go through the model: once triggers settle, each
      // step costs less. Everything below is indexed by selection (A <= T), not by trigger.
      b.selected = tf.withName("selected").placeholder(TInt32.class,
          Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE)));
      Operand<TInt32> axis0 = opt.constant(0);
      Operand<TFloat32> chosen = opt.gather(stamped, b.selected, axis0);
      ModelGraph built = model.build(opt,
          preprocessor.toModelInput(opt, opt.reshape(chosen, opt.constant(new int[] {-1, h, w, c}))), Map.of());

      NeuronObjective neurons = NeuronObjective.build(opt, spec, built, groups, n, clean, b.selected);
      b.neurons = neurons;
      Operand<TFloat32> logits = opt.reshape(built.logits(), opt.constant(new int[] {-1, n, labels}));
      float[] targetOneHot = new float[t * labels];
      long[] targets = new long[t];
      float[] eligible = new float[t * n];
      float[] eligibleCount = new float[t];
      for (int i = 0; i < t; i++) {
        int target = groups.get(i).targetLabel();
        targetOneHot[i * labels + target] = 1f;
        targets[i] = target;
        for (int j = 0; j < n; j++) {
          if (images.labels()[j] != target) {
            eligible[i * n + j] = 1f;
            eligibleCount[i]++;
          }
        }
        eligibleCount[i] = Math.max(1f, eligibleCount[i]);
      }
      Operand<TFloat32> targetMask = opt.gather(
          opt.constant(Shape.of(t, 1, labels), DataBuffers.of(targetOneHot)), b.selected, axis0);
      Operand<TFloat32> targetLogit =
          opt.math.mean(opt.reduceSum(opt.math.mul(logits, targetMask), opt.constant(2)), opt.constant(1));

      b.size = batch.size(tf);
      Operand<TFloat32> sizeRatio =
          opt.math.div(opt.gather(b.size, b.selected, axis0), opt.constant(settings.maxSize()));
      Operand<TFloat32> regularizer = opt.gather(batch.regularizer(tf, tiled, stamped), b.selected, axis0);
      Operand<TFloat32> cost = opt.math.addN(List.of(
          opt.math.mul(neurons.othersTerm(), opt.constant(ReverseSettings.OTHERS_WEIGHT)),
          opt.math.mul(neurons.neuronTerm(), opt.constant(-ReverseSettings.NEURON_WEIGHT)),
          opt.math.mul(sizeRatio, opt.constant(ReverseSettings.SIZE_WEIGHT)),
          opt.math.mul(opt.nn.relu(opt.math.sub(sizeRatio, opt.constant(1f))),
              opt.constant(ReverseSettings.OVERSIZE_WEIGHT)),
          opt.math.mul(targetLogit, opt.constant(-settings.targetLogitWeight() / clean.logitScale())),
          regularizer));
      b.loss = cost;
      b.activation = neurons.activation();

      b.active = tf.withName("active").placeholder(TFloat32.class, Placeholder.shape(Shape.of(t)));
      b.stepSize = tf.withName("step_size").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Operand<TFloat32> total = opt.reduceSum(cost, opt.constant(0));
      b.train = MaskedAdam.minimize(graph, tf, total, batch.variables(), b.active, b.stepSize);
      b.fitToBound = batch.fitToBound(tf).orElse(null);

      Operand<TInt64> targetColumn =
          opt.gather(opt.constant(Shape.of(t, 1), DataBuffers.of(targets)), b.selected, axis0);
      Operand<TFloat32> hits = opt.dtypes.cast(
          opt.math.equal(opt.math.argMax(logits, opt.constant(2)), targetColumn), TFloat32.class);
      Operand<TFloat32> eligibleRows =
          opt.gather(opt.constant(Shape.of(t, n), DataBuffers.of(eligible)), b.selected, axis0);
      Operand<TFloat32> eligibleRowCount = opt.gather(opt.constant(eligibleCount), b.selected, axis0);
      b.flipRate = opt.math.div(opt.reduceSum(opt.math.mul(hits, eligibleRows), opt.constant(1)), eligibleRowCount);
      Operand<TFloat32> targetProbability =
          opt.reduceSum(opt.math.mul(opt.nn.softmax(logits), targetMask), opt.constant(2));
      Operand<TFloat32> confident = opt.dtypes.cast(
          opt.math.greaterEqual(targetProbability, opt.constant(ReverseSettings.CONFIDENT_PROBABILITY)),
          TFloat32.class);
      b.confidentRate =
          opt.math.div(opt.reduceSum(opt.math.mul(confident, eligibleRows), opt.constant(1)), eligibleRowCount);

      Ops eval = tf.withSubScope("evaluate");
      b.heldOut = tf.withName("held_out").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE, h, w, c)));
      b.heldOutStamped = batch.apply(tf, tile(eval, b.heldOut, t));
      ModelGraph evaluated = model.build(eval, preprocessor.toModelInput(eval,
          eval.reshape(b.heldOutStamped, eval.constant(new int[] {-1, h, w, c}))), Map.of());
      b.heldOutPredictions = eval.math.argMax(
          eval.reshape(evaluated.logits(), eval.constant(new int[] {t, -1, labels})), eval.constant(2));
      b.heldOutNeuron = TriggerNeuronActivation.build(eval, spec, evaluated, groups, t);
      Ops asIs = tf.withSubScope("evaluate_clean");
      ModelGraph asItIs = model.build(asIs, preprocessor.toModelInput(asIs, b.heldOut), Map.of());
      b.cleanNeuron = TriggerNeuronActivation.build(asIs, spec, asItIs, groups, 1);
      b.cleanPredictions = asIs.math.argMax(asItIs.logits(), asIs.constant(1));
      b.optimisationNeuron = clean.triggerActivations(spec, groups, n);
      b.renderings = batch.renderings(tf);
      return new TriggerGraph(graph, b, settings.device());
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** [m, H, W, C] to [T, m, H, W, C]: every trigger sees the same images. */
  private static Operand<TFloat32> tile(Ops tf, Operand<TFloat32> images, int triggers) {
    return tf.tile(tf.expandDims(images, tf.constant(0)), tf.constant(new int[] {triggers, 1, 1, 1, 1}));
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}
