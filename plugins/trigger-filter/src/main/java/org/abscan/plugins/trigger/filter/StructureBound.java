package org.abscan.plugins.trigger.filter;

import org.abscan.spi.trigger.TriggerSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The size bound of a feature-space trigger. A filter has no area, but it must not be free to rewrite the
 * image either: on our model zoo an unbounded filter that washed digits out to a faint outline on grey turned
 * every seed of a benign MNIST model into an 8 (REASR 1.0, docs/zoo.md). The bound keeps the image's structure:
 * the contrast-structure part of SSIM over the whole image, s = (2 cov(x, x') + C2) / (var x + var x' + C2)
 * per image and channel, averaged per trigger. It leaves out SSIM's luminance term on purpose, because lifting
 * the shadows is what a Nashville-like filter does. An affine change x' = a x + b scores 2a / (1 + a^2): 1 for
 * a = 1, 0.94 for the 0.7 contrast of a Nashville-like filter, 0.75 at a = 0.45 or 2.2 (the contrast stretch of a
 * Gotham-like filter), 0 for a blank image, below 0 for an inverted one.
 *
 * <p>The bound is s >= 0.75. It was 0.5 (contrast 0.27x to 3.7x), and that let a filter thicken MNIST strokes
 * with its max-pool term: a 3x3 dilation keeps s 0.64-0.79 on MNIST test digits (median 0.72), and "more ink"
 * turned the seeds of 12 of the population's benign models into 8s. Instagram-like filters stay well inside:
 * on 40 test images the Nashville-like filter keeps s 0.93-0.97 and the Gotham-like one a median of 0.82 on
 * GTSRB32 (docs/zoo.md, "The filter bound and step").
 *
 * <p>The departure 1 - s is reported on the scale of the pixel triggers' area bound, {@code maxSize * (1 - s)
 * / (1 - MIN_SIMILARITY)}, clamped to [0, 1], so that the engine's size penalty and its bound check apply
 * unchanged: a filter is within the bound exactly when s >= {@link #MIN_SIMILARITY}.
 */
final class StructureBound {
  /** Contrast between 0.45x and 2.2x of the original, structure kept (see the class comment). */
  static final float MIN_SIMILARITY = 0.75f;
  private static final float C2 = 0.03f * 0.03f;

  private StructureBound() {}

  /** {@code x}, {@code y}: [T, n, H, W, C]. Returns [T]: s per trigger. */
  static Operand<TFloat32> similarity(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y) {
    Operand<org.tensorflow.types.TInt32> spatial = tf.constant(new int[] {2, 3});
    Operand<TFloat32> dx = tf.math.sub(x, tf.math.mean(x, spatial, Mean.keepDims(true)));
    Operand<TFloat32> dy = tf.math.sub(y, tf.math.mean(y, spatial, Mean.keepDims(true)));
    Operand<TFloat32> varX = tf.math.mean(tf.math.square(dx), spatial);
    Operand<TFloat32> varY = tf.math.mean(tf.math.square(dy), spatial);
    Operand<TFloat32> cov = tf.math.mean(tf.math.mul(dx, dy), spatial);
    Operand<TFloat32> c2 = tf.constant(C2);
    Operand<TFloat32> s = tf.math.div(tf.math.add(tf.math.mul(tf.constant(2f), cov), c2),
        tf.math.add(tf.math.add(varX, varY), c2));
    return tf.math.mean(s, tf.constant(new int[] {1, 2}));
  }

  /** [T]: the departure from the image's structure on the area bound's scale (see the class comment). */
  static Operand<TFloat32> size(Ops tf, Operand<TFloat32> similarity, TriggerSpec spec) {
    Operand<TFloat32> departure = tf.nn.relu(tf.math.sub(tf.constant(1f), similarity));
    Operand<TFloat32> scaled = tf.math.mul(departure, tf.constant(spec.maxSize() / (1f - MIN_SIMILARITY)));
    return tf.math.minimum(scaled, tf.constant(1f));
  }
}
