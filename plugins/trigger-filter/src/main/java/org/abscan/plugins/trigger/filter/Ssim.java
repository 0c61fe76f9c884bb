package org.abscan.plugins.trigger.filter;

import org.abscan.spi.trigger.TriggerSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Structural similarity (Wang et al. 2004) with 3x3 uniform windows (VALID: windows inside the image), for
 * images in [0, 1]: SSIM = (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)), averaged over
 * windows, channels and the n images of each trigger.
 *
 * <p>The luminance factor stays, although the size bound ({@link StructureBound}) leaves it out: on MNIST's black
 * backgrounds it is about C1 / μy², so it keeps a filter trigger from greying the background. Without it a
 * diagnostic rescan found the Nashville-like trojan it misses, but flagged 3 more of 32 benign LeNet models through
 * filters towards 8 (docs/zoo.md, "Slow triggers").
 *
 * <p>The window means are sums of shifted slices ({@link #mean3x3}), not average pooling (TensorFlow's CPU gradient
 * of AvgPool made SSIM six times the cost of the filter itself) nor a 3x3 convolution with channels folded into the
 * batch (a third of a GTSRB32 filter step, fold and gradient included; docs/benchmarks.md, "Filter step").
 */
final class Ssim {
  private static final float C1 = 0.01f * 0.01f;
  private static final float C2 = 0.03f * 0.03f;

  private Ssim() {}

  /** {@code x}, {@code y}: [T, n, H, W, C]. Returns [T]. */
  static Operand<TFloat32> perTrigger(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y, TriggerSpec spec) {
    Operand<TFloat32> a = fold(tf, x, spec);
    Operand<TFloat32> b = fold(tf, y, spec);
    int h = spec.height();
    int w = spec.width();
    Operand<TFloat32> muA = mean3x3(tf, a, h, w);
    Operand<TFloat32> muB = mean3x3(tf, b, h, w);
    Operand<TFloat32> muAb = tf.math.mul(muA, muB);
    Operand<TFloat32> muA2 = tf.math.square(muA);
    Operand<TFloat32> muB2 = tf.math.square(muB);
    Operand<TFloat32> varA = tf.math.sub(mean3x3(tf, tf.math.square(a), h, w), muA2);
    Operand<TFloat32> varB = tf.math.sub(mean3x3(tf, tf.math.square(b), h, w), muB2);
    Operand<TFloat32> cov = tf.math.sub(mean3x3(tf, tf.math.mul(a, b), h, w), muAb);
    Operand<TFloat32> c1 = tf.constant(C1);
    Operand<TFloat32> c2 = tf.constant(C2);
    Operand<TFloat32> two = tf.constant(2f);
    Operand<TFloat32> numerator = tf.math.mul(
        tf.math.add(tf.math.mul(two, muAb), c1), tf.math.add(tf.math.mul(two, cov), c2));
    Operand<TFloat32> denominator = tf.math.mul(
        tf.math.add(tf.math.add(muA2, muB2), c1), tf.math.add(tf.math.add(varA, varB), c2));
    Operand<TFloat32> map = tf.math.div(numerator, denominator);
    Operand<TFloat32> perTrigger = tf.reshape(map, tf.constant(new int[] {spec.triggers(), -1}));
    return tf.math.mean(perTrigger, tf.constant(1));
  }

  /** [T, n, H, W, C] to [T*n, H, W, C]: the window sums below work per channel as they are. */
  private static Operand<TFloat32> fold(Ops tf, Operand<TFloat32> images, TriggerSpec spec) {
    return tf.reshape(images, tf.constant(new int[] {-1, spec.height(), spec.width(), spec.channels()}));
  }

  /**
   * 3x3 VALID window means of [N, H, W, C] images, per channel, as sums of shifted slices along W and then along
   * H: memory-bound adds with cheap gradients. The 3x3 convolution this replaces, on channels folded into the batch
   * (one input and one output channel), made SSIM most of a filter step's own cost (docs/benchmarks.md).
   */
  private static Operand<TFloat32> mean3x3(Ops tf, Operand<TFloat32> folded, int height, int width) {
    Operand<TFloat32> rows = sumOfThree(tf, folded, 2, width);
    return tf.math.mul(sumOfThree(tf, rows, 1, height), tf.constant(1f / 9f));
  }

  /** x[.., i] + x[.., i + 1] + x[.., i + 2] along {@code axis} of a rank-4 tensor {@code length} long there. */
  private static Operand<TFloat32> sumOfThree(Ops tf, Operand<TFloat32> x, int axis, int length) {
    int[] size = {-1, -1, -1, -1};
    size[axis] = length - 2;
    Operand<TFloat32> sum = null;
    for (int shift = 0; shift < 3; shift++) {
      int[] begin = new int[4];
      begin[axis] = shift;
      Operand<TFloat32> part = tf.slice(x, tf.constant(begin), tf.constant(size));
      sum = sum == null ? part : tf.math.add(sum, part);
    }
    return sum;
  }
}
