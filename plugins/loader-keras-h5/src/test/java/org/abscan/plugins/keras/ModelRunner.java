package org.abscan.plugins.keras;

import java.util.Map;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Runs a loaded model on NHWC float batches: one graph, one session, fed batch by batch. */
final class ModelRunner implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat32> input;
  private final Operand<TFloat32> logits;
  private final long[] inputShape;
  private final int labels;

  ModelRunner(LoadedModel model) {
    Ops tf = Ops.create(graph);
    var spec = model.spec();
    inputShape = spec.input().shape(-1);
    input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(inputShape)));
    ModelGraph built = model.build(tf, input, Map.of());
    logits = built.logits();
    labels = spec.numLabels();
    session = new Session(graph);
  }

  /** Logits for {@code count} images stored back to back in {@code images} from {@code offset}. */
  float[][] logits(float[] images, int offset, int count) {
    long perImage = inputShape[1] * inputShape[2] * inputShape[3];
    float[] batch = new float[Math.toIntExact(perImage * count)];
    System.arraycopy(images, Math.toIntExact(offset * perImage), batch, 0, batch.length);
    long[] shape = inputShape.clone();
    shape[0] = count;
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(batch, true, false));
        var result = session.runner().feed(input, in).fetch(logits).run()) {
      Tensor out = result.get(0);
      float[] flat = new float[count * labels];
      out.asRawTensor().data().asFloats().read(flat);
      float[][] rows = new float[count][labels];
      for (int i = 0; i < count; i++) {
        System.arraycopy(flat, i * labels, rows[i], 0, labels);
      }
      return rows;
    }
  }

  static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
