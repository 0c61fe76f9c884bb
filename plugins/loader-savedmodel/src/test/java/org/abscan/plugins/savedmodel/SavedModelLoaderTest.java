package org.abscan.plugins.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.model.ModelSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The loader against the original: a SavedModel exported by TF Java, loaded by our loader and rebuilt in a new
 * graph, must compute what the exporting session computes.
 */
class SavedModelLoaderTest {
  private static final int H = CnnSavedModelGenerator.HEIGHT;
  private static final int W = CnnSavedModelGenerator.WIDTH;
  private static final int C = CnnSavedModelGenerator.CHANNELS;
  private static final double TOLERANCE = 1e-5;

  @TempDir static Path temp;
  static Path savedModel;
  static Path frozen;
  static ModelLoader loader;
  static SavedModelBundle original;

  @BeforeAll
  static void generate() throws Exception {
    savedModel = temp.resolve("cnn");
    CnnSavedModelGenerator.exportSavedModel(savedModel);
    frozen = temp.resolve("cnn_frozen.pb");
    CnnSavedModelGenerator.writeFrozenGraphDef(frozen);
    loader = TestModels.loader(temp.resolve("scratch"));
    original = SavedModelBundle.load(savedModel.toString(), "serve");
  }

  @AfterAll
  static void closeOriginal() {
    original.close();
  }

  @Test
  void specDescribesTheCnn() throws Exception {
    try (LoadedModel model = loader.load(savedModel, LoadOptions.defaults())) {
      ModelSpec spec = model.spec();
      assertEquals("savedmodel", spec.format());
      assertEquals(new InputSpec("input", H, W, C, InputSpec.Layout.NHWC), spec.input());
      assertEquals(CnnSavedModelGenerator.ACTIVATIONS, spec.layers().stream().map(LayerSpec::name).toList());
      assertEquals(
          new LayerSpec("conv1/Relu", "Conv2D/relu", new long[] {8, 8, 4}, 2, true), spec.layers().get(0));
      assertEquals(
          new LayerSpec("conv2/Relu", "Conv2D/relu", new long[] {4, 4, 6}, 2, true), spec.layers().get(1));
      assertEquals(new LayerSpec("dense1/Relu", "Dense/relu", new long[] {16}, 0, true), spec.layers().get(2));
      assertEquals("logits/BiasAdd:0", spec.logitsName());
      assertEquals(CnnSavedModelGenerator.LABELS, spec.numLabels());
      long weights = 3 * 3 * 3 * 4 + 4 + 3 * 3 * 4 * 6 + 6 + 96 * 16 + 16 + 16 * 5 + 5;
      assertEquals(weights, spec.parameterCount());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void logitsAndLayersMatchTheOriginalSession(int batch) throws Exception {
    float[] images = CnnSavedModelGenerator.images(batch, 7 + batch);
    try (LoadedModel model = loader.load(savedModel, LoadOptions.defaults());
        TFloat32 x = TestModels.tensor(images, batch, H, W, C);
        Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
      ModelGraph built = model.build(tf, input, Map.of());
      Map<String, TFloat32> feed = Map.of(input.op().name(), x);
      Map<String, TFloat32> originalFeed = Map.of("input", x);
      float[] expected = TestModels.run(original.session(), originalFeed, "logits/BiasAdd");
      assertEquals(batch * CnnSavedModelGenerator.LABELS, expected.length);
      TestModels.assertClose(expected, TestModels.run(graph, feed, built.logits().asOutput().name()), TOLERANCE);
      for (String layer : CnnSavedModelGenerator.ACTIVATIONS) {
        TestModels.assertClose(
            TestModels.run(original.session(), originalFeed, layer),
            TestModels.run(graph, feed, built.layer(layer).asOutput().op().name()),
            TOLERANCE);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void overriddenLayerFeedsTheLayersAfterIt(int batch) throws Exception {
    float[] images = CnnSavedModelGenerator.images(batch, 100 + batch);
    float[] stimulated = new float[batch * 4 * 4 * 6];
    for (int i = 0; i < stimulated.length; i++) {
      stimulated[i] = (i % 5) * 0.75f;
    }
    try (LoadedModel model = loader.load(savedModel, LoadOptions.defaults());
        TFloat32 x = TestModels.tensor(images, batch, H, W, C);
        TFloat32 conv2 = TestModels.tensor(stimulated, batch, 4, 4, 6);
        Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
      Operand<TFloat32> override = tf.placeholder(TFloat32.class);
      ModelGraph built = model.build(tf, input, Map.of("conv2/Relu", override));
      assertEquals(override.asOutput(), built.layer("conv2/Relu").asOutput());
      float[] expected =
          TestModels.run(original.session(), Map.of("input", x, "conv2/Relu", conv2), "logits/BiasAdd");
      float[] unstimulated = TestModels.run(original.session(), Map.of("input", x), "logits/BiasAdd");
      float[] actual =
          TestModels.run(
              graph,
              Map.of(input.op().name(), x, override.asOutput().op().name(), conv2),
              built.logits().asOutput().op().name());
      TestModels.assertClose(expected, actual, TOLERANCE);
      assertNotEquals(unstimulated[0], actual[0], "the override must change the logits");
    }
  }

  @Test
  void builtLayersHaveTheSpecShapes() throws Exception {
    for (Path source : List.of(savedModel, frozen)) {
      try (LoadedModel model = loader.load(source, LoadOptions.defaults());
          Graph graph = new Graph()) {
        Ops tf = Ops.create(graph);
        ModelGraph built =
            model.build(tf, tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(model.spec().input().shape(-1)))),
                Map.of());
        assertEquals(
            model.spec().layers().stream().map(LayerSpec::name).toList(), List.copyOf(built.layers().keySet()));
        for (LayerSpec layer : model.spec().layers()) {
          long[] shape = built.layer(layer.name()).shape().asArray();
          assertArrayEquals(layer.shape(), java.util.Arrays.copyOfRange(shape, 1, shape.length), layer.name());
        }
        assertArrayEquals(new long[] {-1, model.spec().numLabels()}, built.logits().shape().asArray());
      }
    }
  }

  @Test
  void symbolicLinkInsideTheModelIsRefused() throws Exception {
    Path linked = temp.resolve("linked");
    TestModels.copyTree(savedModel, linked);
    Files.delete(linked.resolve("saved_model.pb"));
    Files.createSymbolicLink(linked.resolve("saved_model.pb"), savedModel.resolve("saved_model.pb"));
    AbscanException e = assertThrows(AbscanException.class, () -> loader.load(linked, LoadOptions.defaults()));
    assertEquals(ErrorCategory.MODEL_REFUSED, e.category());
  }

  @Test
  void buildsTwiceInOneGraph() throws Exception {
    float[] images = CnnSavedModelGenerator.images(2, 5);
    try (LoadedModel model = loader.load(savedModel, LoadOptions.defaults());
        TFloat32 x = TestModels.tensor(images, 2, H, W, C);
        Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> input =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, H, W, C)));
      ModelGraph first = model.build(tf, input, Map.of());
      ModelGraph second = model.build(tf, tf.math.mul(input, tf.constant(1f)), Map.of());
      assertNotEquals(first.logits().asOutput().op().name(), second.logits().asOutput().op().name());
      assertArrayEquals(new long[] {-1, CnnSavedModelGenerator.LABELS}, first.logits().shape().asArray());
      Map<String, TFloat32> feed = Map.of(input.asOutput().op().name(), x);
      TestModels.assertClose(
          TestModels.run(graph, feed, first.logits().asOutput().op().name()),
          TestModels.run(graph, feed, second.logits().asOutput().op().name()),
          0);
    }
  }

  @Test
  void frozenGraphDefGivesTheSameLogits() throws Exception {
    assertTrue(loader.accepts(frozen));
    float[] images = CnnSavedModelGenerator.images(3, 11);
    try (LoadedModel model = loader.load(frozen, LoadOptions.defaults());
        TFloat32 x = TestModels.tensor(images, 3, H, W, C);
        Graph graph = new Graph()) {
      assertEquals(CnnSavedModelGenerator.ACTIVATIONS, model.spec().layers().stream().map(LayerSpec::name).toList());
      assertEquals("logits/BiasAdd:0", model.spec().logitsName());
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
      ModelGraph built = model.build(tf, input, Map.of());
      TestModels.assertClose(
          TestModels.run(original.session(), Map.of("input", x), "logits/BiasAdd"),
          TestModels.run(graph, Map.of(input.op().name(), x), built.logits().asOutput().op().name()),
          TOLERANCE);
    }
  }

  @Test
  void userNamedLayersComeInModelOrder() throws Exception {
    LoadOptions options =
        new LoadOptions(Map.of("fc", "dense1/Relu:0", "first", "conv1/BiasAdd"), LoadOptions.DEFAULT_MAX_MODEL_BYTES);
    try (LoadedModel model = loader.load(savedModel, options)) {
      List<LayerSpec> layers = model.spec().layers();
      assertEquals(List.of("first", "fc"), layers.stream().map(LayerSpec::name).toList());
      assertEquals("BiasAdd", layers.get(0).kind());
      assertEquals(4, layers.get(0).neurons());
    }
  }

  @Test
  void unknownUserTensorIsAnInvalidArgumentNamingTheLayer() {
    LoadOptions options = new LoadOptions(Map.of("c9", "conv9/Relu:0"), LoadOptions.DEFAULT_MAX_MODEL_BYTES);
    AbscanException e = assertThrows(AbscanException.class, () -> loader.load(savedModel, options));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    assertEquals("c9", e.violations().get(0).subject());
  }

  @Test
  void unknownOverrideIsAnInvalidArgument() throws Exception {
    try (LoadedModel model = loader.load(savedModel, LoadOptions.defaults());
        Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
      AbscanException e =
          assertThrows(
              AbscanException.class,
              () -> model.build(tf, input, Map.of("nope", tf.placeholder(TFloat32.class))));
      assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    }
  }

  @Test
  void acceptsSavedModelDirectoriesAndGraphDefsOnly() throws Exception {
    assertTrue(loader.accepts(savedModel));
    Path garbage = temp.resolve("garbage.pb");
    Files.write(garbage, new byte[] {(byte) 0xff, (byte) 0xfe, 0x01, 0x02, 0x03});
    assertFalse(loader.accepts(garbage));
    Path empty = Files.createDirectories(temp.resolve("empty-dir"));
    assertFalse(loader.accepts(empty));
    Path h5 = temp.resolve("model.h5");
    Files.write(h5, new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
    assertFalse(loader.accepts(h5));
  }

  @Test
  void savedModelFileStandsForItsDirectory() throws Exception {
    try (LoadedModel model = loader.load(savedModel.resolve("saved_model.pb"), LoadOptions.defaults())) {
      assertEquals(CnnSavedModelGenerator.ACTIVATIONS, model.spec().layers().stream().map(LayerSpec::name).toList());
    }
  }

  @Test
  void truncatedSavedModelIsMalformed() throws Exception {
    Path broken = temp.resolve("broken");
    TestModels.copyTree(savedModel, broken);
    byte[] bytes = Files.readAllBytes(broken.resolve("saved_model.pb"));
    Files.write(broken.resolve("saved_model.pb"), java.util.Arrays.copyOf(bytes, bytes.length / 3));
    AbscanException e = assertThrows(AbscanException.class, () -> loader.load(broken, LoadOptions.defaults()));
    assertEquals(ErrorCategory.MALFORMED_MODEL, e.category());
  }

  @Test
  void modelLargerThanTheLimitIsRefusedBeforeParsing() {
    AbscanException e =
        assertThrows(AbscanException.class, () -> loader.load(savedModel, new LoadOptions(Map.of(), 1024)));
    assertEquals(ErrorCategory.LIMIT_EXCEEDED, e.category());
    AbscanException f =
        assertThrows(AbscanException.class, () -> loader.load(frozen, new LoadOptions(Map.of(), 1024)));
    assertEquals(ErrorCategory.LIMIT_EXCEEDED, f.category());
  }

  @Test
  void factoryRejectsUnknownConfiguration() {
    var factory = new SavedModelLoaderFactory();
    assertEquals("savedmodel", factory.name());
    AbscanException e =
        assertThrows(
            AbscanException.class, () -> factory.create(Map.of("bogus", "1"), TestModels.context(temp)));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    assertEquals("bogus", e.violations().get(0).subject());
  }
}
