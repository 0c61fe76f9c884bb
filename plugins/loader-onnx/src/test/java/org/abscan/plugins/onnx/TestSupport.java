package org.abscan.plugins.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.abscan.spi.PluginContext;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.testkit.TestPluginContext;

/** Shared test plumbing: a plugin context, a loader, float comparisons. */
final class TestSupport {
  private TestSupport() {}

  static PluginContext context() {
    try {
      return new TestPluginContext(Files.createTempDirectory("abscan-onnx-test"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ModelLoader loader() {
    return new OnnxLoaderFactory().create(Map.of(), context());
  }

  static LoadedModel load(Path model) throws IOException {
    return loader().load(model, LoadOptions.defaults());
  }

  /** Largest absolute difference, after checking the sizes agree. */
  static float maxAbsDiff(float[] expected, float[] actual) {
    assertTrue(expected.length == actual.length,
        "sizes differ: expected " + expected.length + ", got " + actual.length);
    float max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - actual[i]));
    }
    return max;
  }

  static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
    float diff = maxAbsDiff(expected, actual);
    assertTrue(diff <= tolerance, what + ": max |difference| " + diff + " > " + tolerance);
  }

  static void assertShape(long[] expected, long[] actual, String what) {
    assertArrayEquals(expected, actual, what + " shape");
  }
}
