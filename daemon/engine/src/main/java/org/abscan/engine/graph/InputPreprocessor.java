package org.abscan.engine.graph;

import java.util.ArrayList;
import java.util.List;
import org.abscan.proto.common.v1.Layout;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.InputSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Turns image-space tensors (NHWC, [0, 1]) into the model's input, in-graph, so triggers and SSIM work on
 * images while the model sees its own range, normalisation and layout:
 * {@code x = ((img * (max - min)) + min - mean[c]) / std[c]}, transposed to NCHW if the model wants it.
 */
public final class InputPreprocessor {
  private final float min;
  private final float max;
  private final float[] mean;
  private final float[] std;
  private final boolean toNchw;

  private InputPreprocessor(float min, float max, float[] mean, float[] std, boolean toNchw) {
    this.min = min;
    this.max = max;
    this.mean = mean;
    this.std = std;
    this.toNchw = toNchw;
  }

  /**
   * Validates {@code preprocessing} against the model input.
   *
   * @throws AbscanException INVALID_ARGUMENT naming each bad field ("preprocessing.mean", ...)
   */
  public static InputPreprocessor create(Preprocessing preprocessing, InputSpec input) {
    List<Violation> violations = new ArrayList<>();
    float min = preprocessing.getInputMin();
    float max = preprocessing.getInputMax();
    if (min == 0f && max == 0f) {
      max = 1f;
    }
    if (!(max > min) || !Float.isFinite(min) || !Float.isFinite(max)) {
      violations.add(new Violation("preprocessing.input_max",
          "input range must satisfy min < max, got [" + min + ", " + max + "]"));
    }
    int channels = input.channels();
    float[] mean = perChannel(preprocessing.getMeanList(), channels, 0f, "preprocessing.mean", violations);
    float[] std = perChannel(preprocessing.getStdList(), channels, 1f, "preprocessing.std", violations);
    for (float s : std) {
      if (!(s > 0f) || !Float.isFinite(s)) {
        violations.add(new Violation("preprocessing.std", "every std must be positive, got " + s));
        break;
      }
    }
    Layout layout = preprocessing.getLayout();
    InputSpec.Layout modelLayout = input.layout();
    if (layout == Layout.LAYOUT_NHWC && modelLayout != InputSpec.Layout.NHWC
        || layout == Layout.LAYOUT_NCHW && modelLayout != InputSpec.Layout.NCHW) {
      violations.add(new Violation("preprocessing.layout",
          "the model's input " + input.name() + " is " + modelLayout + ", not " + layout.name()
              .replace("LAYOUT_", "")));
    }
    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "invalid preprocessing", violations);
    }
    return new InputPreprocessor(min, max, mean, std, modelLayout == InputSpec.Layout.NCHW);
  }

  private static float[] perChannel(
      List<Float> values, int channels, float fallback, String field, List<Violation> violations) {
    float[] out = new float[channels];
    if (values.isEmpty()) {
      java.util.Arrays.fill(out, fallback);
    } else if (values.size() == 1) {
      java.util.Arrays.fill(out, values.get(0));
    } else if (values.size() == channels) {
      for (int i = 0; i < channels; i++) {
        out[i] = values.get(i);
      }
    } else {
      violations.add(new Violation(field, "needs 1 or " + channels + " values (the model has "
          + channels + " input channels), got " + values.size()));
    }
    return out;
  }

  /** Lower and upper end of the model's input range (before mean/std). */
  public float inputMin() {
    return min;
  }

  public float inputMax() {
    return max;
  }

  /** {@code images}: [N, H, W, C] in [0, 1]. Returns the model input in the model's layout. */
  public Operand<TFloat32> toModelInput(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> x = tf.math.add(tf.math.mul(images, tf.constant(max - min)), tf.constant(min));
    boolean identityNorm = true;
    for (int c = 0; c < mean.length; c++) {
      identityNorm &= mean[c] == 0f && std[c] == 1f;
    }
    if (!identityNorm) {
      x = tf.math.div(tf.math.sub(x, tf.constant(mean)), tf.constant(std));
    }
    if (toNchw) {
      x = tf.linalg.transpose(x, tf.constant(new int[] {0, 3, 1, 2}));
    }
    return x;
  }
}
