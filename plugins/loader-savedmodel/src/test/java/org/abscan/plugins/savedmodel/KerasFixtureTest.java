package org.abscan.plugins.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Models written by Python TensorFlow / Keras (bench/fixtures/savedmodel/make_keras_savedmodel.py): a TF 2
 * SavedModel is refused with advice on how to export a scannable model, and the frozen GraphDef that advice
 * describes loads and computes the logits Keras computed.
 */
class KerasFixtureTest {
  private static final Path FIXTURES = Path.of("../../bench/fixtures/savedmodel");

  @TempDir static Path temp;
  static ModelLoader loader;

  @BeforeAll
  static void setUp() {
    assertTrue(Files.isDirectory(FIXTURES), "committed fixtures missing: " + FIXTURES.toAbsolutePath());
    loader = TestModels.loader(temp.resolve("scratch"));
  }

  @Test
  void kerasV2SavedModelIsRefusedWithExportAdvice() throws Exception {
    Path dir = unzip(FIXTURES.resolve("keras_savedmodel.zip"), temp.resolve("keras")).resolve("keras_savedmodel");
    assertTrue(loader.accepts(dir));
    AbscanException e = assertThrows(AbscanException.class, () -> loader.load(dir, LoadOptions.defaults()));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, e.category(), e.getMessage());
    assertTrue(e.getMessage().contains("model.h5") && e.getMessage().contains("GraphDef"), e.getMessage());
    assertTrue(
        e.violations().stream().anyMatch(v -> v.description().contains("StatefulPartitionedCall")),
        e.violations().toString());
  }

  @Test
  void frozenKerasGraphComputesKerasLogits() throws Exception {
    float[][] expected = expectedLogits("keras_expected.txt");
    Path pb = FIXTURES.resolve("keras_frozen.pb");
    assertTrue(loader.accepts(pb));
    try (LoadedModel model = loader.load(pb, LoadOptions.defaults())) {
      List<LayerSpec> layers = model.spec().layers();
      assertEquals(3, layers.size(), layers.toString());
      assertEquals(List.of("Conv2D/relu", "Conv2D/relu", "Dense/relu"), layers.stream().map(LayerSpec::kind).toList());
      assertEquals(5, model.spec().numLabels());
      // Python TF and TF Java may pick different CPU kernels; agreement to 1e-4 is what we expect.
      TestModels.assertClose(flatten(expected), logits(model, expected.length), 1e-4);
    }
  }

  @Test
  void tf1SavedModelWithResourceVariablesComputesItsLogits() throws Exception {
    Path dir = unzip(FIXTURES.resolve("tf1_savedmodel.zip"), temp.resolve("tf1")).resolve("tf1_savedmodel");
    assertTrue(loader.accepts(dir));
    float[][] expected = expectedLogits("tf1_expected.txt");
    try (LoadedModel model = loader.load(dir, LoadOptions.defaults())) {
      assertEquals(
          List.of(new LayerSpec("conv1/relu", "Conv2D/relu", new long[] {8, 8, 4}, 2, true)),
          model.spec().layers());
      assertEquals("logits:0", model.spec().logitsName());
      assertEquals(new org.abscan.spi.model.InputSpec("image", 8, 8, 3,
          org.abscan.spi.model.InputSpec.Layout.NHWC), model.spec().input());
      assertEquals(3 * 3 * 3 * 4 + 4 + 64 * 5 + 5, model.spec().parameterCount());
      TestModels.assertClose(flatten(expected), logits(model, expected.length), 1e-4);
    }
  }

  private static float[] logits(LoadedModel model, int batch) {
    float[] images = new float[batch * 8 * 8 * 3];
    for (int i = 0; i < images.length; i++) {
      images[i] = (i % 17) / 17f;
    }
    try (TFloat32 x = TestModels.tensor(images, batch, 8, 8, 3);
        Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
      ModelGraph built = model.build(tf, input, Map.of());
      return TestModels.run(graph, Map.of(input.op().name(), x), built.logits().asOutput().op().name());
    }
  }

  private static float[] flatten(float[][] rows) {
    float[] flat = new float[rows.length * rows[0].length];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(rows[b], 0, flat, b * rows[b].length, rows[b].length);
    }
    return flat;
  }

  private static float[][] expectedLogits(String file) throws IOException {
    List<float[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(FIXTURES.resolve(file))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.trim().split("\\s+");
      float[] row = new float[parts.length];
      for (int i = 0; i < parts.length; i++) {
        row[i] = Float.parseFloat(parts[i]);
      }
      rows.add(row);
    }
    return rows.toArray(new float[0][]);
  }

  private static Path unzip(Path zip, Path to) throws IOException {
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = z.getNextEntry()) != null; ) {
        Path target = to.resolve(entry.getName()).normalize();
        if (!target.startsWith(to)) {
          throw new IOException("zip entry escapes the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(z, target);
        }
      }
    }
    return to;
  }
}
