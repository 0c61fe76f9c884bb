package org.abscan.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.PluginContext;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.model.ModelLoaderFactory;
import org.abscan.spi.model.ModelSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The contract every {@link ModelLoaderFactory} must honour. A loader plugin's test extends this class and
 * supplies its factory and a small sample model; the inherited tests check naming, configuration, sniffing,
 * the spec's consistency, building (with and without a layer override) and the handling of damaged files.
 */
public abstract class ModelLoaderContractTest {
  private static final long[] BATCH_SIZES = {1, 3};

  @TempDir protected Path tempDir;

  /** The factory under test. */
  protected abstract ModelLoaderFactory factory();

  /** A small valid model file (or directory) the loader accepts; null skips the model-based tests. */
  protected abstract Path sampleModel() throws IOException;

  /** A configuration key the factory does not know. */
  protected String unknownConfigKey() {
    return "no.such.option";
  }

  /**
   * A damaged copy of the sample: by default the first half of its bytes. Loaders of directory formats
   * override this.
   */
  protected Path truncatedCopy(Path sample) throws IOException {
    byte[] bytes = Files.readAllBytes(sample);
    Path copy = tempDir.resolve("truncated-" + sample.getFileName());
    Files.write(copy, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    return copy;
  }

  /**
   * Random bytes where the sample's format expects a model, named like the sample. Loaders of directory formats
   * override this (e.g. a directory whose main file is garbage).
   */
  protected Path garbageCopy(Path sample) throws IOException {
    Path garbage = tempDir.resolve("garbage-" + sample.getFileName());
    byte[] bytes = new byte[64 * 1024];
    new Random(42).nextBytes(bytes);
    Files.write(garbage, bytes);
    return garbage;
  }

  protected PluginContext context() {
    return new TestPluginContext(tempDir);
  }

  protected ModelLoader loader() {
    return factory().create(Map.of(), context());
  }

  private Path requireSample() throws IOException {
    Path sample = sampleModel();
    Assumptions.assumeTrue(sample != null && Files.exists(sample), "sample model absent: " + sample);
    return sample;
  }

  @Test
  void factoryHasAName() {
    assertNotNull(factory().name());
    assertFalse(factory().name().isBlank(), "factory name must not be blank");
  }

  @Test
  void unknownConfigKeyIsRejected() {
    AbscanException e = assertThrows(AbscanException.class,
        () -> factory().create(Map.of(unknownConfigKey(), "1"), context()));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    assertTrue(e.getMessage().contains(unknownConfigKey())
            || e.violations().stream().anyMatch(v -> v.subject().contains(unknownConfigKey())),
        "the error should name the unknown key: " + e.getMessage());
  }

  @Test
  void doesNotAcceptANonModelFile() throws IOException {
    Path text = tempDir.resolve("notes.txt");
    Files.writeString(text, "this is not a model\n".repeat(100));
    assertFalse(loader().accepts(text));
  }

  @Test
  void acceptsItsSampleModel() throws IOException {
    assertTrue(loader().accepts(requireSample()));
  }

  @Test
  void sampleModelHasAConsistentSpec() throws IOException {
    try (LoadedModel model = loader().load(requireSample(), LoadOptions.defaults())) {
      ModelSpec spec = model.spec();
      assertEquals(factory().name(), spec.format());
      assertFalse(spec.layers().isEmpty(), "a model has layers");
      assertFalse(spec.candidateLayers().isEmpty(), "a model has candidate layers for ABS");
      for (LayerSpec layer : spec.layers()) {
        assertTrue(layer.channelAxis() >= 0 && layer.channelAxis() < layer.shape().length, layer.toString());
        assertTrue(layer.neurons() > 0, "layer without neurons: " + layer);
      }
      assertEquals(spec.layers().size(), spec.layers().stream().map(LayerSpec::name).distinct().count(),
          "layer names are unique");
      assertTrue(spec.numLabels() > 1, "numLabels " + spec.numLabels());
      assertFalse(spec.layer(spec.logitsName()).map(LayerSpec::candidate).orElse(false),
          "the logits are not a candidate");
      spec.layer(spec.logitsName()).ifPresent(logits ->
          assertEquals(spec.numLabels(), logits.neurons(), "logits layer has numLabels neurons"));
      assertTrue(spec.parameterCount() > 0);
    }
  }

  @Test
  void buildsLogitsForAnyBatchWithAndWithoutOverride() throws IOException {
    try (LoadedModel model = loader().load(requireSample(), LoadOptions.defaults());
        Graph graph = new Graph()) {
      ModelSpec spec = model.spec();
      LayerSpec overridden = spec.candidateLayers().get(0);
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(spec.input().shape(-1))));
      Placeholder<TFloat32> replacement =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(withBatch(overridden.shape(), -1))));
      ModelGraph plain = model.build(tf, input, Map.of());
      ModelGraph withOverride = model.build(tf, input, Map.of(overridden.name(), replacement));
      assertEquals(spec.layers().stream().map(LayerSpec::name).toList(), List.copyOf(plain.layers().keySet()),
          "build() returns every layer of the spec, in order");
      // Same tensor, whatever Operand object wraps it (a loader may hand back the Output of the override).
      assertEquals(replacement.asOutput(), withOverride.layer(overridden.name()).asOutput(),
          "the override is the layer's output");
      try (Session session = new Session(graph)) {
        for (long batch : BATCH_SIZES) {
          try (TFloat32 x = random(spec.input().shape(batch), 1);
              TFloat32 zeros = random(withBatch(overridden.shape(), batch), 0)) {
            assertLogits(session, Map.of(input, x), plain.logits(), batch, spec.numLabels());
            Map<Operand<TFloat32>, TFloat32> feeds = new HashMap<>();
            feeds.put(input, x);
            feeds.put(replacement, zeros);
            assertLogits(session, feeds, withOverride.logits(), batch, spec.numLabels());
          }
        }
      }
    }
  }

  @Test
  void truncatedFileIsMalformed() throws IOException {
    assertMalformed(truncatedCopy(requireSample()));
  }

  @Test
  void garbageFileIsMalformed() throws IOException {
    assertMalformed(garbageCopy(requireSample()));
  }

  private void assertMalformed(Path damaged) {
    try {
      loader().load(damaged, LoadOptions.defaults()).close();
      fail("loading a damaged file succeeded: " + damaged);
    } catch (AbscanException e) {
      assertEquals(ErrorCategory.MALFORMED_MODEL, e.category(), "category for " + damaged + ": " + e.getMessage());
    } catch (Exception | Error e) {
      fail("loading a damaged file must throw AbscanException MALFORMED_MODEL, threw " + e, e);
    }
  }

  private static void assertLogits(
      Session session, Map<Operand<TFloat32>, TFloat32> feeds, Operand<TFloat32> logits, long batch, int labels) {
    Session.Runner runner = session.runner();
    feeds.forEach(runner::feed);
    try (var result = runner.fetch(logits).run()) {
      Tensor out = result.get(0);
      assertArrayEquals(new long[] {batch, labels}, out.shape().asArray(), "logits shape");
      float[] values = new float[(int) (batch * labels)];
      ((TFloat32) out).asRawTensor().data().asFloats().read(values);
      for (float v : values) {
        assertTrue(Float.isFinite(v), "logits are finite");
      }
    }
  }

  private static long[] withBatch(long[] shape, long batch) {
    long[] full = new long[shape.length + 1];
    full[0] = batch;
    System.arraycopy(shape, 0, full, 1, shape.length);
    return full;
  }

  /** Uniform [0, scale) values, seeded: scale 0 gives zeros. */
  private static TFloat32 random(long[] shape, float scale) {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    float[] values = new float[Math.toIntExact(count)];
    Random random = new Random(7);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() * scale;
    }
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }
}
