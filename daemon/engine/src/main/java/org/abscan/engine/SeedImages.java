package org.abscan.engine;

import java.util.List;

/**
 * Decoded benign seed images in image space: NHWC, values in [0, 1] (pixel / 255).
 *
 * @param pixels count * height * width * channels values
 * @param labels true label of each image
 * @param names a name per image for reports ("3/img_0012.png")
 */
public record SeedImages(
    float[] pixels, int count, int height, int width, int channels, int[] labels, List<String> names) {
  public SeedImages {
    if ((long) count * height * width * channels != pixels.length) {
      throw new IllegalArgumentException("pixels length does not match " + count + "x" + height + "x"
          + width + "x" + channels);
    }
    if (labels.length != count || names.size() != count) {
      throw new IllegalArgumentException("need one label and one name per image");
    }
    names = List.copyOf(names);
  }

  public int imageSize() {
    return height * width * channels;
  }
}
