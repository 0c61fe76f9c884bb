package org.abscan.engine.stimulation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The paper's adaptive sampling (section 4.1), per neuron:
 *
 * <ul>
 *   <li>start at the neuron's observed value {@code x0} (mean over images) and walk both ways: {@code n}
 *       uniform samples down to the lower end, {@code n} samples of step {@code h} upwards;
 *   <li>at the high end keep going with a step that doubles each round, until the last three samples of
 *       every label on every image are close to co-linear twice in a row (the NSFs are straight beyond their
 *       last turn point), or the upper bound is reached;
 *   <li>wherever three consecutive samples of any label on any image are not close to co-linear, insert the
 *       midpoints of both intervals (down to a minimum width), so turn points and peaks get resolved;
 *   <li>each image samples at a constant offset from the shared points (a different one per image and
 *       neuron), so a sharp peak that falls between one image's samples shows up as a kink on another
 *       image, whose refinement is then applied to all images.
 * </ul>
 *
 * <p>The range is bounded by {@code [min(0, layer min), sample_k * layer max]} (the grid's range), so scores
 * of neurons whose NSFs keep rising linearly stay comparable; the number of points is bounded too.
 */
final class AdaptiveSampling extends NeuronSampling {
  /** Deviation from co-linearity tolerated, as a share of the image's base logit range. */
  static final float COLINEAR_TOLERANCE = 0.01f;
  private static final double GOLDEN = 0.6180339887498949;
  private static final double PLASTIC = 0.7548776662466927;
  private static final int CONFIRMATIONS = 2;

  private final int samples;
  private final float x0;
  private final float low;
  private final float high;
  private final float step;
  private final float minWidth;
  private final int maxPoints;
  private final float[] tolerance;
  private boolean started;
  private boolean highEndDone;
  private float extensionStep;
  private int straightRounds;

  private AdaptiveSampling(int neuron, int images, int labels, float[] offsets, int samples, float x0,
      float low, float high, float step, float[] tolerance) {
    super(neuron, images, labels, offsets, low, high);
    this.samples = samples;
    this.x0 = x0;
    this.low = low;
    this.high = high;
    this.step = step;
    this.minWidth = step / 8f;
    this.maxPoints = 6 * samples + 8;
    this.tolerance = tolerance;
    this.extensionStep = 2 * step;
  }

  static AdaptiveSampling create(LayerBase base, int neuron, int samples, float sampleK) {
    int images = base.images();
    float sum = 0;
    for (int j = 0; j < images; j++) {
      sum += base.observed(j, neuron);
    }
    float x0 = sum / images;
    float layerMax = base.maxActivation();
    float low = Math.min(0f, base.minActivation());
    float scale = Math.max(layerMax - low, 1e-3f);
    float high = Math.max(sampleK * layerMax, x0 + scale);
    float step = (high - x0) / (4f * samples);
    float[] offsets = new float[images];
    float[] tolerance = new float[images];
    for (int j = 0; j < images; j++) {
      double phase = ((j + 1) * GOLDEN + neuron * PLASTIC) % 1.0;
      offsets[j] = (float) (0.5 * step * phase);
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (int l = 0; l < base.numLabels(); l++) {
        min = Math.min(min, base.baseLogit(j, l));
        max = Math.max(max, base.baseLogit(j, l));
      }
      tolerance[j] = COLINEAR_TOLERANCE * Math.max(1e-3f, max - min);
    }
    return new AdaptiveSampling(neuron, images, base.numLabels(), offsets, samples, x0, low, high, step,
        tolerance);
  }

  @Override
  public List<Float> propose() {
    List<Float> next = started ? refineAndExtend() : initial();
    started = true;
    addPoints(next);
    return next;
  }

  private List<Float> initial() {
    List<Float> xs = new ArrayList<>();
    if (x0 - low > minWidth) {
      for (int i = 0; i < samples; i++) {
        xs.add(low + i * (x0 - low) / samples);
      }
    }
    xs.add(x0);
    for (int i = 1; i <= samples; i++) {
      xs.add(Math.min(high, x0 + i * step));
    }
    return xs.stream().distinct().toList();
  }

  private List<Float> refineAndExtend() {
    int budget = maxPoints - points.size();
    List<Float> next = new ArrayList<>();
    if (budget <= 0) {
      return next;
    }
    Float extension = extension();
    if (extension != null) {
      next.add(extension);
      budget--;
    }
    // Midpoints of intervals around kinks, the worst kinks first when the budget is short.
    TreeMap<Float, Float> midpoints = new TreeMap<>();
    List<Float> xs = new ArrayList<>(points.keySet());
    for (int k = 1; k + 1 < xs.size(); k++) {
      float deviation = worstDeviation(xs.get(k - 1), xs.get(k), xs.get(k + 1));
      if (deviation > 0) {
        addMidpoint(midpoints, xs.get(k - 1), xs.get(k), deviation);
        addMidpoint(midpoints, xs.get(k), xs.get(k + 1), deviation);
      }
    }
    midpoints.entrySet().stream()
        .sorted(Map.Entry.<Float, Float>comparingByValue(Comparator.reverseOrder()))
        .limit(budget)
        .forEach(e -> next.add(e.getKey()));
    return next;
  }

  private void addMidpoint(TreeMap<Float, Float> midpoints, float a, float b, float deviation) {
    if (b - a > minWidth) {
      float mid = (a + b) / 2f;
      if (mid > a && mid < b && !points.containsKey(mid)) {
        midpoints.merge(mid, deviation, Math::max);
      }
    }
  }

  /** The next point past the high end, or null once the high end looks straight (or the bound is hit). */
  private Float extension() {
    if (highEndDone) {
      return null;
    }
    float last = points.lastKey();
    if (last >= high) {
      highEndDone = true;
      return null;
    }
    Float mid = points.lowerKey(last);
    Float first = mid == null ? null : points.lowerKey(mid);
    boolean straight = first != null && worstDeviation(first, mid, last) == 0;
    straightRounds = straight ? straightRounds + 1 : 0;
    if (straightRounds >= CONFIRMATIONS) {
      highEndDone = true;
      return null;
    }
    float next = Math.min(high, last + extensionStep);
    extensionStep *= 2;
    return next;
  }

  /**
   * The largest deviation from co-linearity over images and labels of the three samples at base values
   * a < b < c, relative to each image's tolerance; 0 when all are close to co-linear.
   */
  private float worstDeviation(float a, float b, float c) {
    float[][] ra = points.get(a);
    float[][] rb = points.get(b);
    float[][] rc = points.get(c);
    float worst = 0;
    for (int j = 0; j < images(); j++) {
      float va = value(j, a);
      float vb = value(j, b);
      float vc = value(j, c);
      if (!(vc > va) || ra[j] == null || rb[j] == null || rc[j] == null) {
        continue;
      }
      float t = (vb - va) / (vc - va);
      for (int l = 0; l < labels(); l++) {
        float expected = ra[j][l] + t * (rc[j][l] - ra[j][l]);
        float deviation = Math.abs(rb[j][l] - expected) / tolerance[j];
        if (deviation > 1f) {
          worst = Math.max(worst, deviation);
        }
      }
    }
    return worst;
  }
}
