package org.abscan.plugins.trigger.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class StructureBoundTest {
  private static final float MAX_SIZE = 0.04f;

  /** Four triggers over the same two 8x8 images: x' = a x + b for each (a, b), clipped to [0, 1]. */
  private static float[][] similarityAndSize(float[][] affine) {
    int t = affine.length;
    SplittableRandom random = new SplittableRandom(5);
    float[] image = new float[2 * 8 * 8];
    for (int i = 0; i < image.length; i++) {
      image[i] = random.nextDouble() < 0.2 ? 1f : 0f; // a sparse bright "digit" on black, like MNIST
    }
    float[] x = new float[t * image.length];
    float[] y = new float[x.length];
    for (int k = 0; k < t; k++) {
      for (int i = 0; i < image.length; i++) {
        x[k * image.length + i] = image[i];
        y[k * image.length + i] = Math.max(0f, Math.min(1f, affine[k][0] * image[i] + affine[k][1]));
      }
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> a = tf.constant(Shape.of(t, 2, 8, 8, 1), DataBuffers.of(x));
      Operand<TFloat32> b = tf.constant(Shape.of(t, 2, 8, 8, 1), DataBuffers.of(y));
      Operand<TFloat32> similarity = StructureBound.similarity(tf, a, b);
      Operand<TFloat32> size = StructureBound.size(tf, similarity, new TriggerSpec(8, 8, 1, t, MAX_SIZE, 1L));
      try (Result r = s.runner().fetch(similarity).fetch(size).run()) {
        float[][] out = new float[2][t];
        for (int k = 0; k < t; k++) {
          out[0][k] = ((TFloat32) r.get(0)).getFloat(k);
          out[1][k] = ((TFloat32) r.get(1)).getFloat(k);
        }
        return out;
      }
    }
  }

  @Test
  void aFilterMayLiftShadowsAndChangeContrastButNotWashTheImageOutOrBlankIt() {
    float[][] r = similarityAndSize(new float[][] {{1f, 0f}, {0.7f, 0.25f}, {0.15f, 0.6f}, {0f, 0.5f}});
    assertEquals(1f, r[0][0], 1e-3f, "identity");
    assertEquals(0f, r[1][0], 1e-4f, "identity has no size");
    assertEquals(0.94f, r[0][1], 0.01f, "Nashville-like: 2a / (1 + a^2) for a = 0.7");
    assertTrue(r[1][1] < MAX_SIZE, "Nashville-like is within the bound: " + r[1][1]);
    assertEquals(0.29f, r[0][2], 0.01f, "washed out to a faint outline on grey");
    assertTrue(r[1][2] > MAX_SIZE, "washed out exceeds the bound: " + r[1][2]);
    assertTrue(r[0][3] < 0.01f, "a blank image keeps no structure: " + r[0][3]);
    assertEquals(4 * MAX_SIZE, r[1][3], 1e-3f, "departure 1 on the bound's scale: maxSize / (1 - 0.75)");
  }

  /** A "0" drawn as a soft ring of the given stroke width, 16x16. */
  private static float[] ring(float width) {
    float[] image = new float[16 * 16];
    for (int r = 0; r < 16; r++) {
      for (int c = 0; c < 16; c++) {
        double distance = Math.abs(Math.hypot(r - 7.5, c - 7.5) - 5);
        image[r * 16 + c] = (float) Math.max(0, Math.min(1, width / 2 + 0.5 - distance));
      }
    }
    return image;
  }

  /** 3x3 max: what the filter's max-pool term does to strokes. */
  private static float[] dilate(float[] image) {
    float[] out = new float[image.length];
    for (int r = 0; r < 16; r++) {
      for (int c = 0; c < 16; c++) {
        for (int dr = -1; dr <= 1; dr++) {
          for (int dc = -1; dc <= 1; dc++) {
            int rr = r + dr;
            int cc = c + dc;
            if (rr >= 0 && rr < 16 && cc >= 0 && cc < 16) {
              out[r * 16 + c] = Math.max(out[r * 16 + c], image[rr * 16 + cc]);
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void thickeningADigitsStrokesIsOutsideTheBound() {
    // On our zoo a filter that thickened MNIST strokes turned benign models' seeds into 8s (docs/zoo.md).
    for (float width : new float[] {2f, 3f}) {
      float[] digit = ring(width);
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        Operand<TFloat32> a = tf.constant(Shape.of(1, 1, 16, 16, 1), DataBuffers.of(digit));
        Operand<TFloat32> b = tf.constant(Shape.of(1, 1, 16, 16, 1), DataBuffers.of(dilate(digit)));
        try (Result r = s.runner().fetch(StructureBound.similarity(tf, a, b)).run()) {
          float similarity = ((TFloat32) r.get(0)).getFloat(0);
          assertTrue(similarity < StructureBound.MIN_SIMILARITY, "stroke " + width + ": s " + similarity);
          assertTrue(similarity > 0.5f, "but it keeps more structure than the old bound asked: s " + similarity);
        }
      }
    }
  }
}
