package org.abscan.plugins.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.abscan.plugins.onnx.proto.OnnxProto.ModelProto;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.testkit.TestPluginContext;
import org.abscan.spi.testkit.fuzz.ByteMutation;
import org.abscan.spi.testkit.fuzz.ByteMutations;
import org.abscan.spi.testkit.fuzz.FuzzContract;

/**
 * Fuzzing of the ONNX loader (parse, validate, plan, fold and probe-build): whatever the file, it loads or is
 * refused with an input category (FuzzContract), within the per-try limit, in the small-heap fuzz fork. Two
 * generators: byte mutations of the exported fixtures (random damage, lying lengths and dims), and
 * structure-aware edits of their parsed ModelProto (OnnxModelEdits: dims, data types, raw_data sizes, attributes,
 * shape constants, nested subgraphs), which reach the checks behind the protobuf parser.
 */
@Tag("fuzz")
class OnnxLoaderFuzzTest {
  private static final Duration PER_TRY = Duration.ofSeconds(10);
  private static final List<String> FIXTURES = List.of("cnn-op11.onnx", "ops-op17.onnx", "residual-op17.onnx",
      "bn-op11.onnx", "fixed1-op17.onnx");
  private static Path scratch;
  private static ModelLoader loader;

  @BeforeContainer
  static void createLoader() throws IOException {
    scratch = Files.createTempDirectory("abscan-onnx-fuzz");
    loader = new OnnxLoaderFactory().create(Map.of(), new TestPluginContext(scratch));
  }

  @AfterContainer
  static void deleteScratch() throws IOException {
    try (var files = Files.walk(scratch)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static byte[] fixture(String name) {
    try {
      return Files.readAllBytes(Path.of(OnnxLoaderFuzzTest.class.getResource("/fixtures/" + name).toURI()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code bytes} to a file and runs accepts + load on it under the contract. */
  static void loadOrRefuse(String input, byte[] bytes) throws IOException {
    FuzzContract.assertLoadsOrRefuses(loader, scratch, ".onnx", input, bytes, PER_TRY, model -> { });
  }

  @Provide
  Arbitrary<String> fixtures() {
    return Arbitraries.of(FIXTURES);
  }

  @Provide
  Arbitrary<List<ByteMutation>> mutations() {
    return ByteMutations.mutations(6, 64);
  }

  @Property(tries = 1000, seed = "20261125")
  void mutatedFilesLoadOrAreRefused(@ForAll("fixtures") String fixture,
      @ForAll("mutations") List<ByteMutation> mutations) throws IOException {
    loadOrRefuse(fixture + " " + mutations, ByteMutations.apply(fixture(fixture), mutations));
  }

  @Provide
  Arbitrary<List<OnnxModelEdits.Edit>> edits() {
    return OnnxModelEdits.edits(4);
  }

  @Property(tries = 1000, seed = "20261126")
  void editedModelsLoadOrAreRefused(@ForAll("fixtures") String fixture,
      @ForAll("edits") List<OnnxModelEdits.Edit> edits) throws IOException {
    ModelProto model = ModelProto.parseFrom(fixture(fixture));
    loadOrRefuse(fixture + " " + edits, OnnxModelEdits.apply(model, edits).toByteArray());
  }

  // Regressions: the smallest inputs the generators above found, kept as plain examples in the small-heap fork.

  /**
   * Found by editedModelsLoadOrAreRefused: an initializer whose dims claim 4*9*21*27*3160 floats (258 MB, inside
   * the 2 GiB model budget) over a few hundred bytes of raw_data. The decoder sized its array from the dims before
   * comparing them with raw_data, so the array alone exhausted the heap.
   */
  @Example
  void initializerDimsLargerThanItsRawDataAreMalformedBeforeAllocation() throws IOException {
    ModelProto model = ModelProto.parseFrom(fixture("cnn-op11.onnx"));
    String name = model.getGraph().getInitializer(0).getName();
    ModelProto lying = OnnxModelEdits.apply(model, List.of(
        new OnnxModelEdits.Edit(OnnxModelEdits.Kind.INITIALIZER_DIMS, 0, List.of(4L, 9L, 21L, 27L, 3160L))));
    AbscanException e = refusal(lying.toByteArray());
    assertEquals(ErrorCategory.MALFORMED_MODEL, e.category(), e.getMessage());
    assertTrue(e.violations().get(0).subject().contains(name), e.violations().toString());
  }

  private static AbscanException refusal(byte[] bytes) throws IOException {
    Path file = Files.createTempFile(scratch, "regression", ".onnx");
    try {
      Files.write(file, bytes);
      return assertThrows(AbscanException.class, () -> loader.load(file, LoadOptions.defaults()).close());
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
