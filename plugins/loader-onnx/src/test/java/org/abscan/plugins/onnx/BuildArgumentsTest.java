package org.abscan.plugins.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.junit.jupiter.api.Test;

/** build() checks what the caller passes; LoadOptions.layerTensors picks the layers. */
class BuildArgumentsTest {
  @Test
  void badInputAndOverridesAreInvalidArguments() throws Exception {
    try (LoadedModel model = TestSupport.load(Fixture.resource("bn-op11.onnx"))) {
      ModelSpec spec = model.spec();
      LayerSpec layer = spec.candidateLayers().get(0);
      TfRun.run((tf, graph) -> {
        AbscanException nhwc = assertThrows(AbscanException.class, () -> model.build(tf,
            tf.zeros(tf.constant(new long[] {2, 16, 16, 3}), org.tensorflow.types.TFloat32.class), Map.of()));
        assertEquals(ErrorCategory.INVALID_ARGUMENT, nhwc.category());
        assertEquals("input", nhwc.violations().get(0).subject());

        var input = TfRun.constant(tf, spec.input().shape(2), new float[2 * 3 * 16 * 16]);
        AbscanException unknown = assertThrows(AbscanException.class,
            () -> model.build(tf, input, Map.of("no-such-layer", input)));
        assertEquals(ErrorCategory.INVALID_ARGUMENT, unknown.category());
        assertEquals("overrides.no-such-layer", unknown.violations().get(0).subject());

        AbscanException shape = assertThrows(AbscanException.class,
            () -> model.build(tf, input, Map.of(layer.name(), input)));
        assertEquals(ErrorCategory.INVALID_ARGUMENT, shape.category());
        assertEquals("overrides." + layer.name(), shape.violations().get(0).subject());
        return List.of();
      });
    }
  }

  @Test
  void defaultLayersFollowTheNamingRule() throws Exception {
    try (LoadedModel model = TestSupport.load(Fixture.resource("bn-op17.onnx"))) {
      ModelSpec spec = model.spec();
      List<String> names = spec.layers().stream().map(LayerSpec::name).toList();
      // conv1 -> Relu -> BatchNorm: the Relu follows the conv directly; conv2 -> Clip (ReLU6);
      // fc1 -> BatchNorm1d -> Tanh: the activation is found through the BatchNormalization.
      assertEquals(List.of("/conv1/Conv", "/conv1/Conv/relu", "/conv2/Conv", "/conv2/Conv/clip", "/fc1/Gemm",
          "/fc1/Gemm/tanh", "/fc2/Gemm"), names);
      assertEquals(List.of("Conv", "Conv/relu", "Conv", "Conv/clip", "Gemm", "Gemm/tanh", "Gemm"),
          spec.layers().stream().map(LayerSpec::kind).toList());
      assertEquals(List.of("/conv1/Conv/relu", "/conv2/Conv/clip", "/fc1/Gemm/tanh"),
          spec.candidateLayers().stream().map(LayerSpec::name).toList());
      assertEquals("/fc2/Gemm", spec.logitsName());
      LayerSpec dense = spec.layer("/fc1/Gemm/tanh").orElseThrow();
      assertEquals(0, dense.channelAxis());
      assertEquals(20, dense.neurons());
      LayerSpec conv = spec.layer("/conv2/Conv/clip").orElseThrow();
      assertEquals(List.of(7L, 7L, 8L), java.util.Arrays.stream(conv.shape()).boxed().toList());
      assertEquals(8, conv.neurons());
    }
  }

  @Test
  void matMulWithBiasAddIsALayerWithItsActivation() throws Exception {
    try (LoadedModel model = TestSupport.load(Fixture.resource("ops-op17.onnx"))) {
      LayerSpec mix = model.spec().layer("/mix/MatMul/tanh").orElseThrow(
          () -> new AssertionError(model.spec().layers().toString()));
      assertEquals("MatMul/tanh", mix.kind());
      assertEquals(List.of(5L, 5L, 5L), java.util.Arrays.stream(mix.shape()).boxed().toList());
      assertTrue(mix.candidate());
    }
  }

  @Test
  void layerTensorsOptionChoosesTheLayers() throws Exception {
    LoadOptions options = new LoadOptions(Map.of("pooled", "/pool1/MaxPool_output_0", "hidden",
        "/Sigmoid_output_0"), LoadOptions.DEFAULT_MAX_MODEL_BYTES);
    try (LoadedModel model = TestSupport.loader().load(Fixture.resource("cnn-op11.onnx"), options)) {
      ModelSpec spec = model.spec();
      assertEquals(List.of("pooled", "hidden", "/fc2/Gemm_output_0"),
          spec.layers().stream().map(LayerSpec::name).toList());
      assertEquals(List.of("pooled", "hidden"), spec.candidateLayers().stream().map(LayerSpec::name).toList());
      LayerSpec pooled = spec.layer("pooled").orElseThrow();
      assertEquals("MaxPool", pooled.kind());
      assertEquals(List.of(8L, 8L, 8L), java.util.Arrays.stream(pooled.shape()).boxed().toList());
      assertFalse(spec.layer(spec.logitsName()).orElseThrow().candidate());
      List<TfRun.Out> outs = TfRun.run((tf, graph) -> {
        ModelGraph g = model.build(tf, TfRun.constant(tf, spec.input().shape(1), new float[768]), Map.of());
        return List.of(g.layer("pooled"), g.logits());
      });
      assertEquals(List.of(1L, 8L, 8L, 8L), java.util.Arrays.stream(outs.get(0).shape()).boxed().toList());
    }
    LoadOptions unknown = new LoadOptions(Map.of("x", "no/such:0"), LoadOptions.DEFAULT_MAX_MODEL_BYTES);
    AbscanException e = assertThrows(AbscanException.class,
        () -> TestSupport.loader().load(Fixture.resource("cnn-op11.onnx"), unknown));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    assertEquals("layerTensors.x", e.violations().get(0).subject());
  }
}
