package org.abscan.plugins.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Test helper: builds a graph, runs it once, and returns the fetched tensors as flat float arrays. */
final class TfRun {
  private TfRun() {}

  /** A computed tensor: its shape and row-major values. */
  record Out(long[] shape, float[] values) {}

  static List<Out> run(BiFunction<Ops, Graph, List<Operand<TFloat32>>> build) {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      List<Operand<TFloat32>> fetches = build.apply(tf, graph);
      List<Out> outs = new ArrayList<>();
      if (fetches.isEmpty()) {
        return outs;
      }
      // A session fetches each output once; a layer that is also the logits is asked for twice.
      List<String> distinct = new ArrayList<>();
      Session.Runner runner = session.runner();
      for (Operand<TFloat32> fetch : fetches) {
        String name = fetch.op().name() + ":" + fetch.asOutput().index();
        if (!distinct.contains(name)) {
          distinct.add(name);
          runner.fetch(fetch);
        }
      }
      try (Result result = runner.run()) {
        for (Operand<TFloat32> fetch : fetches) {
          Tensor t = result.get(distinct.indexOf(fetch.op().name() + ":" + fetch.asOutput().index()));
          long[] shape = t.shape().asArray();
          float[] values = new float[(int) t.shape().size()];
          ((TFloat32) t).asRawTensor().data().asFloats().read(values);
          outs.add(new Out(shape, values));
        }
      }
      return outs;
    }
  }

  static Operand<TFloat32> constant(Ops tf, long[] shape, float[] values) {
    return tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
  }
}
