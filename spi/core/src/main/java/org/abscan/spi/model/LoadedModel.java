package org.abscan.spi.model;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A parsed model that can be instantiated, any number of times, inside a TensorFlow graph the engine owns.
 *
 * <p>Building on a caller-given input is what lets ABS work in graph mode: the engine builds the model on a
 * trigger-stamped input for reverse engineering, and builds the layers after a stimulated layer on a tensor it
 * constructs in-graph for stimulation analysis.
 */
public interface LoadedModel extends AutoCloseable {
  /** Input, layers and logits as the loader sees them. */
  ModelSpec spec();

  /**
   * Adds the model's ops to {@code tf}'s graph.
   *
   * @param input a float tensor in the model's own layout and value range ({@link ModelSpec#input()}), with a
   *     batch dimension of any size
   * @param overrides layer name to a tensor that replaces that layer's output: layers after it consume the
   *     override (its upstream may still be built; TensorFlow prunes what no fetch needs). The override has the
   *     layer's shape with any batch size.
   * @return every layer's output (as used downstream: the override where one was given) and the pre-softmax
   *     logits
   */
  ModelGraph build(Ops tf, Operand<TFloat32> input, Map<String, Operand<TFloat32>> overrides);

  @Override
  default void close() {}
}
