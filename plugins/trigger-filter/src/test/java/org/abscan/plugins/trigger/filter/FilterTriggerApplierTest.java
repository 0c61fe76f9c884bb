package org.abscan.plugins.trigger.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.abscan.spi.AbscanException;
import org.abscan.spi.testkit.TriggerApplierContractTest;
import org.abscan.spi.trigger.TriggerApplierFactory;
import org.abscan.spi.trigger.TriggerKind;
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

class FilterTriggerApplierTest extends TriggerApplierContractTest {
  @Override
  protected TriggerApplierFactory factory() {
    return new FilterTriggerApplierFactory();
  }

  @Override
  protected String expectedName() {
    return "filter";
  }

  @Override
  protected TriggerKind expectedKind() {
    return TriggerKind.FEATURE;
  }

  @Override
  protected Map<String, String> validConfig() {
    return Map.of("ssim_weight", "2");
  }

  @Override
  protected boolean identityAtInit() {
    return true;
  }

  @Override
  protected boolean randomInit() {
    return false;
  }

  @Test
  void negativeSsimWeightIsRejected() {
    AbscanException e = assertThrows(AbscanException.class,
        () -> factory().create(Map.of("ssim_weight", "-1"), context()));
    assertEquals("ssim_weight", e.violations().get(0).subject());
  }

  @Test
  void ssimIsOneForIdenticalImagesAndLowerForNoise() {
    SplittableRandom random = new SplittableRandom(3);
    float[] x = new float[2 * 8 * 8];
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble();
      // Trigger 0 sees the same image, trigger 1 an unrelated one.
      y[i] = i < 64 ? x[i] : (float) random.nextDouble();
    }
    float[] ssim = ssimPerTrigger(8, x, y);
    assertEquals(1f, ssim[0], 1e-4f);
    assertTrue(ssim[1] < 0.5f, "unrelated noise is dissimilar: " + ssim[1]);
  }

  /**
   * The luminance factor is kept on purpose: lifting a black background (0.25 + 0.7 x, a Nashville-like lift) scores
   * low, so a filter cannot grey MNIST backgrounds for free. Without it (structure only) a diagnostic rescan flagged
   * 3 more of 32 benign LeNet models, filters towards 8 (docs/zoo.md, "Slow triggers", the filter regulariser).
   */
  @Test
  void ssimPenalisesLiftingABlackBackground() {
    // A stroke two pixels wide on a black 16x16 image: most windows are black, as on MNIST. Trigger 0 sees it
    // lifted, trigger 1 unchanged.
    float[] x = new float[2 * 256];
    float[] y = new float[x.length];
    for (int i = 0; i < 256; i++) {
      float digit = (i % 16 == 7 || i % 16 == 8) && i / 16 > 2 && i / 16 < 13 ? 1f : 0f;
      x[i] = digit;
      x[256 + i] = digit;
      y[i] = 0.25f + 0.7f * digit;
      y[256 + i] = digit;
    }
    float[] ssim = ssimPerTrigger(16, x, y);
    assertTrue(ssim[0] < 0.5f, "a lifted black background scores low: " + ssim[0]);
    assertEquals(1f, ssim[1], 1e-4f);
  }

  /**
   * The graph's SSIM is the textbook formula with 3x3 VALID windows, per channel, averaged over windows, channels and
   * each trigger's images: checked against a direct computation on colour images, two per trigger.
   */
  @Test
  void ssimMatchesADirectComputationPerChannelAndImage() {
    int t = 2;
    int n = 2;
    int side = 6;
    int c = 3;
    SplittableRandom random = new SplittableRandom(5);
    float[] x = new float[t * n * side * side * c];
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble();
      y[i] = (float) Math.min(1.0, Math.max(0.0, 0.8 * x[i] + 0.3 * random.nextDouble()));
    }
    TriggerSpec spec = new TriggerSpec(side, side, c, t, 0.06f, 1L);
    float[] graph = new float[t];
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> a = tf.constant(Shape.of(t, n, side, side, c), DataBuffers.of(x));
      Operand<TFloat32> b = tf.constant(Shape.of(t, n, side, side, c), DataBuffers.of(y));
      try (Result r = s.runner().fetch(Ssim.perTrigger(tf, a, b, spec)).run()) {
        for (int i = 0; i < t; i++) {
          graph[i] = ((TFloat32) r.get(0)).getFloat(i);
        }
      }
    }
    for (int trigger = 0; trigger < t; trigger++) {
      double sum = 0;
      int windows = 0;
      for (int image = 0; image < n; image++) {
        for (int ch = 0; ch < c; ch++) {
          for (int row = 0; row + 3 <= side; row++) {
            for (int col = 0; col + 3 <= side; col++) {
              double ma = 0;
              double mb = 0;
              double aa = 0;
              double bb = 0;
              double ab = 0;
              for (int dr = 0; dr < 3; dr++) {
                for (int dc = 0; dc < 3; dc++) {
                  int at = (((trigger * n + image) * side + row + dr) * side + col + dc) * c + ch;
                  ma += x[at] / 9;
                  mb += y[at] / 9;
                  aa += x[at] * x[at] / 9;
                  bb += y[at] * y[at] / 9;
                  ab += x[at] * y[at] / 9;
                }
              }
              double c1 = 1e-4;
              double c2 = 9e-4;
              sum += (2 * ma * mb + c1) * (2 * (ab - ma * mb) + c2)
                  / ((ma * ma + mb * mb + c1) * ((aa - ma * ma) + (bb - mb * mb) + c2));
              windows++;
            }
          }
        }
      }
      assertEquals(sum / windows, graph[trigger], 1e-4, "trigger " + trigger);
    }
  }

  /**
   * FEATURE_APPLY per pixel, x' = clip([x, maxpool, minpool, avgpool] · M_t + b_t), checked against a direct
   * computation with a random departure from the identity for each of two triggers (two images each).
   */
  @Test
  void applyMixesTheImageAndItsPoolsWithEachTriggersOwnMatrix() {
    int t = 2;
    int n = 2;
    int side = 4;
    int c = 3;
    int features = 4 * c;
    SplittableRandom random = new SplittableRandom(9);
    float[] image = new float[n * side * side * c];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) random.nextDouble();
    }
    float[] departure = new float[t * features * c];
    float[] biasDeparture = new float[t * c];
    for (int i = 0; i < departure.length; i++) {
      departure[i] = (float) (random.nextDouble() * 4 - 2);
    }
    for (int i = 0; i < biasDeparture.length; i++) {
      biasDeparture[i] = (float) (random.nextDouble() - 0.5);
    }
    float[] stamped = new float[t * image.length];
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      FilterTriggerBatch batch = FilterTriggerBatch.declare(tf, new TriggerSpec(side, side, c, t, 0.06f, 1L), 1f);
      float[] tiled = new float[t * image.length];
      System.arraycopy(image, 0, tiled, 0, image.length);
      System.arraycopy(image, 0, tiled, image.length, image.length);
      Operand<TFloat32> out = batch.apply(tf, tf.constant(Shape.of(t, n, side, side, c), DataBuffers.of(tiled)));
      s.initialize();
      s.runner().addTarget(tf.assign(batch.variables().get(0),
          tf.constant(Shape.of(t, features, c), DataBuffers.of(departure)))).run();
      s.runner().addTarget(tf.assign(batch.variables().get(1),
          tf.constant(Shape.of(t, c), DataBuffers.of(biasDeparture)))).run();
      try (Result r = s.runner().fetch(out).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(stamped, false, false));
      }
    }
    for (int trigger = 0; trigger < t; trigger++) {
      for (int img = 0; img < n; img++) {
        for (int row = 0; row < side; row++) {
          for (int col = 0; col < side; col++) {
            float[] f = new float[features];
            for (int ch = 0; ch < c; ch++) {
              float max = Float.NEGATIVE_INFINITY;
              float min = Float.POSITIVE_INFINITY;
              float sum = 0;
              int count = 0;
              for (int r = Math.max(0, row - 1); r <= Math.min(side - 1, row + 1); r++) {
                for (int q = Math.max(0, col - 1); q <= Math.min(side - 1, col + 1); q++) {
                  float v = image[((img * side + r) * side + q) * c + ch];
                  max = Math.max(max, v);
                  min = Math.min(min, v);
                  sum += v;
                  count++;
                }
              }
              f[ch] = image[((img * side + row) * side + col) * c + ch];
              f[c + ch] = max;
              f[2 * c + ch] = min;
              f[3 * c + ch] = sum / count;
            }
            for (int out = 0; out < c; out++) {
              double v = FilterTriggerBatch.STEP_SCALE * biasDeparture[trigger * c + out];
              for (int k = 0; k < features; k++) {
                double m = (k == out ? 1 : 0)
                    + FilterTriggerBatch.STEP_SCALE * departure[(trigger * features + k) * c + out];
                v += f[k] * m;
              }
              float expected = (float) Math.min(1, Math.max(0, v));
              int at = (((trigger * n + img) * side + row) * side + col) * c + out;
              assertEquals(expected, stamped[at], 1e-5f, "trigger " + trigger + " image " + img + " pixel " + row
                  + "," + col + " channel " + out);
            }
          }
        }
      }
    }
  }

  /** {@link Ssim#perTrigger} of two triggers with one greyscale {@code side} x {@code side} image each. */
  private static float[] ssimPerTrigger(int side, float[] x, float[] y) {
    TriggerSpec spec = new TriggerSpec(side, side, 1, 2, 0.06f, 1L);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> a = tf.constant(Shape.of(2, 1, side, side, 1), DataBuffers.of(x));
      Operand<TFloat32> b = tf.constant(Shape.of(2, 1, side, side, 1), DataBuffers.of(y));
      try (Result r = s.runner().fetch(Ssim.perTrigger(tf, a, b, spec)).run()) {
        TFloat32 ssim = (TFloat32) r.get(0);
        return new float[] {ssim.getFloat(0), ssim.getFloat(1)};
      }
    }
  }
}
