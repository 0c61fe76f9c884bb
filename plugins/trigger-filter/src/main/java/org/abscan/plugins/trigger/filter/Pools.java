package org.abscan.plugins.trigger.filter;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** 3x3 stride-1 SAME pooling of NHWC images, the neighbourhood statistics of FEATURE_APPLY and SSIM. */
final class Pools {
  private static final List<Long> WINDOW = List.of(1L, 3L, 3L, 1L);
  private static final List<Long> STRIDES = List.of(1L, 1L, 1L, 1L);

  private Pools() {}

  static Operand<TFloat32> max3x3(Ops tf, Operand<TFloat32> x) {
    return tf.nn.maxPool(x, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 1, 1, 1}), "SAME");
  }

  /** SAME average pooling counts only the pixels inside the image, so borders are not darkened. */
  static Operand<TFloat32> avg3x3(Ops tf, Operand<TFloat32> x) {
    return tf.nn.avgPool(x, WINDOW, STRIDES, "SAME");
  }
}
