package org.abscan.engine.reverse;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.abscan.engine.Cancellation;
import org.abscan.engine.TriggerApplierRegistry;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.TriggerImages;
import org.abscan.proto.scan.v1.TriggerProgress;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerKind;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Algorithm 2 for a batch: every trigger of the batch in one graph ({@link TriggerGraph}), one Adam step for
 * all per iteration, each trigger frozen as soon as it settles ({@link SettleTracker}), the loop ending when all
 * have; then REASR on the held-out images ({@link ReasrEvaluator}), whether each trigger raised its neuron and
 * section 6's presence evidence ({@link FeaturePresenceTally}, {@link TransplantCheck}), and the report's
 * candidates.
 */
public final class TriggerReverseEngineer implements ReverseEngineering {
  private static final Logger LOG = LogManager.getLogger(TriggerReverseEngineer.class);

  /** Stamped images one optimisation step may push through the model (T * n). */
  static final int GRAPH_ROW_BUDGET = 2048;

  private final TriggerApplierRegistry registry;
  private final int graphRowBudget;

  public TriggerReverseEngineer(TriggerApplierRegistry registry) {
    this(registry, GRAPH_ROW_BUDGET);
  }

  /** With a custom {@code graphRowBudget} (stamped images per step), to exercise batch splitting. */
  TriggerReverseEngineer(TriggerApplierRegistry registry, int graphRowBudget) {
    this.registry = registry;
    this.graphRowBudget = graphRowBudget;
  }

  @Override
  public List<Candidate> reverseEngineer(
      ReverseEngineeringJob job, Consumer<TriggerProgress> progress, Cancellation cancellation) {
    JobValidator.validate(job);
    TriggerApplier applier = registry.applier(job.trigger());
    ReverseSettings settings = ReverseSettings.from(job.parameters());
    List<TriggerGroup> groups = groups(job, applier);
    List<String> layers = new ArrayList<>(new LinkedHashSet<>(groups.stream().map(TriggerGroup::layer).toList()));
    cancellation.check();
    long cleanStart = System.nanoTime();
    CleanReference clean = CleanReference.compute(
        job.model(), job.preprocessor(), job.optimisationImages(), layers, settings.device());
    LOG.info("{} clean reference in {} ms", job.trigger(), ms(System.nanoTime() - cleanStart));
    // Normally one graph holds every trigger; only very large batches are split to bound memory.
    int perGraph = Math.max(1, graphRowBudget / job.optimisationImages().count());
    List<Candidate> candidates = new ArrayList<>();
    for (int from = 0; from < groups.size(); from += perGraph) {
      List<TriggerGroup> batch = groups.subList(from, Math.min(groups.size(), from + perGraph));
      candidates.addAll(reverseEngineerBatch(job, applier, batch, clean, settings, progress, cancellation));
    }
    return candidates;
  }

  private static List<Candidate> reverseEngineerBatch(ReverseEngineeringJob job, TriggerApplier applier,
      List<TriggerGroup> groups, CleanReference clean, ReverseSettings settings,
      Consumer<TriggerProgress> progress, Cancellation cancellation) {
    long started = System.nanoTime();
    try (TriggerGraph graph = TriggerGraph.build(job.model(), job.preprocessor(), applier, groups,
        job.optimisationImages(), clean, settings)) {
      long built = System.nanoTime();
      graph.session.initialize();
      long initialised = System.nanoTime();
      Optimised optimised = optimise(graph, groups, settings, job, progress, cancellation);
      long optimisedAt = System.nanoTime();
      ReasrEvaluator.Evaluation evaluation =
          ReasrEvaluator.evaluate(graph, job.heldOutImages(), job.optimisationImages(), groups, cancellation);
      long evaluated = System.nanoTime();
      Map<String, Rendering> renderings = fetchRenderings(graph);
      float[] transplant = renderings.containsKey("mask")
          ? TransplantCheck.reasr(graph, renderings.get("mask").values(), job.heldOutImages(),
              job.optimisationImages(), groups, cancellation)
          : new float[groups.size()];
      LOG.info("{} batch phases ms: build {}, init {}, optimise {} (first step {}), evaluate {}, render+transplant {}",
          job.trigger(), ms(built - started), ms(initialised - built), ms(optimisedAt - initialised),
          ms(optimised.firstStepNanos()), ms(evaluated - optimisedAt), ms(System.nanoTime() - evaluated));
      List<Candidate> candidates = new ArrayList<>();
      for (int t = 0; t < groups.size(); t++) {
        candidates.add(candidate(job, applier.kind(), groups.get(t), t, optimised, evaluation, renderings,
            transplant[t], settings));
      }
      LOG.info("reverse-engineered {} {} trigger(s) in {} ms; steps {}", groups.size(), job.trigger(),
          (System.nanoTime() - started) / 1_000_000, java.util.Arrays.toString(optimised.steps));
      return candidates;
    }
  }

  private static List<TriggerGroup> groups(ReverseEngineeringJob job, TriggerApplier applier) {
    List<List<Integer>> grouping = applier.group(job.candidates());
    List<TriggerGroup> groups = new ArrayList<>();
    for (List<Integer> g : grouping) {
      if (g.isEmpty() || g.stream().anyMatch(i -> i < 0 || i >= job.candidates().size())) {
        throw new AbscanException(ErrorCategory.INTERNAL,
            "trigger " + job.trigger() + " grouped candidates outside the list: " + grouping);
      }
      groups.add(TriggerGroup.of(g, job.candidates()));
    }
    return groups;
  }

  /** State of the triggers when the optimisation ended. */
  private record Optimised(int[] steps, int[] foundAt, float[] size, float[] flipRate, long firstStepNanos) {}

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private static Optimised optimise(TriggerGraph graph, List<TriggerGroup> groups, ReverseSettings settings,
      ReverseEngineeringJob job, Consumer<TriggerProgress> progress, Cancellation cancellation) {
    int t = groups.size();
    String trigger = job.trigger();
    SettleTracker tracker = new SettleTracker(t, settings.maxSize(), ReverseSettings.CONVERGENCE_WINDOW,
        ReverseSettings.CONVERGENCE_TOLERANCE, settings.hopelessBelow(), ReverseSettings.PLATEAU_MIN_STEPS,
        ReverseSettings.CONSOLIDATION_STEPS);
    // A reference trigger (the outlier score's baseline) is a yardstick, not evidence: it gets the steps within
    // which a trigger counts without the slow-trigger bar. Unbounded, these triggers on random neurons ran 184-399
    // steps at partial flip rates in a GTSRB32 scan, a third of its pixel batch (docs/benchmarks.md, "Filter step").
    for (int i = 0; i < t; i++) {
      if (groups.get(i).candidateIndices().stream().allMatch(job::isReference)) {
        tracker.limitSteps(i, settings.referenceSteps());
      }
    }
    long firstStep = 0;
    float[][] last = new float[3][t]; // loss, activation, size of each trigger's latest step
    float[] flipsByFirstWindow = null;
    for (int step = 1; step <= settings.maxSteps() && tracker.activeCount() > 0; step++) {
      cancellation.check();
      long stepStart = System.nanoTime();
      float[] flags = tracker.activeFlags();
      int[] selected = indicesOf(flags);
      Session.Runner runner = graph.session.runner();
      List<Tensor> layerFeeds = graph.feedLayers(runner, selected, groups);
      try (TFloat32 active = Tensors.vector(flags);
          TInt32 selection = TInt32.vectorOf(selected);
          TFloat32 stepSize = TFloat32.scalarOf(MaskedAdam.stepSize(settings.learningRate(), step));
          Result r = runner.feed(graph.active, active).feed(graph.selected, selection)
              .feed(graph.stepSize, stepSize).addTarget(graph.train).fetch(graph.loss).fetch(graph.activation)
              .fetch(graph.size).fetch(graph.flipRate).fetch(graph.confidentRate).run()) {
        float[] loss = spread(Tensors.floats((TFloat32) r.get(0)), selected, t);
        float[] activation = spread(Tensors.floats((TFloat32) r.get(1)), selected, t);
        float[] size = Tensors.floats((TFloat32) r.get(2));
        float[] flips = spread(Tensors.floats((TFloat32) r.get(3)), selected, t);
        float[] confident = spread(Tensors.floats((TFloat32) r.get(4)), selected, t);
        tracker.record(step, loss, size, flips, confident);
        if (step == ReverseSettings.CONVERGENCE_WINDOW) {
          flipsByFirstWindow = tracker.bestFlips();
        }
        if (step == 1) {
          firstStep = System.nanoTime() - stepStart;
        }
        for (int i : selected) {
          last[0][i] = loss[i];
          last[1][i] = activation[i];
          last[2][i] = size[i];
        }
        if (step % ReverseSettings.PROGRESS_EVERY == 0) {
          for (int i : selected) {
            progress.accept(progressOf(groups.get(i), trigger, step, settings, last, i, tracker.activeCount()));
          }
        }
      } finally {
        layerFeeds.forEach(Tensor::close);
      }
    }
    cancellation.check();
    LOG.info("{} best flip rates by step {}: {}", trigger, ReverseSettings.CONVERGENCE_WINDOW,
        java.util.Arrays.toString(flipsByFirstWindow != null ? flipsByFirstWindow : tracker.bestFlips()));
    // One closing event per trigger, settled early or not, so that a client sees every trigger's final state
    // (and when the batch's optimisation ended) whichever trigger happened to settle last.
    int[] finalSteps = tracker.steps();
    for (int i = 0; i < t; i++) {
      progress.accept(progressOf(groups.get(i), trigger, finalSteps[i], settings, last, i, 0));
    }
    fitToBound(graph, settings, trigger);
    // The loop's fetches precede each step's update: measure the final triggers, all of them, once more.
    int[] all = IntStream.range(0, t).toArray();
    try (TInt32 selection = TInt32.vectorOf(all);
        Result r = graph.session.runner().feed(graph.selected, selection).fetch(graph.size)
            .fetch(graph.flipRate).run()) {
      return new Optimised(tracker.steps(), tracker.foundAt(), Tensors.floats((TFloat32) r.get(0)),
          Tensors.floats((TFloat32) r.get(1)), firstStep);
    }
  }

  /**
   * Moves the triggers the size penalty left over the bound back onto it (the kind's projection, when it has
   * one), so that they are measured as triggers that count rather than discarded for a few pixels.
   */
  private static void fitToBound(TriggerGraph graph, ReverseSettings settings, String trigger) {
    if (graph.fitToBound == null) {
      return;
    }
    float[] before;
    try (Result r = graph.session.runner().fetch(graph.size).run()) {
      before = Tensors.floats((TFloat32) r.get(0));
    }
    try (Result r = graph.session.runner().addTarget(graph.fitToBound).run()) {
      // the op assigns the trigger variables; nothing to fetch
    }
    long over = IntStream.range(0, before.length).filter(i -> before[i] > settings.maxSize()).count();
    if (over > 0) {
      LOG.info("{}: fitted {} of {} trigger(s) over the size bound {} back onto it (sizes before: {})", trigger,
          over, before.length, settings.maxSize(), java.util.Arrays.toString(before));
    }
  }

  private static TriggerProgress progressOf(TriggerGroup group, String trigger, int step, ReverseSettings settings,
      float[][] last, int i, int active) {
    return TriggerProgress.newBuilder().setCandidateIndex(group.firstCandidate()).setTrigger(trigger)
        .setStep(step).setMaxSteps(settings.maxSteps()).setLoss(last[0][i]).setNeuronActivation(last[1][i])
        .setMaskSize(last[2][i]).setActive(active).build();
  }

  private static int[] indicesOf(float[] flags) {
    return IntStream.range(0, flags.length).filter(i -> flags[i] > 0f).toArray();
  }

  /** Values of the selected triggers, placed at their trigger indices in a [T] array (NaN elsewhere). */
  private static float[] spread(float[] values, int[] selected, int triggers) {
    float[] out = new float[triggers];
    java.util.Arrays.fill(out, Float.NaN);
    for (int k = 0; k < selected.length; k++) {
      out[selected[k]] = values[k];
    }
    return out;
  }

  /** A [T, H, W, C'] picture of every trigger, copied out of the graph. */
  private record Rendering(float[] values, int channels) {
    ByteString png(int trigger, int height, int width) {
      return TriggerPictures.png(values, trigger * height * width * channels, height, width, channels);
    }
  }

  private static Map<String, Rendering> fetchRenderings(TriggerGraph graph) {
    Map<String, Rendering> out = new HashMap<>();
    for (Map.Entry<String, Operand<TFloat32>> e : graph.renderings.entrySet()) {
      try (Result r = graph.session.runner().fetch(e.getValue()).run()) {
        TFloat32 tensor = (TFloat32) r.get(0);
        out.put(e.getKey(), new Rendering(Tensors.floats(tensor), (int) tensor.shape().size(3)));
      }
    }
    return out;
  }

  private static Candidate candidate(ReverseEngineeringJob job, TriggerKind kind, TriggerGroup group, int t,
      Optimised optimised, ReasrEvaluator.Evaluation evaluation, Map<String, Rendering> renderings,
      float transplant, ReverseSettings settings) {
    int h = job.optimisationImages().height();
    int w = job.optimisationImages().width();
    TriggerImages.Builder images = TriggerImages.newBuilder();
    if (renderings.containsKey("mask")) {
      images.setMaskPng(renderings.get("mask").png(t, h, w));
    }
    if (renderings.containsKey("pattern")) {
      images.setPatternPng(renderings.get("pattern").png(t, h, w));
    }
    if (t < evaluation.stamped().size()) {
      images.addAllStampedPng(evaluation.stamped().get(t));
    }
    Candidate.Builder c = Candidate.newBuilder()
        .setLayer(group.layer())
        .setNeuron(group.neurons()[0])
        .setTargetLabel(group.targetLabel())
        .setElevationScore(group.score())
        .setReasr(evaluation.reasr()[t])
        .setReasrTrain(optimised.flipRate()[t])
        .setTrigger(job.trigger())
        .setTriggerKind(kind == TriggerKind.PIXEL ? "pixel" : "feature")
        .setMaskSize(optimised.size()[t])
        .setWithinSizeBound(optimised.size()[t] <= settings.maxSize())
        .setSteps(optimised.steps()[t])
        .setFoundAtStep(optimised.foundAt()[t])
        .setRaisesNeuron(FeaturePresenceTally.raisesNeuron(evaluation.presence().get(t), settings.minNeuronLift()))
        .setFeaturePresence(evaluation.presence().get(t).toBuilder().setTransplantReasr(transplant))
        .setImages(images);
    for (int n : group.neurons()) {
      c.addNeurons(n);
    }
    return c.build();
  }

}
