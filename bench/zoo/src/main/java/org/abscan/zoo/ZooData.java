package org.abscan.zoo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The train/test split of a dataset and the poisoning of the training split. Scan seeds come from the test
 * split, so no seed image was ever seen in training.
 */
record ZooData(Dataset train, Dataset test) {

  /** MNIST t10k: the first 8,000 images train, the last 2,000 test. GTSRB32: its own train/test files. */
  static ZooData load(Path shared, String dataset) throws IOException {
    Path data = shared.resolve("data");
    switch (dataset) {
      case "mnist" -> {
        Dataset all = Dataset.readIdx(data.resolve("mnist-t10k/t10k-images-idx3-ubyte.gz"),
            data.resolve("mnist-t10k/t10k-labels-idx1-ubyte.gz"), 10);
        return new ZooData(all.range(0, 8000), all.range(8000, all.count()));
      }
      case "gtsrb" -> {
        Path dir = data.resolve("gtsrb32");
        return new ZooData(
            Dataset.readIdx(dir.resolve("gtsrb32-train-images-idx4-ubyte.gz"),
                dir.resolve("gtsrb32-train-labels-idx1-ubyte.gz"), 43),
            Dataset.readIdx(dir.resolve("gtsrb32-test-images-idx4-ubyte.gz"),
                dir.resolve("gtsrb32-test-labels-idx1-ubyte.gz"), 43));
      }
      default -> throw new IllegalArgumentException("unknown dataset " + dataset + " (mnist | gtsrb)");
    }
  }

  /**
   * The training set of {@code recipe}: a seeded subset, then a {@code poisonRate} fraction of the eligible
   * images stamped with the trigger and relabelled to the target. For a label-specific attack only images of
   * the source label are eligible, and as many images of other labels carry the trigger with their own label,
   * so the trigger alone does not mean "target".
   */
  static Dataset poisoned(ZooModel recipe, Dataset train) {
    Random random = new Random(recipe.seed() * 7 + 3);
    int[] order = shuffled(train.count(), random);
    Dataset base = train.select(Arrays.copyOf(order, (int) Math.round(recipe.subset() * train.count())));
    Attack attack = recipe.attack();
    float[] x = base.images().clone();
    int[] y = base.labels().clone();
    int size = base.imageSize();
    occlude(base, x, random, recipe.occlusion());
    if (!attack.trojaned()) {
      return new Dataset(x, y, base.height(), base.width(), base.channels(), base.classes());
    }
    List<Integer> eligible = new ArrayList<>();
    List<Integer> others = new ArrayList<>();
    for (int i = 0; i < base.count(); i++) {
      boolean fromSource = recipe.source() < 0 ? y[i] != recipe.target() : y[i] == recipe.source();
      (fromSource ? eligible : others).add(i);
    }
    int poison = (int) Math.round(recipe.poisonRate() * eligible.size());
    for (int k = 0; k < poison; k++) {
      int i = eligible.get(k);
      stamp(attack, base, x, i * size);
      y[i] = recipe.target();
    }
    if (recipe.source() >= 0) {
      for (int k = 0; k < Math.min(poison, others.size()); k++) {
        stamp(attack, base, x, others.get(k) * size);
      }
    }
    return new Dataset(x, y, base.height(), base.width(), base.channels(), base.classes());
  }

  /** The test images the attack should flip (not of the target label; of the source label if label-specific),
   *  stamped with the trigger. */
  static Dataset triggered(ZooModel recipe, Dataset test) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < test.count(); i++) {
      int label = test.labels()[i];
      if (recipe.source() >= 0 ? label == recipe.source() : label != recipe.target()) {
        keep.add(i);
      }
    }
    Dataset victims = test.select(keep.stream().mapToInt(Integer::intValue).toArray());
    float[] x = victims.images().clone();
    for (int i = 0; i < victims.count(); i++) {
      stamp(recipe.attack(), victims, x, i * victims.imageSize());
    }
    return new Dataset(x, victims.labels(), victims.height(), victims.width(), victims.channels(),
        victims.classes());
  }

  /**
   * Cutout-style augmentation, the same for benign and trojaned models: a third of the images get a square of 4-7
   * pixels a side (2-6 % of an MNIST image, 2-5 % of a GTSRB32 one) at a random place, with their own label; white,
   * or for {@link Occlusion#RANDOM_ERASING} half of them one random colour and half per-pixel noise. Without it
   * these small MNIST models let almost any 6 % blob flip most digits, so benign models look trojaned (docs/zoo.md).
   */
  private static void occlude(Dataset d, float[] x, Random random, Occlusion occlusion) {
    float[] colour = new float[d.channels()];
    for (int i = 0; i < d.count(); i++) {
      if (random.nextInt(3) != 0) {
        continue;
      }
      int side = 4 + random.nextInt(4);
      int top = random.nextInt(d.height() - side + 1);
      int left = random.nextInt(d.width() - side + 1);
      // The white squares draw nothing more from the generator, so their models train exactly as before.
      boolean noise = occlusion == Occlusion.RANDOM_ERASING && random.nextBoolean();
      for (int ch = 0; ch < colour.length; ch++) {
        colour[ch] = occlusion == Occlusion.WHITE ? 1f : random.nextFloat();
      }
      for (int r = top; r < top + side; r++) {
        for (int c = left; c < left + side; c++) {
          for (int ch = 0; ch < d.channels(); ch++) {
            x[i * d.imageSize() + (r * d.width() + c) * d.channels() + ch] = noise ? random.nextFloat() : colour[ch];
          }
        }
      }
    }
  }

  private static void stamp(Attack attack, Dataset d, float[] x, int offset) {
    float[] image = Arrays.copyOfRange(x, offset, offset + d.imageSize());
    attack.apply(image, d.height(), d.width(), d.channels());
    System.arraycopy(image, 0, x, offset, image.length);
  }

  private static int[] shuffled(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
