package org.abscan.plugins.keras;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Weight constants of one loaded model, created once per graph: the engine builds the model many times in one
 * graph (stimulation, reverse engineering), and copying megabytes of weights each time would bloat the graph.
 * The cache keeps op names, not operands, so it does not hold the graph it is weakly keyed by.
 */
final class WeightConstants {
  private final Map<Graph, Map<Weight, String>> byGraph = new WeakHashMap<>();

  synchronized Operand<TFloat32> of(Ops tf, Weight weight) {
    if (!(tf.scope().env() instanceof Graph graph)) {
      return create(tf, weight);
    }
    Map<Weight, String> names = byGraph.computeIfAbsent(graph, g -> new IdentityHashMap<>());
    String name = names.get(weight);
    if (name != null) {
      GraphOperation existing = graph.operation(name);
      if (existing != null) {
        return existing.output(0);
      }
    }
    Operand<TFloat32> constant = create(tf, weight);
    names.put(weight, constant.op().name());
    return constant;
  }

  private static Operand<TFloat32> create(Ops tf, Weight weight) {
    return tf.constant(Shape.of(weight.shape()), DataBuffers.of(weight.values(), true, false));
  }
}
