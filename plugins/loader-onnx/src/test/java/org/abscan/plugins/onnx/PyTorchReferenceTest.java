package org.abscan.plugins.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The loader against PyTorch itself: every fixture model, run on its reference batch of 3, must give the
 * module's logits and the probed conv output within 1e-4. The fixed-batch-1 exports run with that batch of 3.
 */
class PyTorchReferenceTest {
  private static final float TOLERANCE = 1e-4f;

  static List<String> fixtures() {
    return Fixture.NAMES;
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void logitsAndLayersMatchPyTorch(String name) throws Exception {
    Fixture fixture = Fixture.load(name);
    try (LoadedModel model = TestSupport.load(fixture.model())) {
      ModelSpec spec = model.spec();
      assertEquals(new InputSpec("input", 16, 16, 3, InputSpec.Layout.NCHW), spec.input());
      assertEquals(fixture.logitsShape()[1], spec.numLabels());
      List<LayerSpec> probed = new ArrayList<>();
      for (Fixture.Probe probe : fixture.probes()) {
        LayerSpec layer = spec.layer(probe.node()).orElseThrow(
            () -> new AssertionError("no layer " + probe.node() + " in " + spec.layers()));
        long[] nchw = probe.shapeNchw();
        assertEquals(List.of(nchw[2], nchw[3], nchw[1]), Arrays.stream(layer.shape()).boxed().toList(),
            "rank-4 layers are exposed NHWC");
        assertEquals(2, layer.channelAxis());
        probed.add(layer);
      }

      List<TfRun.Out> outs = TfRun.run((tf, graph) -> {
        ModelGraph g = model.build(tf, TfRun.constant(tf, fixture.inputShape(), fixture.input()), Map.of());
        List<Operand<TFloat32>> fetches = new ArrayList<>(List.of(g.logits()));
        probed.forEach(layer -> fetches.add(g.layer(layer.name())));
        return fetches;
      });
      TestSupport.assertShape(fixture.logitsShape(), outs.get(0).shape(), "logits");
      TestSupport.assertClose(fixture.logits(), outs.get(0).values(), TOLERANCE, name + " logits");
      for (int i = 0; i < probed.size(); i++) {
        Fixture.Probe probe = fixture.probes().get(i);
        long[] nchw = probe.shapeNchw();
        TestSupport.assertShape(new long[] {nchw[0], nchw[2], nchw[3], nchw[1]}, outs.get(i + 1).shape(),
            probe.node());
        TestSupport.assertClose(probe.nhwc(), outs.get(i + 1).values(), TOLERANCE, name + " " + probe.node());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void fixtureExercisesWhatItClaims(String name) {
    Fixture fixture = Fixture.load(name);
    assertEquals(3, fixture.batch());
    if (name.startsWith("fixed1")) {
      assertTrue(fixture.fixedBatch(), "exported without dynamic axes");
      assertTrue(fixture.ops().contains("Reshape"));
    }
    if (name.startsWith("cnn") || name.startsWith("residual")) {
      assertTrue(fixture.ops().containsAll(List.of("Shape", "Gather", "Unsqueeze", "Concat", "Reshape")),
          "a view(x.size(0), -1) subgraph to fold: " + fixture.ops());
    }
    if (name.startsWith("ops")) {
      assertTrue(fixture.ops().contains("ConvTranspose"));
      assertEquals(List.of("/grouped/Conv", "/up/ConvTranspose"),
          fixture.probes().stream().map(Fixture.Probe::node).toList());
    }
    if (name.startsWith("bn")) {
      assertTrue(fixture.ops().containsAll(List.of("BatchNormalization", "Flatten", "Clip")), fixture.ops()::toString);
    }
  }
}
