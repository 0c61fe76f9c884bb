package org.abscan.zoo;

import java.util.Random;

/** The trigger geometry and the filter transforms behind {@link Attack}. */
final class TriggerShapes {
  private TriggerShapes() {}

  /** Which pixels a pixel-space trigger covers; the area is about {@code size} of the image. */
  static boolean[] mask(Attack.Kind kind, double size, int height, int width) {
    boolean[] mask = new boolean[height * width];
    int pixels = (int) Math.max(1, Math.round(size * height * width));
    switch (kind) {
      case MULTI_PIECE -> {
        // Three small squares in three corners: no single region holds the whole trigger.
        int side = (int) Math.max(1, Math.round(Math.sqrt(pixels / 3.0)));
        square(mask, width, height - side - 1, width - side - 1, side);
        square(mask, width, 1, width - side - 1, side);
        square(mask, width, height - side - 1, 1, side);
      }
      case IRREGULAR_YELLOW, IRREGULAR_RED -> {
        // A seeded random walk grown from the bottom-right corner region until it covers the area.
        Random random = new Random(7L + kind.ordinal());
        int r = height - 3;
        int c = width - 3;
        int covered = 0;
        while (covered < pixels) {
          if (!mask[r * width + c]) {
            mask[r * width + c] = true;
            covered++;
          }
          int step = random.nextInt(4);
          r = Math.min(height - 1, Math.max(height / 2, r + (step == 0 ? 1 : step == 1 ? -1 : 0)));
          c = Math.min(width - 1, Math.max(width / 2, c + (step == 2 ? 1 : step == 3 ? -1 : 0)));
        }
      }
      default -> {
        int side = (int) Math.max(1, Math.round(Math.sqrt(pixels)));
        square(mask, width, height - side - 1, width - side - 1, side);
      }
    }
    return mask;
  }

  private static void square(boolean[] mask, int width, int top, int left, int side) {
    for (int r = top; r < top + side; r++) {
      for (int c = left; c < left + side; c++) {
        mask[r * width + c] = true;
      }
    }
  }

  /** A fixed pseudo-random pattern blended over the whole image (static perturbation). */
  static void blend(float[] image, int height, int width, int channels, float alpha) {
    Random random = new Random(1234L);
    for (int i = 0; i < height * width * channels; i++) {
      float noise = random.nextFloat();
      image[i] = (1 - alpha) * image[i] + alpha * noise;
    }
  }

  /** Nashville-like: warm tint (red and yellow up, blue down) and lifted shadows. */
  static void nashville(float[] image, int channels) {
    if (channels < 3) {
      for (int i = 0; i < image.length; i++) {
        image[i] = clip(0.25f + 0.7f * image[i]);
      }
      return;
    }
    for (int p = 0; p < image.length; p += channels) {
      image[p] = clip(0.2f + 0.9f * image[p]);
      image[p + 1] = clip(0.1f + 0.85f * image[p + 1]);
      image[p + 2] = clip(0.05f + 0.6f * image[p + 2]);
    }
  }

  /** Gotham-like: black and white, high contrast. */
  static void gotham(float[] image, int channels) {
    for (int p = 0; p < image.length; p += channels) {
      float grey = 0f;
      for (int c = 0; c < channels; c++) {
        grey += image[p + c];
      }
      grey = clip((grey / channels - 0.5f) * 2.2f + 0.5f);
      for (int c = 0; c < channels; c++) {
        image[p + c] = grey;
      }
    }
  }

  private static float clip(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
