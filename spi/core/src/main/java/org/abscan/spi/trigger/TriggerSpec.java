package org.abscan.spi.trigger;

import java.util.List;
import java.util.stream.LongStream;

/**
 * What to declare.
 *
 * @param height image height
 * @param width image width
 * @param channels image channels (1 or 3)
 * @param triggers number of independent triggers
 * @param maxSize trigger size bound as a fraction of the image area (pixel triggers)
 * @param seed the scan's seed, for randomness that belongs to no one trigger
 * @param triggerSeeds one seed per trigger, for its random start: a trigger's start must depend on its own seed
 *     alone, so that a candidate gets the same trigger whatever else the batch holds (the engine derives each from
 *     the scan's seed and the candidate's neuron)
 */
public record TriggerSpec(int height, int width, int channels, int triggers, float maxSize, long seed,
    List<Long> triggerSeeds) {
  public TriggerSpec {
    if (height <= 0 || width <= 0 || channels <= 0 || triggers <= 0) {
      throw new IllegalArgumentException("trigger spec dimensions must be positive");
    }
    triggerSeeds = List.copyOf(triggerSeeds);
    if (triggerSeeds.size() != triggers) {
      throw new IllegalArgumentException(
          "trigger spec has " + triggerSeeds.size() + " trigger seeds for " + triggers + " triggers");
    }
  }

  /** A spec whose trigger seeds are derived from {@code seed} and each trigger's index. */
  public TriggerSpec(int height, int width, int channels, int triggers, float maxSize, long seed) {
    this(height, width, channels, triggers, maxSize, seed,
        LongStream.range(0, Math.max(0, triggers)).map(i -> seed + 0x9E3779B97F4A7C15L * (i + 1)).boxed().toList());
  }

  /** The seed of trigger {@code index}'s random start. */
  public long seed(int index) {
    return triggerSeeds.get(index);
  }
}
