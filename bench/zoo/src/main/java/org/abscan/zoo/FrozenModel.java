package org.abscan.zoo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The trained model as a frozen GraphDef (weights as constants, input {@code input}, output {@code probs}):
 * one small file the savedmodel loader reads, with the pre-softmax logits at {@link #LOGITS}.
 */
final class FrozenModel {
  static final String LOGITS = "logits/BiasAdd";

  private FrozenModel() {}

  /** Builds the inference graph of {@code recipe} over {@code trained}; the caller closes it. */
  static Graph build(ZooModel recipe, Trainer.Trained trained, Dataset shape) {
    Graph graph = new Graph();
    Ops tf = Ops.create(graph);
    Architecture.Weights constants = new Architecture.Weights() {
      @Override
      public Operand<TFloat32> get(Ops scope, String name, Shape s, boolean bias) {
        return scope.withName(Trainer.leaf(name)).constant(s, DataBuffers.of(trained.weights().get(name)));
      }

      @Override
      public Operand<TFloat32> batchNorm(Ops scope, String name, Operand<TFloat32> x, int channels) {
        Shape c = Shape.of(channels);
        return scope.withName("bn").nn.fusedBatchNorm(x,
            scope.withName("gamma").constant(c, DataBuffers.of(trained.weights().get(name + "/gamma"))),
            scope.withName("beta").constant(c, DataBuffers.of(trained.weights().get(name + "/beta"))),
            scope.withName("mean").constant(c, DataBuffers.of(trained.weights().get(name + "/mean"))),
            scope.withName("variance").constant(c, DataBuffers.of(trained.weights().get(name + "/variance"))),
            FusedBatchNorm.isTraining(false), FusedBatchNorm.epsilon(1e-3f)).y();
      }
    };
    Placeholder<TFloat32> x = tf.withName("input").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, shape.height(), shape.width(), shape.channels())));
    Operand<TFloat32> logits = recipe.architecture().logits(tf, x, constants, shape.channels(), shape.height(),
        shape.classes());
    tf.withName("probs").nn.softmax(logits);
    return graph;
  }

  static void write(Graph graph, Path file) throws IOException {
    Files.write(file, graph.toGraphDef().toByteArray());
  }
}
