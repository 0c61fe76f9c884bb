package org.abscan.engine.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.abscan.engine.SeedImages;

/** Random seed images with labels assigned round-robin. */
public final class TestSeeds {
  private TestSeeds() {}

  public static SeedImages random(long seed, int count, int size, int channels, int labels) {
    Random r = new Random(seed);
    float[] pixels = new float[count * size * size * channels];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = r.nextFloat();
    }
    int[] truth = new int[count];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      truth[i] = i % labels;
      names.add(truth[i] + "/img_" + i + ".png");
    }
    return new SeedImages(pixels, count, size, size, channels, truth, names);
  }
}
