package org.abscan.plugins.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our graph against Keras's own outputs on the generated fixtures, and the specs we derive for them. */
class KerasFixtureTest {

  @ParameterizedTest
  @ValueSource(strings = {"seq_bn_pool", "functional_residual", "functional_reshape", "keras22_style", "user_block", "activations_misc"})
  void logitsMatchKeras(String name) throws IOException {
    Fixtures.Reference reference = Fixtures.Reference.of(name);
    try (LoadedModel model = Fixtures.load(name); ModelRunner runner = new ModelRunner(model)) {
      assertEquals(reference.parameterCount(), model.spec().parameterCount(), "Keras count_params()");
      int batch = (int) reference.inputShape()[0];
      float[][] logits = runner.logits(reference.inputs(), 0, batch);
      int labels = (int) reference.logitsShape()[1];
      assertEquals(labels, model.spec().numLabels());
      for (int i = 0; i < batch; i++) {
        float[] expected = java.util.Arrays.copyOfRange(reference.logits(), i * labels, (i + 1) * labels);
        assertArrayEquals(expected, logits[i], 1e-4f, name + " image " + i);
      }
    }
  }

  @Test
  void sequentialSpecSplitsFusedActivationsAndCutsTheSoftmax() {
    ModelSpec spec = Fixtures.load("seq_bn_pool").spec();
    assertEquals(List.of("conv_a/pre_activation", "conv_a", "bn_a", "max_pool", "conv_b", "relu_b", "avg_pool",
        "flatten", "dropout", "dense_a", "leaky_a", "logits"), names(spec.layers()));
    assertEquals(List.of("conv_a", "relu_b", "leaky_a"), names(spec.candidateLayers()));
    assertEquals("logits", spec.logitsName());
    assertEquals("Dense", spec.layer("logits").orElseThrow().kind());
    assertEquals("Conv2D/relu", spec.layer("conv_a").orElseThrow().kind());
    assertEquals("image", spec.input().name());
    assertEquals(12, spec.input().width());
    assertEquals(3, spec.input().channels());
    LayerSpec avgPool = spec.layer("avg_pool").orElseThrow();
    assertArrayEquals(new long[] {2, 2, 6}, avgPool.shape());
    assertEquals(2, avgPool.channelAxis());
  }

  @Test
  void functionalSpecFollowsActivationsThroughBatchNormAndCutsTheSoftmaxLayer() {
    ModelSpec spec = Fixtures.load("functional_residual").spec();
    assertFalse(names(spec.layers()).contains("softmax"), "the cut Softmax layer is not a layer of the spec");
    assertEquals("dense", spec.logitsName());
    assertEquals(6, spec.numLabels());
    assertEquals(List.of("stem_relu", "dw_leaky", "proj", "dilated", "dw_stride"), names(spec.candidateLayers()));
    assertArrayEquals(new long[] {9, 9, 12}, spec.layer("concat").orElseThrow().shape());
    assertArrayEquals(new long[] {4, 4, 24}, spec.layer("dw_stride").orElseThrow().shape());
    assertTrue(spec.layer("dw_stride/pre_activation").isPresent());
  }

  @Test
  void reshapesAndGlobalPoolingHaveKerasShapes() {
    ModelSpec spec = Fixtures.load("functional_reshape").spec();
    assertArrayEquals(new long[] {25, 4}, spec.layer("to_sequence").orElseThrow().shape());
    assertArrayEquals(new long[] {4}, spec.layer("gmp").orElseThrow().shape());
    assertArrayEquals(new long[] {104}, spec.layer("concat").orElseThrow().shape());
    assertEquals(List.of("conv"), names(spec.candidateLayers()));
  }

  @Test
  void outputWithoutSoftmaxIsTheLogitsAsIs() {
    ModelSpec spec = Fixtures.load("activations_misc").spec();
    assertEquals("scores", spec.logitsName());
    assertEquals("Dense/sigmoid", spec.layer("scores").orElseThrow().kind());
    assertFalse(spec.layer("scores").orElseThrow().candidate());
    assertArrayEquals(new long[] {6, 3}, spec.layer("row_dense").orElseThrow().shape());
    assertArrayEquals(new long[] {1, 1, 4}, spec.layer("gap_keep").orElseThrow().shape());
    assertEquals(List.of("clipped", "row_dense"), names(spec.candidateLayers()));
  }

  @Test
  void layersNamedInLoadOptionsReplaceTheDefaultCandidates() throws IOException {
    var loader = new KerasH5LoaderFactory().create(java.util.Map.of(), null);
    var path = Fixtures.path("seq_bn_pool.h5");
    ModelSpec spec = loader.load(path,
        new LoadOptions(java.util.Map.of("conv_b", "", "flatten", ""), LoadOptions.DEFAULT_MAX_MODEL_BYTES)).spec();
    assertEquals(List.of("conv_b", "flatten"), names(spec.candidateLayers()));
    AbscanException e = assertThrows(AbscanException.class, () -> loader.load(path,
        new LoadOptions(java.util.Map.of("nope", ""), LoadOptions.DEFAULT_MAX_MODEL_BYTES)));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    assertEquals("nope", e.violations().get(0).subject());
  }

  private static List<String> names(List<LayerSpec> layers) {
    return layers.stream().map(LayerSpec::name).toList();
  }
}
