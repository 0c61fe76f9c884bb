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
    float[][] expected = expectedLogits();
    int batch = expected.length;
    float[] images = new float[batch * 8 * 8 * 3];
    for (int i = 0; i < images.length; i++) {
      images[i] = (i % 17) / 17f;
    }
    Path pb = FIXTURES.resolve("keras_frozen.pb");
    assertTrue(loader.accepts(pb));
    try (LoadedModel model = loader.load(pb, LoadOptions.defaults());
        TFloat32 x = TestModels.tensor(images, batch, 8, 8, 3);
        Graph graph = new Graph()) {
      List<LayerSpec> layers = model.spec().layers();
      assertEquals(3, layers.size(), layers.toString());
      assertEquals(List.of("Conv2D/relu", "Conv2D/relu", "Dense/relu"), layers.stream().map(LayerSpec::kind).toList());
      assertEquals(5, model.spec().numLabels());
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
      ModelGraph built = model.build(tf, input, Map.of());
      float[] actual =
          TestModels.run(graph, Map.of(input.op().name(), x), built.logits().asOutput().op().name());
      float[] flat = new float[batch * 5];
      for (int b = 0; b < batch; b++) {
        System.arraycopy(expected[b], 0, flat, b * 5, 5);
      }
      // Python TF and TF Java may pick different CPU kernels; agreement to 1e-4 is what we expect.
      TestModels.assertClose(flat, actual, 1e-4);
    }
  }

  private static float[][] expectedLogits() throws IOException {
    List<float[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(FIXTURES.resolve("keras_expected.txt"))) {
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
