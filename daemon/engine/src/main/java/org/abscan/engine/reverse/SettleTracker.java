package org.abscan.engine.reverse;

import java.util.Arrays;

/**
 * Decides, per trigger, when its optimisation is over. A trigger settles when it flips every optimisation image to
 * its target within the size bound and has consolidated that (below), or when its loss has stopped improving: its
 * best loss has not dropped by more than the (relative) tolerance for a whole window of steps. Comparing against
 * the best loss, not the loss a window ago, keeps Adam's oscillations from passing for convergence.
 *
 * <p>Consolidation ({@code consolidationSteps > 0}): the step at which a trigger first flips every image is when it
 * was found ({@link #foundAt}), but a trigger stopped right there sits on the decision boundary of those images and
 * flips fewer of the held-out ones (on the zoo, 34 of 224 planted triggers that flipped every optimisation image
 * flipped under 0.92 of the held-out ones; docs/zoo.md, "Consolidated triggers"). So it keeps optimising until it
 * flips every image confidently (the caller's confident rate reaches 1) or for {@code consolidationSteps} more
 * steps, whichever comes first. With 0 it settles on the first such step.
 *
 * <p>Plateau rule (optional, {@code hopelessBelow > 0}): a trigger also settles when, after at least
 * {@code minSteps}, its flip rate on the optimisation images is still below {@code hopelessBelow} and its best
 * flip rate has not risen for a whole window. Such a trigger would have to more than double its flip rate after
 * it stopped moving to matter to the verdict; it keeps the REASR it has (measured on the held-out images like
 * every other trigger). Triggers that reach the threshold are unaffected: on the real BadNets models their flip
 * rate passes 0.75 within 50 steps and they settle by flipping every image (docs/benchmarks.md).
 * Settled triggers stay settled; the batch ends when all are.
 */
final class SettleTracker {
  private final float maxSize;
  private final int window;
  private final float tolerance;
  private final boolean[] settled;
  private final int[] steps;
  private final float[] best;
  private final int[] lastImprovement;
  private final float hopelessBelow;
  private final int minSteps;
  private final float[] bestFlips;
  private final int[] lastFlipGain;
  private final int consolidationSteps;
  private final int[] foundAt;
  private final int[] stepLimit;

  SettleTracker(int triggers, float maxSize, int window, float tolerance) {
    this(triggers, maxSize, window, tolerance, 0f, Integer.MAX_VALUE, 0);
  }

  /**
   * @param hopelessBelow flip rate below which a plateaued trigger stops (0: never)
   * @param minSteps steps every trigger runs before the plateau rule applies
   * @param consolidationSteps steps a trigger that flips every image may keep optimising for confidence (0: none)
   */
  SettleTracker(int triggers, float maxSize, int window, float tolerance, float hopelessBelow, int minSteps,
      int consolidationSteps) {
    this.maxSize = maxSize;
    this.window = window;
    this.tolerance = tolerance;
    this.settled = new boolean[triggers];
    this.steps = new int[triggers];
    this.best = new float[triggers];
    this.lastImprovement = new int[triggers];
    this.hopelessBelow = hopelessBelow;
    this.minSteps = minSteps;
    this.bestFlips = new float[triggers];
    this.lastFlipGain = new int[triggers];
    this.consolidationSteps = consolidationSteps;
    this.foundAt = new int[triggers];
    this.stepLimit = new int[triggers];
    Arrays.fill(stepLimit, Integer.MAX_VALUE);
    Arrays.fill(best, Float.POSITIVE_INFINITY);
    Arrays.fill(bestFlips, -1f);
  }

  /**
   * Records step {@code step} (1-based) of every still-active trigger.
   *
   * @param loss per-trigger loss of this step
   * @param size per-trigger size
   * @param flipRate per-trigger share of optimisation images flipped to the target
   * @param confidentRate per-trigger share flipped confidently (the caller's margin; at most flipRate)
   */
  void record(int step, float[] loss, float[] size, float[] flipRate, float[] confidentRate) {
    for (int t = 0; t < settled.length; t++) {
      if (settled[t]) {
        continue;
      }
      steps[t] = step;
      boolean flipsAll = flipRate[t] >= 1f && size[t] <= maxSize;
      if (flipsAll && foundAt[t] == 0) {
        foundAt[t] = step;
      }
      boolean consolidated = flipsAll && (confidentRate[t] >= 1f || step - foundAt[t] >= consolidationSteps);
      if (best[t] == Float.POSITIVE_INFINITY
          || loss[t] < best[t] - tolerance * Math.max(1f, Math.abs(best[t]))) {
        best[t] = loss[t];
        lastImprovement[t] = step;
      }
      boolean converged = step - lastImprovement[t] >= window;
      if (flipRate[t] > bestFlips[t]) {
        bestFlips[t] = flipRate[t];
        lastFlipGain[t] = step;
      }
      boolean hopeless = step >= minSteps && bestFlips[t] < hopelessBelow && step - lastFlipGain[t] >= window;
      boolean limited = step >= stepLimit[t] && foundAt[t] == 0;
      if (consolidated || converged || hopeless || limited || !Float.isFinite(loss[t])) {
        settled[t] = true;
      }
    }
  }

  /**
   * Stops {@code trigger} after {@code steps} steps unless it has been found by then (a found trigger consolidates
   * as usual). For triggers whose result is a reference, not evidence: the outlier score's random baseline.
   */
  void limitSteps(int trigger, int steps) {
    stepLimit[trigger] = steps;
  }

  /** [T] flags for the next step: 1 for active triggers. */
  float[] activeFlags() {
    float[] flags = new float[settled.length];
    for (int t = 0; t < flags.length; t++) {
      flags[t] = settled[t] ? 0f : 1f;
    }
    return flags;
  }

  int activeCount() {
    int n = 0;
    for (boolean s : settled) {
      n += s ? 0 : 1;
    }
    return n;
  }

  boolean isActive(int trigger) {
    return !settled[trigger];
  }

  /** Each trigger's best flip rate on the optimisation images so far (-1 before its first step). */
  float[] bestFlips() {
    return Arrays.copyOf(bestFlips, bestFlips.length);
  }

  /** Steps each trigger was optimised for. */
  int[] steps() {
    return Arrays.copyOf(steps, steps.length);
  }

  /** The step at which each trigger first flipped every image within the bound; 0 if it never did. */
  int[] foundAt() {
    return Arrays.copyOf(foundAt, foundAt.length);
  }
}
