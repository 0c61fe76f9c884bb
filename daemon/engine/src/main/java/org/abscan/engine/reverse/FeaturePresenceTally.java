package org.abscan.engine.reverse;

import org.abscan.engine.SeedImages;
import org.abscan.proto.scan.v1.FeaturePresence;

/**
 * What each trigger does to its own neuron, summed chunk by chunk: its activation on stamped held-out images of
 * other labels and on benign seed images of the target label and of the other labels. Two uses: whether the
 * trigger raises its neuron at all ({@link #raisesNeuron}), which the verdict needs, and section 6's question
 * (is what the trigger injects already present in benign target-label images?), which the report shows.
 */
final class FeaturePresenceTally {
  private final int[] targets;
  private final double[] stamped;
  private final int[] stampedCount;
  private final double[] target;
  private final int[] targetCount;
  private final double[] other;
  private final int[] otherCount;

  FeaturePresenceTally(int[] targets) {
    int t = targets.length;
    this.targets = targets.clone();
    this.stamped = new double[t];
    this.stampedCount = new int[t];
    this.target = new double[t];
    this.targetCount = new int[t];
    this.other = new double[t];
    this.otherCount = new int[t];
  }

  /**
   * @param activation [T, m] each trigger's neuron activation on images {@code start..start+m} of {@code images},
   *     stamped by that trigger
   */
  void addStamped(float[] activation, SeedImages images, int start, int m) {
    for (int i = 0; i < targets.length; i++) {
      for (int j = 0; j < m; j++) {
        if (images.labels()[start + j] != targets[i]) {
          stamped[i] += activation[i * m + j];
          stampedCount[i]++;
        }
      }
    }
  }

  /** @param activation [T, m] as {@link #addStamped}, on the images as they are */
  void addClean(float[] activation, SeedImages images, int start, int m) {
    for (int i = 0; i < targets.length; i++) {
      for (int j = 0; j < m; j++) {
        if (images.labels()[start + j] == targets[i]) {
          target[i] += activation[i * m + j];
          targetCount[i]++;
        } else {
          other[i] += activation[i * m + j];
          otherCount[i]++;
        }
      }
    }
  }

  FeaturePresence of(int trigger) {
    float s = mean(stamped[trigger], stampedCount[trigger]);
    float tgt = mean(target[trigger], targetCount[trigger]);
    float o = mean(other[trigger], otherCount[trigger]);
    float lift = s - o;
    float presence = targetCount[trigger] == 0 || !(lift > 0f) ? 0f : (tgt - o) / lift;
    return FeaturePresence.newBuilder().setStampedActivation(s).setTargetActivation(tgt).setOtherActivation(o)
        .setPresence(presence).build();
  }

  /**
   * ABS's premise is that a trojan acts through the neuron: a trigger counts only if the stamped images drive its
   * neuron above the neuron's benign level on the same labels by more than {@code minLift} of that level. A
   * trigger that flips images while its neuron stays put (a dead ReLU unit, typically) was shaped by the
   * target-logit term alone: a universal perturbation towards the label, which benign models have too.
   */
  static boolean raisesNeuron(FeaturePresence presence, float minLift) {
    float benign = presence.getOtherActivation();
    return presence.getStampedActivation() - benign > minLift * Math.abs(benign);
  }

  private static float mean(double sum, int count) {
    return count == 0 ? 0f : (float) (sum / count);
  }
}
