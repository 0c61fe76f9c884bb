package org.abscan.engine.reverse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class MaskedAdamTest {
  private static final float LR = 0.05f;

  @Test
  void activeTriggersFollowAdamAndSettledOnesDoNotMove() {
    float[] init = {0.5f, -1f, 2f, 3f, -2f, 0.25f};
    float[] goal = {1f, 1f, 1f, -1f, -1f, -1f};
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> x = tf.variable(tf.constant(Shape.of(2, 3), DataBuffers.of(init)));
      Operand<TFloat32> loss = tf.reduceSum(tf.math.square(tf.math.sub(x,
          tf.constant(Shape.of(2, 3), DataBuffers.of(goal)))), tf.constant(new int[] {0, 1}));
      Placeholder<TFloat32> active = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2)));
      Placeholder<TFloat32> step = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Op train = MaskedAdam.minimize(g, tf, loss, List.of(x), active, step);
      s.initialize();
      float[] expected = init.clone();
      double[] m = new double[6];
      double[] v = new double[6];
      for (int t = 1; t <= 5; t++) {
        // Trigger 0 optimises throughout; trigger 1 only in step 1, then settles.
        float[] flags = {1f, t == 1 ? 1f : 0f};
        try (TFloat32 a = Tensors.vector(flags);
            TFloat32 lr = TFloat32.scalarOf(MaskedAdam.stepSize(LR, t))) {
          s.runner().feed(active, a).feed(step, lr).addTarget(train).run().close();
        }
        for (int i = 0; i < 6; i++) {
          double grad = 2.0 * (expected[i] - goal[i]);
          m[i] = MaskedAdam.BETA1 * m[i] + (1 - MaskedAdam.BETA1) * grad;
          v[i] = MaskedAdam.BETA2 * v[i] + (1 - MaskedAdam.BETA2) * grad * grad;
          double mHat = m[i] / (1 - Math.pow(MaskedAdam.BETA1, t));
          double vHat = v[i] / (1 - Math.pow(MaskedAdam.BETA2, t));
          if (flags[i / 3] > 0f) {
            expected[i] -= (float) (LR * mHat / (Math.sqrt(vHat) + MaskedAdam.EPSILON));
          }
        }
      }
      try (Result r = s.runner().fetch(x).run()) {
        float[] actual = Tensors.floats((TFloat32) r.get(0));
        assertArrayEquals(expected, actual, 1e-4f);
        // After its single step trigger 1 stayed where it was, momentum notwithstanding.
        assertEquals(init[3] - LR, actual[3], 1e-4f);
      }
    }
  }
}
