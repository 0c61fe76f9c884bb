package org.abscan.engine.reverse;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam over T independent triggers whose variables all have the trigger index as their first axis, with a
 * per-trigger "active" flag fed at each step. A settled trigger must stop changing: a zero gradient is not
 * enough, since Adam's momentum would keep moving it, so the update itself is multiplied by the flag.
 *
 * <p>The framework's optimiser would collect every trainable variable of the graph (a loader may hold the
 * model's weights in variables) and cannot mask per trigger, hence this small implementation from
 * {@link Graph#addGradients}.
 */
final class MaskedAdam {
  static final float BETA1 = 0.9f;
  static final float BETA2 = 0.999f;
  static final float EPSILON = 1e-7f;

  private MaskedAdam() {}

  /**
   * One Adam step for {@code variables}.
   *
   * @param loss scalar to minimise
   * @param active [T]: 1 for triggers still optimising, 0 for settled ones
   * @param stepSize scalar: the learning rate with Adam's bias corrections for this step folded in,
   *     {@code lr * sqrt(1 - beta2^t) / (1 - beta1^t)} (see {@link #stepSize})
   */
  static Op minimize(Graph graph, Ops tf, Operand<TFloat32> loss, List<Variable<TFloat32>> variables,
      Operand<TFloat32> active, Operand<TFloat32> stepSize) {
    Output<?>[] xs = variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);
    Ops scope = tf.withSubScope("masked_adam");
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < xs.length; i++) {
      Variable<TFloat32> var = variables.get(i);
      Shape shape = var.shape();
      if (grads[i] == null) {
        continue; // not connected to the loss: nothing to learn for it
      }
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
      float[] zeros = new float[(int) shape.size()];
      Variable<TFloat32> m = scope.variable(scope.constant(shape, DataBuffers.of(zeros)));
      Variable<TFloat32> v = scope.variable(scope.constant(shape, DataBuffers.of(zeros)));
      Operand<TFloat32> mNew = scope.math.add(scope.math.mul(m, scope.constant(BETA1)),
          scope.math.mul(g, scope.constant(1f - BETA1)));
      Operand<TFloat32> vNew = scope.math.add(scope.math.mul(v, scope.constant(BETA2)),
          scope.math.mul(scope.math.square(g), scope.constant(1f - BETA2)));
      long[] flagShape = new long[shape.numDimensions()];
      java.util.Arrays.fill(flagShape, 1L);
      flagShape[0] = shape.size(0);
      Operand<TFloat32> flag = scope.reshape(active, scope.constant(flagShape));
      Operand<TFloat32> delta = scope.math.mul(scope.math.mul(stepSize, flag),
          scope.math.div(mNew, scope.math.add(scope.math.sqrt(vNew), scope.constant(EPSILON))));
      updates.add(scope.assign(m, mNew));
      updates.add(scope.assign(v, vNew));
      updates.add(scope.assignSub(var, delta));
    }
    return scope.withControlDependencies(updates).noOp();
  }

  /** The bias-corrected step size of step {@code t} (1-based). */
  static float stepSize(float learningRate, int t) {
    return (float) (learningRate * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t)));
  }
}
