package org.abscan.zoo;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The zoo's network shapes, written once against a {@link Weights} source so that the same code builds the
 * training graph (variables, batch statistics) and the exported frozen graph (constants, population
 * statistics). Every hidden layer ends in a Relu after a Conv2D/MatMul (+ BiasAdd or FusedBatchNormV3, + the
 * residual Add), the ops the savedmodel loader recognises as candidate layers.
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
  /**
   * Network-in-network: three 3x3 convs each followed by a 1x1 conv (32, 64, 64 channels), global average
   * pooling into the logits. (The first zoo's NiN had 16/32 channels and two stages, too little for global
   * average pooling: 66-75 % clean accuracy on MNIST.)
   */
  NIN {
    @Override
    Operand<TFloat32> logits(Ops tf, Operand<TFloat32> x, Weights w, int channels, int side, int classes) {
      x = conv(tf, "conv1", x, w, 3, channels, 32);
      x = conv(tf, "mlp1", x, w, 1, 32, 32);
      x = pool(tf, x);
      x = conv(tf, "conv2", x, w, 3, 32, 64);
      x = conv(tf, "mlp2", x, w, 1, 64, 64);
      x = pool(tf, x);
      x = conv(tf, "conv3", x, w, 3, 64, 64);
      x = conv(tf, "mlp3", x, w, 1, 64, 64);
      x = tf.withName("gap").math.mean(x, tf.constant(new int[] {1, 2}));
      return dense(tf, "logits", x, w, 64, classes, false);
    }
  },
  /** VGG-like with batch normalisation: (conv-BN-relu x2, pool) with 16 then 32 channels, dense 64, logits. */
  VGG {
    @Override
    Operand<TFloat32> logits(Ops tf, Operand<TFloat32> x, Weights w, int channels, int side, int classes) {
      x = convBn(tf, "conv1a", x, w, channels, 16, true);
      x = convBn(tf, "conv1b", x, w, 16, 16, true);
      x = pool(tf, x);
      x = convBn(tf, "conv2a", x, w, 16, 32, true);
      x = convBn(tf, "conv2b", x, w, 32, 32, true);
      x = pool(tf, x);
      int flat = (side / 4) * (side / 4) * 32;
      x = tf.withName("flatten").reshape(x, tf.constant(new int[] {-1, flat}));
      x = dense(tf, "dense1", x, w, flat, 64, true);
      return dense(tf, "logits", x, w, 64, classes, false);
    }
  },
  /**
   * ResNet-like: a conv-BN-relu stem (16), a residual block (conv-BN-relu, conv-BN, Add the block's input,
   * relu), pool, a conv-BN-relu to 32 channels, a second residual block, pool, dense 64, logits. (With global
   * average pooling over 32 channels instead of the dense layer it reached only 42 % on GTSRB32 in 8 epochs.)
   */
  RESNET {
    @Override
    Operand<TFloat32> logits(Ops tf, Operand<TFloat32> x, Weights w, int channels, int side, int classes) {
      x = convBn(tf, "stem", x, w, channels, 16, true);
      x = residual(tf, "res1", x, w, 16);
      x = pool(tf, x);
      x = convBn(tf, "widen", x, w, 16, 32, true);
      x = residual(tf, "res2", x, w, 32);
      x = pool(tf, x);
      int flat = (side / 4) * (side / 4) * 32;
      x = tf.withName("flatten").reshape(x, tf.constant(new int[] {-1, flat}));
      x = dense(tf, "dense1", x, w, flat, 64, true);
      return dense(tf, "logits", x, w, 64, classes, false);
    }
  };

  abstract Operand<TFloat32> logits(Ops tf, Operand<TFloat32> x, Weights w, int channels, int side, int classes);

  /** Where weights come from: trainable variables, or the trained values as constants. */
  public interface Weights {
    Operand<TFloat32> get(Ops tf, String name, Shape shape, boolean bias);

    /**
     * Batch normalisation of {@code x} over its last axis: batch statistics while training, the population
     * statistics (a FusedBatchNormV3 in inference mode) in the frozen graph.
     */
    Operand<TFloat32> batchNorm(Ops tf, String name, Operand<TFloat32> x, int channels);
  }

  static Operand<TFloat32> conv(Ops tf, String name, Operand<TFloat32> x, Weights w, int k, int in, int out) {
    Ops scope = tf.withSubScope(name);
    Operand<TFloat32> kernel = w.get(scope, name + "/kernel", Shape.of(k, k, in, out), false);
    Operand<TFloat32> bias = w.get(scope, name + "/bias", Shape.of(out), true);
    Operand<TFloat32> conv = scope.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
    return scope.nn.relu(scope.nn.biasAdd(conv, bias));
  }

  /** 3x3 conv without bias (batch norm's offset is the bias), batch norm, optionally relu. */
  static Operand<TFloat32> convBn(Ops tf, String name, Operand<TFloat32> x, Weights w, int in, int out,
      boolean relu) {
    Ops scope = tf.withSubScope(name);
    Operand<TFloat32> kernel = w.get(scope, name + "/kernel", Shape.of(3, 3, in, out), false);
    Operand<TFloat32> conv = scope.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
    Operand<TFloat32> normed = w.batchNorm(scope, name + "/bn", conv, out);
    return relu ? scope.nn.relu(normed) : normed;
  }

  /** relu(x + BN(conv(relu(BN(conv(x)))))): the branch is the Add's first input, so the loader sees conv-BN-Add-relu. */
  static Operand<TFloat32> residual(Ops tf, String name, Operand<TFloat32> x, Weights w, int channels) {
    Operand<TFloat32> branch = convBn(tf, name + "a", x, w, channels, channels, true);
    branch = convBn(tf, name + "b", branch, w, channels, channels, false);
    Ops scope = tf.withSubScope(name);
    return scope.nn.relu(scope.math.add(branch, x));
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
