package org.abscan.plugins.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.Plugin;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.model.ModelLoaderFactory;
import org.abscan.spi.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The model-loader contract (what spi-testkit's ModelLoaderContractTest will check), on the ONNX fixtures:
 * discovery and name, configuration, recognition, a self-consistent spec, builds with and without overrides
 * at batch 1 and 3, and truncated or oversized files.
 */
class OnnxLoaderContractTest {
  @TempDir Path tmp;

  @Test
  void pluginIsDiscoveredWithFactoryNamedOnnx() {
    List<ModelLoaderFactory> factories = ServiceLoader.load(Plugin.class).stream()
        .map(ServiceLoader.Provider::get)
        .flatMap(p -> StreamSupport.stream(p.getModelLoaderFactories().spliterator(), false))
        .toList();
    assertEquals(List.of("onnx"), factories.stream().map(ModelLoaderFactory::name).toList());
    assertTrue(factories.get(0).description().contains("ONNX"));
  }

  @Test
  void unknownConfigurationKeyIsRejected() {
    AbscanException e = assertThrows(AbscanException.class,
        () -> new OnnxLoaderFactory().create(Map.of("layout", "nhwc"), TestSupport.context()));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    assertEquals("layout", e.violations().get(0).subject());
  }

  @Test
  void acceptsFixturesByNameAndByContent() throws Exception {
    ModelLoader loader = TestSupport.loader();
    for (String name : Fixture.NAMES) {
      Path model = Fixture.resource(name + ".onnx");
      assertTrue(loader.accepts(model), name);
      Path renamed = tmp.resolve(name + ".bin");
      Files.copy(model, renamed);
      assertTrue(loader.accepts(renamed), name + " without the .onnx extension");
    }
  }

  @Test
  void acceptsLargeModelsFromTheirFirstBytesAndClaimsTruncatedOnnxFiles() throws Exception {
    // Weights first, so the graph field runs far past the 64 KiB the sniffer reads.
    var big = org.abscan.plugins.onnx.proto.OnnxProto.TensorProto.newBuilder().setName("big")
        .setDataType(org.abscan.plugins.onnx.proto.OnnxProto.TensorProto.DataType.FLOAT_VALUE).addDims(100_000)
        .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[400_000])).build();
    var graph = Models.graph(1, 4, 4).addInitializer(big)
        .addNode(Models.node("Relu", "/relu/Relu", new String[] {"x"}, "y"));
    Path model = tmp.resolve("large.bin");
    Files.write(model, Models.model(graph, 13).toByteArray());
    assertTrue(Files.size(model) > OnnxSniffer.PREFIX_BYTES);
    ModelLoader loader = TestSupport.loader();
    assertTrue(loader.accepts(model), "recognised by content");

    byte[] bytes = Files.readAllBytes(Fixture.resource("cnn-op11.onnx"));
    Path cut = tmp.resolve("cut.onnx");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    assertTrue(loader.accepts(cut), "a truncated .onnx is claimed, so load() can report it as malformed");
    Path cutUnnamed = tmp.resolve("cut.bin");
    Files.write(cutUnnamed, Arrays.copyOf(bytes, 40));
    assertFalse(loader.accepts(cutUnnamed), "without the extension, 40 bytes do not reach the graph");
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage.bin", "garbage.onnx", "garbage"})
  void rejectsGarbage(String fileName) throws Exception {
    ModelLoader loader = TestSupport.loader();
    Random random = new Random(42);
    for (int trial = 0; trial < 50; trial++) {
      byte[] bytes = new byte[1 + random.nextInt(4096)];
      random.nextBytes(bytes);
      Path garbage = tmp.resolve(fileName);
      Files.write(garbage, bytes);
      assertFalse(loader.accepts(garbage), "random bytes, trial " + trial);
    }
    Path text = tmp.resolve("notes-" + fileName);
    Files.writeString(text, "this is not a neural network\n");
    assertFalse(loader.accepts(text));
    assertFalse(loader.accepts(tmp), "a directory");
    assertFalse(loader.accepts(tmp.resolve("missing.onnx")), "a missing file");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cnn-op11", "bn-op17", "residual-op17", "fixed1-op11", "ops-op17"})
  void specIsConsistentWithBuiltGraphs(String name) throws Exception {
    try (LoadedModel model = TestSupport.load(Fixture.resource(name + ".onnx"))) {
      ModelSpec spec = model.spec();
      assertSame(spec, model.spec());
      assertEquals("onnx", spec.format());
      assertEquals(spec.layers().size(), new HashSet<>(spec.layers().stream().map(LayerSpec::name).toList()).size(),
          "unique layer names");
      LayerSpec logits = spec.layer(spec.logitsName()).orElseThrow();
      assertFalse(logits.candidate(), "the logits are not a candidate");
      assertArrayEquals(new long[] {spec.numLabels()}, logits.shape());
      assertFalse(spec.candidateLayers().isEmpty());
      for (LayerSpec layer : spec.candidateLayers()) {
        assertTrue(layer.kind().endsWith("/relu") || layer.kind().contains("/"), layer.kind());
      }
      assertTrue(spec.parameterCount() > 0);
      for (int batch : new int[] {1, 3}) {
        float[] input = randomInput(batch, spec, 7);
        List<TfRun.Out> outs = TfRun.run((tf, graph) -> {
          ModelGraph g = model.build(tf, TfRun.constant(tf, spec.input().shape(batch), input), Map.of());
          assertEquals(spec.layers().stream().map(LayerSpec::name).toList(), new ArrayList<>(g.layers().keySet()));
          List<Operand<TFloat32>> fetches = new ArrayList<>(g.layers().values());
          fetches.add(g.logits());
          return fetches;
        });
        for (int i = 0; i < spec.layers().size(); i++) {
          LayerSpec layer = spec.layers().get(i);
          long[] expected = prepend(batch, layer.shape());
          assertArrayEquals(expected, outs.get(i).shape(), name + " " + layer.name() + " at batch " + batch);
        }
        assertArrayEquals(new long[] {batch, spec.numLabels()}, outs.get(outs.size() - 1).shape());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void overrideReplacesLayerForEverythingDownstream(int batch) throws Exception {
    // cnn is a chain, so with a layer overridden the logits depend on the override alone, not the input.
    try (LoadedModel model = TestSupport.load(Fixture.resource("cnn-op17.onnx"))) {
      ModelSpec spec = model.spec();
      LayerSpec layer = spec.candidateLayers().get(0);
      float[] input = randomInput(batch, spec, 1);
      float[] otherInput = randomInput(batch, spec, 2);
      List<TfRun.Out> plain = TfRun.run((tf, graph) -> {
        ModelGraph g = model.build(tf, TfRun.constant(tf, spec.input().shape(batch), input), Map.of());
        return List.of(g.layer(layer.name()), g.logits());
      });
      float[] activations = plain.get(0).values();
      List<TfRun.Out> replaced = TfRun.run((tf, graph) -> {
        Operand<TFloat32> override = TfRun.constant(tf, prepend(batch, layer.shape()), activations);
        ModelGraph g = model.build(tf, TfRun.constant(tf, spec.input().shape(batch), otherInput),
            Map.of(layer.name(), override));
        assertSame(override, g.layer(layer.name()), "the layer is reported as its override");
        return List.of(g.logits());
      });
      TestSupport.assertClose(plain.get(1).values(), replaced.get(0).values(), 1e-5f, "logits via the override");

      float[] zeros = new float[activations.length];
      List<TfRun.Out> zeroed = TfRun.run((tf, graph) -> List.of(model.build(tf,
          TfRun.constant(tf, spec.input().shape(batch), input),
          Map.of(layer.name(), TfRun.constant(tf, prepend(batch, layer.shape()), zeros))).logits()));
      assertNotEquals(0f, TestSupport.maxAbsDiff(plain.get(1).values(), zeroed.get(0).values()),
          "zeroing " + layer.name() + " changes the logits");
    }
  }

  @Test
  void repeatedBuildsShareWeightConstants() throws Exception {
    try (LoadedModel model = TestSupport.load(Fixture.resource("cnn-op11.onnx"))) {
      ModelSpec spec = model.spec();
      TfRun.run((tf, graph) -> {
        model.build(tf, TfRun.constant(tf, spec.input().shape(1), randomInput(1, spec, 3)), Map.of());
        model.build(tf, TfRun.constant(tf, spec.input().shape(2), randomInput(2, spec, 4)), Map.of());
        int kernels = 0;
        for (var it = graph.operations(); it.hasNext(); ) {
          var op = it.next();
          if (op.type().equals("Const") && Arrays.equals(op.output(0).shape().asArray(), new long[] {3, 3, 3, 8})) {
            kernels++;
          }
        }
        assertEquals(1, kernels, "conv1's HWIO kernel is created once per graph");
        return List.of();
      });
    }
  }

  @Test
  void truncatedFilesAreMalformed() throws Exception {
    byte[] bytes = Files.readAllBytes(Fixture.resource("residual-op11.onnx"));
    ModelLoader loader = TestSupport.loader();
    for (int length : new int[] {1, 16, 200, bytes.length / 2, bytes.length - 1}) {
      Path cut = tmp.resolve("cut-" + length + ".onnx");
      Files.write(cut, Arrays.copyOf(bytes, length));
      AbscanException e = assertThrows(AbscanException.class, () -> loader.load(cut, LoadOptions.defaults()),
          "cut at " + length);
      assertEquals(ErrorCategory.MALFORMED_MODEL, e.category(), "cut at " + length + ": " + e.getMessage());
      assertFalse(e.violations().isEmpty());
    }
    Path empty = tmp.resolve("empty.onnx");
    Files.write(empty, new byte[0]);
    assertEquals(ErrorCategory.MALFORMED_MODEL, assertThrows(AbscanException.class,
        () -> loader.load(empty, LoadOptions.defaults())).category());
  }

  @Test
  void fileLargerThanTheLimitIsRefusedBeforeReading() throws Exception {
    Path model = Fixture.resource("cnn-op11.onnx");
    AbscanException e = assertThrows(AbscanException.class,
        () -> TestSupport.loader().load(model, new LoadOptions(Map.of(), Files.size(model) - 1)));
    assertEquals(ErrorCategory.LIMIT_EXCEEDED, e.category());
  }

  static float[] randomInput(int batch, ModelSpec spec, long seed) {
    Random random = new Random(seed);
    float[] values = new float[(int) (batch * spec.input().channels() * spec.input().height()
        * spec.input().width())];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat();
    }
    return values;
  }

  static long[] prepend(long batch, long[] shape) {
    long[] out = new long[shape.length + 1];
    out[0] = batch;
    System.arraycopy(shape, 0, out, 1, shape.length);
    return out;
  }

  private static void assertArrayEquals(long[] expected, long[] actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
  }

  private static void assertArrayEquals(long[] expected, long[] actual, String message) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, message);
  }
}
