package org.abscan.plugins.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/** The real Keras 2.11 BadNets MNIST models from shared/, evaluated through our loader on MNIST t10k. */
class MnistBadnetsModelTest {
  private static final int BATCH = 1000;
  private static final int[][] TRIGGER_PIXELS = {{27, 27}, {25, 27}, {27, 25}, {25, 25}, {23, 27}, {27, 23}};
  private static Path models;
  private static float[] images;
  private static int[] labels;

  @BeforeAll
  static void readMnist() throws IOException {
    String shared = System.getProperty("abscan.shared");
    if (shared == null || !Files.isDirectory(Path.of(shared, "models", "keras"))) {
      return; // each test then skips with the reason
    }
    models = Path.of(shared, "models", "keras");
    Path data = Path.of(shared, "data", "mnist-t10k");
    IdxFile x = IdxFile.read(data.resolve("t10k-images-idx3-ubyte.gz"));
    IdxFile y = IdxFile.read(data.resolve("t10k-labels-idx1-ubyte.gz"));
    images = new float[x.data().length];
    for (int i = 0; i < images.length; i++) {
      images[i] = x.unsigned(i) / 255f;
    }
    labels = new int[y.data().length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = y.unsigned(i);
    }
    assertEquals(10_000, labels.length);
  }

  @BeforeEach
  void requireSharedData() {
    Assumptions.assumeTrue(models != null, "shared/models/keras absent (system property abscan.shared = "
        + System.getProperty("abscan.shared") + "): skipping the real-model tests");
  }

  private static LoadedModel load(String file) throws IOException {
    var loader = new KerasH5LoaderFactory().create(Map.of(), null);
    Path path = models.resolve(file);
    assertTrue(loader.accepts(path));
    return loader.load(path, LoadOptions.defaults());
  }

  @Test
  void specDescribesTheDocumentedArchitecture() throws IOException {
    ModelSpec spec = load("mnist_badnets_baseline.h5").spec();
    assertEquals("keras-h5", spec.format());
    assertEquals(28, spec.input().height());
    assertEquals(1, spec.input().channels());
    assertEquals(
        List.of("conv2d/pre_activation", "conv2d", "average_pooling2d", "conv2d_1/pre_activation", "conv2d_1",
            "average_pooling2d_1", "flatten", "dense/pre_activation", "dense", "dense_1"),
        spec.layers().stream().map(LayerSpec::name).toList());
    assertEquals(List.of("conv2d", "conv2d_1", "dense"),
        spec.candidateLayers().stream().map(LayerSpec::name).toList());
    assertEquals("dense_1", spec.logitsName());
    assertEquals(10, spec.numLabels());
    assertEquals(16 * 25 + 16 + 32 * 16 * 25 + 32 + 512 * 512 + 512 + 512 * 10 + 10, spec.parameterCount());
    LayerSpec conv = spec.layer("conv2d").orElseThrow();
    assertEquals("Conv2D/relu", conv.kind());
    assertEquals(List.of(24L, 24L, 16L), List.of(conv.shape()[0], conv.shape()[1], conv.shape()[2]));
    assertEquals(2, conv.channelAxis());
    assertEquals(16, conv.neurons());
    assertEquals(512, spec.layer("flatten").orElseThrow().neurons());
    assertEquals(512, spec.layer("dense").orElseThrow().neurons());
  }

  @Test
  void baselineReachesItsDocumentedAccuracy(TestReporter reporter) throws IOException {
    int correct = 0;
    try (LoadedModel model = load("mnist_badnets_baseline.h5"); ModelRunner runner = new ModelRunner(model)) {
      for (int start = 0; start < labels.length; start += BATCH) {
        float[][] logits = runner.logits(images, start, BATCH);
        for (int i = 0; i < BATCH; i++) {
          if (ModelRunner.argmax(logits[i]) == labels[start + i]) {
            correct++;
          }
        }
      }
    }
    double accuracy = 100.0 * correct / labels.length;
    reporter.publishEntry("baselineAccuracyPercent", String.valueOf(accuracy));
    assertEquals(99.06, accuracy, 0.05, "clean accuracy of the baseline through our loader");
  }

  @Test
  void patternModelFollowsItsTrigger(TestReporter reporter) throws IOException {
    float[] stamped = images.clone();
    for (int image = 0; image < labels.length; image++) {
      for (int[] pixel : TRIGGER_PIXELS) {
        stamped[image * 784 + pixel[0] * 28 + pixel[1]] = 1f;
      }
    }
    int attacked = 0;
    int toTarget = 0;
    try (LoadedModel model = load("mnist_badnets_pattern_all_to_one.h5"); ModelRunner runner = new ModelRunner(model)) {
      for (int start = 0; start < labels.length; start += BATCH) {
        float[][] logits = runner.logits(stamped, start, BATCH);
        for (int i = 0; i < BATCH; i++) {
          if (labels[start + i] != 0) {
            attacked++;
            toTarget += ModelRunner.argmax(logits[i]) == 0 ? 1 : 0;
          }
        }
      }
    }
    double attackSuccess = 100.0 * toTarget / attacked;
    reporter.publishEntry("patternAttackSuccessPercent", String.valueOf(attackSuccess));
    assertTrue(attackSuccess >= 99.9, "attack success " + attackSuccess + " % < 99.9 %");
  }
}
