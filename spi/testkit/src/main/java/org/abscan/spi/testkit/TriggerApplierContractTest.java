package org.abscan.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.Plugin;
import org.abscan.spi.PluginContext;
import org.abscan.spi.trigger.NeuronCandidate;
import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerApplierFactory;
import org.abscan.spi.trigger.TriggerBatch;
import org.abscan.spi.trigger.TriggerKind;
import org.abscan.spi.trigger.TriggerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The contract every trigger-apply plugin must meet, as the engine relies on it. A plugin's test extends this
 * class and names its factory; the checks build small graphs (8x8 images, 1 and 3 channels) and run them.
 *
 * <p>What the engine relies on: the plugin is found through {@code META-INF/services}; unknown config keys are
 * refused; {@code apply} keeps the [T, n, H, W, C] shape for any n (the engine evaluates held-out images in
 * chunks through a placeholder), keeps values in [0, 1]; size and regularizer are [T]; every op between the
 * variables and the loss has a gradient; renderings are [T, H, W, 1 or 3] in [0, 1]; the seed fixes the
 * initial triggers, each trigger's from its own seed alone; a kind that fits its triggers to the size bound brings those over it back to it and leaves the
 * others exactly as they are.
 */
public abstract class TriggerApplierContractTest {
  private static final int HEIGHT = 8;
  private static final int WIDTH = 8;
  private static final int TRIGGERS = 3;
  private static final int IMAGES = 2;

  /** The factory under test. */
  protected abstract TriggerApplierFactory factory();

  /** The name requests use, e.g. "pixel". */
  protected abstract String expectedName();

  protected abstract TriggerKind expectedKind();

  /** A valid config exercising the plugin's keys (empty if it has none). */
  protected Map<String, String> validConfig() {
    return Map.of();
  }

  /** True if a fresh trigger leaves images unchanged (feature triggers start from the identity). */
  protected boolean identityAtInit() {
    return false;
  }

  /** True if the initial trigger depends on the seed (random initialisation). */
  protected boolean randomInit() {
    return true;
  }

  /** True if the kind's batches offer {@link TriggerBatch#fitToBound} (triggers with an area do). */
  protected boolean fitsToBound() {
    return false;
  }

  /** A context for {@code create}: JDK logging and a temporary scratch directory. */
  protected PluginContext context() {
    return new TestPluginContext(Path.of(System.getProperty("java.io.tmpdir")));
  }

  protected TriggerApplier applier() {
    return factory().create(validConfig(), context());
  }

  @Test
  void nameKindAndDescription() {
    assertEquals(expectedName(), factory().name());
    assertFalse(factory().description().isBlank(), "description");
    assertEquals(expectedKind(), applier().kind());
  }

  @Test
  void discoverableThroughServiceLoader() {
    List<String> names = new ArrayList<>();
    for (Plugin plugin : ServiceLoader.load(Plugin.class)) {
      for (TriggerApplierFactory f : plugin.getTriggerApplierFactories()) {
        names.add(f.name());
      }
    }
    assertTrue(names.contains(expectedName()), "META-INF/services offers " + names);
  }

  @Test
  void unknownConfigKeyIsRejected() {
    Map<String, String> config = new HashMap<>(validConfig());
    config.put("no_such_key", "1");
    AbscanException e = assertThrows(AbscanException.class, () -> factory().create(config, context()));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    assertTrue(e.violations().stream().anyMatch(v -> v.subject().equals("no_such_key")),
        "a violation names the key: " + e.violations());
  }

  @Test
  void groupsCoverEveryCandidateOnce() {
    List<NeuronCandidate> candidates = List.of(
        new NeuronCandidate("conv1", 3, 0, 2f), new NeuronCandidate("conv1", 5, 0, 1f),
        new NeuronCandidate("conv2", 1, 7, 1f), new NeuronCandidate("conv1", 9, 4, 0.5f));
    List<List<Integer>> groups = applier().group(candidates);
    List<Integer> seen = new ArrayList<>();
    groups.forEach(g -> {
      assertFalse(g.isEmpty(), "empty group");
      seen.addAll(g);
    });
    seen.sort(Integer::compare);
    assertEquals(List.of(0, 1, 2, 3), seen);
    for (List<Integer> group : groups) {
      NeuronCandidate first = candidates.get(group.get(0));
      for (int i : group) {
        assertEquals(first.layer(), candidates.get(i).layer(), "a group spans one layer");
        assertEquals(first.targetLabel(), candidates.get(i).targetLabel(), "a group has one target");
      }
    }
  }

  @ParameterizedTest(name = "{0} channel(s)")
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3})
  void shapesRangeAndGradients(int channels) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      TriggerBatch batch = applier().declare(tf, spec(channels, 7L));
      float[] pixels = randomImages(TRIGGERS * IMAGES * HEIGHT * WIDTH * channels, 11L);
      Operand<TFloat32> images = tf.constant(
          Shape.of(TRIGGERS, IMAGES, HEIGHT, WIDTH, channels), DataBuffers.of(pixels));
      Operand<TFloat32> stamped = batch.apply(tf, images);
      Operand<TFloat32> size = batch.size(tf);
      Operand<TFloat32> reg = batch.regularizer(tf, images, stamped);
      assertFalse(batch.variables().isEmpty(), "variables");
      Operand<TFloat32> loss = tf.math.add(tf.math.add(
          tf.reduceSum(stamped, tf.constant(new int[] {0, 1, 2, 3, 4})),
          tf.reduceSum(size, tf.constant(0))), tf.reduceSum(reg, tf.constant(0)));
      Output<?>[] xs = batch.variables().stream().map(v -> v.asOutput()).toArray(Output<?>[]::new);
      Output<?>[] grads = g.addGradients(loss.asOutput(), xs);
      s.initialize();
      Session.Runner runner = s.runner().fetch(stamped).fetch(size).fetch(reg);
      for (Output<?> grad : grads) {
        runner.fetch(grad);
      }
      try (Result r = runner.run()) {
        TFloat32 out = (TFloat32) r.get(0);
        assertArrayEquals(new long[] {TRIGGERS, IMAGES, HEIGHT, WIDTH, channels}, out.shape().asArray());
        assertInUnitRange(out, "stamped images");
        assertArrayEquals(new long[] {TRIGGERS}, r.get(1).shape().asArray(), "size shape");
        assertArrayEquals(new long[] {TRIGGERS}, r.get(2).shape().asArray(), "regularizer shape");
        float[] sizes = values((TFloat32) r.get(1));
        for (float v : sizes) {
          assertTrue(v >= 0f && v <= 1f, "size is an area fraction: " + v);
        }
        for (int i = 0; i < grads.length; i++) {
          assertArrayEquals(xs[i].shape().asArray(), r.get(3 + i).shape().asArray(), "gradient shape");
        }
        if (identityAtInit()) {
          float[] stampedValues = values(out);
          for (int i = 0; i < pixels.length; i++) {
            assertEquals(pixels[i], stampedValues[i], 1e-4f, "a fresh trigger leaves the image unchanged");
          }
        }
      }
    }
  }

  @Test
  void applyAcceptsAnyImageCountThroughAPlaceholder() {
    int channels = 3;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      TriggerBatch batch = applier().declare(tf, spec(channels, 3L));
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(TRIGGERS, Shape.UNKNOWN_SIZE, HEIGHT, WIDTH, channels)));
      Operand<TFloat32> stamped = batch.apply(tf, images);
      s.initialize();
      for (int n : new int[] {1, 5}) {
        float[] pixels = randomImages(TRIGGERS * n * HEIGHT * WIDTH * channels, n);
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(TRIGGERS, n, HEIGHT, WIDTH, channels),
                DataBuffers.of(pixels));
            Result r = s.runner().feed(images, in).fetch(stamped).run()) {
          assertArrayEquals(new long[] {TRIGGERS, n, HEIGHT, WIDTH, channels}, r.get(0).shape().asArray());
          assertInUnitRange((TFloat32) r.get(0), "stamped images");
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} channel(s)")
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3})
  void renderingsArePictures(int channels) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      TriggerBatch batch = applier().declare(tf, spec(channels, 5L));
      Map<String, Operand<TFloat32>> renderings = batch.renderings(tf);
      s.initialize();
      for (Map.Entry<String, Operand<TFloat32>> e : renderings.entrySet()) {
        try (Result r = s.runner().fetch(e.getValue()).run()) {
          long[] shape = r.get(0).shape().asArray();
          assertEquals(4, shape.length, e.getKey());
          assertArrayEquals(new long[] {TRIGGERS, HEIGHT, WIDTH}, Arrays.copyOf(shape, 3), e.getKey());
          assertTrue(shape[3] == 1 || shape[3] == 3, e.getKey() + " has 1 or 3 channels");
          assertInUnitRange((TFloat32) r.get(0), e.getKey());
        }
      }
    }
  }

  @Test
  void fitToBoundBringsTriggersOverTheBoundBackToItAndLeavesTheOthersAlone() {
    int channels = 3;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      TriggerSpec spec = spec(channels, 9L);
      TriggerBatch batch = applier().declare(tf, spec);
      Operand<TFloat32> images = tf.constant(Shape.of(TRIGGERS, IMAGES, HEIGHT, WIDTH, channels),
          DataBuffers.of(randomImages(TRIGGERS * IMAGES * HEIGHT * WIDTH * channels, 2L)));
      Operand<TFloat32> stamped = batch.apply(tf, images);
      Operand<TFloat32> size = batch.size(tf);
      Optional<Op> fit = batch.fitToBound(tf);
      assertEquals(fitsToBound(), fit.isPresent(), "fitToBound offered");
      if (fit.isEmpty()) {
        return;
      }
      // Grow the first two triggers' size (signed gradient steps on their sizes only); the last stays fresh.
      // (plus 0 x the stamped images, so that every variable has a gradient, if only 0)
      Operand<TFloat32> grown = tf.math.add(
          tf.reduceSum(tf.slice(size, tf.constant(new int[] {0}), tf.constant(new int[] {2})), tf.constant(0)),
          tf.math.mul(tf.constant(0f), tf.reduceSum(stamped, tf.constant(new int[] {0, 1, 2, 3, 4}))));
      Output<?>[] xs = batch.variables().stream().map(v -> v.asOutput()).toArray(Output<?>[]::new);
      Output<?>[] grads = g.addGradients(grown.asOutput(), xs);
      List<Op> steps = new ArrayList<>();
      for (int i = 0; i < xs.length; i++) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> grad = (Operand<TFloat32>) grads[i];
        steps.add(tf.assignAdd(batch.variables().get(i), tf.math.sign(grad)));
      }
      s.initialize();
      float[] fresh = fetch(s, size);
      float[] freshStamped = fetch(s, stamped);
      for (float v : fresh) {
        assertTrue(v <= spec.maxSize(), "a fresh trigger is within the bound: " + v);
      }
      run(s, fit.get());
      assertArrayEquals(freshStamped, fetch(s, stamped), "fitting triggers within the bound changes nothing");

      for (int step = 0; step < 5; step++) {
        for (Op op : steps) {
          run(s, op);
        }
      }
      float[] before = fetch(s, size);
      float[] stampedBefore = fetch(s, stamped);
      assertTrue(before[0] > spec.maxSize() && before[1] > spec.maxSize() && before[2] <= spec.maxSize(),
          "the first two triggers grown over the bound, the last one not: " + Arrays.toString(before));
      run(s, fit.get());
      float[] after = fetch(s, size);
      float[] stampedAfter = fetch(s, stamped);
      for (int t = 0; t < 2; t++) {
        assertTrue(after[t] <= spec.maxSize() && after[t] >= 0.9f * spec.maxSize(),
            "trigger " + t + " fitted to the bound " + spec.maxSize() + ": " + before[t] + " -> " + after[t]);
      }
      int perTrigger = IMAGES * HEIGHT * WIDTH * channels;
      for (int i = 2 * perTrigger; i < stampedAfter.length; i++) {
        assertEquals(stampedBefore[i], stampedAfter[i], "the trigger within the bound is left as it was");
      }
      for (float v : stampedAfter) {
        assertTrue(v >= -1e-6f && v <= 1f + 1e-6f, "stamped value outside [0, 1]: " + v);
      }
    }
  }

  private static float[] fetch(Session s, Operand<TFloat32> operand) {
    try (Result r = s.runner().fetch(operand).run()) {
      return values((TFloat32) r.get(0));
    }
  }

  private static void run(Session s, Op op) {
    try (Result r = s.runner().addTarget(op).run()) {
      // assignments only
    }
  }

  @Test
  void seedDeterminesTheInitialTriggers() {
    float[] a = stampedOnce(42L);
    float[] b = stampedOnce(42L);
    assertArrayEquals(a, b, "same seed, same triggers");
    if (randomInit()) {
      float[] c = stampedOnce(43L);
      assertFalse(Arrays.equals(a, c), "another seed, other triggers");
    }
  }

  @Test
  void aTriggersStartDependsOnItsOwnSeedAlone() {
    int per = IMAGES * HEIGHT * WIDTH * 3;
    float[] a = stampedOnce(new TriggerSpec(HEIGHT, WIDTH, 3, TRIGGERS, 0.06f, 1L, List.of(11L, 22L, 33L)));
    float[] b = stampedOnce(new TriggerSpec(HEIGHT, WIDTH, 3, TRIGGERS, 0.06f, 2L, List.of(44L, 22L, 55L)));
    assertArrayEquals(Arrays.copyOfRange(a, per, 2 * per), Arrays.copyOfRange(b, per, 2 * per),
        "trigger 1 has the same seed in both batches: its start must not depend on the other triggers");
    if (randomInit()) {
      assertFalse(Arrays.equals(Arrays.copyOfRange(a, 0, per), Arrays.copyOfRange(b, 0, per)),
          "trigger 0 has another seed: another start");
    }
  }

  private float[] stampedOnce(long seed) {
    return stampedOnce(spec(3, seed));
  }

  /** The batch's triggers applied to the same random images, before any optimisation: [T, n, H, W, C]. */
  private float[] stampedOnce(TriggerSpec spec) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      TriggerBatch batch = applier().declare(tf, spec);
      int channels = spec.channels();
      Operand<TFloat32> images = tf.constant(Shape.of(TRIGGERS, IMAGES, HEIGHT, WIDTH, channels),
          DataBuffers.of(randomImages(TRIGGERS * IMAGES * HEIGHT * WIDTH * channels, 1L)));
      Operand<TFloat32> stamped = batch.apply(tf, images);
      s.initialize();
      try (Result r = s.runner().fetch(stamped).run()) {
        return values((TFloat32) r.get(0));
      }
    }
  }

  private static TriggerSpec spec(int channels, long seed) {
    return new TriggerSpec(HEIGHT, WIDTH, channels, TRIGGERS, 0.06f, seed);
  }

  private static float[] randomImages(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextDouble();
    }
    return out;
  }

  private static float[] values(TFloat32 t) {
    float[] out = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(out);
    return out;
  }

  private static void assertInUnitRange(TFloat32 t, String what) {
    assertNotNull(t, what);
    for (float v : values(t)) {
      assertTrue(v >= -1e-6f && v <= 1f + 1e-6f, what + " value outside [0, 1]: " + v);
    }
  }
}
