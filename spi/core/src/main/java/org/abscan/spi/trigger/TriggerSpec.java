package org.abscan.spi.trigger;

/**
 * What to declare.
 *
 * @param height image height
 * @param width image width
 * @param channels image channels (1 or 3)
 * @param triggers number of independent triggers
 * @param maxSize trigger size bound as a fraction of the image area (pixel triggers)
 * @param seed seed for random initialisation: the same seed gives the same triggers
 */
public record TriggerSpec(int height, int width, int channels, int triggers, float maxSize, long seed) {
  public TriggerSpec {
    if (height <= 0 || width <= 0 || channels <= 0 || triggers <= 0) {
      throw new IllegalArgumentException("trigger spec dimensions must be positive");
    }
  }
}
