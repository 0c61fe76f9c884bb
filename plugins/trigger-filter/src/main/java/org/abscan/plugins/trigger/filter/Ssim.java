package org.abscan.plugins.trigger.filter;

import java.util.List;
import org.abscan.spi.trigger.TriggerSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
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
 * <p>The window means are a 3x3 convolution of the images with channels folded into the batch, not average
 * pooling: TensorFlow's CPU gradient of AvgPool made SSIM six times the cost of the filter itself, while the
 * convolution's gradient is one of its fastest kernels.
 */
final class Ssim {
  private static final float C1 = 0.01f * 0.01f;
  private static final float C2 = 0.03f * 0.03f;

  private Ssim() {}

  /** {@code x}, {@code y}: [T, n, H, W, C]. Returns [T]. */
  static Operand<TFloat32> perTrigger(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y, TriggerSpec spec) {
    Operand<TFloat32> a = fold(tf, x, spec);
    Operand<TFloat32> b = fold(tf, y, spec);
    Operand<TFloat32> box = tf.constant(Shape.of(3, 3, 1, 1), DataBuffers.of(ninths()));
    Operand<TFloat32> muA = mean3x3(tf, a, box);
    Operand<TFloat32> muB = mean3x3(tf, b, box);
    Operand<TFloat32> muAb = tf.math.mul(muA, muB);
    Operand<TFloat32> muA2 = tf.math.square(muA);
    Operand<TFloat32> muB2 = tf.math.square(muB);
    Operand<TFloat32> varA = tf.math.sub(mean3x3(tf, tf.math.square(a), box), muA2);
    Operand<TFloat32> varB = tf.math.sub(mean3x3(tf, tf.math.square(b), box), muB2);
    Operand<TFloat32> cov = tf.math.sub(mean3x3(tf, tf.math.mul(a, b), box), muAb);
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

  /** [T, n, H, W, C] to [T*n*C, H, W, 1]: every channel an image of its own, in trigger-major order. */
  private static Operand<TFloat32> fold(Ops tf, Operand<TFloat32> images, TriggerSpec spec) {
    Operand<TFloat32> channelsFirst = tf.linalg.transpose(images, tf.constant(new int[] {0, 1, 4, 2, 3}));
    return tf.reshape(channelsFirst, tf.constant(new int[] {-1, spec.height(), spec.width(), 1}));
  }

  private static Operand<TFloat32> mean3x3(Ops tf, Operand<TFloat32> folded, Operand<TFloat32> box) {
    return tf.nn.conv2d(folded, box, List.of(1L, 1L, 1L, 1L), "VALID");
  }

  private static float[] ninths() {
    float[] k = new float[9];
    java.util.Arrays.fill(k, 1f / 9f);
    return k;
  }
}
