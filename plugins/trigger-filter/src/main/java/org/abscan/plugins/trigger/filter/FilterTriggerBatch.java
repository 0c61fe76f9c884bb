package org.abscan.plugins.trigger.filter;

import java.util.List;
import java.util.Map;
import org.abscan.spi.trigger.TriggerBatch;
import org.abscan.spi.trigger.TriggerSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * FEATURE_APPLY: x' = clip([x, maxpool(x), minpool(x), avgpool(x)] · M_t + b_t) per pixel, with 3x3 SAME pools
 * of stride 1, M_t of shape [4C, C] and b_t of [C] for trigger t. M starts as the identity on the x part and
 * b at zero, so a fresh trigger is the identity filter and the optimisation departs from the clean image.
 *
 * <p>The optimised variables are the departures from the identity, scaled: M = I + {@link #STEP_SCALE} · D and
 * b = {@link #STEP_SCALE} · e. Adam moves every variable by about the learning rate per step whatever its
 * gradient. At the engine's 0.1 on all 4C x C entries of M unscaled, the first two steps took GTSRB32 images to
 * structure similarity 0.5: a trigger either flipped every image at step 2 with the bound's whole allowance
 * spent, or overshot the bound and stalled there (docs/zoo.md, "The filter bound and step"). At a tenth of that the
 * optimisation can stop where a filter first flips the images, which measures how far the model's trigger is
 * from the identity rather than where the bound lies.
 */
public final class FilterTriggerBatch implements TriggerBatch {
  private static final int FEATURE_GROUPS = 4;
  /** How far one unit of an optimised variable moves the filter (see the class comment). */
  static final float STEP_SCALE = 0.1f;

  private final TriggerSpec spec;
  private final float ssimWeight;
  private final Variable<TFloat32> matrixDeparture;
  private final Variable<TFloat32> biasDeparture;
  /** [T] the structure bound's size, measured on the first images stamped (the optimisation images). */
  private Operand<TFloat32> size;

  private FilterTriggerBatch(TriggerSpec spec, float ssimWeight, Variable<TFloat32> matrixDeparture,
      Variable<TFloat32> biasDeparture) {
    this.spec = spec;
    this.ssimWeight = ssimWeight;
    this.matrixDeparture = matrixDeparture;
    this.biasDeparture = biasDeparture;
  }

  /**
   * The identity start is deterministic, so the seed has nothing to choose; it is accepted for the contract.
   */
  public static FilterTriggerBatch declare(Ops tf, TriggerSpec spec, float ssimWeight) {
    int t = spec.triggers();
    int c = spec.channels();
    Ops scope = tf.withSubScope("filter_trigger");
    Variable<TFloat32> matrix = scope.withName("matrix_departure").variable(
        scope.zeros(scope.constant(new int[] {t, FEATURE_GROUPS * c, c}), TFloat32.class));
    Variable<TFloat32> bias = scope.withName("bias_departure").variable(
        scope.zeros(scope.constant(new int[] {t, c}), TFloat32.class));
    return new FilterTriggerBatch(spec, ssimWeight, matrix, bias);
  }

  /** [T, 4C, C]: the identity on the image's own channels, as a constant. */
  private Operand<TFloat32> identity(Ops tf) {
    int t = spec.triggers();
    int c = spec.channels();
    int features = FEATURE_GROUPS * c;
    float[] m = new float[t * features * c];
    for (int i = 0; i < t; i++) {
      for (int ch = 0; ch < c; ch++) {
        m[(i * features + ch) * c + ch] = 1f;
      }
    }
    return tf.constant(Shape.of(t, features, c), DataBuffers.of(m));
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> images) {
    int h = spec.height();
    int w = spec.width();
    int c = spec.channels();
    int t = spec.triggers();
    Operand<TFloat32> flat = tf.reshape(images, tf.constant(new int[] {-1, h, w, c}));
    Operand<TFloat32> max = Pools.max3x3(tf, flat);
    Operand<TFloat32> min = tf.math.neg(Pools.max3x3(tf, tf.math.neg(flat)));
    Operand<TFloat32> avg = Pools.avg3x3(tf, flat);
    Operand<TFloat32> features = tf.concat(List.of(flat, max, min, avg), tf.constant(3));
    // A per-trigger matrix product per pixel: [T, n*H*W, 4C] x [T, 4C, C], one batched matrix multiplication.
    Operand<TFloat32> f3 = tf.reshape(features, tf.constant(new int[] {t, -1, FEATURE_GROUPS * c}));
    Operand<TFloat32> scale = tf.constant(STEP_SCALE);
    Operand<TFloat32> matrix = tf.math.add(identity(tf), tf.math.mul(matrixDeparture, scale));
    Operand<TFloat32> mixed = tf.reshape(tf.train.batchMatMul(f3, matrix, TFloat32.class),
        tf.constant(new int[] {t, -1, h, w, c}));
    Operand<TFloat32> bias = tf.math.mul(biasDeparture, scale);
    Operand<TFloat32> shifted = tf.math.add(mixed, tf.reshape(bias, tf.constant(new int[] {t, 1, 1, 1, c})));
    Operand<TFloat32> stamped = tf.math.minimum(tf.math.maximum(shifted, tf.constant(0f)), tf.constant(1f));
    if (size == null) {
      Operand<TFloat32> five = tf.reshape(images, tf.constant(new int[] {t, -1, h, w, c}));
      size = StructureBound.size(tf, StructureBound.similarity(tf, five, stamped), spec);
    }
    return stamped;
  }

  /**
   * A filter has no area: its size is how far it departs from the image's structure, on the area bound's
   * scale ({@link StructureBound}), so the engine bounds and penalises it like a pixel mask. Zeros before any
   * image was stamped.
   */
  @Override
  public Operand<TFloat32> size(Ops tf) {
    return size != null ? size : tf.zeros(tf.constant(new int[] {spec.triggers()}), TFloat32.class);
  }

  /** -w · SSIM(x, x'), per trigger: a filter may change the image's look, not its structure. */
  @Override
  public Operand<TFloat32> regularizer(Ops tf, Operand<TFloat32> images, Operand<TFloat32> stamped) {
    Operand<TFloat32> ssim = Ssim.perTrigger(tf, images, stamped, spec);
    return tf.math.mul(ssim, tf.constant(-ssimWeight));
  }

  @Override
  public List<Variable<TFloat32>> variables() {
    return List.of(matrixDeparture, biasDeparture);
  }

  /** None: a filter has no picture of its own; the engine shows stamped images. */
  @Override
  public Map<String, Operand<TFloat32>> renderings(Ops tf) {
    return Map.of();
  }
}
