package org.abscan.plugins.trigger.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.abscan.spi.trigger.TriggerSpec;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@link PixelTriggerBatch#fitToBound} against a plain-Java projection onto the bounded simplex. */
class PixelTriggerFitTest {
  private static final int H = 6;
  private static final int W = 5;
  private static final float MAX_SIZE = 0.1f;

  @Test
  void masksOverTheBoundAreProjectedOntoItAndTheOthersAreKeptBitForBit() {
    SplittableRandom random = new SplittableRandom(3);
    int area = H * W;
    float[] masks = new float[3 * area];
    for (int i = 0; i < area; i++) {
      masks[i] = (float) random.nextDouble(); // mean about 0.5: far over the bound
      masks[area + i] = i < 4 ? 0.9f : 0.02f; // a bright spot and a faint haze, 0.15 in all: a little over
      masks[2 * area + i] = 0.05f + 0.01f * (i % 3); // mean 0.06: within the bound
    }
    float[][] result = fit(masks);
    float[] before = result[0];
    float[] after = result[1];
    for (int t = 0; t < 2; t++) {
      float[] expected = project(Arrays.copyOfRange(before, t * area, (t + 1) * area),
          MAX_SIZE * area * PixelTriggerBatch.FIT_MARGIN);
      float[] got = Arrays.copyOfRange(after, t * area, (t + 1) * area);
      assertArrayEquals(expected, got, 1e-5f, "trigger " + t);
      float mean = (float) mean(got);
      assertTrue(mean <= MAX_SIZE && mean > 0.99f * MAX_SIZE, "trigger " + t + " on the bound: " + mean);
    }
    // The bright spot (3.6 of a 3.0 budget by itself) keeps most of its weight; the haze goes.
    assertTrue(after[area] > 0.7f && after[area + 10] < 1e-5f, Arrays.toString(after));
    for (int i = 2 * area; i < 3 * area; i++) {
      assertEquals(Float.floatToIntBits(before[i]), Float.floatToIntBits(after[i]), "pixel " + i + " unchanged");
    }
  }

  /** Sets the masks (through the variable), runs the fit, returns {masks before, masks after}. */
  private static float[][] fit(float[] masks) {
    int t = masks.length / (H * W);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      PixelTriggerBatch batch = PixelTriggerBatch.declare(tf, new TriggerSpec(H, W, 3, t, MAX_SIZE, 1L),
          PixelTriggerConfig.defaults());
      float[] vars = new float[masks.length];
      for (int i = 0; i < vars.length; i++) {
        vars[i] = PixelTriggerBatch.atanhOfUnit(masks[i]);
      }
      Operand<TFloat32> set = tf.assign(batch.variables().get(0), tf.constant(Shape.of(t, H, W, 1),
          DataBuffers.of(vars)));
      Operand<TFloat32> mask = batch.mask(tf);
      var fit = batch.fitToBound(tf).orElseThrow();
      s.initialize();
      try (Result r = s.runner().addTarget(set).run()) {
        // assignment only
      }
      float[] before = fetch(s, mask);
      try (Result r = s.runner().addTarget(fit).run()) {
        // assignment only
      }
      return new float[][] {before, fetch(s, mask)};
    }
  }

  /** The Euclidean projection of {@code m} (values in [0, 1]) onto {x >= 0, sum(x) <= budget}, by sorting. */
  private static float[] project(float[] m, double budget) {
    double[] sorted = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      sorted[i] = -m[i];
    }
    Arrays.sort(sorted);
    double sum = 0;
    double tau = 0;
    for (int j = 0; j < sorted.length; j++) {
      sum += -sorted[j];
      double candidate = (sum - budget) / (j + 1);
      if (-sorted[j] > candidate) {
        tau = candidate;
      }
    }
    float[] out = new float[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = (float) Math.max(0, m[i] - Math.max(0, tau));
    }
    return out;
  }

  private static double mean(float[] values) {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s / values.length;
  }

  private static float[] fetch(Session s, Operand<TFloat32> operand) {
    try (Result r = s.runner().fetch(operand).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }
}
