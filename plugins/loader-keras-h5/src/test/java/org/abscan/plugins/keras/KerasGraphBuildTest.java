package org.abscan.plugins.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/** What the engine relies on when it builds a model repeatedly in its own graph. */
class KerasGraphBuildTest {

  @Test
  void repeatedBuildsShareWeightConstants() {
    try (LoadedModel model = Fixtures.load("functional_residual"); Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = placeholder(tf, model);
      model.build(tf, input, Map.of());
      int afterFirst = floatConstants(graph);
      model.build(tf, input, Map.of());
      // A second Ops on the same graph, as another engine component would create.
      model.build(Ops.create(graph), input, Map.of());
      assertTrue(afterFirst >= 14, "weights and folded BN constants exist: " + afterFirst);
      assertEquals(afterFirst, floatConstants(graph), "no weight constant duplicated by later builds");
    }
  }

  @Test
  void overrideReplacesALayerForEverythingDownstream() throws IOException {
    Fixtures.Reference reference = Fixtures.Reference.of("functional_residual");
    try (LoadedModel model = Fixtures.load("functional_residual"); Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = placeholder(tf, model);
      ModelGraph plain = model.build(tf, input, Map.of());
      ModelGraph same = model.build(tf, input, Map.of("residual", plain.layer("residual")));
      Operand<TFloat32> zeros = tf.math.mul(plain.layer("residual"), tf.constant(0f));
      ModelGraph zeroed = model.build(tf, input, Map.of("residual", zeros));
      assertEquals(zeros, zeroed.layer("residual"));
      try (TFloat32 x = tensor(reference.inputShape(), reference.inputs())) {
        float[] expected = run(session, input, x, plain.logits());
        assertArrayEquals(expected, run(session, input, x, same.logits()), 1e-6f);
        float[] changed = run(session, input, x, zeroed.logits());
        assertFalse(java.util.Arrays.equals(expected, changed), "zeroing 'residual' changes the logits");
        // With 'residual' zeroed, 'dilated' sees zeros too: its output is elu(bias) everywhere.
        float[] dilated = run(session, input, x, zeroed.layer("dilated"));
        assertEquals(dilated[0], dilated[4 * 5], 1e-6f);
      }
    }
  }

  @Test
  void unknownOverrideIsAnInvalidArgument() {
    try (LoadedModel model = Fixtures.load("seq_bn_pool"); Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = placeholder(tf, model);
      AbscanException e = assertThrows(AbscanException.class,
          () -> model.build(tf, input, Map.of("no_such_layer", input)));
      assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
      assertEquals("no_such_layer", e.violations().get(0).subject());
    }
  }

  /** Reverse engineering differentiates logits with respect to the input through every layer kind. */
  @ParameterizedTest
  @ValueSource(strings = {"seq_bn_pool", "functional_residual", "functional_reshape"})
  void gradientsReachTheInput(String name) throws IOException {
    Fixtures.Reference reference = Fixtures.Reference.of(name);
    try (LoadedModel model = Fixtures.load(name); Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = placeholder(tf, model);
      ModelGraph built = model.build(tf, input, Map.of());
      Operand<TFloat32> score = tf.sum(built.logits(), tf.constant(new int[] {0, 1}));
      Output<?>[] gradients = graph.addGradients(score.asOutput(), new Output<?>[] {input.asOutput()});
      @SuppressWarnings("unchecked")
      Operand<TFloat32> gradient = (Operand<TFloat32>) gradients[0];
      try (TFloat32 x = tensor(reference.inputShape(), reference.inputs())) {
        float[] values = run(session, input, x, gradient);
        assertEquals(reference.inputs().length, values.length);
        double norm = 0;
        for (float v : values) {
          assertTrue(Float.isFinite(v));
          norm += v * v;
        }
        assertTrue(norm > 0, "gradient is not identically zero");
      }
    }
  }

  private static Placeholder<TFloat32> placeholder(Ops tf, LoadedModel model) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(model.spec().input().shape(-1))));
  }

  private static TFloat32 tensor(long[] shape, float[] values) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  private static float[] run(Session session, Placeholder<TFloat32> input, TFloat32 x, Operand<TFloat32> fetch) {
    try (var result = session.runner().feed(input, x).fetch(fetch).run()) {
      var out = result.get(0);
      float[] values = new float[Math.toIntExact(out.shape().size())];
      out.asRawTensor().data().asFloats().read(values);
      return values;
    }
  }

  private static int floatConstants(Graph graph) {
    int count = 0;
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.type().equals("Const") && op.output(0).dataType() == DataType.DT_FLOAT
          && op.output(0).shape().numDimensions() >= 1) {
        count++;
      }
    }
    return count;
  }
}
