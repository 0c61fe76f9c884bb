package org.abscan.spi.trigger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The variables of T independent triggers and how they act on images. All images are in image space: NHWC,
 * values in [0, 1]; the engine converts to the model's input range and layout afterwards.
 */
public interface TriggerBatch {
  /**
   * Stamps images with the triggers.
   *
   * @param images shape [T, n, H, W, C]: the n images to stamp with each of the T triggers
   * @return the stamped images, same shape, values in [0, 1]
   */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> images);

  /**
   * Shape [T]: each trigger's area as a fraction of the image; zeros for triggers that have no area. A
   * feature-space trigger may instead report how far it departs from the image on the same scale (within the
   * bound exactly when it is at most {@link TriggerSpec#maxSize()}), so that the engine bounds it too.
   */
  Operand<TFloat32> size(Ops tf);

  /**
   * Shape [T]: loss terms of this trigger kind, to be added to the engine's (e.g. -SSIM(x, x') for feature
   * triggers). Zeros if the kind adds none.
   *
   * @param images the [T, n, H, W, C] images given to {@link #apply}
   * @param stamped what {@link #apply} returned for them
   */
  Operand<TFloat32> regularizer(Ops tf, Operand<TFloat32> images, Operand<TFloat32> stamped);

  /**
   * An op that moves every trigger whose {@link #size} is over {@link TriggerSpec#maxSize()} back within it, by
   * the kind's nearest such trigger, and leaves every other trigger exactly as it is. The engine runs it once,
   * after the optimisation and before it measures the triggers: the size term of the loss is a penalty, which
   * leaves some triggers a little over the bound, and the bound is what makes a trigger count. Empty (the
   * default) for kinds that have no such projection; their triggers over the bound do not count.
   */
  default Optional<Op> fitToBound(Ops tf) {
    return Optional.empty();
  }

  /** The variables the engine optimises. */
  List<Variable<TFloat32>> variables();

  /**
   * Pictures of the triggers for reports: name ("mask", "pattern") to a [T, H, W, C'] tensor in [0, 1] with C'
   * of 1 or 3. May be empty (a filter has no picture of its own; the engine shows stamped images).
   */
  Map<String, Operand<TFloat32>> renderings(Ops tf);
}
