package org.abscan.spi.trigger;

/** Whether a trigger lives in pixel space (a patch) or feature space (a transformation of the image). */
public enum TriggerKind {
  /** PIXEL_APPLY of Algorithm 2: x' = x(1 - mask) + pattern * mask. Has a mask size. */
  PIXEL,
  /** FEATURE_APPLY of Algorithm 2: a learned transform of the image and its pooled statistics. */
  FEATURE
}
