package org.abscan.plugins.trigger.pixel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.abscan.spi.trigger.TriggerBatch;
import org.abscan.spi.trigger.TriggerSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;

/**
 * T masks [T, H, W, 1] and patterns [T, H, W, C], each the tanh of an unbounded variable squashed into [0, 1]:
 * Adam can move the variables freely while the stamped image never leaves the image range.
 */
public final class PixelTriggerBatch implements TriggerBatch {
  /** Keeps the initial pattern away from tanh's flat tails, where gradients vanish. */
  private static final float PATTERN_MARGIN = 0.05f;
  /**
   * A fitted mask aims this share of the bound, so that float rounding in the fit and in the engine's own size
   * measurement cannot leave it a hair over.
   */
  static final float FIT_MARGIN = 0.999f;
  /** A fitted mask's zeros are stored as this much above 0: the tanh parametrisation cannot reach 0 itself. */
  private static final float FIT_FLOOR = 1e-6f;

  private final int triggers;
  private final int height;
  private final int width;
  private final float maxSize;
  private final Variable<TFloat32> maskVar;
  private final Variable<TFloat32> patternVar;
  private Operand<TFloat32> mask;
  private Operand<TFloat32> pattern;

  private PixelTriggerBatch(TriggerSpec spec, Variable<TFloat32> maskVar, Variable<TFloat32> patternVar) {
    this.triggers = spec.triggers();
    this.height = spec.height();
    this.width = spec.width();
    this.maxSize = spec.maxSize();
    this.maskVar = maskVar;
    this.patternVar = patternVar;
  }

  /**
   * Declares the variables. The mask starts as small noise around {@code maskInit * maxSize} (inside the size
   * bound); the pattern starts uniform random. Each trigger's start comes from its own seed
   * ({@code spec.seed(i)}) through a JDK generator: a seed gives the same trigger on every platform, and in every
   * batch, whatever the other triggers are.
   */
  public static PixelTriggerBatch declare(Ops tf, TriggerSpec spec, PixelTriggerConfig config) {
    int t = spec.triggers();
    int area = spec.height() * spec.width();
    int colours = area * spec.channels();
    float meanMask = Math.min(0.5f, Math.max(1e-3f, config.maskInit() * spec.maxSize()));
    float[] mask = new float[t * area];
    float[] pattern = new float[t * colours];
    for (int trigger = 0; trigger < t; trigger++) {
      SplittableRandom random = new SplittableRandom(spec.seed(trigger));
      for (int i = trigger * area; i < (trigger + 1) * area; i++) {
        float m = meanMask * (float) (0.5 + random.nextDouble());
        mask[i] = atanhOfUnit(m);
      }
      for (int i = trigger * colours; i < (trigger + 1) * colours; i++) {
        float p = PATTERN_MARGIN + (1f - 2f * PATTERN_MARGIN) * (float) random.nextDouble();
        pattern[i] = atanhOfUnit(p);
      }
    }
    Ops scope = tf.withSubScope("pixel_trigger");
    Variable<TFloat32> maskVar = scope.withName("mask").variable(scope.constant(
        Shape.of(t, spec.height(), spec.width(), 1), DataBuffers.of(mask)));
    Variable<TFloat32> patternVar = scope.withName("pattern").variable(scope.constant(
        Shape.of(t, spec.height(), spec.width(), spec.channels()), DataBuffers.of(pattern)));
    return new PixelTriggerBatch(spec, maskVar, patternVar);
  }

  /** The inverse of v -> tanh(v) / 2 + 0.5. */
  static float atanhOfUnit(float unit) {
    double y = 2.0 * unit - 1.0;
    return (float) (0.5 * Math.log((1 + y) / (1 - y)));
  }

  private static Operand<TFloat32> squash(Ops tf, Operand<TFloat32> v) {
    return tf.math.add(tf.math.mul(tf.math.tanh(v), tf.constant(0.5f)), tf.constant(0.5f));
  }

  /** [T, H, W, 1] in [0, 1]. Built once: apply, size and renderings share it. */
  public synchronized Operand<TFloat32> mask(Ops tf) {
    if (mask == null) {
      mask = squash(tf, maskVar);
    }
    return mask;
  }

  /** [T, H, W, C] in [0, 1]. */
  public synchronized Operand<TFloat32> pattern(Ops tf) {
    if (pattern == null) {
      pattern = squash(tf, patternVar);
    }
    return pattern;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> mask = tf.expandDims(mask(tf), tf.constant(1));
    Operand<TFloat32> pattern = tf.expandDims(pattern(tf), tf.constant(1));
    // x (1 - m) + p m, written as x + m (p - x): one product fewer per pixel.
    return tf.math.add(images, tf.math.mul(mask, tf.math.sub(pattern, images)));
  }

  @Override
  public Operand<TFloat32> size(Ops tf) {
    return tf.math.mean(mask(tf), tf.constant(new int[] {1, 2, 3}));
  }

  @Override
  public Operand<TFloat32> regularizer(Ops tf, Operand<TFloat32> images, Operand<TFloat32> stamped) {
    return tf.zeros(tf.constant(new int[] {triggers}), TFloat32.class);
  }

  /**
   * The Euclidean projection of each mask over the bound onto {mask in [0, 1], mean(mask) <= bound}: one
   * threshold tau per mask, subtracted from every pixel and clipped at 0, with tau chosen so that the mask's sum
   * is the budget (the sort-based projection onto the simplex; the mask's values are at most 1 already, so the
   * upper clip never binds). The brightest pixels of the trigger keep most of their weight and faint ones go,
   * which is what the size penalty was pushing towards. Masks within the bound are written back unchanged (the
   * update is multiplied by 0 for them).
   */
  @Override
  public Optional<Op> fitToBound(Ops tf) {
    Ops fit = tf.withSubScope("pixel_trigger_fit");
    int area = height * width;
    float budget = maxSize * area * FIT_MARGIN;
    Operand<TFloat32> flat = fit.reshape(mask(tf), fit.constant(new int[] {triggers, area}));
    Operand<TFloat32> sorted = fit.nn.topK(flat, fit.constant(area),
        new TopK.Options[] {TopK.sorted(true)}).values();
    Operand<TFloat32> cumulative = fit.math.cumsum(sorted, fit.constant(1));
    float[] ranks = new float[area];
    for (int j = 0; j < area; j++) {
      ranks[j] = j + 1;
    }
    // A sorted pixel stays in the support while it is above the threshold the pixels before it imply; that
    // holds for a prefix of the sorted pixels, so counting them gives the support's size.
    Operand<TFloat32> inSupport = fit.dtypes.cast(fit.math.greater(sorted, fit.math.div(
        fit.math.sub(cumulative, fit.constant(budget)), fit.constant(ranks))), TFloat32.class);
    Operand<TFloat32> supportSize = fit.reduceSum(inSupport, fit.constant(1));
    Operand<TFloat32> supportSum = fit.reduceSum(fit.math.mul(sorted, inSupport), fit.constant(1));
    Operand<TFloat32> tau = fit.nn.relu(fit.math.div(fit.math.sub(supportSum, fit.constant(budget)),
        fit.math.maximum(supportSize, fit.constant(1f))));
    Operand<TFloat32> fitted = fit.nn.relu(fit.math.sub(mask(tf),
        fit.reshape(tau, fit.constant(new int[] {triggers, 1, 1, 1}))));
    // Back through v -> tanh(v) / 2 + 0.5, kept off tanh's asymptotes.
    Operand<TFloat32> fittedVar = fit.math.atanh(fit.clipByValue(
        fit.math.sub(fit.math.mul(fitted, fit.constant(2f)), fit.constant(1f)),
        fit.constant(-1f + 2f * FIT_FLOOR), fit.constant(1f - 2f * FIT_FLOOR)));
    Operand<TFloat32> over = fit.reshape(
        fit.dtypes.cast(fit.math.greater(size(tf), fit.constant(maxSize)), TFloat32.class),
        fit.constant(new int[] {triggers, 1, 1, 1}));
    return Optional.of(fit.assign(maskVar,
        fit.math.add(maskVar, fit.math.mul(over, fit.math.sub(fittedVar, maskVar)))));
  }

  @Override
  public List<Variable<TFloat32>> variables() {
    return List.of(maskVar, patternVar);
  }

  @Override
  public Map<String, Operand<TFloat32>> renderings(Ops tf) {
    return Map.of("mask", mask(tf), "pattern", pattern(tf));
  }
}
