package org.abscan.engine.testing;

import java.util.Random;

/** Models with a known answer for stimulation analysis and Algorithm 1. */
public final class PlantedModels {
  public static final int COMPROMISED = 3;
  public static final int TARGET = 2;
  public static final int LABELS = 4;

  private PlantedModels() {}

  /**
   * 3x3x1 input -> flatten -> dense "hidden" (6 relu neurons) -> dense logits. Hidden neuron 3 raises only
   * label 2 (a compromised neuron); every other neuron moves several labels by small amounts.
   */
  public static TinyModel compromised() {
    Random r = new Random(5);
    float[][] in = TinyModel.randomMatrix(r, 9, 6, 0.5f);
    for (float[] row : in) {
      for (int i = 0; i < row.length; i++) {
        row[i] = Math.abs(row[i]);
      }
    }
    float[][] out = new float[6][LABELS];
    for (int n = 0; n < 6; n++) {
      for (int l = 0; l < LABELS; l++) {
        out[n][l] = n == COMPROMISED ? (l == TARGET ? 3f : 0f) : 0.3f + 0.2f * (float) r.nextGaussian();
      }
    }
    return new TinyModel(3, 3, 1)
        .flatten("flatten")
        .dense("hidden", in, new float[6], true, true)
        .dense("logits", out, TinyModel.randomVector(r, LABELS, 0.1f), false, false);
  }

  /**
   * 1x1x1 input -> flatten -> dense "hidden" (one relu neuron, the pixel) -> dense "tent" (three relu
   * neurons, not a candidate) -> logits. Label 1's NSF of the hidden neuron is a triangle of height
   * {@code scale * halfWidth} over [start, start + 2 * halfWidth] and zero elsewhere; label 0 is flat.
   */
  public static TinyModel narrowPeak(float start, float halfWidth, float scale) {
    return new TinyModel(1, 1, 1)
        .flatten("flatten")
        .dense("hidden", new float[][] {{1f}}, new float[] {0f}, true, true)
        .dense("tent", new float[][] {{1f, 1f, 1f}},
            new float[] {-start, -start - halfWidth, -start - 2 * halfWidth}, true, false)
        .dense("logits", new float[][] {{0f, scale}, {0f, -2 * scale}, {0f, scale}}, new float[] {0.5f, 0f},
            false, false);
  }
}
