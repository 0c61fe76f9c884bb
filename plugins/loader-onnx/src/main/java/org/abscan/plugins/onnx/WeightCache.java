package org.abscan.plugins.onnx;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One TensorFlow constant per weight per graph. The engine builds a model several times into one graph (on a
 * trigger-stamped input, on a stimulated layer...): without this each build would copy every weight again.
 *
 * <p>The map is weak on the graph, and holds op names rather than operands: an operand references its graph,
 * which would keep a weak key reachable forever.
 */
final class WeightCache {
  private final Map<Graph, Map<String, String>> opNamesByGraph = new WeakHashMap<>();

  /**
   * The constant for {@code key} in {@code tf}'s graph, created from {@code value} on first use.
   *
   * @param key identifies the weight and the transformation applied to it ("hwio:conv1.weight")
   */
  synchronized Operand<TFloat32> get(Ops tf, String key, Supplier<ConstTensor> value) {
    ExecutionEnvironment env = tf.scope().env();
    if (!(env instanceof Graph graph)) {
      return constant(tf, value.get());
    }
    Map<String, String> names = opNamesByGraph.computeIfAbsent(graph, g -> new HashMap<>());
    String name = names.get(key);
    if (name != null) {
      GraphOperation op = graph.operation(name);
      if (op != null) {
        return op.output(0);
      }
    }
    Operand<TFloat32> created = constant(tf, value.get());
    names.put(key, created.op().name());
    return created;
  }

  /** How many graphs hold cached weights (for tests). */
  synchronized int graphCount() {
    return opNamesByGraph.size();
  }

  static Operand<TFloat32> constant(Ops tf, ConstTensor value) {
    return tf.constant(Shape.of(value.shape()), DataBuffers.of(value.asFloats(), true, false));
  }
}
