package org.abscan.engine.stimulation;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of one neuron's stimulation functions while they are being taken, and the policy choosing the
 * next ones. Points are kept on a shared axis of "base" values; image {@code j} evaluates a base value
 * {@code x} at {@code clamp(x + offset[j])}, so images can be sampled at deliberately misaligned points while
 * a refinement found on one image is applied to all.
 */
public abstract class NeuronSampling {
  private final int neuron;
  private final int images;
  private final int labels;
  private final float[] offsets;
  private final float low;
  private final float high;
  /** Base value to logits[image][label]; a row stays null until its run has come back. */
  protected final TreeMap<Float, float[][]> points = new TreeMap<>();

  protected NeuronSampling(int neuron, int images, int labels, float[] offsets, float low, float high) {
    this.neuron = neuron;
    this.images = images;
    this.labels = labels;
    this.offsets = offsets.clone();
    this.low = low;
    this.high = high;
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

  /** The stimulation value image {@code image} uses for base value {@code x}. */
  public float value(int image, float x) {
    return Math.min(high, Math.max(low, x + offsets[image]));
  }

  /**
   * The next base values to evaluate on every image; empty when sampling of this neuron is finished. Called
   * once before any result and then after each round's results are recorded.
   */
  public abstract List<Float> propose();

  /** Registers proposed points (so results can be recorded against them). */
  protected final void addPoints(List<Float> xs) {
    for (Float x : xs) {
      points.putIfAbsent(x, new float[images][]);
    }
  }

  /** Stores the logits of image {@code image} at base value {@code x}. */
  public void record(float x, int image, float[] logits, int offset) {
    float[][] row = points.get(x);
    float[] copy = new float[labels];
    System.arraycopy(logits, offset, copy, 0, labels);
    row[image] = copy;
  }

  /** The finished samples, with the layer base for elevations. */
  public NeuronNsf finish(String layer, LayerBase base, int[] trueLabels) {
    int p = points.size();
    float[] xs = new float[p];
    float[] values = new float[images * p];
    float[] logits = new float[images * p * labels];
    int k = 0;
    for (Map.Entry<Float, float[][]> e : points.entrySet()) {
      xs[k] = e.getKey();
      for (int j = 0; j < images; j++) {
        values[j * p + k] = value(j, xs[k]);
        float[] row = e.getValue()[j];
        if (row == null) {
          throw new IllegalStateException("neuron " + neuron + " has no result for image " + j + " at "
              + xs[k]);
        }
        System.arraycopy(row, 0, logits, (j * p + k) * labels, labels);
      }
      k++;
    }
    return new NeuronNsf(layer, neuron, xs, values, logits, images, labels, base, trueLabels);
  }
}
