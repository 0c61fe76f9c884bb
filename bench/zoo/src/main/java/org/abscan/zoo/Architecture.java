package org.abscan.zoo;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The zoo's network shapes, written once against a {@link Weights} source so that the same code builds the
 * training graph (variables) and the exported frozen graph (constants). Layer names end in Relu/BiasAdd ops
 * the savedmodel loader recognises as candidate layers.
 */
public enum Architecture {
  /** conv 5x5x8, pool, conv 5x5x16, pool, dense 64, logits. */
  LENET {
    @Override
    Operand<TFloat32> logits(Ops tf, Operand<TFloat32> x, Weights w, int channels, int side, int classes) {
      x = conv(tf, "conv1", x, w, 5, channels, 8);
      x = pool(tf, x);
      x = conv(tf, "conv2", x, w, 5, 8, 16);
      x = pool(tf, x);
      int flat = (side / 4) * (side / 4) * 16;
      x = tf.withName("flatten").reshape(x, tf.constant(new int[] {-1, flat}));
      x = dense(tf, "dense1", x, w, flat, 64, true);
      return dense(tf, "logits", x, w, 64, classes, false);
    }
  },
  /** Network-in-network: 3x3 convs each followed by a 1x1 conv, global average pooling into the logits. */
  NIN {
    @Override
    Operand<TFloat32> logits(Ops tf, Operand<TFloat32> x, Weights w, int channels, int side, int classes) {
      x = conv(tf, "conv1", x, w, 3, channels, 16);
      x = conv(tf, "mlp1", x, w, 1, 16, 16);
      x = pool(tf, x);
      x = conv(tf, "conv2", x, w, 3, 16, 32);
      x = conv(tf, "mlp2", x, w, 1, 32, 32);
      x = pool(tf, x);
      x = tf.withName("gap").math.mean(x, tf.constant(new int[] {1, 2}));
      return dense(tf, "logits", x, w, 32, classes, false);
    }
  };

  abstract Operand<TFloat32> logits(Ops tf, Operand<TFloat32> x, Weights w, int channels, int side, int classes);

  /** Where weights come from: trainable variables, or the trained values as constants. */
  public interface Weights {
    Operand<TFloat32> get(Ops tf, String name, Shape shape, boolean bias);
  }

  static Operand<TFloat32> conv(Ops tf, String name, Operand<TFloat32> x, Weights w, int k, int in, int out) {
    Ops scope = tf.withSubScope(name);
    Operand<TFloat32> kernel = w.get(scope, name + "/kernel", Shape.of(k, k, in, out), false);
    Operand<TFloat32> bias = w.get(scope, name + "/bias", Shape.of(out), true);
    Operand<TFloat32> conv = scope.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
    return scope.nn.relu(scope.nn.biasAdd(conv, bias));
  }

  static Operand<TFloat32> dense(Ops tf, String name, Operand<TFloat32> x, Weights w, int in, int out,
      boolean relu) {
    Ops scope = tf.withSubScope(name);
    Operand<TFloat32> kernel = w.get(scope, name + "/kernel", Shape.of(in, out), false);
    Operand<TFloat32> bias = w.get(scope, name + "/bias", Shape.of(out), true);
    Operand<TFloat32> y = scope.nn.biasAdd(scope.linalg.matMul(x, kernel), bias);
    return relu ? scope.nn.relu(y) : y;
  }

  static Operand<TFloat32> pool(Ops tf, Operand<TFloat32> x) {
    return tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }
}
