package org.abscan.plugins.keras;

import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The Keras activation functions the loader builds, by their Keras names. */
final class Activations {
  static final String LINEAR = "linear";
  static final String SOFTMAX = "softmax";
  private static final Set<String> SUPPORTED =
      Set.of(LINEAR, "relu", "relu6", "sigmoid", "tanh", SOFTMAX, "elu", "selu", "softplus", "swish", "silu");

  private Activations() {}

  /** The activation a layer config names; UNSUPPORTED_MODEL for one this loader cannot build. */
  static String of(LayerConfig config) {
    var value = config.raw("activation");
    if (value.isMissingNode() || value.isNull()) {
      return LINEAR;
    }
    if (!value.isTextual()) {
      // Newer Keras serialises custom activations as objects.
      throw config.unsupported("activation " + value);
    }
    String name = value.asText();
    if (!SUPPORTED.contains(name)) {
      throw config.unsupported("activation '" + name + "'");
    }
    return name;
  }

  static Operand<TFloat32> apply(Ops tf, String name, Operand<TFloat32> x) {
    return switch (name) {
      case LINEAR -> x;
      case "relu" -> tf.nn.relu(x);
      case "relu6" -> tf.nn.relu6(x);
      case "sigmoid" -> tf.math.sigmoid(x);
      case "tanh" -> tf.math.tanh(x);
      case SOFTMAX -> tf.nn.softmax(x);
      case "elu" -> tf.nn.elu(x);
      case "selu" -> tf.nn.selu(x);
      case "softplus" -> tf.math.softplus(x);
      case "swish", "silu" -> tf.math.mul(x, tf.math.sigmoid(x));
      default -> throw new IllegalStateException("activation " + name + " passed validation but has no op");
    };
  }
}
