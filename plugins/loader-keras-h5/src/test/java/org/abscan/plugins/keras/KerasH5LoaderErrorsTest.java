package org.abscan.plugins.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the loader refuses what it cannot or must not load. */
class KerasH5LoaderErrorsTest {
  private final ModelLoader loader = new KerasH5LoaderFactory().create(Map.of(), null);
  @TempDir Path tempDir;

  @Test
  void unsupportedLayerNamesItsClassAndName() {
    AbscanException e = assertThrows(AbscanException.class,
        () -> loader.load(Fixtures.path("unsupported_layer.h5"), LoadOptions.defaults()));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, e.category());
    assertTrue(e.getMessage().contains("Conv2DTranspose"), e.getMessage());
    assertEquals("upsample", e.violations().get(0).subject());
  }

  @Test
  void weightsOnlyFileIsNotAccepted() throws IOException {
    Path weights = Fixtures.path("weights_only.h5");
    assertFalse(loader.accepts(weights), "save_weights() files carry no model_config");
    AbscanException e = assertThrows(AbscanException.class, () -> loader.load(weights, LoadOptions.defaults()));
    assertEquals(ErrorCategory.MALFORMED_MODEL, e.category());
    assertTrue(e.getMessage().contains("model_config"), e.getMessage());
  }

  @Test
  void signatureIsFoundBehindAUserBlock() throws IOException {
    Path model = Fixtures.path("user_block.h5");
    assertEquals(0, Files.readAllBytes(model)[0], "the fixture starts with its user block");
    assertTrue(loader.accepts(model));
  }

  @Test
  void weightsBeyondMaxModelBytesAreRefusedBeforeReading() {
    AbscanException e = assertThrows(AbscanException.class,
        () -> loader.load(Fixtures.path("seq_bn_pool.h5"), new LoadOptions(Map.of(), 1_000)));
    assertEquals(ErrorCategory.LIMIT_EXCEEDED, e.category());
    assertTrue(e.getMessage().contains("maxModelBytes"), e.getMessage());
  }

  @Test
  void hdf5SignatureFollowedByGarbageIsMalformed() throws IOException {
    byte[] bytes = new byte[8192];
    new Random(3).nextBytes(bytes);
    System.arraycopy(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}, 0, bytes, 0, 8);
    Path file = tempDir.resolve("garbage.h5");
    Files.write(file, bytes);
    assertFalse(loader.accepts(file));
    AbscanException e = assertThrows(AbscanException.class, () -> loader.load(file, LoadOptions.defaults()));
    assertEquals(ErrorCategory.MALFORMED_MODEL, e.category());
  }

  @Test
  void everyTruncationOfAModelIsMalformedNeverACrash() throws IOException {
    byte[] bytes = Files.readAllBytes(Fixtures.path("functional_reshape.h5"));
    for (int length : new int[] {8, 100, 600, 2048, bytes.length / 3, bytes.length - 4000, bytes.length - 1}) {
      Path file = tempDir.resolve("cut-" + length + ".h5");
      Files.write(file, java.util.Arrays.copyOf(bytes, length));
      AbscanException e = assertThrows(AbscanException.class, () -> loader.load(file, LoadOptions.defaults()),
          "truncated to " + length + " bytes");
      assertEquals(ErrorCategory.MALFORMED_MODEL, e.category(), "truncated to " + length + ": " + e.getMessage());
    }
  }

  @Test
  void configErrorsAreMalformedOrUnsupported() {
    AbscanException json = assertThrows(AbscanException.class, () -> KerasConfigParser.parse("{not json"));
    assertEquals(ErrorCategory.MALFORMED_MODEL, json.category());
    AbscanException subclassed = assertThrows(AbscanException.class,
        () -> KerasConfigParser.parse("{\"class_name\": \"MyModel\", \"config\": {\"name\": \"m\"}}"));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, subclassed.category());
    String shared = """
        {"class_name": "Functional", "config": {"name": "m",
          "layers": [
            {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 4, 4, 1]},
             "inbound_nodes": []},
            {"class_name": "ReLU", "name": "r", "config": {"name": "r"},
             "inbound_nodes": [[["in", 0, 0, {}]], [["r", 0, 0, {}]]]}],
          "input_layers": [["in", 0, 0]], "output_layers": [["r", 1, 0]]}}
        """;
    AbscanException sharedLayer = assertThrows(AbscanException.class, () -> KerasConfigParser.parse(shared));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, sharedLayer.category());
    assertEquals("r", sharedLayer.violations().get(0).subject());
  }
}
