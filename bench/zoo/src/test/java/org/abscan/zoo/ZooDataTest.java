package org.abscan.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ZooDataTest {
  private static final int COUNT = 600;
  private static final int SIDE = 32;

  /** Black GTSRB32-sized images, so every occluded pixel is one the augmentation wrote. */
  private static Dataset blackImages() {
    int[] labels = new int[COUNT];
    for (int i = 0; i < COUNT; i++) {
      labels[i] = i % 43;
    }
    return new Dataset(new float[COUNT * SIDE * SIDE * 3], labels, SIDE, SIDE, 3, 43);
  }

  private static ZooModel benign(Occlusion occlusion) {
    return Catalogue.benign("gtsrb", Architecture.VGG, 7).withOcclusion(occlusion);
  }

  /** The distinct values an image's occluded pixels hold, per image; empty sets for untouched images. */
  private static Set<Float>[] writtenValues(Dataset d) {
    @SuppressWarnings("unchecked")
    Set<Float>[] values = new Set[d.count()];
    for (int i = 0; i < d.count(); i++) {
      values[i] = new HashSet<>();
      for (float v : d.image(i)) {
        if (v != 0f) {
          values[i].add(v);
        }
      }
    }
    return values;
  }

  @Test
  void whiteOcclusionWritesWhiteSquaresOnAboutAThirdOfTheImages() {
    Dataset out = ZooData.poisoned(benign(Occlusion.WHITE), blackImages());
    int occluded = 0;
    for (Set<Float> v : writtenValues(out)) {
      if (!v.isEmpty()) {
        occluded++;
        assertEquals(Set.of(1f), v);
      }
    }
    assertTrue(occluded > out.count() / 4 && occluded < out.count() / 2.5, occluded + " of " + out.count());
  }

  @Test
  void randomErasingWritesColouredSquaresAndNoise() {
    Dataset in = blackImages();
    Dataset out = ZooData.poisoned(benign(Occlusion.RANDOM_ERASING), in);
    int solid = 0;
    int noise = 0;
    for (Set<Float> v : writtenValues(out)) {
      if (v.isEmpty()) {
        continue;
      }
      // A solid colour holds at most three values (one per channel); 16-49 noisy pixels hold many more.
      if (v.size() <= 3) {
        solid++;
        assertTrue(!v.equals(Set.of(1f)), "a random colour, not white");
      } else {
        noise++;
        assertTrue(v.size() >= 16 * 3 - 2, "per-pixel noise: " + v.size());
      }
    }
    assertTrue(solid > 50 && noise > 50, solid + " solid, " + noise + " noise");
    assertEquals(Math.round(0.9 * COUNT), out.count(), "the recipe's 90 % subset");
    Dataset again = ZooData.poisoned(benign(Occlusion.RANDOM_ERASING), in);
    assertArrayEquals(out.images(), again.images(), "seeded: the same recipe gives the same data");
  }
}
