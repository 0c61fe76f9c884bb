package org.abscan.plugins.savedmodel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.abscan.spi.Plugin;
import org.abscan.spi.PluginContext;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.model.ModelLoaderFactory;
import org.abscan.spi.testkit.TestPluginContext;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Shared helpers: the loader as the host finds it, and running a graph on float inputs. */
final class TestModels {
  private TestModels() {}

  /** The "savedmodel" loader, found the way the daemon finds it (ServiceLoader over Plugin). */
  static ModelLoader loader(Path scratch) {
    for (Plugin plugin : ServiceLoader.load(Plugin.class)) {
      for (ModelLoaderFactory factory : plugin.getModelLoaderFactories()) {
        if (factory.name().equals("savedmodel")) {
          return factory.create(Map.of(), context(scratch));
        }
      }
    }
    throw new AssertionError("no savedmodel loader registered through META-INF/services");
  }

  static PluginContext context(Path scratch) {
    return new TestPluginContext(scratch);
  }

  static TFloat32 tensor(float[] values, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values));
  }

  static float[] values(org.tensorflow.Tensor tensor) {
    float[] out = new float[(int) tensor.shape().size()];
    tensor.asRawTensor().data().asFloats().read(out);
    return out;
  }

  /** Runs {@code session} feeding {@code feeds} (tensor name to value) and returns the one fetched tensor. */
  static float[] run(Session session, Map<String, TFloat32> feeds, String fetch) {
    Session.Runner runner = session.runner();
    feeds.forEach(runner::feed);
    try (Result result = runner.fetch(fetch).run()) {
      return values(result.get(0));
    }
  }

  static float[] run(Graph graph, Map<String, TFloat32> feeds, String fetch) {
    try (Session session = new Session(graph)) {
      return run(session, feeds, fetch);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  static void assertClose(float[] expected, float[] actual, double tolerance) {
    org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, "length");
    for (int i = 0; i < expected.length; i++) {
      if (Math.abs(expected[i] - actual[i]) > tolerance) {
        throw new AssertionError(
            "element " + i + ": expected " + expected[i] + " but was " + actual[i] + " (tolerance "
                + tolerance + ")");
      }
    }
  }
}
