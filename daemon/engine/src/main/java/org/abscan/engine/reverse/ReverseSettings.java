package org.abscan.engine.reverse;

import org.abscan.engine.ScanParameterDefaults;
import org.abscan.proto.scan.v1.ScanParameters;

/**
 * The numbers Algorithm 2 runs with: the scan's parameters (zero meaning the documented default, as in
 * requests) and the loss weights.
 *
 * <p>The loss is scale-free: neuron terms are divided by the layer's mean absolute clean activation and the
 * logit term by the mean absolute clean logit, and the size terms are in units of the size bound. The weights
 * below therefore hold for models fed [0, 1] or [0, 255] inputs alike.
 *
 * @param maxSteps optimisation steps, a cap (early stop per trigger)
 * @param learningRate Adam step size
 * @param maxSize trigger size bound as a fraction of the image area
 * @param targetLogitWeight weight of the target label's logit; 0 when switched off
 * @param seed seed of the trigger initialisation
 * @param hopelessBelow flip rate below which a trigger whose flip rate has plateaued stops (see
 *     {@link SettleTracker}); {@link #HOPELESS_BELOW}
 * @param device TensorFlow device of the trigger graphs ("" = CPU)
 * @param minNeuronLift how far above its benign level a trigger must drive its neuron to count (negative: off)
 * @param referenceSteps steps after which the triggers of reference neurons (the outlier score's random baseline)
 *     stop: slow_trigger_steps at the scan's learning rate, or maxSteps when the slow-trigger rule is off
 */
public record ReverseSettings(int maxSteps, float learningRate, float maxSize, float targetLogitWeight,
    long seed, float hopelessBelow, String device, float minNeuronLift, int referenceSteps) {
  // The request's documented defaults live in one place, ScanParameterDefaults; these name them for RE.
  public static final int DEFAULT_STEPS = ScanParameterDefaults.RE_STEPS;
  public static final float DEFAULT_LEARNING_RATE = ScanParameterDefaults.LEARNING_RATE;
  public static final float DEFAULT_MAX_SIZE = ScanParameterDefaults.MAX_TRIGGER_SIZE;
  public static final float DEFAULT_TARGET_LOGIT_WEIGHT = ScanParameterDefaults.TARGET_LOGIT_WEIGHT;
  public static final float DEFAULT_MIN_NEURON_LIFT = ScanParameterDefaults.MIN_NEURON_LIFT;

  /** w2 of Algorithm 2: raise the candidate neuron(s). */
  public static final float NEURON_WEIGHT = 1.0f;
  /** w1: keep the layer's other neurons where the clean images have them. */
  public static final float OTHERS_WEIGHT = 0.5f;
  /**
   * w3: a mild pull towards small triggers, per unit of the size bound. Mild on purpose: at 2 the pull erased
   * every mask (tanh saturated) before the neuron term could find the 6-pixel trigger of the real BadNets MNIST
   * model in shared/models; at 0.2 that model's compromised neurons reach REASR 1.0 and the benign model's
   * triggers stay below 0.6.
   */
  public static final float SIZE_WEIGHT = 0.2f;
  /** w_large: the penalty per unit of the bound a trigger exceeds it by. */
  public static final float OVERSIZE_WEIGHT = 50f;
  /** Floor of the clean magnitudes the neuron and logit terms are divided by (dead layers, zero logits). */
  public static final float SCALE_FLOOR = 1e-3f;

  /** Steps between progress events. */
  public static final int PROGRESS_EVERY = 50;
  /**
   * A trigger has converged when its best loss improved by less than this (relative) for
   * {@link #CONVERGENCE_WINDOW} steps. Loose on purpose: a trojan trigger settles by flipping the images long
   * before, and benign triggers, whose neuron term can grow without bound, would otherwise run to the cap.
   */
  public static final float CONVERGENCE_TOLERANCE = 1e-2f;
  public static final int CONVERGENCE_WINDOW = 50;
  /** Steps every trigger runs before the plateau rule may stop it (two convergence windows). */
  public static final int PLATEAU_MIN_STEPS = 2 * CONVERGENCE_WINDOW;
  /**
   * Flip rate on the optimisation images under which a plateaued trigger is hopeless. Fixed, not derived from
   * the verdict threshold, so that the threshold only decides the verdict: the same scan at another threshold
   * reverse-engineers the same triggers, and a saved report can be re-decided at any threshold. (It was half the
   * threshold while the default threshold was 0.88: the same 0.44.)
   */
  public static final float HOPELESS_BELOW = 0.44f;
  /**
   * A trigger flips an image confidently when the model gives the target at least this probability: a margin over
   * the decision boundary, so that the trigger also flips images it was not optimised on ({@link SettleTracker}).
   */
  public static final float CONFIDENT_PROBABILITY = 0.95f;
  /**
   * Steps a trigger that flips every optimisation image may go on for, to flip them all confidently: half a
   * convergence window. Bounds the cost for triggers that never get there (partial triggers at the size bound).
   */
  public static final int CONSOLIDATION_STEPS = CONVERGENCE_WINDOW / 2;

  public static ReverseSettings from(ScanParameters p) {
    int steps = p.getReSteps() > 0 ? p.getReSteps() : DEFAULT_STEPS;
    float lr = p.getLearningRate() > 0f ? p.getLearningRate() : DEFAULT_LEARNING_RATE;
    float maxSize = p.getMaxTriggerSize() > 0f ? p.getMaxTriggerSize() : DEFAULT_MAX_SIZE;
    float logit = p.getTargetLogitWeight();
    if (logit == 0f) {
      logit = DEFAULT_TARGET_LOGIT_WEIGHT;
    } else if (logit < 0f) {
      logit = 0f;
    }
    long seed = p.getSeed() != 0 ? p.getSeed() : 1L;
    float minLift = p.getMinNeuronLift() != 0f ? p.getMinNeuronLift() : DEFAULT_MIN_NEURON_LIFT;
    int slow = p.getSlowTriggerSteps() != 0 ? p.getSlowTriggerSteps() : ScanParameterDefaults.SLOW_TRIGGER_STEPS;
    // Scaled to the learning rate as the verdict scales slow_trigger_steps (VerdictCalculator.slowAfter).
    int referenceSteps = slow > 0
        ? (int) Math.min(steps, Math.ceil(ScanParameterDefaults.stepsAtLearningRate(slow, lr))) : steps;
    return new ReverseSettings(steps, lr, maxSize, logit, seed, HOPELESS_BELOW, p.getDevice(), minLift,
        referenceSteps);
  }
}
