package org.abscan.plugin.trigger.filter;

import org.abscan.spi.trigger.TriggerSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Structural similarity (Wang et al. 2004) with 3x3 uniform windows, for images in [0, 1]:
 * SSIM = (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)), averaged over pixels, channels and
 * the n images of each trigger.
 */
final class Ssim {
  private static final float C1 = 0.01f * 0.01f;
  private static final float C2 = 0.03f * 0.03f;

  private Ssim() {}

  /** {@code x}, {@code y}: [T, n, H, W, C]. Returns [T]. */
  static Operand<TFloat32> perTrigger(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y, TriggerSpec spec) {
    int[] flatShape = {-1, spec.height(), spec.width(), spec.channels()};
    Operand<TFloat32> a = tf.reshape(x, tf.constant(flatShape));
    Operand<TFloat32> b = tf.reshape(y, tf.constant(flatShape));
    Operand<TFloat32> muA = Pools.avg3x3(tf, a);
    Operand<TFloat32> muB = Pools.avg3x3(tf, b);
    Operand<TFloat32> muAb = tf.math.mul(muA, muB);
    Operand<TFloat32> muA2 = tf.math.square(muA);
    Operand<TFloat32> muB2 = tf.math.square(muB);
    Operand<TFloat32> varA = tf.math.sub(Pools.avg3x3(tf, tf.math.square(a)), muA2);
    Operand<TFloat32> varB = tf.math.sub(Pools.avg3x3(tf, tf.math.square(b)), muB2);
    Operand<TFloat32> cov = tf.math.sub(Pools.avg3x3(tf, tf.math.mul(a, b)), muAb);
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
}
