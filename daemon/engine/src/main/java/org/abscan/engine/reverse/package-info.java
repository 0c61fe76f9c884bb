/**
 * Algorithm 2 of ABS (trigger reverse engineering) and REASR, batched.
 *
 * <p>{@link org.abscan.engine.reverse.TriggerReverseEngineer} optimises one trigger per group of candidates
 * (the applier's {@code group}), all of them in one TensorFlow graph: the optimisation images are tiled to
 * [T, n, H, W, C], stamped by the applier's {@code TriggerBatch}, run through the model once as [T*n, ...],
 * and per trigger t the cost is
 *
 * <pre>
 *   w1 * f2/s_L - w2 * f1/s_L + w3 * size/max + w_large * relu(size/max - 1) - w_logit * logit_target/s_logit
 *     + regularizer(t)
 * </pre>
 *
 * with f1 the candidate neuron's mean activation (summed over a group's neurons), f2 the mean absolute change
 * of the layer's other neurons against the clean images, s_L and s_logit the mean absolute clean activation of
 * the layer and of the logits (so that the weights in {@link org.abscan.engine.reverse.ReverseSettings} hold
 * for any input range), and the regularizer the applier's (e.g. -SSIM for filters). One Adam step serves all
 * triggers; a trigger settles once it flips every optimisation image within the size bound or its loss stops
 * improving, and a settled trigger no longer changes ({@link org.abscan.engine.reverse.MaskedAdam}) nor costs
 * model time (only active triggers' images are fed through the model). The batch ends when all have settled or
 * at {@code re_steps}. REASR is then measured on the held-out images.
 */
package org.abscan.engine.reverse;
