package org.abscan.engine.stimulation;

import org.abscan.proto.scan.v1.LabelCurve;
import org.abscan.proto.scan.v1.NeuronStimulation;

/**
 * One neuron's sampled stimulation functions on every seed image, and what Algorithm 1 reads from them.
 *
 * <p>Elevation of a label on an image: the largest sampled logit of that label minus the image's own
 * (unstimulated) logit. Elevation of a label: the minimum over images whose true label differs (over all
 * images when every seed has that label). Score: top label elevation minus the runner-up's.
 */
public final class NeuronNsf {
  private final String layer;
  private final int neuron;
  private final float[] points;
  private final float[] values;
  private final float[] logits;
  private final int images;
  private final int labels;
  private final float[] elevation;
  private final int[] elevationImage;
  private final int topLabel;
  private final float score;
  private final float[] baseLogits;

  NeuronNsf(String layer, int neuron, float[] points, float[] values, float[] logits, int images, int labels,
      LayerBase base, int[] trueLabels) {
    this.layer = layer;
    this.neuron = neuron;
    this.points = points;
    this.values = values;
    this.logits = logits;
    this.images = images;
    this.labels = labels;
    this.baseLogits = base.baseLogits();
    this.elevation = new float[labels];
    this.elevationImage = new int[labels];
    for (int l = 0; l < labels; l++) {
      float min = Float.POSITIVE_INFINITY;
      int arg = -1;
      float minAll = Float.POSITIVE_INFINITY;
      int argAll = 0;
      for (int j = 0; j < images; j++) {
        float e = peak(j, l) - base.baseLogit(j, l);
        if (e < minAll) {
          minAll = e;
          argAll = j;
        }
        if (trueLabels[j] != l && e < min) {
          min = e;
          arg = j;
        }
      }
      elevation[l] = arg >= 0 ? min : minAll;
      elevationImage[l] = arg >= 0 ? arg : argAll;
    }
    int top = 0;
    for (int l = 1; l < labels; l++) {
      if (elevation[l] > elevation[top]) {
        top = l;
      }
    }
    float second = Float.NEGATIVE_INFINITY;
    for (int l = 0; l < labels; l++) {
      if (l != top) {
        second = Math.max(second, elevation[l]);
      }
    }
    this.topLabel = top;
    this.score = labels > 1 ? elevation[top] - second : elevation[top];
  }

  public String layer() {
    return layer;
  }

  public int neuron() {
    return neuron;
  }

  public int images() {
    return images;
  }

  public int labels() {
    return labels;
  }

  /** Number of samples per image. */
  public int samples() {
    return points.length;
  }

  /** The stimulation value of sample {@code k} on image {@code image}. */
  public float value(int image, int k) {
    return values[image * points.length + k];
  }

  public float logit(int image, int k, int label) {
    return logits[(image * points.length + k) * labels + label];
  }

  /** Largest sampled logit of {@code label} on {@code image}. */
  public float peak(int image, int label) {
    return logits[(image * points.length + argPeak(image, label)) * labels + label];
  }

  private int argPeak(int image, int label) {
    int best = 0;
    for (int k = 1; k < points.length; k++) {
      if (logit(image, k, label) > logit(image, best, label)) {
        best = k;
      }
    }
    return best;
  }

  /** Algorithm 1 elevation of every label. */
  public float[] elevation() {
    return elevation.clone();
  }

  public float elevation(int label) {
    return elevation[label];
  }

  public int topLabel() {
    return topLabel;
  }

  public float score() {
    return score;
  }

  /**
   * For label-specific triggers (Appendix D): the source label whose images the neuron lifts {@code target}
   * on most consistently (largest minimum elevation over that label's images), or -1 if no other label has
   * images.
   */
  public int bestSourceLabel(int target, int[] trueLabels) {
    float[] min = new float[labels];
    java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
    for (int j = 0; j < images; j++) {
      int source = trueLabels[j];
      if (source != target && source >= 0 && source < labels) {
        min[source] = Math.min(min[source], peak(j, target) - baseLogits[j * labels + target]);
      }
    }
    int best = -1;
    for (int l = 0; l < labels; l++) {
      if (min[l] != Float.POSITIVE_INFINITY && (best < 0 || min[l] > min[best])) {
        best = l;
      }
    }
    return best;
  }

  /** Stimulation value at the NSF peak of the top label, on the image that determines its elevation. */
  public float peakValue() {
    int image = elevationImage[topLabel];
    return value(image, argPeak(image, topLabel));
  }

  /**
   * The aggregate curve (image_index -1): per label, the curve of the image that determines its elevation,
   * linearly interpolated onto the shared sample points (images may be sampled at offsets from them).
   */
  public NeuronStimulation aggregate() {
    NeuronStimulation.Builder b = header(-1);
    for (float x : points) {
      b.addValues(x);
    }
    for (int l = 0; l < labels; l++) {
      LabelCurve.Builder curve = LabelCurve.newBuilder().setLabel(l);
      int image = elevationImage[l];
      for (float x : points) {
        curve.addLogits(interpolate(image, l, x));
      }
      b.addLabels(curve);
    }
    for (float e : elevation) {
      b.addElevation(e);
    }
    return b.setTopLabel(topLabel).setScore(score).build();
  }

  /** One image's curves, with that image's own elevations (its base logits are implied by them). */
  public NeuronStimulation perImage(int image, LayerBase base) {
    NeuronStimulation.Builder b = header(image);
    for (int k = 0; k < points.length; k++) {
      b.addValues(value(image, k));
    }
    float[] own = new float[labels];
    for (int l = 0; l < labels; l++) {
      LabelCurve.Builder curve = LabelCurve.newBuilder().setLabel(l);
      for (int k = 0; k < points.length; k++) {
        curve.addLogits(logit(image, k, l));
      }
      b.addLabels(curve);
      own[l] = peak(image, l) - base.baseLogit(image, l);
      b.addElevation(own[l]);
    }
    int top = 0;
    for (int l = 1; l < labels; l++) {
      top = own[l] > own[top] ? l : top;
    }
    float second = Float.NEGATIVE_INFINITY;
    for (int l = 0; l < labels; l++) {
      second = l == top ? second : Math.max(second, own[l]);
    }
    return b.setTopLabel(top).setScore(labels > 1 ? own[top] - second : own[top]).build();
  }

  private NeuronStimulation.Builder header(int image) {
    return NeuronStimulation.newBuilder().setLayer(layer).setNeuron(neuron).setImageIndex(image);
  }

  private float interpolate(int image, int label, float x) {
    int p = points.length;
    if (x <= value(image, 0)) {
      return logit(image, 0, label);
    }
    for (int k = 1; k < p; k++) {
      float v1 = value(image, k);
      if (x <= v1) {
        float v0 = value(image, k - 1);
        float t = v1 > v0 ? (x - v0) / (v1 - v0) : 1f;
        return logit(image, k - 1, label) + t * (logit(image, k, label) - logit(image, k - 1, label));
      }
    }
    return logit(image, p - 1, label);
  }
}
