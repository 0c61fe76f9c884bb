package org.abscan.plugins.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.testkit.TestPluginContext;
import org.abscan.spi.testkit.fuzz.ByteMutation;
import org.abscan.spi.testkit.fuzz.ByteMutations;
import org.abscan.spi.testkit.fuzz.FuzzContract;
import org.tensorflow.proto.GraphDef;

/**
 * Fuzzing of the SavedModel loader: the pre-load walk (parse, allow-list over the graph and its function
 * library) on its own, and the whole load (walk, rebuild in TensorFlow, spec probe). Whatever the bytes, each
 * succeeds or refuses with an input category (FuzzContract) within the per-try limit, in the small-heap fuzz
 * fork. Generators: byte mutations of a frozen Keras GraphDef, of the demo GraphDef and of a Keras SavedModel's
 * saved_model.pb; structure-aware GraphDef edits (GraphDefEdits).
 */
@Tag("fuzz")
class SavedModelFuzzTest {
  private static final Duration PER_TRY = Duration.ofSeconds(10);
  private static final Path FIXTURES = Path.of("../../bench/fixtures/savedmodel");
  private static final Map<String, Path> GRAPHS = Map.of("keras_frozen.pb", FIXTURES.resolve("keras_frozen.pb"),
      "demo/benign.pb", Path.of("../../demo/models/benign.pb"));
  private static Path scratch;
  /** Keras (TF 2, function library: walked but refused at rebuild) and TF 1 (loads) SavedModel directories. */
  private static final List<String> SAVED_MODELS = List.of("keras_savedmodel", "tf1_savedmodel");
  private static final Map<String, Path> SAVED_MODEL_DIRS = new java.util.HashMap<>();
  private static final Map<String, byte[]> SAVED_MODEL_PBS = new java.util.HashMap<>();
  private static ModelLoader loader;

  @BeforeContainer
  static void setUp() throws IOException {
    scratch = Files.createTempDirectory("abscan-savedmodel-fuzz");
    loader = TestModels.loader(scratch.resolve("loader"));
    for (String name : SAVED_MODELS) {
      Path dir = unzip(FIXTURES.resolve(name + ".zip"), scratch.resolve(name)).resolve(name);
      SAVED_MODEL_DIRS.put(name, dir);
      SAVED_MODEL_PBS.put(name, Files.readAllBytes(dir.resolve(ModelFiles.SAVED_MODEL_PB)));
    }
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (var files = Files.walk(scratch)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static Path unzip(Path zip, Path to) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Path target = to.resolve(e.getName()).normalize();
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy((InputStream) in, target);
        }
      }
    }
    return to;
  }

  private static Path write(byte[] bytes) throws IOException {
    Path file = Files.createTempFile(scratch, "fuzz", ".pb");
    Files.write(file, bytes);
    return file;
  }

  @Provide
  Arbitrary<String> graphs() {
    return Arbitraries.of(GRAPHS.keySet().stream().sorted().toList());
  }

  @Provide
  Arbitrary<List<ByteMutation>> mutations() {
    return ByteMutations.mutations(6, 64);
  }

  @Property(tries = 1500, seed = "20261125")
  void mutatedGraphDefsPassOrFailTheWalk(@ForAll("graphs") String graph,
      @ForAll("mutations") List<ByteMutation> mutations) throws IOException {
    Path file = write(ByteMutations.apply(Files.readAllBytes(GRAPHS.get(graph)), mutations));
    try {
      FuzzContract.assertSucceedsOrRefuses(graph + " " + mutations, PER_TRY, () -> {
        ModelFiles.looksLikeGraphDef(file);
        CheckedModel.frozenGraph(file, LoadOptions.DEFAULT_MAX_MODEL_BYTES);
      });
    } finally {
      Files.delete(file);
    }
  }

  @Provide
  Arbitrary<String> savedModels() {
    return Arbitraries.of(SAVED_MODELS);
  }

  /** Writes the mutated saved_model.pb over the fixture's own (tries run one after another). */
  private static Path mutatedSavedModel(String name, List<ByteMutation> mutations) throws IOException {
    Path dir = SAVED_MODEL_DIRS.get(name);
    Files.write(dir.resolve(ModelFiles.SAVED_MODEL_PB), ByteMutations.apply(SAVED_MODEL_PBS.get(name), mutations));
    return dir;
  }

  @Property(tries = 1000, seed = "20261126")
  void mutatedSavedModelsPassOrFailTheWalk(@ForAll("savedModels") String name,
      @ForAll("mutations") List<ByteMutation> mutations) throws IOException {
    Path dir = mutatedSavedModel(name, mutations);
    FuzzContract.assertSucceedsOrRefuses(name + " " + mutations, PER_TRY,
        () -> CheckedModel.savedModel(dir, LoadOptions.DEFAULT_MAX_MODEL_BYTES));
  }

  /** The whole load of a SavedModel directory: the walk, then TensorFlow's own loader restoring variables. */
  @Property(tries = 300, seed = "20261129")
  void mutatedSavedModelsLoadOrAreRefused(@ForAll("mutations") List<ByteMutation> mutations) throws IOException {
    Path dir = mutatedSavedModel("tf1_savedmodel", mutations);
    FuzzContract.assertSucceedsOrRefuses("tf1_savedmodel " + mutations, PER_TRY,
        () -> loader.load(dir, LoadOptions.defaults()).close());
  }

  @Property(tries = 400, seed = "20261127")
  void mutatedGraphDefsLoadOrAreRefused(@ForAll("mutations") List<ByteMutation> mutations) throws IOException {
    loadOrRefuse("keras_frozen.pb " + mutations,
        ByteMutations.apply(Files.readAllBytes(GRAPHS.get("keras_frozen.pb")), mutations));
  }

  @Provide
  Arbitrary<List<GraphDefEdits.Edit>> edits() {
    return GraphDefEdits.edits(4);
  }

  @Property(tries = 300, seed = "20261128")
  void editedGraphDefsLoadOrAreRefused(@ForAll("graphs") String graph,
      @ForAll("edits") List<GraphDefEdits.Edit> edits) throws IOException {
    GraphDef parsed = GraphDef.parseFrom(Files.readAllBytes(GRAPHS.get(graph)));
    loadOrRefuse(graph + " " + edits, GraphDefEdits.apply(parsed, edits).toByteArray());
  }

  private static void loadOrRefuse(String input, byte[] bytes) throws IOException {
    FuzzContract.assertLoadsOrRefuses(loader, scratch, ".pb", input, bytes, PER_TRY, model -> { });
  }

  /** The generators start from models that load: otherwise every mutant would be refused for the same reason. */
  @Example
  void theUnmutatedFixturesLoad() throws IOException {
    loader.load(mutatedSavedModel("tf1_savedmodel", List.of()), LoadOptions.defaults()).close();
    for (Path graph : GRAPHS.values()) {
      loader.load(graph, LoadOptions.defaults()).close();
    }
  }

  // Regressions: the smallest inputs the generators above found, kept as plain examples in the small-heap fork.

  /**
   * Found by editedGraphDefsLoadOrAreRefused: the demo GraphDef with its input placeholder's height set to 2^31.
   * The spec probe cast the size to int (-2^31), and InputSpec's IllegalArgumentException escaped the loader.
   */
  @Example
  void anInputSizeBeyondTheIntRangeIsUnsupportedNamingTheInput() throws IOException {
    GraphDef graph = GraphDef.parseFrom(Files.readAllBytes(GRAPHS.get("demo/benign.pb")));
    GraphDef lying = GraphDefEdits.apply(graph, List.of(new GraphDefEdits.Edit(
        GraphDefEdits.Kind.PLACEHOLDER_SHAPE, 0, List.of(0L, 1L << 31, 1659L, 31L))));
    Path file = write(lying.toByteArray());
    try {
      AbscanException e = assertThrows(AbscanException.class,
          () -> loader.load(file, LoadOptions.defaults()).close());
      assertEquals(ErrorCategory.UNSUPPORTED_MODEL, e.category(), e.getMessage());
      String input = graph.getNodeList().stream().filter(n -> n.getOp().equals("Placeholder")).findFirst()
          .orElseThrow().getName();
      assertEquals(input, e.violations().get(0).subject());
    } finally {
      Files.delete(file);
    }
  }
}
