package org.abscan.plugins.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.core.Identity;
import org.tensorflow.types.TFloat32;

/**
 * Trigger reverse engineering differentiates the model with respect to its input through TensorFlow's C++
 * gradient registry, which lacks some ops Python has: every op the loader emits must have a gradient there.
 */
class GradientTest {
  static List<String> fixtures() {
    return Fixture.NAMES;
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void logitsAreDifferentiableWithRespectToTheInput(String name) throws Exception {
    try (LoadedModel model = TestSupport.load(Fixture.resource(name + ".onnx"))) {
      ModelSpec spec = model.spec();
      int batch = 2;
      float[] input = OnnxLoaderContractTest.randomInput(batch, spec, 5);
      List<TfRun.Out> outs = TfRun.run((tf, graph) -> {
        Identity<TFloat32> x = tf.identity(TfRun.constant(tf, spec.input().shape(batch), input));
        Operand<TFloat32> logits = model.build(tf, x, Map.of()).logits();
        Operand<TFloat32> loss = tf.sum(tf.math.mul(logits, logits), tf.constant(new int[] {0, 1}));
        Output<?>[] grads = graph.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()});
        @SuppressWarnings("unchecked")
        Operand<TFloat32> grad = (Operand<TFloat32>) grads[0];
        return List.of(grad);
      });
      assertArrayEquals(spec.input().shape(batch), outs.get(0).shape());
      float norm = 0;
      for (float g : outs.get(0).values()) {
        assertTrue(Float.isFinite(g), "finite gradient");
        norm += g * g;
      }
      assertTrue(norm > 0, name + ": the gradient is not all zero");
    }
  }
}
