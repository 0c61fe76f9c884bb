package org.abscan.plugins.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.testkit.TestPluginContext;
import org.abscan.spi.testkit.fuzz.ByteMutation;
import org.abscan.spi.testkit.fuzz.ByteMutations;
import org.abscan.spi.testkit.fuzz.FuzzContract;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Fuzzing of the Keras HDF5 loader: whatever the file, loading it (and building a loaded model once into a
 * TensorFlow graph, as the engine does) succeeds or is refused with an input category (FuzzContract), within the
 * per-try limit, in the small-heap fuzz fork. Three generators: byte mutations of the fixtures Keras wrote;
 * header edits of the weight datasets' dimension fields (H5Fields) with boundary values; and structure-aware
 * edits of model_config (KerasConfigEdits), parsed and assembled with the fixture's real weights.
 */
@Tag("fuzz")
class KerasH5FuzzTest {
  private static final Duration PER_TRY = Duration.ofSeconds(10);
  private static final List<String> FIXTURES = List.of("functional_reshape.h5", "seq_bn_pool.h5",
      "keras22_style.h5", "functional_residual.h5", "activations_misc.h5", "user_block.h5");
  private static final Map<String, byte[]> BYTES = new ConcurrentHashMap<>();
  private static final Map<String, List<Integer>> DIMENSION_FIELDS = new ConcurrentHashMap<>();
  private static final Map<String, KerasH5Contents> CONTENTS = new ConcurrentHashMap<>();
  private static Path scratch;
  private static ModelLoader loader;

  @BeforeContainer
  static void setUp() throws IOException {
    scratch = Files.createTempDirectory("abscan-keras-fuzz");
    loader = new KerasH5LoaderFactory().create(Map.of(), new TestPluginContext(scratch));
    for (String name : FIXTURES) {
      Path path = Fixtures.path(name);
      byte[] bytes = Files.readAllBytes(path);
      BYTES.put(name, bytes);
      DIMENSION_FIELDS.put(name, H5Fields.dimensionOffsets(path, bytes));
      CONTENTS.put(name, new KerasH5Reader(LoadOptions.DEFAULT_MAX_MODEL_BYTES).read(path));
    }
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (var files = Files.walk(scratch)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Builds the model once on a [-1, H, W, C] placeholder, as the engine does before scanning. */
  static void buildOnce(LoadedModel model) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      InputSpec in = model.spec().input();
      model.build(tf, tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, in.height(), in.width(), in.channels()))), Map.of());
    }
  }

  static void loadOrRefuse(String input, byte[] bytes) throws IOException {
    FuzzContract.assertLoadsOrRefuses(loader, scratch, ".h5", input, bytes, PER_TRY, KerasH5FuzzTest::buildOnce);
  }

  @Provide
  Arbitrary<String> fixtures() {
    return Arbitraries.of(FIXTURES);
  }

  @Provide
  Arbitrary<List<ByteMutation>> mutations() {
    return ByteMutations.mutations(6, 64);
  }

  @Property(tries = 800, seed = "20261125")
  void mutatedFilesLoadOrAreRefused(@ForAll("fixtures") String fixture,
      @ForAll("mutations") List<ByteMutation> mutations) throws IOException {
    loadOrRefuse(fixture + " " + mutations, ByteMutations.apply(BYTES.get(fixture), mutations));
  }

  /** A dimension field (index among the fixture's, modulo their count) and the value written into it. */
  record DimensionEdit(int field, long value) {}

  @Provide
  Arbitrary<List<DimensionEdit>> dimensionEdits() {
    return Combinators.combine(Arbitraries.integers().between(0, 10_000), ByteMutations.values())
        .as(DimensionEdit::new).list().ofMinSize(1).ofMaxSize(3);
  }

  @Property(tries = 600, seed = "20261126")
  void datasetDimensionsThatLieLoadOrAreRefused(@ForAll("fixtures") String fixture,
      @ForAll("dimensionEdits") List<DimensionEdit> edits) throws IOException {
    List<Integer> fields = DIMENSION_FIELDS.get(fixture);
    byte[] bytes = BYTES.get(fixture).clone();
    for (DimensionEdit edit : edits) {
      int at = fields.get(edit.field() % fields.size());
      for (int i = 0; i < 8; i++) {
        bytes[at + i] = (byte) (edit.value() >>> (8 * i));
      }
    }
    loadOrRefuse(fixture + " " + edits, bytes);
  }

  @Provide
  Arbitrary<List<KerasConfigEdits.Edit>> configEdits() {
    return KerasConfigEdits.edits(4);
  }

  /**
   * model_config is our parser's input, not jhdf's, so this runs without the loader's catch-all for jhdf's
   * exceptions: any exception but AbscanException here is a bug of ours.
   */
  @Property(tries = 800, seed = "20261127")
  void editedConfigsAssembleOrAreRefused(@ForAll("fixtures") String fixture,
      @ForAll("configEdits") List<KerasConfigEdits.Edit> edits) {
    KerasH5Contents contents = CONTENTS.get(fixture);
    String config = KerasConfigEdits.apply(contents.modelConfig(), edits);
    FuzzContract.assertSucceedsOrRefuses(fixture + " " + edits, PER_TRY, () -> {
      try (LoadedModel model = KerasModelAssembler.assemble(KerasConfigParser.parse(config), contents)) {
        buildOnce(model);
      }
    });
  }

  // Regressions: the smallest inputs the generators above found, kept as plain examples in the small-heap fork.

  /**
   * Found by editedConfigsAssembleOrAreRefused: a functional chain of 9,871 ReLU layers overflowed the stack of
   * the recursive topological walk (StackOverflowError, which the loader's catch-all then reported as a
   * malformed file). The walk is iterative now and the layer count is capped.
   */
  @Example
  void aLongFunctionalChainParsesWithoutRecursion() {
    KerasTopology topology = KerasConfigParser.parse(KerasConfigEdits.chain(9_871).toString());
    assertEquals(9_871, topology.layers().size());
  }

  @Example
  void moreLayersThanTheCapAreALimitNamingTheField() {
    AbscanException e = assertThrows(AbscanException.class,
        () -> KerasConfigParser.parse(KerasConfigEdits.chain(KerasConfigParser.MAX_LAYERS).toString()));
    assertEquals(ErrorCategory.LIMIT_EXCEEDED, e.category(), e.getMessage());
    assertEquals("model_config.config.layers", e.violations().get(0).subject());
  }

  /**
   * Prompted by the generator itself running out of the 256 MiB heap on a 100,000-layer chain: the JSON tree
   * takes about ten times the text, and the text was bounded only by the model size limit (2 GiB), so the text
   * is now capped before parsing.
   */
  @Example
  void aConfigOverTheTextCapIsALimitBeforeParsing() {
    String huge = " ".repeat(KerasConfigParser.MAX_CONFIG_CHARS) + "{}";
    AbscanException e = assertThrows(AbscanException.class, () -> KerasConfigParser.parse(huge));
    assertEquals(ErrorCategory.LIMIT_EXCEEDED, e.category(), e.getMessage());
    assertEquals("model_config", e.violations().get(0).subject());
  }

  /**
   * Found by datasetDimensionsThatLieLoadOrAreRefused once the loader's OutOfMemoryError backstop kept its cause:
   * functional_reshape.h5 with one weight dimension set to 1,343,685. The size was within the 2 GiB budget, so
   * jhdf was asked to read ~130 MB from a 25 KB file and the backstop reported the OutOfMemoryError as a limit.
   */
  @Example
  void aWeightShapeLargerThanTheFileIsMalformedBeforeReading() throws IOException {
    String fixture = "functional_reshape.h5";
    byte[] bytes = BYTES.get(fixture).clone();
    int at = DIMENSION_FIELDS.get(fixture).get(1);
    for (int i = 0; i < 8; i++) {
      bytes[at + i] = (byte) (1_343_685L >>> (8 * i));
    }
    Path file = Files.createTempFile(scratch, "regression", ".h5");
    try {
      Files.write(file, bytes);
      AbscanException e = assertThrows(AbscanException.class, () -> loader.load(file, LoadOptions.defaults()));
      assertEquals(ErrorCategory.MALFORMED_MODEL, e.category(), e.getMessage());
      assertTrue(e.getMessage().contains("more than the " + bytes.length + "-byte file can hold"), e.getMessage());
    } finally {
      Files.delete(file);
    }
  }
}
